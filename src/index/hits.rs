//! Running a query: the top paragraphs by score, each hit mapped to its exact code point span in
//! the source, KWIC context, and the number of matching paragraphs per actor.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::time::{Duration, Instant};

use tantivy::SegmentReader;
use tantivy::collector::TopDocs;
use tantivy::columnar::Column;

use super::actor_counts::{ActorCounter, NO_ACTOR};
use super::analysis::Lang;
use super::catalog::Catalog;
use super::compile::Compiler;
use super::lifecycle::{SearchIndex, ix};
use super::query::{self, Matcher};
use super::schema::{
    ACTOR_FIELD, BYTE_END_FIELD, BYTE_START_FIELD, LANG_FIELD, PERSON_FIELD, SOURCE_FIELD,
    START_FIELD,
};
use super::spans::SpanFinder;
use crate::error::{Error, Result};
use crate::model::{ActorId, CharSpan, PersonId, SourceId, SourceKind};
use crate::project::Project;
use crate::text::is_utf8_continuation;

/// Code points of context on each side of a KWIC line.
pub const KWIC_CONTEXT: usize = 48;

/// A keyword-in-context line: the hit with the text before and after it in its paragraph, on
/// one line (white space collapsed). `left` is cut at the front, `right` at the back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kwic {
    pub left: String,
    pub hit: String,
    pub right: String,
}

/// One match: a word, a phrase or a NEAR pair, as a span of its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub source_id: SourceId,
    pub source_title: String,
    pub kind: SourceKind,
    /// The hit in code points of the source's text.
    pub span: CharSpan,
    /// The source's text at `span`, exactly.
    pub text: String,
    /// Start (code points) of the paragraph or passage the hit is in.
    pub paragraph_start: usize,
    /// The paragraph's relevance (BM25; matches only inside compounds score lower).
    pub score: f32,
    pub person_id: Option<PersonId>,
    pub person_name: Option<String>,
    pub actor_id: Option<ActorId>,
    pub actor_name: Option<String>,
    pub kwic: Kwic,
}

/// Paragraphs matching the query per actor (all matches, not only the returned hits).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorCount {
    /// `None` for text attributed to no actor (literature, unattributed sources).
    pub actor_id: Option<ActorId>,
    pub name: String,
    pub paragraphs: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    /// Best paragraphs first; within a paragraph in text order.
    pub hits: Vec<Hit>,
    /// All paragraphs that match.
    pub paragraphs: usize,
    /// Matching paragraphs per actor, most first.
    pub actor_counts: Vec<ActorCount>,
    /// True when there were more hits than the limit.
    pub truncated: bool,
}

/// Where a search's time went.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SearchTimings {
    /// Parsing, and compiling to a tantivy query (compound words looked up).
    pub compile: Duration,
    /// tantivy: the top paragraphs by score, and the counts over all matches.
    pub matching: Duration,
    /// Mapping the top paragraphs' hits to spans, with KWIC and names.
    pub hits: Duration,
}

impl SearchIndex {
    /// Runs `query` (the query language of README.md, "Search") and returns at most `limit`
    /// hits, best paragraphs first, with counts over all matches. A bad query, or a filter
    /// naming an unknown actor, person or theme, is an error that says what is wrong. Sees the
    /// last commit: call [`SearchIndex::commit`] first if [`SearchIndex::has_pending`].
    pub fn search(&self, project: &Project, query: &str, limit: usize) -> Result<SearchResults> {
        self.search_timed(project, query, limit)
            .map(|(results, _)| results)
    }

    /// [`SearchIndex::search`], and how long each phase took (for benchmarks and profiling).
    pub fn search_timed(
        &self,
        project: &Project,
        query: &str,
        limit: usize,
    ) -> Result<(SearchResults, SearchTimings)> {
        let started = Instant::now();
        let node = query::parse(query)?;
        // The catalog is kept current by `refresh`; a name it does not know may be newer than
        // it, so only then is the project asked.
        let fresh;
        let mut catalog = &self.catalog;
        let (tantivy_query, matchers) = match self.compile(query, &node, catalog) {
            Err(Error::UnknownName { .. }) if project.revision()? != catalog.revision => {
                fresh = Catalog::load(project)?;
                catalog = &fresh;
                self.compile(query, &node, catalog)?
            }
            other => other?,
        };
        let compiled = Instant::now();
        let searcher = self.reader.searcher();
        let limit = limit.max(1);
        let (top, (paragraphs, counts)) = searcher
            .search(
                &*tantivy_query,
                &(
                    TopDocs::with_limit(limit).order_by_score(),
                    ActorCounter::new(&self.actor_columns),
                ),
            )
            .map_err(ix)?;

        let matched = Instant::now();
        let mut hits = Vec::new();
        let mut truncated = paragraphs > top.len();
        let mut docs = Vec::with_capacity(top.len());
        for (score, address) in top {
            let segment = searcher.segment_reader(address.segment_ord);
            let paragraphs = self
                .paragraphs
                .get_or_read(segment, SegmentParagraphs::read)
                .map_err(ix)?;
            let Some(paragraph) = paragraphs.0.get(address.doc_id as usize) else {
                continue;
            };
            docs.push((score, paragraph.clone()));
        }
        // Equal scores in source order: which segment a paragraph went to must not show.
        docs.sort_by(|(a, pa), (b, pb)| {
            b.total_cmp(a)
                .then((pa.source_id, pa.start).cmp(&(pb.source_id, pb.start)))
        });
        let mut span_finder = SpanFinder::new(&matchers);
        'docs: for (score, paragraph) in docs {
            let Paragraph {
                source_id,
                start,
                bytes,
                lang,
                person_id,
                actor_id,
            } = paragraph;
            // A source the project no longer has, or a range its text does not have: the
            // index has not caught up with a change yet; the next commit will.
            let Some(text) = self.texts.get(project, source_id)? else {
                continue;
            };
            let Some(body) = text.text.get(bytes.clone()) else {
                continue;
            };
            let lowered = text.lowered.as_deref().and_then(|l| l.get(bytes));
            let person = person_id.and_then(|p| catalog.person(p));
            let actor_id = actor_id.or(person.map(|p| p.actor_id));
            let (title, kind) = match catalog.sources.get(&source_id) {
                Some(known) => known.clone(),
                None => project
                    .source(source_id)
                    .map(|s| (s.title, s.kind))
                    .unwrap_or_else(|_| (String::new(), SourceKind::Interview)),
            };
            let spans = if matchers.is_empty() {
                vec![(0, body.len(), 0, body.chars().count())]
            } else {
                span_finder.find(body, lowered, lang, &self.stemmers)
            };
            for (byte_start, byte_end, char_start, char_end) in spans {
                if hits.len() == limit {
                    truncated = true;
                    break 'docs;
                }
                hits.push(Hit {
                    source_id,
                    source_title: title.clone(),
                    kind,
                    span: CharSpan::new(start + char_start, start + char_end),
                    text: body[byte_start..byte_end].to_string(),
                    paragraph_start: start,
                    score,
                    person_id,
                    person_name: person.map(|p| p.name.clone()),
                    actor_id,
                    actor_name: actor_id
                        .and_then(|a| catalog.actor(a))
                        .map(|a| a.name.clone()),
                    kwic: kwic(body, byte_start, byte_end),
                });
            }
        }

        let timings = SearchTimings {
            compile: compiled - started,
            matching: matched - compiled,
            hits: matched.elapsed(),
        };
        let mut actor_counts: Vec<ActorCount> = counts
            .into_iter()
            .map(|(actor, n)| {
                let actor_id = (actor != NO_ACTOR).then_some(ActorId(actor as i64));
                ActorCount {
                    actor_id,
                    name: actor_id
                        .and_then(|a| catalog.actor(a))
                        .map(|a| a.name.clone())
                        .unwrap_or_else(|| "(no actor)".into()),
                    paragraphs: n,
                }
            })
            .collect();
        actor_counts.sort_by(|a, b| b.paragraphs.cmp(&a.paragraphs).then(a.name.cmp(&b.name)));
        let results = SearchResults {
            query: query.to_string(),
            hits,
            paragraphs,
            actor_counts,
            truncated,
        };
        Ok((results, timings))
    }
}

impl SearchIndex {
    fn compile(
        &self,
        query: &str,
        node: &query::Node,
        catalog: &Catalog,
    ) -> Result<(Box<dyn tantivy::query::Query>, Vec<Matcher>)> {
        let mut compiler = Compiler {
            query,
            fields: &self.fields,
            stemmers: &self.stemmers,
            vocabulary: &self.vocabulary,
            catalog,
            matchers: Vec::new(),
        };
        let q = compiler.compile(node)?;
        Ok((q, compiler.matchers))
    }
}

/// What a hit needs of its paragraph, read from the index's columns.
#[derive(Debug, Clone)]
struct Paragraph {
    source_id: SourceId,
    /// In code points of the source.
    start: usize,
    /// The paragraph's bytes in the source's text.
    bytes: Range<usize>,
    lang: Lang,
    person_id: Option<PersonId>,
    actor_id: Option<ActorId>,
}

/// One segment's paragraph facts by document, read from its columns once: reading seven
/// columns per hit was a tenth of a search (about 70 bytes a paragraph, 1 MB per million words).
pub struct SegmentParagraphs(Vec<Paragraph>);

impl SegmentParagraphs {
    fn read(segment: &SegmentReader) -> tantivy::Result<SegmentParagraphs> {
        let columns = segment.fast_fields();
        let [source, start, byte_start, byte_end, lang, person, actor] = [
            SOURCE_FIELD,
            START_FIELD,
            BYTE_START_FIELD,
            BYTE_END_FIELD,
            LANG_FIELD,
            PERSON_FIELD,
            ACTOR_FIELD,
        ]
        .map(|field| columns.u64(field));
        let (source, start, byte_start, byte_end, lang, person, actor) = (
            source?,
            start?,
            byte_start?,
            byte_end?,
            lang?,
            person?,
            actor?,
        );
        let paragraphs = (0..segment.max_doc())
            .map(|doc| {
                let value = |column: &Column<u64>| column.first(doc);
                Paragraph {
                    source_id: SourceId(value(&source).unwrap_or(0) as i64),
                    start: value(&start).unwrap_or(0) as usize,
                    bytes: value(&byte_start).unwrap_or(0) as usize
                        ..value(&byte_end).unwrap_or(0) as usize,
                    lang: Lang::from_u64(value(&lang).unwrap_or(0)),
                    person_id: value(&person).map(|p| PersonId(p as i64)),
                    actor_id: value(&actor).map(|a| ActorId(a as i64)),
                }
            })
            .collect();
        Ok(SegmentParagraphs(paragraphs))
    }
}

/// The KWIC line of a hit: at most [`KWIC_CONTEXT`] characters each side, white space collapsed
/// (only the context shown is looked at: paragraphs can be long).
fn kwic(body: &str, byte_start: usize, byte_end: usize) -> Kwic {
    let before = &body[..byte_start];
    let after = &body[byte_end..];
    Kwic {
        left: left_context(before),
        hit: one_spaced(&body[byte_start..byte_end]),
        right: right_context(after),
    }
}

/// The left context of a KWIC line. Most text has nothing to collapse within the bytes the
/// context can span (4 per char at most): then it is the last chars as they are, found by
/// counting first bytes of chars.
fn left_context(before: &str) -> String {
    let mut from = before.len().saturating_sub(KWIC_CONTEXT * 4);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let window = &before[from..];
    if is_one_spaced(window) {
        let bytes = window.as_bytes();
        let mut n = 0;
        for i in (0..bytes.len()).rev() {
            if !is_utf8_continuation(bytes[i]) {
                n += 1;
                if n == KWIC_CONTEXT {
                    return window[i..].to_owned();
                }
            }
        }
        if from == 0 {
            return window.to_owned();
        }
    }
    one_spaced(&before[context_start(before)..])
}

/// The right context of a KWIC line (see [`left_context`]).
fn right_context(after: &str) -> String {
    let mut to = after.len().min(KWIC_CONTEXT * 4);
    while !after.is_char_boundary(to) {
        to -= 1;
    }
    let window = &after[..to];
    if is_one_spaced(window) {
        let mut n = 0;
        for (i, &b) in window.as_bytes().iter().enumerate() {
            if !is_utf8_continuation(b) {
                if n == KWIC_CONTEXT {
                    return window[..i].to_owned();
                }
                n += 1;
            }
        }
        if to == after.len() {
            return window.to_owned();
        }
    }
    one_spaced(&after[..context_end(after)])
}

/// Where the last [`KWIC_CONTEXT`] characters of `before` begin, a run of white space counted
/// as one character. Walks bytes: decoding chars backwards was a tenth of a common word's search.
fn context_start(before: &str) -> usize {
    let bytes = before.as_bytes();
    let (mut n, mut from, mut last_space) = (0, before.len(), false);
    for i in (0..bytes.len()).rev() {
        let space = match bytes[i] {
            b if is_plain(b) => false,
            b if is_utf8_continuation(b) => continue,
            _ => is_space_at(before, i),
        };
        if !(space && last_space) {
            if n == KWIC_CONTEXT {
                break;
            }
            n += 1;
        }
        from = i;
        last_space = space;
    }
    from
}

/// Where the first [`KWIC_CONTEXT`] characters of `after` end, a run of white space counted as
/// one character.
fn context_end(after: &str) -> usize {
    let bytes = after.as_bytes();
    let (mut n, mut last_space) = (0, false);
    for (i, &b) in bytes.iter().enumerate() {
        let space = match b {
            b if is_plain(b) => false,
            b if is_utf8_continuation(b) => continue,
            _ => is_space_at(after, i),
        };
        if !(space && last_space) {
            if n == KWIC_CONTEXT {
                return i;
            }
            n += 1;
        }
        last_space = space;
    }
    after.len()
}

/// `s` with each run of white space (line breaks too) as one space.
fn one_spaced(s: &str) -> String {
    if is_one_spaced(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        let space = c.is_whitespace();
        if !space {
            out.push(c);
        } else if !last_space {
            out.push(' ');
        }
        last_space = space;
    }
    out
}

/// True when `s` has no white space but single ASCII spaces (most context does): then it is
/// copied as it is, not char by char.
fn is_one_spaced(s: &str) -> bool {
    let bytes = s.as_bytes();
    // Two passes the compiler vectorises: no tab, line break or first byte of a non-ASCII
    // white space (0xC2, 0xE1–0xE3), and no double space. Otherwise, a closer look.
    let mut maybe_space = 0u8;
    for &b in bytes {
        maybe_space |= u8::from(b.wrapping_sub(b'\t') < 5)
            | u8::from(b == 0xC2)
            | u8::from(b.wrapping_sub(0xE1) < 3);
    }
    if maybe_space == 0 {
        let mut double = 0u8;
        for (&a, &b) in bytes.iter().zip(bytes.iter().skip(1)) {
            double |= u8::from(a == b' ') & u8::from(b == b' ');
        }
        return double == 0;
    }
    let mut last_space = false;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        // Continuation bytes too: no white space has them first.
        if is_plain(b) || is_utf8_continuation(b) {
            last_space = false;
            continue;
        }
        let space = b == b' ';
        if (space && last_space) || (!space && is_space_at(s, i)) {
            return false;
        }
        last_space = space;
    }
    true
}

/// ASCII that is not white space: the bytes most text is made of, decided without decoding.
#[inline]
fn is_plain(b: u8) -> bool {
    b > b' ' && b < 0x80
}

/// Whether the char starting at byte `i` is white space, decoding only chars whose first byte
/// some white space has (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000); `false` at bytes
/// that start no char.
fn is_space_at(s: &str, i: usize) -> bool {
    match s.as_bytes()[i] {
        b' ' | b'\t'..=b'\r' => true,
        0xC2 | 0xE1 | 0xE2 | 0xE3 => s
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_whitespace),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_collapses_white_space_and_counts_a_run_as_one() {
        let body = "a\r\n\r\nb  c økt\t handlingsrom 😀 d\n\ne";
        let start = body.find("økt").unwrap();
        let end = body.find(" 😀").unwrap();
        let k = kwic(body, start, end);
        assert_eq!(k.left, "a b c ");
        assert_eq!(k.hit, "økt handlingsrom");
        assert_eq!(k.right, " 😀 d e");

        let long = format!("{} X {}", "æ ".repeat(40), " ø".repeat(40));
        let x = long.find('X').unwrap();
        let k = kwic(&long, x, x + 1);
        assert_eq!(k.left.chars().count(), KWIC_CONTEXT);
        assert_eq!(k.right.chars().count(), KWIC_CONTEXT);
        assert!(k.left.ends_with("æ ") && k.right.starts_with(" ø"));

        // The byte walk agrees with the char-by-char reading it replaced, at every char.
        let reference = |body: &str, at: usize| -> (String, String) {
            let mut left: Vec<char> = Vec::new();
            for c in body[..at].chars().rev() {
                let c = if c.is_whitespace() { ' ' } else { c };
                if c == ' ' && left.last() == Some(&' ') {
                    continue;
                }
                if left.len() == KWIC_CONTEXT {
                    break;
                }
                left.push(c);
            }
            let mut right = String::new();
            let (mut n, mut last_space) = (0, false);
            for c in body[at..].chars() {
                let space = c.is_whitespace();
                if space && last_space {
                    continue;
                }
                if n == KWIC_CONTEXT {
                    break;
                }
                right.push(if space { ' ' } else { c });
                last_space = space;
                n += 1;
            }
            (left.into_iter().rev().collect(), right)
        };
        let mixed = "Æ\u{a0}\u{a0}ø å\r\n\r\n😀 – \u{2003}x\u{3000}y\u{85}z\u{1680}w  ".repeat(9);
        // One-spaced text, with chars of every width, and a text with a few runs far apart.
        let plain = "Tillit og skjønn i 😀 kommunene – «økt handlingsrom» gir ".repeat(9);
        let sparse = format!("{plain}\r\n{plain}  {plain}");
        for text in [&mixed, &plain, &sparse] {
            for (at, _) in text.char_indices() {
                let k = kwic(text, at, at);
                assert_eq!(
                    (k.left, k.right),
                    reference(text, at),
                    "at {at} of {text:?}"
                );
            }
        }

        for s in [
            "a b",
            "a  b",
            "a\u{a0}b",
            "a\u{2003}b",
            "a\u{3000}b",
            "a – «b» … c’",
            "a\u{85}b",
        ] {
            let expected: String = {
                let mut out = String::new();
                for c in s.chars() {
                    if !c.is_whitespace() {
                        out.push(c);
                    } else if !out.ends_with(' ') {
                        out.push(' ');
                    }
                }
                out
            };
            assert_eq!(one_spaced(s), expected, "{s:?}");
        }
    }
}
