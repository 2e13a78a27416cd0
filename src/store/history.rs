//! The undo and redo stacks (`undo_stack`, `redo_stack`): each entry a command as JSON with a
//! one-line summary; the top is the highest position.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

/// At most this many changes can be undone; older ones drop off the bottom.
pub const MAX_UNDO: i64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stack {
    Undo,
    Redo,
}

impl Stack {
    fn table(self) -> &'static str {
        match self {
            Stack::Undo => "undo_stack",
            Stack::Redo => "redo_stack",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StackEntry {
    pub position: i64,
    pub summary: String,
    pub command_json: String,
}

pub fn push(conn: &Connection, stack: Stack, summary: &str, command_json: &str) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO {} (position, summary, command)
             VALUES ((SELECT coalesce(max(position), 0) + 1 FROM {0}), ?1, ?2)",
            stack.table()
        ),
        params![summary, command_json],
    )?;
    if stack == Stack::Undo {
        conn.execute(
            "DELETE FROM undo_stack WHERE position <= (SELECT max(position) FROM undo_stack) - ?1",
            [MAX_UNDO],
        )?;
    }
    Ok(())
}

pub fn top(conn: &Connection, stack: Stack) -> Result<Option<StackEntry>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT position, summary, command FROM {} ORDER BY position DESC LIMIT 1",
                stack.table()
            ),
            [],
            |r| {
                Ok(StackEntry {
                    position: r.get(0)?,
                    summary: r.get(1)?,
                    command_json: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// The summary of the top entry, without reading its command.
pub fn top_summary(conn: &Connection, stack: Stack) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT summary FROM {} ORDER BY position DESC LIMIT 1",
                stack.table()
            ),
            [],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn remove(conn: &Connection, stack: Stack, position: i64) -> Result<()> {
    conn.execute(
        &format!("DELETE FROM {} WHERE position = ?1", stack.table()),
        [position],
    )?;
    Ok(())
}

pub fn clear(conn: &Connection, stack: Stack) -> Result<()> {
    conn.execute(&format!("DELETE FROM {}", stack.table()), [])?;
    Ok(())
}
