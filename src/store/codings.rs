//! Codings, the retrieval query behind every excerpt list, and project statistics.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use std::collections::HashMap;

use super::speakers::Speakers;
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

/// Coded excerpts matching `filter`, in codebook order, then source and position.
///
/// Codings are read with the filters that are theirs (theme, source, coder, stance); names,
/// speakers and the person, actor and kind filters are resolved in Rust from lookup tables read
/// once, which is several times faster than joins with a subquery per coding.
pub fn excerpts(conn: &Connection, filter: &CodingFilter) -> Result<Vec<CodedExcerpt>> {
    let names = Names::load(conn)?;
    let speakers = Speakers::load(conn)?;
    let mut sql = format!("SELECT {CODING_COLUMNS} FROM codings c WHERE 1 = 1");
    let mut values: Vec<Value> = Vec::new();
    let mut any_of = |column: &str, ids: Vec<i64>| {
        if ids.is_empty() {
            return;
        }
        let marks = vec!["?"; ids.len()].join(", ");
        sql.push_str(&format!(" AND {column} IN ({marks})"));
        values.extend(ids.into_iter().map(Value::Integer));
    };
    any_of("c.theme_id", filter.theme_ids.iter().map(|i| i.0).collect());
    any_of(
        "c.source_id",
        filter.source_ids.iter().map(|i| i.0).collect(),
    );
    any_of("c.coder_id", filter.coder_ids.iter().map(|i| i.0).collect());
    if let Some(min) = filter.stance_min {
        sql.push_str(" AND c.stance >= ?");
        values.push(Value::Integer(min));
    }
    if let Some(max) = filter.stance_max {
        sql.push_str(" AND c.stance <= ?");
        values.push(Value::Integer(max));
    }
    let mut stmt = conn.prepare(&sql)?;
    let codings = stmt.query_map(params_from_iter(values), coding_row)?;
    let mut rows: Vec<(i64, CodedExcerpt)> = Vec::new();
    for coding in codings {
        let coding = coding?;
        // Foreign keys guarantee these; a missing one would be a damaged file, skipped.
        let (Some(source), Some(theme), Some(coder)) = (
            names.sources.get(&coding.source_id),
            names.themes.get(&coding.theme_id),
            names.coders.get(&coding.coder_id),
        ) else {
            continue;
        };
        if !filter.source_kinds.is_empty() && !filter.source_kinds.contains(&source.kind) {
            continue;
        }
        let person_id = speakers.person_at(coding.source_id, source.person, coding.span.start);
        let person = person_id.and_then(|p| names.persons.get(&p));
        let actor_id = person.map(|p| p.actor);
        if !filter.person_ids.is_empty()
            && !person_id.is_some_and(|p| filter.person_ids.contains(&p))
        {
            continue;
        }
        if !filter.actor_ids.is_empty() && !actor_id.is_some_and(|a| filter.actor_ids.contains(&a))
        {
            continue;
        }
        rows.push((
            theme.sort_order,
            CodedExcerpt {
                quote: String::new(), // cut below, from each source's text read once
                theme_name: theme.name.clone(),
                source_title: source.title.clone(),
                source_kind: source.kind,
                person_id: person.and(person_id),
                person_name: person.map(|p| p.name.clone()),
                actor_id,
                actor_name: actor_id.and_then(|a| names.actors.get(&a)).cloned(),
                coder_name: coder.clone(),
                coding,
            },
        ));
    }
    // Codebook order, then source and position. Keys are sorted, not the wide rows themselves.
    let mut order: Vec<_> = rows
        .iter()
        .enumerate()
        .map(|(i, (theme_order, e))| {
            let c = &e.coding;
            (
                (*theme_order, c.theme_id, c.source_id, c.span.start, c.id),
                i,
            )
        })
        .collect();
    order.sort_unstable();
    let mut slots: Vec<Option<CodedExcerpt>> = rows.into_iter().map(|(_, e)| Some(e)).collect();
    let mut excerpts: Vec<CodedExcerpt> = order
        .into_iter()
        .filter_map(|(_, i)| slots[i].take())
        .collect();
    fill_quotes(conn, &mut excerpts)?;
    Ok(excerpts)
}

struct SourceHeader {
    title: String,
    kind: SourceKind,
    person: Option<PersonId>,
}

struct ThemeName {
    name: String,
    sort_order: i64,
}

struct PersonName {
    name: String,
    actor: ActorId,
}

/// The names an excerpt list shows, by id, each table read once.
struct Names {
    sources: HashMap<SourceId, SourceHeader>,
    themes: HashMap<ThemeId, ThemeName>,
    coders: HashMap<CoderId, String>,
    persons: HashMap<PersonId, PersonName>,
    actors: HashMap<ActorId, String>,
}

impl Names {
    fn load(conn: &Connection) -> Result<Names> {
        fn table<K: std::hash::Hash + Eq, V>(
            conn: &Connection,
            sql: &str,
            row: impl FnMut(&Row) -> rusqlite::Result<(K, V)>,
        ) -> Result<HashMap<K, V>> {
            let mut stmt = conn.prepare_cached(sql)?;
            Ok(stmt
                .query_map([], row)?
                .collect::<rusqlite::Result<HashMap<K, V>>>()?)
        }
        Ok(Names {
            // The covering index of migration 0003: never touch the rows' long texts here.
            sources: table(
                conn,
                "SELECT id, title, kind, person_id FROM sources INDEXED BY sources_header",
                |r| {
                    let kind: String = r.get(2)?;
                    Ok((
                        SourceId(r.get(0)?),
                        SourceHeader {
                            title: r.get(1)?,
                            kind: SourceKind::parse(&kind).unwrap_or(SourceKind::Note),
                            person: r.get::<_, Option<i64>>(3)?.map(PersonId),
                        },
                    ))
                },
            )?,
            themes: table(conn, "SELECT id, name, sort_order FROM themes", |r| {
                Ok((
                    ThemeId(r.get(0)?),
                    ThemeName {
                        name: r.get(1)?,
                        sort_order: r.get(2)?,
                    },
                ))
            })?,
            coders: table(conn, "SELECT id, name FROM coders", |r| {
                Ok((CoderId(r.get(0)?), r.get(1)?))
            })?,
            persons: table(conn, "SELECT id, name, actor_id FROM persons", |r| {
                Ok((
                    PersonId(r.get(0)?),
                    PersonName {
                        name: r.get(1)?,
                        actor: ActorId(r.get(2)?),
                    },
                ))
            })?,
            actors: table(conn, "SELECT id, name FROM actors", |r| {
                Ok((ActorId(r.get(0)?), r.get(1)?))
            })?,
        })
    }
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

/// (actor, codings in text attributed to it), actors in id order, then "(no actor)".
fn codings_by_actor(conn: &Connection) -> Result<Vec<(String, usize)>> {
    let speakers = Speakers::load(conn)?;
    let source_person: HashMap<SourceId, Option<PersonId>> = conn
        .prepare("SELECT id, person_id FROM sources INDEXED BY sources_header")?
        .query_map([], |r| {
            Ok((
                SourceId(r.get(0)?),
                r.get::<_, Option<i64>>(1)?.map(PersonId),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let actor_of: HashMap<PersonId, ActorId> = conn
        .prepare("SELECT id, actor_id FROM persons")?
        .query_map([], |r| Ok((PersonId(r.get(0)?), ActorId(r.get(1)?))))?
        .collect::<rusqlite::Result<_>>()?;
    let mut counts: HashMap<Option<ActorId>, usize> = HashMap::new();
    let mut stmt = conn.prepare("SELECT source_id, start_pos FROM codings")?;
    let positions = stmt.query_map([], |r| {
        Ok((SourceId(r.get(0)?), r.get::<_, i64>(1)? as usize))
    })?;
    for position in positions {
        let (source, pos) = position?;
        let own = source_person.get(&source).copied().flatten();
        let actor = speakers
            .person_at(source, own, pos)
            .and_then(|p| actor_of.get(&p).copied());
        *counts.entry(actor).or_default() += 1;
    }
    let names: HashMap<ActorId, String> = conn
        .prepare("SELECT id, name FROM actors")?
        .query_map([], |r| Ok((ActorId(r.get(0)?), r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut counts: Vec<(Option<ActorId>, usize)> = counts.into_iter().collect();
    // As before: actors by id, unattributed text last.
    counts.sort_by_key(|(actor, _)| (actor.is_none(), *actor));
    Ok(counts
        .into_iter()
        .map(|(actor, n)| {
            let name = actor
                .and_then(|a| names.get(&a).cloned())
                .unwrap_or_else(|| "(no actor)".to_string());
            (name, n)
        })
        .collect())
}

pub fn stats(conn: &Connection) -> Result<ProjectStats> {
    let sources_by_kind = grouped(
        conn,
        "SELECT kind, count(*) FROM sources GROUP BY kind ORDER BY kind",
    )?;
    let codings_by_actor = codings_by_actor(conn)?;
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
