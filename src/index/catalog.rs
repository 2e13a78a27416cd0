//! Names the index does not store: the index keeps ids only (so renaming an actor or a theme
//! never touches it), and filters and hits resolve them through this catalog of the project.

use rustc_hash::FxHashMap as HashMap;

use crate::error::{Error, Result};
use crate::model::{Actor, ActorId, Coder, CoderId, Person, PersonId, SourceId, Theme, ThemeId};
use crate::project::Project;

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub revision: i64,
    pub actors: Vec<Actor>,
    pub persons: Vec<Person>,
    pub themes: Vec<Theme>,
    pub coders: Vec<Coder>,
    /// Source titles, for hits as they are shown.
    pub titles: HashMap<SourceId, Box<str>>,
    /// Where each person is in `persons` (hits ask for a person by id).
    person_at: HashMap<PersonId, usize>,
}

impl Catalog {
    pub fn load(project: &Project) -> Result<Catalog> {
        let actors = project.actors()?;
        let persons = project.persons()?;
        Ok(Catalog {
            revision: project.revision()?,
            person_at: persons.iter().enumerate().map(|(i, p)| (p.id, i)).collect(),
            actors,
            persons,
            themes: project.themes()?,
            coders: project.coders()?,
            titles: project
                .sources()?
                .into_iter()
                .map(|s| (s.id, s.title.into()))
                .collect(),
        })
    }

    pub fn actor_name(&self, id: ActorId) -> Option<&str> {
        self.actor(id).map(|a| a.name.as_str())
    }

    pub fn person_name(&self, id: PersonId) -> Option<&str> {
        self.person(id).map(|p| p.name.as_str())
    }

    /// An actor by id (a project has a handful: a scan is enough).
    pub fn actor(&self, id: ActorId) -> Option<&Actor> {
        self.actors.iter().find(|a| a.id == id)
    }

    pub fn person(&self, id: PersonId) -> Option<&Person> {
        self.persons.get(*self.person_at.get(&id)?)
    }

    /// An actor by short or full name, case-insensitive.
    pub fn actor_named(&self, name: &str) -> Result<ActorId> {
        let wanted = name.trim();
        self.actors
            .iter()
            .find(|a| {
                a.name.eq_ignore_ascii_case(wanted) || a.full_name.eq_ignore_ascii_case(wanted)
            })
            .or_else(|| {
                let lower = wanted.to_lowercase();
                self.actors
                    .iter()
                    .find(|a| a.name.to_lowercase() == lower || a.full_name.to_lowercase() == lower)
            })
            .map(|a| a.id)
            .ok_or_else(|| unknown("actor", name, self.actors.iter().map(|a| a.name.as_str())))
    }

    /// A person by full name, or by a part of it ("Eide") when only one person matches.
    pub fn person_named(&self, name: &str) -> Result<PersonId> {
        let lower = name.trim().to_lowercase();
        if let Some(p) = self.persons.iter().find(|p| p.name.to_lowercase() == lower) {
            return Ok(p.id);
        }
        let partial: Vec<&Person> = self
            .persons
            .iter()
            .filter(|p| p.name.to_lowercase().contains(&lower))
            .collect();
        match partial.as_slice() {
            [one] => Ok(one.id),
            [] => Err(unknown(
                "person",
                name,
                self.persons.iter().map(|p| p.name.as_str()),
            )),
            many => Err(Error::UnknownName {
                what: "single person",
                name: name.to_string(),
                hint: format!(
                    "; it fits {}: write the full name",
                    many.iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }

    /// A coder by name, case-insensitive.
    pub fn coder_named(&self, name: &str) -> Result<CoderId> {
        let lower = name.trim().to_lowercase();
        self.coders
            .iter()
            .find(|c| c.name.trim().to_lowercase() == lower)
            .map(|c| c.id)
            .ok_or_else(|| unknown("coder", name, self.coders.iter().map(|c| c.name.as_str())))
    }

    /// A theme by name (case-insensitive) with all its sub-themes.
    pub fn theme_named(&self, name: &str) -> Result<Vec<ThemeId>> {
        let lower = name.trim().to_lowercase();
        let theme = self
            .themes
            .iter()
            .find(|t| t.name.to_lowercase() == lower)
            .ok_or_else(|| unknown("theme", name, self.themes.iter().map(|t| t.name.as_str())))?;
        let mut ids = vec![theme.id];
        let mut i = 0;
        while i < ids.len() {
            let parent = ids[i];
            ids.extend(
                self.themes
                    .iter()
                    .filter(|t| t.parent_id == Some(parent) && !ids.contains(&t.id))
                    .map(|t| t.id)
                    .collect::<Vec<_>>(),
            );
            i += 1;
        }
        Ok(ids)
    }
}

fn unknown<'a>(what: &'static str, name: &str, known: impl Iterator<Item = &'a str>) -> Error {
    let known: Vec<&str> = known.collect();
    Error::UnknownName {
        what,
        name: name.to_string(),
        hint: if known.is_empty() {
            format!("; the project has no {what}s")
        } else {
            format!("; the {what}s are: {}", known.join(", "))
        },
    }
}
