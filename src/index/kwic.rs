//! Keyword-in-context lines: a hit with the text before and after it in its paragraph, on one
//! line.

use serde::{Deserialize, Serialize};

use crate::text::one_spaced;

/// Code points of context on each side of a KWIC line.
pub const KWIC_CONTEXT: usize = 48;

/// A keyword-in-context line: the hit with the text before and after it in its paragraph, on
/// one line (white space collapsed). `left` is cut at the front, `right` at the back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kwic {
    pub left: String,
    pub hit: String,
    pub right: String,
}

/// The KWIC line of a hit: at most [`KWIC_CONTEXT`] characters each side, white space collapsed
/// (only the context shown is looked at: paragraphs can be long).
pub fn kwic(body: &str, byte_start: usize, byte_end: usize) -> Kwic {
    let before = &body[..byte_start];
    let after = &body[byte_end..];
    Kwic {
        left: left_context(before),
        hit: one_spaced(&body[byte_start..byte_end]),
        right: right_context(after),
    }
}

/// The last [`KWIC_CONTEXT`] chars of `before`, a run of white space counted (and shown) as
/// one space.
fn left_context(before: &str) -> String {
    let (mut n, mut from, mut last_space) = (0, before.len(), false);
    for (i, c) in before.char_indices().rev() {
        let space = c.is_whitespace();
        if !(space && last_space) {
            if n == KWIC_CONTEXT {
                break;
            }
            n += 1;
        }
        (from, last_space) = (i, space);
    }
    one_spaced(&before[from..])
}

/// The first [`KWIC_CONTEXT`] chars of `after`, as [`left_context`] counts them.
fn right_context(after: &str) -> String {
    let (mut n, mut to, mut last_space) = (0, after.len(), false);
    for (i, c) in after.char_indices() {
        let space = c.is_whitespace();
        if !(space && last_space) {
            if n == KWIC_CONTEXT {
                to = i;
                break;
            }
            n += 1;
        }
        last_space = space;
    }
    one_spaced(&after[..to])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_collapses_white_space_and_counts_a_run_as_one() {
        let body = "a\r\n\r\nb  c økt\t handlingsrom 😀 d\n\ne";
        let start = body.find("økt").unwrap();
        let end = body.find(" 😀").unwrap();
        let k = kwic(body, start, end);
        assert_eq!(k.left, "a b c ");
        assert_eq!(k.hit, "økt handlingsrom");
        assert_eq!(k.right, " 😀 d e");

        let long = format!("{} X {}", "æ ".repeat(40), " ø".repeat(40));
        let x = long.find('X').unwrap();
        let k = kwic(&long, x, x + 1);
        assert_eq!(k.left.chars().count(), KWIC_CONTEXT);
        assert_eq!(k.right.chars().count(), KWIC_CONTEXT);
        assert!(k.left.ends_with("æ ") && k.right.starts_with(" ø"));

        // Runs of white space of every kind count as one char, at the edge of a side too.
        let mixed = "Æ\u{a0}\u{a0}ø å\r\n\r\n😀 – \u{2003}x\u{3000}y\u{85}z\u{1680}w  ".repeat(9);
        let at = mixed.char_indices().nth(150).unwrap().0;
        let k = kwic(&mixed, at, at);
        assert_eq!(
            k.left.chars().count() + k.right.chars().count(),
            2 * KWIC_CONTEXT
        );
        assert!(!k.left.contains("  ") && !k.right.contains("  ") && !k.left.contains('\n'));
    }
}
