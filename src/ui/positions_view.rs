//! Where each actor stands on each axis theme: a strip per axis with every actor's mean,
//! spread (min…max) and n, each single stance as a dot whose hover shows its quote; and a 2-D map
//! of the actors on two axes. An actor without a stance on an axis is shown as having none.
//! The positions, and the dots with their hover texts, are computed off the frame on a large
//! project; stances that fall on one spot are one dot.

use std::sync::Arc;

use egui_plot::{Line, MarkerShape, Plot, PlotPoint, Points, Text};

use crate::analysis::{AxisPositions, Counting, PositionScope, pair_axes, positions};
use crate::export::report::{self, signed2, stance_value};
use crate::model::ThemeId;
use crate::project::Project;
use crate::text;

use super::actions::Action;
use super::off_frame::OffFrame;
use super::snapshot::Snapshot;
use super::theme_picker::ThemeCombo;
use super::view_export::{ViewFormat, export_menu_ui};

#[derive(Default)]
pub struct PositionsView {
    /// The two axes of the 2-D map.
    pub map_axes: Option<(ThemeId, ThemeId)>,
    /// Count every coding on its own instead of one voice per quote.
    pub per_coding: bool,
    /// The axes for (revision, per coding), with their dots.
    positions: OffFrame<(i64, bool), Arc<Placed>>,
}

/// The axes, and per axis and actor the dots of its single stances with their hover texts.
struct Placed {
    axes: Vec<AxisPositions>,
    /// `dots[axis][actor]`.
    dots: Vec<Vec<Dots>>,
}

/// An actor's single stances on one axis as dots: one per spot, its hover naming the first
/// quote there and how many more share it.
#[derive(Default)]
struct Dots {
    points: Vec<[f64; 2]>,
    hovers: Vec<String>,
}

impl Placed {
    fn new(axes: Vec<AxisPositions>) -> Placed {
        let dots = axes
            .iter()
            .map(|axis| {
                axis.actors
                    .iter()
                    .map(|actor| {
                        let mut dots = Dots::default();
                        // (stance in hundredths, jitter row) → dot
                        let mut at: std::collections::HashMap<(i64, usize), (usize, usize)> =
                            std::collections::HashMap::new();
                        for (k, q) in actor.stances.iter().enumerate() {
                            let spot = ((q.stance * 100.0).round() as i64, k % 5);
                            match at.get_mut(&spot) {
                                Some((_, more)) => *more += 1,
                                None => {
                                    at.insert(spot, (dots.points.len(), 0));
                                    let jitter = (spot.1 as f64 - 2.0) * 0.06;
                                    dots.points.push([q.stance, jitter]);
                                    dots.hovers.push(stance_hover(q));
                                }
                            }
                        }
                        for (index, more) in at.into_values() {
                            if more > 0 {
                                dots.hovers[index]
                                    .push_str(&format!(" (and {more} more at this stance)"));
                            }
                        }
                        dots
                    })
                    .collect()
            })
            .collect();
        Placed { axes, dots }
    }
}

/// A single stance's hover: «quote» — who · stance.
fn stance_hover(q: &crate::analysis::StanceQuote) -> String {
    let mut quote: String = text::one_line(&q.quote).chars().take(140).collect();
    if q.quote.chars().count() > 140 {
        quote.push('…');
    }
    format!(
        "«{quote}» — {} · stance {}",
        q.main().person_name.clone().unwrap_or_default(),
        stance_value(q.stance)
    )
}

/// The id of the two-axes map, for its memory (tests read its bounds).
pub const MAP_PLOT_ID: &str = "positions-map";
/// The map shows −MAP_REACH…+MAP_REACH on both axes: the stances' −2…+2 and a margin.
const MAP_REACH: f64 = 2.3;
const MAP_SIDE: f32 = 440.0;

/// Grid lines at the whole stances only (−2, −1, 0, +1, +2).
fn whole_stances(_input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    (-2..=2)
        .map(|value| egui_plot::GridMark {
            value: f64::from(value),
            step_size: 1.0,
        })
        .collect()
}

/// Actor colours that differ from theme colours' role: one per actor, stable by position.
const ACTOR_COLOURS: [egui::Color32; 8] = [
    egui::Color32::from_rgb(0x1f, 0x77, 0xb4),
    egui::Color32::from_rgb(0xd6, 0x27, 0x28),
    egui::Color32::from_rgb(0x2c, 0xa0, 0x2c),
    egui::Color32::from_rgb(0x94, 0x67, 0xbd),
    egui::Color32::from_rgb(0xff, 0x7f, 0x0e),
    egui::Color32::from_rgb(0x8c, 0x56, 0x4b),
    egui::Color32::from_rgb(0xe3, 0x77, 0xc2),
    egui::Color32::from_rgb(0x17, 0xbe, 0xcf),
];

impl PositionsView {
    /// Whether its analysis is being computed off the frame.
    pub fn is_computing(&self) -> bool {
        self.positions.is_computing()
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.per_coding, "Count every coding")
                .on_hover_text(
                    "By default an actor's codings on an axis that overlap, nest or lie in \
                     one paragraph are one quote, with the mean of their stances: one voice \
                     per quote.",
                );
            if let Some(placed) = self.positions.value() {
                let axes = &placed.axes;
                export_menu_ui(ui, "Positions", "positions", actions, |format| {
                    Ok(match format {
                        ViewFormat::Html => report::positions_html(axes).into_bytes(),
                        ViewFormat::Markdown => report::positions_markdown(axes).into_bytes(),
                        ViewFormat::Csv => {
                            let mut csv = Vec::new();
                            report::write_positions_csv(&mut csv, axes)?;
                            csv
                        }
                    })
                });
            }
        });
        let counting = if self.per_coding {
            Counting::Codings
        } else {
            Counting::Quotes
        };
        self.positions.request(
            ui.ctx(),
            project,
            !snapshot.analyses_off_frame(),
            (snapshot.revision, self.per_coding),
            move |project| {
                let scope = PositionScope {
                    counting,
                    ..Default::default()
                };
                Ok(Arc::new(Placed::new(positions(project, &scope)?)))
            },
        );
        self.positions.status_ui(ui);
        let Some(placed) = self.positions.value().cloned() else {
            return;
        };
        let axes = &placed.axes;
        if axes.is_empty() {
            ui.weak("No axis themes yet: give a theme two poles in the theme editor to place actors on it.");
            return;
        }
        egui::ScrollArea::vertical()
            .id_salt("positions")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (i, axis) in axes.iter().enumerate() {
                    axis_strip_ui(ui, &placed, i);
                    ui.label(axis_summary(axis));
                    ui.add_space(12.0);
                }
                if axes.len() >= 2 {
                    Self::map_ui(ui, &mut self.map_axes, axes, snapshot);
                }
            });
    }

    fn map_ui(
        ui: &mut egui::Ui,
        map_axes: &mut Option<(ThemeId, ThemeId)>,
        axes: &[AxisPositions],
        snapshot: &Snapshot,
    ) {
        let (mut x, mut y) = map_axes.unwrap_or((axes[0].theme_id, axes[1].theme_id));
        ui.heading("Two axes");
        ui.horizontal_wrapped(|ui| {
            for (label, slot) in [("Horizontal axis", &mut x), ("Vertical axis", &mut y)] {
                let mut choice = Some(*slot);
                ThemeCombo {
                    id_salt: label,
                    label,
                    none: None,
                    unset: "choose an axis…",
                }
                .show(ui, &mut choice, snapshot, |t| {
                    axes.iter().any(|a| a.theme_id == t.id)
                });
                if let Some(chosen) = choice {
                    *slot = chosen;
                }
            }
        });
        *map_axes = Some((x, y));
        let (Some(x_axis), Some(y_axis)) = (
            axes.iter().find(|a| a.theme_id == x),
            axes.iter().find(|a| a.theme_id == y),
        ) else {
            return;
        };
        let points = match pair_axes(axes, x, y) {
            Ok(p) => p,
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                return;
            }
        };
        let missing: Vec<&str> = x_axis
            .actors
            .iter()
            .filter(|a| !points.iter().any(|p| p.actor_id == a.actor_id))
            .map(|a| a.actor_name.as_str())
            .collect();
        // Actors on the same spot share one label.
        let mut labels: Vec<([f64; 2], Vec<&str>)> = Vec::new();
        for point in &points {
            match labels
                .iter_mut()
                .find(|(at, _)| (at[0] - point.x).abs() < 0.05 && (at[1] - point.y).abs() < 0.05)
            {
                Some((_, names)) => names.push(&point.actor_name),
                None => labels.push(([point.x, point.y], vec![&point.actor_name])),
            }
        }
        let (x_poles, y_poles) = (&x_axis.poles, &y_axis.poles);
        let pole = |text: String| egui::RichText::new(text).italics().size(12.0);
        // Square, and no wider than the visible part of the panel.
        let visible = ui.clip_rect().max.x - ui.cursor().min.x - 8.0;
        let side = visible.min(ui.available_width()).clamp(240.0, MAP_SIDE);
        Plot::new(("map", x, y))
            .id(egui::Id::unique(MAP_PLOT_ID))
            .width(side)
            .height(side)
            .default_x_bounds(-MAP_REACH, MAP_REACH)
            .default_y_bounds(-MAP_REACH, MAP_REACH)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .allow_double_click_reset(false)
            .x_grid_spacer(whole_stances)
            .y_grid_spacer(whole_stances)
            .x_axis_label(format!("{} ← → {}", x_poles.negative, x_poles.positive))
            .y_axis_label(format!("{} ← → {}", y_poles.negative, y_poles.positive))
            .show(ui, |plot| {
                plot.line(Line::new("", vec![[-2.0, 0.0], [2.0, 0.0]]).color(egui::Color32::GRAY));
                plot.line(Line::new("", vec![[0.0, -2.0], [0.0, 2.0]]).color(egui::Color32::GRAY));
                // The pole names at the ends of the two axes.
                for (at, anchor, text) in [
                    (
                        [-2.0, 0.05],
                        egui::Align2::LEFT_BOTTOM,
                        format!("← {}", x_poles.negative),
                    ),
                    (
                        [2.0, 0.05],
                        egui::Align2::RIGHT_BOTTOM,
                        format!("{} →", x_poles.positive),
                    ),
                    (
                        [0.05, 2.0],
                        egui::Align2::LEFT_TOP,
                        format!("↑ {}", y_poles.positive),
                    ),
                    (
                        [0.05, -2.0],
                        egui::Align2::LEFT_BOTTOM,
                        format!("↓ {}", y_poles.negative),
                    ),
                ] {
                    plot.text(
                        Text::new("", PlotPoint::new(at[0], at[1]), pole(text)).anchor(anchor),
                    );
                }
                for (i, point) in points.iter().enumerate() {
                    let colour =
                        actor_colour(x_axis, point.actor_id).unwrap_or(ACTOR_COLOURS[i % 8]);
                    plot.points(
                        Points::new(point.actor_name.clone(), vec![[point.x, point.y]])
                            .radius(7.0)
                            .color(colour),
                    );
                }
                for (at, names) in &labels {
                    plot.text(
                        Text::new(
                            "",
                            PlotPoint::new(at[0], at[1] + 0.12),
                            egui::RichText::new(names.join(", ")).strong().size(15.0),
                        )
                        .anchor(egui::Align2::CENTER_BOTTOM),
                    );
                }
            });
        if !missing.is_empty() {
            ui.weak(format!(
                "Not placed (no stance on both axes): {}",
                missing.join(", ")
            ));
        }
    }
}

/// The strip in words, for reading aloud and copying: "KS +1.75 (n = 4 quotes) · LO: no stance".
fn axis_summary(axis: &AxisPositions) -> String {
    axis.actors
        .iter()
        .map(|a| match &a.summary {
            Some(s) => format!(
                "{} {} (n = {})",
                a.actor_name,
                signed2(s.mean),
                axis.counting.count(s.n)
            ),
            None => format!("{}: no stance", a.actor_name),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn actor_colour(axis: &AxisPositions, actor: crate::model::ActorId) -> Option<egui::Color32> {
    axis.actors
        .iter()
        .position(|a| a.actor_id == actor)
        .map(|i| ACTOR_COLOURS[i % ACTOR_COLOURS.len()])
}

/// One axis: a row per actor with its single stances, its mean and its range.
fn axis_strip_ui(ui: &mut egui::Ui, placed: &Arc<Placed>, axis_index: usize) {
    let axis = &placed.axes[axis_index];
    ui.heading(&axis.theme_name);
    let names: Vec<String> = axis.actors.iter().map(|a| a.actor_name.clone()).collect();
    let poles = axis.poles.clone();
    let rows = axis.actors.len().max(1) as f64;
    let hovers = placed.clone();
    Plot::new(("axis", axis.theme_id))
        .height(44.0 + 34.0 * rows as f32)
        .include_x(-2.4)
        .include_x(2.4)
        .include_y(-0.9)
        .include_y(rows - 0.4)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show_grid([true, false])
        .x_grid_spacer(whole_stances)
        .x_axis_formatter(|mark, _| {
            if mark.value.fract() == 0.0 {
                stance_value(mark.value)
            } else {
                String::new()
            }
        })
        .y_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < names.len() {
                names[names.len() - 1 - i as usize].clone()
            } else {
                String::new()
            }
        })
        .label_formatter(move |hover| match hover {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name, index, ..
            } => {
                // Single stances are series "stances <actor row>": show that stance's quote.
                plot_name
                    .strip_prefix("stances ")
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|actor| hovers.dots[axis_index].get(actor))
                    .and_then(|dots| dots.hovers.get(*index))
                    .cloned()
                    .or_else(|| Some(plot_name.to_string()))
            }
            _ => None,
        })
        .show(ui, |plot| {
            plot.line(
                Line::new("", vec![[0.0, -0.5], [0.0, rows - 0.5]]).color(egui::Color32::GRAY),
            );
            // The pole names at the two ends, under the last row.
            let pole = |text: String| egui::RichText::new(text).italics().size(12.0);
            for (x, anchor, text) in [
                (
                    -2.4,
                    egui::Align2::LEFT_BOTTOM,
                    format!("← {}", poles.negative),
                ),
                (
                    2.4,
                    egui::Align2::RIGHT_BOTTOM,
                    format!("{} →", poles.positive),
                ),
            ] {
                plot.text(Text::new("", PlotPoint::new(x, -0.6), pole(text)).anchor(anchor));
            }
            for (i, actor) in axis.actors.iter().enumerate() {
                let y = rows - 1.0 - i as f64;
                let colour = ACTOR_COLOURS[i % ACTOR_COLOURS.len()];
                let Some(summary) = &actor.summary else {
                    plot.text(Text::new(
                        "",
                        PlotPoint::new(0.0, y),
                        egui::RichText::new(format!("{}: no stance", actor.actor_name)).weak(),
                    ));
                    continue;
                };
                plot.line(
                    Line::new("", vec![[summary.min, y], [summary.max, y]])
                        .color(colour)
                        .width(2.0),
                );
                let singles: Vec<[f64; 2]> = placed.dots[axis_index][i]
                    .points
                    .iter()
                    .map(|[x, jitter]| [*x, y + jitter])
                    .collect();
                plot.points(
                    Points::new(format!("stances {i}"), singles)
                        .radius(3.5)
                        .color(colour.gamma_multiply(0.7)),
                );
                plot.points(
                    Points::new(
                        format!(
                            "{}: mean {}, n = {}, range {}…{}",
                            actor.actor_name,
                            signed2(summary.mean),
                            axis.counting.count(summary.n),
                            stance_value(summary.min),
                            stance_value(summary.max)
                        ),
                        vec![[summary.mean, y]],
                    )
                    .shape(MarkerShape::Diamond)
                    .radius(8.0)
                    .color(colour),
                );
                // Near an end of the axis the label reaches inwards, not off the plot.
                let anchor = match summary.mean {
                    m if m > 1.0 => egui::Align2::RIGHT_CENTER,
                    m if m < -1.0 => egui::Align2::LEFT_CENTER,
                    _ => egui::Align2::CENTER_CENTER,
                };
                let label = format!(
                    "{} {} (n = {})",
                    actor.actor_name,
                    signed2(summary.mean),
                    axis.counting.count(summary.n)
                );
                plot.text(
                    Text::new(
                        "",
                        PlotPoint::new(summary.mean, y + 0.32),
                        egui::RichText::new(label).size(13.0),
                    )
                    .anchor(anchor),
                );
            }
        });
}
