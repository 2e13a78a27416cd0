//! Editing one theme: name, colour, description, axis poles, parent; merge and delete.

use crate::model::{Poles, Theme, ThemeId, parse_hex_colour};

use super::actions::Action;
use super::snapshot::Snapshot;
use super::theme_picker::{ThemeCombo, with_descendants};
use super::words::plural;

/// The edits in progress for one theme, applied with "Save".
#[derive(Default)]
pub struct ThemeEditor {
    draft: Option<Theme>,
    /// The theme as stored when the draft began: when the store changes (an undo, a redo), the
    /// draft starts again from what it holds.
    base: Option<Theme>,
    merge_into: Option<ThemeId>,
    confirm_delete: bool,
}

impl ThemeEditor {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        theme_id: ThemeId,
        actions: &mut Vec<Action>,
    ) {
        let Some(stored) = snapshot.theme(theme_id) else {
            return;
        };
        if self.draft.as_ref().map(|d| d.id) != Some(theme_id) || self.base.as_ref() != Some(stored)
        {
            self.draft = Some(stored.clone());
            self.base = Some(stored.clone());
            self.merge_into = None;
            self.confirm_delete = false;
        }
        let draft = self.draft.as_mut().expect("just set");
        ui.horizontal(|ui| {
            ui.heading("Theme");
            if ui
                .small_button("✕")
                .on_hover_text("Close the theme editor")
                .clicked()
            {
                actions.push(Action::EditTheme(None));
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("Name");
            ui.add(
                egui::TextEdit::singleline(&mut draft.name)
                    .hint_text("Theme name")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let mut rgb = parse_hex_colour(&draft.color).unwrap_or([128, 128, 128]);
            if ui.color_edit_button_srgb(&mut rgb).changed() {
                draft.color = format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
            }
            ui.label("Colour");
        });
        ui.add(
            egui::TextEdit::multiline(&mut draft.description)
                .hint_text("Description")
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        );
        let mut is_axis = draft.poles.is_some();
        if ui
            .checkbox(&mut is_axis, "Axis theme (codings carry a stance)")
            .changed()
        {
            draft.poles = is_axis.then(|| Poles {
                negative: String::new(),
                positive: String::new(),
            });
        }
        if let Some(poles) = &mut draft.poles {
            ui.add(egui::TextEdit::singleline(&mut poles.negative).hint_text("Pole at −2"));
            ui.add(egui::TextEdit::singleline(&mut poles.positive).hint_text("Pole at +2"));
        }
        let not_below_itself = with_descendants(snapshot, theme_id);
        ThemeCombo {
            id_salt: "theme-parent",
            label: "Parent",
            none: Some("(top level)"),
            unset: "(top level)",
        }
        .show(ui, &mut draft.parent_id, snapshot, |t| {
            !not_below_itself.contains(&t.id)
        });
        let changed = draft != stored;
        if ui
            .add_enabled(changed, egui::Button::new("Save theme"))
            .clicked()
        {
            actions.push(Action::UpdateTheme(draft.clone()));
        }
        ui.separator();

        ThemeCombo {
            id_salt: "theme-merge-into",
            label: "Merge into",
            none: None,
            unset: "choose…",
        }
        .show(ui, &mut self.merge_into, snapshot, |t| t.id != theme_id);
        if let Some(into) = self.merge_into
            && ui.button("Merge").clicked()
        {
            actions.push(Action::MergeThemes {
                from: theme_id,
                into,
            });
        }
        let count = snapshot.theme_counts.get(&theme_id).copied().unwrap_or(0);
        if !self.confirm_delete {
            if ui.button("Delete theme…").clicked() {
                self.confirm_delete = true;
            }
        } else {
            ui.label(format!(
                "Delete {} with {}? Child themes move up. (Undo brings it back.)",
                stored.name,
                plural(count, "coding", "codings")
            ));
            ui.horizontal(|ui| {
                if ui.button("Delete").clicked() {
                    actions.push(Action::RemoveTheme(theme_id));
                    self.confirm_delete = false;
                }
                if ui.button("Keep").clicked() {
                    self.confirm_delete = false;
                }
            });
        }
    }
}
