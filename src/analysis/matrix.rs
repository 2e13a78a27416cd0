//! Actors × themes (counts and share of coded text) and themes × themes (co-occurrence).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::coverage::Coverage;
use super::quotes::{Counting, SourceTexts};
use crate::error::Result;
use crate::filter::CodingFilter;
use crate::model::{ActorId, CodedExcerpt, Coding, SourceId, Theme, ThemeId};
use crate::project::Project;

/// A row or column label of a matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThemeHeader {
    pub theme_id: ThemeId,
    pub theme_name: String,
}

impl From<&Theme> for ThemeHeader {
    fn from(theme: &Theme) -> Self {
        ThemeHeader {
            theme_id: theme.id,
            theme_name: theme.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixActor {
    pub actor_id: ActorId,
    pub actor_name: String,
    /// Code points covered by all the actor's codings (the denominator of every share in its row).
    pub coded_chars: usize,
}

/// Rows are actors (project order), columns themes (codebook order). Codings in text attributed to
/// no actor are left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorThemeMatrix {
    pub actors: Vec<MatrixActor>,
    pub themes: Vec<ThemeHeader>,
    /// `cells[actor][theme]`, with the share rule of [`Coverage`]; each cell holds both counts.
    pub cells: Vec<Vec<Coverage>>,
    /// Which count the views show: quotes (the default) or codings.
    pub counting: Counting,
}

impl ActorThemeMatrix {
    pub fn cell(&self, actor_id: ActorId, theme_id: ThemeId) -> Option<&Coverage> {
        let row = self.actors.iter().position(|a| a.actor_id == actor_id)?;
        let column = self.themes.iter().position(|t| t.theme_id == theme_id)?;
        self.cells.get(row)?.get(column)
    }
}

pub fn actor_theme_matrix(project: &Project) -> Result<ActorThemeMatrix> {
    let themes = project.themes()?;
    let excerpts = project.excerpts(&CodingFilter::default())?;
    let texts = SourceTexts::load(project, excerpts.iter().map(|e| e.coding.source_id))?;
    let mut actors = Vec::new();
    let mut cells = Vec::new();
    for actor in project.actors()? {
        let own: Vec<&CodedExcerpt> = excerpts
            .iter()
            .filter(|e| e.actor_id == Some(actor.id))
            .collect();
        let row: Vec<Coverage> = themes
            .iter()
            .map(|theme| Coverage::of(&own, |id| id == theme.id, &texts))
            .collect();
        actors.push(MatrixActor {
            actor_id: actor.id,
            actor_name: actor.name,
            coded_chars: row.first().map_or(0, |c| c.coded_chars),
        });
        cells.push(row);
    }
    Ok(ActorThemeMatrix {
        actors,
        themes: themes.iter().map(ThemeHeader::from).collect(),
        cells,
        counting: Counting::Quotes,
    })
}

/// How often themes are coded on overlapping text, over every coding in the project.
///
/// The rule: two codings co-occur when they are in the same source and their spans share at least
/// one code point (`[0, 5)` and `[5, 9)` touch but do not overlap). `counts[a][b]` for `a ≠ b` is
/// the number of such pairs of codings with one on theme `a` and the other on theme `b`; the matrix
/// is symmetric. The diagonal `counts[a][a]` is the number of codings on theme `a` (overlaps of a
/// theme with itself are not counted).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CooccurrenceMatrix {
    /// Codebook order, for rows and columns alike.
    pub themes: Vec<ThemeHeader>,
    pub counts: Vec<Vec<usize>>,
}

impl CooccurrenceMatrix {
    pub fn count(&self, a: ThemeId, b: ThemeId) -> Option<usize> {
        let row = self.themes.iter().position(|t| t.theme_id == a)?;
        let column = self.themes.iter().position(|t| t.theme_id == b)?;
        self.counts.get(row)?.get(column).copied()
    }
}

pub fn theme_cooccurrence(project: &Project) -> Result<CooccurrenceMatrix> {
    let themes: Vec<ThemeHeader> = project.themes()?.iter().map(ThemeHeader::from).collect();
    let index: HashMap<ThemeId, usize> = themes
        .iter()
        .enumerate()
        .map(|(i, t)| (t.theme_id, i))
        .collect();
    let mut counts = vec![vec![0; themes.len()]; themes.len()];
    let mut by_source: BTreeMap<SourceId, Vec<Coding>> = BTreeMap::new();
    for coding in project.all_codings()? {
        by_source.entry(coding.source_id).or_default().push(coding);
    }
    for mut codings in by_source.into_values() {
        codings.sort_by_key(|c| (c.span.start, c.id));
        for (i, a) in codings.iter().enumerate() {
            let Some(&ta) = index.get(&a.theme_id) else {
                continue;
            };
            counts[ta][ta] += 1;
            // Sorted by start: once a later coding starts at or after `a` ends, none overlaps.
            for b in codings[i + 1..]
                .iter()
                .take_while(|b| b.span.start < a.span.end)
            {
                let Some(&tb) = index.get(&b.theme_id) else {
                    continue;
                };
                if ta != tb && a.span.overlaps(&b.span) {
                    counts[ta][tb] += 1;
                    counts[tb][ta] += 1;
                }
            }
        }
    }
    Ok(CooccurrenceMatrix { themes, counts })
}
