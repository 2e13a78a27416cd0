//! One pass over a query's matches (a tantivy [`Collector`]): the best paragraphs, ranked by
//! score and then by their place in the sources (so equal scores come in source order whatever
//! segment they are in), and the number of matching paragraphs per actor over all matches.

use std::cmp::Reverse;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use tantivy::collector::sort_key::NaturalComparator;
use tantivy::collector::{Collector, SegmentCollector, TopNComputer};
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

/// A candidate's rank: greater is better (a higher score, then earlier in the sources).
type Rank = (Score, Reverse<u64>);

pub struct SegmentMatches {
    facts: Arc<SegmentParagraphs>,
    segment: u32,
    best: TopNComputer<Rank, DocId, NaturalComparator>,
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
        (self.best).push((score, Reverse(self.facts.order_keys[doc as usize])), doc);
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
            // (Its buffer is twice the limit: no more than the segment's documents.)
            best: TopNComputer::new_with_comparator(
                self.limit.clamp(1, reader.max_doc().max(1) as usize),
                NaturalComparator,
            ),
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
            let segment = fruit.segment;
            let best = fruit.best.into_vec().into_iter();
            ranks.extend(best.map(|best| (best.sort_key, segment, best.doc)));
            // Fruits come in segment order: the facts' place is the ordinal.
            matches.segments.push(fruit.facts);
        }
        ranks.sort_unstable_by(|(a, ..), (b, ..)| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        ranks.truncate(self.limit.max(1));
        matches.top = (ranks.iter())
            .map(|&((score, _), segment, doc)| (score, segment, doc))
            .collect();
        Ok(matches)
    }
}
