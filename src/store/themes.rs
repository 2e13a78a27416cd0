//! The codebook: themes with hierarchy, colour, description and axis poles.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{explicit_id, found};
use crate::error::Result;
use crate::model::{Poles, Theme, ThemeId};

const COLUMNS: &str =
    "id, name, parent_id, color, description, pole_negative, pole_positive, sort_order";

fn theme_row(r: &Row) -> rusqlite::Result<Theme> {
    let negative: Option<String> = r.get(5)?;
    let positive: Option<String> = r.get(6)?;
    Ok(Theme {
        id: ThemeId(r.get(0)?),
        name: r.get(1)?,
        parent_id: r.get::<_, Option<i64>>(2)?.map(ThemeId),
        color: r.get(3)?,
        description: r.get(4)?,
        poles: negative
            .zip(positive)
            .map(|(negative, positive)| Poles { negative, positive }),
        sort_order: r.get(7)?,
    })
}

pub fn insert_theme(conn: &Connection, theme: &Theme) -> Result<ThemeId> {
    conn.execute(
        &format!("INSERT INTO themes ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![
            explicit_id(theme.id.0),
            theme.name,
            theme.parent_id.map(|p| p.0),
            theme.color,
            theme.description,
            theme.poles.as_ref().map(|p| &p.negative),
            theme.poles.as_ref().map(|p| &p.positive),
            theme.sort_order
        ],
    )?;
    Ok(ThemeId(conn.last_insert_rowid()))
}

pub fn update_theme(conn: &Connection, theme: &Theme) -> Result<()> {
    let changed = conn.execute(
        "UPDATE themes SET name = ?2, parent_id = ?3, color = ?4, description = ?5,
         pole_negative = ?6, pole_positive = ?7, sort_order = ?8 WHERE id = ?1",
        params![
            theme.id.0,
            theme.name,
            theme.parent_id.map(|p| p.0),
            theme.color,
            theme.description,
            theme.poles.as_ref().map(|p| &p.negative),
            theme.poles.as_ref().map(|p| &p.positive),
            theme.sort_order
        ],
    )?;
    found((changed == 1).then_some(()), "theme", theme.id.0)
}

pub fn delete_theme(conn: &Connection, id: ThemeId) -> Result<()> {
    let changed = conn.execute("DELETE FROM themes WHERE id = ?1", [id.0])?;
    found((changed == 1).then_some(()), "theme", id.0)
}

/// All themes, in codebook order (sort order, then id).
pub fn themes(conn: &Connection) -> Result<Vec<Theme>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM themes ORDER BY sort_order, id"
    ))?;
    Ok(stmt
        .query_map([], theme_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn theme(conn: &Connection, id: ThemeId) -> Result<Theme> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM themes WHERE id = ?1"))?;
    found(stmt.query_row([id.0], theme_row).optional()?, "theme", id.0)
}

/// Case-insensitive lookup by name.
pub fn theme_by_name(conn: &Connection, name: &str) -> Result<Option<Theme>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM themes WHERE name = ?1 COLLATE NOCASE"
    ))?;
    Ok(stmt.query_row([name.trim()], theme_row).optional()?)
}

pub fn next_theme_sort_order(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(sort_order), -1) + 1 FROM themes",
        [],
        |r| r.get(0),
    )?)
}
