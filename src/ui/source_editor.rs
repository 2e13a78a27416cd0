//! Managing a source from its row's context menu: edit its title, kind, person and details
//! (date, citation … — the source's metadata), or delete it after saying what goes with it.
//! Every change is one undoable command. The windows follow the store: after an undo or redo
//! they show what it holds, and they close when their source is gone.

use crate::model::{Metadata, PersonId, SourceId, SourceKind, SourceSummary};
use crate::project::Project;

use super::actions::Action;
use super::snapshot::Snapshot;
use super::words::plural;

/// The source being edited or about to be deleted.
#[derive(Default)]
pub struct SourceEditor {
    editing: Option<Editing>,
    deleting: Option<Deleting>,
}

/// A source's header as stored or as typed: everything but its text, which never changes.
#[derive(Clone, PartialEq)]
struct Header {
    title: String,
    kind: SourceKind,
    person_id: Option<PersonId>,
    metadata: Metadata,
}

struct Editing {
    source_id: SourceId,
    /// What the store held at a revision: the draft starts again from it when it changes.
    stored: Option<(i64, Header)>,
    draft: Header,
}

struct Deleting {
    source_id: SourceId,
    title: String,
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
            if ui.button("Edit title, kind, person and details…").clicked() {
                self.editing = Some(Editing {
                    source_id: source.id,
                    stored: None,
                    draft: Header {
                        title: source.title.clone(),
                        kind: source.kind,
                        person_id: source.person_id,
                        metadata: Metadata::new(),
                    },
                });
                ui.close();
            }
            if ui.button("Delete source…").clicked() {
                self.deleting = Some(Deleting {
                    source_id: source.id,
                    title: source.title.clone(),
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
        project: &Project,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        self.edit_window(ctx, project, snapshot, actions);
        self.delete_window(ctx, snapshot, actions);
    }

    fn edit_window(
        &mut self,
        ctx: &egui::Context,
        project: &Project,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        let Some(editing) = &mut self.editing else {
            return;
        };
        if editing.stored.as_ref().map(|(r, _)| *r) != Some(snapshot.revision) {
            // Read once per revision: the source's text may be long, the header is what counts.
            let Ok(source) = project.source(editing.source_id) else {
                // Deleted (an undo of its import, another window): nothing left to edit.
                self.editing = None;
                return;
            };
            let stored = Header {
                title: source.title,
                kind: source.kind,
                person_id: source.person_id,
                metadata: source.metadata,
            };
            if editing.stored.as_ref().map(|(_, h)| h) != Some(&stored) {
                editing.draft = stored.clone();
            }
            editing.stored = Some((snapshot.revision, stored));
        }
        let stored = editing.stored.as_ref().map(|(_, h)| h.clone());
        let draft = &mut editing.draft;
        let mut done = false;
        egui::Window::new("Edit source")
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
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
                // The label above: a long name beside it would squeeze the label into a column.
                let label = ui.label("Who speaks or wrote it");
                egui::ComboBox::from_id_salt("source-person")
                    .width(340.0)
                    .truncate()
                    .selected_text(person_name(draft.person_id))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut draft.person_id, None, person_name(None));
                        for person in &snapshot.persons {
                            let id = Some(person.id);
                            ui.selectable_value(&mut draft.person_id, id, person_name(id));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                details_ui(ui, &mut draft.metadata);
                ui.separator();
                ui.horizontal(|ui| {
                    let named = !draft.title.trim().is_empty();
                    let saved = Header {
                        title: draft.title.trim().to_string(),
                        metadata: tidy(&draft.metadata),
                        ..draft.clone()
                    };
                    let changed = stored.as_ref() != Some(&saved);
                    if ui
                        .add_enabled(named && changed, egui::Button::new("Save"))
                        .clicked()
                    {
                        actions.push(Action::EditSource {
                            source_id: editing.source_id,
                            title: saved.title,
                            kind: saved.kind,
                            person_id: saved.person_id,
                            metadata: saved.metadata,
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

    fn delete_window(
        &mut self,
        ctx: &egui::Context,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        let Some(deleting) = &self.deleting else {
            return;
        };
        // Counted from the store as it is now: an undo may have added or taken codings.
        let Some(source) = snapshot.sources.iter().find(|s| s.id == deleting.source_id) else {
            self.deleting = None;
            return;
        };
        let mut done = false;
        egui::Window::new("Delete source?")
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(format!(
                    "«{}» will be deleted with {} and {}.",
                    deleting.title,
                    plural(source.coding_count, "coding", "codings"),
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

/// The source's details as name and value rows: edit, remove, add.
fn details_ui(ui: &mut egui::Ui, metadata: &mut Metadata) {
    /// Widths of the two fields of a row, in points (a grid would start them at their minimum).
    const NAME_WIDTH: f32 = 110.0;
    const VALUE_WIDTH: f32 = 200.0;
    ui.add_space(4.0);
    ui.label("Details (date, place, citation …)");
    let mut remove = None;
    if !metadata.is_empty() {
        let (name_header, value_header) = ui
            .horizontal(|ui| {
                let name = ui.add_sized([NAME_WIDTH, 16.0], egui::Label::new(weak(ui, "Detail")));
                let value = ui.add_sized([VALUE_WIDTH, 16.0], egui::Label::new(weak(ui, "Value")));
                (name.id, value.id)
            })
            .inner;
        for (i, (name, value)) in metadata.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                ui.add_sized(
                    [NAME_WIDTH, 20.0],
                    egui::TextEdit::singleline(name).hint_text("date, place …"),
                )
                .labelled_by(name_header);
                ui.add_sized([VALUE_WIDTH, 20.0], egui::TextEdit::singleline(value))
                    .labelled_by(value_header);
                if ui
                    .small_button("✕")
                    .on_hover_text(format!("Remove the detail {name}"))
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        }
    }
    if let Some(i) = remove {
        metadata.remove(i);
    }
    if ui.button("Add a detail").clicked() {
        metadata.push((String::new(), String::new()));
    }
}

/// A column heading in the weak colour, left-aligned in its width.
fn weak(ui: &egui::Ui, text: &str) -> egui::RichText {
    egui::RichText::new(text).color(ui.visuals().weak_text_color())
}

/// The details as saved: names and values trimmed, rows without a name left out.
fn tidy(metadata: &Metadata) -> Metadata {
    metadata
        .iter()
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .filter(|(name, _)| !name.is_empty())
        .collect()
}
