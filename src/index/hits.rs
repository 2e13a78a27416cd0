//! Running a query: the top paragraphs by score, each hit mapped to its exact code point span in
//! the source, and the number of matching paragraphs per actor. A hit's KWIC line is built when
//! it is asked for ([`SearchResults::kwic`]): the workbench shows a screenful of a search's
//! hits, and building a line for every hit would cost more than the rest of the search.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::query::Query;

use super::catalog::Catalog;
use super::collect::MatchCollector;
use super::compile::Compiler;
use super::kwic::{Kwic, kwic};
use super::lifecycle::SearchIndex;
use super::paragraphs::{NO_ACTOR, Paragraph};
use super::query::{self, Matcher};
use super::spans::SpanFinder;
use crate::error::{Error, Result};
use crate::model::{ActorId, CharSpan, PersonId, SourceId, SourceKind};
use crate::project::Project;
use crate::text::LocatedSpan;

/// One match: a word, a phrase or a NEAR pair, as a span of its source. A hit is plain data:
/// its words, KWIC line, source title and names are asked of the [`SearchResults`] it came in
/// ([`SearchResults::text`], [`SearchResults::kwic`], ...), which keep the text of each
/// paragraph with hits and the project's names once for all their hits, so that making and
/// dropping a hit counts no shared pointers and copies no string.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub source_id: SourceId,
    pub kind: SourceKind,
    /// The hit in code points of the source's text.
    pub span: CharSpan,
    /// Start (code points) of the paragraph or passage the hit is in.
    pub paragraph_start: usize,
    /// The paragraph's relevance (BM25; matches only inside compounds score lower).
    pub score: f32,
    pub person_id: Option<PersonId>,
    pub actor_id: Option<ActorId>,
    /// Where the hit is in its results' texts; not in JSON (a hit read back has none).
    #[serde(skip)]
    at: TextAt,
}

/// A hit's paragraph among its results' paragraphs, and its own bytes in that paragraph.
/// (Bytes within a paragraph fit in `u32`: SQLite keeps no text over 1 GB.)
#[derive(Debug, Clone, Copy, Default)]
struct TextAt {
    /// Index in [`SearchResults`]' paragraphs, plus one (zero: none).
    paragraph: u32,
    hit: (u32, u32),
}

// Where a hit's text is kept is not what the hit is: a hit read back from JSON is the same hit.
impl PartialEq for TextAt {
    fn eq(&self, _: &TextAt) -> bool {
        true
    }
}

/// A paragraph some hits are in: its source, and where its text is in the results' `texts`.
/// The paragraphs are copied out of their sources rather than each source's text shared with
/// the results: a copy costs about what two atomic counts do, and results do not keep whole
/// sources alive.
#[derive(Clone)]
struct HitParagraph {
    source: SourceId,
    text: Range<usize>,
}

/// Paragraphs matching the query per actor (all matches, not only the returned hits).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorCount {
    /// `None` for text attributed to no actor (literature, unattributed sources).
    pub actor_id: Option<ActorId>,
    pub name: String,
    pub paragraphs: usize,
}

/// What a search found. Written out (JSON) with each hit's words, names and KWIC line.
#[derive(Clone)]
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
    /// The text of every paragraph with hits, one after the other.
    texts: String,
    hit_paragraphs: Vec<HitParagraph>,
    /// The project's names as the search saw them.
    catalog: Arc<Catalog>,
}

impl SearchResults {
    /// The text of `hit`'s paragraph, and the hit's bytes in it, when `hit` is one of these
    /// results'.
    fn located(&self, hit: &Hit) -> Option<(&str, Range<usize>)> {
        let at = hit.at;
        let p = self
            .hit_paragraphs
            .get((at.paragraph as usize).checked_sub(1)?)?;
        if p.source != hit.source_id {
            return None;
        }
        let paragraph = self.texts.get(p.text.clone())?;
        let within = at.hit.0 as usize..at.hit.1 as usize;
        paragraph.get(within.clone())?;
        Some((paragraph, within))
    }

    /// The source's text at `hit.span`, exactly; empty for a hit not of these results.
    pub fn text(&self, hit: &Hit) -> &str {
        self.located(hit)
            .map_or("", |(paragraph, within)| &paragraph[within])
    }

    /// The hit's keyword-in-context line: at most [`super::KWIC_CONTEXT`] characters of its
    /// paragraph on each side, white space collapsed. Built when asked: the workbench shows a
    /// screenful of a search's hits. Empty for a hit not of these results.
    pub fn kwic(&self, hit: &Hit) -> Kwic {
        (self.located(hit)).map_or_else(Kwic::default, |(p, within)| {
            kwic(p, within.start, within.end)
        })
    }

    /// The title of the hit's source, as the search saw it (empty for a source it did not
    /// know).
    pub fn source_title(&self, hit: &Hit) -> &str {
        self.catalog.titles.get(&hit.source_id).map_or("", |t| t)
    }

    pub fn actor_name(&self, hit: &Hit) -> Option<&str> {
        self.catalog.actor_name(hit.actor_id?)
    }

    pub fn person_name(&self, hit: &Hit) -> Option<&str> {
        self.catalog.person_name(hit.person_id?)
    }
}

impl std::fmt::Debug for SearchResults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchResults")
            .field("query", &self.query)
            .field("hits", &self.hits)
            .field("paragraphs", &self.paragraphs)
            .field("actor_counts", &self.actor_counts)
            .field("truncated", &self.truncated)
            .finish_non_exhaustive()
    }
}

/// The results as written out: each hit with its words, source title, names and KWIC line.
impl Serialize for SearchResults {
    fn serialize<S: serde::Serializer>(&self, out: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Written<'a> {
            query: &'a str,
            hits: Records<'a>,
            paragraphs: usize,
            actor_counts: &'a [ActorCount],
            truncated: bool,
        }
        struct Records<'a>(&'a SearchResults);
        #[derive(Serialize)]
        struct Record<'a> {
            #[serde(flatten)]
            hit: &'a Hit,
            source_title: &'a str,
            text: &'a str,
            person_name: Option<&'a str>,
            actor_name: Option<&'a str>,
            kwic: Kwic,
        }
        impl Serialize for Records<'_> {
            fn serialize<S: serde::Serializer>(
                &self,
                out: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                let results = self.0;
                out.collect_seq(results.hits.iter().map(|hit| Record {
                    hit,
                    source_title: results.source_title(hit),
                    text: results.text(hit),
                    person_name: results.person_name(hit),
                    actor_name: results.actor_name(hit),
                    kwic: results.kwic(hit),
                }))
            }
        }
        Written {
            query: &self.query,
            hits: Records(self),
            paragraphs: self.paragraphs,
            actor_counts: &self.actor_counts,
            truncated: self.truncated,
        }
        .serialize(out)
    }
}

/// Where a search's time went.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SearchTimings {
    /// Parsing, and compiling to a plan (compound words looked up).
    pub compile: Duration,
    /// Finding the matching paragraphs: the best by score, and counts over all matches.
    pub matching: Duration,
    /// Mapping the top paragraphs' hits to spans (not their words, names or KWIC lines: see
    /// [`SearchResults::kwic`]).
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
        let mut catalog = self.catalog.clone();
        let (compiled_query, matchers) = match self.compile(project, query, &node, &catalog) {
            Err(Error::UnknownName { .. }) if project.revision()? != catalog.revision => {
                catalog = Arc::new(Catalog::load(project)?);
                self.compile(project, query, &node, &catalog)?
            }
            other => other?,
        };
        let compiled = Instant::now();
        let searcher = self.reader.searcher();
        let limit = limit.max(1);
        // Reading segments is where a damaged file shows itself, as an error or a panic.
        let collector = MatchCollector {
            limit,
            paragraphs: &self.paragraphs,
        };
        let evaluated =
            crate::quiet_panic::catch_quietly(|| searcher.search(&*compiled_query, &collector))
                .map_err(|panic| panic.to_string())
                .and_then(|read| read.map_err(|e| e.to_string()))
                .map_err(|why| {
                    self.mark_damaged();
                    Error::DamagedIndex(why)
                })?;
        let top = &evaluated.top;

        let matched = Instant::now();
        let mut hits = Vec::with_capacity(limit.min(2 * top.len()));
        let mut truncated = evaluated.total > top.len();
        let mut span_finder = SpanFinder::new(&matchers);
        let mut texts = self.texts.lock_for_search();
        let mut hit_paragraphs: Vec<HitParagraph> = Vec::with_capacity(top.len());
        let paragraphs = || {
            (top.iter()).filter_map(|&(score, segment, doc)| {
                Some((score, evaluated.paragraph(segment, doc)?))
            })
        };
        let mut copied = String::with_capacity(paragraphs().map(|(_, p)| p.bytes.len()).sum());
        'docs: for (score, paragraph) in paragraphs() {
            let &Paragraph {
                source_id,
                kind,
                span: paragraph_span,
                ref bytes,
                lang,
                person_id,
                actor_id,
            } = paragraph;
            // A source the project no longer has: the index has not caught up with a change
            // yet; the next commit will.
            let Some(text) = texts.get(project, source_id)? else {
                continue;
            };
            // A range the source's text does not have: the index is behind a change.
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
            let whole;
            let spans = if matchers.is_empty() {
                whole = [LocatedSpan::whole(body)];
                &whole[..]
            } else {
                span_finder.find(body, lowered, lang, &self.stemmers)
            };
            let start = paragraph_span.start;
            let mut paragraph = 0;
            for located in spans {
                if hits.len() == limit {
                    truncated = true;
                    break 'docs;
                }
                if paragraph == 0 {
                    let at = copied.len();
                    copied.push_str(body);
                    hit_paragraphs.push(HitParagraph {
                        source: source_id,
                        text: at..copied.len(),
                    });
                    paragraph = hit_paragraphs.len() as u32;
                }
                hits.push(Hit {
                    source_id,
                    kind,
                    span: CharSpan::new(start + located.chars.start, start + located.chars.end),
                    paragraph_start: start,
                    score,
                    person_id,
                    actor_id,
                    at: TextAt {
                        paragraph,
                        hit: (located.byte_start as u32, located.byte_end as u32),
                    },
                });
            }
        }

        let timings = SearchTimings {
            compile: compiled - started,
            matching: matched - compiled,
            hits: matched.elapsed(),
        };
        let mut actor_counts: Vec<ActorCount> = (evaluated.per_actor.into_iter())
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
            paragraphs: evaluated.total,
            actor_counts,
            truncated,
            texts: copied,
            hit_paragraphs,
            catalog,
        };
        Ok((results, timings))
    }
}

impl SearchIndex {
    pub(super) fn compile(
        &self,
        project: &Project,
        query: &str,
        node: &query::Node,
        catalog: &Catalog,
    ) -> Result<(Box<dyn Query>, Vec<Matcher>)> {
        let mut compiler = Compiler {
            query,
            fields: &self.fields,
            stemmers: &self.stemmers,
            vocabulary: &self.vocabulary,
            catalog,
            project,
            coding_filters: &self.coding_filters,
            paragraphs: &self.paragraphs,
            matchers: Vec::new(),
        };
        let q = compiler.compile(node)?;
        Ok((q, compiler.matchers))
    }
}
