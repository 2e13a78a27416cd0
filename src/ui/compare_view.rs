//! Actors side by side: for one theme, a column per actor (or person) with its quotes, count,
//! share of coded text and mean stance. A quote opens in its source.

use crate::analysis::{Column, ColumnGrouping, CompareOptions, SideBySide, side_by_side};
use crate::model::ThemeId;
use crate::project::Project;
use crate::text;

use super::actions::Action;
use super::snapshot::Snapshot;

#[derive(Default)]
pub struct CompareView {
    pub theme: Option<ThemeId>,
    pub by_person: bool,
    /// The computed columns and what they were computed for (revision, theme, grouping).
    cache: Option<((i64, ThemeId, bool), SideBySide)>,
}

impl CompareView {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        if self.theme.is_none() {
            // Start on the first axis theme: that is where actors disagree.
            self.theme = snapshot
                .themes
                .iter()
                .find(|t| t.is_axis())
                .or(snapshot.themes.first())
                .map(|t| t.id);
        }
        let Some(theme_id) = self.theme else {
            ui.weak("The codebook is empty: add a theme first.");
            return;
        };
        ui.horizontal(|ui| {
            let name = snapshot
                .theme(theme_id)
                .map(|t| t.name.clone())
                .unwrap_or_default();
            egui::ComboBox::from_label("Theme to compare")
                .selected_text(name)
                .width(320.0)
                .show_ui(ui, |ui| {
                    for theme in &snapshot.themes {
                        ui.selectable_value(&mut self.theme, Some(theme.id), &theme.name);
                    }
                });
            ui.checkbox(&mut self.by_person, "Group by person");
        });
        ui.separator();
        let key = (snapshot.revision, theme_id, self.by_person);
        if self.cache.as_ref().map(|(k, _)| *k) != Some(key) {
            let options = CompareOptions {
                theme_ids: vec![theme_id],
                actor_ids: Vec::new(),
                grouping: if self.by_person {
                    ColumnGrouping::Person
                } else {
                    ColumnGrouping::Actor
                },
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
                            column_ui(ui, column, actions);
                        });
                    }
                });
            });
    }
}

fn column_ui(ui: &mut egui::Ui, column: &Column, actions: &mut Vec<Action>) {
    ui.strong(&column.label);
    let share = column
        .coverage
        .share
        .map(|s| format!("{:.0} % of coded text", s * 100.0))
        .unwrap_or_else(|| "no coded text".into());
    let stance = column
        .mean_stance
        .map(|m| format!("mean stance {m:+.2}"))
        .unwrap_or_else(|| "no stance".into());
    ui.weak(format!(
        "{} quotes · {share} · {stance}",
        column.quotes.len()
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
