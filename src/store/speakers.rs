//! Who said a coded span: the speaker turn holding its start, else the source's own person.
//!
//! Resolved in Rust from the turns read once: a correlated subquery per coding was most of the
//! time of a 100,000-excerpt export.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::Result;
use crate::model::{CharSpan, PersonId, SourceId};

/// Every source's speaker turns, sorted by start.
#[derive(Debug, Default)]
pub struct Speakers {
    turns: HashMap<SourceId, Vec<(CharSpan, PersonId)>>,
}

impl Speakers {
    pub fn load(conn: &Connection) -> Result<Speakers> {
        let mut stmt = conn.prepare_cached(
            "SELECT source_id, start_pos, end_pos, person_id FROM speaker_turns
             ORDER BY source_id, start_pos, id",
        )?;
        let mut turns: HashMap<SourceId, Vec<(CharSpan, PersonId)>> = HashMap::new();
        let rows = stmt.query_map([], |r| {
            Ok((
                SourceId(r.get(0)?),
                CharSpan::new(r.get::<_, i64>(1)? as usize, r.get::<_, i64>(2)? as usize),
                PersonId(r.get(3)?),
            ))
        })?;
        for row in rows {
            let (source, span, person) = row?;
            turns.entry(source).or_default().push((span, person));
        }
        Ok(Speakers { turns })
    }

    /// The person of the latest-starting turn of `source` that holds `pos`, if any.
    pub fn turn_person(&self, source: SourceId, pos: usize) -> Option<PersonId> {
        let turns = self.turns.get(&source)?;
        let started = turns.partition_point(|(span, _)| span.start <= pos);
        // Turns may overlap (imported from other tools): the nearest start that still holds
        // `pos` wins, as a reader would attribute it.
        turns[..started]
            .iter()
            .rev()
            .find(|(span, _)| pos < span.end)
            .map(|&(_, person)| person)
    }

    /// The person who said the text at `pos`: its turn's, else the source's.
    pub fn person_at(
        &self,
        source: SourceId,
        source_person: Option<PersonId>,
        pos: usize,
    ) -> Option<PersonId> {
        self.turn_person(source, pos).or(source_person)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speakers(turns: &[(usize, usize, i64)]) -> Speakers {
        let mut list: Vec<_> = turns
            .iter()
            .map(|&(s, e, p)| (CharSpan::new(s, e), PersonId(p)))
            .collect();
        list.sort_by_key(|(span, _)| span.start);
        Speakers {
            turns: HashMap::from([(SourceId(1), list)]),
        }
    }

    #[test]
    fn a_position_takes_its_turns_person_else_the_sources() {
        let s = speakers(&[(0, 10, 7), (12, 20, 8)]);
        let own = Some(PersonId(99));
        assert_eq!(s.person_at(SourceId(1), own, 0), Some(PersonId(7)));
        assert_eq!(s.person_at(SourceId(1), own, 9), Some(PersonId(7)));
        // Between turns, after the last, and in a source without turns: the source's person.
        assert_eq!(s.person_at(SourceId(1), own, 10), own);
        assert_eq!(s.person_at(SourceId(1), own, 20), own);
        assert_eq!(s.person_at(SourceId(2), own, 3), own);
        assert_eq!(s.person_at(SourceId(1), own, 12), Some(PersonId(8)));
    }

    #[test]
    fn overlapping_turns_give_the_nearest_start_that_holds_the_position() {
        let s = speakers(&[(0, 100, 1), (10, 20, 2)]);
        assert_eq!(s.turn_person(SourceId(1), 15), Some(PersonId(2)));
        // Past the inner turn, the outer one still holds the position.
        assert_eq!(s.turn_person(SourceId(1), 50), Some(PersonId(1)));
    }
}
