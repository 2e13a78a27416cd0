//! Actors side by side: for the chosen themes, a column per actor (or person) with its quotes, count,
//! share of coded text and mean stance (each explained on hover; the mean names the pole it leans
//! to), long quotes folded, each quote's memo. A quote opens in its source. The columns are
//! computed off the frame on a large project; the column heads stay in place and the quotes
//! scroll below them a row at a time, only the rows on screen laid out.

use std::collections::HashSet;

use crate::analysis::{
    CitedQuote, Column, ColumnGrouping, CompareOptions, Counting, PositionScope, SideBySide,
    side_by_side,
};
use crate::export::report;
use crate::model::{ActorId, CoderId, CodingId, Poles, ThemeId};
use crate::project::Project;
use crate::text;

use super::actions::Action;
use super::off_frame::OffFrame;
use super::snapshot::Snapshot;
use super::theme_picker::theme_checkbox;
use super::view_export::{ViewFormat, export_menu_ui};
use super::virtual_list::VirtualList;

#[derive(Default)]
pub struct CompareView {
    /// The themes compared: a quote counts when it is coded with any of them.
    pub themes: Vec<ThemeId>,
    /// Every actor in column order, with whether its column is shown.
    pub actors: Vec<(ActorId, bool)>,
    pub by_person: bool,
    /// Count every coding on its own instead of one voice per quote.
    pub per_coding: bool,
    /// Only this coder's codings; everyone's when `None`.
    pub coder: Option<CoderId>,
    /// The computed columns and what they were computed for.
    compared: OffFrame<CacheKey, SideBySide>,
    list: VirtualList,
    /// Long quotes unfolded with "more".
    unfolded: HashSet<CodingId>,
}

type CacheKey = (i64, Vec<ThemeId>, Vec<ActorId>, bool, bool, Option<CoderId>);

impl CompareView {
    /// Whether its analysis is being computed off the frame.
    pub fn is_computing(&self) -> bool {
        self.compared.is_computing()
    }

    /// Starts on the first axis theme (that is where actors disagree) and keeps the actor list
    /// in step with the project: new actors are appended, removed ones dropped.
    fn sync_with(&mut self, snapshot: &Snapshot) {
        self.themes.retain(|t| snapshot.theme(*t).is_some());
        if self.themes.is_empty() {
            self.themes.extend(
                snapshot
                    .themes
                    .iter()
                    .find(|t| t.is_axis())
                    .or(snapshot.themes.first())
                    .map(|t| t.id),
            );
        }
        self.actors.retain(|(a, _)| snapshot.actor(*a).is_some());
        for actor in &snapshot.actors {
            if !self.actors.iter().any(|(a, _)| *a == actor.id) {
                self.actors.push((actor.id, true));
            }
        }
    }

    fn controls_ui(&mut self, ui: &mut egui::Ui, snapshot: &Snapshot) {
        ui.horizontal_wrapped(|ui| {
            let names: Vec<&str> = self
                .themes
                .iter()
                .filter_map(|t| snapshot.theme(*t))
                .map(|t| t.name.as_str())
                .collect();
            ui.menu_button(format!("Themes: {}", names.join(" + ")), |ui| {
                for (depth, theme) in snapshot.theme_tree() {
                    let mut on = self.themes.contains(&theme.id);
                    if theme_checkbox(ui, &mut on, depth, theme) {
                        if on {
                            self.themes.push(theme.id);
                        } else if self.themes.len() > 1 {
                            self.themes.retain(|t| *t != theme.id);
                        }
                    }
                }
            });
            ui.menu_button("Actors and order", |ui| {
                let mut swap = None;
                let count = self.actors.len();
                for (i, (actor_id, shown)) in self.actors.iter_mut().enumerate() {
                    let name = snapshot
                        .actor(*actor_id)
                        .map(|a| a.name.clone())
                        .unwrap_or_default();
                    ui.horizontal(|ui| {
                        ui.checkbox(shown, name);
                        if ui
                            .add_enabled(i > 0, egui::Button::new("▲").small())
                            .clicked()
                        {
                            swap = Some((i - 1, i));
                        }
                        if ui
                            .add_enabled(i + 1 < count, egui::Button::new("▼").small())
                            .clicked()
                        {
                            swap = Some((i, i + 1));
                        }
                    });
                }
                if let Some((a, b)) = swap {
                    self.actors.swap(a, b);
                }
            });
            ui.checkbox(&mut self.by_person, "Group by person");
            if snapshot.coders.len() > 1 {
                let name = |id: Option<CoderId>| {
                    id.and_then(|id| snapshot.coders.iter().find(|c| c.id == id))
                        .map_or_else(|| "every coder's".to_string(), |c| format!("{}'s", c.name))
                };
                egui::ComboBox::from_label("codings")
                    .selected_text(name(self.coder))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.coder, None, name(None));
                        for coder in &snapshot.coders {
                            ui.selectable_value(
                                &mut self.coder,
                                Some(coder.id),
                                name(Some(coder.id)),
                            );
                        }
                    });
            }
            ui.checkbox(&mut self.per_coding, "Count every coding")
                .on_hover_text(
                    "By default a speaker's codings that overlap, nest or lie in one paragraph \
                     are one quote, with the mean of their stances: one voice per quote.",
                );
        });
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        self.sync_with(snapshot);
        if self.themes.is_empty() {
            ui.weak("The codebook is empty: add a theme first.");
            return;
        }
        self.controls_ui(ui, snapshot);
        ui.separator();
        let shown: Vec<ActorId> = self
            .actors
            .iter()
            .filter(|(_, on)| *on)
            .map(|(a, _)| *a)
            .collect();
        if shown.is_empty() {
            ui.weak("Tick at least one actor under “Actors and order”.");
            return;
        }
        let key = (
            snapshot.revision,
            self.themes.clone(),
            shown.clone(),
            self.by_person,
            self.per_coding,
            self.coder,
        );
        let options = CompareOptions {
            theme_ids: self.themes.clone(),
            actor_ids: shown,
            grouping: if self.by_person {
                ColumnGrouping::Person
            } else {
                ColumnGrouping::Actor
            },
            counting: if self.per_coding {
                Counting::Codings
            } else {
                Counting::Quotes
            },
            coder_ids: self.coder.into_iter().collect(),
        };
        self.compared.request(
            ui.ctx(),
            project,
            !snapshot.analyses_off_frame(),
            key,
            move |project| side_by_side(project, &options),
        );
        self.compared.status_ui(ui);
        let generation = self.compared.generation();
        let Some(compared) = self.compared.value() else {
            return;
        };
        if compared.columns.is_empty() {
            ui.weak("No actors yet.");
            return;
        }
        let axes: Vec<&Poles> = compared
            .themes
            .iter()
            .filter_map(|t| t.poles.as_ref())
            .collect();
        let explained = Explained {
            themes: compared
                .themes
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
            poles: (axes.len() == 1).then(|| axes[0]),
            counting: compared.counting,
        };
        ui.horizontal(|ui| {
            export_menu_ui(ui, "Compare actors", "compare", actions, |format| {
                Ok(match format {
                    ViewFormat::Html => {
                        let scope = PositionScope {
                            theme_ids: compared.themes.iter().map(|t| t.id).collect(),
                            actor_ids: compared.columns.iter().map(|c| c.actor_id).collect(),
                            counting: compared.counting,
                            coder_ids: self.coder.into_iter().collect(),
                        };
                        let positions = crate::analysis::positions(project, &scope)?;
                        report::compare_html(compared, &positions).into_bytes()
                    }
                    ViewFormat::Markdown => report::compare_markdown(compared).into_bytes(),
                    ViewFormat::Csv => {
                        let mut csv = Vec::new();
                        report::write_compare_csv(&mut csv, compared)?;
                        csv
                    }
                })
            });
        });
        let count = compared.columns.len();
        // The heads stay in place; the quotes scroll below them.
        ui.columns(count, |uis| {
            for (ui, column) in uis.iter_mut().zip(&compared.columns) {
                // Columns lay out justified, which stretches wrapped quotes letter by letter:
                // lay each one out left-aligned instead.
                ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                    column_head_ui(ui, column, &explained);
                });
            }
        });
        let rows = compared
            .columns
            .iter()
            .map(|c| c.quote_groups.len())
            .max()
            .unwrap_or(0);
        let unfolded = &mut self.unfolded;
        self.list.show(ui, "compare", rows, generation, |ui, row| {
            ui.columns(count, |uis| {
                for (ui, column) in uis.iter_mut().zip(&compared.columns) {
                    ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                        if let Some(group) = column.quote_groups.get(row) {
                            quote_group_ui(ui, column, group, unfolded, actions);
                        }
                    });
                }
            });
        });
    }
}

/// Quotes longer than this are folded to their start, with "more" to unfold them.
const FOLDED_CHARS: usize = 300;

/// What the column's share and mean mean, for their tooltips.
struct Explained<'a> {
    themes: String,
    /// The poles, when the chosen themes hold exactly one axis.
    poles: Option<&'a Poles>,
    counting: Counting,
}

/// A column's head: its label, count, share of coded text and mean stance.
fn column_head_ui(ui: &mut egui::Ui, column: &Column, explained: &Explained<'_>) {
    let counting = explained.counting;
    ui.strong(&column.label);
    ui.horizontal_wrapped(|ui| {
        ui.label(counting.count(column.coverage.counted(counting)))
            .on_hover_text(match counting {
                Counting::Quotes => {
                    "Quotes on the chosen themes: codings that overlap, nest or lie in one \
                     paragraph count as one quote."
                }
                Counting::Codings => "Codings on the chosen themes, each counted on its own.",
            });
        ui.label("·");
        match column.coverage.share {
            Some(share) => {
                ui.label(format!("{:.0} % of coded text", share * 100.0))
                    .on_hover_text(format!(
                        "Of all the text {} has coded (with any theme), {:.0} % is coded with {}: \
                         {} of {} characters. A character coded twice counts once.",
                        column.label,
                        share * 100.0,
                        explained.themes,
                        column.coverage.theme_chars,
                        column.coverage.coded_chars
                    ));
            }
            None => {
                ui.label("no coded text");
            }
        }
        ui.label("·");
        match column.mean_stance {
            Some(mean) => {
                let text = match explained.poles {
                    Some(p) => format!(
                        "mean stance {}",
                        report::mean_with_pole(mean, &p.negative, &p.positive)
                    ),
                    None => format!("mean stance {}", report::signed2(mean)),
                };
                let scale = match explained.poles {
                    Some(p) => format!(
                        "−2 leans fully to {}, +2 fully to {}, 0 is balanced",
                        p.negative, p.positive
                    ),
                    None => "several axes pooled: −2 leans fully to each axis's first pole, +2 \
                             to its second"
                        .to_string(),
                };
                ui.label(text).on_hover_text(format!(
                    "The mean of the stances of {}'s {}: {scale}. {}",
                    column.label,
                    counting.count(column.stance_n),
                    match counting {
                        Counting::Quotes => {
                            "Each quote has one stance, the mean of its codings' stances."
                        }
                        Counting::Codings => "Each coding's stance counts on its own.",
                    }
                ));
            }
            None => {
                ui.label("no stance");
            }
        }
    });
    ui.separator();
}

/// One quote of a column: who, the stances and number of its codings, the text (long ones
/// folded) and memos, and a button that opens it in its source.
fn quote_group_ui(
    ui: &mut egui::Ui,
    column: &Column,
    group: &[usize],
    unfolded: &mut HashSet<CodingId>,
    actions: &mut Vec<Action>,
) {
    {
        let codings: Vec<&CitedQuote> =
            group.iter().filter_map(|&i| column.quotes.get(i)).collect();
        // The longest coding speaks for the quote (a paragraph rather than a sentence in it).
        let Some(quote) = codings
            .iter()
            .copied()
            .max_by_key(|c| (c.span.len(), std::cmp::Reverse(c.span.start)))
        else {
            return;
        };
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let mut who = quote.person_name.clone().unwrap_or_default();
            let stances: Vec<String> = codings
                .iter()
                .filter_map(|c| c.stance)
                .map(|s| report::stance_value(s as f64))
                .collect();
            if !stances.is_empty() {
                who.push_str(&format!("  ·  stance {}", stances.join(", ")));
            }
            if codings.len() > 1 {
                who.push_str(&format!("  ·  {} codings, one quote", codings.len()));
            }
            ui.weak(who);
            let whole = text::one_line(&quote.quote);
            if whole.chars().count() > FOLDED_CHARS && !unfolded.contains(&quote.coding_id) {
                let start: String = whole.chars().take(FOLDED_CHARS).collect();
                ui.label(format!("«{start}…»"));
                if ui.small_button("more").clicked() {
                    unfolded.insert(quote.coding_id);
                }
            } else {
                ui.label(format!("«{whole}»"));
            }
            for coding in &codings {
                if !coding.memo.trim().is_empty() {
                    ui.label(
                        egui::RichText::new(format!("Memo: {}", coding.memo.trim()))
                            .italics()
                            .weak(),
                    );
                }
            }
            if ui.small_button("Open in source").clicked() {
                actions.push(Action::OpenSource(quote.source_id, Some(quote.span)));
                actions.push(Action::SelectCoding(Some(quote.coding_id)));
            }
        });
    }
}
