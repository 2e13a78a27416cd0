//! Names the index does not store: the index keeps ids only (so renaming an actor or a theme
//! never touches it), and filters and hits resolve them through this catalog of the project.

use rustc_hash::FxHashMap as HashMap;

use crate::error::{Error, Result};
use crate::model::{Actor, ActorId, Coder, Person, PersonId, SourceId, Theme, ThemeId};
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

    /// A person by full name, or by a part of it ("Eide") when only one person matches.
    pub fn person_named(&self, name: &str) -> Result<PersonId> {
        named("person", name, &self.persons, |p| [p.name.as_str()])
            .map(|p| p.id)
            .or_else(|unknown| {
                let lower = name.trim().to_lowercase();
                let partial: Vec<&Person> = (self.persons.iter())
                    .filter(|p| p.name.to_lowercase().contains(&lower))
                    .collect();
                match partial.as_slice() {
                    [one] => Ok(one.id),
                    [] => Err(unknown),
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
            })
    }

    /// A theme by name (case-insensitive) with all its sub-themes.
    pub fn theme_named(&self, name: &str) -> Result<Vec<ThemeId>> {
        let theme = named("theme", name, &self.themes, |t| [t.name.as_str()])?;
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

/// The item of `items` one of whose `names` is `name`, case-insensitive and without the spaces
/// around either, or the error that says no `kind` is called so and lists each item by its first
/// name.
pub fn named<'a, T, const N: usize>(
    kind: &'static str,
    name: &str,
    items: &'a [T],
    names: impl Fn(&'a T) -> [&'a str; N],
) -> Result<&'a T> {
    let lower = name.trim().to_lowercase();
    if let Some(item) =
        (items.iter()).find(|t| names(t).iter().any(|n| n.trim().to_lowercase() == lower))
    {
        return Ok(item);
    }
    let known: Vec<&str> = items
        .iter()
        .filter_map(|t| names(t).first().copied())
        .collect();
    Err(Error::UnknownName {
        what: kind,
        name: name.to_string(),
        hint: if known.is_empty() {
            format!("; the project has no {kind}s")
        } else {
            format!("; the {kind}s are: {}", known.join(", "))
        },
    })
}
