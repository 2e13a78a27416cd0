//! Code point ⇄ byte offsets and text clean-up.
//!
//! The model counts Unicode code points; Rust `str` ranges, egui layout sections and tantivy token
//! offsets count bytes. Every conversion between the two lives here.

use crate::model::CharSpan;

/// The byte offset of code point `char_idx`; `char_idx == char count` gives `s.len()`.
pub fn char_to_byte(s: &str, char_idx: usize) -> Option<usize> {
    if char_idx == 0 {
        return Some(0);
    }
    match s.char_indices().nth(char_idx) {
        Some((byte, _)) => Some(byte),
        None if s.chars().count() == char_idx => Some(s.len()),
        None => None,
    }
}

/// The code point index at byte offset `byte_idx`, or `None` inside a character or past the end.
pub fn byte_to_char(s: &str, byte_idx: usize) -> Option<usize> {
    if byte_idx > s.len() || !s.is_char_boundary(byte_idx) {
        return None;
    }
    Some(s[..byte_idx].chars().count())
}

/// The text of a code point span, or `None` when it does not fit `s`.
pub fn slice_chars(s: &str, span: CharSpan) -> Option<&str> {
    if span.end < span.start {
        return None;
    }
    let index = CharIndex::new(s);
    let range = index.byte_range(span)?;
    Some(&s[range])
}

/// The code point span of the first occurrence of `needle` in `haystack`.
pub fn find_chars(haystack: &str, needle: &str) -> Option<CharSpan> {
    let byte = haystack.find(needle)?;
    let start = haystack[..byte].chars().count();
    Some(CharSpan::new(start, start + needle.chars().count()))
}

/// Converts many offsets in one long text without rescanning it each time: it remembers the byte
/// offset of every `STRIDE`th code point, so a lookup walks at most `STRIDE - 1` characters.
pub struct CharIndex<'a> {
    text: &'a str,
    checkpoints: Vec<usize>,
    char_len: usize,
}

impl<'a> CharIndex<'a> {
    const STRIDE: usize = 64;

    pub fn new(text: &'a str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / Self::STRIDE + 1);
        let mut char_len = 0;
        for (i, (byte, _)) in text.char_indices().enumerate() {
            if i % Self::STRIDE == 0 {
                checkpoints.push(byte);
            }
            char_len = i + 1;
        }
        CharIndex {
            text,
            checkpoints,
            char_len,
        }
    }

    pub fn char_len(&self) -> usize {
        self.char_len
    }

    pub fn byte_of(&self, char_idx: usize) -> Option<usize> {
        if char_idx > self.char_len {
            return None;
        }
        if char_idx == self.char_len {
            return Some(self.text.len());
        }
        let base = self.checkpoints[char_idx / Self::STRIDE];
        let rest = char_idx % Self::STRIDE;
        self.text[base..]
            .char_indices()
            .nth(rest)
            .map(|(b, _)| base + b)
    }

    pub fn char_of(&self, byte_idx: usize) -> Option<usize> {
        if byte_idx > self.text.len() || !self.text.is_char_boundary(byte_idx) {
            return None;
        }
        let block = self.checkpoints.partition_point(|&b| b <= byte_idx);
        if block == 0 {
            return Some(0);
        }
        let base_byte = self.checkpoints[block - 1];
        let base_char = (block - 1) * Self::STRIDE;
        Some(base_char + self.text[base_byte..byte_idx].chars().count())
    }

    pub fn byte_range(&self, span: CharSpan) -> Option<std::ops::Range<usize>> {
        if span.end < span.start {
            return None;
        }
        Some(self.byte_of(span.start)?..self.byte_of(span.end)?)
    }
}

/// `\r\n` and lone `\r` become `\n`, so every line break is one code point.
pub fn normalize_newlines(s: &str) -> String {
    if !s.contains('\r') {
        return s.to_string();
    }
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Joins words broken by a line-end hyphen in PDF-extracted text ("skjønns-\nutøvelse" →
/// "skjønnsutøvelse"), keeping real hyphens: a break after an upper-case or digit part
/// ("NAV-\nkontor", "0-24-\nsamarbeid") keeps its hyphen and loses only the line break, and a
/// line that starts with an upper-case letter or digit is not a continuation. Spaces between
/// two newlines still separate paragraphs in `paragraph_spans`.
pub fn dehyphenate(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut lines = s.split('\n').peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_end();
        let next_first = lines
            .peek()
            .and_then(|next| next.trim_start().chars().next());
        let broken = trimmed.ends_with('-') && !trimmed.ends_with("--") && next_first.is_some();
        if !broken {
            out.push_str(line);
            if lines.peek().is_some() {
                out.push('\n');
            }
            continue;
        }
        let stem = &trimmed[..trimmed.len() - 1];
        let last_word: String = stem
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        let next_first = next_first.unwrap_or(' ');
        let acronym = last_word.chars().count() > 1 && last_word.chars().all(char::is_uppercase);
        let has_digit = last_word.chars().any(|c| c.is_ascii_digit());
        let is_word_break =
            !last_word.is_empty() && !acronym && !has_digit && next_first.is_lowercase();
        if is_word_break {
            out.push_str(stem);
        } else if !last_word.is_empty() && next_first.is_alphanumeric() {
            out.push_str(trimmed);
        } else {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        // Glue the next line on directly, without its leading blanks.
        if let Some(next) = lines.peek_mut() {
            *next = next.trim_start();
        }
    }
    out
}

/// The spans of the paragraphs of `s`: runs of non-blank lines, separated by blank lines,
/// trimmed of surrounding white space.
pub fn paragraph_spans(s: &str) -> Vec<CharSpan> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_non_space_end = 0;
    let mut newline_run = 0;
    for (pos, c) in s.chars().enumerate() {
        if c == '\n' {
            newline_run += 1;
            if newline_run >= 2
                && let Some(st) = start.take()
            {
                spans.push(CharSpan::new(st, last_non_space_end));
            }
        } else if !c.is_whitespace() {
            newline_run = 0;
            if start.is_none() {
                start = Some(pos);
            }
            last_non_space_end = pos + 1;
        }
    }
    if let Some(st) = start {
        spans.push(CharSpan::new(st, last_non_space_end));
    }
    spans
}

/// The span of the sentence around `span` (widened to `.`, `!`, `?` or a paragraph break).
pub fn sentence_around(s: &str, span: CharSpan) -> CharSpan {
    let chars: Vec<char> = s.chars().collect();
    let is_end = |i: usize| matches!(chars[i], '.' | '!' | '?') || is_break(&chars, i);
    let mut start = span.start.min(chars.len());
    while start > 0 && !is_end(start - 1) {
        start -= 1;
    }
    while start < span.start && chars[start].is_whitespace() {
        start += 1;
    }
    let mut end = span.end.min(chars.len());
    while end < chars.len() && !is_end(end) {
        end += 1;
    }
    if end < chars.len() && !chars[end].is_whitespace() {
        end += 1; // include the full stop
    }
    CharSpan::new(start, end.max(span.end))
}

fn is_break(chars: &[char], i: usize) -> bool {
    chars[i] == '\n'
        && (i + 1 < chars.len() && chars[i + 1] == '\n' || i > 0 && chars[i - 1] == '\n')
}

/// The paragraph that contains `span`'s start, widened to cover `span`.
pub fn paragraph_around(s: &str, span: CharSpan) -> CharSpan {
    paragraph_spans(s)
        .into_iter()
        .find(|p| p.start <= span.start && span.start < p.end.max(p.start + 1))
        .map(|p| CharSpan::new(p.start.min(span.start), p.end.max(span.end)))
        .unwrap_or(span)
}

/// UTF-8's continuation bytes, 0b10xx_xxxx: not the first byte of a char.
#[inline]
pub fn is_utf8_continuation(b: u8) -> bool {
    (b as i8) < -0x40
}

/// Collapses runs of white space to single spaces and trims: for one-line previews.
pub fn one_line(s: &str) -> String {
    one_spaced(s.trim())
}

/// `s` with each run of white space (line breaks too) as one space.
pub fn one_spaced(s: &str) -> String {
    if is_one_spaced(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        let space = c.is_whitespace();
        if !space {
            out.push(c);
        } else if !last_space {
            out.push(' ');
        }
        last_space = space;
    }
    out
}

/// True when `s` has no white space but single ASCII spaces (most context does): then it is
/// copied as it is, not char by char.
pub fn is_one_spaced(s: &str) -> bool {
    let bytes = s.as_bytes();
    // Two passes the compiler vectorises: no tab, line break or first byte of a non-ASCII
    // white space (0xC2, 0xE1–0xE3), and no double space. Otherwise, a closer look.
    let mut maybe_space = 0u8;
    for &b in bytes {
        maybe_space |= u8::from(b.wrapping_sub(b'\t') < 5)
            | u8::from(b == 0xC2)
            | u8::from(b.wrapping_sub(0xE1) < 3);
    }
    if maybe_space == 0 {
        let mut double = 0u8;
        for (&a, &b) in bytes.iter().zip(bytes.iter().skip(1)) {
            double |= u8::from(a == b' ') & u8::from(b == b' ');
        }
        return double == 0;
    }
    let mut last_space = false;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        // Continuation bytes too: no white space has them first.
        if is_plain(b) || is_utf8_continuation(b) {
            last_space = false;
            continue;
        }
        let space = b == b' ';
        if (space && last_space) || (!space && is_space_at(s, i)) {
            return false;
        }
        last_space = space;
    }
    true
}

/// ASCII that is not white space: the bytes most text is made of, decided without decoding.
#[inline]
pub fn is_plain(b: u8) -> bool {
    b > b' ' && b < 0x80
}

/// Whether the char starting at byte `i` is white space, decoding only chars whose first byte
/// some white space has (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000); `false` at bytes
/// that start no char.
pub fn is_space_at(s: &str, i: usize) -> bool {
    match s.as_bytes()[i] {
        b' ' | b'\t'..=b'\r' => true,
        0xC2 | 0xE1 | 0xE2 | 0xE3 => s
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_whitespace),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_spaced_collapses_every_kind_of_white_space() {
        for s in [
            "a b",
            "a  b",
            "a\u{a0}b",
            "a\u{2003}b",
            "a\u{3000}b",
            "a – «b» … c’",
            "a\u{85}b",
        ] {
            let expected: String = {
                let mut out = String::new();
                for c in s.chars() {
                    if !c.is_whitespace() {
                        out.push(c);
                    } else if !out.ends_with(' ') {
                        out.push(' ');
                    }
                }
                out
            };
            assert_eq!(one_spaced(s), expected, "{s:?}");
        }
        assert_eq!(one_line("  a \r\n\t b\u{a0} "), "a b");
    }

    #[test]
    fn dehyphenate_joins_and_keeps() {
        let s = "skis-\nserer og skjønns-\nutøvelse ved NAV-\nkontor i 0-24-\nsamarbeidet.\nSen-\nterpartiet";
        assert_eq!(
            dehyphenate(s),
            "skisserer og skjønnsutøvelse ved NAV-kontor i 0-24-samarbeidet.\nSenterpartiet"
        );
    }

    #[test]
    fn paragraphs() {
        let s = "a b\nc\n\n  d\n \nef\n";
        let spans = paragraph_spans(s);
        let texts: Vec<_> = spans
            .iter()
            .map(|sp| slice_chars(s, *sp).unwrap())
            .collect();
        assert_eq!(texts, vec!["a b\nc", "d", "ef"]);
    }
}
