//! Keyword-in-context lines: a hit with the text before and after it in its paragraph, on one
//! line.

use serde::{Deserialize, Serialize};

use crate::text::{
    collapse_white_space, is_one_spaced, is_plain, is_space_at, is_utf8_continuation, one_spaced,
};

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

/// The left context of a KWIC line. Most text has nothing to collapse among the last
/// [`KWIC_CONTEXT`] chars: then they are cut as they are, found by counting first bytes of
/// chars eight bytes at a time (about 50 bytes for Norwegian prose), and checked by
/// [`is_one_spaced`]; only where white space must be collapsed are chars read one by one.
fn left_context(before: &str) -> String {
    let bytes = before.as_bytes();
    let (mut n, mut i) = (0, bytes.len());
    while i >= 8 {
        let chars = chars_in(&bytes[i - 8..i]);
        if n + chars >= KWIC_CONTEXT {
            break;
        }
        n += chars;
        i -= 8;
    }
    let mut from = 0;
    while i > 0 {
        i -= 1;
        if !is_utf8_continuation(bytes[i]) {
            n += 1;
            if n == KWIC_CONTEXT {
                from = i;
                break;
            }
        }
    }
    let shown = &before[from..];
    if is_one_spaced(shown) {
        return shown.to_owned();
    }
    collapse_white_space(&before[context_start(before)..])
}

/// The right context of a KWIC line (see [`left_context`]).
fn right_context(after: &str) -> String {
    let bytes = after.as_bytes();
    let (mut n, mut i) = (0, 0);
    while i + 8 <= bytes.len() {
        let chars = chars_in(&bytes[i..i + 8]);
        if n + chars > KWIC_CONTEXT {
            break;
        }
        n += chars;
        i += 8;
    }
    let mut to = bytes.len();
    while i < bytes.len() {
        if !is_utf8_continuation(bytes[i]) {
            if n == KWIC_CONTEXT {
                to = i;
                break;
            }
            n += 1;
        }
        i += 1;
    }
    let shown = &after[..to];
    if is_one_spaced(shown) {
        return shown.to_owned();
    }
    collapse_white_space(&after[..context_end(after)])
}

/// The chars that begin among eight bytes: the bytes that are not UTF-8 continuation bytes
/// (0b10xx_xxxx), counted in one word.
#[inline]
fn chars_in(eight: &[u8]) -> usize {
    let word = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
    let continuation = word & !(word << 1) & 0x8080_8080_8080_8080;
    8 - continuation.count_ones() as usize
}

/// Where the last [`KWIC_CONTEXT`] characters of `before` begin, a run of white space counted
/// as one character. Walks bytes, which is cheaper than decoding chars backwards.
fn context_start(before: &str) -> usize {
    let bytes = before.as_bytes();
    let (mut n, mut from, mut last_space) = (0, before.len(), false);
    for i in (0..bytes.len()).rev() {
        let space = match bytes[i] {
            b if is_plain(b) => false,
            b if is_utf8_continuation(b) => continue,
            _ => is_space_at(before, i),
        };
        if !(space && last_space) {
            if n == KWIC_CONTEXT {
                break;
            }
            n += 1;
        }
        from = i;
        last_space = space;
    }
    from
}

/// Where the first [`KWIC_CONTEXT`] characters of `after` end, a run of white space counted as
/// one character.
fn context_end(after: &str) -> usize {
    let bytes = after.as_bytes();
    let (mut n, mut last_space) = (0, false);
    for (i, &b) in bytes.iter().enumerate() {
        let space = match b {
            b if is_plain(b) => false,
            b if is_utf8_continuation(b) => continue,
            _ => is_space_at(after, i),
        };
        if !(space && last_space) {
            if n == KWIC_CONTEXT {
                return i;
            }
            n += 1;
        }
        last_space = space;
    }
    after.len()
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

        // The byte walk agrees with the char-by-char reading it replaced, at every char.
        let reference = |body: &str, at: usize| -> (String, String) {
            let mut left: Vec<char> = Vec::new();
            for c in body[..at].chars().rev() {
                let c = if c.is_whitespace() { ' ' } else { c };
                if c == ' ' && left.last() == Some(&' ') {
                    continue;
                }
                if left.len() == KWIC_CONTEXT {
                    break;
                }
                left.push(c);
            }
            let mut right = String::new();
            let (mut n, mut last_space) = (0, false);
            for c in body[at..].chars() {
                let space = c.is_whitespace();
                if space && last_space {
                    continue;
                }
                if n == KWIC_CONTEXT {
                    break;
                }
                right.push(if space { ' ' } else { c });
                last_space = space;
                n += 1;
            }
            (left.into_iter().rev().collect(), right)
        };
        let mixed = "Æ\u{a0}\u{a0}ø å\r\n\r\n😀 – \u{2003}x\u{3000}y\u{85}z\u{1680}w  ".repeat(9);
        // One-spaced text, with chars of every width, and a text with a few runs far apart.
        let plain = "Tillit og skjønn i 😀 kommunene – «økt handlingsrom» gir ".repeat(9);
        let sparse = format!("{plain}\r\n{plain}  {plain}");
        for text in [&mixed, &plain, &sparse] {
            for (at, _) in text.char_indices() {
                let k = kwic(text, at, at);
                assert_eq!(
                    (k.left, k.right),
                    reference(text, at),
                    "at {at} of {text:?}"
                );
            }
        }
    }
}
