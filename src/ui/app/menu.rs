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
                let open = Action::PickProject;
                shortcut_item(ui, &ctx, "Open…", Shortcut::Open, open, actions);
                ui.menu_button("Open recent", |ui| {
                    for path in &self.settings.recent_projects {
                        if ui.button(path.display().to_string()).clicked() {
                            actions.push(Action::OpenProject(path.clone()));
                        }
                    }
                });
                let import = Action::PickImportFiles;
                shortcut_item(ui, &ctx, "Import files…", Shortcut::Import, import, actions);
                if ui
                    .button("Merge project…")
                    .on_hover_text(
                        "Bring a colleague's copy of this project (.sitat) or a REFI-QDA project \
                         (.qdpx) in: their codings are added under their names, in one step",
                    )
                    .clicked()
                {
                    actions.push(Action::PickMergeProject);
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
                let undo = (self.project.undo_summary(), self.project.can_undo());
                history_item(
                    ui,
                    &ctx,
                    "Undo",
                    undo,
                    Shortcut::Undo,
                    Action::Undo,
                    actions,
                );
                let redo = (self.project.redo_summary(), self.project.can_redo());
                history_item(
                    ui,
                    &ctx,
                    "Redo",
                    redo,
                    Shortcut::Redo,
                    Action::Redo,
                    actions,
                );
                if ui.button("History…").clicked() {
                    actions.push(Action::OpenHistory);
                }
                ui.separator();
                if ui.button("Settings…").clicked() {
                    actions.push(Action::OpenSettings);
                }
            });
            ui.menu_button("View", |ui| {
                for (panel, shown, label) in [
                    (
                        SidePanel::Navigator,
                        self.settings.show_navigator,
                        "Sources and codebook",
                    ),
                    (
                        SidePanel::Inspector,
                        self.settings.show_inspector,
                        "Inspector",
                    ),
                ] {
                    let shortcut = shortcut_text(&ctx, Shortcut::TogglePanel(panel));
                    let button = egui::Button::selectable(shown, label).shortcut_text(shortcut);
                    if ui.add(button).clicked() {
                        actions.push(Action::TogglePanel(panel));
                    }
                }
                ui.separator();
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
            let coder = format!("Coding as {}", self.project.coder_name());
            if ui
                .small_button(coder)
                .on_hover_text("Who your codings are recorded under: click to change")
                .clicked()
            {
                actions.push(Action::OpenSettings);
            }
            ui.separator();
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
            // The index's work, without a spinner: a refresh is no reason to repaint each frame.
            if let Some((label, fraction)) = self.index.activity() {
                ui.separator();
                ui.label(format!("{label}…"));
                if let Some(fraction) = fraction {
                    ui.add(
                        egui::ProgressBar::new(fraction)
                            .desired_width(140.0)
                            .show_percentage(),
                    );
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

/// "Undo code …" / "Redo …": the menu item, greyed out when there is nothing to do.
fn history_item(
    ui: &mut egui::Ui,
    ctx: &egui::Context,
    verb: &str,
    (summary, enabled): (Option<String>, bool),
    shortcut: Shortcut,
    action: Action,
    actions: &mut Vec<Action>,
) {
    let label = summary.map_or_else(|| verb.to_string(), |s| format!("{verb} {s}"));
    let button = egui::Button::new(label).shortcut_text(shortcut_text(ctx, shortcut));
    if ui.add_enabled(enabled, button).clicked() {
        actions.push(action);
    }
}

/// A menu item that shows its keyboard shortcut.
fn shortcut_item(
    ui: &mut egui::Ui,
    ctx: &egui::Context,
    label: &str,
    shortcut: Shortcut,
    action: Action,
    actions: &mut Vec<Action>,
) {
    let button = egui::Button::new(label).shortcut_text(shortcut_text(ctx, shortcut));
    if ui.add(button).clicked() {
        actions.push(action);
    }
}
