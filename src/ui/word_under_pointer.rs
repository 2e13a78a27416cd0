//! The word a double-click selects: the one whose letters are under the pointer. egui picks
//! the character boundary nearest the pointer and selects from there, so a double-click on the
//! right half of a word's last letter would take the space and the next word too.

use egui::Galley;
use egui::Vec2;
use egui::text::CCursor;
use unicode_segmentation::UnicodeSegmentation;

use crate::model::CharSpan;

/// The character (code point index into the galley's text) whose glyph is under `pos`
/// (relative to the galley's origin).
pub fn char_under(galley: &Galley, pos: Vec2) -> usize {
    let cursor = galley.cursor_from_pos(pos);
    let at = cursor.index.0;
    if at == 0 {
        return 0;
    }
    let here = galley.pos_from_cursor(cursor);
    let before = galley.pos_from_cursor(CCursor::new(at - 1));
    // The nearest boundary lies right of the pointer: the pointer is over the character before
    // it, if that character is on the same row.
    if pos.x < here.min.x && (before.min.y - here.min.y).abs() < 0.5 {
        at - 1
    } else {
        at
    }
}

/// The word (by Unicode's word boundaries) holding character `at` of `text`: a run of spaces
/// or a punctuation mark is a "word" of its own. Past the end of a line, the line's last one.
pub fn word_at(text: &str, at: usize) -> CharSpan {
    let mut start = 0;
    let mut found = CharSpan::new(0, 0);
    for (_, segment) in text.split_word_bound_indices() {
        let len = segment.chars().count();
        let span = CharSpan::new(start, start + len);
        let line_break = segment.chars().all(|c| c == '\n' || c == '\r');
        if line_break && span.contains(at) {
            // The pointer is beyond the end of the line's text.
            return found;
        }
        found = span;
        if span.contains(at) {
            return span;
        }
        start += len;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, at: usize) -> String {
        let span = word_at(text, at);
        text.chars().skip(span.start).take(span.len()).collect()
    }

    #[test]
    fn the_word_under_a_character_is_that_word_alone() {
        let text = "Setning 0-0 om tillit på førstelinja 😀.\r\nNy linje";
        assert_eq!(word(text, 12), "om");
        assert_eq!(word(text, 13), "om");
        assert_eq!(word(text, 14), " ");
        assert_eq!(word(text, 15), "tillit");
        assert_eq!(word(text, 30), "førstelinja");
        assert_eq!(word(text, 37), "😀");
        // Past the end of the first line: its last mark.
        assert_eq!(word(text, 39), ".");
        assert_eq!(word(text, 41), "Ny");
        assert_eq!(word(text, 100), "linje");
        assert_eq!(word("", 0), "");
    }
}
