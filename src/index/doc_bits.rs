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

    /// The indexes of the words that hold documents: counting over many sets then skips the
    /// empty words (most of them, for a rare word's matches).
    pub fn nonempty_words(&self) -> Vec<u32> {
        (0..self.0.len() as u32)
            .filter(|&i| self.0[i as usize] != 0)
            .collect()
    }

    /// The documents in both sets, looking only at `words` (see [`DocBits::nonempty_words`]).
    pub fn count_common_in(&self, other: &DocBits, words: &[u32]) -> usize {
        words
            .iter()
            .map(|&i| (self.0[i as usize] & other.0[i as usize]).count_ones() as usize)
            .sum()
    }

    /// Removes the documents `remove` says to.
    pub fn remove_where(&mut self, remove: impl Fn(u32) -> bool) {
        let gone: Vec<u32> = self.iter().filter(|&doc| remove(doc)).collect();
        for doc in gone {
            self.0[doc as usize / 64] &= !(1 << (doc % 64));
        }
    }

    /// The documents, in order.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &word)| {
            let mut word = word;
            std::iter::from_fn(move || {
                (word != 0).then(|| {
                    let doc = i as u32 * 64 + word.trailing_zeros();
                    word &= word - 1;
                    doc
                })
            })
        })
    }
}
