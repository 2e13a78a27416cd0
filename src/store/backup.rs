//! Copies of a project through SQLite's online backup API: a consistent snapshot taken while
//! the project stays open (in WAL mode readers never block the writer), and a copy put back.

use std::path::Path;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// Writes a snapshot of `conn` to `to` (a new file), in one step: one read transaction, so
/// the copy is the project as one commit left it.
pub fn copy_to(conn: &Connection, to: &Path) -> Result<()> {
    let mut target = Connection::open(to).map_err(|source| Error::Open {
        path: to.to_path_buf(),
        source,
    })?;
    {
        let backup = Backup::new(conn, &mut target)?;
        backup.step(-1)?;
    }
    // The copy is a file on its own, readable by any SQLite: no WAL beside it.
    target.pragma_update(None, "journal_mode", "DELETE")?;
    target.close().map_err(|(_, e)| Error::Database(e))
}

/// Replaces everything in `conn`'s database by the contents of the file `from`.
pub fn restore_from(conn: &mut Connection, from: &Path) -> Result<()> {
    let source =
        Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|source| {
            Error::Open {
                path: from.to_path_buf(),
                source,
            }
        })?;
    let backup = Backup::new(&source, conn)?;
    backup.step(-1)?;
    Ok(())
}

/// Sources and codings in a backup file, read without changing it.
pub fn counts(path: &Path) -> Result<(i64, i64)> {
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|source| {
            Error::Open {
                path: path.to_path_buf(),
                source,
            }
        })?;
    let count = |table: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok((count("sources")?, count("codings")?))
}
