//! The menu bar and the status line (notices, job progress with Cancel).

use super::*;

impl SitatApp {
    pub(super) fn menu_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("New project…").clicked() {
                    actions.push(Action::PickNewProject);
                }
                if ui
                    .add(
                        egui::Button::new("Open…")
                            .shortcut_text(shortcut_text(&ctx, Shortcut::Open)),
                    )
                    .clicked()
                {
                    actions.push(Action::PickProject);
                }
                ui.menu_button("Open recent", |ui| {
                    for path in &self.settings.recent_projects {
                        if ui.button(path.display().to_string()).clicked() {
                            actions.push(Action::OpenProject(path.clone()));
                        }
                    }
                });
                if ui
                    .add(
                        egui::Button::new("Import files…")
                            .shortcut_text(shortcut_text(&ctx, Shortcut::Import)),
                    )
                    .clicked()
                {
                    actions.push(Action::PickImportFiles);
                }
                ui.menu_button("Export", |ui| {
                    for format in ExportFormat::ALL {
                        let label = if format.uses_filter() {
                            format!("{}… (retrieve filters apply)", format.label())
                        } else {
                            format!("{}…", format.label())
                        };
                        if ui.button(label).clicked() {
                            actions.push(Action::PickExport(format));
                        }
                    }
                });
                ui.separator();
                if ui.button("Quit").clicked() {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Edit", |ui| {
                let undo = self
                    .project
                    .undo_summary()
                    .map(|s| format!("Undo {s}"))
                    .unwrap_or_else(|| "Undo".into());
                if ui
                    .add_enabled(
                        self.project.can_undo(),
                        egui::Button::new(undo).shortcut_text(shortcut_text(&ctx, Shortcut::Undo)),
                    )
                    .clicked()
                {
                    actions.push(Action::Undo);
                }
                let redo = self
                    .project
                    .redo_summary()
                    .map(|s| format!("Redo {s}"))
                    .unwrap_or_else(|| "Redo".into());
                if ui
                    .add_enabled(
                        self.project.can_redo(),
                        egui::Button::new(redo).shortcut_text(shortcut_text(&ctx, Shortcut::Redo)),
                    )
                    .clicked()
                {
                    actions.push(Action::Redo);
                }
            });
            ui.menu_button("View", |ui| {
                let mut dark = self.settings.dark_mode;
                if ui.checkbox(&mut dark, "Dark mode").changed() {
                    actions.push(Action::SetDarkMode(dark));
                }
                ui.add(
                    egui::Slider::new(&mut self.settings.text_size, 11.0..=26.0).text("Text size"),
                );
            });
        });
    }

    pub(super) fn status_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            ui.weak(self.project.path().display().to_string());
            for (i, job) in self.jobs.iter().enumerate() {
                ui.separator();
                ui.label(&job.label);
                ui.add(
                    egui::ProgressBar::new(job.fraction())
                        .desired_width(140.0)
                        .show_percentage(),
                );
                if ui.small_button("Cancel").clicked() {
                    actions.push(Action::CancelJob(i));
                }
            }
            if let Some(notice) = &self.notice {
                ui.separator();
                let color = if notice.is_error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                ui.colored_label(color, &notice.text);
                if ui.small_button("✕").on_hover_text("Dismiss").clicked() {
                    self.notice = None;
                }
            }
        });
    }
}
