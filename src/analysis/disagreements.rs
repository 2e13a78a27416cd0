//! Where actors oppose each other on an axis, and where one actor takes both sides.
//!
//! The unit is the quote (see [`super::quotes`]): a paragraph and a sentence coded inside it are
//! one quote, with the mean of their stances. Opposing pairs are not enumerated: for each pair of
//! actors, one leaning to the negative pole and one to the positive, the negative actor's quotes
//! are sorted once from the most negative and the positive actor's from the most positive, and row
//! `i` pairs the `i`-th of each. Rows are then strongest first, no quote appears twice in a pair of
//! actors, there are `min(negative, positive)` rows, and any page of them is found without
//! building the others.
//!
//! [`disagreements_page`] reads the project twice: once for each stance's coding id, span and
//! value (no text), to group and rank them; once more for the quotes on the page only. Memory is
//! a few words per stance plus the page shown.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::cited::CitedQuote;
use super::positions::AxisPositions;
use super::quotes::{Counting, SourceTexts, StanceQuote, group_into_quotes};
use super::scope::{chosen_actors, chosen_themes};
use crate::error::Result;
use crate::filter::CodingFilter;
use crate::model::{ActorId, CharSpan, CodingId, Poles, SourceId, ThemeId};
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

    /// "FFO (Regler/rettigheter) against KS (Skjønn): 3 pairs of opposing quotes", with the poles
    /// of `axis` and the number of pairs in all (not only the page's).
    pub fn heading(&self, axis: &AxisDisagreements) -> String {
        format!(
            "{} ({}) against {} ({}): {} pair{} of opposing {}s",
            self.negative_actor_name,
            axis.poles.negative,
            self.positive_actor_name,
            axis.poles.positive,
            self.total_pairs,
            if self.total_pairs == 1 { "" } else { "s" },
            axis.counting.noun()
        )
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

/// One coding with a stance, without its text: what ranking needs.
struct StanceMark {
    coding_id: CodingId,
    source_id: SourceId,
    span: CharSpan,
    stance: i64,
}

/// A quote as ranking sees it: its mean stance and its codings' marks.
struct MarkedQuote {
    stance: f64,
    marks: Vec<usize>,
}

/// The disagreements on every axis theme, among all actors: the page asked for.
pub fn disagreements_page(
    project: &Project,
    page: &DisagreementPage,
) -> Result<Vec<AxisDisagreements>> {
    let axes: Vec<_> = chosen_themes(project, &[])?
        .into_iter()
        .filter_map(|theme| theme.poles.clone().map(|poles| (theme, poles)))
        .collect();
    let actors = chosen_actors(project, &[])?;
    let actor_row: HashMap<ActorId, usize> =
        actors.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    let axis_row: HashMap<ThemeId, usize> = axes
        .iter()
        .enumerate()
        .map(|(i, (t, _))| (t.id, i))
        .collect();
    let filter = CodingFilter {
        theme_ids: axes.iter().map(|(t, _)| t.id).collect(),
        stance_min: Some(crate::model::Stance::MIN),
        ..Default::default()
    };
    if axes.is_empty() {
        return Ok(Vec::new());
    }
    // Pass 1: marks[axis][actor], no text.
    let mut marks: Vec<Vec<Vec<StanceMark>>> = (0..axes.len())
        .map(|_| (0..actors.len()).map(|_| Vec::new()).collect())
        .collect();
    let mut sources = HashSet::new();
    project.for_each_excerpt(&filter, |e| {
        let (Some(&axis), Some(&actor), Some(stance)) = (
            axis_row.get(&e.coding.theme_id),
            e.actor_id.and_then(|a| actor_row.get(&a)),
            e.coding.stance,
        ) else {
            return Ok(());
        };
        sources.insert(e.coding.source_id);
        marks[axis][actor].push(StanceMark {
            coding_id: e.coding.id,
            source_id: e.coding.source_id,
            span: e.coding.span,
            stance: stance.value(),
        });
        Ok(())
    })?;
    let paragraphs = SourceTexts::load_paragraphs(project, sources)?;
    let quotes: Vec<Vec<Vec<MarkedQuote>>> = marks
        .iter()
        .map(|per_actor| {
            per_actor
                .iter()
                .map(|own| {
                    let items: Vec<_> = own.iter().map(|m| (m.source_id, m.span)).collect();
                    group_into_quotes(&items, &paragraphs, page.counting)
                        .into_iter()
                        .map(|group| MarkedQuote {
                            stance: group.iter().map(|&i| own[i].stance).sum::<i64>() as f64
                                / group.len() as f64,
                            marks: group,
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let plans: Vec<Plan<MarkedQuote>> = quotes
        .iter()
        .map(|per_actor| Plan::of(per_actor, |q| q.stance, page))
        .collect();
    // Pass 2: the page's codings, with their text.
    let mut wanted: HashSet<CodingId> = HashSet::new();
    for (axis, plan) in plans.iter().enumerate() {
        for (actor, quote) in plan.quotes() {
            wanted.extend(quote.marks.iter().map(|&i| marks[axis][actor][i].coding_id));
        }
    }
    let mut cited: HashMap<CodingId, CitedQuote> = HashMap::with_capacity(wanted.len());
    project.for_each_excerpt(&filter, |e| {
        if wanted.contains(&e.coding.id) {
            cited.insert(e.coding.id, CitedQuote::from(&e.to_owned()));
        }
        Ok(())
    })?;
    let mut texts: HashMap<SourceId, String> = HashMap::new();
    let mut result = Vec::with_capacity(axes.len());
    for (axis, ((theme, poles), plan)) in axes.into_iter().zip(plans).enumerate() {
        let head = AxisHead {
            theme_id: theme.id,
            theme_name: theme.name,
            poles,
            counting: page.counting,
        };
        let names: Vec<(ActorId, &str)> = actors.iter().map(|a| (a.id, a.name.as_str())).collect();
        let mut error = None;
        let rendered = plan.render(head, &names, |actor, quote| {
            let codings: Vec<CitedQuote> = quote
                .marks
                .iter()
                .filter_map(|&i| cited.get(&marks[axis][actor][i].coding_id).cloned())
                .collect();
            StanceQuote::of(codings, |source_id, span| {
                if let std::collections::hash_map::Entry::Vacant(slot) = texts.entry(source_id) {
                    match project.source(source_id) {
                        Ok(source) => {
                            slot.insert(source.text);
                        }
                        Err(e) => {
                            error.get_or_insert(e);
                            return None;
                        }
                    }
                }
                crate::text::slice_chars(&texts[&source_id], span).map(str::to_string)
            })
        });
        if let Some(e) = error {
            return Err(e);
        }
        result.push(rendered);
    }
    Ok(result)
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

/// The disagreements on one axis, from its positions: the page asked for in every pair of actors.
pub fn axis_disagreements_page(axis: &AxisPositions, page: &DisagreementPage) -> AxisDisagreements {
    let per_actor: Vec<Vec<StanceQuote>> = axis.actors.iter().map(|a| a.stances.clone()).collect();
    let names: Vec<(ActorId, &str)> = axis
        .actors
        .iter()
        .map(|a| (a.actor_id, a.actor_name.as_str()))
        .collect();
    let head = AxisHead {
        theme_id: axis.theme_id,
        theme_name: axis.theme_name.clone(),
        poles: axis.poles.clone(),
        counting: axis.counting,
    };
    Plan::of(&per_actor, |q| q.stance, page).render(head, &names, |_, q| q.clone())
}

/// What heads an axis's disagreements.
struct AxisHead {
    theme_id: ThemeId,
    theme_name: String,
    poles: Poles,
    counting: Counting,
}

/// One actor's quotes leaning one way, strongest first (ties in source and position order).
fn leaning<'a, Q>(quotes: &'a [Q], stance: &impl Fn(&Q) -> f64, sign: f64) -> Vec<&'a Q> {
    let mut leaning: Vec<&Q> = quotes.iter().filter(|q| stance(q) * sign > 0.0).collect();
    // The quotes are in source and position order already; a stable sort keeps it among ties.
    leaning.sort_by(|a, b| (stance(b) * sign).total_cmp(&(stance(a) * sign)));
    leaning
}

/// Which quotes a page shows, before they are read: rows per pair of actors, both-sides lists.
struct Plan<'a, Q> {
    groups: Vec<GroupPlan<'a, Q>>,
    both_sides: Vec<BothSidesPlan<'a, Q>>,
    offset: usize,
}

struct GroupPlan<'a, Q> {
    negative_actor: usize,
    positive_actor: usize,
    total: usize,
    strongest: f64,
    rows: Vec<(f64, &'a Q, &'a Q)>,
}

struct BothSidesPlan<'a, Q> {
    actor: usize,
    negative_total: usize,
    positive_total: usize,
    negative: Vec<&'a Q>,
    positive: Vec<&'a Q>,
}

impl<'a, Q> Plan<'a, Q> {
    /// `per_actor[i]` is actor `i`'s quotes in source and position order.
    fn of(per_actor: &'a [Vec<Q>], stance: impl Fn(&Q) -> f64, page: &DisagreementPage) -> Self {
        let negatives: Vec<Vec<&Q>> = per_actor
            .iter()
            .map(|q| leaning(q, &stance, -1.0))
            .collect();
        let positives: Vec<Vec<&Q>> = per_actor.iter().map(|q| leaning(q, &stance, 1.0)).collect();
        let mut groups = Vec::new();
        for (n, negative) in negatives.iter().enumerate() {
            for (p, positive) in positives.iter().enumerate() {
                if n == p || negative.is_empty() || positive.is_empty() {
                    continue;
                }
                let rows = negative.iter().zip(positive);
                groups.push(GroupPlan {
                    negative_actor: n,
                    positive_actor: p,
                    total: rows.len(),
                    strongest: stance(positive[0]) - stance(negative[0]),
                    rows: rows
                        .skip(page.offset)
                        .take(page.limit)
                        .map(|(neg, pos)| (stance(pos) - stance(neg), *neg, *pos))
                        .collect(),
                });
            }
        }
        // Strongest group first; among equals, the order of the actors (the sort is stable).
        groups.sort_by(|a, b| b.strongest.total_cmp(&a.strongest));
        let page_of = |quotes: &[&'a Q]| -> Vec<&'a Q> {
            quotes
                .iter()
                .skip(page.offset)
                .take(page.limit)
                .copied()
                .collect()
        };
        let both_sides = negatives
            .iter()
            .zip(&positives)
            .enumerate()
            .filter(|(_, (n, p))| !n.is_empty() && !p.is_empty())
            .map(|(actor, (n, p))| BothSidesPlan {
                actor,
                negative_total: n.len(),
                positive_total: p.len(),
                negative: page_of(n),
                positive: page_of(p),
            })
            .collect();
        Plan {
            groups,
            both_sides,
            offset: page.offset,
        }
    }

    /// Every quote the page shows, with its actor's row (a quote may come more than once).
    fn quotes(&self) -> impl Iterator<Item = (usize, &'a Q)> + '_ {
        let rows = self.groups.iter().flat_map(|g| {
            g.rows
                .iter()
                .flat_map(move |&(_, n, p)| [(g.negative_actor, n), (g.positive_actor, p)])
        });
        let sides = self.both_sides.iter().flat_map(|b| {
            b.negative
                .iter()
                .chain(&b.positive)
                .map(move |&q| (b.actor, q))
        });
        rows.chain(sides)
    }

    /// The page as data; `quote` reads one quote of an actor (by row).
    fn render(
        self,
        head: AxisHead,
        names: &[(ActorId, &str)],
        mut quote: impl FnMut(usize, &Q) -> StanceQuote,
    ) -> AxisDisagreements {
        let offset = self.offset;
        let actor_pairs = self
            .groups
            .into_iter()
            .map(|g| ActorPairDisagreements {
                negative_actor_id: names[g.negative_actor].0,
                negative_actor_name: names[g.negative_actor].1.to_string(),
                positive_actor_id: names[g.positive_actor].0,
                positive_actor_name: names[g.positive_actor].1.to_string(),
                total_pairs: g.total,
                strongest: g.strongest,
                offset,
                pairs: g
                    .rows
                    .into_iter()
                    .map(|(strength, n, p)| OpposingPair {
                        strength,
                        negative: quote(g.negative_actor, n),
                        positive: quote(g.positive_actor, p),
                    })
                    .collect(),
            })
            .collect();
        let both_sides = self
            .both_sides
            .into_iter()
            .map(|b| BothSides {
                actor_id: names[b.actor].0,
                actor_name: names[b.actor].1.to_string(),
                negative_total: b.negative_total,
                positive_total: b.positive_total,
                negative: b.negative.into_iter().map(|q| quote(b.actor, q)).collect(),
                positive: b.positive.into_iter().map(|q| quote(b.actor, q)).collect(),
            })
            .collect();
        AxisDisagreements {
            theme_id: head.theme_id,
            theme_name: head.theme_name,
            poles: head.poles,
            counting: head.counting,
            actor_pairs,
            both_sides,
        }
    }
}
