//! What a hit needs of its paragraph (source, kind, range, language, person, actor), read from
//! each segment's columns once and kept while the segment lives.

use std::ops::Range;

use tantivy::SegmentReader;
use tantivy::columnar::Column;

use super::language::Lang;
use super::schema::{
    ACTOR_FIELD, BYTE_END_FIELD, BYTE_START_FIELD, KIND_FIELD, LANG_FIELD, PERSON_FIELD,
    SOURCE_FIELD, START_FIELD, kind_of_code,
};
use crate::model::{ActorId, PersonId, SourceId, SourceKind};

/// What a hit needs of its paragraph, read from the index's columns.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub source_id: SourceId,
    pub kind: SourceKind,
    /// In code points of the source.
    pub start: usize,
    /// The paragraph's bytes in the source's text.
    pub bytes: Range<usize>,
    pub lang: Lang,
    pub person_id: Option<PersonId>,
    pub actor_id: Option<ActorId>,
}

/// One segment's paragraph facts by document, read from its columns once rather than eight
/// columns per hit.
pub struct SegmentParagraphs {
    pub paragraphs: Vec<Paragraph>,
    /// Where each document is in the sources: what ranks equally scored paragraphs, kept apart
    /// from the paragraphs so that ranking reads a few bytes a candidate, not a whole
    /// `Paragraph`.
    pub order: SourceOrder,
    /// The segment's documents cut where they stop following the sources' order: within each
    /// run, of equally scored documents the first are the best. A rebuild adds each actor's
    /// sources in order, so a segment it writes has a run per actor; sources re-indexed later
    /// come at the end.
    pub source_order_runs: Vec<Range<u32>>,
}

impl SegmentParagraphs {
    pub fn read(segment: &SegmentReader) -> tantivy::Result<SegmentParagraphs> {
        let columns = segment.fast_fields();
        let [
            source,
            kind,
            start,
            byte_start,
            byte_end,
            lang,
            person,
            actor,
        ] = [
            SOURCE_FIELD,
            KIND_FIELD,
            START_FIELD,
            BYTE_START_FIELD,
            BYTE_END_FIELD,
            LANG_FIELD,
            PERSON_FIELD,
            ACTOR_FIELD,
        ]
        .map(|field| columns.u64(field));
        let (source, kind, start, byte_start, byte_end, lang, person, actor) = (
            source?,
            kind?,
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
                    kind: kind_of_code(value(&kind).unwrap_or(0)),
                    start: value(&start).unwrap_or(0) as usize,
                    bytes: value(&byte_start).unwrap_or(0) as usize
                        ..value(&byte_end).unwrap_or(0) as usize,
                    lang: Lang::from_u64(value(&lang).unwrap_or(0)),
                    person_id: value(&person).map(|p| PersonId(p as i64)),
                    actor_id: value(&actor).map(|a| ActorId(a as i64)),
                }
            })
            .collect::<Vec<_>>();
        let source_order_runs = source_order_runs(&paragraphs);
        let order = SourceOrder::new(paragraphs.iter().map(source_order_key).collect());
        Ok(SegmentParagraphs {
            paragraphs,
            order,
            source_order_runs,
        })
    }
}

/// A segment's documents in the sources' order, both ways: each document's key (comparable
/// across segments) and its place among the segment's documents (a `u32`, so that a score and
/// a place pack into one `u64` that ranks candidates in one comparison).
pub struct SourceOrder {
    /// By document: [`source_order_key`].
    pub keys: Vec<u64>,
    /// By document: how many of the segment's documents come before it in the sources.
    pub place: Vec<u32>,
    /// By place: the document.
    pub doc_at: Vec<u32>,
}

impl SourceOrder {
    pub fn new(keys: Vec<u64>) -> SourceOrder {
        let mut doc_at: Vec<u32> = (0..keys.len() as u32).collect();
        doc_at.sort_by_key(|&doc| (keys[doc as usize], doc));
        let mut place = vec![0; keys.len()];
        for (at, &doc) in doc_at.iter().enumerate() {
            place[doc as usize] = at as u32;
        }
        SourceOrder {
            keys,
            place,
            doc_at,
        }
    }
}

/// The ranges of documents in which paragraphs follow the sources' order.
fn source_order_runs(paragraphs: &[Paragraph]) -> Vec<Range<u32>> {
    let mut runs = Vec::new();
    let mut start = 0;
    for (i, w) in paragraphs.windows(2).enumerate() {
        if (w[0].source_id, w[0].start) >= (w[1].source_id, w[1].start) {
            runs.push(start..i as u32 + 1);
            start = i as u32 + 1;
        }
    }
    if !paragraphs.is_empty() {
        runs.push(start..paragraphs.len() as u32);
    }
    runs
}

/// A paragraph's place in the sources as one number, lower earlier: its source, then its start.
/// Exact for sources numbered below 2³² and starts below 2³² code points (SQLite's texts are
/// at most 2³¹ bytes); beyond, paragraphs tie.
pub fn source_order_key(p: &Paragraph) -> u64 {
    const LOW_32: u64 = u32::MAX as u64;
    ((p.source_id.0.max(0) as u64).min(LOW_32) << 32) | (p.start as u64).min(LOW_32)
}
