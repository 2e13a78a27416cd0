//! The codebook as a tree: colour swatch, name, count. A click codes the current selection; the
//! first nine themes carry their number key.

use egui::{Sense, Vec2};

use crate::model::CharSpan;

use super::actions::Action;
use super::colors::theme_color;
use super::snapshot::Snapshot;

#[derive(Default)]
pub struct CodebookPanel {
    pub new_theme_name: String,
}

impl CodebookPanel {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        selection: Option<CharSpan>,
        offer_in_vivo: bool,
        actions: &mut Vec<Action>,
    ) {
        let hint = if selection.is_some() {
            "Click a theme (or press its number) to code the selection."
        } else {
            "Select text in the document, then click a theme to code it."
        };
        ui.weak(hint);
        // The inspector offers it above everything else; with the inspector hidden, here.
        if offer_in_vivo
            && selection.is_some()
            && ui
                .button("Code in vivo")
                .on_hover_text("A new theme named by the selected text, coding it")
                .clicked()
        {
            actions.push(Action::CodeInVivo);
        }
        for (number, (depth, theme)) in snapshot.theme_tree().into_iter().enumerate() {
            ui.horizontal(|ui| {
                ui.add_space(depth as f32 * 14.0);
                let (rect, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
                ui.painter().rect_filled(rect, 3.0, theme_color(theme));
                if ui
                    .add(egui::Button::new("✏").small().frame(false))
                    .on_hover_text(format!("Edit {}", theme.name))
                    .clicked()
                {
                    actions.push(Action::EditTheme(Some(theme.id)));
                }
                let count = snapshot.theme_counts.get(&theme.id).copied().unwrap_or(0);
                let key = if number < 9 {
                    format!("{}  ", number + 1)
                } else {
                    String::new()
                };
                let button = ui
                    .add(egui::Button::new(format!("{key}{}  ({count})", theme.name)).frame(false))
                    .on_hover_ui(|ui| {
                        ui.strong(&theme.name);
                        if let Some(poles) = &theme.poles {
                            ui.label(format!(
                                "Axis: {} (−2) ↔ {} (+2)",
                                poles.negative, poles.positive
                            ));
                        }
                        if !theme.description.is_empty() {
                            ui.label(&theme.description);
                        }
                    });
                if button.clicked() {
                    actions.push(Action::ApplyTheme(theme.id));
                }
                button.context_menu(|ui| {
                    if ui.button("Edit theme…").clicked() {
                        actions.push(Action::EditTheme(Some(theme.id)));
                    }
                });
            });
        }
        ui.separator();
        ui.horizontal(|ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.new_theme_name)
                    .hint_text("New theme")
                    .desired_width(140.0),
            );
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Add theme").clicked() || enter) && !self.new_theme_name.trim().is_empty()
            {
                actions.push(Action::AddTheme(std::mem::take(&mut self.new_theme_name)));
            }
        });
    }
}
