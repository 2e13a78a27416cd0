//! The document view's layout, in chunks: a 300,000-character transcript is cut at line breaks
//! into pieces of a few thousand characters, and only the pieces on screen are laid out.
//! Laying out the whole text at once takes hundreds of milliseconds; a chunk takes a few.

use std::ops::Range;
use std::sync::Arc;

use egui::text::LayoutJob;
use egui::{Color32, FontId, Galley, Stroke, TextFormat};

use crate::model::{CharSpan, CoderId, Coding, CodingId, ThemeId};
use crate::text::CharIndex;

use super::colors::{highlight_fill, theme_color};
use super::snapshot::Snapshot;

/// A chunk ends at the first line break after this many characters.
pub const CHUNK_CHARS: usize = 1_500;

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

/// Cuts `text` into spans that tile it: each ends after a line break once it holds
/// `CHUNK_CHARS` characters (or at a space, for a very long line).
pub fn chunk_spans(text: &str) -> Vec<CharSpan> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut len = 0;
    for (pos, c) in text.chars().enumerate() {
        len = pos + 1;
        let size = pos + 1 - start;
        let cut = (c == '\n' && size >= CHUNK_CHARS) || (c == ' ' && size >= 4 * CHUNK_CHARS);
        if cut {
            spans.push(CharSpan::new(start, pos + 1));
            start = pos + 1;
        }
    }
    if start < len || spans.is_empty() {
        spans.push(CharSpan::new(start, len));
    }
    spans
}

/// Which row of a galley holds a character, by binary search.
pub struct RowIndex {
    starts: Vec<usize>,
    tops: Vec<f32>,
    bottoms: Vec<f32>,
}

impl RowIndex {
    pub fn new(galley: &Galley) -> RowIndex {
        let mut index = RowIndex {
            starts: Vec::with_capacity(galley.rows.len()),
            tops: Vec::with_capacity(galley.rows.len()),
            bottoms: Vec::with_capacity(galley.rows.len()),
        };
        let mut chars = 0;
        for row in &galley.rows {
            index.starts.push(chars);
            index.tops.push(row.min_y());
            index.bottoms.push(row.max_y());
            chars += row.char_count_including_newline().0;
        }
        index
    }

    fn row_of(&self, char_idx: usize) -> usize {
        self.starts
            .partition_point(|&start| start <= char_idx)
            .saturating_sub(1)
    }

    /// Top and bottom (galley coordinates) of the rows a chunk-local span covers.
    pub fn y_range(&self, span: CharSpan) -> (f32, f32) {
        if self.starts.is_empty() {
            return (0.0, 0.0);
        }
        let first = self.row_of(span.start);
        let last = self.row_of(span.end.saturating_sub(1).max(span.start));
        (self.tops[first], self.bottoms[last])
    }
}

/// A margin bar: the theme's lane and the rows its coding covers, in galley coordinates.
#[derive(Clone, Copy)]
pub struct Bar {
    pub coding_id: CodingId,
    pub lane: usize,
    /// The coder's place within the lane, when several coders coded the source.
    pub slot: usize,
    pub top: f32,
    pub bottom: f32,
    pub color: Color32,
}

pub struct ChunkLayout {
    pub wrap_bits: u32,
    pub galley: Arc<Galley>,
    pub rows: RowIndex,
    pub bars: Vec<Bar>,
}

pub struct Chunk {
    /// The chunk's part of the text; the chunks tile it.
    pub span: CharSpan,
    /// What is laid out: the chunk's bytes without the line break that ends the chunk. That break is the
    /// seam to the next chunk, which starts on a new row anyway; laid out, it would add an empty
    /// row, a blank gap the text does not have.
    pub shown_bytes: Range<usize>,
    /// The code points of `shown_bytes`.
    pub shown_chars: usize,
    pub layout: Option<ChunkLayout>,
}

/// How text is drawn: part of the cache key, since a change means a new layout.
#[derive(Clone, Copy, PartialEq)]
pub struct Look {
    pub text_size: f32,
    pub text_color: Color32,
    pub dark_mode: bool,
}

/// A source cut into chunks, with its codings and their coverage runs.
pub struct ChunkedText {
    pub chunks: Vec<Chunk>,
    pub codings: Arc<Vec<Coding>>,
    runs: Vec<(CharSpan, Vec<usize>)>,
    /// Each theme's margin lane, by position in the codebook.
    pub lanes: Vec<(ThemeId, usize)>,
    /// The coders of the codings shown, by id: each has a slot in every lane, so that two
    /// coders' bars of one theme stand side by side instead of on top of each other.
    pub coders: Vec<CoderId>,
}

impl ChunkedText {
    pub fn new(text: &str, codings: Vec<Coding>, snapshot: &Snapshot) -> ChunkedText {
        let index = CharIndex::new(text);
        let chunks = chunk_spans(text)
            .into_iter()
            .map(|span| {
                let bytes = index.byte_range(span).expect("chunks tile the text");
                let piece = &text[bytes.clone()];
                let seam = if piece.ends_with("\r\n") {
                    2
                } else if piece.ends_with('\n') {
                    1
                } else {
                    0
                };
                Chunk {
                    span,
                    shown_bytes: bytes.start..bytes.end - seam,
                    shown_chars: span.len() - seam,
                    layout: None,
                }
            })
            .collect();
        let runs = coverage_runs(index.char_len(), &codings);
        let lanes = snapshot
            .themes
            .iter()
            .filter(|t| codings.iter().any(|c| c.theme_id == t.id))
            .enumerate()
            .map(|(lane, t)| (t.id, lane))
            .collect();
        let mut coders: Vec<CoderId> = codings.iter().map(|c| c.coder_id).collect();
        coders.sort();
        coders.dedup();
        ChunkedText {
            chunks,
            codings: Arc::new(codings),
            runs,
            lanes,
            coders,
        }
    }

    /// The chunk holding a character.
    pub fn chunk_of(&self, char_idx: usize) -> usize {
        self.chunks
            .partition_point(|c| c.span.start <= char_idx)
            .saturating_sub(1)
    }

    /// The highlighted layout job of one chunk: a section per coverage run inside it.
    pub fn chunk_job(
        &self,
        text: &str,
        chunk: usize,
        snapshot: &Snapshot,
        look: Look,
    ) -> LayoutJob {
        let full = self.chunks[chunk].span;
        let span = CharSpan::new(full.start, full.start + self.chunks[chunk].shown_chars);
        let chunk_text = &text[self.chunks[chunk].shown_bytes.clone()];
        let index = CharIndex::new(chunk_text);
        let plain = TextFormat {
            font_id: FontId::proportional(look.text_size),
            color: look.text_color,
            line_height: Some(look.text_size * 1.45),
            ..Default::default()
        };
        let first_run = self.runs.partition_point(|(s, _)| s.end <= span.start);
        let mut job = LayoutJob::default();
        for (run, covering) in &self.runs[first_run..] {
            if run.start >= span.end {
                break;
            }
            let local = CharSpan::new(
                run.start.max(span.start) - span.start,
                run.end.min(span.end) - span.start,
            );
            let Some(range) = index.byte_range(local) else {
                continue;
            };
            let mut format = plain.clone();
            let themes: Vec<_> = covering
                .iter()
                .filter_map(|&i| snapshot.theme(self.codings[i].theme_id))
                .collect();
            if let Some(first) = themes.first() {
                format.background = highlight_fill(first, themes.len(), look.dark_mode);
            }
            if let Some(second) = themes.get(1) {
                format.underline = Stroke::new(2.0, theme_color(second));
            }
            job.append(&chunk_text[range], 0.0, format);
        }
        job
    }

    /// Rows and margin bars of a freshly laid-out chunk.
    pub fn chunk_layout(
        &self,
        chunk: usize,
        galley: Arc<Galley>,
        wrap: f32,
        snapshot: &Snapshot,
    ) -> ChunkLayout {
        let span = self.chunks[chunk].span;
        let rows = RowIndex::new(&galley);
        let bars = self
            .codings
            .iter()
            .filter(|c| c.span.overlaps(&span))
            .filter_map(|coding| {
                let theme = snapshot.theme(coding.theme_id)?;
                let &(_, lane) = self.lanes.iter().find(|(t, _)| *t == coding.theme_id)?;
                let local = self.local_span(chunk, coding.span)?;
                let (top, bottom) = rows.y_range(local);
                Some(Bar {
                    coding_id: coding.id,
                    lane,
                    slot: self.coders.binary_search(&coding.coder_id).unwrap_or(0),
                    top,
                    bottom,
                    color: theme_color(theme),
                })
            })
            .collect();
        ChunkLayout {
            wrap_bits: wrap.to_bits(),
            galley,
            rows,
            bars,
        }
    }

    /// The part of a (global) span inside a chunk's shown text, in chunk-local code points.
    pub fn local_span(&self, chunk: usize, span: CharSpan) -> Option<CharSpan> {
        let c = self.chunks[chunk].span;
        let start = span.start.max(c.start);
        let end = span.end.min(c.start + self.chunks[chunk].shown_chars);
        (start < end).then(|| CharSpan::new(start - c.start, end - c.start))
    }
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

    #[test]
    fn chunks_tile_the_text_and_end_at_line_breaks() {
        let line = "æøå 😀 ".repeat(100) + "\n"; // 601 characters
        let text = line.repeat(20);
        let spans = chunk_spans(&text);
        assert!(spans.len() > 1);
        assert_eq!(spans[0].start, 0);
        assert_eq!(spans.last().unwrap().end, text.chars().count());
        for pair in spans.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
        let chars: Vec<char> = text.chars().collect();
        for span in &spans[..spans.len() - 1] {
            assert_eq!(chars[span.end - 1], '\n');
            assert!(span.len() >= CHUNK_CHARS);
        }
        assert_eq!(chunk_spans(""), vec![CharSpan::new(0, 0)]);
        assert_eq!(chunk_spans("kort"), vec![CharSpan::new(0, 4)]);
    }

    #[test]
    fn a_chunk_shows_its_text_without_the_line_break_that_ends_it() {
        let text = format!(
            "{}\r\n{}\nslutt",
            "æ".repeat(CHUNK_CHARS),
            "ø".repeat(CHUNK_CHARS)
        );
        let chunked = ChunkedText::new(&text, Vec::new(), &Snapshot::default());
        let shown: Vec<&str> = chunked
            .chunks
            .iter()
            .map(|c| &text[c.shown_bytes.clone()])
            .collect();
        assert_eq!(
            shown,
            [
                "æ".repeat(CHUNK_CHARS),
                "ø".repeat(CHUNK_CHARS),
                "slutt".into()
            ]
        );
        assert_eq!(chunked.chunks[0].shown_chars, CHUNK_CHARS);
        // A span over the seam is cut to each chunk's shown text.
        let over = CharSpan::new(CHUNK_CHARS - 2, CHUNK_CHARS + 4);
        assert_eq!(
            chunked.local_span(0, over),
            Some(CharSpan::new(CHUNK_CHARS - 2, CHUNK_CHARS))
        );
        assert_eq!(chunked.local_span(1, over), Some(CharSpan::new(0, 2)));
    }
}
