//! Actors side by side: for the chosen themes, a column per actor (or person) with its quotes, count,
//! share of coded text and mean stance. A quote opens in its source.

use crate::analysis::{Column, ColumnGrouping, CompareOptions, Counting, SideBySide, side_by_side};
use crate::model::{ActorId, CoderId, ThemeId};
use crate::project::Project;
use crate::text;

use super::actions::Action;
use super::snapshot::Snapshot;

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
    cache: Option<(CacheKey, SideBySide)>,
}

type CacheKey = (i64, Vec<ThemeId>, Vec<ActorId>, bool, bool, Option<CoderId>);

impl CompareView {
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
        ui.horizontal(|ui| {
            let names: Vec<&str> = self
                .themes
                .iter()
                .filter_map(|t| snapshot.theme(*t))
                .map(|t| t.name.as_str())
                .collect();
            ui.menu_button(format!("Themes: {}", names.join(" + ")), |ui| {
                for theme in &snapshot.themes {
                    let mut on = self.themes.contains(&theme.id);
                    if ui.checkbox(&mut on, &theme.name).changed() {
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
        if self.cache.as_ref().map(|(k, _)| k) != Some(&key) {
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
            match side_by_side(project, &options) {
                Ok(columns) => self.cache = Some((key, columns)),
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                    return;
                }
            }
        }
        let Some((_, compared)) = &self.cache else {
            return;
        };
        if compared.columns.is_empty() {
            ui.weak("No actors yet.");
            return;
        }
        egui::ScrollArea::vertical()
            .id_salt("compare")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.columns(compared.columns.len(), |uis| {
                    for (ui, column) in uis.iter_mut().zip(&compared.columns) {
                        // Columns lay out justified, which stretches wrapped quotes letter by
                        // letter: lay each one out left-aligned instead.
                        ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                            column_ui(ui, column, compared.counting, actions);
                        });
                    }
                });
            });
    }
}

fn column_ui(ui: &mut egui::Ui, column: &Column, counting: Counting, actions: &mut Vec<Action>) {
    ui.strong(&column.label);
    let share = column
        .coverage
        .share
        .map(|s| format!("{:.0} % of coded text", s * 100.0))
        .unwrap_or_else(|| "no coded text".into());
    let stance = column
        .mean_stance
        .map(|m| format!("mean stance {}", crate::export::report::signed2(m)))
        .unwrap_or_else(|| "no stance".into());
    ui.weak(format!(
        "{} · {share} · {stance}",
        counting.count(column.coverage.counted(counting))
    ));
    ui.separator();
    for quote in &column.quotes {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let mut who = quote.person_name.clone().unwrap_or_default();
            if let Some(s) = quote.stance {
                who.push_str(&format!("  ·  stance {s:+}"));
            }
            ui.weak(who);
            ui.label(format!("«{}»", text::one_line(&quote.quote)));
            if ui.small_button("Open in source").clicked() {
                actions.push(Action::OpenSource(quote.source_id, Some(quote.span)));
                actions.push(Action::SelectCoding(Some(quote.coding_id)));
            }
        });
    }
}
