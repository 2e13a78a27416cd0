//! Running a query: the top paragraphs by score, each hit mapped to its exact code point span in
//! the source, and the number of matching paragraphs per actor. A hit's KWIC line is built when
//! it is asked for ([`Hit::kwic`]): the workbench shows a screenful of a search's hits, and
//! building a line for every hit was a quarter of a search.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::actor_counts::NO_ACTOR;
use super::catalog::Catalog;
use super::compile::Compiler;
use super::evaluate::{Evaluated, evaluate};
use super::kwic::{Kwic, kwic};
use super::lifecycle::{SearchIndex, ix};
use super::paragraphs::Paragraph;
use super::plan::Plan;
use super::query::{self, Matcher};
use super::spans::SpanFinder;
use super::texts::SourceText;
use crate::error::{Error, Result};
use crate::model::{ActorId, CharSpan, PersonId, SourceId, SourceKind};
use crate::project::Project;

/// One match: a word, a phrase or a NEAR pair, as a span of its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub source_id: SourceId,
    pub source_title: Arc<str>,
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
    pub person_name: Option<Arc<str>>,
    pub actor_id: Option<ActorId>,
    pub actor_name: Option<Arc<str>>,
    /// The paragraph's text, kept for the KWIC line; not in a hit read back from JSON.
    #[serde(skip)]
    context: HitContext,
}

/// A hit's paragraph: its source's text and byte ranges in it.
#[derive(Clone, Default)]
struct HitContext(Option<HitParagraph>);

#[derive(Clone)]
struct HitParagraph {
    text: Arc<SourceText>,
    bytes: Range<usize>,
    hit: Range<usize>,
}

impl Hit {
    /// The hit's keyword-in-context line: at most [`super::KWIC_CONTEXT`] characters of its
    /// paragraph on each side, white space collapsed. A hit read back from JSON has no
    /// paragraph: its line is the hit alone.
    pub fn kwic(&self) -> Kwic {
        let within = self.context.0.as_ref().and_then(|c| {
            let body = c.text.text.get(c.bytes.clone())?;
            let start = c.hit.start.checked_sub(c.bytes.start)?;
            let end = c.hit.end.checked_sub(c.bytes.start)?;
            body.get(start..end)?;
            Some(kwic(body, start, end))
        });
        within.unwrap_or_else(|| Kwic {
            left: String::new(),
            hit: crate::text::one_line(&self.text),
            right: String::new(),
        })
    }
}

// The context is where a hit's line comes from, not what the hit is: a hit read back from JSON
// is the same hit.
impl PartialEq for HitContext {
    fn eq(&self, _: &HitContext) -> bool {
        true
    }
}

impl std::fmt::Debug for HitContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(p) => write!(f, "paragraph bytes {:?}, hit bytes {:?}", p.bytes, p.hit),
            None => write!(f, "none"),
        }
    }
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
    /// Best paragraphs first; within a paragraph in text order. Written out (JSON) each with
    /// its KWIC line.
    #[serde(serialize_with = "hits_with_kwic")]
    pub hits: Vec<Hit>,
    /// All paragraphs that match.
    pub paragraphs: usize,
    /// Matching paragraphs per actor, most first.
    pub actor_counts: Vec<ActorCount>,
    /// True when there were more hits than the limit.
    pub truncated: bool,
}

fn hits_with_kwic<S: serde::Serializer>(hits: &[Hit], out: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct WithKwic<'a> {
        #[serde(flatten)]
        hit: &'a Hit,
        kwic: Kwic,
    }
    out.collect_seq(hits.iter().map(|hit| WithKwic {
        hit,
        kwic: hit.kwic(),
    }))
}

/// Where a search's time went.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SearchTimings {
    /// Parsing, and compiling to a plan (compound words looked up).
    pub compile: Duration,
    /// Finding the matching paragraphs: the best by score, and counts over all matches.
    pub matching: Duration,
    /// Mapping the top paragraphs' hits to spans, with names (not KWIC lines: see [`Hit::kwic`]).
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
        let (plan, matchers) = match self.compile(query, &node, catalog) {
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
        let Evaluated { top, tally } =
            evaluate(&plan, &searcher, limit, &self.caches).map_err(ix)?;

        let matched = Instant::now();
        let mut hits = Vec::with_capacity(limit.min(2 * top.len()));
        let mut truncated = tally.total > top.len();
        let mut span_finder = SpanFinder::new(&matchers);
        let mut texts = self.texts.lock_for_search();
        'docs: for (score, paragraph) in top {
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
            let Some(text) = texts.get(project, source_id)? else {
                continue;
            };
            let Some(body) = text.text.get(bytes.clone()) else {
                continue;
            };
            let lowered = text.lowered.as_deref().and_then(|l| l.get(bytes.clone()));
            // The index has the actor; a person's (a list search) only when it does not.
            let actor_id = actor_id.or_else(|| {
                person_id
                    .and_then(|p| catalog.person(p))
                    .map(|p| p.actor_id)
            });
            let (title, kind) = match catalog.sources.get(&source_id) {
                Some(known) => known.clone(),
                None => project
                    .source(source_id)
                    .map(|s| (s.title.into(), s.kind))
                    .unwrap_or_else(|_| ("".into(), SourceKind::Interview)),
            };
            let person_name = person_id.and_then(|p| catalog.person_name(p));
            let actor_name = actor_id.and_then(|a| catalog.actor_name(a));
            let whole;
            let spans = if matchers.is_empty() {
                whole = [(0, body.len(), 0, body.chars().count())];
                &whole[..]
            } else {
                span_finder.find(body, lowered, lang, &self.stemmers)
            };
            for &(byte_start, byte_end, char_start, char_end) in spans {
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
                    person_name: person_name.clone(),
                    actor_id,
                    actor_name: actor_name.clone(),
                    context: HitContext(Some(HitParagraph {
                        text: text.clone(),
                        bytes: bytes.clone(),
                        hit: bytes.start + byte_start..bytes.start + byte_end,
                    })),
                });
            }
        }

        let timings = SearchTimings {
            compile: compiled - started,
            matching: matched - compiled,
            hits: matched.elapsed(),
        };
        let mut actor_counts: Vec<ActorCount> = tally
            .counts
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
            paragraphs: tally.total,
            actor_counts,
            truncated,
        };
        Ok((results, timings))
    }
}

impl SearchIndex {
    pub(super) fn compile(
        &self,
        query: &str,
        node: &query::Node,
        catalog: &Catalog,
    ) -> Result<(Plan, Vec<Matcher>)> {
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
