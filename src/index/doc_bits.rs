//! A set of a segment's documents, one bit each: what each part of a query plan matches (see
//! `evaluate`), so that unions and intersections are passes over words.

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

    /// The documents in both sets.
    pub fn count_common(&self, other: &DocBits) -> usize {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }

    /// The documents in both sets, looking only at `words` (those not empty in this set).
    pub fn count_common_in(&self, other: &DocBits, words: &[u32]) -> usize {
        words
            .iter()
            .map(|&i| (self.0[i as usize] & other.0[i as usize]).count_ones() as usize)
            .sum()
    }

    /// The words of the set that hold documents, when they are few (a rare word's matches):
    /// counting can then skip the rest.
    pub fn sparse_words(&self) -> Option<Vec<u32>> {
        let mut words = Vec::new();
        for (i, &word) in self.0.iter().enumerate() {
            if word != 0 {
                if words.len() * 8 >= self.0.len() {
                    return None;
                }
                words.push(i as u32);
            }
        }
        Some(words)
    }

    /// Removes the documents `remove` says to.
    pub fn remove_where(&mut self, remove: impl Fn(u32) -> bool) {
        for (i, word) in self.0.iter_mut().enumerate() {
            let mut rest = *word;
            while rest != 0 {
                let bit = rest.trailing_zeros();
                if remove(i as u32 * 64 + bit) {
                    *word &= !(1 << bit);
                }
                rest &= rest - 1;
            }
        }
    }

    /// Calls `f` with each document, in order.
    #[inline]
    pub fn for_each(&self, mut f: impl FnMut(u32)) {
        for (i, &word) in self.0.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                f(i as u32 * 64 + word.trailing_zeros());
                word &= word - 1;
            }
        }
    }
}
