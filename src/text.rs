//! Code point ⇄ byte offsets and text clean-up.
//!
//! The model counts Unicode code points; Rust `str` ranges, egui layout sections and tantivy token
//! offsets count bytes. Every conversion between the two lives here.

use crate::model::CharSpan;

/// A span of a text located both ways: its bytes, for slicing the `str`, and its code points,
/// for the model. Where both kinds of offset are needed together, this is the one shape they
/// travel in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocatedSpan {
    pub byte_start: usize,
    pub byte_end: usize,
    pub chars: CharSpan,
}

impl LocatedSpan {
    /// All of `text`.
    pub fn whole(text: &str) -> LocatedSpan {
        LocatedSpan {
            byte_start: 0,
            byte_end: text.len(),
            chars: CharSpan::new(0, char_count(text)),
        }
    }

    /// The span of `text` at the byte range `bytes`, located in code points too; `None` when
    /// the range passes the end or does not fall on character boundaries.
    pub fn of_bytes(text: &str, bytes: std::ops::Range<usize>) -> Option<LocatedSpan> {
        let part = text.get(bytes.clone())?;
        let start = char_count(&text[..bytes.start]);
        Some(LocatedSpan {
            byte_start: bytes.start,
            byte_end: bytes.end,
            chars: CharSpan::new(start, start + char_count(part)),
        })
    }

    /// The lines of `text` (split at `\n`, which no line includes; a `\r` before it stays),
    /// each located, in one pass over the text.
    pub fn lines(text: &str) -> impl Iterator<Item = LocatedSpan> + '_ {
        let (mut byte, mut char) = (0, 0);
        text.split('\n').map(move |line| {
            let chars = char_count(line);
            let span = LocatedSpan {
                byte_start: byte,
                byte_end: byte + line.len(),
                chars: CharSpan::new(char, char + chars),
            };
            byte = span.byte_end + 1;
            char = span.chars.end + 1;
            span
        })
    }

    /// The empty span where this one ends.
    pub fn end(self) -> LocatedSpan {
        LocatedSpan {
            byte_start: self.byte_end,
            chars: CharSpan::new(self.chars.end, self.chars.end),
            ..self
        }
    }

    /// From where this span starts to where `next` starts (a speaker turn up to the next one).
    pub fn up_to(self, next: LocatedSpan) -> LocatedSpan {
        LocatedSpan {
            byte_end: next.byte_start,
            chars: CharSpan::new(self.chars.start, next.chars.start),
            ..self
        }
    }

    /// The span without the white space at its end; `text` is the text it locates.
    pub fn trim_end(self, text: &str) -> LocatedSpan {
        let part = &text[self.bytes()];
        let kept = part.trim_end().len();
        LocatedSpan {
            byte_end: self.byte_start + kept,
            chars: CharSpan::new(self.chars.start, self.chars.end - char_count(&part[kept..])),
            ..self
        }
    }

    /// The span moved on by `bytes` bytes and `chars` code points (from a part of a text to
    /// the whole).
    pub fn shifted(self, bytes: usize, chars: usize) -> LocatedSpan {
        LocatedSpan {
            byte_start: self.byte_start + bytes,
            byte_end: self.byte_end + bytes,
            chars: CharSpan::new(self.chars.start + chars, self.chars.end + chars),
        }
    }

    /// The bytes, for slicing.
    pub fn bytes(&self) -> std::ops::Range<usize> {
        self.byte_start..self.byte_end
    }
}

/// The code points of `s`, counted 32 bytes a step where the CPU allows.
pub fn char_count(s: &str) -> usize {
    bytecount::num_chars(s.as_bytes())
}

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

/// A title as one line of visible text: control characters (line breaks, tabs, escapes) become
/// spaces and the bidirectional overrides and isolates that can make a name read backwards are
/// dropped; runs of white space collapse to one.
pub fn clean_title(title: &str) -> String {
    let visible: String = title
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    one_line(&visible)
}

/// The Unicode bidirectional embedding, override and isolate controls, and the marks.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// `n` and a noun that takes an "s" in the plural: "1 selection", "3 selections", "0 codings".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The start of `s` on one line for a label: whole when it has at most `max_chars`
/// characters, else cut at a word (or mid-word when the first word is long) with "…".
pub fn short_quote(s: &str, max_chars: usize) -> String {
    let line = one_line(s);
    if line.chars().count() <= max_chars {
        return line;
    }
    let cut: String = line.chars().take(max_chars).collect();
    let kept = match cut.rfind(' ') {
        Some(space) if cut[..space].chars().count() >= max_chars / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", kept.trim_end())
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
    collapse_white_space(s)
}

/// [`one_spaced`] without looking first whether there is anything to collapse: copies the text
/// between white space in slices, decoding only chars whose first byte some white space has
/// (pushing char by char was most of a KWIC line cut from PDF text with line breaks).
pub fn collapse_white_space(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut copied, mut last_space) = (0, false);
    for (i, &b) in bytes.iter().enumerate() {
        // A continuation byte belongs to the char before it, space or not.
        if is_utf8_continuation(b) {
            continue;
        }
        if is_plain(b) || !is_space_at(s, i) {
            last_space = false;
            continue;
        }
        let width = s[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&s[copied..i]);
        if !last_space {
            out.push(' ');
        }
        copied = i + width;
        last_space = true;
    }
    out.push_str(&s[copied..]);
    out
}

/// What [`scan_spaces`] saw.
enum Spaces {
    /// Only single ASCII spaces.
    Single,
    /// Two ASCII spaces in a row.
    Double,
    /// A control byte, or a first byte some other white space has (0xC2, 0xE0–0xE3).
    MaybeOther,
}

/// Looks at eight bytes at a time for white space other than single spaces, rather than
/// comparing byte by byte.
fn scan_spaces(bytes: &[u8]) -> Spaces {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // The high bit of each zero byte of `x`, exactly (no borrow between bytes).
    let zeros = |x: u64| !(((x & LOWS) + LOWS) | x) & HIGHS;
    let mut last_was_space = false;
    let mut chunks = bytes.chunks_exact(8);
    let mut look = |word: u64| -> Option<Spaces> {
        // Any byte below 0x20 (exact as a yes/no), 0xC2, or 0xE0–0xE3.
        let controls = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
        let other = zeros(word ^ (ONES * 0xC2)) | zeros((word & (ONES * 0xFC)) ^ (ONES * 0xE0));
        if controls | other != 0 {
            return Some(Spaces::MaybeOther);
        }
        let spaces = zeros(word ^ (ONES * 0x20));
        if spaces & (spaces << 8) != 0 || (last_was_space && spaces & 0x80 != 0) {
            return Some(Spaces::Double);
        }
        last_was_space = spaces >> 63 != 0;
        None
    };
    for chunk in &mut chunks {
        if let Some(seen) = look(u64::from_le_bytes(chunk.try_into().expect("eight bytes"))) {
            return seen;
        }
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // Padded with letters.
        let mut last = [b'a'; 8];
        last[..rest.len()].copy_from_slice(rest);
        if let Some(seen) = look(u64::from_le_bytes(last)) {
            return seen;
        }
    }
    Spaces::Single
}

/// True when `s` has no white space but single ASCII spaces (most context does): then it is
/// copied as it is, not char by char.
pub fn is_one_spaced(s: &str) -> bool {
    match scan_spaces(s.as_bytes()) {
        Spaces::Single => return true,
        Spaces::Double => return false,
        Spaces::MaybeOther => {}
    }
    // A control byte, or the first byte of a char that may be white space: a closer look.
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

/// Whether the char starting at byte `i` is white space; `false` at bytes that start no char.
#[inline]
pub fn is_space_at(s: &str, i: usize) -> bool {
    let bytes = s.as_bytes();
    let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    // Unicode's White_Space, by its UTF-8 bytes (decoding each char was most of checking a
    // KWIC line with dashes and quotes, whose first bytes white space shares).
    match bytes[i] {
        b' ' | b'\t'..=b'\r' => true,
        // U+0085, U+00A0
        0xC2 => matches!(next(1), 0x85 | 0xA0),
        // U+1680
        0xE1 => next(1) == 0x9A && next(2) == 0x80,
        // U+2000–U+200A, U+2028, U+2029, U+202F; U+205F
        0xE2 => match next(1) {
            0x80 => matches!(next(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
            0x81 => next(2) == 0x9F,
            _ => false,
        },
        // U+3000
        0xE3 => next(1) == 0x80 && next(2) == 0x80,
        _ => false,
    }
}

#[cfg(test)]
mod title_tests {
    #[test]
    fn titles_lose_control_and_bidi_characters() {
        assert_eq!(super::clean_title("Intervju\nmed\tKS"), "Intervju med KS");
        assert_eq!(
            super::clean_title("kontrakt\u{202E}fdp.exe"),
            "kontraktfdp.exe"
        );
        assert_eq!(
            super::clean_title("a\u{2067}b\u{2069}\u{1b}[31m"),
            "ab [31m"
        );
        assert_eq!(super::clean_title("Ærlig talt 😀"), "Ærlig talt 😀");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn located_spans_carry_bytes_and_code_points_together() {
        let text = "Æøå 😀\r\nI: skjønn\r\n\r\nR: ja 😀 \r\n";
        let lines: Vec<LocatedSpan> = LocatedSpan::lines(text).collect();
        assert_eq!(lines.len(), 5);
        for line in &lines {
            assert_eq!(slice_chars(text, line.chars), Some(&text[line.bytes()]));
        }
        assert_eq!(&text[lines[0].bytes()], "Æøå 😀\r");
        assert_eq!(lines[0].chars, CharSpan::new(0, 6));
        assert_eq!(lines[1].chars, CharSpan::new(7, 17));
        assert_eq!(lines[4].chars, CharSpan::new(30, 30));
        assert_eq!(LocatedSpan::whole(text).chars.end, 30);
        assert_eq!(lines[4].byte_start, text.len());

        let turn = lines[1].up_to(lines[3]).trim_end(text);
        assert_eq!(&text[turn.bytes()], "I: skjønn");
        assert_eq!(turn.chars, CharSpan::new(7, 16));
        let last = lines[3]
            .up_to(LocatedSpan::whole(text).end())
            .trim_end(text);
        assert_eq!(&text[last.bytes()], "R: ja 😀");
        assert_eq!(slice_chars(text, last.chars), Some("R: ja 😀"));

        let byte = text.find("skjønn").unwrap();
        let word = LocatedSpan::of_bytes(text, byte..byte + "skjønn".len()).unwrap();
        assert_eq!(word.chars, find_chars(text, "skjønn").unwrap());
        assert_eq!(LocatedSpan::of_bytes(text, 1..4), None, "inside Æ");
        assert_eq!(LocatedSpan::of_bytes(text, 0..text.len() + 1), None);
        assert_eq!(char_count(text), text.chars().count());
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(1, "selection"), "1 selection");
        assert_eq!(count(0, "coding"), "0 codings");
        assert_eq!(count(3, "group theme"), "3 group themes");
    }

    #[test]
    fn short_quotes_are_cut_at_a_word_with_an_ellipsis() {
        assert_eq!(short_quote("Kort", 18), "Kort");
        assert_eq!(
            short_quote("Har regler at i praksis\r\nblir", 18),
            "Har regler at i…"
        );
        assert_eq!(
            short_quote("Æøåæøåæøåæøåæøåæøåæøå", 18),
            "Æøåæøåæøåæøåæøåæøå…"
        );
        assert_eq!(short_quote("  🙂 smil  og\tlått  ", 18), "🙂 smil og lått");
    }

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
        ]
        .into_iter()
        .map(str::to_owned)
        .chain(generated_spacings())
        {
            let s = s.as_str();
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
            assert_eq!(is_one_spaced(s), expected == s, "{s:?}");
        }
        assert_eq!(one_line("  a \r\n\t b\u{a0} "), "a b");
    }

    #[test]
    fn is_space_at_agrees_with_char_is_whitespace_for_every_char() {
        let mut buffer = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buffer);
            assert_eq!(is_space_at(s, 0), c.is_whitespace(), "{:?}", c);
        }
    }

    /// Texts of letters, spaces and other white space at every alignment to eight bytes (the
    /// width `is_one_spaced` looks at), from a fixed pseudo-random sequence.
    fn generated_spacings() -> Vec<String> {
        let plain: &[&str] = &["a", "bc", " ", "æ", "ø😀"];
        let any: &[&str] = &[
            "a", "bc", " ", "  ", "\n", "\r\n", "\t", "æ", "ø😀", "\u{a0}", "«", "\u{2003}",
            "\u{900}", "\u{3000}", "\u{1}", "–", "’", "»", "\u{2028}", "\u{202f}", "\u{205f}",
            "\u{1680}", "\u{85}",
        ];
        let mut state = 0x2545_f491_u64;
        [plain, any]
            .into_iter()
            .flat_map(|pieces| std::iter::repeat_n(pieces, 3000))
            .map(|pieces| {
                let mut s = String::new();
                for _ in 0..1 + state % 24 {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    s.push_str(pieces[(state >> 33) as usize % pieces.len()]);
                }
                s
            })
            .collect()
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
