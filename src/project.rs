//! `Project`: the one API that the GUI, the CLI and the tests call.
//!
//! Every change goes through [`Project::apply`]: one transaction, one audit row, and the command
//! kept for undo. Reads go straight to the store.

mod code_spans;
mod describe;
mod guids;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::command::{Command, SourceRecord};
use crate::error::{Error, Result};
use crate::filter::CodingFilter;
use crate::id_shift::IdShift;
use crate::model::*;
use crate::stats::ProjectStats;
use crate::store::history::Stack;
use crate::store::{self, AuditRow, IdAllocator};

pub use code_spans::Widen;
pub use guids::{GUID_NAMESPACE_KEY, Guids};

/// A change taken back or done again: the change as first made, and its name for people.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub command: Command,
    /// `code «Har regler at i…» → Brukermedvirkning`, as the history names it.
    pub summary: String,
}

/// A theme to create; `color: None` picks the next colour of the palette.
#[derive(Debug, Clone, Default)]
pub struct NewTheme {
    pub name: String,
    pub parent_id: Option<ThemeId>,
    pub color: Option<String>,
    pub description: String,
    pub poles: Option<Poles>,
}

/// A source to create; turns attribute spans of it to persons.
#[derive(Debug, Clone)]
pub struct NewSource {
    pub kind: SourceKind,
    pub title: String,
    pub text: String,
    pub person_id: Option<PersonId>,
    pub metadata: Metadata,
    pub turns: Vec<(CharSpan, PersonId)>,
}

impl NewSource {
    pub fn new(kind: SourceKind, title: impl Into<String>, text: impl Into<String>) -> Self {
        NewSource {
            kind,
            title: title.into(),
            text: text.into(),
            person_id: None,
            metadata: Vec::new(),
            turns: Vec::new(),
        }
    }
}

/// A coding to apply with the project's current coder.
#[derive(Debug, Clone)]
pub struct NewCoding {
    pub source_id: SourceId,
    pub span: CharSpan,
    pub theme_id: ThemeId,
    pub stance: Option<i64>,
    pub memo: String,
}

impl NewCoding {
    pub fn new(source_id: SourceId, span: CharSpan, theme_id: ThemeId) -> Self {
        NewCoding {
            source_id,
            span,
            theme_id,
            stance: None,
            memo: String::new(),
        }
    }
}

/// Colours for new themes: distinct, and readable as highlights on light and dark backgrounds.
pub const THEME_PALETTE: [&str; 12] = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45",
    "#469990", "#9a6324", "#800000", "#808000",
];

pub struct Project {
    conn: Connection,
    /// SQLite's `data_version` when last looked at: it moves when another connection commits.
    seen_data_version: std::cell::Cell<i64>,
    path: PathBuf,
    coder_name: String,
}

/// Moves a finished file to `to` unless something appeared there meanwhile.
fn publish(from: &Path, to: &Path) -> Result<()> {
    // A hard link fails if `to` exists, where a rename would replace it.
    match std::fs::hard_link(from, to) {
        Ok(()) => std::fs::remove_file(from).map_err(|e| Error::write(from, e)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::bad_input(
            to,
            "a file of that name appeared while the project was being made; choose another name",
        )),
        // File systems without hard links (FAT, some network shares).
        Err(_) if !to.exists() => std::fs::rename(from, to).map_err(|e| Error::write(to, e)),
        Err(e) => Err(Error::io(to, e)),
    }
}

/// A command as the history keeps it: whole, source texts included.
fn full_json(command: &Command) -> String {
    serde_json::to_string(command).unwrap_or_default()
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Who is coding: `$SITAT_CODER`, else the login name, else "researcher".
pub fn default_coder_name() -> String {
    ["SITAT_CODER", "USER", "USERNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "researcher".to_string())
}

impl Project {
    /// Creates a new project file; refuses to overwrite an existing file.
    pub fn create(path: impl AsRef<Path>) -> Result<Project> {
        Self::create_with(path, |_| Ok(()))
    }

    /// Creates a new project file filled by `fill`. The file is built under a temporary name
    /// beside `path` and appears at `path` only once complete, so a run killed half-way never
    /// leaves an empty or half-filled project where the next run expects to find one.
    pub fn create_with(
        path: impl AsRef<Path>,
        fill: impl FnOnce(&mut Project) -> Result<()>,
    ) -> Result<Project> {
        let path = path.as_ref();
        if path.exists() {
            return Err(Error::bad_input(
                path,
                "a file of that name exists already; choose another name or remove it first",
            ));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "project.sitat".into());
        let partial = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let built = Self::build_at(&partial, path, fill).and_then(|()| publish(&partial, path));
        if built.is_err() {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
            }
        }
        built?;
        Self::open(path)
    }

    /// Makes a project at `at` that will live at `final_path`, and closes it.
    fn build_at(
        at: &Path,
        final_path: &Path,
        fill: impl FnOnce(&mut Project) -> Result<()>,
    ) -> Result<()> {
        let conn = store::open(at, true)?;
        store::set_info(&conn, "created_at", &now_ms().to_string())?;
        store::set_info(
            &conn,
            "created_by",
            concat!("sitat ", env!("CARGO_PKG_VERSION")),
        )?;
        // REFI-QDA GUIDs derive from this, so two exports of the project share them.
        store::set_info(
            &conn,
            guids::GUID_NAMESPACE_KEY,
            &guids::new_guid_namespace(&final_path.display().to_string()),
        )?;
        let mut project = Self::from_connection(conn, at);
        fill(&mut project)?;
        // Closing the last connection moves the WAL into the file and removes it, so the one
        // file is the whole project when it is renamed.
        project.conn.close().map_err(|(_, e)| Error::Database(e))
    }

    /// Opens an existing project, migrating it to this build's schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Project> {
        let path = path.as_ref();
        let conn = store::open(path, false)?;
        Ok(Self::from_connection(conn, path))
    }

    fn from_connection(conn: Connection, path: &Path) -> Project {
        let seen_data_version = std::cell::Cell::new(store::data_version(&conn).unwrap_or(0));
        Project {
            conn,
            seen_data_version,
            path: path.to_path_buf(),
            coder_name: default_coder_name(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The name codings are recorded under from now on.
    pub fn set_coder(&mut self, name: impl Into<String>) {
        let name = name.into();
        if !name.trim().is_empty() {
            self.coder_name = name.trim().to_string();
        }
    }

    pub fn coder_name(&self) -> &str {
        &self.coder_name
    }

    /// A fresh id allocator, for callers that build a batch of related commands.
    pub fn ids(&self) -> Result<IdAllocator> {
        IdAllocator::read(&self.conn)
    }

    // ---- history -------------------------------------------------------------------------
    //
    // The undo and redo stacks live in the project file (`store::history`), changed in the same
    // transaction as the change itself: undo works after a restart, and takes back the last
    // change of whichever process made it.

    /// Applies a change in one transaction with its audit row, and keeps it for undo.
    pub fn apply(&mut self, command: Command) -> Result<()> {
        self.apply_with(|_, _| Ok(((), Some(command.clone()))))
    }

    /// Builds a change inside its write transaction and applies it: `build` reads the project
    /// and takes ids as they are once no other writer can change them, so two processes writing
    /// at once never hand out the same id or act on a stale row. `None` means nothing to change.
    /// `build` may run again when another writer held the file and the attempt is retried.
    pub fn apply_with<T>(
        &mut self,
        mut build: impl FnMut(&Project, &mut IdAllocator) -> Result<(T, Option<Command>)>,
    ) -> Result<T> {
        self.transact(|tx| {
            let mut ids = IdAllocator::read(tx)?;
            let (value, command) = build(self, &mut ids)?;
            if let Some(command) = command {
                // Named before it runs, while what it removes still has its names and text.
                let summary = describe::describe(tx, &command);
                command.execute(tx)?;
                self.record(tx, "do", &command, &summary)?;
                store::history::push(tx, Stack::Undo, &summary, &full_json(&command))?;
                store::history::clear(tx, Stack::Redo)?;
            }
            Ok(value)
        })
    }

    /// Applies a batch built ahead of its transaction with ids from `start` (an allocator read
    /// before the batch took its first id). Rows another process added meanwhile keep their
    /// ids; the batch's move past them. Returns that move, for ids the caller reports.
    pub fn apply_allocated(&mut self, command: Command, start: &IdAllocator) -> Result<IdShift> {
        self.apply_with(|_, now| {
            let shift = IdShift::between(start, now);
            let mut command = command.clone();
            shift.apply(&mut command);
            Ok((shift, Some(command)))
        })
    }

    /// Undoes the last change (made by this or any other process, in this run or an earlier
    /// one); returns what was undone. A change that cannot be undone any more (a later change
    /// by someone else built on it) stays on the history, and the error says why.
    pub fn undo(&mut self) -> Result<Step> {
        self.step(Stack::Undo)
    }

    /// Redoes the last undone change; returns it.
    pub fn redo(&mut self) -> Result<Step> {
        self.step(Stack::Redo)
    }

    fn step(&mut self, from: Stack) -> Result<Step> {
        let (to, action) = match from {
            Stack::Undo => (Stack::Redo, "undo"),
            Stack::Redo => (Stack::Undo, "redo"),
        };
        self.transact(|tx| {
            let entry = store::history::top(tx, from)?.ok_or(match from {
                Stack::Undo => Error::NothingToUndo,
                Stack::Redo => Error::NothingToRedo,
            })?;
            let command: Command =
                serde_json::from_str(&entry.command_json).map_err(|e| Error::CannotUndo {
                    action,
                    summary: entry.summary.clone(),
                    reason: format!("its record is unreadable ({e})"),
                })?;
            let change = match from {
                Stack::Undo => command.inverse(),
                Stack::Redo => command.clone(),
            };
            change.execute(tx).map_err(|e| match e {
                Error::Conflict { .. } | Error::UnknownId { .. } | Error::UnknownCoding(_) => {
                    Error::CannotUndo {
                        action,
                        summary: entry.summary.clone(),
                        reason: format!("the project changed since ({e})"),
                    }
                }
                Error::Database(ref sqlite)
                    if sqlite.sqlite_error_code()
                        == Some(rusqlite::ErrorCode::ConstraintViolation) =>
                {
                    Error::CannotUndo {
                        action,
                        summary: entry.summary.clone(),
                        reason: format!("the project changed since ({e})"),
                    }
                }
                e => e,
            })?;
            self.record(tx, action, &change, &entry.summary)?;
            store::history::remove(tx, from, entry.position)?;
            store::history::push(tx, to, &entry.summary, &entry.command_json)?;
            Ok(Step {
                command: command.clone(),
                summary: entry.summary.clone(),
            })
        })
    }

    pub fn can_undo(&self) -> bool {
        self.undo_summary().is_some()
    }
    pub fn can_redo(&self) -> bool {
        self.redo_summary().is_some()
    }
    pub fn undo_summary(&self) -> Option<String> {
        store::history::top_summary(&self.conn, Stack::Undo)
            .ok()
            .flatten()
    }
    pub fn redo_summary(&self) -> Option<String> {
        store::history::top_summary(&self.conn, Stack::Redo)
            .ok()
            .flatten()
    }

    /// The audit row and the revision bump of a change.
    /// `summary` names the change as it was done, also for its undo and redo.
    fn record(
        &self,
        tx: &Connection,
        action: &str,
        command: &Command,
        summary: &str,
    ) -> Result<()> {
        store::insert_audit(
            tx,
            &store::AuditEntry {
                at_ms: now_ms(),
                action,
                kind: command.kind(),
                summary,
                command_json: &command.audit_json(),
                coder: &self.coder_name,
            },
        )?;
        store::bump_revision(tx)?;
        Ok(())
    }

    /// Runs `body` in one IMMEDIATE write transaction and commits it, retrying the whole while
    /// another process holds the file (up to [`store::WRITE_RETRY`]). The write lock is taken
    /// before the first read, so what `body` reads is what it changes.
    fn transact<T>(&self, mut body: impl FnMut(&Connection) -> Result<T>) -> Result<T> {
        let deadline = std::time::Instant::now() + store::WRITE_RETRY;
        let mut attempt = 0u32;
        loop {
            let result = store::begin_write(&self.conn).and_then(|tx| {
                let value = body(&tx)?;
                tx.commit()?;
                Ok(value)
            });
            match result {
                Err(e) if e.is_busy() && std::time::Instant::now() < deadline => {
                    attempt += 1;
                    store::busy_pause(attempt);
                }
                Ok(value) => {
                    store::checkpoint(&self.conn);
                    return Ok(value);
                }
                result => return result,
            }
        }
    }

    /// True (once) when another connection — another window, the `sitat` command, a script —
    /// changed the project since the last call: views should read it again.
    pub fn changed_elsewhere(&self) -> bool {
        let Ok(now) = store::data_version(&self.conn) else {
            return false;
        };
        self.seen_data_version.replace(now) != now
    }

    /// Increases with every change (do, undo, redo): caches compare it to know they are stale.
    pub fn revision(&self) -> Result<i64> {
        store::revision(&self.conn)
    }

    // ---- building changes ----------------------------------------------------------------
    //
    // Each builds its command inside the write transaction (`apply_with`), from the project as
    // it is at that moment.

    pub fn add_actor(
        &mut self,
        name: &str,
        full_name: &str,
        attributes: Vec<Attribute>,
    ) -> Result<ActorId> {
        self.apply_with(|_, ids| {
            let id = ids.actor();
            Ok((
                id,
                Some(Command::AddActor(Actor {
                    id,
                    name: name.trim().to_string(),
                    full_name: full_name.trim().to_string(),
                    attributes: attributes.clone(),
                })),
            ))
        })
    }

    pub fn add_person(&mut self, name: &str, actor_id: ActorId, title: &str) -> Result<PersonId> {
        self.apply_with(|_, ids| {
            let id = ids.person();
            Ok((
                id,
                Some(Command::AddPerson(Person {
                    id,
                    name: name.trim().to_string(),
                    actor_id,
                    title: title.trim().to_string(),
                })),
            ))
        })
    }

    /// Builds (without applying) the command that adds a theme, with ids from `ids`.
    pub fn add_theme_command(
        &self,
        ids: &mut IdAllocator,
        new: NewTheme,
    ) -> Result<(ThemeId, Command)> {
        let id = ids.theme();
        // Ids rise within a batch, so they keep a batch's themes in order after the existing ones.
        let sort_order = store::next_theme_sort_order(&self.conn)?.max(id.0);
        let color = new
            .color
            .unwrap_or_else(|| THEME_PALETTE[(id.0 as usize - 1) % THEME_PALETTE.len()].into());
        let theme = Theme {
            id,
            name: new.name.trim().to_string(),
            parent_id: new.parent_id,
            color,
            description: new.description,
            poles: new.poles,
            sort_order,
        };
        Ok((id, Command::AddTheme(theme)))
    }

    pub fn add_theme(&mut self, new: NewTheme) -> Result<ThemeId> {
        self.apply_with(|project, ids| {
            let (id, command) = project.add_theme_command(ids, new.clone())?;
            Ok((id, Some(command)))
        })
    }

    /// Replaces a theme's name, colour, description, parent or poles.
    pub fn update_theme(&mut self, after: Theme) -> Result<()> {
        self.apply_with(|project, _| {
            let before = project.theme(after.id)?;
            let change = (before != after).then(|| Command::UpdateTheme {
                before,
                after: after.clone(),
            });
            Ok(((), change))
        })
    }

    /// Removes a theme with its codings and memos; its child themes move up to its parent.
    pub fn remove_theme(&mut self, theme_id: ThemeId) -> Result<()> {
        self.apply_with(|project, _| {
            let theme = project.theme(theme_id)?;
            let mut commands = Vec::new();
            for child in project
                .themes()?
                .into_iter()
                .filter(|t| t.parent_id == Some(theme_id))
            {
                let mut moved = child.clone();
                moved.parent_id = theme.parent_id;
                commands.push(Command::UpdateTheme {
                    before: child,
                    after: moved,
                });
            }
            for coding in store::codings_of_theme(&project.conn, theme_id)? {
                commands.extend(project.remove_coding_commands(coding)?);
            }
            for memo in store::memos_of(&project.conn, MemoTarget::Theme(theme_id))? {
                commands.push(Command::RemoveMemo(memo));
            }
            commands.push(Command::RemoveTheme(theme.clone()));
            Ok((
                (),
                Some(Command::Batch {
                    label: format!("delete theme {}", theme.name),
                    commands,
                }),
            ))
        })
    }

    /// Moves every coding of `from` to `into` and removes `from` (stances are kept only when
    /// `into` is an axis theme).
    pub fn merge_themes(&mut self, from: ThemeId, into: ThemeId) -> Result<()> {
        if from == into {
            return Ok(());
        }
        self.apply_with(|project, _| {
            let from_theme = project.theme(from)?;
            let into_theme = project.theme(into)?;
            let mut commands = Vec::new();
            for coding in store::codings_of_theme(&project.conn, from)? {
                let mut after = coding.clone();
                after.theme_id = into;
                if !into_theme.is_axis() {
                    after.stance = None;
                }
                commands.push(Command::UpdateCoding {
                    before: coding,
                    after,
                });
            }
            for child in project
                .themes()?
                .into_iter()
                .filter(|t| t.parent_id == Some(from))
            {
                let mut moved = child.clone();
                moved.parent_id = Some(into);
                commands.push(Command::UpdateTheme {
                    before: child,
                    after: moved,
                });
            }
            for memo in store::memos_of(&project.conn, MemoTarget::Theme(from))? {
                let mut moved = memo.clone();
                moved.target = MemoTarget::Theme(into);
                commands.push(Command::UpdateMemo {
                    before: memo,
                    after: moved,
                });
            }
            commands.push(Command::RemoveTheme(from_theme.clone()));
            Ok((
                (),
                Some(Command::Batch {
                    label: format!("merge theme {} into {}", from_theme.name, into_theme.name),
                    commands,
                }),
            ))
        })
    }

    /// Builds (without applying) the command that adds a source with its turns.
    pub fn add_source_command(ids: &mut IdAllocator, new: NewSource) -> (SourceId, Command) {
        let id = ids.source();
        let turns = new
            .turns
            .into_iter()
            .map(|(span, person_id)| SpeakerTurn {
                id: ids.turn(),
                source_id: id,
                span,
                person_id,
            })
            .collect();
        let source = Source {
            id,
            kind: new.kind,
            title: crate::text::clean_title(&new.title),
            text: new.text,
            person_id: new.person_id,
            metadata: new.metadata,
            created_at_ms: now_ms(),
        };
        (id, Command::AddSource(SourceRecord { source, turns }))
    }

    pub fn add_source(&mut self, new: NewSource) -> Result<SourceId> {
        self.apply_with(|_, ids| {
            let (id, command) = Self::add_source_command(ids, new.clone());
            Ok((id, Some(command)))
        })
    }

    /// Removes a source with its codings, turns and memos.
    pub fn remove_source(&mut self, source_id: SourceId) -> Result<()> {
        self.apply_with(|project, _| {
            let source = project.source(source_id)?;
            let turns = store::turns_of_source(&project.conn, source_id)?;
            let mut commands = Vec::new();
            for coding in store::codings_of_source(&project.conn, source_id)? {
                commands.extend(project.remove_coding_commands(coding)?);
            }
            for memo in store::memos_of(&project.conn, MemoTarget::Source(source_id))? {
                commands.push(Command::RemoveMemo(memo));
            }
            let title = source.title.clone();
            commands.push(Command::RemoveSource(SourceRecord { source, turns }));
            Ok((
                (),
                Some(Command::Batch {
                    label: format!("delete source «{title}»"),
                    commands,
                }),
            ))
        })
    }

    /// Changes a source's title, kind, person or metadata (its text never changes).
    pub fn update_source(&mut self, after: Source) -> Result<()> {
        self.apply_with(|project, _| {
            let before = project.source(after.id)?;
            Ok((
                (),
                Some(Command::UpdateSource {
                    before,
                    after: after.clone(),
                }),
            ))
        })
    }

    /// The commands that create the current coder if the project does not know it yet.
    pub fn coder_commands(&self, ids: &mut IdAllocator) -> Result<(CoderId, Vec<Command>)> {
        match store::coder_by_name(&self.conn, &self.coder_name)? {
            Some(coder) => Ok((coder.id, Vec::new())),
            None => {
                let coder = Coder {
                    id: ids.coder(),
                    name: self.coder_name.clone(),
                };
                Ok((coder.id, vec![Command::AddCoder(coder)]))
            }
        }
    }

    /// Builds a coding by the current coder (checked when applied).
    pub fn coding_from(new: NewCoding, id: CodingId, coder_id: CoderId) -> Result<Coding> {
        let stance = match new.stance {
            Some(value) => Some(Stance::new(value).ok_or(Error::StanceOutOfRange(value))?),
            None => None,
        };
        Ok(Coding {
            id,
            source_id: new.source_id,
            theme_id: new.theme_id,
            coder_id,
            span: new.span,
            stance,
            memo: new.memo,
            created_at_ms: now_ms(),
        })
    }

    /// Codes a span with a theme (and a stance on axis themes); returns the new coding's id.
    pub fn code(&mut self, new: NewCoding) -> Result<CodingId> {
        let ids = self.code_many("code", vec![new])?;
        Ok(ids[0])
    }

    /// Codes several spans as one undoable step (e.g. all search hits).
    pub fn code_many(&mut self, label: &str, codings: Vec<NewCoding>) -> Result<Vec<CodingId>> {
        self.apply_with(|project, ids| {
            let (coder_id, mut commands) = project.coder_commands(ids)?;
            let mut coding_ids = Vec::with_capacity(codings.len());
            for new in &codings {
                let coding = Self::coding_from(new.clone(), ids.coding(), coder_id)?;
                coding_ids.push(coding.id);
                commands.push(Command::AddCoding(coding));
            }
            let command = if commands.len() == 1 {
                commands.pop().expect("one command")
            } else {
                Command::Batch {
                    label: label.to_string(),
                    commands,
                }
            };
            Ok((coding_ids, Some(command)))
        })
    }

    /// Codes a span with a new theme named by its text ("in vivo"), as one undoable step.
    pub fn code_in_vivo(
        &mut self,
        source_id: SourceId,
        span: CharSpan,
    ) -> Result<(ThemeId, CodingId)> {
        self.apply_with(|project, ids| {
            let source = project.source(source_id)?;
            let quote =
                crate::text::slice_chars(&source.text, span).ok_or(Error::SpanOutOfRange {
                    source_id,
                    span,
                    len: source.char_len(),
                })?;
            let mut name: String = crate::text::one_line(quote).chars().take(60).collect();
            if name.is_empty() {
                return Err(Error::EmptyThemeName);
            }
            if store::theme_by_name(&project.conn, &name)?.is_some() {
                name = format!("{name} ({})", project.themes()?.len() + 1);
            }
            let (theme_id, add_theme) = project.add_theme_command(
                ids,
                NewTheme {
                    name: name.clone(),
                    description: "In-vivo theme, named by the coded text.".into(),
                    ..Default::default()
                },
            )?;
            let (coder_id, mut commands) = project.coder_commands(ids)?;
            commands.insert(0, add_theme);
            let coding = Self::coding_from(
                NewCoding::new(source_id, span, theme_id),
                ids.coding(),
                coder_id,
            )?;
            let coding_id = coding.id;
            commands.push(Command::AddCoding(coding));
            Ok((
                (theme_id, coding_id),
                Some(Command::Batch {
                    label: format!("code in vivo as {name}"),
                    commands,
                }),
            ))
        })
    }

    fn remove_coding_commands(&self, coding: Coding) -> Result<Vec<Command>> {
        let mut commands: Vec<Command> =
            store::memos_of(&self.conn, MemoTarget::Coding(coding.id))?
                .into_iter()
                .map(Command::RemoveMemo)
                .collect();
        commands.push(Command::RemoveCoding(coding));
        Ok(commands)
    }

    pub fn remove_coding(&mut self, coding_id: CodingId) -> Result<()> {
        self.apply_with(|project, _| {
            let coding = project.coding(coding_id)?;
            let mut commands = project.remove_coding_commands(coding)?;
            let command = if commands.len() == 1 {
                commands.pop().expect("one command")
            } else {
                Command::Batch {
                    label: "remove coding".to_string(),
                    commands,
                }
            };
            Ok(((), Some(command)))
        })
    }

    fn update_coding(&mut self, coding_id: CodingId, edit: impl Fn(&mut Coding)) -> Result<()> {
        self.apply_with(|project, _| {
            let before = project.coding(coding_id)?;
            let mut after = before.clone();
            edit(&mut after);
            let change = (after != before).then_some(Command::UpdateCoding { before, after });
            Ok(((), change))
        })
    }

    /// Sets or clears the stance of a coding (axis themes only, −2…+2).
    pub fn set_stance(&mut self, coding_id: CodingId, stance: Option<i64>) -> Result<()> {
        let stance = match stance {
            Some(value) => Some(Stance::new(value).ok_or(Error::StanceOutOfRange(value))?),
            None => None,
        };
        self.update_coding(coding_id, |c| c.stance = stance)
    }

    pub fn set_coding_memo(&mut self, coding_id: CodingId, memo: &str) -> Result<()> {
        self.update_coding(coding_id, |c| c.memo = memo.to_string())
    }

    /// Moves a coding to another theme (its stance is dropped if the new theme is no axis).
    pub fn recode(&mut self, coding_id: CodingId, theme_id: ThemeId) -> Result<()> {
        let axis = self.theme(theme_id)?.is_axis();
        self.update_coding(coding_id, |c| {
            c.theme_id = theme_id;
            if !axis {
                c.stance = None;
            }
        })
    }

    pub fn add_memo(&mut self, target: MemoTarget, title: &str, text: &str) -> Result<MemoId> {
        self.apply_with(|_, ids| {
            let id = ids.memo();
            Ok((
                id,
                Some(Command::AddMemo(Memo {
                    id,
                    target,
                    title: title.trim().to_string(),
                    text: text.to_string(),
                    updated_at_ms: now_ms(),
                })),
            ))
        })
    }

    pub fn update_memo(&mut self, memo_id: MemoId, title: &str, text: &str) -> Result<()> {
        self.apply_with(|project, _| {
            let before = store::memo(&project.conn, memo_id)?;
            if before.title == title && before.text == text {
                return Ok(((), None));
            }
            let after = Memo {
                title: title.to_string(),
                text: text.to_string(),
                updated_at_ms: now_ms(),
                ..before.clone()
            };
            Ok(((), Some(Command::UpdateMemo { before, after })))
        })
    }

    pub fn remove_memo(&mut self, memo_id: MemoId) -> Result<()> {
        self.apply_with(|project, _| {
            let memo = store::memo(&project.conn, memo_id)?;
            Ok(((), Some(Command::RemoveMemo(memo))))
        })
    }

    // ---- reading -------------------------------------------------------------------------

    pub fn sources(&self) -> Result<Vec<SourceSummary>> {
        store::source_summaries(&self.conn)
    }

    /// A source's title, without reading its text.
    pub fn source_title(&self, id: SourceId) -> Result<String> {
        store::source_title(&self.conn, id)
    }

    pub fn source(&self, id: SourceId) -> Result<Source> {
        store::source(&self.conn, id)
    }
    pub fn all_sources(&self) -> Result<Vec<Source>> {
        store::all_sources(&self.conn)
    }
    pub fn speaker_turns(&self, id: SourceId) -> Result<Vec<SpeakerTurn>> {
        store::turns_of_source(&self.conn, id)
    }
    pub fn themes(&self) -> Result<Vec<Theme>> {
        store::themes(&self.conn)
    }
    pub fn theme(&self, id: ThemeId) -> Result<Theme> {
        store::theme(&self.conn, id)
    }
    /// Case-insensitive; the error lists the themes there are.
    pub fn theme_by_name(&self, name: &str) -> Result<Theme> {
        match store::theme_by_name(&self.conn, name)? {
            Some(theme) => Ok(theme),
            None => {
                let names: Vec<String> = self.themes()?.into_iter().map(|t| t.name).collect();
                Err(Error::UnknownName {
                    what: "theme",
                    name: name.to_string(),
                    hint: format!("; the themes are: {}", names.join(", ")),
                })
            }
        }
    }
    pub fn actors(&self) -> Result<Vec<Actor>> {
        store::actors(&self.conn)
    }
    pub fn actor(&self, id: ActorId) -> Result<Actor> {
        store::actor(&self.conn, id)
    }
    /// Case-insensitive, by short or full name.
    pub fn actor_by_name(&self, name: &str) -> Result<Actor> {
        let actors = self.actors()?;
        let wanted = name.trim();
        actors
            .iter()
            .find(|a| {
                a.name.eq_ignore_ascii_case(wanted) || a.full_name.eq_ignore_ascii_case(wanted)
            })
            .cloned()
            .ok_or_else(|| Error::UnknownName {
                what: "actor",
                name: name.to_string(),
                hint: format!(
                    "; the actors are: {}",
                    actors
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
    }
    pub fn persons(&self) -> Result<Vec<Person>> {
        store::persons(&self.conn)
    }
    /// Case-insensitive (ASCII letters), by full name.
    pub fn person_by_name(&self, name: &str) -> Result<Person> {
        self.persons()?
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| Error::UnknownName {
                what: "person",
                name: name.to_string(),
                hint: String::new(),
            })
    }
    pub fn person(&self, id: PersonId) -> Result<Person> {
        store::person(&self.conn, id)
    }
    pub fn coders(&self) -> Result<Vec<Coder>> {
        store::coders(&self.conn)
    }
    /// Case-insensitive; the error lists the coders there are.
    pub fn coder_by_name(&self, name: &str) -> Result<Coder> {
        let coders = self.coders()?;
        let wanted = name.trim();
        coders
            .iter()
            .find(|c| c.name.trim().eq_ignore_ascii_case(wanted))
            .cloned()
            .ok_or_else(|| Error::UnknownName {
                what: "coder",
                name: name.to_string(),
                hint: format!(
                    "; the coders are: {}",
                    coders
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
    }
    pub fn coding(&self, id: CodingId) -> Result<Coding> {
        store::coding(&self.conn, id)?.ok_or(Error::UnknownCoding(id))
    }
    pub fn codings_of_source(&self, id: SourceId) -> Result<Vec<Coding>> {
        store::codings_of_source(&self.conn, id)
    }
    /// How many codings each theme and coder has, counted by the store.
    pub fn coding_counts(&self) -> Result<crate::stats::CodingCounts> {
        store::coding_counts(&self.conn)
    }
    pub fn all_codings(&self) -> Result<Vec<Coding>> {
        store::all_codings(&self.conn)
    }
    /// Coded excerpts with quote, theme, person and actor, filtered.
    pub fn excerpts(&self, filter: &CodingFilter) -> Result<Vec<CodedExcerpt>> {
        store::excerpts(&self.conn, filter)
    }
    /// Lends each excerpt of [`Self::excerpts`] in turn, copying nothing (large exports);
    /// stops at `f`'s first error. Returns how many there were.
    pub fn for_each_excerpt(
        &self,
        filter: &CodingFilter,
        f: impl FnMut(&ExcerptRef<'_>) -> Result<()>,
    ) -> Result<usize> {
        store::for_each_excerpt(&self.conn, filter, f)
    }
    pub fn memos(&self) -> Result<Vec<Memo>> {
        store::memos(&self.conn)
    }
    pub fn memos_of(&self, target: MemoTarget) -> Result<Vec<Memo>> {
        store::memos_of(&self.conn, target)
    }
    pub fn stats(&self) -> Result<ProjectStats> {
        store::stats(&self.conn)
    }
    /// The newest audit rows, newest first.
    pub fn audit(&self, limit: usize) -> Result<Vec<AuditRow>> {
        store::audit_rows(&self.conn, limit)
    }
    /// Problems found by SQLite's integrity and foreign-key checks and by Sitat's own rules
    /// (every span inside its source, stances only on axis themes); empty when all is well.
    pub fn check(&self) -> Result<Vec<String>> {
        store::integrity_problems(&self.conn)
    }
    /// Writes a consistent copy of the project to the new file `to` (see `backups`).
    pub fn copy_to(&self, to: &Path) -> Result<()> {
        store::backup::copy_to(&self.conn, to)
    }

    /// Replaces the whole project by the copy at `from`. Its revision moves past both, so
    /// caches built on either know they are stale; the undo history is the copy's.
    pub fn restore_from(&mut self, from: &Path) -> Result<()> {
        let revision = self.revision()?;
        store::backup::restore_from(&mut self.conn, from)?;
        // A backup made by an older Sitat is brought up to this one's schema.
        store::migrate(&self.conn, &self.path)?;
        let restored = self.revision()?;
        // Far past both: no cache may replay the restored audit log as if it followed its own.
        let next = revision.max(restored) + crate::index::MAX_INCREMENTAL + 1;
        store::set_info(&self.conn, "revision", &next.to_string())?;
        Ok(())
    }

    /// A fact or setting of the project file itself (`project_info`): when and by what it was
    /// made, its GUID namespace, the demo corpus's title and citation, how many backups to keep.
    pub fn info(&self, key: &str) -> Result<Option<String>> {
        store::info(&self.conn, key)
    }
    /// Records a fact or setting of the project file itself (see [`Project::info`]), outside
    /// the command history: no command, no audit row, no undo. It is exempt because these are
    /// not the researcher's work: undo and redo step through codings, themes and sources, and
    /// must neither take back a setting nor be held up by one. Every change to the work itself
    /// is a [`Command`].
    pub fn set_info(&mut self, key: &str, value: &str) -> Result<()> {
        store::set_info(&self.conn, key, value)
    }
}
