//! Moving the ids of a batch built ahead of its transaction past rows another process added
//! meanwhile. A batch (an import, the demo corpus) takes its new ids from an `IdAllocator`
//! read before the batch was built; the ids it handed out are exactly those at or above its
//! starting point. If another writer has since taken some of them, every id of the batch at
//! or above that point — the rows it adds and its references to them — moves up by as much.

use std::collections::HashMap;

use crate::command::{Command, SourceRecord};
use crate::model::*;
use crate::store::IdAllocator;

/// How far each table's new ids move: `(first id the batch handed out, distance)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdShift {
    tables: HashMap<&'static str, (i64, i64)>,
}

impl IdShift {
    /// The move from a batch built with ids from `start` to a project whose next free ids are
    /// `now` (both read with [`IdAllocator::read`]).
    pub fn between(start: &IdAllocator, now: &IdAllocator) -> IdShift {
        let tables = IdAllocator::TABLES
            .iter()
            .filter_map(|&table| {
                let (from, to) = (start.next_of(table), now.next_of(table));
                (to > from).then_some((table, (from, to - from)))
            })
            .collect();
        IdShift { tables }
    }

    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    fn moved(&self, table: &str, id: i64) -> i64 {
        match self.tables.get(table) {
            Some(&(from, by)) if id >= from => id + by,
            _ => id,
        }
    }

    pub fn actor(&self, id: ActorId) -> ActorId {
        ActorId(self.moved("actors", id.0))
    }
    pub fn person(&self, id: PersonId) -> PersonId {
        PersonId(self.moved("persons", id.0))
    }
    pub fn coder(&self, id: CoderId) -> CoderId {
        CoderId(self.moved("coders", id.0))
    }
    pub fn theme(&self, id: ThemeId) -> ThemeId {
        ThemeId(self.moved("themes", id.0))
    }
    pub fn source(&self, id: SourceId) -> SourceId {
        SourceId(self.moved("sources", id.0))
    }
    pub fn turn(&self, id: TurnId) -> TurnId {
        TurnId(self.moved("speaker_turns", id.0))
    }
    pub fn coding(&self, id: CodingId) -> CodingId {
        CodingId(self.moved("codings", id.0))
    }
    pub fn memo(&self, id: MemoId) -> MemoId {
        MemoId(self.moved("memos", id.0))
    }

    /// Moves every id in `command`.
    pub fn apply(&self, command: &mut Command) {
        use Command::*;
        match command {
            AddActor(a) | RemoveActor(a) => self.actor_row(a),
            UpdateActor { before, after } => {
                self.actor_row(before);
                self.actor_row(after);
            }
            AddPerson(p) | RemovePerson(p) => self.person_row(p),
            UpdatePerson { before, after } => {
                self.person_row(before);
                self.person_row(after);
            }
            AddCoder(c) | RemoveCoder(c) => c.id = self.coder(c.id),
            AddTheme(t) | RemoveTheme(t) => self.theme_row(t),
            UpdateTheme { before, after } => {
                self.theme_row(before);
                self.theme_row(after);
            }
            AddSource(r) | RemoveSource(r) => self.source_record(r),
            UpdateSource { before, after } => {
                self.source_row(before);
                self.source_row(after);
            }
            AddCoding(c) | RemoveCoding(c) => self.coding_row(c),
            UpdateCoding { before, after } => {
                self.coding_row(before);
                self.coding_row(after);
            }
            AddMemo(m) | RemoveMemo(m) => self.memo_row(m),
            UpdateMemo { before, after } => {
                self.memo_row(before);
                self.memo_row(after);
            }
            Batch { commands, .. } => commands.iter_mut().for_each(|c| self.apply(c)),
        }
    }

    fn actor_row(&self, a: &mut Actor) {
        a.id = self.actor(a.id);
    }
    fn person_row(&self, p: &mut Person) {
        p.id = self.person(p.id);
        p.actor_id = self.actor(p.actor_id);
    }
    fn theme_row(&self, t: &mut Theme) {
        t.id = self.theme(t.id);
        t.parent_id = t.parent_id.map(|p| self.theme(p));
    }
    fn source_row(&self, s: &mut Source) {
        s.id = self.source(s.id);
        s.person_id = s.person_id.map(|p| self.person(p));
    }
    fn source_record(&self, r: &mut SourceRecord) {
        self.source_row(&mut r.source);
        for turn in &mut r.turns {
            turn.id = self.turn(turn.id);
            turn.source_id = self.source(turn.source_id);
            turn.person_id = self.person(turn.person_id);
        }
    }
    fn coding_row(&self, c: &mut Coding) {
        c.id = self.coding(c.id);
        c.source_id = self.source(c.source_id);
        c.theme_id = self.theme(c.theme_id);
        c.coder_id = self.coder(c.coder_id);
    }
    fn memo_row(&self, m: &mut Memo) {
        m.id = self.memo(m.id);
        m.target = match m.target {
            MemoTarget::Project => MemoTarget::Project,
            MemoTarget::Source(id) => MemoTarget::Source(self.source(id)),
            MemoTarget::Theme(id) => MemoTarget::Theme(self.theme(id)),
            MemoTarget::Coding(id) => MemoTarget::Coding(self.coding(id)),
        };
    }
}
