//! Inter-coder agreement: how far two or more coders coded the same text with the same themes.
//!
//! Defined so anyone can recompute it from an export:
//! - **Scope**: the sources in which every chosen coder has at least one coding (any theme).
//! - **Paragraph level**: the units are the paragraphs of those sources (runs of text between
//!   blank lines, as the search index splits them); a coder's value is 1 when one of its
//!   codings of the theme overlaps the paragraph, else 0.
//! - **Character level**: the units are the code points of those sources except line breaks;
//!   a coder's value is 1 when one of its codings of the theme covers the code point, else 0.
//! - **Coded text only**: the same, restricted to the units that at least one chosen coder coded
//!   with any theme, so that text nobody coded does not inflate agreement.
//! - **Stance** on an axis theme (paragraph level): a coder's value is the mean of its stances
//!   on the theme in codings overlapping the paragraph, missing where it gave none; α interval.
//! - **Overall**: every theme's units pooled, one unit per theme and paragraph (or code point).
//!
//! The figures themselves are in `statistics`.

mod differences;
mod statistics;
mod units;

use std::collections::HashMap;

use serde::Serialize;

pub use differences::{Difference, DifferingCoding, Resolution, differences, resolve};
pub use statistics::{Metric, Unit, cohen_kappa, krippendorff_alpha, percent_agreement};

use super::scope::chosen_themes;
use crate::error::{Error, Result};
use crate::model::{CharSpan, Coder, CoderId, Coding, Source, SourceId, Theme, ThemeId};
use crate::project::Project;
use units::{CoderSpans, SourceUnits, source_units};

/// What to measure: which coders and which themes.
#[derive(Debug, Clone, Default)]
pub struct AgreementOptions {
    /// Two or more coders by id; empty means every coder with at least one coding.
    pub coder_ids: Vec<CoderId>,
    /// Empty means every theme.
    pub theme_ids: Vec<ThemeId>,
}

/// The unit a row of figures counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitLevel {
    Paragraph,
    Character,
}

impl UnitLevel {
    pub fn label(self) -> &'static str {
        match self {
            UnitLevel::Paragraph => "paragraph",
            UnitLevel::Character => "character",
        }
    }
}

/// Percent agreement, κ and α over one set of units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figures {
    /// 0–100; for more than two coders the mean over pairs.
    pub percent_agreement: Option<f64>,
    /// Cohen's κ; `None` for more than two coders, or when undefined.
    pub kappa: Option<f64>,
    /// Krippendorff's α, nominal; `None` when undefined (no variation in the values).
    pub alpha: Option<f64>,
    /// How many units (paragraphs, or code points).
    pub units: u64,
}

impl Figures {
    fn of(units: &[Unit]) -> Figures {
        Figures {
            percent_agreement: percent_agreement(units),
            kappa: cohen_kappa(units),
            alpha: krippendorff_alpha(units, Metric::Nominal),
            units: units.iter().map(|u| u.weight).sum::<f64>().round() as u64,
        }
    }
}

/// One theme at one unit level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementRow {
    /// The theme's name, or "(all themes)" for the overall rows.
    pub theme: String,
    pub unit: UnitLevel,
    pub percent_agreement: Option<f64>,
    pub kappa: Option<f64>,
    pub alpha: Option<f64>,
    /// Krippendorff's α interval over stances: on an axis theme's paragraph row, else `None`.
    pub alpha_interval: Option<f64>,
    /// Paragraphs with a stance from at least two coders, behind `alpha_interval`.
    pub stance_units: Option<u64>,
    pub units: u64,
    /// The same figures over the text that at least one chosen coder coded (any theme).
    pub coded_text_only: Figures,
}

/// Agreement of the chosen coders, theme by theme, the themes with the least agreement first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementReport {
    pub coders: Vec<String>,
    /// How many sources every chosen coder coded (the scope).
    pub sources: usize,
    /// One row per theme and unit level, least agreement (paragraph α) first.
    pub themes: Vec<AgreementRow>,
    /// Every theme pooled: one row per unit level.
    pub overall: Vec<AgreementRow>,
    /// Every theme pooled, source by source, least agreement (paragraph α) first.
    pub by_source: Vec<GroupRow>,
    /// Every theme pooled, for each pair of the chosen coders (over the same sources).
    pub by_pair: Vec<GroupRow>,
}

/// Figures of a part of the units (one source, or one pair of coders), every theme pooled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    /// The source's title, or the pair's names joined by " and ".
    pub name: String,
    pub paragraph: Figures,
    pub character: Figures,
}

impl GroupRow {
    fn of(name: String, units: &SourceUnits) -> GroupRow {
        GroupRow {
            name,
            paragraph: Figures::of(&units.paragraphs),
            character: Figures::of(&units.characters),
        }
    }
}

fn least_agreement_first(rows: &mut [GroupRow]) {
    rows.sort_by(|a, b| {
        let key = |r: &GroupRow| r.paragraph.alpha.unwrap_or(f64::INFINITY);
        key(a).total_cmp(&key(b)).then(a.name.cmp(&b.name))
    });
}

/// The pooled units with only coders `i` and `j`.
fn pair_units(units: &SourceUnits, i: usize, j: usize) -> SourceUnits {
    let pick = |units: &[Unit]| {
        units
            .iter()
            .map(|u| Unit {
                weight: u.weight,
                values: vec![u.values[i], u.values[j]],
            })
            .collect()
    };
    SourceUnits {
        paragraphs: pick(&units.paragraphs),
        paragraphs_coded: pick(&units.paragraphs_coded),
        paragraph_stances: pick(&units.paragraph_stances),
        characters: pick(&units.characters),
        characters_coded: pick(&units.characters_coded),
    }
}

/// Measures agreement as the module's documentation defines it.
pub fn agreement(project: &Project, options: &AgreementOptions) -> Result<AgreementReport> {
    let all_codings = project.all_codings()?;
    let chosen = chosen_coders(project, &all_codings, &options.coder_ids)?;
    let themes = chosen_themes(project, &options.theme_ids)?;
    let mut by_source: HashMap<SourceId, Vec<&Coding>> = HashMap::new();
    for coding in &all_codings {
        if chosen.iter().any(|c| c.id == coding.coder_id) {
            by_source.entry(coding.source_id).or_default().push(coding);
        }
    }
    let scope: Vec<Source> = project
        .all_sources()?
        .into_iter()
        .filter(|source| {
            let codings = by_source.get(&source.id).map_or(&[][..], Vec::as_slice);
            chosen
                .iter()
                .all(|coder| codings.iter().any(|k| k.coder_id == coder.id))
        })
        .collect();

    let mut by_theme: Vec<SourceUnits> = vec![SourceUnits::default(); themes.len()];
    let mut source_rows = Vec::with_capacity(scope.len());
    for source in &scope {
        let mut this_source = SourceUnits::default();
        let shape = SourceShape::of(source);
        for (theme, units) in themes.iter().zip(&mut by_theme) {
            let found = shape.units(&by_source[&source.id], &chosen, theme.id);
            append(&mut this_source, found.clone());
            append(units, found);
        }
        source_rows.push(GroupRow::of(source.title.clone(), &this_source));
    }
    least_agreement_first(&mut source_rows);

    let mut pooled = SourceUnits::default();
    // Least agreement first: by paragraph α, undefined last.
    let mut themed: Vec<(f64, &Theme, SourceUnits)> = themes
        .iter()
        .zip(by_theme)
        .map(|(theme, units)| {
            append(&mut pooled, units.clone());
            let alpha = krippendorff_alpha(&units.paragraphs, Metric::Nominal);
            (alpha.unwrap_or(f64::INFINITY), theme, units)
        })
        .collect();
    themed.sort_by(|(a, x, _), (b, y, _)| a.total_cmp(b).then_with(|| x.name.cmp(&y.name)));
    let rows = themed
        .iter()
        .flat_map(|(_, theme, units)| theme_rows(&theme.name, units, theme.poles.is_some()))
        .collect();
    let mut by_pair = Vec::new();
    for i in 0..chosen.len() {
        for j in i + 1..chosen.len() {
            let name = format!("{} and {}", chosen[i].name, chosen[j].name);
            by_pair.push(GroupRow::of(name, &pair_units(&pooled, i, j)));
        }
    }
    least_agreement_first(&mut by_pair);
    let any_axis = themes.iter().any(|t| t.poles.is_some());
    Ok(AgreementReport {
        coders: chosen.iter().map(|c| c.name.clone()).collect(),
        sources: scope.len(),
        themes: rows,
        overall: theme_rows("(all themes)", &pooled, any_axis).to_vec(),
        by_source: source_rows,
        by_pair,
    })
}

/// The coders asked for (each once), or every coder with a coding; at least two.
fn chosen_coders(project: &Project, codings: &[Coding], ids: &[CoderId]) -> Result<Vec<Coder>> {
    let coders = project.coders()?;
    let chosen: Vec<Coder> = if ids.is_empty() {
        coders
            .into_iter()
            .filter(|c| codings.iter().any(|k| k.coder_id == c.id))
            .collect()
    } else {
        let mut picked: Vec<Coder> = Vec::new();
        for id in ids {
            let coder = coders
                .iter()
                .find(|c| c.id == *id)
                .ok_or(Error::UnknownId {
                    what: "coder",
                    id: id.0,
                })?;
            if !picked.contains(coder) {
                picked.push(coder.clone());
            }
        }
        picked
    };
    if chosen.len() >= 2 {
        return Ok(chosen);
    }
    let who = match chosen.first() {
        None => "this project has no codings".to_string(),
        Some(only) => format!("the chosen codings are all by {}", only.name),
    };
    Err(Error::Check(format!(
        "agreement needs the codings of at least two coders; {who}. Code the same sources as a \
         second coder (`--coder NAME`), or merge a colleague's project with `sitat merge`"
    )))
}

/// What the units of a source are cut from, worked out once per source.
struct SourceShape {
    paragraphs: Vec<CharSpan>,
    line_breaks: Vec<usize>,
    char_len: usize,
}

impl SourceShape {
    fn of(source: &Source) -> SourceShape {
        SourceShape {
            paragraphs: crate::text::paragraph_spans(&source.text),
            line_breaks: source
                .text
                .chars()
                .enumerate()
                .filter(|(_, c)| *c == '\n')
                .map(|(i, _)| i)
                .collect(),
            char_len: source.char_len(),
        }
    }

    /// The units for one theme: `codings` are the chosen coders' codings in the source.
    fn units(&self, codings: &[&Coding], chosen: &[Coder], theme_id: ThemeId) -> SourceUnits {
        let spans: Vec<CoderSpans> = chosen
            .iter()
            .map(|coder| {
                let mine = codings.iter().filter(|k| k.coder_id == coder.id);
                CoderSpans {
                    theme: mine
                        .clone()
                        .filter(|k| k.theme_id == theme_id)
                        .map(|k| (k.span, k.stance.map(|s| s.value() as f64)))
                        .collect(),
                    any_theme: mine.map(|k| k.span).collect(),
                }
            })
            .collect();
        source_units(&self.paragraphs, self.char_len, &self.line_breaks, &spans)
    }
}

fn append(into: &mut SourceUnits, from: SourceUnits) {
    into.paragraphs.extend(from.paragraphs);
    into.paragraphs_coded.extend(from.paragraphs_coded);
    into.paragraph_stances.extend(from.paragraph_stances);
    into.characters.extend(from.characters);
    into.characters_coded.extend(from.characters_coded);
}

fn theme_rows(name: &str, units: &SourceUnits, axis: bool) -> [AgreementRow; 2] {
    let row = |unit, all: &[Unit], coded: &[Unit], stance: Option<&[Unit]>| {
        let figures = Figures::of(all);
        AgreementRow {
            theme: name.to_string(),
            unit,
            percent_agreement: figures.percent_agreement,
            kappa: figures.kappa,
            alpha: figures.alpha,
            alpha_interval: stance.and_then(|s| krippendorff_alpha(s, Metric::Interval)),
            stance_units: stance.map(|s| {
                s.iter()
                    .filter(|u| u.values.iter().flatten().count() >= 2)
                    .count() as u64
            }),
            units: figures.units,
            coded_text_only: Figures::of(coded),
        }
    };
    let stances = axis.then_some(units.paragraph_stances.as_slice());
    [
        row(
            UnitLevel::Paragraph,
            &units.paragraphs,
            &units.paragraphs_coded,
            stances,
        ),
        row(
            UnitLevel::Character,
            &units.characters,
            &units.characters_coded,
            None,
        ),
    ]
}
