//! Sources (immutable texts) and their speaker turns.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{explicit_id, found};
use crate::error::Result;
use crate::model::{
    ActorId, CharSpan, Metadata, PersonId, Source, SourceId, SourceKind, SourceSummary,
    SpeakerTurn, TurnId,
};

fn kind_from_sql(kind: String) -> rusqlite::Result<SourceKind> {
    SourceKind::parse(&kind).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown source kind {kind:?}").into(),
        )
    })
}

fn metadata_from_json(json: &str) -> Metadata {
    serde_json::from_str(json).unwrap_or_default()
}

pub fn insert_source(conn: &Connection, source: &Source) -> Result<SourceId> {
    let metadata = serde_json::to_string(&source.metadata).expect("metadata serialises");
    conn.execute(
        "INSERT INTO sources (id, kind, title, text, char_len, person_id, metadata, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            explicit_id(source.id.0),
            source.kind.as_str(),
            source.title,
            source.text,
            source.char_len() as i64,
            source.person_id.map(|p| p.0),
            metadata,
            source.created_at_ms
        ],
    )?;
    Ok(SourceId(conn.last_insert_rowid()))
}

pub fn delete_source(conn: &Connection, id: SourceId) -> Result<()> {
    conn.execute("DELETE FROM speaker_turns WHERE source_id = ?1", [id.0])?;
    let changed = conn.execute("DELETE FROM sources WHERE id = ?1", [id.0])?;
    found((changed == 1).then_some(()), "source", id.0)
}

/// Only the attribution and title of a source can change; its text is immutable.
pub fn update_source_header(conn: &Connection, source: &Source) -> Result<()> {
    let metadata = serde_json::to_string(&source.metadata).expect("metadata serialises");
    let changed = conn.execute(
        "UPDATE sources SET title = ?2, person_id = ?3, metadata = ?4, kind = ?5 WHERE id = ?1",
        params![
            source.id.0,
            source.title,
            source.person_id.map(|p| p.0),
            metadata,
            source.kind.as_str()
        ],
    )?;
    found((changed == 1).then_some(()), "source", source.id.0)
}

fn source_row(r: &Row) -> rusqlite::Result<Source> {
    Ok(Source {
        id: SourceId(r.get(0)?),
        kind: kind_from_sql(r.get(1)?)?,
        title: r.get(2)?,
        text: r.get(3)?,
        person_id: r.get::<_, Option<i64>>(4)?.map(PersonId),
        metadata: metadata_from_json(&r.get::<_, String>(5)?),
        created_at_ms: r.get(6)?,
    })
}

pub fn source(conn: &Connection, id: SourceId) -> Result<Source> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, title, text, person_id, metadata, created_at FROM sources WHERE id = ?1",
    )?;
    found(
        stmt.query_row([id.0], source_row).optional()?,
        "source",
        id.0,
    )
}

/// Every source with its full text (for indexing and export).
pub fn all_sources(conn: &Connection) -> Result<Vec<Source>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, title, text, person_id, metadata, created_at FROM sources ORDER BY id",
    )?;
    Ok(stmt
        .query_map([], source_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn source_char_len(conn: &Connection, id: SourceId) -> Result<usize> {
    let len: Option<i64> = conn
        .query_row("SELECT char_len FROM sources WHERE id = ?1", [id.0], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(found(len, "source", id.0)? as usize)
}

pub fn source_title(conn: &Connection, id: SourceId) -> Result<String> {
    let title: Option<String> = conn
        .query_row("SELECT title FROM sources WHERE id = ?1", [id.0], |r| {
            r.get(0)
        })
        .optional()?;
    found(title, "source", id.0)
}

/// At most `max_chars` code points of a source's text from the start of `span`, read without
/// the rest of the text (SQLite's `substr` counts characters of UTF-8 text).
pub fn source_quote(
    conn: &Connection,
    id: SourceId,
    span: CharSpan,
    max_chars: usize,
) -> Result<String> {
    let quote: Option<String> = conn
        .query_row(
            "SELECT substr(text, ?2, ?3) FROM sources WHERE id = ?1",
            params![
                id.0,
                span.start as i64 + 1,
                span.len().min(max_chars) as i64
            ],
            |r| r.get(0),
        )
        .optional()?;
    found(quote, "source", id.0)
}

/// Every source without its text, with its actor and number of codings.
pub fn source_summaries(conn: &Connection) -> Result<Vec<SourceSummary>> {
    let mut stmt = conn.prepare_cached(
        // A transcript whose turns are all one actor's (the interviewer's left unattributed)
        // belongs with that actor, as its source person would.
        "SELECT s.id, s.kind, s.title, s.person_id,
                coalesce(p.actor_id,
                    (SELECT CASE WHEN count(DISTINCT tp.actor_id) = 1 THEN max(tp.actor_id) END
                     FROM speaker_turns st JOIN persons tp ON tp.id = st.person_id
                     WHERE st.source_id = s.id)),
                s.char_len,
                (SELECT count(*) FROM codings c WHERE c.source_id = s.id)
         FROM sources s LEFT JOIN persons p ON p.id = s.person_id
         ORDER BY s.id",
    )?;
    Ok(stmt
        .query_map([], |r| {
            Ok(SourceSummary {
                id: SourceId(r.get(0)?),
                kind: kind_from_sql(r.get(1)?)?,
                title: r.get(2)?,
                person_id: r.get::<_, Option<i64>>(3)?.map(PersonId),
                actor_id: r.get::<_, Option<i64>>(4)?.map(ActorId),
                char_len: r.get::<_, i64>(5)? as usize,
                coding_count: r.get::<_, i64>(6)? as usize,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn insert_turn(conn: &Connection, turn: &SpeakerTurn) -> Result<TurnId> {
    conn.execute(
        "INSERT INTO speaker_turns (id, source_id, start_pos, end_pos, person_id)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            explicit_id(turn.id.0),
            turn.source_id.0,
            turn.span.start as i64,
            turn.span.end as i64,
            turn.person_id.0
        ],
    )?;
    Ok(TurnId(conn.last_insert_rowid()))
}

pub fn turns_of_source(conn: &Connection, id: SourceId) -> Result<Vec<SpeakerTurn>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, source_id, start_pos, end_pos, person_id FROM speaker_turns
         WHERE source_id = ?1 ORDER BY start_pos",
    )?;
    Ok(stmt
        .query_map([id.0], |r| {
            Ok(SpeakerTurn {
                id: TurnId(r.get(0)?),
                source_id: SourceId(r.get(1)?),
                span: CharSpan::new(r.get::<_, i64>(2)? as usize, r.get::<_, i64>(3)? as usize),
                person_id: PersonId(r.get(4)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}
