//! Keyword-in-context lines: a hit with the text before and after it in its paragraph, on one
//! line.

use serde::{Deserialize, Serialize};

use crate::text::one_spaced;

/// Code points of context on each side of a KWIC line.
pub const KWIC_CONTEXT: usize = 48;

/// A keyword-in-context line: the hit with the text before and after it in its paragraph, on
/// one line (white space collapsed). `left` is cut at the front, `right` at the back.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
