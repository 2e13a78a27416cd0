//! Every change to a project is a `Command` that knows its inverse (helix-style history): undo
//! applies the inverse, redo applies the command again. Adds carry the ids they create, removes
//! carry a full snapshot of what they delete, updates carry both states.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{
    Actor, Coder, Coding, Memo, Person, Source, SpeakerTurn, Stance, Theme, parse_hex_colour,
};
use crate::store;

/// A source with the speaker turns that belong to it: added and removed together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRecord {
    pub source: Source,
    pub turns: Vec<SpeakerTurn>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Command {
    AddActor(Actor),
    RemoveActor(Actor),
    UpdateActor {
        before: Actor,
        after: Actor,
    },
    AddPerson(Person),
    RemovePerson(Person),
    UpdatePerson {
        before: Person,
        after: Person,
    },
    AddCoder(Coder),
    RemoveCoder(Coder),
    AddTheme(Theme),
    RemoveTheme(Theme),
    UpdateTheme {
        before: Theme,
        after: Theme,
    },
    AddSource(SourceRecord),
    RemoveSource(SourceRecord),
    UpdateSource {
        before: Source,
        after: Source,
    },
    AddCoding(Coding),
    RemoveCoding(Coding),
    UpdateCoding {
        before: Coding,
        after: Coding,
    },
    AddMemo(Memo),
    RemoveMemo(Memo),
    UpdateMemo {
        before: Memo,
        after: Memo,
    },
    /// Several commands as one step of history (an import, "code all hits", a merge).
    Batch {
        label: String,
        commands: Vec<Command>,
    },
}

impl Command {
    pub fn inverse(&self) -> Command {
        use Command::*;
        match self {
            AddActor(x) => RemoveActor(x.clone()),
            RemoveActor(x) => AddActor(x.clone()),
            UpdateActor { before, after } => UpdateActor {
                before: after.clone(),
                after: before.clone(),
            },
            AddPerson(x) => RemovePerson(x.clone()),
            RemovePerson(x) => AddPerson(x.clone()),
            UpdatePerson { before, after } => UpdatePerson {
                before: after.clone(),
                after: before.clone(),
            },
            AddCoder(x) => RemoveCoder(x.clone()),
            RemoveCoder(x) => AddCoder(x.clone()),
            AddTheme(x) => RemoveTheme(x.clone()),
            RemoveTheme(x) => AddTheme(x.clone()),
            UpdateTheme { before, after } => UpdateTheme {
                before: after.clone(),
                after: before.clone(),
            },
            AddSource(x) => RemoveSource(x.clone()),
            RemoveSource(x) => AddSource(x.clone()),
            UpdateSource { before, after } => UpdateSource {
                before: after.clone(),
                after: before.clone(),
            },
            AddCoding(x) => RemoveCoding(x.clone()),
            RemoveCoding(x) => AddCoding(x.clone()),
            UpdateCoding { before, after } => UpdateCoding {
                before: after.clone(),
                after: before.clone(),
            },
            AddMemo(x) => RemoveMemo(x.clone()),
            RemoveMemo(x) => AddMemo(x.clone()),
            UpdateMemo { before, after } => UpdateMemo {
                before: after.clone(),
                after: before.clone(),
            },
            Batch { label, commands } => Batch {
                label: label.clone(),
                commands: commands.iter().rev().map(Command::inverse).collect(),
            },
        }
    }

    /// Gives each row this command adds with id 0 ("any free id", as a command written by hand
    /// or by a script says) the next free id from `ids`, so that undo knows which row to
    /// remove. Rows it refers to must exist already.
    pub fn assign_new_ids(&mut self, ids: &mut store::IdAllocator) {
        use Command::*;
        match self {
            AddActor(a) if a.id.0 == 0 => a.id = ids.actor(),
            AddPerson(p) if p.id.0 == 0 => p.id = ids.person(),
            AddCoder(c) if c.id.0 == 0 => c.id = ids.coder(),
            AddTheme(t) if t.id.0 == 0 => t.id = ids.theme(),
            AddSource(r) => {
                if r.source.id.0 == 0 {
                    r.source.id = ids.source();
                }
                for turn in &mut r.turns {
                    turn.source_id = r.source.id;
                    if turn.id.0 == 0 {
                        turn.id = ids.turn();
                    }
                }
            }
            AddCoding(c) if c.id.0 == 0 => c.id = ids.coding(),
            AddMemo(m) if m.id.0 == 0 => m.id = ids.memo(),
            Batch { commands, .. } => commands.iter_mut().for_each(|c| c.assign_new_ids(ids)),
            _ => {}
        }
    }

    /// A stable name for the audit log.
    pub fn kind(&self) -> &'static str {
        use Command::*;
        match self {
            AddActor(_) => "add_actor",
            RemoveActor(_) => "remove_actor",
            UpdateActor { .. } => "update_actor",
            AddPerson(_) => "add_person",
            RemovePerson(_) => "remove_person",
            UpdatePerson { .. } => "update_person",
            AddCoder(_) => "add_coder",
            RemoveCoder(_) => "remove_coder",
            AddTheme(_) => "add_theme",
            RemoveTheme(_) => "remove_theme",
            UpdateTheme { .. } => "update_theme",
            AddSource(_) => "add_source",
            RemoveSource(_) => "remove_source",
            UpdateSource { .. } => "update_source",
            AddCoding(_) => "add_coding",
            RemoveCoding(_) => "remove_coding",
            UpdateCoding { .. } => "update_coding",
            AddMemo(_) => "add_memo",
            RemoveMemo(_) => "remove_memo",
            UpdateMemo { .. } => "update_memo",
            Batch { .. } => "batch",
        }
    }

    /// The command as JSON for the audit log, without source texts (they are in the store).
    pub fn audit_json(&self) -> String {
        let mut slim = self.clone();
        slim.strip_texts();
        serde_json::to_string(&slim).unwrap_or_default()
    }

    fn strip_texts(&mut self) {
        match self {
            Command::AddSource(r) | Command::RemoveSource(r) => {
                r.source.text = format!("({} characters)", r.source.char_len());
            }
            Command::Batch { commands, .. } => commands.iter_mut().for_each(Command::strip_texts),
            _ => {}
        }
    }

    /// Checks and writes the change; the caller holds the transaction.
    pub(crate) fn execute(&self, conn: &Connection) -> Result<()> {
        use Command::*;
        match self {
            AddActor(a) => {
                require_name(&a.name, "an actor")?;
                store::insert_actor(conn, a)?;
            }
            RemoveActor(a) => store::delete_actor(conn, a.id)?,
            UpdateActor { before, after } => {
                require_name(&after.name, "an actor")?;
                expect_current(store::actor(conn, before.id)? == *before, "actor")?;
                store::update_actor(conn, after)?;
            }
            AddPerson(p) => {
                require_name(&p.name, "a person")?;
                store::actor(conn, p.actor_id)?;
                store::insert_person(conn, p)?;
            }
            RemovePerson(p) => store::delete_person(conn, p.id)?,
            UpdatePerson { before, after } => {
                require_name(&after.name, "a person")?;
                store::actor(conn, after.actor_id)?;
                expect_current(store::person(conn, before.id)? == *before, "person")?;
                store::update_person(conn, after)?;
            }
            AddCoder(c) => {
                require_name(&c.name, "a coder")?;
                store::insert_coder(conn, c)?;
            }
            RemoveCoder(c) => store::delete_coder(conn, c.id)?,
            AddTheme(t) => {
                validate_theme(conn, t)?;
                store::insert_theme(conn, t)?;
            }
            RemoveTheme(t) => store::delete_theme(conn, t.id)?,
            UpdateTheme { before, after } => {
                expect_current(store::theme(conn, before.id)? == *before, "theme")?;
                validate_theme(conn, after)?;
                store::update_theme(conn, after)?;
            }
            AddSource(record) => {
                if let Some(person) = record.source.person_id {
                    store::person(conn, person)?;
                }
                let len = record.source.char_len();
                store::insert_source(conn, &record.source)?;
                for turn in &record.turns {
                    if turn.span.is_empty() {
                        return Err(Error::EmptySpan(turn.span));
                    }
                    if turn.span.end > len {
                        return Err(Error::SpanOutOfRange {
                            source_id: record.source.id,
                            span: turn.span,
                            len,
                        });
                    }
                    store::insert_turn(conn, turn)?;
                }
            }
            RemoveSource(record) => store::delete_source(conn, record.source.id)?,
            UpdateSource { before, after } => {
                let current = store::source(conn, before.id)?;
                expect_current(
                    current.title == before.title
                        && current.person_id == before.person_id
                        && current.metadata == before.metadata,
                    "source",
                )?;
                if let Some(person) = after.person_id {
                    store::person(conn, person)?;
                }
                store::update_source_header(conn, after)?;
            }
            AddCoding(c) => {
                validate_coding(conn, c)?;
                store::insert_coding(conn, c)?;
            }
            RemoveCoding(c) => store::delete_coding(conn, c.id)?,
            UpdateCoding { before, after } => {
                let current =
                    store::coding(conn, before.id)?.ok_or(Error::UnknownCoding(before.id))?;
                expect_current(current == *before, "coding")?;
                validate_coding(conn, after)?;
                store::update_coding(conn, after)?;
            }
            AddMemo(m) => {
                store::insert_memo(conn, m)?;
            }
            RemoveMemo(m) => store::delete_memo(conn, m.id)?,
            UpdateMemo { before, after } => {
                expect_current(store::memo(conn, before.id)? == *before, "memo")?;
                store::update_memo(conn, after)?;
            }
            Batch { commands, .. } => {
                for command in commands {
                    command.execute(conn)?;
                }
            }
        }
        Ok(())
    }
}

fn require_name(name: &str, what: &'static str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::EmptyName(what));
    }
    Ok(())
}

/// An update or undo must start from the state it recorded, or it would overwrite a change it
/// does not know about.
fn expect_current(matches: bool, what: &str) -> Result<()> {
    if matches {
        Ok(())
    } else {
        Err(Error::Conflict {
            expected: format!("the {what} as it was when the command was made"),
        })
    }
}

fn validate_theme(conn: &Connection, theme: &Theme) -> Result<()> {
    if theme.name.trim().is_empty() {
        return Err(Error::EmptyThemeName);
    }
    if parse_hex_colour(&theme.color).is_none() {
        return Err(Error::BadColour(theme.color.clone()));
    }
    if let Some(poles) = &theme.poles
        && (poles.negative.trim().is_empty() || poles.positive.trim().is_empty())
    {
        return Err(Error::HalfAxis);
    }
    if let Some(other) = store::theme_by_name(conn, &theme.name)?
        && other.id != theme.id
    {
        return Err(Error::DuplicateThemeName(theme.name.clone()));
    }
    // Walk up from the new parent: meeting the theme itself would close a cycle.
    let mut parent = theme.parent_id;
    while let Some(parent_id) = parent {
        if parent_id == theme.id {
            return Err(Error::ThemeCycle(theme.name.clone()));
        }
        parent = store::theme(conn, parent_id)?.parent_id;
    }
    if !theme.is_axis() {
        let with_stance = store::codings_of_theme(conn, theme.id)?
            .iter()
            .any(|c| c.stance.is_some());
        if with_stance {
            return Err(Error::StanceOnNonAxisTheme {
                theme_id: theme.id,
                theme_name: theme.name.clone(),
            });
        }
    }
    Ok(())
}

fn validate_coding(conn: &Connection, coding: &Coding) -> Result<()> {
    if coding.span.is_empty() {
        return Err(Error::EmptySpan(coding.span));
    }
    let len = store::source_char_len(conn, coding.source_id)?;
    if coding.span.end > len {
        return Err(Error::SpanOutOfRange {
            source_id: coding.source_id,
            span: coding.span,
            len,
        });
    }
    let theme = store::theme(conn, coding.theme_id)?;
    if let Some(stance) = coding.stance {
        if !theme.is_axis() {
            return Err(Error::StanceOnNonAxisTheme {
                theme_id: theme.id,
                theme_name: theme.name.clone(),
            });
        }
        debug_assert!(Stance::new(stance.value()).is_some());
    }
    Ok(())
}
