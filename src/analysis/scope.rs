//! Resolving the themes and actors a view is asked for, checking that they exist.

use crate::error::{Error, Result};
use crate::model::{Actor, ActorId, Theme, ThemeId};
use crate::project::Project;

/// The chosen themes in the order given (duplicates dropped), or every theme in codebook order.
pub(crate) fn chosen_themes(project: &Project, theme_ids: &[ThemeId]) -> Result<Vec<Theme>> {
    let all = project.themes()?;
    if theme_ids.is_empty() {
        return Ok(all);
    }
    pick(theme_ids, |id| {
        all.iter()
            .find(|t| t.id == id)
            .cloned()
            .ok_or(Error::UnknownId {
                what: ThemeId::LABEL,
                id: id.0,
            })
    })
}

/// The chosen actors in the order given (duplicates dropped), or every actor in project order.
pub(crate) fn chosen_actors(project: &Project, actor_ids: &[ActorId]) -> Result<Vec<Actor>> {
    let all = project.actors()?;
    if actor_ids.is_empty() {
        return Ok(all);
    }
    pick(actor_ids, |id| {
        all.iter()
            .find(|a| a.id == id)
            .cloned()
            .ok_or(Error::UnknownId {
                what: ActorId::LABEL,
                id: id.0,
            })
    })
}

fn pick<Id: Copy + PartialEq, T>(ids: &[Id], find: impl Fn(Id) -> Result<T>) -> Result<Vec<T>> {
    let mut seen = Vec::with_capacity(ids.len());
    let mut picked = Vec::with_capacity(ids.len());
    for &id in ids {
        if !seen.contains(&id) {
            seen.push(id);
            picked.push(find(id)?);
        }
    }
    Ok(picked)
}
