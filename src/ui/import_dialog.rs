//! Before an import: what kind of sources the files are, and who speaks or wrote them.

use std::path::PathBuf;

use crate::model::{PersonId, SourceKind};

use super::actions::Action;
use super::snapshot::Snapshot;
use super::words::plural;

pub struct ImportDialog {
    paths: Vec<PathBuf>,
    kind: SourceKind,
    person_id: Option<PersonId>,
}

impl ImportDialog {
    pub fn new(paths: Vec<PathBuf>) -> ImportDialog {
        ImportDialog {
            paths,
            kind: SourceKind::Interview,
            person_id: None,
        }
    }

    /// Shows the question; `Some(action)` once answered (the import, or nothing on Cancel).
    pub fn show(&mut self, ctx: &egui::Context, snapshot: &Snapshot) -> Option<Option<Action>> {
        let mut answer = None;
        egui::Window::new("Import files")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label(format!("{}:", plural(self.paths.len(), "file", "files")));
                for path in self.paths.iter().take(8) {
                    let name = path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    ui.weak(format!("• {name}"));
                }
                if self.paths.len() > 8 {
                    ui.weak(format!("… and {} more", self.paths.len() - 8));
                }
                ui.separator();
                egui::ComboBox::new("import-kind", "Kind of these sources")
                    .selected_text(self.kind.to_string())
                    .show_ui(ui, |ui| {
                        for kind in SourceKind::ALL {
                            ui.selectable_value(&mut self.kind, kind, kind.to_string());
                        }
                    });
                let person_name = |id: Option<PersonId>| match id.and_then(|p| snapshot.person(p)) {
                    Some(p) => match snapshot.actor(p.actor_id) {
                        Some(a) => format!("{} ({})", p.name, a.name),
                        None => p.name.clone(),
                    },
                    None => "nobody as a whole (speaker turns say who speaks)".into(),
                };
                // The label above: a long name beside it would squeeze the label into a column.
                let label = ui.label("Who speaks or wrote them");
                egui::ComboBox::from_id_salt("import-person")
                    .width(340.0)
                    .truncate()
                    .selected_text(person_name(self.person_id))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.person_id, None, person_name(None));
                        for person in &snapshot.persons {
                            let id = Some(person.id);
                            ui.selectable_value(&mut self.person_id, id, person_name(id));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button("Import these files").clicked() {
                        answer = Some(Some(Action::ImportFilesAs {
                            paths: self.paths.clone(),
                            kind: self.kind,
                            person_id: self.person_id,
                        }));
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(None);
                    }
                });
            });
        answer
    }
}
