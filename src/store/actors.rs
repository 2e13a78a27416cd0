//! Actors with their typed attributes, persons, and coders.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{explicit_id, found};
use crate::error::Result;
use crate::model::{Actor, ActorId, Attribute, AttributeValue, Coder, CoderId, Person, PersonId};

pub fn insert_actor(conn: &Connection, actor: &Actor) -> Result<ActorId> {
    conn.execute(
        "INSERT INTO actors (id, name, full_name) VALUES (?1, ?2, ?3)",
        params![explicit_id(actor.id.0), actor.name, actor.full_name],
    )?;
    let id = ActorId(conn.last_insert_rowid());
    write_attributes(conn, id, &actor.attributes)?;
    Ok(id)
}

pub fn update_actor(conn: &Connection, actor: &Actor) -> Result<()> {
    let changed = conn.execute(
        "UPDATE actors SET name = ?2, full_name = ?3 WHERE id = ?1",
        params![actor.id.0, actor.name, actor.full_name],
    )?;
    found((changed == 1).then_some(()), "actor", actor.id.0)?;
    conn.execute(
        "DELETE FROM actor_attributes WHERE actor_id = ?1",
        [actor.id.0],
    )?;
    write_attributes(conn, actor.id, &actor.attributes)
}

fn write_attributes(conn: &Connection, id: ActorId, attributes: &[Attribute]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO actor_attributes (actor_id, position, name, value_type, value)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (position, attribute) in attributes.iter().enumerate() {
        stmt.execute(params![
            id.0,
            position as i64,
            attribute.name,
            attribute.value.type_name(),
            attribute.value.to_text()
        ])?;
    }
    Ok(())
}

pub fn delete_actor(conn: &Connection, id: ActorId) -> Result<()> {
    conn.execute("DELETE FROM actor_attributes WHERE actor_id = ?1", [id.0])?;
    let changed = conn.execute("DELETE FROM actors WHERE id = ?1", [id.0])?;
    found((changed == 1).then_some(()), "actor", id.0)
}

pub fn actors(conn: &Connection) -> Result<Vec<Actor>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, full_name FROM actors ORDER BY id")?;
    let mut actors = stmt
        .query_map([], |r| {
            Ok(Actor {
                id: ActorId(r.get(0)?),
                name: r.get(1)?,
                full_name: r.get(2)?,
                attributes: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT actor_id, name, value_type, value FROM actor_attributes ORDER BY actor_id, position",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (actor_id, name, value_type, value) = row?;
        if let Some(actor) = actors.iter_mut().find(|a| a.id.0 == actor_id) {
            actor.attributes.push(Attribute {
                name,
                value: AttributeValue::from_stored(&value_type, &value),
            });
        }
    }
    Ok(actors)
}

pub fn actor(conn: &Connection, id: ActorId) -> Result<Actor> {
    found(
        actors(conn)?.into_iter().find(|a| a.id == id),
        "actor",
        id.0,
    )
}

pub fn insert_person(conn: &Connection, person: &Person) -> Result<PersonId> {
    conn.execute(
        "INSERT INTO persons (id, name, actor_id, title) VALUES (?1, ?2, ?3, ?4)",
        params![
            explicit_id(person.id.0),
            person.name,
            person.actor_id.0,
            person.title
        ],
    )?;
    Ok(PersonId(conn.last_insert_rowid()))
}

pub fn update_person(conn: &Connection, person: &Person) -> Result<()> {
    let changed = conn.execute(
        "UPDATE persons SET name = ?2, actor_id = ?3, title = ?4 WHERE id = ?1",
        params![person.id.0, person.name, person.actor_id.0, person.title],
    )?;
    found((changed == 1).then_some(()), "person", person.id.0)
}

pub fn delete_person(conn: &Connection, id: PersonId) -> Result<()> {
    let changed = conn.execute("DELETE FROM persons WHERE id = ?1", [id.0])?;
    found((changed == 1).then_some(()), "person", id.0)
}

fn person_row(r: &Row) -> rusqlite::Result<Person> {
    Ok(Person {
        id: PersonId(r.get(0)?),
        name: r.get(1)?,
        actor_id: ActorId(r.get(2)?),
        title: r.get(3)?,
    })
}

pub fn persons(conn: &Connection) -> Result<Vec<Person>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, actor_id, title FROM persons ORDER BY id")?;
    Ok(stmt
        .query_map([], person_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn person(conn: &Connection, id: PersonId) -> Result<Person> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, actor_id, title FROM persons WHERE id = ?1")?;
    found(
        stmt.query_row([id.0], person_row).optional()?,
        "person",
        id.0,
    )
}

pub fn person_count_of_actor(conn: &Connection, id: ActorId) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM persons WHERE actor_id = ?1",
        [id.0],
        |r| r.get(0),
    )?)
}

pub fn insert_coder(conn: &Connection, coder: &Coder) -> Result<CoderId> {
    conn.execute(
        "INSERT INTO coders (id, name) VALUES (?1, ?2)",
        params![explicit_id(coder.id.0), coder.name],
    )?;
    Ok(CoderId(conn.last_insert_rowid()))
}

pub fn delete_coder(conn: &Connection, id: CoderId) -> Result<()> {
    let changed = conn.execute("DELETE FROM coders WHERE id = ?1", [id.0])?;
    found((changed == 1).then_some(()), "coder", id.0)
}

pub fn coders(conn: &Connection) -> Result<Vec<Coder>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM coders ORDER BY id")?;
    Ok(stmt
        .query_map([], |r| {
            Ok(Coder {
                id: CoderId(r.get(0)?),
                name: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn coder_by_name(conn: &Connection, name: &str) -> Result<Option<Coder>> {
    Ok(conn
        .query_row("SELECT id, name FROM coders WHERE name = ?1", [name], |r| {
            Ok(Coder {
                id: CoderId(r.get(0)?),
                name: r.get(1)?,
            })
        })
        .optional()?)
}
