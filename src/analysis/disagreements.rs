//! Where actors oppose each other on an axis, and where one actor takes both sides.

use serde::Serialize;

use super::cited::CitedQuote;
use super::positions::{AxisPositions, PositionScope, positions};
use crate::error::Result;
use crate::model::{ActorId, Poles, ThemeId};
use crate::project::Project;

/// The disagreements on one axis theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AxisDisagreements {
    pub theme_id: ThemeId,
    pub theme_name: String,
    pub poles: Poles,
    /// Strongest opposition first.
    pub opposing_pairs: Vec<OpposingPair>,
    /// Actors with quotes on both sides of the axis, in actor order.
    pub both_sides: Vec<BothSides>,
}

/// A quote leaning to the negative pole and one leaning to the positive pole, by different actors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpposingPair {
    /// The distance between the two stances, positive − negative: 2 (−1 vs +1) to 4 (−2 vs +2).
    pub strength: i64,
    pub negative: CitedQuote,
    pub positive: CitedQuote,
}

/// An actor whose quotes lean to both poles of one axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BothSides {
    pub actor_id: ActorId,
    pub actor_name: String,
    pub negative: Vec<CitedQuote>,
    pub positive: Vec<CitedQuote>,
}

/// The disagreements on every axis theme, among all actors.
pub fn disagreements(project: &Project) -> Result<Vec<AxisDisagreements>> {
    Ok(positions(project, &PositionScope::default())?
        .iter()
        .map(axis_disagreements)
        .collect())
}

/// The disagreements on one axis, from its positions. Pairs are ordered by strength (strongest
/// first), then by the negative and the positive quote's coding id, so the order is stable.
pub fn axis_disagreements(axis: &AxisPositions) -> AxisDisagreements {
    let mut opposing_pairs: Vec<OpposingPair> = Vec::new();
    for negative_actor in &axis.actors {
        for negative in leaning(&negative_actor.stances, NEGATIVE) {
            for positive_actor in axis
                .actors
                .iter()
                .filter(|a| a.actor_id != negative_actor.actor_id)
            {
                for positive in leaning(&positive_actor.stances, POSITIVE) {
                    opposing_pairs.push(OpposingPair {
                        strength: positive.stance.unwrap_or(0) - negative.stance.unwrap_or(0),
                        negative: negative.clone(),
                        positive: positive.clone(),
                    });
                }
            }
        }
    }
    opposing_pairs.sort_by_key(|p| {
        (
            std::cmp::Reverse(p.strength),
            p.negative.coding_id,
            p.positive.coding_id,
        )
    });
    let both_sides = axis
        .actors
        .iter()
        .filter_map(|actor| {
            let negative: Vec<CitedQuote> = leaning(&actor.stances, NEGATIVE).cloned().collect();
            let positive: Vec<CitedQuote> = leaning(&actor.stances, POSITIVE).cloned().collect();
            (!negative.is_empty() && !positive.is_empty()).then(|| BothSides {
                actor_id: actor.actor_id,
                actor_name: actor.actor_name.clone(),
                negative,
                positive,
            })
        })
        .collect();
    AxisDisagreements {
        theme_id: axis.theme_id,
        theme_name: axis.theme_name.clone(),
        poles: axis.poles.clone(),
        opposing_pairs,
        both_sides,
    }
}

const NEGATIVE: i64 = -1;
const POSITIVE: i64 = 1;

/// The quotes whose stance has this sign (a stance of 0 leans to neither pole).
fn leaning(quotes: &[CitedQuote], sign: i64) -> impl Iterator<Item = &CitedQuote> {
    quotes
        .iter()
        .filter(move |q| q.stance.is_some_and(|s| s.signum() == sign))
}
