//! Actors × themes as a heat map (count and share of the actor's coded text), or themes × themes
//! co-occurrence; a click on a cell lists its quotes in the retrieve view. Both are computed off
//! the frame on a large project.

use crate::analysis::{
    ActorThemeMatrix, CooccurrenceMatrix, Counting, actor_theme_matrix, theme_cooccurrence,
};
use crate::project::Project;

use super::actions::Action;
use super::off_frame::OffFrame;
use super::snapshot::Snapshot;
use super::view_export::{ViewFormat, export_menu_ui};
use crate::export::report;

#[derive(Default)]
pub struct MatrixView {
    pub cooccurrence: bool,
    /// Count codings instead of quotes in the actors × themes cells.
    pub per_coding: bool,
    /// Both matrices, per project revision.
    matrices: OffFrame<i64, (ActorThemeMatrix, CooccurrenceMatrix)>,
}

/// A cell's fill: the theme-neutral selection colour, stronger with the value's weight (0…1).
fn shade(ui: &egui::Ui, weight: f32) -> egui::Color32 {
    ui.visuals()
        .selection
        .bg_fill
        .gamma_multiply(0.08 + 0.92 * weight.clamp(0.0, 1.0))
}

impl MatrixView {
    /// Whether its analysis is being computed off the frame.
    pub fn is_computing(&self) -> bool {
        self.matrices.is_computing()
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        // Wrapped, so that a narrow window keeps every control in the panel.
        ui.horizontal_wrapped(|ui| {
            ui.radio_value(&mut self.cooccurrence, false, "Actors × themes");
            ui.radio_value(
                &mut self.cooccurrence,
                true,
                "Themes × themes (co-occurrence)",
            );
            if let Some((matrix, co)) = self.matrices.value() {
                ui.separator();
                let (cooccurrence, per_coding) = (self.cooccurrence, self.per_coding);
                export_menu_ui(ui, "Matrix", "matrix", actions, |format| {
                    let mut matrix = matrix.clone();
                    matrix.counting = if per_coding {
                        Counting::Codings
                    } else {
                        Counting::Quotes
                    };
                    let co = cooccurrence.then_some(co);
                    Ok(match format {
                        ViewFormat::Html => report::matrix_html(&matrix, co).into_bytes(),
                        ViewFormat::Markdown => report::matrix_markdown(&matrix, co).into_bytes(),
                        ViewFormat::Csv => {
                            let mut csv = Vec::new();
                            match co {
                                Some(co) => report::write_cooccurrence_csv(&mut csv, co)?,
                                None => report::write_matrix_csv(&mut csv, &matrix)?,
                            }
                            csv
                        }
                    })
                });
            }
            if !self.cooccurrence {
                ui.separator();
                ui.checkbox(&mut self.per_coding, "Count every coding")
                    .on_hover_text(
                        "By default an actor's codings on a theme that overlap, nest or lie in \
                         one paragraph count as one quote.",
                    );
            }
        });
        ui.separator();
        self.matrices.request(
            ui.ctx(),
            project,
            !snapshot.analyses_off_frame(),
            snapshot.revision,
            |project| Ok((actor_theme_matrix(project)?, theme_cooccurrence(project)?)),
        );
        self.matrices.status_ui(ui);
        let Some((matrix, co)) = self.matrices.value() else {
            return;
        };
        egui::ScrollArea::both()
            .id_salt("matrix")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if self.cooccurrence {
                    cooccurrence_ui(ui, co);
                } else {
                    let counting = if self.per_coding {
                        Counting::Codings
                    } else {
                        Counting::Quotes
                    };
                    actor_theme_ui(ui, matrix, counting, actions);
                }
            });
    }
}

fn actor_theme_ui(
    ui: &mut egui::Ui,
    matrix: &ActorThemeMatrix,
    counting: Counting,
    actions: &mut Vec<Action>,
) {
    ui.weak(format!(
        "{}s, and the share of each actor's coded text. Click a cell for its quotes.",
        match counting {
            Counting::Quotes => "Quote",
            Counting::Codings => "Coding",
        }
    ));
    egui::Grid::new("actor-theme")
        .striped(false)
        .spacing([4.0, 4.0])
        .show(ui, |ui| {
            ui.label("");
            for actor in &matrix.actors {
                ui.strong(&actor.actor_name);
            }
            ui.end_row();
            for (t, theme) in matrix.themes.iter().enumerate() {
                ui.label(&theme.theme_name);
                for (a, actor) in matrix.actors.iter().enumerate() {
                    let cell = &matrix.cells[a][t];
                    let share = cell.share.unwrap_or(0.0) as f32;
                    let text = if cell.count == 0 {
                        "·".to_string()
                    } else {
                        format!("{}  ({:.0} %)", cell.counted(counting), share * 100.0)
                    };
                    let button = egui::Button::new(text)
                        .fill(shade(ui, share * 2.0))
                        .min_size(egui::vec2(90.0, 22.0));
                    let response = ui.add(button).on_hover_text(format!(
                        "{} on {}: {} ({} — codings that overlap, nest or lie in one paragraph \
                         count once), {} of {} coded characters",
                        actor.actor_name,
                        theme.theme_name,
                        Counting::Quotes.count(cell.quotes),
                        Counting::Codings.count(cell.count),
                        cell.theme_chars,
                        cell.coded_chars
                    ));
                    if response.clicked() && cell.count > 0 {
                        actions.push(Action::RetrieveCell {
                            theme_id: theme.theme_id,
                            actor_id: actor.actor_id,
                        });
                    }
                }
                ui.end_row();
            }
        });
}

fn cooccurrence_ui(ui: &mut egui::Ui, co: &CooccurrenceMatrix) {
    ui.weak("Pairs of codings on overlapping text in the same source; the diagonal is each theme's count.");
    let max = co
        .counts
        .iter()
        .enumerate()
        .flat_map(|(i, row)| row.iter().enumerate().filter(move |(j, _)| *j != i))
        .map(|(_, &n)| n)
        .max()
        .unwrap_or(0)
        .max(1);
    egui::Grid::new("cooccurrence")
        .spacing([4.0, 4.0])
        .show(ui, |ui| {
            ui.label("");
            for (j, _) in co.themes.iter().enumerate() {
                ui.strong(format!("{}", j + 1))
                    .on_hover_text(&co.themes[j].theme_name);
            }
            ui.end_row();
            for (i, theme) in co.themes.iter().enumerate() {
                ui.label(format!("{}  {}", i + 1, theme.theme_name));
                for (j, &n) in co.counts[i].iter().enumerate() {
                    let weight = if i == j { 0.0 } else { n as f32 / max as f32 };
                    let text = if i == j {
                        format!("({n})")
                    } else {
                        n.to_string()
                    };
                    ui.add(
                        egui::Button::new(text)
                            .fill(shade(ui, weight))
                            .min_size(egui::vec2(34.0, 22.0)),
                    )
                    .on_hover_text(format!(
                        "{} × {}: {n}",
                        theme.theme_name, co.themes[j].theme_name
                    ));
                }
                ui.end_row();
            }
        });
}
