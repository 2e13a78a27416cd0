//! Where each actor stands on each axis theme, from the stances of its quotes (one voice per
//! quote: see [`super::quotes`]).

use serde::Serialize;

use super::cited::CitedQuote;
use super::quotes::{Counting, SourceTexts, StanceQuote, stance_quotes};
use super::scope::{chosen_actors, chosen_themes};
use super::stance_summary::StanceSummary;
use crate::error::{Error, Result};
use crate::filter::CodingFilter;
use crate::model::{ActorId, CoderId, Poles, ThemeId};
use crate::project::Project;

/// Which axes and actors to report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PositionScope {
    /// Empty means every axis theme; themes without poles are skipped.
    pub theme_ids: Vec<ThemeId>,
    /// The actors, in this order; empty means every actor in `Project::actors()` order.
    pub actor_ids: Vec<ActorId>,
    /// Per quote (the default) or per coding.
    pub counting: Counting,
    /// Only these coders' codings; empty means every coder's.
    pub coder_ids: Vec<CoderId>,
}

/// Every chosen actor's stances on one axis theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AxisPositions {
    pub theme_id: ThemeId,
    pub theme_name: String,
    pub poles: Poles,
    /// What each actor's n counts.
    pub counting: Counting,
    /// One entry per actor, including actors with no stance on this axis.
    pub actors: Vec<ActorPosition>,
}

/// One actor on one axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorPosition {
    pub actor_id: ActorId,
    pub actor_name: String,
    /// `None` when the actor took no stance on the axis (which is not a stance of 0).
    pub summary: Option<StanceSummary>,
    /// The quotes with a stance, in source and position order; `summary` is taken over them.
    pub stances: Vec<StanceQuote>,
    /// The actor's codings on this axis that carry no stance.
    pub codings_without_stance: usize,
}

/// An actor placed on two axes at once, for a 2-D map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorPoint {
    pub actor_id: ActorId,
    pub actor_name: String,
    pub x: f64,
    pub y: f64,
}

/// Each axis theme (codebook order) with each actor's stances on it.
pub fn positions(project: &Project, scope: &PositionScope) -> Result<Vec<AxisPositions>> {
    let axes: Vec<_> = chosen_themes(project, &scope.theme_ids)?
        .into_iter()
        .filter_map(|theme| theme.poles.clone().map(|poles| (theme, poles)))
        .collect();
    let actors = chosen_actors(project, &scope.actor_ids)?;
    let excerpts = project.excerpts(&CodingFilter {
        theme_ids: axes.iter().map(|(theme, _)| theme.id).collect(),
        coder_ids: scope.coder_ids.clone(),
        ..Default::default()
    })?;
    let texts = SourceTexts::load(project, excerpts.iter().map(|e| e.coding.source_id))?;
    Ok(axes
        .into_iter()
        .map(|(theme, poles)| AxisPositions {
            theme_id: theme.id,
            theme_name: theme.name,
            poles,
            counting: scope.counting,
            actors: actors
                .iter()
                .map(|actor| {
                    let (with, without): (Vec<CitedQuote>, Vec<CitedQuote>) = excerpts
                        .iter()
                        .filter(|e| e.coding.theme_id == theme.id && e.actor_id == Some(actor.id))
                        .map(CitedQuote::from)
                        .partition(|q| q.stance.is_some());
                    let stances = stance_quotes(with, &texts, scope.counting);
                    let values: Vec<f64> = stances.iter().map(|q| q.stance).collect();
                    ActorPosition {
                        actor_id: actor.id,
                        actor_name: actor.name.clone(),
                        summary: StanceSummary::of(&values),
                        stances,
                        codings_without_stance: without.len(),
                    }
                })
                .collect(),
        })
        .collect())
}

/// Each actor's (mean on `x_theme`, mean on `y_theme`), for actors with stances on both, in
/// the x axis's actor order. An axis missing from `positions` is an error.
pub fn pair_axes(
    positions: &[AxisPositions],
    x_theme: ThemeId,
    y_theme: ThemeId,
) -> Result<Vec<ActorPoint>> {
    let axis = |theme_id: ThemeId| {
        positions
            .iter()
            .find(|a| a.theme_id == theme_id)
            .ok_or(Error::UnknownId {
                what: "axis theme",
                id: theme_id.0,
            })
    };
    let (x_axis, y_axis) = (axis(x_theme)?, axis(y_theme)?);
    Ok(x_axis
        .actors
        .iter()
        .filter_map(|x| {
            let y = y_axis.actors.iter().find(|y| y.actor_id == x.actor_id)?;
            Some(ActorPoint {
                actor_id: x.actor_id,
                actor_name: x.actor_name.clone(),
                x: x.summary?.mean,
                y: y.summary?.mean,
            })
        })
        .collect())
}
