//! Numbered migrations from `migrations/`, applied in order; the version is `PRAGMA user_version`.

use std::path::Path;

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Every migration, in order: index `i` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../../migrations/0001_init.sql")),
    (
        "0002_lookup_indexes",
        include_str!("../../migrations/0002_lookup_indexes.sql"),
    ),
    (
        "0003_source_header_index",
        include_str!("../../migrations/0003_source_header_index.sql"),
    ),
    (
        "0004_history",
        include_str!("../../migrations/0004_history.sql"),
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Brings the file up to `SCHEMA_VERSION`; refuses a file from a newer Sitat.
pub fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    migrate_to(conn, path, SCHEMA_VERSION)
}

/// Brings the file up to `target` (tests use it to make files at earlier versions).
pub fn migrate_to(conn: &Connection, path: &Path, target: i64) -> Result<()> {
    let found = schema_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(Error::FutureSchema {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, (_name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= found || version > target {
            continue;
        }
        // Each step and its version bump commit together: a crash leaves the old version intact.
        // The write lock comes first and the version is read again under it: another process
        // may have taken this step while we waited.
        let tx = super::begin_write(conn)?;
        if schema_version(&tx)? >= version {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
