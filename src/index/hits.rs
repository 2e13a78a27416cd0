//! Running a query: the top paragraphs by score, each hit mapped to its exact code point span in
//! the source, KWIC context, and the number of matching paragraphs per actor.

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::schema::Value;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument};

use super::analysis::{self, Lang, MIN_COMPOUND_STEM, Stemmers};
use super::catalog::Catalog;
use super::lifecycle::{SearchIndex, ix};
use super::query::{self, Compiler, Matcher};
use super::schema::ACTOR_FIELD;
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

const NO_ACTOR: u64 = u64::MAX;

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
                &(TopDocs::with_limit(limit).order_by_score(), ActorCounter),
            )
            .map_err(ix)?;

        let f = &self.fields;
        let mut hits = Vec::new();
        let mut truncated = paragraphs > top.len();
        'docs: for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(ix)?;
            let u64_of = |field| doc.get_first(field).and_then(|v| v.as_u64());
            let body = doc
                .get_first(f.exact)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let source_id = SourceId(u64_of(f.source_id).unwrap_or(0) as i64);
            let start = u64_of(f.start).unwrap_or(0) as usize;
            let lang = Lang::from_u64(u64_of(f.lang).unwrap_or(0));
            let person_id = u64_of(f.person).map(|p| PersonId(p as i64));
            let person = person_id.and_then(|p| catalog.person(p));
            let actor_id = u64_of(f.actor)
                .map(|a| ActorId(a as i64))
                .or(person.map(|p| p.actor_id));
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
                find_spans(body, lang, &matchers, &self.stemmers)
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
            catalog,
            matchers: Vec::new(),
        };
        let q = compiler.compile(node)?;
        Ok((q, compiler.matchers))
    }
}

/// The KWIC line of a hit: at most [`KWIC_CONTEXT`] characters each side, white space collapsed
/// (only the context shown is looked at: paragraphs can be long).
fn kwic(body: &str, byte_start: usize, byte_end: usize) -> Kwic {
    let mut left: Vec<char> = Vec::with_capacity(KWIC_CONTEXT);
    for c in body[..byte_start].chars().rev() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && left.last() == Some(&' ') {
            continue;
        }
        if left.len() == KWIC_CONTEXT {
            break;
        }
        left.push(c);
    }
    let mut right = String::with_capacity(KWIC_CONTEXT + 8);
    let mut n = 0;
    let mut last_space = false;
    for c in body[byte_end..].chars() {
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
    Kwic {
        left: left.into_iter().rev().collect(),
        hit: crate::text::one_line(&body[byte_start..byte_end]),
        right,
    }
}

/// The spans (bytes and code points, relative to `body`) of every match of the query's
/// positive parts, overlapping matches merged, in text order. Applies the same analysis as
/// indexing, so a span is found exactly where tantivy found the term.
pub(super) fn find_spans(
    body: &str,
    lang: Lang,
    matchers: &[Matcher],
    stemmers: &Stemmers,
) -> Vec<(usize, usize, usize, usize)> {
    let mut words = Vec::new();
    let mut lowers = String::new();
    analysis::for_each_word(body, |w, lower| {
        let from = lowers.len();
        lowers.push_str(lower);
        words.push((*w, from..lowers.len()));
    });
    let lower = |i: usize| &lowers[words[i].1.clone()];
    let mut stem_memo: Vec<Option<String>> = vec![None; words.len()];
    let mut stem_of = |i: usize| -> String {
        stem_memo[i]
            .get_or_insert_with(|| stemmers.stem(lang, &lowers[words[i].1.clone()]))
            .clone()
    };
    let mut found: Vec<(usize, usize)> = Vec::new(); // word index ranges, inclusive
    for m in matchers {
        match m {
            Matcher::Word { word, stems } => {
                let own = &stems[lang as usize];
                let own_head = stem_head(own);
                let compound: Vec<&str> = stems
                    .iter()
                    .map(String::as_str)
                    .filter(|s| s.chars().count() >= MIN_COMPOUND_STEM)
                    .collect();
                for i in 0..words.len() {
                    let l = lower(i);
                    let mut hit = l == word
                        || compound
                            .iter()
                            .any(|c| l.len() > c.len() && l.starts_with(c));
                    if !hit && !own_head.is_empty() && l.starts_with(own_head) {
                        hit = stem_of(i) == *own;
                    }
                    if !hit
                        && l.len() > own.len()
                        && compound.contains(&own.as_str())
                        && l.contains(own.as_str())
                    {
                        let st = stem_of(i);
                        hit = st.len() > own.len() && st.ends_with(own.as_str());
                    }
                    if hit {
                        found.push((i, i));
                    }
                }
            }
            Matcher::Exact(w) => {
                found.extend((0..words.len()).filter(|&i| lower(i) == w).map(|i| (i, i)))
            }
            Matcher::Prefix(p) => found.extend(
                (0..words.len())
                    .filter(|&i| lower(i).starts_with(p.as_str()))
                    .map(|i| (i, i)),
            ),
            Matcher::Fuzzy(w, d) => found.extend(
                (0..words.len())
                    .filter(|&i| analysis::edit_distance(lower(i), w, usize::from(*d)).is_some())
                    .map(|i| (i, i)),
            ),
            Matcher::Phrase(ws) => {
                if ws.len() <= words.len() {
                    for i in 0..=words.len() - ws.len() {
                        if ws.iter().enumerate().all(|(k, w)| lower(i + k) == w) {
                            found.push((i, i + ws.len() - 1));
                        }
                    }
                }
            }
            Matcher::Near(a, b, n) => {
                let max_gap = *n as usize + 1;
                for i in (0..words.len()).filter(|&i| lower(i) == a) {
                    let lo = i.saturating_sub(max_gap);
                    let hi = (i + max_gap).min(words.len() - 1);
                    let nearest = (lo..=hi)
                        .filter(|&j| j != i && lower(j) == b)
                        .min_by_key(|&j| j.abs_diff(i));
                    if let Some(j) = nearest {
                        found.push((i.min(j), i.max(j)));
                    }
                }
            }
        }
    }
    found.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (a, b) in found {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
        .into_iter()
        .map(|(a, b)| {
            let (wa, wb) = (words[a].0, words[b].0);
            (wa.byte_start, wb.byte_end, wa.char_start, wb.char_end)
        })
        .collect()
}

/// What a word must begin with to stem to `stem`: Snowball stems keep the word's beginning
/// (English may change the stem's last letter, y → i), so all of `stem` but its last letter.
fn stem_head(stem: &str) -> &str {
    match stem.char_indices().last() {
        Some((last, _)) if last > 0 => &stem[..last],
        _ => stem,
    }
}

/// Counts all matching paragraphs, per actor, reading the actor column.
struct ActorCounter;

struct ActorSegmentCounter {
    actors: Column<u64>,
    total: usize,
    counts: Vec<(u64, usize)>,
}

impl Collector for ActorCounter {
    type Fruit = (usize, Vec<(u64, usize)>);
    type Child = ActorSegmentCounter;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<ActorSegmentCounter> {
        Ok(ActorSegmentCounter {
            actors: segment.fast_fields().u64(ACTOR_FIELD)?,
            total: 0,
            counts: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(usize, Vec<(u64, usize)>)>,
    ) -> tantivy::Result<(usize, Vec<(u64, usize)>)> {
        let mut total = 0;
        let mut counts: Vec<(u64, usize)> = Vec::new();
        for (t, c) in fruits {
            total += t;
            for (actor, n) in c {
                bump(&mut counts, actor, n);
            }
        }
        Ok((total, counts))
    }
}

fn bump(counts: &mut Vec<(u64, usize)>, actor: u64, n: usize) {
    match counts.iter_mut().find(|(a, _)| *a == actor) {
        Some((_, c)) => *c += n,
        None => counts.push((actor, n)),
    }
}

impl SegmentCollector for ActorSegmentCounter {
    type Fruit = (usize, Vec<(u64, usize)>);

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        let mut any = false;
        for actor in self.actors.values_for_doc(doc) {
            bump(&mut self.counts, actor, 1);
            any = true;
        }
        if !any {
            bump(&mut self.counts, NO_ACTOR, 1);
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.total, self.counts)
    }
}
