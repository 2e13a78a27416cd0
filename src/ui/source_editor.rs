//! Managing a source from its row's context menu: edit its title, kind and person, or delete
//! it after saying what goes with it. Every change is one undoable command.

use crate::model::{PersonId, SourceId, SourceKind, SourceSummary};

use super::actions::Action;
use super::snapshot::Snapshot;
use super::words::plural;

/// The source being edited or about to be deleted.
#[derive(Default)]
pub struct SourceEditor {
    editing: Option<SourceDraft>,
    deleting: Option<Deleting>,
}

struct SourceDraft {
    source_id: SourceId,
    title: String,
    kind: SourceKind,
    person_id: Option<PersonId>,
}

struct Deleting {
    source_id: SourceId,
    title: String,
    codings: usize,
    memos: usize,
}

impl SourceEditor {
    /// The right-click menu of a source's row.
    pub fn context_menu(
        &mut self,
        response: &egui::Response,
        source: &SourceSummary,
        memos: impl Fn(SourceId) -> usize,
    ) {
        response.context_menu(|ui| {
            if ui.button("Edit title, kind and person…").clicked() {
                self.editing = Some(SourceDraft {
                    source_id: source.id,
                    title: source.title.clone(),
                    kind: source.kind,
                    person_id: source.person_id,
                });
                ui.close();
            }
            if ui.button("Delete source…").clicked() {
                self.deleting = Some(Deleting {
                    source_id: source.id,
                    title: source.title.clone(),
                    codings: source.coding_count,
                    memos: memos(source.id),
                });
                ui.close();
            }
        });
    }

    /// The open edit or delete window, if any.
    pub fn windows_ui(
        &mut self,
        ctx: &egui::Context,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        self.edit_window(ctx, snapshot, actions);
        self.delete_window(ctx, actions);
    }

    fn edit_window(&mut self, ctx: &egui::Context, snapshot: &Snapshot, actions: &mut Vec<Action>) {
        let Some(draft) = &mut self.editing else {
            return;
        };
        let mut done = false;
        egui::Window::new("Edit source")
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                let label = ui.label("Title");
                ui.add(
                    egui::TextEdit::singleline(&mut draft.title)
                        .hint_text("Source title")
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
                egui::ComboBox::new("source-kind", "Kind")
                    .selected_text(draft.kind.to_string())
                    .show_ui(ui, |ui| {
                        for kind in SourceKind::ALL {
                            ui.selectable_value(&mut draft.kind, kind, kind.to_string());
                        }
                    });
                let person_name = |id: Option<PersonId>| {
                    id.and_then(|p| snapshot.person(p))
                        .map(|p| match snapshot.actor(p.actor_id) {
                            Some(a) => format!("{} ({})", p.name, a.name),
                            None => p.name.clone(),
                        })
                        .unwrap_or_else(|| "nobody in particular".into())
                };
                egui::ComboBox::new("source-person", "Who speaks or wrote it")
                    .selected_text(person_name(draft.person_id))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut draft.person_id, None, person_name(None));
                        for person in &snapshot.persons {
                            let id = Some(person.id);
                            ui.selectable_value(&mut draft.person_id, id, person_name(id));
                        }
                    });
                ui.separator();
                ui.horizontal(|ui| {
                    let named = !draft.title.trim().is_empty();
                    if ui.add_enabled(named, egui::Button::new("Save")).clicked() {
                        actions.push(Action::EditSource {
                            source_id: draft.source_id,
                            title: draft.title.trim().to_string(),
                            kind: draft.kind,
                            person_id: draft.person_id,
                        });
                        done = true;
                    }
                    if ui.button("Cancel").clicked() {
                        done = true;
                    }
                });
            });
        if done {
            self.editing = None;
        }
    }

    fn delete_window(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let Some(deleting) = &self.deleting else {
            return;
        };
        let mut done = false;
        egui::Window::new("Delete source?")
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(format!(
                    "«{}» will be deleted with {} and {}.",
                    deleting.title,
                    plural(deleting.codings, "coding", "codings"),
                    plural(deleting.memos, "memo", "memos"),
                ));
                ui.weak("Edit → Undo brings it all back.");
                ui.horizontal(|ui| {
                    if ui.button("Delete").clicked() {
                        actions.push(Action::RemoveSource(deleting.source_id));
                        done = true;
                    }
                    if ui.button("Cancel").clicked() {
                        done = true;
                    }
                });
            });
        if done {
            self.deleting = None;
        }
    }
}
