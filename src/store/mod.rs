//! The SQLite project store: the only module (with `migrations/`) that holds SQL.
//!
//! Functions take a `&Connection` so that they run inside whichever transaction the caller holds
//! (`rusqlite::Transaction` derefs to `Connection`).

mod actors;
mod audit;
pub mod backup;
mod codings;
mod excerpts;
pub mod history;
mod memos;
mod migrate;
mod sources;
mod speakers;
mod themes;

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

pub use actors::*;
pub use audit::*;
pub use codings::*;
pub use excerpts::{excerpts, for_each_excerpt};
pub use memos::*;
pub use migrate::{MIGRATIONS, SCHEMA_VERSION, migrate, migrate_to, schema_version};
pub use sources::*;
pub use speakers::Speakers;
pub use themes::*;

use crate::error::{Error, Result};

/// Opens (creating if `create`) a project file with WAL and foreign keys on, and migrates it.
///
/// An existing file is identified before anything is written to it: a file that is not a Sitat
/// project (another program's SQLite database, an empty file) is refused untouched.
pub fn open(path: &Path, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    } else {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.len() == 0 {
            return Err(Error::NotAProject {
                path: path.to_path_buf(),
            });
        }
        if meta.permissions().readonly() {
            return Err(Error::ReadOnlyFile {
                path: path.to_path_buf(),
            });
        }
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if std::fs::metadata(folder).is_ok_and(|m| m.permissions().readonly()) {
        return Err(Error::ReadOnlyFolder {
            path: path.to_path_buf(),
        });
    }
    let open_error = |source: rusqlite::Error| match source.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotAProject {
            path: path.to_path_buf(),
        },
        Some(rusqlite::ErrorCode::ReadOnly) => Error::ReadOnlyFile {
            path: path.to_path_buf(),
        },
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => Error::DamagedProject {
            path: path.to_path_buf(),
            detail: "SQLite finds its pages malformed; the file may be cut short".into(),
        },
        _ => Error::Open {
            path: path.to_path_buf(),
            source,
        },
    };
    let conn = Connection::open_with_flags(path, flags).map_err(open_error)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
    if !create && !looks_like_sitat(&conn).map_err(open_error)? {
        return Err(Error::NotAProject {
            path: path.to_path_buf(),
        });
    }
    configure(&conn).map_err(open_error)?;
    migrate(&conn, path)?;
    Ok(conn)
}

/// How long a statement waits for another process's write lock before it gives up.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// How long a command keeps retrying its whole transaction while other processes write.
pub const WRITE_RETRY: std::time::Duration = std::time::Duration::from_secs(10);

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // WAL + FULL: a command acknowledged is on the disk (its commit waits for the WAL's fsync),
    // and readers never block the writer.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

/// Copies what the WAL holds into the project file, as far as no reader still needs it, without
/// waiting for anyone: so that the one file a researcher copies, syncs or mails while the
/// workbench is open holds every change made so far (SQLite would otherwise move them only after
/// some 4 MB of changes). Best effort: what it cannot copy now stays safe in the WAL.
pub fn checkpoint(conn: &Connection) {
    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
}

/// Begins a write transaction that holds the write lock from its first statement, so it never
/// fails half-way for wanting to upgrade a read to a write.
pub fn begin_write(conn: &Connection) -> Result<rusqlite::Transaction<'_>> {
    Ok(rusqlite::Transaction::new_unchecked(
        conn,
        rusqlite::TransactionBehavior::Immediate,
    )?)
}

/// A short, growing, slightly varied pause before retrying a busy write, so two writers that
/// collided do not collide again in step.
pub fn busy_pause(attempt: u32) {
    let jitter = (std::process::id() as u64 ^ (u64::from(attempt) * 7919)) % 7;
    let ms = (u64::from(attempt.min(10)) * 5 + jitter).max(1);
    std::thread::sleep(std::time::Duration::from_millis(ms));
}

/// An existing file is a Sitat project if it has our `project_info` table. An empty database
/// (no tables at all) is a project whose creation was cut short before its first migration.
fn looks_like_sitat(conn: &Connection) -> rusqlite::Result<bool> {
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if tables == 0 {
        return Ok(false);
    }
    let ours: Option<String> = conn
        .query_row(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'project_info'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(ours.is_some())
}

/// SQLite's counter that changes whenever another connection commits to the file.
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
}

pub fn info(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM project_info WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn set_info(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO project_info (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The data revision: bumped by every command, so caches (search index, layouts) know when
/// they are stale.
pub fn revision(conn: &Connection) -> Result<i64> {
    Ok(info(conn, "revision")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

pub fn bump_revision(conn: &Connection) -> Result<i64> {
    let next = revision(conn)? + 1;
    set_info(conn, "revision", &next.to_string())?;
    Ok(next)
}

/// Integrity problems found by `check`: SQLite's own checks plus Sitat's rules.
pub fn integrity_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        let row = row?;
        if row != "ok" {
            problems.push(format!("integrity_check: {row}"));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "foreign key: row {} of {} points to a missing {}",
            r.get::<_, i64>(1)?,
            r.get::<_, String>(0)?,
            r.get::<_, String>(2)?
        ))
    })?;
    for row in rows {
        problems.push(row?);
    }
    let mut stmt = conn.prepare(
        "SELECT c.id, c.source_id, c.start_pos, c.end_pos, s.char_len
         FROM codings c JOIN sources s ON s.id = c.source_id
         WHERE c.start_pos < 0 OR c.end_pos <= c.start_pos OR c.end_pos > s.char_len",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "coding #{} spans [{}, {}) but source #{} has {} characters",
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(4)?
        ))
    })?;
    for row in rows {
        problems.push(row?);
    }
    let mut stmt = conn
        .prepare("SELECT id, char_len, length(text) FROM sources WHERE char_len != length(text)")?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "source #{} records {} characters but holds {}",
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?
        ))
    })?;
    for row in rows {
        problems.push(row?);
    }
    let mut stmt = conn.prepare(
        "SELECT c.id, c.theme_id FROM codings c JOIN themes t ON t.id = c.theme_id
         WHERE c.stance IS NOT NULL AND t.pole_negative IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "coding #{} has a stance on theme #{}, which is not an axis theme",
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?
        ))
    })?;
    for row in rows {
        problems.push(row?);
    }
    Ok(problems)
}

/// `Some(id)` for an id to insert explicitly (redo), `None` to let SQLite choose one.
pub(crate) fn explicit_id(id: i64) -> Option<i64> {
    (id != 0).then_some(id)
}

/// Turns "no row" into the typed error for an unknown id.
pub(crate) fn found<T>(row: Option<T>, what: &'static str, id: i64) -> Result<T> {
    row.ok_or(Error::UnknownId { what, id })
}

/// The next free id of each table, read once and handed out in order, so a batch of commands can
/// refer to the rows it is about to create (a source and the codings on it).
#[derive(Debug, Clone)]
pub struct IdAllocator {
    next: std::collections::HashMap<&'static str, i64>,
}

impl IdAllocator {
    /// The tables whose ids it hands out.
    pub const TABLES: [&'static str; 8] = [
        "actors",
        "persons",
        "coders",
        "themes",
        "sources",
        "speaker_turns",
        "codings",
        "memos",
    ];

    /// The next id it would hand out for `table`.
    pub fn next_of(&self, table: &str) -> i64 {
        self.next.get(table).copied().unwrap_or(1)
    }

    pub fn read(conn: &Connection) -> Result<IdAllocator> {
        let mut next = std::collections::HashMap::new();
        for table in Self::TABLES {
            let max: i64 = conn.query_row(
                &format!("SELECT coalesce(max(id), 0) FROM {table}"),
                [],
                |r| r.get(0),
            )?;
            next.insert(table, max + 1);
        }
        Ok(IdAllocator { next })
    }

    fn take(&mut self, table: &'static str) -> i64 {
        let slot = self.next.get_mut(table).expect("known table");
        let id = *slot;
        *slot += 1;
        id
    }

    pub fn actor(&mut self) -> crate::model::ActorId {
        crate::model::ActorId(self.take("actors"))
    }
    pub fn person(&mut self) -> crate::model::PersonId {
        crate::model::PersonId(self.take("persons"))
    }
    pub fn coder(&mut self) -> crate::model::CoderId {
        crate::model::CoderId(self.take("coders"))
    }
    pub fn theme(&mut self) -> crate::model::ThemeId {
        crate::model::ThemeId(self.take("themes"))
    }
    pub fn source(&mut self) -> crate::model::SourceId {
        crate::model::SourceId(self.take("sources"))
    }
    pub fn turn(&mut self) -> crate::model::TurnId {
        crate::model::TurnId(self.take("speaker_turns"))
    }
    pub fn coding(&mut self) -> crate::model::CodingId {
        crate::model::CodingId(self.take("codings"))
    }
    pub fn memo(&mut self) -> crate::model::MemoId {
        crate::model::MemoId(self.take("memos"))
    }
}
