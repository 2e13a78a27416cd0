//! Coded excerpts: every coding a filter selects, with its quote, theme, source, coder, and the
//! person and actor who said it, in codebook order, then source and position. The statistics'
//! codings per actor use the same attribution.
//!
//! Codings are read with the filters that are theirs (theme, source, coder, stance); names,
//! speakers and the person, actor and kind filters are resolved in Rust from lookup tables read
//! once, rather than by joins with a subquery per coding. Each source's text is read once.
//! [`for_each_excerpt`] lends every excerpt without copying a name or a quote, so that a large
//! export does not spend its time copying and freeing them; [`excerpts`] collects owned ones.

use std::collections::HashMap;
use std::ops::Range;

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params_from_iter};

use super::codings::{CODING_COLUMNS, coding_row};
use super::speakers::Speakers;
use crate::error::Result;
use crate::filter::CodingFilter;
use crate::model::{
    ActorId, CodedExcerpt, CoderId, Coding, ExcerptRef, PersonId, SourceId, SourceKind, ThemeId,
};
use crate::text::CharIndex;

/// Coded excerpts matching `filter`, owned.
pub fn excerpts(conn: &Connection, filter: &CodingFilter) -> Result<Vec<CodedExcerpt>> {
    let mut out = Vec::new();
    for_each_excerpt(conn, filter, |e| {
        out.push(e.to_owned());
        Ok(())
    })?;
    Ok(out)
}

/// Calls `f` with each coded excerpt matching `filter`, in order; stops at its first error.
/// Returns how many there were.
pub fn for_each_excerpt(
    conn: &Connection,
    filter: &CodingFilter,
    mut f: impl FnMut(&ExcerptRef<'_>) -> Result<()>,
) -> Result<usize> {
    let names = Names::load(conn)?;
    let speakers = Speakers::load(conn)?;
    let mut matched = matching_codings(conn, filter, &names, &speakers)?;
    let texts = read_quotes(conn, &mut matched)?;
    // Codebook order, then source and position. Keys are sorted, not the rows themselves.
    let mut order: Vec<_> = matched
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let c = &m.coding;
            (
                (m.theme_order, c.theme_id, c.source_id, c.span.start, c.id),
                i,
            )
        })
        .collect();
    order.sort_unstable();
    for (_, i) in &order {
        let m = &matched[*i];
        let c = &m.coding;
        // Foreign keys guarantee the names: `matching_codings` kept only codings that have them.
        let (Some(source), Some(theme), Some(coder)) = (
            names.sources.get(&c.source_id),
            names.themes.get(&c.theme_id),
            names.coders.get(&c.coder_id),
        ) else {
            continue;
        };
        let quote = texts
            .get(&c.source_id)
            .and_then(|text| text.get(m.quote.clone()))
            .unwrap_or("");
        f(&ExcerptRef {
            coding: c,
            quote,
            theme_name: &theme.name,
            source_title: &source.title,
            source_kind: source.kind,
            person_id: m.person_id,
            person_name: m
                .person_id
                .and_then(|p| names.persons.get(&p))
                .map(|p| p.name.as_str()),
            actor_id: m.actor_id,
            actor_name: m
                .actor_id
                .and_then(|a| names.actors.get(&a))
                .map(String::as_str),
            coder_name: coder,
        })?;
    }
    Ok(order.len())
}

/// (actor, codings in text attributed to it), actors in id order, then "(no actor)".
pub(super) fn codings_by_actor(conn: &Connection) -> Result<Vec<(String, usize)>> {
    let names = Names::load(conn)?;
    let speakers = Speakers::load(conn)?;
    let mut counts: HashMap<Option<ActorId>, usize> = HashMap::new();
    let mut stmt = conn.prepare("SELECT source_id, start_pos FROM codings")?;
    let positions = stmt.query_map([], |r| {
        Ok((SourceId(r.get(0)?), r.get::<_, i64>(1)? as usize))
    })?;
    for position in positions {
        let (source, pos) = position?;
        let (_, actor) = names.speaker(&speakers, source, pos);
        *counts.entry(actor).or_default() += 1;
    }
    let mut counts: Vec<(Option<ActorId>, usize)> = counts.into_iter().collect();
    // Actors by id, unattributed text last.
    counts.sort_by_key(|(actor, _)| (actor.is_none(), *actor));
    Ok(counts
        .into_iter()
        .map(|(actor, n)| {
            let name = actor
                .and_then(|a| names.actors.get(&a).cloned())
                .unwrap_or_else(|| "(no actor)".to_string());
            (name, n)
        })
        .collect())
}

/// A coding the filter selects, with who said it and where its quote is in its source's text.
struct Matched {
    coding: Coding,
    theme_order: i64,
    person_id: Option<PersonId>,
    actor_id: Option<ActorId>,
    /// Bytes of the source's text; set by [`read_quotes`].
    quote: Range<usize>,
}

fn matching_codings(
    conn: &Connection,
    filter: &CodingFilter,
    names: &Names,
    speakers: &Speakers,
) -> Result<Vec<Matched>> {
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
    let mut matched = Vec::new();
    for coding in codings {
        let coding = coding?;
        // Foreign keys guarantee these; a missing one would be a damaged file, skipped.
        let (Some(source), Some(theme), true) = (
            names.sources.get(&coding.source_id),
            names.themes.get(&coding.theme_id),
            names.coders.contains_key(&coding.coder_id),
        ) else {
            continue;
        };
        if !filter.source_kinds.is_empty() && !filter.source_kinds.contains(&source.kind) {
            continue;
        }
        let (person_id, actor_id) = names.speaker(speakers, coding.source_id, coding.span.start);
        if !filter.person_ids.is_empty()
            && !person_id.is_some_and(|p| filter.person_ids.contains(&p))
        {
            continue;
        }
        if !filter.actor_ids.is_empty() && !actor_id.is_some_and(|a| filter.actor_ids.contains(&a))
        {
            continue;
        }
        matched.push(Matched {
            theme_order: theme.sort_order,
            person_id,
            actor_id,
            quote: 0..0,
            coding,
        });
    }
    Ok(matched)
}

/// Reads the text of every source with a matched coding, once, and finds each quote's bytes in
/// it: cutting in SQL (`substr`) would load a long text again for each of its codings.
fn read_quotes(conn: &Connection, matched: &mut [Matched]) -> Result<HashMap<SourceId, String>> {
    let mut stmt = conn.prepare_cached("SELECT text FROM sources WHERE id = ?1")?;
    let mut by_source: Vec<(SourceId, usize)> = matched
        .iter()
        .enumerate()
        .map(|(i, m)| (m.coding.source_id, i))
        .collect();
    by_source.sort_unstable();
    let mut texts = HashMap::new();
    for group in by_source.chunk_by(|a, b| a.0 == b.0) {
        let text: String = stmt.query_row([group[0].0.0], |r| r.get(0))?;
        let index = CharIndex::new(&text);
        for &(_, i) in group {
            if let Some(range) = index.byte_range(matched[i].coding.span) {
                matched[i].quote = range;
            }
        }
        texts.insert(group[0].0, text);
    }
    Ok(texts)
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
    /// Who said the text of `source` at `pos`, and their actor (see [`Speakers::person_at`]).
    fn speaker(
        &self,
        speakers: &Speakers,
        source: SourceId,
        pos: usize,
    ) -> (Option<PersonId>, Option<ActorId>) {
        let own = self.sources.get(&source).and_then(|s| s.person);
        let person = speakers
            .person_at(source, own, pos)
            .and_then(|p| self.persons.get(&p).map(|found| (p, found.actor)));
        (person.map(|(p, _)| p), person.map(|(_, a)| a))
    }

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
