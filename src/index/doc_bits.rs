//! A set of a segment's documents, one bit each: what each part of a query plan matches (see
//! `evaluate`), so that unions and intersections are passes over words.

use std::ops::Range;

/// A set of a segment's documents.
#[derive(Clone, PartialEq)]
pub struct DocBits(Vec<u64>);

impl DocBits {
    pub fn new(max_doc: u32) -> DocBits {
        DocBits(vec![0; (max_doc as usize).div_ceil(64)])
    }

    pub fn full(max_doc: u32) -> DocBits {
        let mut bits = DocBits(vec![u64::MAX; (max_doc as usize).div_ceil(64)]);
        if !max_doc.is_multiple_of(64)
            && let Some(last) = bits.0.last_mut()
        {
            *last = (1u64 << (max_doc % 64)) - 1;
        }
        bits
    }

    #[inline]
    pub fn insert(&mut self, doc: u32) {
        self.0[doc as usize / 64] |= 1 << (doc % 64);
    }

    pub fn intersect(&mut self, other: &DocBits) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= b);
    }

    pub fn subtract(&mut self, other: &DocBits) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= !b);
    }

    pub fn unite(&mut self, other: &DocBits) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a |= b);
    }

    #[inline]
    pub fn contains(&self, doc: u32) -> bool {
        self.0[doc as usize / 64] & (1 << (doc % 64)) != 0
    }

    /// The number of documents in the set.
    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The set as words: bit `d % 64` of word `d / 64` for document `d`.
    pub fn words(&self) -> &[u64] {
        &self.0
    }

    /// Removes the documents `remove` says to.
    pub fn remove_where(&mut self, remove: impl Fn(u32) -> bool) {
        let gone: Vec<u32> = self.iter().filter(|&doc| remove(doc)).collect();
        for doc in gone {
            self.0[doc as usize / 64] &= !(1 << (doc % 64));
        }
    }

    /// The documents from `docs.start` up to `docs.end`, in order.
    pub fn iter_within(&self, docs: Range<u32>) -> impl Iterator<Item = u32> + '_ {
        let words = docs.start as usize / 64..(docs.end as usize).div_ceil(64).min(self.0.len());
        ones(&self.0[words.clone()], words.start).filter(move |doc| docs.contains(doc))
    }

    /// The range from the first document of the set to its last (empty for an empty set).
    pub fn bounds(&self) -> Range<u32> {
        let first = self.0.iter().position(|&w| w != 0);
        let last = self.0.iter().rposition(|&w| w != 0);
        match (first, last) {
            (Some(f), Some(l)) => {
                f as u32 * 64 + self.0[f].trailing_zeros()
                    ..l as u32 * 64 + 64 - self.0[l].leading_zeros()
            }
            _ => 0..0,
        }
    }

    /// Ranges of documents that hold all of the set's documents, split where words of at
    /// least `gap` documents in a row (whole words of 64) hold none of it: where a term's
    /// postings may be skipped.
    pub fn clusters(&self, gap: u32) -> Vec<Range<u32>> {
        let gap_words = (gap / 64).max(1) as usize;
        let mut clusters: Vec<Range<u32>> = Vec::new();
        let mut empty_run = usize::MAX;
        for (i, &word) in self.0.iter().enumerate() {
            if word == 0 {
                empty_run = empty_run.saturating_add(1);
                continue;
            }
            let first = i as u32 * 64 + word.trailing_zeros();
            let end = i as u32 * 64 + 64 - word.leading_zeros();
            match clusters.last_mut() {
                Some(last) if empty_run < gap_words => last.end = end,
                _ => clusters.push(first..end),
            }
            empty_run = 0;
        }
        clusters
    }

    /// The documents, in order.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        ones(&self.0, 0)
    }
}

/// The documents whose bits are set in `words`, the first of which is word `first` of a set.
#[inline]
fn ones(words: &[u64], first: usize) -> impl Iterator<Item = u32> + '_ {
    words.iter().enumerate().flat_map(move |(i, &word)| {
        let mut word = word;
        let base = (first + i) as u32 * 64;
        std::iter::from_fn(move || {
            (word != 0).then(|| {
                let doc = base + word.trailing_zeros();
                word &= word - 1;
                doc
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(max_doc: u32, docs: &[u32]) -> DocBits {
        let mut bits = DocBits::new(max_doc);
        docs.iter().for_each(|&d| bits.insert(d));
        bits
    }

    #[test]
    fn documents_within_a_range_are_those_of_the_set_in_it() {
        let set = bits(300, &[0, 5, 63, 64, 65, 127, 128, 200, 299]);
        let within = |r: Range<u32>| set.iter_within(r).collect::<Vec<_>>();
        assert_eq!(within(0..300), set.iter().collect::<Vec<_>>());
        assert_eq!(within(5..65), [5, 63, 64]);
        assert_eq!(within(64..64), [0u32; 0]);
        assert_eq!(within(128..201), [128, 200]);
        assert_eq!(within(201..299), [0u32; 0]);
        assert_eq!(within(299..300), [299]);
    }

    #[test]
    fn clusters_split_where_a_gap_is_long_enough() {
        // Gaps of 64 documents or more (a whole empty word) split.
        let set = bits(1000, &[3, 70, 130, 500, 501, 999]);
        assert_eq!(set.clusters(64), [3..131, 500..502, 999..1000]);
        assert_eq!(set.clusters(512), vec![(3..1000)]);
        assert_eq!(DocBits::new(100).clusters(64), Vec::<Range<u32>>::new());
        assert_eq!(bits(64, &[63]).clusters(64), vec![(63..64)]);
    }
}
