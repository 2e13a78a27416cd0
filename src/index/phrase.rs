//! Phrases, found by the positions of their words as tantivy's phrase query finds them, with the
//! same scores, but reading each word's postings once, in order. tantivy's phrase scorer finds
//! where a document's positions start by adding up the term frequencies before it in its block,
//! again for every document.

use super::bm25::Bm25;
use tantivy::directory::{CompositeFile, FileSlice};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentComponent;
use tantivy::positions::PositionReader;
use tantivy::postings::TermInfo;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, SegmentReader};

use super::doc_bits::DocBits;

/// A segment's positions of one field (the words' positions in each document).
pub struct SegmentPositions(Option<FileSlice>);

impl SegmentPositions {
    pub fn read(segment: &SegmentReader, field: Field) -> tantivy::Result<SegmentPositions> {
        let file = segment.open_read(SegmentComponent::Positions)?;
        Ok(SegmentPositions(
            CompositeFile::open(&file)?.open_read(field),
        ))
    }
}

/// One word of the phrase in one segment: its documents, term frequencies and positions, and
/// where the document looked at begins among them.
struct Word {
    docs: Vec<DocId>,
    freqs: Vec<u32>,
    /// Index of the document looked at.
    at: usize,
    /// Where its positions begin among the word's positions.
    offset: usize,
    /// All the word's positions, each document's as gaps from the one before: read in one go,
    /// not candidate by candidate.
    positions: Vec<u32>,
}

impl Word {
    fn read(
        segment: &SegmentReader,
        field: Field,
        info: &TermInfo,
        positions: &FileSlice,
    ) -> tantivy::Result<Word> {
        let mut postings = segment
            .inverted_index(field)?
            .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
        let (mut docs, mut freqs) = (Vec::new(), Vec::new());
        while !postings.docs().is_empty() {
            docs.extend_from_slice(postings.docs());
            freqs.extend_from_slice(postings.freqs());
            postings.advance();
        }
        let bytes = positions.slice(info.positions_range.clone()).read_bytes()?;
        let mut positions = vec![0; freqs.iter().map(|&f| f as usize).sum()];
        PositionReader::open(bytes)?.read(0, &mut positions);
        Ok(Word {
            docs,
            freqs,
            at: 0,
            offset: 0,
            positions,
        })
    }

    /// Moves to `doc`, or past it when the word is not in it; true when it is.
    fn seek(&mut self, doc: DocId) -> bool {
        while self.at < self.docs.len() && self.docs[self.at] < doc {
            self.offset += self.freqs[self.at] as usize;
            self.at += 1;
        }
        self.docs.get(self.at) == Some(&doc)
    }

    /// The positions of the word in the document it is at, each plus `shift`, into `out`.
    fn positions(&mut self, shift: u32, out: &mut Vec<u32>) {
        let freq = self.freqs[self.at] as usize;
        out.clear();
        let mut position = shift;
        for &gap in &self.positions[self.offset..self.offset + freq] {
            position += gap;
            out.push(position);
        }
    }
}

/// The documents of a segment where `words` (with their term infos, in phrase order) occur as a
/// phrase, each with its BM25 score over the number of times it does (by `bm25` and the
/// field's lengths, `norms`); only documents `within`, when given.
pub fn phrase_matches(
    segment: &SegmentReader,
    field: Field,
    infos: &[TermInfo],
    positions: &SegmentPositions,
    (bm25, norms): (&Bm25, &FieldNormReader),
    within: Option<&DocBits>,
    mut found: impl FnMut(DocId, f32),
) -> tantivy::Result<()> {
    let Some(positions) = &positions.0 else {
        return Ok(());
    };
    let mut words = infos
        .iter()
        .map(|info| Word::read(segment, field, info, positions))
        .collect::<tantivy::Result<Vec<_>>>()?;
    // The rarest word leads; the others are moved to each of its documents.
    let Some(lead) = (0..words.len()).min_by_key(|&i| words[i].docs.len()) else {
        return Ok(());
    };
    let last = words.len() as u32 - 1;
    let (mut common, mut next) = (Vec::new(), Vec::new());
    for k in 0..words[lead].docs.len() {
        let doc = words[lead].docs[k];
        if within.is_some_and(|w| !w.contains(doc)) || !words.iter_mut().all(|w| w.seek(doc)) {
            continue;
        }
        // Word i of a phrase starting at p is at p + i: shifted by last - i, all are at
        // p + last, and the phrase's occurrences are the positions every word has.
        words[0].positions(last, &mut common);
        for (i, word) in words.iter_mut().enumerate().skip(1) {
            word.positions(last - i as u32, &mut next);
            keep_common(&mut common, &next);
            if common.is_empty() {
                break;
            }
        }
        if !common.is_empty() {
            found(
                doc,
                bm25.score(norms.fieldnorm_id(doc), common.len() as u32),
            );
        }
    }
    Ok(())
}

/// Keeps the values of `left` that `right` has too (both sorted).
fn keep_common(left: &mut Vec<u32>, right: &[u32]) {
    let mut j = 0;
    left.retain(|&value| {
        while j < right.len() && right[j] < value {
            j += 1;
        }
        j < right.len() && right[j] == value
    });
}
