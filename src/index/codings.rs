//! Filters on codings (`theme:`, `coder:`, `uncoded`), resolved from the store when a query runs
//! rather than indexed: codings change with every click, and an index field would have each
//! coding re-index its whole source. The paragraphs a filter names are found from the codings'
//! spans and each segment's paragraph facts, as a tantivy [`Query`] of its own.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{BitSet, DocId, Score, SegmentReader, TantivyError};

use super::paragraphs::SegmentParagraphs;
use super::query::Filter;
use super::segment_cache::PerSegment;
use crate::error::Result;
use crate::model::{CharSpan, Coding, SourceId};
use crate::project::Project;

/// What a filter's spans are kept by: the filter and the revision of the catalog its names were
/// resolved with (the same names may name other themes or coders in a later catalog).
pub type FilterKey = (i64, Filter);

/// Coded spans by source.
type SpansBySource = HashMap<SourceId, Vec<CharSpan>>;

/// The project's codings as of one store revision, and the spans each filter asked for so far.
#[derive(Default)]
pub struct CodingFilters {
    kept: Mutex<Option<Kept>>,
}

struct Kept {
    revision: i64,
    codings: Vec<Coding>,
    spans: HashMap<FilterKey, Arc<SpansBySource>>,
}

impl CodingFilters {
    /// The query for the paragraphs that the codings `keep` accepts overlap (or, when `negated`,
    /// that none does), as the store has them now. Every paragraph matches with score 0. The
    /// spans are found once per store revision and `key`, which must name what `keep` accepts.
    pub fn query(
        &self,
        project: &Project,
        key: FilterKey,
        keep: impl Fn(&Coding) -> bool,
        negated: bool,
        paragraphs: &Arc<PerSegment<SegmentParagraphs>>,
    ) -> Result<Box<dyn Query>> {
        let revision = project.revision()?;
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.as_ref().is_none_or(|k| k.revision != revision) {
            *kept = Some(Kept {
                revision,
                codings: project.all_codings()?,
                spans: HashMap::default(),
            });
        }
        let kept = kept.as_mut().expect("just loaded");
        let codings = &kept.codings;
        let spans = kept.spans.entry(key).or_insert_with(|| {
            let mut spans = SpansBySource::default();
            for c in codings.iter().filter(|c| keep(c)) {
                spans.entry(c.source_id).or_default().push(c.span);
            }
            Arc::new(spans)
        });
        Ok(Box::new(CodedQuery {
            spans: spans.clone(),
            negated,
            paragraphs: paragraphs.clone(),
        }))
    }
}

/// The paragraphs that any of `spans` overlaps, or, when `negated`, those none does.
#[derive(Clone)]
struct CodedQuery {
    spans: Arc<SpansBySource>,
    negated: bool,
    paragraphs: Arc<PerSegment<SegmentParagraphs>>,
}

impl std::fmt::Debug for CodedQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodedQuery")
            .field("sources", &self.spans.len())
            .field("negated", &self.negated)
            .finish()
    }
}

impl Query for CodedQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl CodedQuery {
    /// The segment's documents the query matches.
    fn docs(&self, reader: &SegmentReader) -> tantivy::Result<BitSet> {
        let facts = self
            .paragraphs
            .get_or_read(reader, SegmentParagraphs::read)?;
        let max_doc = reader.max_doc();
        let mut docs = match self.negated {
            true => BitSet::with_max_value_and_full(max_doc),
            false => BitSet::with_max_value(max_doc),
        };
        for (source, spans) in self.spans.iter() {
            for &doc in facts.docs_of_source.get(source).map_or(&[][..], |d| d) {
                let paragraph = facts.paragraphs[doc as usize].span;
                if spans.iter().any(|s| s.overlaps(&paragraph)) {
                    if self.negated {
                        docs.remove(doc);
                    } else {
                        docs.insert(doc);
                    }
                }
            }
        }
        Ok(docs)
    }
}

impl Weight for CodedQuery {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = BitSetDocSet::from(self.docs(reader)?);
        Ok(Box::new(ConstScorer::new(docs, 0.0)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if !self.docs(reader)?.contains(doc) {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} is not one the coding filter matches"
            )));
        }
        Ok(Explanation::new("coding filter", 0.0))
    }
}
