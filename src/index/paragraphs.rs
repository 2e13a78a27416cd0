//! What a search needs of each paragraph (source, kind, range, language, person, actors), read
//! from a segment's columns once and kept while the segment lives (see `segment_cache`).

use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;
use tantivy::SegmentReader;
use tantivy::columnar::Column;

use super::language::Lang;
use super::schema::{
    ACTOR_FIELD, BYTE_END_FIELD, BYTE_START_FIELD, END_FIELD, KIND_FIELD, LANG_FIELD, PERSON_FIELD,
    SOURCE_FIELD, START_FIELD, kind_of_code,
};
use crate::model::{ActorId, CharSpan, PersonId, SourceId, SourceKind};

/// The actor counted for paragraphs attributed to no actor.
pub const NO_ACTOR: u64 = u64::MAX;

/// What a hit needs of its paragraph, read from the index's columns.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub source_id: SourceId,
    pub kind: SourceKind,
    /// In code points of the source.
    pub span: CharSpan,
    /// The paragraph's bytes in the source's text.
    pub bytes: Range<usize>,
    pub lang: Lang,
    pub person_id: Option<PersonId>,
    pub actor_id: Option<ActorId>,
}

/// One segment's paragraph facts by document.
pub struct SegmentParagraphs {
    pub paragraphs: Vec<Paragraph>,
    /// By document, its place in the sources ([`source_order_key`]): what ranks paragraphs of
    /// equal score.
    pub order_keys: Vec<u64>,
    /// By document, which of `actor_sets` it is attributed to.
    pub actor_set: Vec<u16>,
    /// The segment's distinct sets of actors ([`NO_ACTOR`] alone for none): a search counts
    /// matches per set, then per actor.
    pub actor_sets: Vec<Vec<u64>>,
    /// Each source's documents, for filters on codings (a few sources among many).
    pub docs_of_source: HashMap<SourceId, Vec<u32>>,
}

impl SegmentParagraphs {
    pub fn read(segment: &SegmentReader) -> tantivy::Result<SegmentParagraphs> {
        let columns = segment.fast_fields();
        let column = |name: &str| columns.u64(name);
        let (source, kind, start, end) = (
            column(SOURCE_FIELD)?,
            column(KIND_FIELD)?,
            column(START_FIELD)?,
            column(END_FIELD)?,
        );
        let (byte_start, byte_end, lang, person, actor) = (
            column(BYTE_START_FIELD)?,
            column(BYTE_END_FIELD)?,
            column(LANG_FIELD)?,
            column(PERSON_FIELD)?,
            column(ACTOR_FIELD)?,
        );
        let max_doc = segment.max_doc();
        let mut facts = SegmentParagraphs {
            paragraphs: Vec::with_capacity(max_doc as usize),
            order_keys: Vec::with_capacity(max_doc as usize),
            actor_set: Vec::with_capacity(max_doc as usize),
            actor_sets: Vec::new(),
            docs_of_source: HashMap::default(),
        };
        let mut set_number: HashMap<Vec<u64>, u16> = HashMap::default();
        for doc in 0..max_doc {
            let value = |column: &Column<u64>| column.first(doc).unwrap_or(0);
            let mut actors: Vec<u64> = actor.values_for_doc(doc).collect();
            let p = Paragraph {
                source_id: SourceId(value(&source) as i64),
                kind: kind_of_code(value(&kind)),
                span: CharSpan::new(value(&start) as usize, value(&end) as usize),
                bytes: value(&byte_start) as usize..value(&byte_end) as usize,
                lang: Lang::from_u64(value(&lang)),
                person_id: person.first(doc).map(|p| PersonId(p as i64)),
                actor_id: actors.first().map(|&a| ActorId(a as i64)),
            };
            if actors.is_empty() {
                actors.push(NO_ACTOR);
            }
            let sets = &mut facts.actor_sets;
            let set = *set_number.entry(actors.clone()).or_insert_with(|| {
                sets.push(actors);
                (sets.len() - 1) as u16
            });
            facts.actor_set.push(set);
            facts.order_keys.push(source_order_key(&p));
            facts
                .docs_of_source
                .entry(p.source_id)
                .or_default()
                .push(doc);
            facts.paragraphs.push(p);
        }
        Ok(facts)
    }
}

/// A paragraph's place in the sources as one number, lower earlier: its source, then its start.
/// Exact for sources numbered below 2³² and starts below 2³² code points (SQLite's texts are
/// at most 2³¹ bytes); beyond, paragraphs tie.
fn source_order_key(p: &Paragraph) -> u64 {
    const LOW_32: u64 = u32::MAX as u64;
    ((p.source_id.0.max(0) as u64).min(LOW_32) << 32) | (p.span.start as u64).min(LOW_32)
}
