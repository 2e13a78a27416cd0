//! What one part of a query plan matched in a segment: its paragraphs as a bitset, with their
//! scores (an array by paragraph, a short list, or one score for all), and how the parts of an
//! AND or an OR add up, as tantivy adds up the scores of a boolean query's clauses.

use std::ops::Range;

use super::doc_bits::DocBits;

/// A part's documents in one segment, with their scores.
pub struct Matched {
    pub docs: DocBits,
    pub scores: Scores,
}

pub enum Scores {
    /// By document, from document `from` (a multiple of 64) on: `scores[doc - from]`, zero for
    /// documents not in the set. A part read within a filter's documents keeps the scores of
    /// their range only, rather than zeroing an array for the whole segment.
    PerDoc { from: u32, scores: Vec<f32> },
    /// (document, score) in document order, for every document of the set: for a few
    /// documents, where an array by document would mostly be zeros to write (a rare word's).
    Sparse(Vec<(u32, f32)>),
    /// The same for every document.
    Each(f32),
}

impl Scores {
    /// Room for the scores of `docs` documents, all in the range `window`.
    pub fn for_docs(docs: usize, window: Range<u32>) -> Scores {
        if few(docs, window.len()) {
            Scores::Sparse(Vec::with_capacity(docs))
        } else {
            let from = window.start / 64 * 64;
            Scores::PerDoc {
                from,
                scores: vec![0.0; (window.end - from) as usize],
            }
        }
    }

    /// Sets the score of `doc`: in document order, for sparse scores.
    #[inline]
    pub fn set(&mut self, doc: u32, score: f32) {
        match self {
            Scores::PerDoc { from, scores } => scores[(doc - *from) as usize] = score,
            Scores::Sparse(scores) => scores.push((doc, score)),
            Scores::Each(_) => {}
        }
    }
}

/// Scores are kept sparse for fewer documents than a segment's 1/SPARSE.
const SPARSE: usize = 16;

/// True when `docs` documents in a range of `window` are few enough to list.
pub fn few(docs: usize, window: usize) -> bool {
    docs * SPARSE < window
}

impl Matched {
    pub fn none(max_doc: u32) -> Matched {
        Matched {
            docs: DocBits::new(max_doc),
            scores: Scores::Sparse(Vec::new()),
        }
    }

    /// The part's documents with their scores, when they are listed.
    fn listed(&self) -> Option<&[(u32, f32)]> {
        match &self.scores {
            Scores::Sparse(list) => Some(list),
            _ => None,
        }
    }

    /// True when the part is known to match nothing without counting its documents: its
    /// scores are listed, and there are none.
    fn lists_none(&self) -> bool {
        matches!(&self.scores, Scores::Sparse(list) if list.is_empty())
    }

    /// Removes the documents `remove` says to (deleted ones), scores too where they are listed.
    pub fn remove_where(&mut self, remove: impl Fn(u32) -> bool) {
        self.docs.remove_where(&remove);
        if let Scores::Sparse(scores) = &mut self.scores {
            scores.retain(|&(doc, _)| !remove(doc));
        }
    }

    /// The score of `doc`, one of the set's documents.
    #[inline]
    pub fn score(&self, doc: u32) -> f32 {
        match &self.scores {
            Scores::PerDoc { from, scores } => scores
                .get(doc.wrapping_sub(*from) as usize)
                .copied()
                .unwrap_or(0.0),
            Scores::Sparse(scores) => scores
                .binary_search_by_key(&doc, |(d, _)| *d)
                .map_or(0.0, |i| scores[i].1),
            Scores::Each(score) => *score,
        }
    }

    /// The documents in all of `parts` (`docs`, less those excluded), each scored with the sum
    /// of the parts' scores, as tantivy sums the scores of a boolean query's clauses.
    pub fn all_of(docs: DocBits, mut parts: Vec<Matched>) -> Matched {
        // Filters score nothing: `tillit actor:KS` is scored as `tillit` in KS's paragraphs.
        if parts.len() > 1 {
            parts.retain(|p| !matches!(p.scores, Scores::Each(score) if score == 0.0));
        }
        if parts.len() == 1 && docs == parts[0].docs {
            return parts.pop().expect("one");
        }
        let each: Option<f32> = parts
            .iter()
            .map(|p| match p.scores {
                Scores::Each(score) => Some(score),
                _ => None,
            })
            .sum();
        if let Some(score) = each {
            return Matched {
                docs,
                scores: Scores::Each(score),
            };
        }
        Matched::summed(docs, &parts)
    }

    /// The documents in any of `parts` (`docs`), each scored with the sum of the scores of the
    /// parts it is in.
    pub fn any_of(docs: DocBits, mut parts: Vec<Matched>) -> Matched {
        // A word's stem in the other language often matches nothing in a segment: it is left
        // out, not summed over (which counts the union's documents and walks them all).
        if parts.len() > 1 {
            parts.retain(|p| !p.lists_none());
        }
        match parts.len() {
            0 => {
                return Matched {
                    docs,
                    scores: Scores::Sparse(Vec::new()),
                };
            }
            1 => return parts.pop().expect("one"),
            _ => {}
        }
        // Scores are zero outside a part's documents, so one part's array can take the sums,
        // if its range holds all the documents.
        let bounds = docs.bounds();
        let Some(i) = parts.iter().position(|p| match &p.scores {
            Scores::PerDoc { from, scores } => {
                *from <= bounds.start && bounds.end as usize <= *from as usize + scores.len()
            }
            _ => false,
        }) else {
            return Matched::summed(docs, &parts);
        };
        let Scores::PerDoc { from, mut scores } = parts.swap_remove(i).scores else {
            unreachable!("per document")
        };
        let at = |doc: u32| (doc - from) as usize;
        for part in &parts {
            match &part.scores {
                Scores::PerDoc { .. } => {
                    for doc in part.docs.iter() {
                        scores[at(doc)] += part.score(doc);
                    }
                }
                Scores::Sparse(theirs) => {
                    for &(doc, score) in theirs {
                        scores[at(doc)] += score;
                    }
                }
                Scores::Each(score) => {
                    for doc in part.docs.iter() {
                        scores[at(doc)] += score;
                    }
                }
            }
        }
        Matched {
            docs,
            scores: Scores::PerDoc { from, scores },
        }
    }

    /// `docs`, each scored with the sum of the scores of the `parts` it is in. Sparse scores
    /// are read as the documents come, one cursor per part, not searched for each document.
    fn summed(docs: DocBits, parts: &[Matched]) -> Matched {
        if let Some(lists) = parts
            .iter()
            .map(Matched::listed)
            .collect::<Option<Vec<_>>>()
        {
            // Of the parts' documents, those in `docs` (an AND's may be fewer).
            let mut list = merged(&lists);
            list.retain(|&(doc, _)| docs.contains(doc));
            return Matched {
                docs,
                scores: Scores::Sparse(list),
            };
        }
        let mut scores = Scores::for_docs(docs.len(), docs.bounds());
        let mut cursors = vec![0usize; parts.len()];
        for doc in docs.iter() {
            let mut sum = 0.0;
            for (part, at) in parts.iter().zip(&mut cursors) {
                if !part.docs.contains(doc) {
                    continue;
                }
                sum += match &part.scores {
                    Scores::Sparse(list) => {
                        // Both in document order: the part's entries before `doc` are passed.
                        while list.get(*at).is_some_and(|&(d, _)| d < doc) {
                            *at += 1;
                        }
                        list.get(*at)
                            .filter(|(d, _)| *d == doc)
                            .map_or(0.0, |e| e.1)
                    }
                    _ => part.score(doc),
                };
            }
            scores.set(doc, sum);
        }
        Matched { docs, scores }
    }
}

/// Lists of (document, score) in document order merged into one, the scores of a document in
/// several added up: the sums of a few listed matches, without passing over a segment's bits.
fn merged(lists: &[&[(u32, f32)]]) -> Vec<(u32, f32)> {
    let mut at = vec![0usize; lists.len()];
    let mut out = Vec::with_capacity(lists.iter().map(|l| l.len()).max().unwrap_or(0));
    loop {
        let next = (lists.iter().zip(&at))
            .filter_map(|(list, &i)| list.get(i).map(|&(doc, _)| doc))
            .min();
        let Some(doc) = next else {
            return out;
        };
        let mut sum = 0.0;
        for (list, i) in lists.iter().zip(&mut at) {
            if let Some(&(d, score)) = list.get(*i)
                && d == doc
            {
                sum += score;
                *i += 1;
            }
        }
        out.push((doc, sum));
    }
}
