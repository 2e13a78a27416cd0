//! Every coded excerpt for the chosen themes, filtered by actor and source kind; a click opens the
//! excerpt in its source.

use std::collections::BTreeSet;

use crate::model::{ActorId, SourceKind, ThemeId};
use crate::project::Project;
use crate::query::CodingFilter;
use crate::text;

use super::actions::Action;
use super::snapshot::Snapshot;

#[derive(Default)]
pub struct RetrieveView {
    pub themes: BTreeSet<ThemeId>,
    pub actor: Option<ActorId>,
    pub kind: Option<SourceKind>,
}

impl RetrieveView {
    pub fn filter(&self) -> CodingFilter {
        CodingFilter {
            theme_ids: self.themes.iter().copied().collect(),
            actor_ids: self.actor.into_iter().collect(),
            source_kinds: self.kind.into_iter().collect(),
            ..Default::default()
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Themes:");
            for theme in &snapshot.themes {
                let mut on = self.themes.contains(&theme.id);
                if ui.checkbox(&mut on, &theme.name).changed() {
                    if on {
                        self.themes.insert(theme.id);
                    } else {
                        self.themes.remove(&theme.id);
                    }
                }
            }
        });
        ui.horizontal(|ui| {
            let actor_name = self
                .actor
                .and_then(|a| snapshot.actor(a))
                .map(|a| a.name.clone())
                .unwrap_or_else(|| "all actors".into());
            egui::ComboBox::from_label("Actor")
                .selected_text(actor_name)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.actor, None, "all actors");
                    for actor in &snapshot.actors {
                        ui.selectable_value(&mut self.actor, Some(actor.id), &actor.name);
                    }
                });
            let kind_name = self
                .kind
                .map(|k| k.to_string())
                .unwrap_or_else(|| "all kinds".into());
            egui::ComboBox::from_label("Kind")
                .selected_text(kind_name)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.kind, None, "all kinds");
                    for kind in SourceKind::ALL {
                        ui.selectable_value(&mut self.kind, Some(kind), kind.as_str());
                    }
                });
        });
        ui.separator();
        if self.themes.is_empty() {
            ui.weak("Tick one or more themes to list their coded excerpts.");
            return;
        }
        let excerpts = match project.excerpts(&self.filter()) {
            Ok(e) => e,
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                return;
            }
        };
        ui.label(format!("{} excerpts", excerpts.len()));
        egui::ScrollArea::vertical()
            .id_salt("retrieve")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for e in &excerpts {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        let who = match (&e.person_name, &e.actor_name) {
                            (Some(p), Some(a)) => format!("{p} ({a})"),
                            _ => e.source_kind.to_string(),
                        };
                        let stance = e
                            .coding
                            .stance
                            .map(|s| format!(" · stance {s}"))
                            .unwrap_or_default();
                        ui.weak(format!(
                            "{} · {who} · {}{stance}",
                            e.theme_name, e.source_title
                        ));
                        ui.label(format!("«{}»", text::one_line(&e.quote)));
                        ui.horizontal(|ui| {
                            if ui.small_button("Open in source").clicked() {
                                actions.push(Action::OpenSource(
                                    e.coding.source_id,
                                    Some(e.coding.span),
                                ));
                                actions.push(Action::SelectCoding(Some(e.coding.id)));
                            }
                            if ui.small_button("Copy with citation").clicked() {
                                ui.ctx().copy_text(format!(
                                    "«{}» ({who}, {}, characters {})",
                                    text::one_line(&e.quote),
                                    e.source_title,
                                    e.coding.span
                                ));
                            }
                        });
                    });
                }
            });
    }
}
