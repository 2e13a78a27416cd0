//! The best paragraphs among a query's matches, by score, then in source order.

use super::matched::{Matched, Scores};
use super::paragraphs::SegmentParagraphs;

/// The best `limit` paragraphs offered. Candidates that beat the worst of the last cut are
/// kept; when [`ROOM`] times `limit` are, the best `limit` are selected and the rest dropped (a
/// heap moved its entries about on most offers: a tenth of a common word's search). Of many
/// matches, only those reaching a sampled estimate of the best scores are offered, unless too
/// few do ([`Best::offer_all`]). Ranks are packed in one number (score, then earlier in the
/// sources, so which segment a paragraph is in never decides).
pub struct Best {
    limit: usize,
    kept: Vec<(u128, u32, u32)>,
    /// The rank of the worst kept at the last cut: no candidate at or below it can be among
    /// the best.
    bar: Option<u128>,
}

/// Candidates kept before a cut, in multiples of the limit: each cut selects among them all, so
/// cutting at twice the limit selected anew every `limit` candidates.
const ROOM: usize = 4;

/// About how many scores [`Best::estimated_floor`] samples.
const SAMPLE: usize = 128;

/// A paragraph's rank among the matches, higher better: its score (never negative, so its bits
/// order as it does), then its place in the sources (see [`super::paragraphs::source_order_key`]).
fn rank(score: f32, order_key: Option<&u64>) -> u128 {
    (u128::from(score.max(0.0).to_bits()) << 64)
        | u128::from(u64::MAX - order_key.unwrap_or(&u64::MAX))
}

impl Best {
    pub fn new(limit: usize) -> Best {
        Best {
            limit,
            kept: Vec::with_capacity((ROOM * limit).min(4096)),
            bar: None,
        }
    }

    /// Offers every document matched in a segment: of many, those that reach a sampled
    /// estimate of the best scores first ([`Best::offer_from_floor`]).
    pub fn offer_all(&mut self, matched: &Matched, segment: usize, facts: &SegmentParagraphs) {
        match &matched.scores {
            Scores::PerDoc { from, scores } => {
                let docs = &matched.docs;
                let from = *from as usize;
                // Documents outside the scores' range score zero.
                let score_of = |doc: u32| {
                    let at = (doc as usize).wrapping_sub(from);
                    scores.get(at).copied().unwrap_or(0.0)
                };
                // Every `stride`-th word's documents: about SAMPLE of them where matches are
                // spread.
                let floor = self.estimated_floor(docs.len(), |stride, sample| {
                    for (i, &word) in docs.words().iter().enumerate().step_by(stride) {
                        let mut word = word;
                        while word != 0 {
                            sample(score_of(i as u32 * 64 + word.trailing_zeros()));
                            word &= word - 1;
                        }
                    }
                });
                let entries = || docs.iter().map(|doc| (doc, score_of(doc)));
                self.offer_from_floor(entries, floor, segment, facts);
            }
            Scores::Sparse(list) => {
                let floor = self.estimated_floor(list.len(), |stride, sample| {
                    list.iter()
                        .step_by(stride)
                        .for_each(|&(_, score)| sample(score));
                });
                self.offer_from_floor(|| list.iter().copied(), floor, segment, facts);
            }
            Scores::Each(score) => {
                // All scored alike: in a run of documents in source order, only its first
                // `limit` can be among the best (a prefix matching a tenth of a large corpus
                // spent most of its time ranking the rest).
                for run in &facts.source_order_runs {
                    for doc in matched.docs.iter_within(run.clone()).take(self.limit) {
                        self.offer(*score, segment, doc, facts);
                    }
                }
            }
        }
    }

    /// Offers `entries` (document, score): with a `floor`, those that reach it, and the rest
    /// only when fewer than `limit` did (some below it may then be among the best). Offering
    /// every match, the first few hundred ranked and cut before the bar rose, ranking took 165k
    /// instructions of an exact word's 512k (now 80k), and 75k of `tillit actor:KS`'s 384k
    /// (now 58k).
    fn offer_from_floor<I: Iterator<Item = (u32, f32)>>(
        &mut self,
        entries: impl Fn() -> I,
        floor: Option<f32>,
        segment: usize,
        facts: &SegmentParagraphs,
    ) {
        let Some(floor) = floor else {
            entries().for_each(|(doc, score)| self.offer(score, segment, doc, facts));
            return;
        };
        let mut reached = 0;
        for (doc, score) in entries().filter(|&(_, score)| score >= floor) {
            reached += 1;
            self.offer(score, segment, doc, facts);
        }
        if reached < self.limit {
            for (doc, score) in entries().filter(|&(_, score)| score < floor) {
                self.offer(score, segment, doc, facts);
            }
        }
    }

    /// A score that about twice `limit` of `n` matches reach, estimated from a sample of
    /// their scores that `sample` takes every `stride`-th of, or `None` when they are few.
    fn estimated_floor(
        &self,
        n: usize,
        sample: impl FnOnce(usize, &mut dyn FnMut(f32)),
    ) -> Option<f32> {
        if n <= ROOM * self.limit {
            return None;
        }
        let mut bits: Vec<u32> = Vec::with_capacity(2 * SAMPLE);
        // Never negative: the bits order as the scores do.
        sample((n / SAMPLE).max(1), &mut |score| {
            bits.push(score.max(0.0).to_bits())
        });
        let above = (bits.len() * 2 * self.limit).div_ceil(n).max(1);
        let nth = bits.len().checked_sub(above)?;
        let floor = f32::from_bits(*bits.select_nth_unstable(nth).1);
        (floor > 0.0).then_some(floor)
    }

    #[inline]
    fn offer(&mut self, score: f32, segment: usize, doc: u32, facts: &SegmentParagraphs) {
        if let Some(bar) = self.bar
            && score.max(0.0).to_bits() < (bar >> 64) as u32
        {
            return;
        }
        let rank = rank(score, facts.order_keys.get(doc as usize));
        if self.bar.is_some_and(|bar| rank <= bar) {
            return;
        }
        self.kept.push((rank, segment as u32, doc));
        if self.kept.len() == ROOM * self.limit {
            self.cut();
        }
    }

    /// Keeps the best `limit`, and raises the bar to the worst of them.
    fn cut(&mut self) {
        if self.kept.len() > self.limit {
            self.kept
                .select_nth_unstable_by(self.limit - 1, |a, b| b.0.cmp(&a.0));
            self.kept.truncate(self.limit);
        }
        if self.kept.len() == self.limit {
            self.bar = self.kept.iter().map(|k| k.0).min();
        }
    }

    /// (score, segment, document), best first.
    pub fn into_sorted(mut self) -> impl Iterator<Item = (f32, usize, u32)> {
        self.cut();
        self.kept.sort_unstable_by_key(|k| std::cmp::Reverse(k.0));
        self.kept.into_iter().map(|(rank, segment, doc)| {
            (f32::from_bits((rank >> 64) as u32), segment as usize, doc)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::doc_bits::DocBits;

    /// The best of many documents, as a full sort ranks them, whether their scores are kept by
    /// document or listed, and whether the estimated floor holds or too few reach it (high
    /// scores clustered where the estimate samples).
    #[test]
    fn the_best_are_those_a_full_sort_finds() {
        let n = 5000u32;
        let facts = SegmentParagraphs {
            paragraphs: Vec::new(),
            order_keys: (0..u64::from(n)).collect(),
            source_order_runs: std::iter::once(0..n).collect(),
        };
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut random = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 1000) as f32 / 10.0
        };
        let mut docs = DocBits::new(n);
        (0..n).filter(|d| d % 3 != 1).for_each(|d| docs.insert(d));
        let matched: Vec<u32> = docs.iter().collect();
        // 30 scores far above the rest, at the documents `sampled` picks.
        let mut clustered = |sampled: &dyn Fn(usize, u32) -> bool| -> Vec<f32> {
            let mut scores: Vec<f32> = (0..n).map(|_| random()).collect();
            let picked = matched.iter().enumerate().filter(|&(k, &d)| sampled(k, d));
            for (rank, (_, &doc)) in picked.take(30).enumerate() {
                scores[doc as usize] = 1000.0 + rank as f32;
            }
            scores
        };
        let stride = (matched.len() / SAMPLE).max(1);
        let by_word = clustered(&|_, d| (d as usize / 64).is_multiple_of(stride));
        let by_entry = clustered(&|k, _| k.is_multiple_of(stride));
        let uniform = clustered(&|_, _| false);
        // Ties at the limit: equal scores rank in source order.
        let tied: Vec<f32> = (0..n).map(|d| if d % 7 == 0 { 5.0 } else { 1.0 }).collect();
        for scores in [uniform, by_word, by_entry, tied] {
            for limit in [1, 10, 100, 1000] {
                let mut expected: Vec<(f32, u32)> =
                    matched.iter().map(|&d| (scores[d as usize], d)).collect();
                expected.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                expected.truncate(limit);

                let listed = matched.iter().map(|&d| (d, scores[d as usize])).collect();
                let by_doc = Scores::PerDoc {
                    from: 0,
                    scores: scores.clone(),
                };
                for kept in [by_doc, Scores::Sparse(listed)] {
                    let matched = Matched {
                        docs: docs.clone(),
                        scores: kept,
                    };
                    let mut best = Best::new(limit);
                    best.offer_all(&matched, 0, &facts);
                    let found: Vec<(f32, u32)> =
                        best.into_sorted().map(|(s, _, d)| (s, d)).collect();
                    assert_eq!(found, expected, "limit {limit}");
                }
            }
        }
    }
}
