//! Edit → History…: the project's changes, newest first, with when, who and what, and buttons
//! to undo and redo. The history is kept in the project, so it lists changes of earlier runs and
//! of other processes too.

use crate::project::Project;
use crate::store::AuditRow;
use crate::text;

use super::actions::Action;

/// Changes listed at most.
const SHOWN: usize = 500;

#[derive(Default)]
pub struct HistoryWindow {
    pub open: bool,
    /// What was read at a revision: the list is drawn every frame, the project read on change.
    read: Option<Read>,
}

struct Read {
    revision: i64,
    /// The changes, or why they could not be read.
    rows: Result<Vec<AuditRow>, String>,
    undo: Option<String>,
    redo: Option<String>,
}

impl HistoryWindow {
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        project: &Project,
        revision: i64,
        actions: &mut Vec<Action>,
    ) {
        if !self.open {
            return;
        }
        if self.read.as_ref().map(|r| r.revision) != Some(revision) {
            self.read = Some(Read {
                revision,
                rows: project.audit(SHOWN).map_err(|e| e.to_string()),
                undo: project.undo_summary(),
                redo: project.redo_summary(),
            });
        }
        let Some(read) = &self.read else {
            return;
        };
        let mut open = self.open;
        egui::Window::new("History")
            .open(&mut open)
            .resizable(true)
            .default_size([640.0, 420.0])
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                ui.horizontal_wrapped(|ui| {
                    let undo = &read.undo;
                    let label = undo
                        .as_deref()
                        .map_or_else(|| "Nothing to undo".to_string(), |s| format!("Undo {s}"));
                    if ui
                        .add_enabled(undo.is_some(), egui::Button::new(label))
                        .clicked()
                    {
                        actions.push(Action::Undo);
                    }
                    let redo = &read.redo;
                    let label = redo
                        .as_deref()
                        .map_or_else(|| "Nothing to redo".to_string(), |s| format!("Redo {s}"));
                    if ui
                        .add_enabled(redo.is_some(), egui::Button::new(label))
                        .clicked()
                    {
                        actions.push(Action::Redo);
                    }
                });
                ui.weak(
                    "Every change to this project, newest first, also those made in earlier \
                     sessions and by the command line. Times are in your time zone.",
                );
                ui.separator();
                let rows = match &read.rows {
                    Ok(rows) => rows.as_slice(),
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                        return;
                    }
                };
                if rows.is_empty() {
                    ui.label("No changes yet.");
                    return;
                }
                let height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show_rows(ui, height, rows.len(), |ui, range| {
                        egui::Grid::new("history rows")
                            .striped(true)
                            .num_columns(3)
                            .show(ui, |ui| {
                                for row in &rows[range] {
                                    ui.label(crate::time::format_local(row.at_ms));
                                    ui.label(if row.coder.is_empty() {
                                        "—"
                                    } else {
                                        &row.coder
                                    });
                                    let what = match row.action.as_str() {
                                        "undo" => format!("undid: {}", row.summary),
                                        "redo" => format!("redid: {}", row.summary),
                                        _ => row.summary.clone(),
                                    };
                                    ui.label(text::one_line(&what));
                                    ui.end_row();
                                }
                            });
                    });
            });
        self.open = open;
    }
}
