//! Codings and project statistics (the excerpt retrieval is in `excerpts`).

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{explicit_id, found};
use crate::error::Result;
use crate::model::{CharSpan, CoderId, Coding, CodingId, SourceId, Stance, ThemeId};
use crate::stats::{CodingCounts, ProjectStats};

pub(super) const CODING_COLUMNS: &str = "c.id, c.source_id, c.theme_id, c.coder_id, c.start_pos, c.end_pos, c.stance, c.memo, c.created_at";

pub(super) fn coding_row(r: &Row) -> rusqlite::Result<Coding> {
    Ok(Coding {
        id: CodingId(r.get(0)?),
        source_id: SourceId(r.get(1)?),
        theme_id: ThemeId(r.get(2)?),
        coder_id: CoderId(r.get(3)?),
        span: CharSpan::new(r.get::<_, i64>(4)? as usize, r.get::<_, i64>(5)? as usize),
        stance: r.get::<_, Option<i64>>(6)?.and_then(Stance::new),
        memo: r.get(7)?,
        created_at_ms: r.get(8)?,
    })
}

pub fn insert_coding(conn: &Connection, coding: &Coding) -> Result<CodingId> {
    conn.execute(
        "INSERT INTO codings (id, source_id, theme_id, coder_id, start_pos, end_pos, stance, memo, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            explicit_id(coding.id.0),
            coding.source_id.0,
            coding.theme_id.0,
            coding.coder_id.0,
            coding.span.start as i64,
            coding.span.end as i64,
            coding.stance.map(Stance::value),
            coding.memo,
            coding.created_at_ms
        ],
    )?;
    Ok(CodingId(conn.last_insert_rowid()))
}

/// Theme, stance and memo can change; the span and source of a coding cannot.
pub fn update_coding(conn: &Connection, coding: &Coding) -> Result<()> {
    let changed = conn.execute(
        "UPDATE codings SET theme_id = ?2, stance = ?3, memo = ?4 WHERE id = ?1",
        params![
            coding.id.0,
            coding.theme_id.0,
            coding.stance.map(Stance::value),
            coding.memo
        ],
    )?;
    found((changed == 1).then_some(()), "coding", coding.id.0)
}

pub fn delete_coding(conn: &Connection, id: CodingId) -> Result<()> {
    let changed = conn.execute("DELETE FROM codings WHERE id = ?1", [id.0])?;
    found((changed == 1).then_some(()), "coding", id.0)
}

pub fn coding(conn: &Connection, id: CodingId) -> Result<Option<Coding>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CODING_COLUMNS} FROM codings c WHERE c.id = ?1"
    ))?;
    Ok(stmt.query_row([id.0], coding_row).optional()?)
}

pub fn codings_of_source(conn: &Connection, id: SourceId) -> Result<Vec<Coding>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CODING_COLUMNS} FROM codings c WHERE c.source_id = ?1 ORDER BY c.start_pos, c.id"
    ))?;
    Ok(stmt
        .query_map([id.0], coding_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn codings_of_theme(conn: &Connection, id: ThemeId) -> Result<Vec<Coding>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CODING_COLUMNS} FROM codings c WHERE c.theme_id = ?1 ORDER BY c.id"
    ))?;
    Ok(stmt
        .query_map([id.0], coding_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn all_codings(conn: &Connection) -> Result<Vec<Coding>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CODING_COLUMNS} FROM codings c ORDER BY c.id"
    ))?;
    Ok(stmt
        .query_map([], coding_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// How many codings each theme and each coder has (those with none are left out).
pub fn coding_counts(conn: &Connection) -> Result<CodingCounts> {
    let mut counts = CodingCounts::default();
    let mut stmt =
        conn.prepare_cached("SELECT theme_id, count(*) FROM codings GROUP BY theme_id")?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?)))? {
        let (id, n) = row?;
        counts.by_theme.insert(ThemeId(id), n as usize);
    }
    let mut stmt =
        conn.prepare_cached("SELECT coder_id, count(*) FROM codings GROUP BY coder_id")?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?)))? {
        let (id, n) = row?;
        counts.by_coder.insert(CoderId(id), n as usize);
    }
    Ok(counts)
}

fn count(conn: &Connection, sql: &str) -> Result<usize> {
    Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as usize)
}

fn grouped(conn: &Connection, sql: &str) -> Result<Vec<(String, usize)>> {
    let mut stmt = conn.prepare(sql)?;
    Ok(stmt
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn stats(conn: &Connection) -> Result<ProjectStats> {
    let sources_by_kind = grouped(
        conn,
        "SELECT kind, count(*) FROM sources GROUP BY kind ORDER BY kind",
    )?;
    let codings_by_actor = super::excerpts::codings_by_actor(conn)?;
    let codings_by_theme = grouped(
        conn,
        "SELECT t.name, count(c.id) FROM themes t LEFT JOIN codings c ON c.theme_id = t.id
         GROUP BY t.id ORDER BY t.sort_order, t.id",
    )?;
    let excerpts_by_person = grouped(
        conn,
        "SELECT p.name || ' (' || a.name || ')', count(s.id)
         FROM persons p JOIN actors a ON a.id = p.actor_id
         LEFT JOIN sources s ON s.person_id = p.id AND s.kind = 'interview'
         GROUP BY p.id ORDER BY a.id, p.id",
    )?;
    Ok(ProjectStats {
        sources_by_kind,
        actors: count(conn, "SELECT count(*) FROM actors")?,
        persons: count(conn, "SELECT count(*) FROM persons")?,
        themes: count(conn, "SELECT count(*) FROM themes")?,
        axis_themes: count(
            conn,
            "SELECT count(*) FROM themes WHERE pole_negative IS NOT NULL",
        )?,
        codings: count(conn, "SELECT count(*) FROM codings")?,
        codings_with_stance: count(
            conn,
            "SELECT count(*) FROM codings WHERE stance IS NOT NULL",
        )?,
        coders: count(conn, "SELECT count(*) FROM coders")?,
        memos: count(conn, "SELECT count(*) FROM memos")?,
        characters: count(conn, "SELECT coalesce(sum(char_len), 0) FROM sources")?,
        codings_by_actor,
        codings_by_theme,
        excerpts_by_person,
    })
}
