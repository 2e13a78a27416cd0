//! Where actors oppose each other on an axis, and where one actor takes both sides.
//!
//! The unit is the quote (see [`super::quotes`]): a paragraph and a sentence coded inside it are
//! one quote, with the mean of their stances. Opposing pairs are not enumerated: for each pair of
//! actors, one leaning to the negative pole and one to the positive, the negative actor's quotes
//! are sorted once from the most negative and the positive actor's from the most positive, and row
//! `i` pairs the `i`-th of each. Rows are then strongest first, no quote appears twice in a pair of
//! actors, there are `min(negative, positive)` rows, and any page of them is found without
//! building the others. Memory is that of the actors' quotes plus the page asked for.

use serde::Serialize;

use super::positions::{ActorPosition, AxisPositions, PositionScope, positions};
use super::quotes::{Counting, StanceQuote};
use crate::error::Result;
use crate::model::{ActorId, Poles, ThemeId};
use crate::project::Project;

/// Which page of each pair of actors to show, and what to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisagreementPage {
    /// Rows skipped in each pair of actors (and quotes on each side for actors on both sides).
    pub offset: usize,
    /// At most this many rows per pair of actors (and quotes per side).
    pub limit: usize,
    pub counting: Counting,
}

impl Default for DisagreementPage {
    fn default() -> Self {
        DisagreementPage {
            offset: 0,
            limit: 10,
            counting: Counting::Quotes,
        }
    }
}

/// The disagreements on one axis theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AxisDisagreements {
    pub theme_id: ThemeId,
    pub theme_name: String,
    pub poles: Poles,
    pub counting: Counting,
    /// One group per pair of actors that oppose each other, strongest first.
    pub actor_pairs: Vec<ActorPairDisagreements>,
    /// Actors with quotes on both sides of the axis, in actor order.
    pub both_sides: Vec<BothSides>,
}

/// One actor leaning to the negative pole against another leaning to the positive, quote by quote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorPairDisagreements {
    pub negative_actor_id: ActorId,
    pub negative_actor_name: String,
    pub positive_actor_id: ActorId,
    pub positive_actor_name: String,
    /// How many rows the pair has in all (the page holds some of them).
    pub total_pairs: usize,
    /// The strength of its first row: how the groups are ranked.
    pub strongest: f64,
    /// Rows skipped before `pairs` (the page's offset).
    pub offset: usize,
    /// The rows asked for, strongest first.
    pub pairs: Vec<OpposingPair>,
}

/// A quote leaning to the negative pole and one leaning to the positive pole, by different actors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpposingPair {
    /// The distance between the two stances, positive − negative: above 0, at most 4.
    pub strength: f64,
    pub negative: StanceQuote,
    pub positive: StanceQuote,
}

impl ActorPairDisagreements {
    /// The number of the page's first row, counting from 1.
    pub fn first_row(&self) -> usize {
        self.offset + 1
    }
}

/// An actor whose quotes lean to both poles of one axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BothSides {
    pub actor_id: ActorId,
    pub actor_name: String,
    pub negative_total: usize,
    pub positive_total: usize,
    /// The page asked for of each side, strongest first.
    pub negative: Vec<StanceQuote>,
    pub positive: Vec<StanceQuote>,
}

/// The disagreements on every axis theme, among all actors, first page, per quote.
pub fn disagreements(project: &Project) -> Result<Vec<AxisDisagreements>> {
    disagreements_page(project, &DisagreementPage::default())
}

/// The disagreements on every axis theme, among all actors: the page asked for.
pub fn disagreements_page(
    project: &Project,
    page: &DisagreementPage,
) -> Result<Vec<AxisDisagreements>> {
    let scope = PositionScope {
        counting: page.counting,
        ..Default::default()
    };
    Ok(positions(project, &scope)?
        .iter()
        .map(|axis| axis_disagreements_page(axis, page))
        .collect())
}

/// The disagreements on one axis, from its positions, first page.
pub fn axis_disagreements(axis: &AxisPositions) -> AxisDisagreements {
    axis_disagreements_page(
        axis,
        &DisagreementPage {
            counting: axis.counting,
            ..Default::default()
        },
    )
}

/// One actor's quotes leaning one way, strongest first (ties in source and position order).
struct Leaning<'a> {
    actor: &'a ActorPosition,
    quotes: Vec<&'a StanceQuote>,
}

fn leaning(actor: &ActorPosition, sign: f64) -> Leaning<'_> {
    let mut quotes: Vec<&StanceQuote> = actor
        .stances
        .iter()
        .filter(|q| q.stance * sign > 0.0)
        .collect();
    // `stances` is in source and position order already; a stable sort keeps it among ties.
    quotes.sort_by(|a, b| (b.stance * sign).total_cmp(&(a.stance * sign)));
    Leaning { actor, quotes }
}

fn page_of<'a>(
    quotes: &[&'a StanceQuote],
    page: &DisagreementPage,
) -> impl Iterator<Item = &'a StanceQuote> {
    quotes.iter().skip(page.offset).take(page.limit).copied()
}

/// The disagreements on one axis: the page asked for in every pair of actors.
pub fn axis_disagreements_page(axis: &AxisPositions, page: &DisagreementPage) -> AxisDisagreements {
    let negatives: Vec<Leaning> = axis.actors.iter().map(|a| leaning(a, -1.0)).collect();
    let positives: Vec<Leaning> = axis.actors.iter().map(|a| leaning(a, 1.0)).collect();
    let mut actor_pairs = Vec::new();
    for negative in negatives.iter().filter(|n| !n.quotes.is_empty()) {
        for positive in positives
            .iter()
            .filter(|p| !p.quotes.is_empty() && p.actor.actor_id != negative.actor.actor_id)
        {
            let rows = negative.quotes.iter().zip(&positive.quotes);
            let pairs = rows
                .clone()
                .skip(page.offset)
                .take(page.limit)
                .map(|(n, p)| OpposingPair {
                    strength: p.stance - n.stance,
                    negative: (*n).clone(),
                    positive: (*p).clone(),
                })
                .collect();
            actor_pairs.push(ActorPairDisagreements {
                negative_actor_id: negative.actor.actor_id,
                negative_actor_name: negative.actor.actor_name.clone(),
                positive_actor_id: positive.actor.actor_id,
                positive_actor_name: positive.actor.actor_name.clone(),
                total_pairs: rows.len(),
                strongest: positive.quotes[0].stance - negative.quotes[0].stance,
                offset: page.offset,
                pairs,
            });
        }
    }
    // Strongest group first; among equals, the order of the actors (sorting is stable).
    actor_pairs.sort_by(|a, b| b.strongest.total_cmp(&a.strongest));
    let both_sides = negatives
        .iter()
        .zip(&positives)
        .filter(|(n, p)| !n.quotes.is_empty() && !p.quotes.is_empty())
        .map(|(n, p)| BothSides {
            actor_id: n.actor.actor_id,
            actor_name: n.actor.actor_name.clone(),
            negative_total: n.quotes.len(),
            positive_total: p.quotes.len(),
            negative: page_of(&n.quotes, page).cloned().collect(),
            positive: page_of(&p.quotes, page).cloned().collect(),
        })
        .collect();
    AxisDisagreements {
        theme_id: axis.theme_id,
        theme_name: axis.theme_name.clone(),
        poles: axis.poles.clone(),
        counting: axis.counting,
        actor_pairs,
        both_sides,
    }
}
