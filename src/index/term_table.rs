//! A segment's terms of the fields queries look words up in (the exact words and both stem
//! fields), in memory and hashed. tantivy's term dictionary is an FST, and walking it costs
//! many instructions and a cache miss at most of its nodes; here a lookup is one hash of the
//! word and a probe.
//!
//! Kept per segment (see `segment_cache`), read at the segment's first search: per term the
//! word, its end, where its postings (and positions) are, and its slot in the table
//! (docs/PERFORMANCE.md has the memory this takes).

use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use tantivy::postings::TermInfo;
use tantivy::schema::Field;
use tantivy::{InvertedIndexReader, SegmentReader, Term};

use super::vocabulary::Postings;

/// The terms of some fields of one segment.
pub struct SegmentTerms {
    fields: Vec<(Field, FieldTerms)>,
}

impl SegmentTerms {
    /// Reads the terms of `fields` in `segment`.
    pub fn read(segment: &SegmentReader, fields: &[Field]) -> tantivy::Result<SegmentTerms> {
        let fields = fields
            .iter()
            .map(|&field| {
                let positions = (segment.schema().get_field_entry(field).field_type())
                    .get_index_record_option()
                    .is_some_and(|o| o.has_positions());
                let inverted = segment.inverted_index(field)?;
                Ok((field, FieldTerms::read(inverted, positions)?))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(SegmentTerms { fields })
    }

    /// The field's index in the segment, when its terms are kept here.
    pub fn inverted(&self, field: Field) -> Option<&Arc<InvertedIndexReader>> {
        self.of(field).map(|terms| &terms.inverted)
    }

    /// Where `term`'s postings are, or `None` when the segment lacks it; `Err` when its field's
    /// terms are not kept here (the caller then asks tantivy).
    pub fn get(&self, term: &Term) -> Result<Option<TermInfo>, NotKept> {
        Ok(self.of(term.field()).ok_or(NotKept)?.get(term))
    }

    fn of(&self, field: Field) -> Option<&FieldTerms> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, t)| t)
    }
}

/// A field whose terms a [`SegmentTerms`] does not keep.
#[derive(Debug)]
pub struct NotKept;

/// One field's terms: each word's bytes in `blob`, ending at `ends[ordinal]`, where its
/// postings (and positions, when the field has them) are, and a table of ordinals hashed by
/// word.
struct FieldTerms {
    inverted: Arc<InvertedIndexReader>,
    blob: Vec<u8>,
    ends: Vec<u32>,
    postings: Vec<Postings>,
    /// (start, length) of each term's positions; empty when the field keeps none.
    positions: Vec<(u64, u32)>,
    table: HashTable<u32>,
}

fn hash(word: &[u8]) -> u64 {
    let mut hasher = FxBuildHasher.build_hasher();
    hasher.write(word);
    hasher.finish()
}

impl FieldTerms {
    fn read(
        inverted: Arc<InvertedIndexReader>,
        with_positions: bool,
    ) -> std::io::Result<FieldTerms> {
        let dictionary = inverted.terms();
        let count = dictionary.num_terms();
        let mut blob = Vec::new();
        let mut ends = Vec::with_capacity(count);
        let mut postings = Vec::with_capacity(count);
        let mut positions = Vec::with_capacity(if with_positions { count } else { 0 });
        let mut table = HashTable::with_capacity(count);
        let mut stream = dictionary.stream()?;
        // A segment's terms come distinct, in order.
        while stream.advance() {
            let ordinal = ends.len() as u32;
            blob.extend_from_slice(stream.key());
            ends.push(blob.len() as u32);
            let info = stream.value();
            postings.push(Postings::of(info));
            if with_positions {
                let range = &info.positions_range;
                positions.push((range.start as u64, range.len() as u32));
            }
            table.insert_unique(hash(stream.key()), ordinal, |&o| {
                hash(word_at(&blob, &ends, o))
            });
        }
        Ok(FieldTerms {
            inverted,
            blob,
            ends,
            postings,
            positions,
            table,
        })
    }

    fn get(&self, term: &Term) -> Option<TermInfo> {
        let word = term.serialized_value_bytes();
        let &ordinal = self
            .table
            .find(hash(word), |&o| word_at(&self.blob, &self.ends, o) == word)?;
        let i = ordinal as usize;
        let (at, positions) = self.positions.get(i).copied().unwrap_or((0, 0));
        Some(TermInfo {
            positions_range: at as usize..(at + u64::from(positions)) as usize,
            ..self.postings[i].info()
        })
    }
}

fn word_at<'b>(blob: &'b [u8], ends: &[u32], ordinal: u32) -> &'b [u8] {
    let i = ordinal as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &blob[start..ends[i] as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::doc;
    use tantivy::schema::{STRING, Schema, TEXT};

    /// Every term is found where tantivy's dictionary has it, and no other word is.
    #[test]
    fn finds_what_the_term_dictionary_finds() {
        let mut schema = Schema::builder();
        let word = schema.add_text_field("word", STRING);
        let other = schema.add_text_field("other", STRING);
        let positioned = schema.add_text_field("positioned", TEXT);
        let index = tantivy::Index::create_in_ram(schema.build());
        // One thread: one segment.
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let words = [
            "gå",
            "ga",
            "skjønn",
            "skjønnsutøvelse",
            "tillit",
            "🙂",
            "a\r\nb",
            "",
        ];
        for (i, w) in words.iter().enumerate() {
            for _ in 0..=i {
                let text = format!("{w} {w} tillit {i}");
                writer
                    .add_document(doc!(word => *w, positioned => text))
                    .expect("add");
            }
        }
        writer.add_document(doc!(other => "tillit")).expect("add");
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let segment = &searcher.segment_readers()[0];
        let terms = SegmentTerms::read(segment, &[word, positioned]).expect("terms");
        for field in [word, positioned] {
            let inverted = segment.inverted_index(field).expect("inverted");
            for w in words.iter().chain(&["skjønnsutøvelsen", "gaa", "g", "3"]) {
                let term = Term::from_field_text(field, w);
                let expected = inverted.get_term_info(&term).expect("lookup");
                assert_eq!(terms.get(&term).expect("kept"), expected, "{w:?}");
            }
        }
        // Positions are kept where the field has them.
        let tillit = Term::from_field_text(positioned, "tillit");
        assert!(
            !terms
                .get(&tillit)
                .unwrap()
                .unwrap()
                .positions_range
                .is_empty()
        );
        assert_eq!(
            terms
                .get(&Term::from_field_text(word, "tillit"))
                .expect("kept")
                .map(|i| i.doc_freq),
            Some(5)
        );
        assert!(terms.get(&Term::from_field_text(other, "tillit")).is_err());
        assert!(terms.inverted(word).is_some() && terms.inverted(other).is_none());
    }
}
