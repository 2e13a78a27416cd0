//! Codings, the retrieval query behind every excerpt list, and project statistics.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::{explicit_id, found};
use crate::error::Result;
use crate::model::{
    ActorId, CharSpan, CodedExcerpt, CoderId, Coding, CodingId, PersonId, SourceId, SourceKind,
    Stance, ThemeId,
};
use crate::query::{CodingFilter, ProjectStats};
use crate::text::CharIndex;

const CODING_COLUMNS: &str = "c.id, c.source_id, c.theme_id, c.coder_id, c.start_pos, c.end_pos, c.stance, c.memo, c.created_at";

fn coding_row(r: &Row) -> rusqlite::Result<Coding> {
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

/// The person who said the coded span: the speaker turn holding its start, else the source's.
const SPEAKER_SQL: &str = "coalesce(
    (SELECT st.person_id FROM speaker_turns st
     WHERE st.source_id = c.source_id AND st.start_pos <= c.start_pos AND c.start_pos < st.end_pos
     ORDER BY st.start_pos DESC LIMIT 1),
    s.person_id)";

/// Coded excerpts matching `filter`, in codebook order, then source and position.
pub fn excerpts(conn: &Connection, filter: &CodingFilter) -> Result<Vec<CodedExcerpt>> {
    let mut sql = format!(
        "SELECT {CODING_COLUMNS},
                NULL,
                t.name, s.title, s.kind, p.id, p.name, a.id, a.name, k.name, t.sort_order
         FROM codings c
         -- The covering index of migration 0003: never touch the rows' long texts here.
         JOIN sources s INDEXED BY sources_header ON s.id = c.source_id
         JOIN themes t ON t.id = c.theme_id
         JOIN coders k ON k.id = c.coder_id
         LEFT JOIN persons p ON p.id = {SPEAKER_SQL}
         LEFT JOIN actors a ON a.id = p.actor_id
         WHERE 1 = 1"
    );
    let mut values: Vec<Value> = Vec::new();
    let mut any_of = |column: &str, ids: Vec<Value>, sql: &mut String| {
        if ids.is_empty() {
            return;
        }
        let marks = vec!["?"; ids.len()].join(", ");
        sql.push_str(&format!(" AND {column} IN ({marks})"));
        values.extend(ids);
    };
    let ints = |ids: Vec<i64>| ids.into_iter().map(Value::Integer).collect::<Vec<_>>();
    any_of(
        "c.theme_id",
        ints(filter.theme_ids.iter().map(|i| i.0).collect()),
        &mut sql,
    );
    any_of(
        "a.id",
        ints(filter.actor_ids.iter().map(|i| i.0).collect()),
        &mut sql,
    );
    any_of(
        "p.id",
        ints(filter.person_ids.iter().map(|i| i.0).collect()),
        &mut sql,
    );
    any_of(
        "c.source_id",
        ints(filter.source_ids.iter().map(|i| i.0).collect()),
        &mut sql,
    );
    any_of(
        "c.coder_id",
        ints(filter.coder_ids.iter().map(|i| i.0).collect()),
        &mut sql,
    );
    any_of(
        "s.kind",
        filter
            .source_kinds
            .iter()
            .map(|k| Value::Text(k.as_str().to_string()))
            .collect(),
        &mut sql,
    );
    if let Some(min) = filter.stance_min {
        sql.push_str(" AND c.stance >= ?");
        values.push(Value::Integer(min));
    }
    if let Some(max) = filter.stance_max {
        sql.push_str(" AND c.stance <= ?");
        values.push(Value::Integer(max));
    }
    // Sorted in Rust below: SQLite's sort would move every wide row through a temporary B-tree.
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(values), |r| {
        let kind: String = r.get(12)?;
        let theme_order: i64 = r.get(18)?;
        Ok((
            theme_order,
            CodedExcerpt {
                coding: coding_row(r)?,
                quote: String::new(), // cut below, from each source's text read once
                theme_name: r.get(10)?,
                source_title: r.get(11)?,
                source_kind: SourceKind::parse(&kind).unwrap_or(SourceKind::Note),
                person_id: r.get::<_, Option<i64>>(13)?.map(PersonId),
                person_name: r.get(14)?,
                actor_id: r.get::<_, Option<i64>>(15)?.map(ActorId),
                actor_name: r.get(16)?,
                coder_name: r.get(17)?,
            },
        ))
    })?;
    let mut rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    // Codebook order, then source and position.
    rows.sort_unstable_by_key(|(theme_order, e)| {
        let c = &e.coding;
        (*theme_order, c.theme_id, c.source_id, c.span.start, c.id)
    });
    let mut excerpts: Vec<CodedExcerpt> = rows.into_iter().map(|(_, e)| e).collect();
    fill_quotes(conn, &mut excerpts)?;
    Ok(excerpts)
}

/// Cuts each excerpt's quote from its source's text, reading every text once: cutting in SQL
/// (`substr`) would load a long text again for each of its codings.
fn fill_quotes(conn: &Connection, excerpts: &mut [CodedExcerpt]) -> Result<()> {
    let mut stmt = conn.prepare_cached("SELECT text FROM sources WHERE id = ?1")?;
    let mut order: Vec<(SourceId, usize)> = excerpts
        .iter()
        .enumerate()
        .map(|(i, e)| (e.coding.source_id, i))
        .collect();
    order.sort_unstable();
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        let text: String = stmt.query_row([group[0].0.0], |r| r.get(0))?;
        let index = CharIndex::new(&text);
        for &(_, i) in group {
            if let Some(range) = index.byte_range(excerpts[i].coding.span) {
                excerpts[i].quote = text[range].to_string();
            }
        }
    }
    Ok(())
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
    let codings_by_actor = grouped(
        conn,
        &format!(
            "SELECT coalesce(a.name, '(no actor)'), count(*)
             FROM codings c JOIN sources s ON s.id = c.source_id
             LEFT JOIN persons p ON p.id = {SPEAKER_SQL}
             LEFT JOIN actors a ON a.id = p.actor_id
             GROUP BY a.id ORDER BY a.id IS NULL, a.id"
        ),
    )?;
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
