//! Picking a theme the same way everywhere: each theme with its colour swatch, indented under
//! its parent in codebook order, so two themes of one name in different places are told apart.

use egui::{Sense, Vec2};

use crate::model::{Theme, ThemeId};

use super::colors::theme_color;
use super::snapshot::Snapshot;

/// Indentation of one level of the theme tree, in points.
pub const INDENT: f32 = 14.0;

/// A theme's colour as a small square.
pub fn swatch(ui: &mut egui::Ui, theme: &Theme, size: f32) {
    let (rect, _) = ui.allocate_exact_size(Vec2::splat(size), Sense::hover());
    ui.painter().rect_filled(rect, 2.0, theme_color(theme));
}

/// A drop-down of themes (`label` may be empty when the row says what it picks). `none` names the choice of no theme ("every theme"), if there is one;
/// `unset` is shown while nothing is chosen and `none` is not offered; `offered` leaves out
/// themes that cannot be chosen here (a theme itself as its own parent).
pub struct ThemeCombo<'a> {
    pub id_salt: &'a str,
    pub label: &'a str,
    pub none: Option<&'a str>,
    pub unset: &'a str,
}

impl ThemeCombo<'_> {
    /// Draws the picker; true when the choice changed.
    pub fn show(
        self,
        ui: &mut egui::Ui,
        choice: &mut Option<ThemeId>,
        snapshot: &Snapshot,
        offered: impl Fn(&Theme) -> bool,
    ) -> bool {
        // A theme an undo or another window removed is no longer a choice.
        if choice.is_some_and(|t| snapshot.theme(t).is_none()) {
            *choice = None;
        }
        let before = *choice;
        let chosen = choice.and_then(|t| snapshot.theme(t));
        let selected = chosen.map_or(self.none.unwrap_or(self.unset), |t| t.name.as_str());
        // The chosen theme's swatch stands before the box, not in its text, which is also
        // what a screen reader reads.
        let draw = |ui: &mut egui::Ui| {
            if let Some(theme) = chosen {
                swatch(ui, theme, 10.0);
            }
            let combo = if self.label.is_empty() {
                egui::ComboBox::from_id_salt(self.id_salt)
            } else {
                egui::ComboBox::new(self.id_salt, self.label)
            };
            combo
                .selected_text(selected)
                .height(400.0)
                .show_ui(ui, |ui| {
                    if let Some(none) = self.none {
                        ui.selectable_value(choice, None, none);
                    }
                    for (depth, theme) in snapshot.theme_tree() {
                        if !offered(theme) {
                            continue;
                        }
                        ui.horizontal(|ui| {
                            ui.add_space(depth as f32 * INDENT);
                            swatch(ui, theme, 10.0);
                            ui.selectable_value(choice, Some(theme.id), &theme.name);
                        });
                    }
                });
        };
        if ui.layout().is_horizontal() {
            // One item sized to its content: a wrapped row wraps before the swatch, never
            // between the swatch and its box.
            let text_width = |text: &str| {
                egui::WidgetText::from(text)
                    .into_galley(
                        ui,
                        Some(egui::TextWrapMode::Extend),
                        f32::INFINITY,
                        egui::TextStyle::Button,
                    )
                    .size()
                    .x
            };
            let spacing = ui.spacing();
            let gap = spacing.item_spacing.x;
            let mut width = text_width(selected)
                + spacing.icon_width
                + 2.0 * spacing.button_padding.x
                + gap
                + 4.0;
            if chosen.is_some() {
                width += 10.0 + gap;
            }
            if !self.label.is_empty() {
                width += text_width(self.label) + gap;
            }
            let size = Vec2::new(width, spacing.interact_size.y);
            ui.allocate_ui_with_layout(
                size,
                egui::Layout::left_to_right(egui::Align::Center),
                draw,
            );
        } else {
            ui.horizontal(draw);
        }
        *choice != before
    }
}

/// A theme with a check box, indented and with its swatch, on a row of its own: for choosing
/// several themes from a list.
pub fn theme_checkbox(ui: &mut egui::Ui, on: &mut bool, depth: usize, theme: &Theme) -> bool {
    ui.horizontal(|ui| theme_checkbox_inline(ui, on, depth, theme))
        .inner
}

/// The same as one item of the row the caller is filling: sized to its content, so a wrapped
/// row of themes wraps between themes, never between a swatch and its box.
pub fn theme_checkbox_inline(
    ui: &mut egui::Ui,
    on: &mut bool,
    depth: usize,
    theme: &Theme,
) -> bool {
    let text = egui::WidgetText::from(theme.name.as_str()).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Button,
    );
    let spacing = ui.spacing();
    let width = depth as f32 * INDENT
        + 10.0
        + spacing.item_spacing.x * 2.0
        + spacing.icon_width
        + spacing.icon_spacing
        + text.size().x
        + 2.0;
    let size = Vec2::new(width, spacing.interact_size.y);
    ui.allocate_ui_with_layout(
        size,
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.add_space(depth as f32 * INDENT);
            swatch(ui, theme, 10.0);
            ui.checkbox(on, &theme.name).changed()
        },
    )
    .inner
}

/// `theme_id` and every theme below it: what cannot become its parent.
pub fn with_descendants(snapshot: &Snapshot, theme_id: ThemeId) -> Vec<ThemeId> {
    let tree = snapshot.theme_tree();
    let Some(at) = tree.iter().position(|(_, t)| t.id == theme_id) else {
        return vec![theme_id];
    };
    let depth = tree[at].0;
    let mut ids = vec![theme_id];
    ids.extend(
        tree[at + 1..]
            .iter()
            .take_while(|(d, _)| *d > depth)
            .map(|(_, t)| t.id),
    );
    ids
}
