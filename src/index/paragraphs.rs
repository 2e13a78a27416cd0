//! What a hit needs of its paragraph (source, range, language, person, actor), read from each
//! segment's columns once and kept while the segment lives.

use std::ops::Range;

use tantivy::SegmentReader;
use tantivy::columnar::Column;

use super::analysis::Lang;
use super::schema::{
    ACTOR_FIELD, BYTE_END_FIELD, BYTE_START_FIELD, LANG_FIELD, PERSON_FIELD, SOURCE_FIELD,
    START_FIELD,
};
use crate::model::{ActorId, PersonId, SourceId};

/// What a hit needs of its paragraph, read from the index's columns.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub source_id: SourceId,
    /// In code points of the source.
    pub start: usize,
    /// The paragraph's bytes in the source's text.
    pub bytes: Range<usize>,
    pub lang: Lang,
    pub person_id: Option<PersonId>,
    pub actor_id: Option<ActorId>,
}

/// One segment's paragraph facts by document, read from its columns once: reading seven
/// columns per hit was a tenth of a search (about 70 bytes a paragraph, 1 MB per million words).
pub struct SegmentParagraphs {
    pub paragraphs: Vec<Paragraph>,
    /// Whether documents follow the sources' order (they do as a rebuild adds them; sources
    /// re-indexed later come at the end): then of equally scored documents the first are the
    /// best.
    pub in_source_order: bool,
}

impl SegmentParagraphs {
    pub fn read(segment: &SegmentReader) -> tantivy::Result<SegmentParagraphs> {
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
            .collect::<Vec<_>>();
        let in_source_order = paragraphs
            .windows(2)
            .all(|w| (w[0].source_id, w[0].start) < (w[1].source_id, w[1].start));
        Ok(SegmentParagraphs {
            paragraphs,
            in_source_order,
        })
    }
}
