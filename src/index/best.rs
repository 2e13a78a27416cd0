//! The best paragraphs among a query's matches, by score, then in source order.

use super::matched::{Matched, Scores};
use super::paragraphs::SegmentParagraphs;

/// The best `limit` paragraphs offered. Candidates that beat the worst of the last cut are
/// kept; when twice `limit` are, the best `limit` are selected and the rest dropped (a heap
/// moved its entries about on most offers: a tenth of a common word's search). Ranks are
/// packed in one number (score, then earlier in the sources, so which segment a paragraph is
/// in never decides).
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

    /// Offers every document matched in a segment. After the first cut, the scores of 64
    /// documents at a time are compared with the bar's (a loop the compiler vectorises), and
    /// only those that reach it are offered one by one.
    pub fn offer_all(&mut self, matched: &Matched, segment: usize, facts: &SegmentParagraphs) {
        let (from, scores) = match &matched.scores {
            Scores::PerDoc { from, scores } => (*from as usize, scores),
            Scores::Sparse(scores) => {
                for &(doc, score) in scores {
                    self.offer(score, segment, doc, facts);
                }
                return;
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
                return;
            }
        };
        for (i, &word) in matched.docs.words().iter().enumerate() {
            if word == 0 {
                continue;
            }
            // The scores of the word's 64 documents; any it lacks (outside the scores' range)
            // score zero.
            let block = (i * 64)
                .checked_sub(from)
                .and_then(|at| scores.get(at..scores.len().min(at + 64)))
                .unwrap_or(&[]);
            let mut word = word;
            if let Some(worst) = self.worst_score() {
                let mut reaching = 0u64;
                for (j, &score) in block.iter().enumerate() {
                    reaching |= u64::from(score >= worst) << j;
                }
                if worst <= 0.0 {
                    reaching |= u64::MAX.checked_shl(block.len() as u32).unwrap_or(0);
                }
                word &= reaching;
            }
            while word != 0 {
                let j = word.trailing_zeros();
                let score = block.get(j as usize).copied().unwrap_or(0.0);
                self.offer(score, segment, i as u32 * 64 + j, facts);
                word &= word - 1;
            }
        }
    }

    /// The score of the bar, once there is one.
    fn worst_score(&self) -> Option<f32> {
        self.bar.map(|bar| f32::from_bits((bar >> 64) as u32))
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
