//! The source text with its codings: highlighted in theme colours, one margin bar per theme,
//! hover for details, selection kept across clicks elsewhere.

use std::sync::Arc;

use egui::text::{CCursor, LayoutJob};
use egui::{FontId, Galley, Pos2, Rect, Sense, Stroke, TextFormat, Vec2};

use crate::model::{CharSpan, Coding, CodingId, Source, SourceId};
use crate::project::Project;
use crate::text::CharIndex;

use super::actions::Action;
use super::colors::{highlight_fill, theme_color};
use super::snapshot::Snapshot;

/// Width of one theme's lane of margin bars, in points.
const LANE_WIDTH: f32 = 5.0;

#[derive(Default)]
pub struct DocumentView {
    pub source_id: Option<SourceId>,
    /// The last non-empty selection, in code points. egui collapses an unfocused text field's
    /// selection, so it is kept here for the codebook buttons and shortcuts to act on.
    pub selection: Option<CharSpan>,
    /// Scroll to this span on the next frame.
    pub scroll_to: Option<CharSpan>,
    cache: Option<LaidOut>,
}

/// The source and its layout job, rebuilt only when the project, the source or the look changes.
struct LaidOut {
    key: CacheKey,
    source: Source,
    codings: Vec<Coding>,
    /// Each theme's margin lane, by position in the codebook.
    lanes: Vec<(crate::model::ThemeId, usize)>,
    job: Arc<LayoutJob>,
}

#[derive(Clone, Copy, PartialEq)]
struct CacheKey {
    source_id: SourceId,
    revision: i64,
    dark_mode: bool,
    text_size_bits: u32,
}

/// Runs of text covered by the same set of codings: `(span, indices into codings)`.
pub fn coverage_runs(char_len: usize, codings: &[Coding]) -> Vec<(CharSpan, Vec<usize>)> {
    let mut bounds: Vec<usize> = vec![0, char_len];
    for c in codings {
        bounds.push(c.span.start.min(char_len));
        bounds.push(c.span.end.min(char_len));
    }
    bounds.sort_unstable();
    bounds.dedup();
    // Sweep: codings sorted by start enter the active set; those ended are dropped.
    let mut order: Vec<usize> = (0..codings.len()).collect();
    order.sort_by_key(|&i| codings[i].span.start);
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    let mut runs = Vec::with_capacity(bounds.len());
    for pair in bounds.windows(2) {
        let span = CharSpan::new(pair[0], pair[1]);
        active.retain(|&i| codings[i].span.end > span.start);
        while next < order.len() && codings[order[next]].span.start <= span.start {
            if codings[order[next]].span.end > span.start {
                active.push(order[next]);
            }
            next += 1;
        }
        runs.push((span, active.clone()));
    }
    runs
}

impl DocumentView {
    pub fn open(&mut self, source_id: SourceId, span: Option<CharSpan>) {
        if self.source_id != Some(source_id) {
            self.selection = None;
        }
        self.source_id = Some(source_id);
        self.scroll_to = span;
        if span.is_some() {
            self.selection = span;
        }
    }

    fn laid_out(
        &mut self,
        ui: &egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        source_id: SourceId,
        text_size: f32,
    ) -> crate::Result<&LaidOut> {
        let key = CacheKey {
            source_id,
            revision: snapshot.revision,
            dark_mode: ui.visuals().dark_mode,
            text_size_bits: text_size.to_bits(),
        };
        if self.cache.as_ref().map(|c| c.key) != Some(key) {
            let source = project.source(source_id)?;
            let codings = project.codings_of_source(source_id)?;
            let lanes = lanes_of(&codings, snapshot);
            let job = build_job(ui, &source.text, &codings, snapshot, text_size);
            self.cache = Some(LaidOut {
                key,
                source,
                codings,
                lanes,
                job: Arc::new(job),
            });
        }
        Ok(self.cache.as_ref().expect("just built"))
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        selected_coding: Option<CodingId>,
        text_size: f32,
        actions: &mut Vec<Action>,
    ) {
        let Some(source_id) = self.source_id else {
            ui.centered_and_justified(|ui| {
                ui.label("Choose a source on the left to read and code it.");
            });
            return;
        };
        let laid_out = match self.laid_out(ui, project, snapshot, source_id, text_size) {
            Ok(l) => l,
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                return;
            }
        };
        header_ui(ui, &laid_out.source, snapshot);
        let job = laid_out.job.clone();
        let codings = laid_out.codings.clone();
        let lanes = laid_out.lanes.clone();
        let text = laid_out.source.text.clone();
        let margin = LANE_WIDTH * lanes.len() as f32 + 6.0;
        let scroll_to = self.scroll_to.take();

        egui::ScrollArea::vertical()
            .id_salt(("document", source_id))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.horizontal_top(|ui| {
                    ui.add_space(margin);
                    let mut layouter = |ui: &egui::Ui, _: &dyn egui::TextBuffer, wrap: f32| {
                        let mut job = (*job).clone();
                        job.wrap.max_width = wrap;
                        ui.ctx().fonts_mut(|f| f.layout_job(job))
                    };
                    let output = egui::TextEdit::multiline(&mut text.as_str())
                        .id_salt(("document-text", source_id))
                        .hint_text("Source text")
                        .desired_width(f32::INFINITY)
                        .frame(egui::Frame::NONE)
                        .layouter(&mut layouter)
                        .show(ui);
                    let galley = output.galley.clone();
                    let origin = output.galley_pos;
                    paint_margin_bars(ui, &galley, origin, margin, &codings, &lanes, snapshot);
                    if let Some(span) = scroll_to {
                        let rect = galley
                            .pos_from_cursor(CCursor::new(span.start))
                            .translate(origin.to_vec2());
                        ui.scroll_to_rect(rect.expand(40.0), Some(egui::Align::Center));
                    }
                    let response = &output.response.response;
                    match output.cursor_range.map(|r| r.as_sorted_char_range()) {
                        Some(range) if range.start.0 < range.end.0 => {
                            self.selection = Some(CharSpan::new(range.start.0, range.end.0));
                        }
                        Some(range) if response.clicked() => {
                            // A plain click: forget the old selection; pick the coding under it.
                            self.selection = None;
                            let at = range.start.0;
                            let hit = codings
                                .iter()
                                .filter(|c| c.span.contains(at))
                                .min_by_key(|c| c.span.len());
                            actions.push(Action::SelectCoding(hit.map(|c| c.id)));
                        }
                        _ => {}
                    }
                    if let Some(pos) = response.hover_pos() {
                        hover_ui(response, &galley, origin, pos, &codings, snapshot, project);
                    }
                    if let Some(selected) = selected_coding
                        && let Some(coding) = codings.iter().find(|c| c.id == selected)
                    {
                        outline_span(ui, &galley, origin, coding.span);
                    }
                });
            });
    }
}

fn header_ui(ui: &mut egui::Ui, source: &Source, snapshot: &Snapshot) {
    ui.heading(&source.title);
    let person = source.person_id.and_then(|p| snapshot.person(p));
    let actor = person.and_then(|p| snapshot.actor(p.actor_id));
    let mut line = vec![source.kind.to_string()];
    if let Some(p) = person {
        line.push(p.name.clone());
    }
    if let Some(a) = actor {
        line.push(a.name.clone());
    }
    if let Some(citation) = source.metadata_value("citation") {
        line.push(citation.to_string());
    }
    line.push(format!("{} characters", source.char_len()));
    ui.weak(line.join(" · "));
    ui.separator();
}

/// Lanes in codebook order, one per theme present in this source.
fn lanes_of(codings: &[Coding], snapshot: &Snapshot) -> Vec<(crate::model::ThemeId, usize)> {
    let mut lanes: Vec<crate::model::ThemeId> = Vec::new();
    for theme in &snapshot.themes {
        if codings.iter().any(|c| c.theme_id == theme.id) {
            lanes.push(theme.id);
        }
    }
    lanes.into_iter().enumerate().map(|(i, t)| (t, i)).collect()
}

/// One section per coverage run: plain, or filled with the (first) theme's colour and
/// underlined in the second theme's colour where codings overlap.
fn build_job(
    ui: &egui::Ui,
    text: &str,
    codings: &[Coding],
    snapshot: &Snapshot,
    text_size: f32,
) -> LayoutJob {
    let index = CharIndex::new(text);
    let text_color = ui.visuals().text_color();
    let dark = ui.visuals().dark_mode;
    let plain = TextFormat {
        font_id: FontId::proportional(text_size),
        color: text_color,
        line_height: Some(text_size * 1.45),
        ..Default::default()
    };
    let mut job = LayoutJob::default();
    for (span, covering) in coverage_runs(index.char_len(), codings) {
        let Some(range) = index.byte_range(span) else {
            continue;
        };
        let mut format = plain.clone();
        let themes: Vec<_> = covering
            .iter()
            .filter_map(|&i| snapshot.theme(codings[i].theme_id))
            .collect();
        if let Some(first) = themes.first() {
            format.background = highlight_fill(first, themes.len(), dark);
        }
        if let Some(second) = themes.get(1) {
            format.underline = Stroke::new(2.0, theme_color(second));
        }
        job.append(&text[range], 0.0, format);
    }
    job
}

fn span_rows(galley: &Galley, origin: Pos2, span: CharSpan) -> (f32, f32) {
    let top = galley.pos_from_cursor(CCursor::new(span.start)).min.y;
    let bottom = galley.pos_from_cursor(CCursor::new(span.end)).max.y;
    (origin.y + top, origin.y + bottom)
}

fn paint_margin_bars(
    ui: &egui::Ui,
    galley: &Galley,
    origin: Pos2,
    margin: f32,
    codings: &[Coding],
    lanes: &[(crate::model::ThemeId, usize)],
    snapshot: &Snapshot,
) {
    let painter = ui.painter();
    let clip = ui.clip_rect();
    for coding in codings {
        let (Some(theme), Some(&(_, lane))) = (
            snapshot.theme(coding.theme_id),
            lanes.iter().find(|(t, _)| *t == coding.theme_id),
        ) else {
            continue;
        };
        let (top, bottom) = span_rows(galley, origin, coding.span);
        if bottom < clip.min.y || top > clip.max.y {
            continue;
        }
        let x = origin.x - margin + lane as f32 * LANE_WIDTH + 1.0;
        let rect = Rect::from_min_max(Pos2::new(x, top), Pos2::new(x + LANE_WIDTH - 2.0, bottom));
        painter.rect_filled(rect, 1.0, theme_color(theme));
    }
}

fn outline_span(ui: &egui::Ui, galley: &Galley, origin: Pos2, span: CharSpan) {
    let (top, bottom) = span_rows(galley, origin, span);
    let rect = Rect::from_min_max(
        Pos2::new(origin.x - 2.0, top - 1.0),
        Pos2::new(origin.x + galley.rect.width() + 2.0, bottom + 1.0),
    );
    ui.painter().rect_stroke(
        rect,
        3.0,
        Stroke::new(1.5, ui.visuals().selection.stroke.color),
        egui::StrokeKind::Outside,
    );
}

fn hover_ui(
    response: &egui::Response,
    galley: &Galley,
    origin: Pos2,
    pos: Pos2,
    codings: &[Coding],
    snapshot: &Snapshot,
    project: &Project,
) {
    let at = galley.cursor_from_pos(pos - origin - Vec2::ZERO).index.0;
    let here: Vec<&Coding> = codings.iter().filter(|c| c.span.contains(at)).collect();
    if here.is_empty() {
        return;
    }
    let coders = project.coders().unwrap_or_default();
    response.clone().on_hover_ui_at_pointer(|ui| {
        for coding in here {
            let Some(theme) = snapshot.theme(coding.theme_id) else {
                continue;
            };
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
                ui.painter().rect_filled(rect, 2.0, theme_color(theme));
                ui.strong(&theme.name);
            });
            let coder = coders
                .iter()
                .find(|c| c.id == coding.coder_id)
                .map(|c| c.name.as_str())
                .unwrap_or("?");
            let mut line = format!("coded by {coder}");
            if let (Some(stance), Some(poles)) = (coding.stance, &theme.poles) {
                let leaning = if stance.value() < 0 {
                    &poles.negative
                } else if stance.value() > 0 {
                    &poles.positive
                } else {
                    "neutral"
                };
                line.push_str(&format!(" · stance {stance} ({leaning})"));
            }
            ui.weak(line);
            if !coding.memo.is_empty() {
                ui.label(egui::RichText::new(&coding.memo).italics());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn coding(id: i64, start: usize, end: usize) -> Coding {
        Coding {
            id: CodingId(id),
            source_id: SourceId(1),
            theme_id: ThemeId(id),
            coder_id: CoderId(1),
            span: CharSpan::new(start, end),
            stance: None,
            memo: String::new(),
            created_at_ms: 0,
        }
    }

    #[test]
    fn runs_cover_text_and_track_overlaps() {
        let codings = [coding(1, 2, 6), coding(2, 4, 8)];
        let runs = coverage_runs(10, &codings);
        let spans: Vec<_> = runs
            .iter()
            .map(|(s, c)| (s.start, s.end, c.clone()))
            .collect();
        assert_eq!(
            spans,
            vec![
                (0, 2, vec![]),
                (2, 4, vec![0]),
                (4, 6, vec![0, 1]),
                (6, 8, vec![1]),
                (8, 10, vec![])
            ]
        );
    }
}
