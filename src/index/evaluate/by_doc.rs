//! A word's parts (its stems, scored, and its compounds) or one scored term, matched in a
//! segment into one array of scores by document: each part's scores are added into it as its
//! postings are read, and the set is read off the sums after where they are dense, else set as
//! the postings come. One array for all parts, rather than an array per part added up
//! document by document afterwards (`Matched::any_of`), saves zeroing and summing the others.

use std::borrow::Cow;

use tantivy::postings::TermInfo;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{InvertedIndexReader, SegmentReader, Term};

use super::{Prepared, READ_OFF_DENSITY, Within, read_postings};
use crate::index::bm25::{Bm25, LengthCodes};
use crate::index::doc_bits::DocBits;
use crate::index::matched::{Matched, Scores, few};
use crate::index::vocabulary::SegmentPostings;

/// A part whose scores can be added into an array by document.
enum Part<'p> {
    Term {
        bm25: &'p Bm25,
        field: Field,
        info: &'p TermInfo,
        inverted: &'p InvertedIndexReader,
    },
    /// Words that score alike once per document however many of them it has.
    Compounds {
        score: f32,
        field: Field,
        infos: Cow<'p, [TermInfo]>,
    },
}

impl<'p> Part<'p> {
    /// `part` as a part to add up in segment `ord`: `None` when it cannot be, `Some(None)` when
    /// the segment has none of it.
    fn of(
        part: &'p Prepared,
        ord: usize,
        segment: &SegmentReader,
    ) -> tantivy::Result<Option<Option<Part<'p>>>> {
        Ok(Some(match part {
            Prepared::Scored { field, bm25, infos } => {
                infos
                    .get(ord)
                    .and_then(Option::as_ref)
                    .map(|(info, inverted)| Part::Term {
                        bm25,
                        field: *field,
                        info,
                        inverted: inverted.as_ref(),
                    })
            }
            Prepared::AnyOf {
                terms,
                postings,
                score,
            } if *score != 0.0 => {
                compound_infos(terms, postings, segment)?.map(|(field, infos)| Part::Compounds {
                    score: *score,
                    field,
                    infos,
                })
            }
            _ => return Ok(None),
        }))
    }

    /// Its postings' documents.
    fn doc_freq(&self) -> usize {
        match self {
            Part::Term { info, .. } => info.doc_freq as usize,
            Part::Compounds { infos, .. } => infos.iter().map(|i| i.doc_freq as usize).sum(),
        }
    }
}

/// What `parts` (all [`Prepared::Scored`] or scoring [`Prepared::AnyOf`]) match in segment
/// `ord`, summed by document within `within`; `None` where that does not apply: other kinds of
/// parts, a filter that is not a whole range (its documents must be checked one by one), or
/// too few documents for scores by document.
pub(super) fn summed_by_doc(
    parts: &[Prepared],
    ord: usize,
    segment: &SegmentReader,
    within: Option<&Within>,
) -> tantivy::Result<Option<Matched>> {
    if within.is_some_and(|w| !w.solid) {
        return Ok(None);
    }
    let max_doc = segment.max_doc();
    // The documents to expect (an upper bound: compounds may share documents), worked out
    // before anything is read or allocated, as most words' parts are few.
    let mut expected = 0;
    for part in parts {
        match Part::of(part, ord, segment)? {
            None => return Ok(None),
            Some(found) => expected += found.as_ref().map_or(0, Part::doc_freq),
        }
    }
    let expected = expected.min(within.map_or(max_doc as usize, |w| w.len));
    let window = within.map_or(0..max_doc, Within::bounds);
    if expected == 0 || few(expected, window.len()) {
        return Ok(None);
    }
    let from = window.start / 64 * 64;
    let mut sums = vec![0.0f32; (window.end - from) as usize];
    let mut docs = DocBits::new(max_doc);
    let read_off = expected * READ_OFF_DENSITY >= sums.len();
    let clusters = within.map(|w| w.clusters.as_slice());
    for part in parts {
        let Some(Some(part)) = Part::of(part, ord, segment)? else {
            continue;
        };
        match part {
            Part::Term {
                bm25,
                field,
                info,
                inverted,
            } => {
                let codes = LengthCodes::of(segment, field)?;
                let mut postings = inverted
                    .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
                read_postings(&mut postings, clusters, |postings, read| {
                    let (block, freqs) = (&postings.docs()[read.clone()], &postings.freqs()[read]);
                    bm25.add_into(block, freqs, &codes, from, &mut sums);
                    if !read_off {
                        let mut inserts = docs.inserts_for(block);
                        block.iter().for_each(|&doc| inserts.insert(doc));
                    }
                });
            }
            Part::Compounds {
                score,
                field,
                infos,
            } => {
                let inverted = segment.inverted_index(field)?;
                // A document is scored once, whichever of the words it has.
                let mut theirs = DocBits::new(max_doc);
                for info in infos.iter() {
                    let mut postings = inverted
                        .read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                    read_postings(&mut postings, clusters, |postings, read| {
                        let block = &postings.docs()[read];
                        let mut inserts = theirs.inserts_for(block);
                        block.iter().for_each(|&doc| inserts.insert(doc));
                    });
                }
                for doc in theirs.iter_within(window.clone()) {
                    sums[(doc - from) as usize] += score;
                }
                if !read_off {
                    docs.unite(&theirs);
                }
            }
        }
    }
    if read_off {
        docs.set_scored(from, &sums);
    }
    Ok(Some(Matched {
        docs,
        scores: Scores::PerDoc { from, scores: sums },
    }))
}

/// The field of compounds (or of a filter's values) and where `segment` has each of `terms`:
/// as the vocabulary found them (`known`), or looked up. `None` for no terms.
pub(super) fn compound_infos<'k>(
    terms: &[Term],
    known: &'k SegmentPostings,
    segment: &SegmentReader,
) -> tantivy::Result<Option<(Field, Cow<'k, [TermInfo]>)>> {
    // All of one field (compounds of `exact`, or a filter's).
    let Some(field) = terms.first().map(Term::field) else {
        return Ok(None);
    };
    let id = segment.segment_id();
    let infos = match known.iter().find(|(of, _)| *of == id) {
        Some((_, infos)) => Cow::Borrowed(&infos[..]),
        None => {
            let inverted = segment.inverted_index(field)?;
            Cow::Owned(
                (terms.iter())
                    .filter_map(|term| inverted.get_term_info(term).transpose())
                    .collect::<std::io::Result<Vec<_>>>()?,
            )
        }
    };
    Ok(Some((field, infos)))
}
