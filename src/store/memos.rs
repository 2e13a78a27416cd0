//! Memos on the project, a source, a theme or a coding.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{explicit_id, found};
use crate::error::Result;
use crate::model::{CodingId, Memo, MemoId, MemoTarget, SourceId, ThemeId};

fn target_to_sql(target: MemoTarget) -> (&'static str, Option<i64>) {
    match target {
        MemoTarget::Project => ("project", None),
        MemoTarget::Source(id) => ("source", Some(id.0)),
        MemoTarget::Theme(id) => ("theme", Some(id.0)),
        MemoTarget::Coding(id) => ("coding", Some(id.0)),
    }
}

fn target_from_sql(kind: &str, id: Option<i64>) -> MemoTarget {
    match (kind, id) {
        ("source", Some(id)) => MemoTarget::Source(SourceId(id)),
        ("theme", Some(id)) => MemoTarget::Theme(ThemeId(id)),
        ("coding", Some(id)) => MemoTarget::Coding(CodingId(id)),
        _ => MemoTarget::Project,
    }
}

fn memo_row(r: &Row) -> rusqlite::Result<Memo> {
    let kind: String = r.get(1)?;
    Ok(Memo {
        id: MemoId(r.get(0)?),
        target: target_from_sql(&kind, r.get(2)?),
        title: r.get(3)?,
        text: r.get(4)?,
        updated_at_ms: r.get(5)?,
    })
}

pub fn insert_memo(conn: &Connection, memo: &Memo) -> Result<MemoId> {
    let (kind, target_id) = target_to_sql(memo.target);
    conn.execute(
        "INSERT INTO memos (id, target_kind, target_id, title, text, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            explicit_id(memo.id.0),
            kind,
            target_id,
            memo.title,
            memo.text,
            memo.updated_at_ms
        ],
    )?;
    Ok(MemoId(conn.last_insert_rowid()))
}

pub fn update_memo(conn: &Connection, memo: &Memo) -> Result<()> {
    let (kind, target_id) = target_to_sql(memo.target);
    let changed = conn.execute(
        "UPDATE memos SET target_kind = ?2, target_id = ?3, title = ?4, text = ?5, updated_at = ?6
         WHERE id = ?1",
        params![
            memo.id.0,
            kind,
            target_id,
            memo.title,
            memo.text,
            memo.updated_at_ms
        ],
    )?;
    found((changed == 1).then_some(()), "memo", memo.id.0)
}

pub fn delete_memo(conn: &Connection, id: MemoId) -> Result<()> {
    let changed = conn.execute("DELETE FROM memos WHERE id = ?1", [id.0])?;
    found((changed == 1).then_some(()), "memo", id.0)
}

const SELECT: &str = "SELECT id, target_kind, target_id, title, text, updated_at FROM memos";

pub fn memo(conn: &Connection, id: MemoId) -> Result<Memo> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
    found(stmt.query_row([id.0], memo_row).optional()?, "memo", id.0)
}

pub fn memos(conn: &Connection) -> Result<Vec<Memo>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY updated_at DESC, id"))?;
    Ok(stmt
        .query_map([], memo_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn memos_of(conn: &Connection, target: MemoTarget) -> Result<Vec<Memo>> {
    let (kind, target_id) = target_to_sql(target);
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE target_kind = ?1 AND target_id IS ?2 ORDER BY id"
    ))?;
    Ok(stmt
        .query_map(params![kind, target_id], memo_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}
