//! Matching paragraphs per actor, over every match (not only the hits shown).
//!
//! Reading the multi-valued actor column for every matching document was a fifth of a common
//! word's search; each segment's documents are instead sorted once into its few distinct actor
//! sets, each a bitset, and a search counts the bits its matches share with each.

use std::collections::HashMap;

use tantivy::SegmentReader;

use super::doc_bits::DocBits;
use super::schema::ACTOR_FIELD;
use super::segment_cache::PerSegment;

/// The actor of paragraphs attributed to no actor.
pub const NO_ACTOR: u64 = u64::MAX;

/// One segment's distinct actor sets, each with the documents attributed to it.
pub struct SegmentActors {
    sets: Vec<(Vec<u64>, DocBits)>,
}

impl SegmentActors {
    pub fn read(segment: &SegmentReader) -> tantivy::Result<SegmentActors> {
        let column = segment.fast_fields().u64(ACTOR_FIELD)?;
        let mut sets: Vec<(Vec<u64>, DocBits)> = Vec::new();
        let mut number: HashMap<Vec<u64>, usize> = HashMap::new();
        for doc in 0..segment.max_doc() {
            let mut actors: Vec<u64> = column.values_for_doc(doc).collect();
            if actors.is_empty() {
                actors.push(NO_ACTOR);
            }
            let n = *number.entry(actors.clone()).or_insert_with(|| {
                sets.push((actors, DocBits::new(segment.max_doc())));
                sets.len() - 1
            });
            sets[n].1.insert(doc);
        }
        Ok(SegmentActors { sets })
    }
}

impl SegmentActors {
    /// The documents attributed to `actor` alone.
    #[cfg(test)]
    pub fn docs_of(&self, actor: u64) -> Option<&DocBits> {
        self.sets
            .iter()
            .find(|(set, _)| set == &[actor])
            .map(|(_, docs)| docs)
    }
}

/// The per-segment sets, kept while their segments live.
pub type ActorColumns = PerSegment<SegmentActors>;

/// Counts matching paragraphs per actor, segment by segment.
#[derive(Default)]
pub struct ActorTally {
    /// (actor or [`NO_ACTOR`], paragraphs), in order of first match.
    pub counts: Vec<(u64, usize)>,
    /// All matching paragraphs.
    pub total: usize,
}

impl ActorTally {
    /// Counts a segment's matching documents (deleted ones already removed).
    pub fn count(&mut self, actors: &SegmentActors, matched: &DocBits) {
        // One pass over the matches' words, each held against every set's (a segment has a
        // few): listing the words that hold matches first, in a growing list, then counting set
        // by set cost a third more.
        let mut per_set = vec![0usize; actors.sets.len()];
        for (i, &word) in matched.words().iter().enumerate() {
            if word == 0 {
                continue;
            }
            for (n, (_, docs)) in per_set.iter_mut().zip(&actors.sets) {
                *n += (word & docs.words().get(i).copied().unwrap_or(0)).count_ones() as usize;
            }
        }
        for ((set, _), n) in actors.sets.iter().zip(per_set) {
            if n == 0 {
                continue;
            }
            self.total += n;
            for &actor in set {
                match self.counts.iter_mut().find(|(a, _)| *a == actor) {
                    Some((_, c)) => *c += n,
                    None => self.counts.push((actor, n)),
                }
            }
        }
    }
}
