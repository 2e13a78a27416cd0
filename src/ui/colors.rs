//! Theme colours as egui colours: highlight fills that stay readable in light and dark mode.

use egui::Color32;

use crate::model::Theme;

pub fn theme_color(theme: &Theme) -> Color32 {
    let [r, g, b] = theme.rgb();
    Color32::from_rgb(r, g, b)
}

/// A translucent fill for highlighted text; stronger where several codings overlap.
pub fn highlight_fill(theme: &Theme, overlapping: usize, dark_mode: bool) -> Color32 {
    let [r, g, b] = theme.rgb();
    let base = if dark_mode { 70 } else { 55 };
    let alpha = (base + 25 * overlapping.saturating_sub(1)).min(160) as u8;
    Color32::from_rgba_unmultiplied(r, g, b, alpha)
}
