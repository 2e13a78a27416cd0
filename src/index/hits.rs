//! Running a query: the top paragraphs by score, each hit mapped to its exact code point span in
//! the source, KWIC context, and the number of matching paragraphs per actor.

use serde::{Deserialize, Serialize};
use std::ops::Range;

use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::{DocId, SegmentReader};

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

impl SearchIndex {
    /// Runs `query` (the query language of README.md, "Search") and returns at most `limit`
    /// hits, best paragraphs first, with counts over all matches. A bad query, or a filter
    /// naming an unknown actor, person or theme, is an error that says what is wrong. Sees the
    /// last commit: call [`SearchIndex::commit`] first if [`SearchIndex::has_pending`].
    pub fn search(&self, project: &Project, query: &str, limit: usize) -> Result<SearchResults> {
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

        let mut hits = Vec::new();
        let mut truncated = paragraphs > top.len();
        let mut docs = Vec::with_capacity(top.len());
        for (score, address) in top {
            let segment = searcher.segment_reader(address.segment_ord);
            let columns = self
                .paragraph_columns
                .get_or_read(segment, ParagraphColumns::open)
                .map_err(ix)?;
            docs.push((score, columns.read(address.doc_id)));
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
            let Some(body) = text.get(bytes) else {
                continue;
            };
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
                span_finder.find(body, lang, &self.stemmers)
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
        Ok(SearchResults {
            query: query.to_string(),
            hits,
            paragraphs,
            actor_counts,
            truncated,
        })
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

/// One segment's columns of paragraph facts.
pub struct ParagraphColumns {
    source: Column<u64>,
    start: Column<u64>,
    byte_start: Column<u64>,
    byte_end: Column<u64>,
    lang: Column<u64>,
    person: Column<u64>,
    actor: Column<u64>,
}

impl ParagraphColumns {
    fn open(segment: &SegmentReader) -> tantivy::Result<ParagraphColumns> {
        let columns = segment.fast_fields();
        Ok(ParagraphColumns {
            source: columns.u64(SOURCE_FIELD)?,
            start: columns.u64(START_FIELD)?,
            byte_start: columns.u64(BYTE_START_FIELD)?,
            byte_end: columns.u64(BYTE_END_FIELD)?,
            lang: columns.u64(LANG_FIELD)?,
            person: columns.u64(PERSON_FIELD)?,
            actor: columns.u64(ACTOR_FIELD)?,
        })
    }

    fn read(&self, doc: DocId) -> Paragraph {
        let value = |column: &Column<u64>| column.first(doc);
        Paragraph {
            source_id: SourceId(value(&self.source).unwrap_or(0) as i64),
            start: value(&self.start).unwrap_or(0) as usize,
            bytes: value(&self.byte_start).unwrap_or(0) as usize
                ..value(&self.byte_end).unwrap_or(0) as usize,
            lang: Lang::from_u64(value(&self.lang).unwrap_or(0)),
            person_id: value(&self.person).map(|p| PersonId(p as i64)),
            actor_id: value(&self.actor).map(|a| ActorId(a as i64)),
        }
    }
}

/// The KWIC line of a hit: at most [`KWIC_CONTEXT`] characters each side, white space collapsed
/// (only the context shown is looked at: paragraphs can be long).
fn kwic(body: &str, byte_start: usize, byte_end: usize) -> Kwic {
    let before = &body[..byte_start];
    let after = &body[byte_end..];
    Kwic {
        left: one_spaced(&before[context_start(before)..]),
        hit: one_spaced(&body[byte_start..byte_end]),
        right: one_spaced(&after[..context_end(after)]),
    }
}

/// Where the last [`KWIC_CONTEXT`] characters of `before` begin, a run of white space counted
/// as one character.
fn context_start(before: &str) -> usize {
    let (mut n, mut from, mut last_space) = (0, before.len(), false);
    for (i, c) in before.char_indices().rev() {
        let space = c.is_whitespace();
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
    let (mut n, mut last_space) = (0, false);
    for (i, c) in after.char_indices() {
        let space = c.is_whitespace();
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
    if is_one_spaced(s.as_bytes()) {
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
/// copied as it is, not char by char. Errs only towards false (some U+2000 block punctuation).
fn is_one_spaced(s: &[u8]) -> bool {
    let mut last_space = false;
    for (i, &b) in s.iter().enumerate() {
        let bad = match b {
            b' ' => last_space,
            b'\t'..=b'\r' => true,
            // U+0085 and U+00A0.
            0xC2 => matches!(s.get(i + 1), Some(0x85 | 0xA0)),
            // U+1680, U+2000–U+205F (spaces among them; '–' and '’' too, conservatively)
            // apart from the common dashes and quotes, and U+3000.
            0xE1 | 0xE3 => true,
            0xE2 => !matches!(
                s.get(i + 1..i + 3),
                Some([0x80, 0x93 | 0x94 | 0x98 | 0x99 | 0x9C | 0x9D | 0xA6])
            ),
            _ => false,
        };
        if bad {
            return false;
        }
        last_space = b == b' ';
    }
    true
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
