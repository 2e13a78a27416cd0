//! Running a query: the top paragraphs by score, each hit mapped to its exact code point span in
//! the source, KWIC context, and the number of matching paragraphs per actor.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::ops::Range;

use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::{DocId, SegmentOrdinal, SegmentReader};

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
use super::spans::find_spans;
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
        let mut columns: HashMap<SegmentOrdinal, ParagraphColumns> = HashMap::new();
        let mut docs = Vec::with_capacity(top.len());
        for (score, address) in top {
            let segment = match columns.entry(address.segment_ord) {
                Entry::Occupied(open) => open.into_mut(),
                Entry::Vacant(slot) => slot.insert(
                    ParagraphColumns::open(searcher.segment_reader(address.segment_ord))
                        .map_err(ix)?,
                ),
            };
            docs.push((score, segment.read(address.doc_id)));
        }
        // Equal scores in source order: which segment a paragraph went to must not show.
        docs.sort_by(|(a, pa), (b, pb)| {
            b.total_cmp(a)
                .then((pa.source_id, pa.start).cmp(&(pb.source_id, pb.start)))
        });
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
struct ParagraphColumns {
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
