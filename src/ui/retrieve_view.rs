//! Every coded excerpt for the chosen themes, filtered by actor and source kind; a click opens the
//! excerpt in its source. The excerpts are read off the frame on a large project, and only those
//! on screen are laid out.

use std::collections::BTreeSet;

use crate::filter::{CodingFilter, coded_with_all_themes};
use crate::model::{ActorId, CodedExcerpt, CoderId, PersonId, SourceKind, ThemeId};
use crate::project::Project;
use crate::text;

use super::actions::Action;
use super::off_frame::OffFrame;
use super::snapshot::Snapshot;
use super::theme_picker::theme_checkbox_inline;
use super::virtual_list::VirtualList;
use super::words::plural;

#[derive(Default)]
pub struct RetrieveView {
    pub themes: BTreeSet<ThemeId>,
    /// AND: only text coded with every ticked theme (overlapping codings); OR otherwise.
    pub all_themes: bool,
    pub actor: Option<ActorId>,
    pub person: Option<PersonId>,
    pub kind: Option<SourceKind>,
    pub coder: Option<CoderId>,
    /// Inclusive stance bounds; `None` means no stance filter.
    pub stance: Option<(i64, i64)>,
    /// The excerpts and what they were read for: the query runs on change, not per frame.
    excerpts: OffFrame<CacheKey, Vec<CodedExcerpt>>,
    list: VirtualList,
}

type CacheKey = (i64, CodingFilter, bool);

impl RetrieveView {
    /// Whether its analysis is being computed off the frame.
    pub fn is_computing(&self) -> bool {
        self.excerpts.is_computing()
    }

    pub fn filter(&self) -> CodingFilter {
        CodingFilter {
            theme_ids: self.themes.iter().copied().collect(),
            actor_ids: self.actor.into_iter().collect(),
            person_ids: self.person.into_iter().collect(),
            source_kinds: self.kind.into_iter().collect(),
            coder_ids: self.coder.into_iter().collect(),
            stance_min: self.stance.map(|(min, _)| min),
            stance_max: self.stance.map(|(_, max)| max),
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
            for (depth, theme) in snapshot.theme_tree() {
                let mut on = self.themes.contains(&theme.id);
                if theme_checkbox_inline(ui, &mut on, depth, theme) {
                    if on {
                        self.themes.insert(theme.id);
                    } else {
                        self.themes.remove(&theme.id);
                    }
                }
            }
        });
        // Wrapped, so every filter stays in reach in a narrow window.
        ui.horizontal_wrapped(|ui| {
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
            let person_name = self
                .person
                .and_then(|p| snapshot.person(p))
                .map(|p| p.name.clone())
                .unwrap_or_else(|| "all persons".into());
            egui::ComboBox::from_label("Person")
                .selected_text(person_name)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.person, None, "all persons");
                    for person in &snapshot.persons {
                        ui.selectable_value(&mut self.person, Some(person.id), &person.name);
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
        ui.horizontal_wrapped(|ui| {
            ui.radio_value(&mut self.all_themes, false, "any ticked theme");
            ui.radio_value(
                &mut self.all_themes,
                true,
                "all ticked themes (overlapping)",
            );
            ui.separator();
            let coder_name = self
                .coder
                .and_then(|c| snapshot.coders.iter().find(|k| k.id == c))
                .map(|c| c.name.clone())
                .unwrap_or_else(|| "all coders".into());
            egui::ComboBox::from_label("Coder")
                .selected_text(coder_name)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.coder, None, "all coders");
                    for coder in &snapshot.coders {
                        ui.selectable_value(&mut self.coder, Some(coder.id), &coder.name);
                    }
                });
            let mut by_stance = self.stance.is_some();
            if ui.checkbox(&mut by_stance, "Stance from").changed() {
                self.stance = by_stance.then_some((-2, 2));
            }
            if let Some((min, max)) = &mut self.stance {
                ui.add(egui::DragValue::new(min).range(-2..=*max));
                ui.label("to");
                ui.add(egui::DragValue::new(max).range(*min..=2));
            }
        });
        ui.separator();
        if self.themes.is_empty() {
            ui.weak("Tick one or more themes to list their coded excerpts.");
            return;
        }
        let filter = self.filter();
        let key = (snapshot.revision, filter.clone(), self.all_themes);
        let all_themes = self.all_themes;
        self.excerpts.request(
            ui.ctx(),
            project,
            !snapshot.analyses_off_frame(),
            key,
            move |project| {
                let excerpts = project.excerpts(&filter)?;
                if !all_themes {
                    return Ok(excerpts);
                }
                let codings = project.all_codings()?;
                Ok(coded_with_all_themes(excerpts, &filter.theme_ids, &codings))
            },
        );
        self.excerpts.status_ui(ui);
        let generation = self.excerpts.generation();
        let Some(excerpts) = self.excerpts.value() else {
            return;
        };
        ui.label(plural(excerpts.len(), "excerpt", "excerpts"));
        self.list
            .show(ui, "retrieve", excerpts.len(), generation, |ui, i| {
                let e = &excerpts[i];
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
                    if !e.coding.memo.trim().is_empty() {
                        ui.label(egui::RichText::new(format!("Memo: {}", e.coding.memo)).italics());
                    }
                    ui.horizontal(|ui| {
                        if ui.small_button("Open in source").clicked() {
                            actions
                                .push(Action::OpenSource(e.coding.source_id, Some(e.coding.span)));
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
            });
    }
}
