//! One pass over a query's matches (a tantivy [`Collector`]): the best paragraphs, ranked by
//! score and then by their place in the sources (so equal scores come in source order whatever
//! segment they are in), and the number of matching paragraphs per actor over all matches.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::paragraphs::{Paragraph, SegmentParagraphs};
use super::segment_cache::PerSegment;

/// What a query matched.
pub struct Matches {
    /// The best paragraphs, best first: score, segment ordinal, document.
    pub top: Vec<(f32, u32, DocId)>,
    /// Each segment's paragraph facts, by ordinal.
    pub segments: Vec<Arc<SegmentParagraphs>>,
    /// The number of matching paragraphs.
    pub total: usize,
    /// Matching paragraphs per actor ([`super::paragraphs::NO_ACTOR`] for none).
    pub per_actor: HashMap<u64, usize>,
}

impl Matches {
    /// The facts of document `doc` of segment `segment`.
    pub fn paragraph(&self, segment: u32, doc: DocId) -> Option<&Paragraph> {
        self.segments
            .get(segment as usize)?
            .paragraphs
            .get(doc as usize)
    }
}

/// Collects [`Matches`]: the `limit` best, and counts over all.
pub struct MatchCollector<'a> {
    pub limit: usize,
    pub paragraphs: &'a PerSegment<SegmentParagraphs>,
}

/// A candidate's rank: greater is better (higher score, then earlier in the sources).
#[derive(Clone, Copy, PartialEq)]
struct Rank {
    score: f32,
    order_key: u64,
    segment: u32,
    doc: DocId,
}

impl Eq for Rank {}

impl Ord for Rank {
    fn cmp(&self, other: &Rank) -> Ordering {
        (self.score.total_cmp(&other.score)).then(other.order_key.cmp(&self.order_key))
    }
}

impl PartialOrd for Rank {
    fn partial_cmp(&self, other: &Rank) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

pub struct SegmentMatches {
    facts: Arc<SegmentParagraphs>,
    segment: u32,
    limit: usize,
    /// The best so far, the worst on top.
    best: BinaryHeap<Reverse<Rank>>,
    /// The worst's score once there are `limit`: no lower score gets in.
    floor: f32,
    total: usize,
    per_set: Vec<usize>,
}

impl SegmentCollector for SegmentMatches {
    type Fruit = SegmentMatches;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(&set) = self.facts.actor_set.get(doc as usize) else {
            return;
        };
        self.total += 1;
        self.per_set[set as usize] += 1;
        if score < self.floor {
            return;
        }
        let rank = Rank {
            score,
            order_key: self.facts.order_keys[doc as usize],
            segment: self.segment,
            doc,
        };
        if self.best.len() < self.limit {
            self.best.push(Reverse(rank));
        } else if let Some(mut worst) = self.best.peek_mut()
            && rank > worst.0
        {
            *worst = Reverse(rank);
        } else {
            return;
        }
        if self.best.len() == self.limit {
            self.floor = self.best.peek().map_or(f32::NEG_INFINITY, |w| w.0.score);
        }
    }

    fn harvest(self) -> SegmentMatches {
        self
    }
}

impl Collector for MatchCollector<'_> {
    type Fruit = Matches;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        let facts = self
            .paragraphs
            .get_or_read(reader, SegmentParagraphs::read)?;
        Ok(SegmentMatches {
            per_set: vec![0; facts.actor_sets.len()],
            facts,
            segment,
            limit: self.limit.max(1),
            best: BinaryHeap::new(),
            floor: f32::NEG_INFINITY,
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<SegmentMatches>) -> tantivy::Result<Matches> {
        let mut matches = Matches {
            top: Vec::new(),
            segments: Vec::with_capacity(fruits.len()),
            total: 0,
            per_actor: HashMap::default(),
        };
        let mut ranks = Vec::new();
        for fruit in fruits {
            matches.total += fruit.total;
            for (set, &n) in fruit.per_set.iter().enumerate() {
                for &actor in fruit.facts.actor_sets[set].iter().filter(|_| n > 0) {
                    *matches.per_actor.entry(actor).or_default() += n;
                }
            }
            ranks.extend(fruit.best.into_iter().map(|Reverse(rank)| rank));
            // Fruits come in segment order: the facts' place is the ordinal.
            matches.segments.push(fruit.facts);
        }
        ranks.sort_unstable_by(|a, b| b.cmp(a));
        ranks.truncate(self.limit.max(1));
        matches.top = ranks.iter().map(|r| (r.score, r.segment, r.doc)).collect();
        Ok(matches)
    }
}
