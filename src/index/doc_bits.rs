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

    /// Adds the documents of `block` (ascending, a block of postings; all or some of them).
    /// Where they are dense, a word at a time: setting each one's bit in memory would make the
    /// next one wait for that store (a loop-carried dependency). Where they are sparse, each at
    /// once: there the word changes at nearly every document, and checking for it costs more
    /// than it saves.
    pub fn inserts_for(&mut self, block: &[u32]) -> Inserts<'_> {
        let dense = match (block.first(), block.last()) {
            (Some(&first), Some(&last)) => ((last - first) as usize) < block.len() * DENSE_BLOCK,
            _ => false,
        };
        Inserts {
            words: &mut self.0,
            by_word: dense,
            word: 0,
            bits: 0,
        }
    }

    /// Adds the documents whose score in `scores` (the scores of the segment's documents
    /// `from` on, `from` a multiple of 64) is positive: one pass over the scores, cheaper than
    /// setting each document's bit as it is scored.
    pub fn set_scored(&mut self, from: u32, scores: &[f32]) {
        // Scores of the segment's documents only (a window of them): bits past its last
        // document would count as documents.
        debug_assert!(from.is_multiple_of(64) && from as usize + scores.len() <= self.0.len() * 64);
        let first = (from as usize / 64).min(self.0.len());
        let words = &mut self.0[first..];
        let (whole, rest) = scores.as_chunks::<64>();
        for (word, chunk) in words.iter_mut().zip(whole) {
            *word |= positive_bits(chunk);
        }
        if let Some(word) = words.get_mut(whole.len()) {
            for (i, &score) in rest.iter().enumerate() {
                *word |= u64::from(score > 0.0) << i;
            }
        }
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

/// Bit `i` set where `scores[i]` (never negative) is positive. A byte for each score first
/// (vector comparisons), then each eight bytes' lowest bits gathered into a byte by one
/// multiplication, not a bit at a time.
#[inline]
fn positive_bits(scores: &[f32; 64]) -> u64 {
    // Scores are never negative: a score's bits are zero exactly when it is, a test cheaper
    // than a float comparison (`reaching_bits` at the smallest positive float).
    let mut flags = [0u8; 64];
    for (flag, &score) in flags.iter_mut().zip(scores) {
        *flag = u8::from(score.to_bits() != 0);
    }
    gathered(&flags)
}

/// Bit `i` set when `scores[i]` reaches `lowest` (positive), 64 compared at a time without a
/// branch: the scores among which the best are looked for ([`super::best`]).
pub fn reaching_bits(scores: &[f32; 64], lowest: f32) -> u64 {
    // Non-negative floats order as their bits do as `i32`s; negative ones come below.
    let lowest = lowest.to_bits() as i32;
    let mut flags = [0u8; 64];
    for (flag, &score) in flags.iter_mut().zip(scores) {
        *flag = u8::from(score.to_bits() as i32 >= lowest);
    }
    gathered(&flags)
}

/// Sixty-four flags of 0 or 1 as the bits of a word, eight at a time.
fn gathered(flags: &[u8; 64]) -> u64 {
    let mut bits = 0u64;
    for (k, eight) in flags.as_chunks::<8>().0.iter().enumerate() {
        bits |= (u64::from_le_bytes(*eight).wrapping_mul(GATHER_LOW_BITS) >> 56) << (8 * k);
    }
    bits
}

/// Multiplying eight bytes of 0 or 1 by this puts byte `i`'s bit at bit `56 + i`.
const GATHER_LOW_BITS: u64 = 0x0102_0408_1020_4080;

/// A block of postings is dense when its documents are one in this many or more: two or more
/// to a word of the set. (One in eight left an actor's compounds a document at a time.)
const DENSE_BLOCK: usize = 32;

/// Documents being added to a set in ascending order (see [`DocBits::inserts_for`]): when
/// `by_word`, the bits of the last word are written when a document of another word comes,
/// and on drop.
pub struct Inserts<'d> {
    words: &'d mut [u64],
    by_word: bool,
    word: usize,
    bits: u64,
}

impl Inserts<'_> {
    #[inline]
    pub fn insert(&mut self, doc: u32) {
        let word = doc as usize / 64;
        if !self.by_word {
            self.words[word] |= 1 << (doc % 64);
            return;
        }
        if word != self.word {
            self.flush();
            self.word = word;
        }
        self.bits |= 1 << (doc % 64);
    }

    #[inline]
    fn flush(&mut self) {
        if self.bits != 0 {
            self.words[self.word] |= self.bits;
            self.bits = 0;
        }
    }
}

impl Drop for Inserts<'_> {
    fn drop(&mut self) {
        self.flush();
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
    fn block_inserts_set_what_single_inserts_set() {
        // Dense: a word at a time, with runs in one word, a gap of words, and a repeat.
        let dense: Vec<u32> = (0..70).chain([72, 72, 127, 128, 200]).collect();
        // Sparse: a document at a time.
        let sparse = [0, 5, 63, 64, 65, 127, 128, 200, 299];
        for block in [&dense[..], &sparse[..]] {
            let mut set = bits(300, &[2, 250]);
            {
                let mut inserts = set.inserts_for(block);
                block.iter().for_each(|&d| inserts.insert(d));
            }
            let mut expected = bits(300, block);
            expected.unite(&bits(300, &[2, 250]));
            assert_eq!(
                set.iter().collect::<Vec<_>>(),
                expected.iter().collect::<Vec<_>>()
            );
        }
        // Some of a block only.
        let mut set = DocBits::new(300);
        set.inserts_for(&dense).insert(65);
        assert_eq!(set.iter().collect::<Vec<_>>(), [65]);
    }

    #[test]
    fn scored_documents_are_those_with_a_positive_score() {
        // Scores of documents 128 on: whole chunks of 64 and a part of one, a zero between
        // positives, the smallest positive float, and the last document of the set.
        let mut scores = vec![0.0f32; 300 - 128];
        let scored = [128, 129, 191, 192, 200, 255, 256, 290, 299];
        for (i, &doc) in scored.iter().enumerate() {
            scores[doc - 128] = if i == 3 {
                f32::MIN_POSITIVE
            } else {
                1.5 + i as f32
            };
        }
        let mut set = bits(300, &[3, 129]);
        set.set_scored(128, &scores);
        let mut expected: Vec<u32> = scored.iter().map(|&d| d as u32).collect();
        expected.insert(0, 3);
        assert_eq!(set.iter().collect::<Vec<_>>(), expected);
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
