//! Matching paragraphs per actor, over every match (not only the hits shown).
//!
//! Reading the multi-valued actor column for every matching document was a fifth of a common
//! word's search; each segment's documents are instead mapped once to a small set of actor
//! sets, and a search counts set numbers, one array increment per document.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::schema::ACTOR_FIELD;
use super::segment_cache::PerSegment;

/// The actor of paragraphs attributed to no actor.
pub const NO_ACTOR: u64 = u64::MAX;

/// One segment's documents as indexes into its distinct actor sets.
pub struct SegmentActors {
    set_of_doc: Vec<u32>,
    sets: Vec<Vec<u64>>,
}

impl SegmentActors {
    fn read(segment: &SegmentReader) -> tantivy::Result<SegmentActors> {
        let column = segment.fast_fields().u64(ACTOR_FIELD)?;
        let mut sets: Vec<Vec<u64>> = Vec::new();
        let mut number: HashMap<Vec<u64>, u32> = HashMap::new();
        let mut set_of_doc = Vec::with_capacity(segment.max_doc() as usize);
        for doc in 0..segment.max_doc() {
            let mut actors: Vec<u64> = column.values_for_doc(doc).collect();
            if actors.is_empty() {
                actors.push(NO_ACTOR);
            }
            let n = *number.entry(actors.clone()).or_insert_with(|| {
                sets.push(actors);
                (sets.len() - 1) as u32
            });
            set_of_doc.push(n);
        }
        Ok(SegmentActors { set_of_doc, sets })
    }
}

/// The per-segment maps, kept while their segments live.
pub type ActorColumns = PerSegment<SegmentActors>;

/// Counts all matching paragraphs, in total and per actor.
pub struct ActorCounter<'a> {
    columns: &'a ActorColumns,
}

impl<'a> ActorCounter<'a> {
    pub fn new(columns: &'a ActorColumns) -> ActorCounter<'a> {
        ActorCounter { columns }
    }
}

pub struct ActorSegmentCounter {
    actors: Arc<SegmentActors>,
    per_set: Vec<usize>,
    total: usize,
}

impl Collector for ActorCounter<'_> {
    type Fruit = (usize, Vec<(u64, usize)>);
    type Child = ActorSegmentCounter;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<ActorSegmentCounter> {
        let actors = self.columns.get_or_read(segment, SegmentActors::read)?;
        Ok(ActorSegmentCounter {
            per_set: vec![0; actors.sets.len()],
            actors,
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(usize, Vec<(u64, usize)>)>,
    ) -> tantivy::Result<(usize, Vec<(u64, usize)>)> {
        let mut total = 0;
        let mut counts: Vec<(u64, usize)> = Vec::new();
        for (t, c) in fruits {
            total += t;
            for (actor, n) in c {
                bump(&mut counts, actor, n);
            }
        }
        Ok((total, counts))
    }
}

fn bump(counts: &mut Vec<(u64, usize)>, actor: u64, n: usize) {
    match counts.iter_mut().find(|(a, _)| *a == actor) {
        Some((_, c)) => *c += n,
        None => counts.push((actor, n)),
    }
}

impl SegmentCollector for ActorSegmentCounter {
    type Fruit = (usize, Vec<(u64, usize)>);

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        if let Some(&set) = self.actors.set_of_doc.get(doc as usize) {
            self.per_set[set as usize] += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut counts = Vec::new();
        for (set, n) in self.per_set.iter().enumerate().filter(|(_, n)| **n > 0) {
            for &actor in &self.actors.sets[set] {
                bump(&mut counts, actor, *n);
            }
        }
        (self.total, counts)
    }
}
