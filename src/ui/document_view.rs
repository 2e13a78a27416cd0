//! The source text with its codings: highlighted in theme colours, one margin bar per theme,
//! hover for details, selection kept across clicks elsewhere. Long texts are laid out in chunks,
//! only those on screen (see `document_chunks`).

use std::sync::Arc;

use egui::text::{CCursor, CCursorRange, CharIndex};
use egui::{Galley, Pos2, Rect, Sense, Stroke, Vec2};

use crate::model::{CharSpan, CoderId, Coding, CodingId, PersonId, Source, SourceId, SpeakerTurn};
use crate::project::Project;

use super::actions::{Action, Focus, mark_read_only_text};
use super::colors::theme_color;
use super::document_chunks::{Bar, ChunkedText, Look};
use super::snapshot::Snapshot;
use super::word_under_pointer::{char_under, word_at};

/// Width of one theme's lane of margin bars, in points.
const LANE_WIDTH: f32 = 5.0;
/// Lay out chunks this far beyond the visible part, so scrolling finds them ready.
const OVERSCAN: f32 = 400.0;

#[derive(Default)]
pub struct DocumentView {
    pub source_id: Option<SourceId>,
    /// The last non-empty selection, in code points. egui collapses an unfocused text field's
    /// selection, so it is kept here for the codebook buttons and shortcuts to act on.
    pub selection: Option<CharSpan>,
    /// Where the selection started (a plain click, the start of a drag, the word of a
    /// double-click): a shift+click extends the selection from here, also across chunks.
    anchor: Option<usize>,
    /// The text field's own selection last seen, `(chunk, start, end)`: adopted only when it
    /// changes, so a selection made across chunks is not replaced by the focused chunk's part.
    seen: Option<(usize, usize, usize)>,
    /// Scroll to this span on the next frame.
    pub scroll_to: Option<CharSpan>,
    /// Whose codings are highlighted.
    pub shown: ShownCodings,
    /// Scroll so that this character starts the top row (the place a reader left).
    restore_at: Option<usize>,
    /// The first character of the top row on screen, as last drawn.
    top_char: Option<usize>,
    cache: Option<LaidOut>,
}

/// Whose codings the document shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShownCodings {
    #[default]
    Everyone,
    /// Blind coding: only the current coder's, so a second coder is not led by the first.
    Mine,
    Coder(CoderId),
}

/// The source in chunks, rebuilt only when the project, the source or the look changes.
struct LaidOut {
    key: CacheKey,
    source: Arc<Source>,
    chunked: ChunkedText,
    /// The persons of the source's speaker turns, in the order they first speak.
    speakers: Vec<PersonId>,
    /// The source's speaker turns, for naming who speaks in a coding.
    turns: Vec<SpeakerTurn>,
}

#[derive(Clone, Copy, PartialEq)]
struct CacheKey {
    source_id: SourceId,
    revision: i64,
    look: Look,
    shown: Option<CoderId>,
    everyone: bool,
}

impl DocumentView {
    pub fn open(&mut self, source_id: SourceId, span: Option<CharSpan>) {
        if self.source_id != Some(source_id) {
            self.selection = None;
            self.anchor = None;
            self.seen = None;
            self.restore_at = None;
            self.top_char = None;
        }
        self.source_id = Some(source_id);
        self.scroll_to = span;
        if span.is_some() {
            self.selection = span;
        }
    }

    /// Opens a source where the reader left it: `top_char` starts the top row.
    pub fn open_at(&mut self, source_id: SourceId, top_char: usize) {
        self.open(source_id, None);
        self.restore_at = (top_char > 0).then_some(top_char);
    }

    /// The selected text of the open source, as last laid out.
    pub fn selected_text(&self) -> Option<&str> {
        let cache = self.cache.as_ref()?;
        if Some(cache.key.source_id) != self.source_id {
            return None;
        }
        crate::text::slice_chars(&cache.source.text, self.selection?)
    }

    /// The first character of the top row on screen: where the reader is.
    pub fn top_char(&self) -> Option<usize> {
        self.top_char
    }

    /// How many codings the open source shows (after the choice of whose are shown).
    pub fn shown_coding_count(&self) -> usize {
        self.cache.as_ref().map_or(0, |c| c.chunked.codings.len())
    }

    fn refresh(
        &mut self,
        project: &Project,
        snapshot: &Snapshot,
        source_id: SourceId,
        look: Look,
    ) -> crate::Result<()> {
        let only = match self.shown {
            ShownCodings::Everyone => None,
            ShownCodings::Coder(id) => Some(id),
            // A coder who has not coded yet has no id: nothing of theirs to show.
            ShownCodings::Mine => Some(
                snapshot
                    .coders
                    .iter()
                    .find(|c| c.name == project.coder_name())
                    .map_or(crate::model::CoderId(-1), |c| c.id),
            ),
        };
        let key = CacheKey {
            source_id,
            revision: snapshot.revision,
            look,
            shown: only,
            everyone: only.is_none(),
        };
        if self.cache.as_ref().map(|c| c.key) != Some(key) {
            let source = project.source(source_id)?;
            let mut codings = project.codings_of_source(source_id)?;
            if let Some(coder) = only {
                codings.retain(|c| c.coder_id == coder);
            }
            let chunked = ChunkedText::new(&source.text, codings, snapshot);
            let mut speakers = Vec::new();
            let turns = project.speaker_turns(source_id)?;
            for turn in &turns {
                if !speakers.contains(&turn.person_id) {
                    speakers.push(turn.person_id);
                }
            }
            self.cache = Some(LaidOut {
                key,
                source: Arc::new(source),
                chunked,
                speakers,
                turns,
            });
        }
        Ok(())
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
        let look = Look {
            text_size,
            text_color: ui.visuals().text_color(),
            dark_mode: ui.visuals().dark_mode,
        };
        if let Err(e) = self.refresh(project, snapshot, source_id, look) {
            ui.colored_label(ui.visuals().error_fg_color, e.to_string());
            return;
        }
        let DocumentView {
            selection,
            anchor,
            seen,
            scroll_to,
            cache,
            shown,
            restore_at,
            top_char,
            ..
        } = self;
        let mut selecting = Selecting {
            selection,
            anchor,
            seen,
        };
        let laid_out = cache.as_mut().expect("refreshed");
        header_ui(ui, &laid_out.source, &laid_out.speakers, snapshot);
        shown_ui(ui, shown, snapshot, project.coder_name());
        let source = laid_out.source.clone();
        copy_selection(ui.ctx(), *selecting.selection, &source.text);
        let chunked = &mut laid_out.chunked;
        let turns = laid_out.turns.as_slice();
        let margin = lane_width(chunked) * chunked.lanes.len() as f32 + 6.0;
        let scroll_to = scroll_to.take();
        let row_height = text_size * 1.45;

        egui::ScrollArea::vertical()
            .id_salt(("document", source_id))
            .auto_shrink([false, false])
            .show_viewport(ui, |ui, viewport| {
                let wrap = (ui.available_width() - margin).max(100.0);
                // Laid-out chunks have their real height; the others an estimate from their
                // length, refined as they come into view.
                let chars_per_row = (wrap / (text_size * 0.48)).max(10.0);
                let heights: Vec<f32> = chunked
                    .chunks
                    .iter()
                    .map(|chunk| match &chunk.layout {
                        Some(l) if l.wrap_bits == wrap.to_bits() => l.galley.rect.height(),
                        _ => {
                            let text = &source.text[chunk.shown_bytes.clone()];
                            let lines: f32 = text
                                .split('\n')
                                .map(|l| (l.chars().count() as f32 / chars_per_row).ceil().max(1.0))
                                .sum();
                            lines * row_height
                        }
                    })
                    .collect();
                let mut tops = Vec::with_capacity(heights.len());
                let mut y = 0.0;
                for h in &heights {
                    tops.push(y);
                    y += h;
                }
                let origin = ui.min_rect().min;
                ui.set_min_height(y);
                if let Some(span) = scroll_to {
                    let chunk = chunked.chunk_of(span.start);
                    let rect = Rect::from_min_size(
                        Pos2::new(origin.x, origin.y + tops[chunk]),
                        Vec2::new(1.0, heights[chunk].min(200.0)),
                    );
                    ui.scroll_to_rect(rect, Some(egui::Align::Center));
                }
                if chunked.chunks.is_empty() {
                    return;
                }
                if let Some(at) = *restore_at {
                    // The chunk's own layout places the character; until it is laid out, its
                    // top is near enough to lay it out, and the next frame scrolls exactly.
                    let chunk = chunked.chunk_of(at);
                    let laid = chunked.chunks[chunk]
                        .layout
                        .as_ref()
                        .filter(|l| l.wrap_bits == wrap.to_bits());
                    let within = laid.map(|l| {
                        let local = at.saturating_sub(chunked.chunks[chunk].span.start);
                        l.galley.pos_from_cursor(CCursor::new(local)).min.y
                    });
                    let y = origin.y + tops[chunk] + within.unwrap_or(0.0);
                    let rect = Rect::from_min_size(Pos2::new(origin.x, y), Vec2::new(1.0, 1.0));
                    ui.scroll_to_rect(rect, Some(egui::Align::Min));
                    if within.is_some() {
                        *restore_at = None;
                    } else {
                        ui.ctx().request_repaint();
                    }
                }
                *top_char = {
                    // The first row mostly in view: scrolled to a row, the viewport starts a
                    // spacing above it.
                    let y = viewport.min.y + row_height * 0.5;
                    let chunk = tops.partition_point(|&t| t <= y).saturating_sub(1);
                    let local = chunked.chunks[chunk].layout.as_ref().map_or(0, |l| {
                        l.galley
                            .cursor_from_pos(Vec2::new(0.0, y - tops[chunk]))
                            .index
                            .0
                    });
                    Some(chunked.chunks[chunk].span.start + local)
                };
                let mut dragged = None;
                for i in 0..chunked.chunks.len() {
                    let (top, height) = (tops[i], heights[i]);
                    if top + height < viewport.min.y - OVERSCAN || top > viewport.max.y + OVERSCAN {
                        continue;
                    }
                    let rect = Rect::from_min_size(
                        Pos2::new(origin.x + margin, origin.y + top),
                        Vec2::new(wrap, height.max(row_height)),
                    );
                    ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
                        let drag = chunk_ui(
                            ui,
                            &source,
                            chunked,
                            i,
                            ChunkContext {
                                snapshot,
                                turns,
                                look,
                                margin,
                                selected_coding,
                            },
                            &mut selecting,
                            actions,
                        );
                        dragged = dragged.or(drag.map(|anchor| (i, anchor)));
                    });
                    let laid_height = chunked.chunks[i]
                        .layout
                        .as_ref()
                        .map(|l| l.galley.rect.height());
                    if laid_height.is_some_and(|h| (h - height).abs() > 0.5) {
                        // The estimate was off: lay the page out again next frame.
                        ui.ctx().request_repaint();
                    }
                }
                // A drag that left its chunk: egui's field stops at its own edge, so the
                // selection's far end is found in the chunk under the pointer.
                if let Some((from_chunk, anchor)) = dragged
                    && let Some(pointer) = ui.ctx().pointer_latest_pos()
                {
                    let y = pointer.y - origin.y;
                    let under = tops.partition_point(|&t| t <= y).saturating_sub(1);
                    if under != from_chunk
                        && let Some(layout) = &chunked.chunks[under].layout
                    {
                        let chunk_origin = Pos2::new(origin.x + margin, origin.y + tops[under]);
                        let local = layout
                            .galley
                            .cursor_from_pos(pointer - chunk_origin)
                            .index
                            .0;
                        let at = chunked.chunks[under].span.start + local;
                        *selecting.selection = Some(CharSpan::new(anchor.min(at), anchor.max(at)));
                    }
                }
            });
    }
}

/// The selection as the document keeps it, lent to each chunk.
struct Selecting<'a> {
    selection: &'a mut Option<CharSpan>,
    anchor: &'a mut Option<usize>,
    seen: &'a mut Option<(usize, usize, usize)>,
}

/// Ctrl+C in the document copies the whole kept selection: the focused chunk's field would
/// copy only its own part of a selection across chunks.
fn copy_selection(ctx: &egui::Context, selection: Option<CharSpan>, text: &str) {
    let Some(span) = selection else {
        return;
    };
    if Focus::of(ctx) != Focus::ReadOnlyText {
        return;
    }
    let copied = ctx.input_mut(|i| {
        let before = i.events.len();
        i.events.retain(|e| !matches!(e, egui::Event::Copy));
        i.events.len() != before
    });
    if copied && let Some(quote) = crate::text::slice_chars(text, span) {
        ctx.copy_text(quote.to_string());
    }
}

#[derive(Clone, Copy)]
struct ChunkContext<'a> {
    snapshot: &'a Snapshot,
    turns: &'a [SpeakerTurn],
    look: Look,
    margin: f32,
    selected_coding: Option<CodingId>,
}

/// One chunk: a read-only text field with its highlights, bars, hover and selection. Returns
/// where the selection started while the chunk is being dragged.
fn chunk_ui(
    ui: &mut egui::Ui,
    source: &Source,
    chunked: &mut ChunkedText,
    index: usize,
    context: ChunkContext<'_>,
    selecting: &mut Selecting<'_>,
    actions: &mut Vec<Action>,
) -> Option<usize> {
    let ChunkContext {
        snapshot,
        turns,
        look,
        margin,
        selected_coding,
    } = context;
    let chunk_start = chunked.chunks[index].span.start;
    let text = &source.text[chunked.chunks[index].shown_bytes.clone()];
    let mut layout = chunked.chunks[index].layout.take();
    let mut layouter = |ui: &egui::Ui, _: &dyn egui::TextBuffer, wrap: f32| {
        if let Some(laid) = &layout
            && laid.wrap_bits == wrap.to_bits()
        {
            return laid.galley.clone();
        }
        let mut job = chunked.chunk_job(&source.text, index, snapshot, look);
        job.wrap.max_width = wrap;
        let galley = ui.ctx().fonts_mut(|f| f.layout_job(job));
        layout = Some(chunked.chunk_layout(index, galley.clone(), wrap, snapshot));
        galley
    };
    let mut output = egui::TextEdit::multiline(&mut { text })
        .id_salt(("document-text", source.id, index))
        .hint_text("Source text")
        .desired_width(f32::INFINITY)
        .frame(egui::Frame::NONE)
        .margin(egui::Margin::ZERO)
        .layouter(&mut layouter)
        .show(ui);
    let response = output.response.response.clone();
    mark_read_only_text(ui.ctx(), response.id);
    let galley = output.galley.clone();
    let origin = output.galley_pos;
    if let Some(laid) = &layout {
        paint_margin_bars(ui, origin, margin, lane_width(chunked), &laid.bars);
        // A margin bar names its theme (and coder, speaker) on hover.
        let margin_rect = Rect::from_min_max(
            Pos2::new(origin.x - margin, origin.y),
            Pos2::new(origin.x, origin.y + galley.rect.height()),
        );
        let margin_hover = ui.interact(margin_rect, response.id.with("margin"), Sense::hover());
        if let Some(pos) = margin_hover.hover_pos() {
            let lane = lane_width(chunked);
            let under: Vec<&Coding> = laid
                .bars
                .iter()
                .filter(|b| {
                    let x = origin.x - margin + b.lane as f32 * lane;
                    (x..x + lane).contains(&pos.x)
                        && (origin.y + b.top..=origin.y + b.bottom).contains(&pos.y)
                })
                .filter_map(|b| chunked.codings.iter().find(|c| c.id == b.coding_id))
                .collect();
            codings_tooltip(&margin_hover, under, snapshot, (turns, source.person_id));
        }
        if let Some(selected) = selected_coding
            && let Some(coding) = chunked.codings.iter().find(|c| c.id == selected)
            && let Some(local) = chunked.local_span(index, coding.span)
        {
            outline_span(ui, &galley, origin, laid.rows.y_range(local));
        }
    }
    if response.double_clicked()
        && !ui.input(|i| i.modifiers.shift)
        && let Some(pos) = response.interact_pointer_pos().or(response.hover_pos())
    {
        // The word whose letters were clicked, not egui's from the nearest boundary on.
        let word = word_at(text, char_under(&galley, pos - origin));
        output.state.cursor.set_char_range(Some(CCursorRange::two(
            CCursor::new(word.start),
            CCursor::new(word.end),
        )));
        output.state.clone().store(ui.ctx(), response.id);
    }
    let mut drag_anchor = None;
    // The field's selection after this frame's pointer input (`cursor_range` is from before it).
    let interacting = output.cursor_range.is_some() || response.interact_pointer_pos().is_some();
    if let Some(range) = output.state.cursor.char_range().filter(|_| interacting) {
        let sorted = range.as_sorted_char_range();
        let (start, end) = (chunk_start + sorted.start.0, chunk_start + sorted.end.0);
        let at = chunk_start + range.primary.index.0;
        let from = chunk_start + range.secondary.index.0;
        let shift = ui.input(|i| i.modifiers.shift);
        let changed = *selecting.seen != Some((index, start, end));
        *selecting.seen = Some((index, start, end));
        if response.clicked() && shift && selecting.anchor.is_some_and(|a| a != at) {
            // Shift+click: from the anchor to here, whichever chunk the anchor is in; the
            // field shows its own part of it.
            let anchor = selecting.anchor.expect("checked");
            let span = CharSpan::new(anchor.min(at), anchor.max(at));
            *selecting.selection = Some(span);
            if let Some(local) = chunked.local_span(index, span) {
                output.state.cursor.set_char_range(Some(CCursorRange::two(
                    CCursor::new(local.start),
                    CCursor::new(local.end),
                )));
                output.state.store(ui.ctx(), response.id);
            }
            *selecting.seen = None;
        } else if start < end && (changed || response.dragged()) {
            *selecting.selection = Some(CharSpan::new(start, end));
            if !shift {
                *selecting.anchor = Some(from);
            }
        } else if start == end && response.clicked() && !shift {
            // A plain click: forget the old selection; pick the coding under it.
            *selecting.anchor = Some(at);
            *selecting.selection = None;
            let hit = chunked
                .codings
                .iter()
                .filter(|c| c.span.contains(at))
                .min_by_key(|c| c.span.len());
            actions.push(Action::SelectCoding(hit.map(|c| c.id)));
        }
        if response.dragged() {
            drag_anchor = Some(from);
        }
    }
    // The kept selection, e.g. a search hit just opened: egui shows a text field's own
    // selection only while the field has focus.
    if !response.has_focus()
        && let Some(kept) = *selecting.selection
        && let Some(local) = chunked.local_span(index, kept)
    {
        paint_selection(ui, &galley, origin, local);
    }
    if let Some(pos) = response.hover_pos() {
        let at = chunk_start + galley.cursor_from_pos(pos - origin).index.0;
        let here: Vec<&Coding> = chunked
            .codings
            .iter()
            .filter(|c| c.span.contains(at))
            .collect();
        codings_tooltip(&response, here, snapshot, (turns, source.person_id));
    }
    chunked.chunks[index].layout = layout;
    drag_anchor
}

/// A theme's lane: one bar's width for each coder of the codings shown.
fn lane_width(chunked: &ChunkedText) -> f32 {
    LANE_WIDTH * chunked.coders.len().max(1) as f32
}

fn paint_margin_bars(ui: &egui::Ui, origin: Pos2, margin: f32, lane_width: f32, bars: &[Bar]) {
    let painter = ui.painter();
    let clip = ui.clip_rect();
    for bar in bars {
        let (top, bottom) = (origin.y + bar.top, origin.y + bar.bottom);
        if bottom < clip.min.y || top > clip.max.y {
            continue;
        }
        let x =
            origin.x - margin + bar.lane as f32 * lane_width + bar.slot as f32 * LANE_WIDTH + 1.0;
        let rect = Rect::from_min_max(Pos2::new(x, top), Pos2::new(x + LANE_WIDTH - 2.0, bottom));
        painter.rect_filled(rect, 1.0, bar.color);
    }
}

/// Paints `span` (chars of the chunk) in the selection colour, row by row, over the text.
fn paint_selection(ui: &egui::Ui, galley: &Galley, origin: Pos2, span: CharSpan) {
    let fill = ui.visuals().selection.bg_fill.gamma_multiply(0.55);
    let mut row_start = 0;
    for row in &galley.rows {
        let glyphs = row.char_count_excluding_newline().0;
        let (a, b) = (span.start.max(row_start), span.end.min(row_start + glyphs));
        if a < b {
            let x = |at: usize| row.pos.x + row.x_offset(CharIndex(at - row_start));
            let rect = Rect::from_min_max(
                origin + Vec2::new(x(a), row.min_y()),
                origin + Vec2::new(x(b), row.max_y()),
            );
            ui.painter().rect_filled(rect, 2.0, fill);
        }
        row_start += row.char_count_including_newline().0;
        if row_start >= span.end {
            break;
        }
    }
}

fn outline_span(ui: &egui::Ui, galley: &Galley, origin: Pos2, (top, bottom): (f32, f32)) {
    let rect = Rect::from_min_max(
        Pos2::new(origin.x - 2.0, origin.y + top - 1.0),
        Pos2::new(
            origin.x + galley.rect.width() + 2.0,
            origin.y + bottom + 1.0,
        ),
    );
    ui.painter().rect_stroke(
        rect,
        3.0,
        Stroke::new(1.5, ui.visuals().selection.stroke.color),
        egui::StrokeKind::Outside,
    );
}

/// "Codings shown: everyone's / only mine (blind coding) / one coder's", when there is a
/// choice to make: more than one coder, or a coder who has not coded yet.
fn shown_ui(ui: &mut egui::Ui, shown: &mut ShownCodings, snapshot: &Snapshot, me: &str) {
    let others = snapshot.coders.iter().filter(|c| c.name != me).count();
    if others == 0 && *shown == ShownCodings::Everyone {
        return;
    }
    let name = |id: CoderId| {
        snapshot
            .coders
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| "a coder".to_string(), |c| c.name.clone())
    };
    let label = |shown: ShownCodings| match shown {
        ShownCodings::Everyone => "every coder's".to_string(),
        ShownCodings::Mine => format!("only mine ({me}) — blind coding"),
        ShownCodings::Coder(id) => format!("{}'s", name(id)),
    };
    ui.horizontal(|ui| {
        egui::ComboBox::from_label("codings shown")
            .selected_text(label(*shown))
            .show_ui(ui, |ui| {
                ui.selectable_value(shown, ShownCodings::Everyone, label(ShownCodings::Everyone))
                    .on_hover_text("Margin bars stand side by side, one per coder");
                ui.selectable_value(shown, ShownCodings::Mine, label(ShownCodings::Mine))
                    .on_hover_text(
                        "Hide other coders' codings while you code, so you are not led by them",
                    );
                for coder in &snapshot.coders {
                    let choice = ShownCodings::Coder(coder.id);
                    ui.selectable_value(shown, choice, label(choice));
                }
            });
    });
}

fn header_ui(ui: &mut egui::Ui, source: &Source, speakers: &[PersonId], snapshot: &Snapshot) {
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
    let speakers: Vec<String> = speakers
        .iter()
        .filter_map(|&id| snapshot.person(id))
        .map(|p| match snapshot.actor(p.actor_id) {
            Some(a) => format!("{} ({})", p.name, a.name),
            None => p.name.clone(),
        })
        .collect();
    if !speakers.is_empty() {
        line.push(format!("speakers: {}", speakers.join(", ")));
    }
    line.push(format!("{} characters", source.char_len()));
    ui.weak(line.join(" · "));
    ui.separator();
}

/// The codings under the pointer: theme, who speaks, coder, stance, memo.
fn codings_tooltip(
    response: &egui::Response,
    here: Vec<&Coding>,
    snapshot: &Snapshot,
    (turns, source_person): (&[SpeakerTurn], Option<PersonId>),
) {
    if here.is_empty() {
        return;
    }
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
            let coder = snapshot
                .coders
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
            let speaker = turns
                .iter()
                .find(|t| t.span.contains(coding.span.start))
                .map(|t| t.person_id)
                .or(source_person)
                .and_then(|p| snapshot.person(p));
            if let Some(person) = speaker {
                let actor = snapshot
                    .actor(person.actor_id)
                    .map(|a| format!(" ({})", a.name))
                    .unwrap_or_default();
                ui.weak(format!("said by {}{actor}", person.name));
            }
            if !coding.memo.is_empty() {
                ui.label(egui::RichText::new(&coding.memo).italics());
            }
        }
    });
}
