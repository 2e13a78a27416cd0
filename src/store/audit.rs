//! The audit log: one row per change, undo and redo.

use rusqlite::{Connection, params};
use serde::Serialize;

use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at_ms: i64,
    pub action: String,
    pub kind: String,
    pub summary: String,
    pub command_json: String,
    /// Who made the change (empty in rows older than the column).
    pub coder: String,
}

/// One change as the log keeps it.
pub struct AuditEntry<'a> {
    pub at_ms: i64,
    pub action: &'a str,
    pub kind: &'a str,
    pub summary: &'a str,
    pub command_json: &'a str,
    pub coder: &'a str,
}

pub fn insert_audit(conn: &Connection, entry: &AuditEntry<'_>) -> Result<()> {
    conn.execute(
        "INSERT INTO audit_log (at, action, kind, summary, command, coder)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            entry.at_ms,
            entry.action,
            entry.kind,
            entry.summary,
            entry.command_json,
            entry.coder
        ],
    )?;
    Ok(())
}

/// The newest `limit` rows, newest first.
pub fn audit_rows(conn: &Connection, limit: usize) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, action, kind, summary, command, coder FROM audit_log
         ORDER BY id DESC LIMIT ?1",
    )?;
    Ok(stmt
        .query_map([limit as i64], |r| {
            Ok(AuditRow {
                id: r.get(0)?,
                at_ms: r.get(1)?,
                action: r.get(2)?,
                kind: r.get(3)?,
                summary: r.get(4)?,
                command_json: r.get(5)?,
                coder: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}
