//! Matching paragraphs per actor, over every match (not only the hits shown).
//!
//! Reading the multi-valued actor column for every matching document is slow for a common
//! word; each segment's documents are instead sorted once into its few distinct actor sets,
//! each a bitset, and a search counts the bits its matches share with each.

use std::collections::HashMap;

use tantivy::SegmentReader;

use super::doc_bits::DocBits;
use super::matched::{Matched, Scores};
use super::schema::ACTOR_FIELD;
use super::segment_cache::PerSegment;

/// The actor of paragraphs attributed to no actor.
pub const NO_ACTOR: u64 = u64::MAX;

/// One segment's distinct actor sets, each with the documents attributed to it, and for each
/// word of 64 documents the sets that have documents in it: a segment holds an actor's
/// paragraphs in runs, so a word meets one set or two, not all of them.
pub struct SegmentActors {
    sets: Vec<(Vec<u64>, DocBits)>,
    /// Word `i`'s sets are `word_sets[word_starts[i]..word_starts[i + 1]]`.
    word_starts: Vec<u32>,
    word_sets: Vec<u16>,
}

impl SegmentActors {
    pub fn read(segment: &SegmentReader) -> tantivy::Result<SegmentActors> {
        let column = segment.fast_fields().u64(ACTOR_FIELD)?;
        let max_doc = segment.max_doc();
        let actors = (0..max_doc).map(|doc| column.values_for_doc(doc).collect());
        Ok(SegmentActors::of(max_doc, actors))
    }

    /// From each document's actors, in document order.
    fn of(max_doc: u32, docs_actors: impl Iterator<Item = Vec<u64>>) -> SegmentActors {
        let mut sets: Vec<(Vec<u64>, DocBits)> = Vec::new();
        let mut number: HashMap<Vec<u64>, usize> = HashMap::new();
        for (doc, mut actors) in (0..max_doc).zip(docs_actors) {
            if actors.is_empty() {
                actors.push(NO_ACTOR);
            }
            let n = *number.entry(actors.clone()).or_insert_with(|| {
                sets.push((actors, DocBits::new(max_doc)));
                sets.len() - 1
            });
            sets[n].1.insert(doc);
        }
        let words = (max_doc as usize).div_ceil(64);
        let mut word_starts = Vec::with_capacity(words + 1);
        let mut word_sets = Vec::new();
        for i in 0..words {
            word_starts.push(word_sets.len() as u32);
            for (n, (_, docs)) in sets.iter().enumerate() {
                if docs.words().get(i).is_some_and(|&w| w != 0) {
                    word_sets.push(n as u16);
                }
            }
        }
        word_starts.push(word_sets.len() as u32);
        SegmentActors {
            sets,
            word_starts,
            word_sets,
        }
    }

    /// The documents attributed to any of `ids` (a document may have several actors).
    pub fn docs_of_any(&self, ids: &[u64], max_doc: u32) -> DocBits {
        let mut docs = DocBits::new(max_doc);
        for (set, of_set) in &self.sets {
            if set.iter().any(|actor| ids.contains(actor)) {
                docs.unite(of_set);
            }
        }
        docs
    }

    /// The sets with documents in word `i`.
    fn sets_in_word(&self, i: usize) -> &[u16] {
        match (self.word_starts.get(i), self.word_starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.word_sets[a as usize..b as usize],
            _ => &[],
        }
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
    /// Counts a segment's matches (deleted ones already removed): a few, listed, one by one;
    /// more through the segment's bits.
    pub fn count_matched(&mut self, actors: &SegmentActors, matched: &Matched) {
        match &matched.scores {
            Scores::Sparse(list) => {
                debug_assert_eq!(list.len(), matched.docs.len(), "every match listed");
                self.count_listed(actors, list.iter().map(|&(doc, _)| doc));
            }
            _ => self.count(actors, &matched.docs),
        }
    }

    /// Counts a segment's matching documents (deleted ones already removed).
    fn count(&mut self, actors: &SegmentActors, matched: &DocBits) {
        // One pass over the matches' words, each held only against the sets that have
        // documents in it (actors come in runs: one or two sets a word), rather than against
        // every set, or listing the words first and then counting set by set.
        let mut per_set = vec![0usize; actors.sets.len()];
        for (i, &word) in matched.words().iter().enumerate() {
            if word == 0 {
                continue;
            }
            for &n in actors.sets_in_word(i) {
                let (_, docs) = &actors.sets[n as usize];
                let shared = word & docs.words().get(i).copied().unwrap_or(0);
                per_set[n as usize] += shared.count_ones() as usize;
            }
        }
        self.add(actors, per_set);
    }

    /// Counts a segment's matching documents given as a list, in any order: for a few, where
    /// passing over every word of the segment's bitset was most of the count.
    fn count_listed(&mut self, actors: &SegmentActors, matched: impl Iterator<Item = u32>) {
        let mut per_set = vec![0usize; actors.sets.len()];
        for doc in matched {
            // A document is in one set.
            let set = (actors.sets_in_word(doc as usize / 64).iter())
                .find(|&&n| actors.sets[n as usize].1.contains(doc));
            if let Some(&n) = set {
                per_set[n as usize] += 1;
            }
        }
        self.add(actors, per_set);
    }

    /// Adds the number of matches in each of a segment's sets to the counts of its actors.
    fn add(&mut self, actors: &SegmentActors, per_set: Vec<usize>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Counted through the sets each word meets, or from a list, as counted paragraph by
    /// paragraph: for actors in runs (as a rebuild writes them), interleaved (as refreshes
    /// may), and several at once.
    #[test]
    fn counts_are_those_of_each_matching_paragraph() {
        let max_doc = 1000u32;
        let actor_of = |doc: u32| -> Vec<u64> {
            match doc {
                0..300 => vec![1],
                300..310 => vec![],
                310..600 => vec![2],
                600..700 => vec![1, 3],
                _ => vec![u64::from(doc % 3) + 1],
            }
        };
        let actors = SegmentActors::of(max_doc, (0..max_doc).map(actor_of));
        for step in [1, 3, 7, 64, 333] {
            let mut matched = DocBits::new(max_doc);
            (0..max_doc).step_by(step).for_each(|d| matched.insert(d));
            let mut tally = ActorTally::default();
            tally.count(&actors, &matched);

            let mut expected: HashMap<u64, usize> = HashMap::new();
            for doc in matched.iter() {
                let mut of = actor_of(doc);
                if of.is_empty() {
                    of.push(NO_ACTOR);
                }
                for actor in of {
                    *expected.entry(actor).or_default() += 1;
                }
            }
            let counted: HashMap<u64, usize> = tally.counts.iter().copied().collect();
            assert_eq!(counted, expected, "every {step}th paragraph");
            assert_eq!(tally.total, matched.len());

            // The same documents listed, backwards.
            let mut listed = ActorTally::default();
            let mut docs: Vec<u32> = matched.iter().collect();
            docs.reverse();
            listed.count_listed(&actors, docs.into_iter());
            let counted: HashMap<u64, usize> = listed.counts.iter().copied().collect();
            assert_eq!(counted, expected, "every {step}th paragraph, listed");
            assert_eq!(listed.total, matched.len());
        }
    }
}
