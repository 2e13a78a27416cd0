//! A scrolling list of rows of different heights that lays out only the rows on screen: a view
//! with thousands of quotes costs a screenful per frame. Each row's height is measured when it is
//! first drawn; rows not drawn yet count with the mean of those measured, so the scroll bar is
//! close from the start and exact once the rows have been seen.

use egui::{Rect, UiBuilder, Vec2};

#[derive(Default)]
pub struct VirtualList {
    /// Each row's measured height, or NaN while it has not been drawn.
    heights: Vec<f32>,
    /// What the heights were measured for: the number of rows, the width and a key of the
    /// content (a change of any of them measures again).
    measured_for: (usize, f32, u64),
    measured_sum: f32,
    measured_count: usize,
}

/// Height assumed for a row before any has been measured.
const FIRST_GUESS: f32 = 80.0;

impl VirtualList {
    /// Forgets the measured heights (the rows' content changed).
    pub fn reset(&mut self) {
        self.heights.clear();
        self.measured_for = (0, 0.0, 0);
        self.measured_sum = 0.0;
        self.measured_count = 0;
    }

    fn guess(&self) -> f32 {
        if self.measured_count == 0 {
            FIRST_GUESS
        } else {
            self.measured_sum / self.measured_count as f32
        }
    }

    fn height(&self, row: usize) -> f32 {
        let h = self.heights[row];
        if h.is_nan() { self.guess() } else { h }
    }

    /// Shows `rows` rows in a vertical scroll area named `id_salt`, drawing only those on screen
    /// with `row_ui(ui, index)`. `content_key` names the content: when it changes (another
    /// result, another filter) the heights are measured again.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        id_salt: &str,
        rows: usize,
        content_key: u64,
        mut row_ui: impl FnMut(&mut egui::Ui, usize),
    ) {
        let spacing = ui.spacing().item_spacing.y;
        egui::ScrollArea::vertical()
            .id_salt(id_salt)
            .auto_shrink([false, false])
            .show_viewport(ui, |ui, viewport| {
                let width = ui.available_width();
                let wanted = (rows, width, content_key);
                if self.measured_for != wanted {
                    self.reset();
                    self.measured_for = wanted;
                    self.heights = vec![f32::NAN; rows];
                }
                let total: f32 = (0..rows).map(|i| self.height(i) + spacing).sum::<f32>();
                ui.set_height((total - spacing).max(0.0));
                let origin = ui.max_rect().min;
                let mut top = 0.0;
                let mut row = 0;
                // Skip the rows above the viewport.
                while row < rows && top + self.height(row) < viewport.min.y {
                    top += self.height(row) + spacing;
                    row += 1;
                }
                while row < rows && top <= viewport.max.y {
                    let rect = Rect::from_min_size(
                        origin + Vec2::new(0.0, top),
                        Vec2::new(width, f32::INFINITY),
                    );
                    let drawn = ui
                        .scope_builder(
                            UiBuilder::new()
                                .max_rect(rect)
                                .id_salt(("row", row))
                                .layout(egui::Layout::top_down(egui::Align::Min)),
                            |ui| row_ui(ui, row),
                        )
                        .response
                        .rect
                        .height();
                    if self.heights[row].is_nan() {
                        self.measured_sum += drawn;
                        self.measured_count += 1;
                    } else {
                        self.measured_sum += drawn - self.heights[row];
                    }
                    self.heights[row] = drawn;
                    top += drawn + spacing;
                    row += 1;
                }
            });
    }
}

/// Draws `count` rows of one height at the cursor of `ui`, inside any scroll area and layout
/// (a collapsing group of a list, say), laying out only those in the visible part: the others
/// get their space and nothing else.
pub fn rows_in_view(
    ui: &mut egui::Ui,
    row_height: f32,
    count: usize,
    mut row_ui: impl FnMut(&mut egui::Ui, usize),
) {
    let step = row_height + ui.spacing().item_spacing.y;
    let top = ui.cursor().top();
    let visible = ui.clip_rect();
    let first = (((visible.top() - top) / step).floor().max(0.0) as usize).min(count);
    let end = ((((visible.bottom() - top) / step).ceil().max(0.0)) as usize + 1).min(count);
    let end = end.max(first);
    let width = ui.available_width();
    if first > 0 {
        ui.allocate_space(Vec2::new(
            width,
            first as f32 * step - ui.spacing().item_spacing.y,
        ));
    }
    for row in first..end {
        ui.push_id(("row", row), |ui| {
            ui.set_min_height(row_height);
            row_ui(ui, row)
        });
    }
    if end < count {
        ui.allocate_space(Vec2::new(
            width,
            (count - end) as f32 * step - ui.spacing().item_spacing.y,
        ));
    }
}
