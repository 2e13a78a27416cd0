//! The best paragraphs among a query's matches, by score, then in source order.

use super::doc_bits::{DocBits, reaching_bits};
use super::matched::{Matched, Scores};
use super::paragraphs::{SegmentParagraphs, SourceOrder};

/// The best `limit` paragraphs offered, segment by segment. A segment's candidates are packed
/// as one `u64` each (score, then place in the segment's source order), so that selecting its
/// best is a selection over plain integers; only those best get a rank that compares across
/// segments. Of many matches, only those reaching a sampled estimate of the best scores are
/// candidates, unless too few do ([`Best::offer_all`]).
pub struct Best {
    limit: usize,
    /// The best so far over the segments offered: (rank, segment, document), at most `limit`
    /// after each segment.
    kept: Vec<(u128, u32, u32)>,
    /// The score (its bits) of the worst kept, once `limit` are: no candidate below it can be
    /// among the best.
    bar: u32,
    /// A segment's candidates (see [`local_key`]), reused from segment to segment.
    local: Vec<u64>,
}

/// Matches fewer than this many times the limit are all candidates, without an estimate.
const ROOM: usize = 4;

/// Scores by document are looked through for those reaching a floor when at least one in
/// DENSE is a match's: a match costs about as much to find in the set as DENSE scores do.
const DENSE: usize = 8;

/// About how many scores [`Best::estimated_floor`] samples.
const SAMPLE: usize = 128;

/// A paragraph's rank among the matches, higher better: its score (never negative, so its bits
/// order as it does), then its place in the sources (see [`super::paragraphs::source_order_key`]).
fn rank(score_bits: u32, order_key: u64) -> u128 {
    (u128::from(score_bits) << 64) | u128::from(u64::MAX - order_key)
}

/// A candidate within one segment, higher better: its score's bits, then earlier in the
/// segment's source order. Selecting and sorting within a segment is then on plain `u64`s;
/// only the best get a [`rank`] that compares across segments.
#[inline]
fn local_key(score_bits: u32, place: u32) -> u64 {
    (u64::from(score_bits) << 32) | u64::from(u32::MAX - place)
}

/// A score's bits, which order as scores do (negative ones, which BM25 never gives, as zero).
#[inline]
fn bits(score: f32) -> u32 {
    score.max(0.0).to_bits()
}

impl Best {
    pub fn new(limit: usize) -> Best {
        Best {
            limit,
            kept: Vec::with_capacity(2 * limit.min(4096)),
            bar: 0,
            local: Vec::new(),
        }
    }

    /// Offers every document matched in a segment: of many, those that reach a sampled
    /// estimate of the best scores first ([`Best::candidates`]).
    pub fn offer_all(&mut self, matched: &Matched, segment: usize, facts: &SegmentParagraphs) {
        let mut local = std::mem::take(&mut self.local);
        local.clear();
        let place = &facts.order.place;
        match &matched.scores {
            Scores::PerDoc { from, scores } => {
                let docs = &matched.docs;
                let from = *from as usize;
                // Documents outside the scores' range score zero.
                let score_of = |doc: u32| {
                    let at = (doc as usize).wrapping_sub(from);
                    scores.get(at).copied().unwrap_or(0.0)
                };
                // The first match of every so many words, about SAMPLE of them spread over the
                // segment, not all the matches of a few neighbouring words, which are often of
                // one source or language and estimate the floor badly.
                let matches = docs.len();
                // Room for the candidates, so that the list rarely grows.
                local.reserve(matches.min(ROOM * self.limit));
                let floor = self.estimated_floor(matches, |sample| {
                    let words = docs.words();
                    let step = (words.len() / SAMPLE).max(1);
                    for (i, &word) in words.iter().enumerate().step_by(step) {
                        if word != 0 {
                            sample(score_of(i as u32 * 64 + word.trailing_zeros()));
                        }
                    }
                });
                let entries = || docs.iter().map(|doc| (doc, score_of(doc)));
                // Where matches are dense in the array, those reaching the floor are looked
                // for in it rather than through the set.
                let dense = (matches * DENSE >= scores.len()).then_some((&scores[..], from, docs));
                self.candidates(entries, dense, floor, place, &mut local);
            }
            Scores::Sparse(list) => {
                local.reserve(list.len().min(ROOM * self.limit));
                let floor = self.estimated_floor(list.len(), |sample| {
                    let step = (list.len() / SAMPLE).max(1);
                    list.iter()
                        .step_by(step)
                        .for_each(|&(_, score)| sample(score));
                });
                self.candidates(|| list.iter().copied(), None, floor, place, &mut local);
            }
            Scores::Each(score) => {
                // All scored alike: in a run of documents in source order, only its first
                // `limit` can be among the best (a prefix may match a large share of the corpus,
                // and ranking the rest would be most of its search).
                let score = bits(*score);
                if score >= self.bar {
                    for run in &facts.source_order_runs {
                        for doc in matched.docs.iter_within(run.clone()).take(self.limit) {
                            local.push(local_key(score, place[doc as usize]));
                        }
                    }
                }
            }
        }
        self.keep_best_of(&mut local, segment, &facts.order);
        self.local = local;
    }

    /// Puts in `local` the `entries` (document, score) that may be among the best: with a
    /// `floor`, those that reach it, and the rest only when fewer than `limit` did (some below
    /// it may then be among the best). None below the bar. Those reaching the floor are found
    /// in the `dense` array of scores by document (scores, first document, set), when given.
    fn candidates<I: Iterator<Item = (u32, f32)>>(
        &self,
        entries: impl Fn() -> I,
        dense: Option<(&[f32], usize, &DocBits)>,
        floor: Option<f32>,
        place: &[u32],
        local: &mut Vec<u64>,
    ) {
        let bar = self.bar;
        // Those of `entries` whose score's bits are in `range`.
        let take = |range: std::ops::Range<u32>, local: &mut Vec<u64>| {
            for (doc, score) in entries() {
                let score = bits(score);
                if range.contains(&score) {
                    local.push(local_key(score, place[doc as usize]));
                }
            }
        };
        let Some(lowest) = floor.map(|floor| floor.max(f32::from_bits(bar))) else {
            take(bar..u32::MAX, local);
            return;
        };
        match dense {
            Some((scores, from, docs)) => {
                reaching_in_array(scores, from, docs, lowest, place, local);
            }
            // The floor is positive: scores that reach it are compared as floats, one
            // instruction, rather than by their bits.
            None => {
                for (doc, score) in entries() {
                    if score >= lowest {
                        local.push(local_key(score.to_bits(), place[doc as usize]));
                    }
                }
            }
        }
        if local.len() < self.limit && lowest > f32::from_bits(bar) {
            take(bar..lowest.to_bits(), local);
        }
    }

    /// A score that about twice `limit` of `n` matches reach, estimated from the sample of their
    /// scores `sample` takes (about SAMPLE, spread), or `None` when they are few.
    fn estimated_floor(&self, n: usize, sample: impl FnOnce(&mut dyn FnMut(f32))) -> Option<f32> {
        if n <= ROOM * self.limit {
            return None;
        }
        let mut sampled: Vec<u32> = Vec::with_capacity(2 * SAMPLE);
        sample(&mut |score| sampled.push(bits(score)));
        let above = (sampled.len() * 2 * self.limit).div_ceil(n).max(1);
        let nth = sampled.len().checked_sub(above)?;
        let floor = f32::from_bits(*sampled.select_nth_unstable(nth).1);
        (floor > 0.0).then_some(floor)
    }

    /// Keeps the best `limit` of a segment's candidates with those of the segments before.
    fn keep_best_of(&mut self, local: &mut [u64], segment: usize, order: &SourceOrder) {
        if self.limit == 0 {
            return;
        }
        // The best `limit` to the end, then in order (as plain integers, cheaper to select and
        // sort than ranks of 128 bits).
        let rest = local.len().saturating_sub(self.limit);
        if rest > 0 {
            local.select_nth_unstable(rest);
        }
        local[rest..].sort_unstable();
        for &key in local[rest..].iter().rev() {
            let doc = order.doc_at[(u32::MAX - key as u32) as usize];
            let score = (key >> 32) as u32;
            let rank = rank(score, order.keys[doc as usize]);
            self.kept.push((rank, segment as u32, doc));
        }
        self.cut();
    }

    /// Keeps the best `limit`, and raises the bar to the worst of them.
    fn cut(&mut self) {
        if self.kept.len() > self.limit {
            self.kept
                .select_nth_unstable_by(self.limit - 1, |a, b| b.0.cmp(&a.0));
            self.kept.truncate(self.limit);
        }
        if self.kept.len() == self.limit {
            self.bar = self
                .kept
                .iter()
                .map(|k| (k.0 >> 64) as u32)
                .min()
                .unwrap_or(0);
        }
    }

    /// (score, segment, document), best first.
    pub fn into_sorted(mut self) -> impl ExactSizeIterator<Item = (f32, usize, u32)> {
        // In order already when one segment had them all.
        if !self.kept.is_sorted_by(|a, b| a.0 >= b.0) {
            self.kept.sort_unstable_by_key(|k| std::cmp::Reverse(k.0));
        }
        self.kept.into_iter().map(|(rank, segment, doc)| {
            (f32::from_bits((rank >> 64) as u32), segment as usize, doc)
        })
    }
}

/// Puts in `local` the documents of `docs` whose score in `scores` (by document, from `from`
/// on) reaches `lowest` (positive): found by comparing the array 64 scores at a time into a
/// word of bits, which is then masked by the set's word for those documents (the scores may
/// outlive documents the set lost, to a NOT or deleted), rather than each score that reaches
/// the floor compared again and looked up in the set one by one.
fn reaching_in_array(
    scores: &[f32],
    from: usize,
    docs: &DocBits,
    lowest: f32,
    place: &[u32],
    local: &mut Vec<u64>,
) {
    let key = |doc: usize, score: f32| local_key(score.to_bits(), place[doc]);
    let reaches = |doc: usize, score: f32| score >= lowest && docs.contains(doc as u32);
    // One by one up to the first document that starts a word of the set, and after the last
    // whole word (none, when the scores are the segment's and start on a word).
    let head = ((64 - from % 64) % 64).min(scores.len());
    for (doc, &score) in (from..).zip(&scores[..head]) {
        if reaches(doc, score) {
            local.push(key(doc, score));
        }
    }
    let (whole, _) = scores[head..].as_chunks::<64>();
    let words = docs.words().get((from + head) / 64..).unwrap_or(&[]);
    for (k, (chunk, &word)) in whole.iter().zip(words).enumerate() {
        let mut reached = reaching_bits(chunk, lowest) & word;
        let first = from + head + 64 * k;
        while reached != 0 {
            let i = reached.trailing_zeros() as usize;
            reached &= reached - 1;
            local.push(key(first + i, chunk[i]));
        }
    }
    let done = head + 64 * whole.len().min(words.len());
    for (doc, &score) in (from + done..).zip(&scores[done..]) {
        if reaches(doc, score) {
            local.push(key(doc, score));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The best of many documents, as a full sort ranks them, whether their scores are kept by
    /// document or listed, and whether the estimated floor holds or too few reach it (high
    /// scores clustered where the estimate samples).
    #[test]
    fn the_best_are_those_a_full_sort_finds() {
        let n = 5000u32;
        let facts = SegmentParagraphs {
            paragraphs: Vec::new(),
            order: SourceOrder::new((0..u64::from(n)).collect()),
            source_order_runs: std::iter::once(0..n).collect(),
        };
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut random = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 1000) as f32 / 10.0
        };
        // Matches dense in the scores by document (found by looking through them), and
        // sparse (found through the set).
        let dense = |d: u32| d % 3 != 1;
        let sparse = |d: u32| d.is_multiple_of(11);
        for keep in [&dense as &dyn Fn(u32) -> bool, &sparse] {
            let mut docs = DocBits::new(n);
            (0..n).filter(|&d| keep(d)).for_each(|d| docs.insert(d));
            check_best_of(&docs, &facts, &mut random);
        }
    }

    /// The best of `docs` by [`Best`] are those a full sort finds, for scores from `random`.
    fn check_best_of(docs: &DocBits, facts: &SegmentParagraphs, random: &mut dyn FnMut() -> f32) {
        let n = facts.order.keys.len() as u32;
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
        // Where the estimate samples: scores by document, the first match of every
        // `word_step`-th word; listed scores, every `stride`-th.
        let word_step = ((n as usize).div_ceil(64) / SAMPLE).max(1);
        let first_in_word = |k: usize, d: u32| k == 0 || matched[k - 1] / 64 != d / 64;
        let by_word =
            clustered(&|k, d| (d as usize / 64).is_multiple_of(word_step) && first_in_word(k, d));
        let stride = (matched.len() / SAMPLE).max(1);
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
                    best.offer_all(&matched, 0, facts);
                    let found: Vec<(f32, u32)> =
                        best.into_sorted().map(|(s, _, d)| (s, d)).collect();
                    assert_eq!(found, expected, "limit {limit}, {} matches", docs.len());
                }
            }
        }
    }

    /// Those reaching the floor in an array of scores are the documents of the set whose score
    /// reaches it, wherever the array starts and ends against the set's words of 64.
    #[test]
    fn those_reaching_the_floor_are_found_wherever_the_scores_start() {
        let n = 1000u32;
        let place: Vec<u32> = (0..n).map(|d| n - d).collect();
        let mut docs = DocBits::new(n);
        (0..n).filter(|d| d % 3 != 0).for_each(|d| docs.insert(d));
        let score = |d: usize| ((d * 37) % 101) as f32 / 10.0;
        for (from, len) in [
            (0, 1000),
            (64, 900),
            (37, 963),
            (37, 10),
            (100, 64),
            (999, 1),
        ] {
            let scores: Vec<f32> = (from..from + len).map(score).collect();
            let mut found = Vec::new();
            reaching_in_array(&scores, from, &docs, 7.5, &place, &mut found);
            let expected: Vec<u64> = (from..from + len)
                .filter(|&d| docs.contains(d as u32) && score(d) >= 7.5)
                .map(|d| local_key(score(d).to_bits(), place[d]))
                .collect();
            assert_eq!(found, expected, "scores from {from}, {len} of them");
        }
    }

    /// Offered segment by segment, paragraphs rank as in one list: equal scores in source
    /// order, whichever segment they are in.
    #[test]
    fn segments_rank_as_one() {
        let n = 1500u32;
        // Two segments whose paragraphs alternate in the sources.
        let facts: Vec<SegmentParagraphs> = (0..2u64)
            .map(|segment| SegmentParagraphs {
                paragraphs: Vec::new(),
                order: SourceOrder::new((0..u64::from(n)).map(|d| 2 * d + segment).collect()),
                source_order_runs: std::iter::once(0..n).collect(),
            })
            .collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut docs = DocBits::new(n);
        (0..n).filter(|d| d % 4 != 3).for_each(|d| docs.insert(d));
        // Few distinct scores: many ties, across the segments.
        let scores: Vec<Vec<f32>> = (0..2)
            .map(|_| {
                (0..n)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        (seed % 20) as f32
                    })
                    .collect()
            })
            .collect();
        for limit in [1, 10, 100, 1000] {
            let mut expected: Vec<(f32, u64)> = (0..2)
                .flat_map(|s| docs.iter().map(move |d| (s, d)))
                .map(|(s, d)| (scores[s][d as usize], facts[s].order.keys[d as usize]))
                .collect();
            expected.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            expected.truncate(limit);
            for by_doc in [true, false] {
                let mut best = Best::new(limit);
                for (segment, facts) in facts.iter().enumerate() {
                    let kept = match by_doc {
                        true => Scores::PerDoc {
                            from: 0,
                            scores: scores[segment].clone(),
                        },
                        false => Scores::Sparse(
                            docs.iter()
                                .map(|d| (d, scores[segment][d as usize]))
                                .collect(),
                        ),
                    };
                    let matched = Matched {
                        docs: docs.clone(),
                        scores: kept,
                    };
                    best.offer_all(&matched, segment, facts);
                }
                let found: Vec<(f32, u64)> = best
                    .into_sorted()
                    .map(|(score, s, d)| (score, facts[s].order.keys[d as usize]))
                    .collect();
                assert_eq!(found, expected, "limit {limit}");
            }
        }
    }
}
