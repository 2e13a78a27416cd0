//! Where a query's positive parts match in a paragraph: each hit as a byte and code point span.
//!
//! A paragraph is read word by word with the analysis of indexing, so that a span is found
//! exactly where tantivy found the term. Reading every word of every hit paragraph would take
//! most of a search's time, so each matcher first names substrings every word it matches must
//! contain (its "needles"); only the words around their occurrences in the lower-cased
//! paragraph are read.

use memchr::memmem;

use super::language::{self, Lang, MIN_COMPOUND_STEM, MIN_INFIX_STEM, Stemmers};
use super::query::Matcher;
use super::words;
use crate::model::CharSpan;
use crate::text::LocatedSpan;

/// The spans of every match of the query's positive parts in `body`, overlapping matches
/// merged, in text order.
#[cfg(test)]
pub fn find_spans(
    body: &str,
    lang: Lang,
    matchers: &[Matcher],
    stemmers: &Stemmers,
) -> Vec<LocatedSpan> {
    SpanFinder::new(matchers)
        .find(body, None, lang, stemmers)
        .to_vec()
}

/// Finds the spans of one query's matches in paragraph after paragraph: the needles' searchers
/// are built once per query, and the lower-cased paragraph goes into one reused buffer.
pub struct SpanFinder<'m> {
    matchers: &'m [Matcher],
    /// Per [`Lang`]: the needles (see [`needles`]), or `None` to read every word.
    needles: [Option<Vec<Needle>>; 2],
    lowered: Vec<u8>,
    windows: Vec<(usize, usize)>,
    scan: WordScan,
    spans: Vec<LocatedSpan>,
}

struct Needle {
    finder: memmem::Finder<'static>,
    /// Words after the one holding the needle that a match may reach (phrases).
    extra_words: usize,
}

impl<'m> SpanFinder<'m> {
    pub fn new(matchers: &'m [Matcher]) -> SpanFinder<'m> {
        let needles_in = |lang| {
            needles(lang, matchers).map(|found| {
                (found.into_iter())
                    .map(|(needle, extra_words)| Needle {
                        finder: memmem::Finder::new(needle.as_bytes()).into_owned(),
                        extra_words,
                    })
                    .collect()
            })
        };
        SpanFinder {
            matchers,
            needles: [needles_in(Lang::Norwegian), needles_in(Lang::English)],
            lowered: Vec::new(),
            windows: Vec::new(),
            scan: WordScan::default(),
            spans: Vec::new(),
        }
    }

    /// The spans of every match in `body` (a paragraph in `lang`), overlapping matches merged,
    /// in text order. `lowered` is `body` lower-cased by [`lower_same_widths`], when the
    /// caller has it. The list is the finder's, reused from paragraph to paragraph.
    pub fn find(
        &mut self,
        body: &str,
        lowered: Option<&str>,
        lang: Lang,
        stemmers: &Stemmers,
    ) -> &[LocatedSpan] {
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        self.find_into(body, lowered, lang, stemmers, &mut spans);
        self.spans = spans;
        &self.spans
    }

    fn find_into(
        &mut self,
        body: &str,
        lowered: Option<&str>,
        lang: Lang,
        stemmers: &Stemmers,
        spans: &mut Vec<LocatedSpan>,
    ) {
        let matchers = self.matchers;
        let lowered = match lowered {
            Some(given) if given.len() == body.len() => Some(given),
            _ => lower_same_widths(body, &mut self.lowered)
                .then(|| std::str::from_utf8(&self.lowered).ok())
                .flatten(),
        };
        let (Some(needles), Some(lowered)) = (&self.needles[lang as usize], lowered) else {
            let text = Text { body, lowered };
            (self.scan).scan(text, (0, 0), lang, matchers, stemmers, spans);
            return;
        };
        // Only the whole words around every needle are read, as the full scan would read them.
        self.windows.clear();
        for needle in needles {
            let len = needle.finder.needle().len();
            for at in needle.finder.find_iter(lowered.as_bytes()) {
                let end = words_end(body, at + len, needle.extra_words);
                self.windows.push((word_start(body, at), end));
            }
        }
        merge_overlapping(&mut self.windows);
        let (mut chars_before, mut counted_to) = (0, 0);
        for &(a, b) in &self.windows {
            // Windows are whole words, so they start and end between chars.
            let (Some(before), Some(lower)) = (lowered.get(counted_to..a), lowered.get(a..b))
            else {
                continue;
            };
            chars_before += bytecount::num_chars(before.as_bytes());
            counted_to = a;
            let text = Text {
                body: &body[a..b],
                lowered: Some(lower),
            };
            (self.scan).scan(text, (a, chars_before), lang, matchers, stemmers, spans);
        }
    }
}

/// Ranges sorted, and joined where one starts before (or where) the previous ends.
fn merge_overlapping(ranges: &mut Vec<(usize, usize)>) {
    ranges.sort_unstable();
    let mut kept = 0;
    for i in 0..ranges.len() {
        let (a, b) = ranges[i];
        if kept > 0 && a <= ranges[kept - 1].1 {
            ranges[kept - 1].1 = ranges[kept - 1].1.max(b);
        } else {
            ranges[kept] = (a, b);
            kept += 1;
        }
    }
    ranges.truncate(kept);
}

/// Substrings that every word a matcher matches contains, with how many words after the match
/// it may reach (phrases), or `None` when a matcher cannot say (fuzzy, NEAR).
fn needles(lang: Lang, matchers: &[Matcher]) -> Option<Vec<(&str, usize)>> {
    let mut out: Vec<(&str, usize)> = Vec::new();
    for m in matchers {
        match m {
            // A word matches when it is the query word, begins with a compound stem, stems
            // to the paragraph language's stem (so begins with its head), or ends a compound
            // with that stem: each contains one of these.
            Matcher::Word { word, stems } => {
                out.push((word, 0));
                for stem in stems {
                    if stem.chars().count() >= MIN_COMPOUND_STEM {
                        out.push((stem, 0));
                    }
                }
                let head = stem_head(&stems[lang as usize]);
                if head.is_empty() {
                    return None;
                }
                out.push((head, 0));
            }
            Matcher::Exact(w) | Matcher::Prefix(w) => out.push((w, 0)),
            Matcher::Phrase(ws) => out.push((ws.first()?, ws.len().saturating_sub(1))),
            Matcher::Fuzzy(..) | Matcher::Near(..) => return None,
        }
    }
    if out.iter().any(|(n, _)| n.is_empty()) {
        return None;
    }
    // A needle containing another is redundant: its occurrences are the other's.
    out.sort_by_key(|(n, _)| n.len());
    let mut kept: Vec<(&str, usize)> = Vec::new();
    for (n, extra) in out {
        match kept.iter_mut().find(|(k, _)| n.contains(*k)) {
            Some(k) => k.1 = k.1.max(extra),
            None => kept.push((n, extra)),
        }
    }
    Some(kept)
}

/// `body` lower-cased char by char as words are (see [`language::for_each_word`]) into `out`,
/// when every char keeps its UTF-8 width, so byte offsets stay the same; false otherwise
/// (e.g. 'İ'). Byte by byte: lowering a paragraph char by char into a new string was half of
/// finding a rare word's spans.
pub fn lower_same_widths(body: &str, out: &mut Vec<u8>) -> bool {
    out.clear();
    out.extend_from_slice(body.as_bytes());
    // ASCII capitals in one branch-free pass; UTF-8's other bytes are all ≥ 0x80.
    for b in out.iter_mut() {
        *b |= u8::from(b.wrapping_sub(b'A') < 26) << 5;
    }
    if body.is_ascii() {
        return true;
    }
    let mut from = 0;
    while let Some(at) = next_non_ascii(out, from) {
        let Some(c) = body[at..].chars().next() else {
            return false;
        };
        from = at + c.len_utf8();
        // Æ, Ø, Å and the rest of Latin-1 lower within their two bytes.
        if let Some(l) = words::latin1_lowercase(c) {
            l.encode_utf8(&mut out[at..from]);
            continue;
        }
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => {
                l.encode_utf8(&mut out[at..from]);
            }
            _ => return false,
        }
    }
    true
}

/// The first byte at or after `from` that is not ASCII, eight bytes at a time.
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if word & HIGH_BITS != 0 {
            return Some(at + ((word & HIGH_BITS).trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes[at..].iter().position(|&b| b >= 0x80).map(|i| at + i)
}

/// The start of the word holding byte `at`.
fn word_start(body: &str, at: usize) -> usize {
    let mut start = at;
    for (i, c) in body[..at].char_indices().rev() {
        if !words::is_alphanumeric(c) {
            break;
        }
        start = i;
    }
    start
}

/// Where the run of chars from `at` on that are letters or digits (`letters`), or that are
/// not, ends; `at` itself when the char there is not of the run.
fn run_end(body: &str, at: usize, letters: bool) -> usize {
    (body[at..].char_indices())
        .find(|&(_, c)| words::is_alphanumeric(c) != letters)
        .map_or(body.len(), |(i, _)| at + i)
}

/// The end of the word holding byte `at` (or ending there), then of `extra` more words.
fn words_end(body: &str, at: usize, extra: usize) -> usize {
    let mut end = run_end(body, at, true);
    for _ in 0..extra {
        end = run_end(body, run_end(body, end, false), true);
    }
    end
}

/// [`find_spans`] by reading every word of `body`.
#[cfg(test)]
fn scan_all_words(
    body: &str,
    lang: Lang,
    matchers: &[Matcher],
    stemmers: &Stemmers,
) -> Vec<LocatedSpan> {
    let mut spans = Vec::new();
    let text = Text {
        body,
        lowered: None,
    };
    WordScan::default().scan(text, (0, 0), lang, matchers, stemmers, &mut spans);
    spans
}

/// A text to read word by word, with its lower-cased copy when the caller has one (see
/// [`lower_same_widths`]).
#[derive(Clone, Copy)]
struct Text<'t> {
    body: &'t str,
    lowered: Option<&'t str>,
}

/// Reads every word of a text for the matchers, with buffers reused from text to text.
#[derive(Default)]
struct WordScan {
    /// Each word, and where its lower-cased form is in `lowers` (or in the text's lower-cased
    /// copy, when it has one).
    words: Vec<(language::Word, std::ops::Range<usize>)>,
    lowers: String,
    /// Each word's stem, once asked for.
    stem_memo: Vec<Option<String>>,
    /// Matches as word index ranges, inclusive.
    found: Vec<(usize, usize)>,
    word_buffer: String,
}

impl WordScan {
    /// Appends to `spans` the matches in `text`, which starts at `offset` (bytes, chars) of
    /// the paragraph.
    fn scan(
        &mut self,
        text: Text<'_>,
        offset: (usize, usize),
        lang: Lang,
        matchers: &[Matcher],
        stemmers: &Stemmers,
        spans: &mut Vec<LocatedSpan>,
    ) {
        let WordScan {
            words,
            lowers,
            stem_memo,
            found,
            word_buffer,
        } = self;
        words.clear();
        lowers.clear();
        found.clear();
        // The lower-cased words: read where the text's lower-cased copy has them (rather than
        // lowering each word char by char again), or lowered here.
        let lowers: &str = match text.lowered {
            Some(lowered) if lowered.len() == text.body.len() => {
                language::for_each_word_bounds(text.body, |w| {
                    words.push((w, w.byte_start..w.byte_end))
                });
                lowered
            }
            _ => {
                language::for_each_word_with(text.body, word_buffer, |w, lower| {
                    let from = lowers.len();
                    lowers.push_str(lower);
                    words.push((*w, from..lowers.len()));
                });
                lowers
            }
        };
        stem_memo.clear();
        stem_memo.resize(words.len(), None);
        let lower = |i: usize| &lowers[words[i].1.clone()];
        let mut stem_is = |i: usize, stem: &str| -> bool {
            stem_memo[i]
                .get_or_insert_with(|| stemmers.stem(lang, &lowers[words[i].1.clone()]))
                .as_str()
                == stem
        };
        for m in matchers {
            match m {
                Matcher::Word { .. }
                | Matcher::Exact(_)
                | Matcher::Prefix(_)
                | Matcher::Fuzzy(..) => {
                    for i in 0..words.len() {
                        if one_word_match(m, lower(i), lang, &mut |stem| stem_is(i, stem)) {
                            found.push((i, i));
                        }
                    }
                }
                Matcher::Phrase(ws) => {
                    if ws.len() <= words.len() {
                        for i in 0..=words.len() - ws.len() {
                            if ws.iter().enumerate().all(|(k, w)| lower(i + k) == w) {
                                found.push((i, i + ws.len() - 1));
                            }
                        }
                    }
                }
                Matcher::Near(a, b, n) => {
                    let max_gap = *n as usize + 1;
                    for i in (0..words.len()).filter(|&i| lower(i) == a) {
                        let lo = i.saturating_sub(max_gap);
                        let hi = (i + max_gap).min(words.len() - 1);
                        let nearest = (lo..=hi)
                            .filter(|&j| j != i && lower(j) == b)
                            .min_by_key(|&j| j.abs_diff(i));
                        if let Some(j) = nearest {
                            found.push((i.min(j), i.max(j)));
                        }
                    }
                }
            }
        }
        merge_overlapping(found);
        let (bytes, chars) = offset;
        spans.extend(found.iter().map(|&(a, b)| {
            let (wa, wb) = (words[a].0, words[b].0);
            LocatedSpan {
                byte_start: wa.byte_start,
                byte_end: wb.byte_end,
                chars: CharSpan::new(wa.char_start, wb.char_end),
            }
            .shifted(bytes, chars)
        }));
    }
}

/// Whether `lower`, a lower-cased word, matches a one-word matcher (false for phrases and
/// NEAR). `stem_is(s)` says whether the word's stem, in the paragraph's language, is `s`
/// (asked only when it may matter: stemming is the costly part).
fn one_word_match(
    m: &Matcher,
    lower: &str,
    lang: Lang,
    stem_is: &mut dyn FnMut(&str) -> bool,
) -> bool {
    match m {
        // The word itself, a compound beginning with a stem of 4+ letters, a word with the
        // same stem, or a compound holding a stem of 5+ letters anywhere.
        Matcher::Word { word, stems } => {
            let longer_with =
                |c: &&String, letters: usize| lower.len() > c.len() && c.chars().count() >= letters;
            if lower == word
                || stems
                    .iter()
                    .any(|c| longer_with(&c, MIN_COMPOUND_STEM) && lower.starts_with(c.as_str()))
            {
                return true;
            }
            let own = &stems[lang as usize];
            let own_head = stem_head(own);
            if !own_head.is_empty() && lower.starts_with(own_head) && stem_is(own) {
                return true;
            }
            stems
                .iter()
                .any(|c| longer_with(&c, MIN_INFIX_STEM) && lower.contains(c.as_str()))
        }
        Matcher::Exact(w) => lower == w,
        Matcher::Prefix(p) => lower.starts_with(p.as_str()),
        Matcher::Fuzzy(w, d) => language::edit_distance(lower, w, usize::from(*d)).is_some(),
        Matcher::Phrase(_) | Matcher::Near(..) => false,
    }
}

/// What a word must begin with to stem to `stem`: Snowball stems keep the word's beginning
/// (English may change the stem's last letter, y → i), so all of `stem` but its last letter.
fn stem_head(stem: &str) -> &str {
    match stem.char_indices().last() {
        Some((last, _)) if last > 0 => &stem[..last],
        _ => stem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str, s: &Stemmers) -> Matcher {
        Matcher::Word {
            word: w.into(),
            stems: [s.stem(Lang::Norwegian, w), s.stem(Lang::English, w)],
        }
    }

    #[test]
    fn latin1_capitals_lower_as_char_to_lowercase_does() {
        let mut out = Vec::new();
        for all in [
            ('\u{80}'..='\u{FF}').collect::<String>(),
            "ÆØÅ æøå ABC xyz – Ωμέγα 😀 \r\n".to_string(),
        ] {
            let expected: String = all.chars().flat_map(char::to_lowercase).collect();
            assert!(lower_same_widths(&all, &mut out));
            assert_eq!(String::from_utf8(out.clone()).unwrap(), expected);
        }
        assert!(!lower_same_widths("İstanbul", &mut out));
    }

    /// The needle path finds exactly what reading every word finds.
    #[test]
    fn needles_find_what_the_full_scan_finds() {
        let s = Stemmers::default();
        let bodies = [
            "medvirkning",
            "x-medvirkning-y ømedvirkning medvirkningø 1medvirkning2",
            "Brukermedvirkning og medvirkning 😀 i kommunene; MEDVIRKNINGEN er viktig.\r\nÆ skjønner skjønnsutøvelse, ikke skjønn.",
            "Økt handlingsrom gir økt   handlingsrom – og økt\nhandlingsrom.",
            "Rettighetsfesting, rettigheter og rettighetsfestingen — gå, ga, gå!",
            "İstanbul: medvirkning",
            "Ωμέγα økt ΣΊΣΥΦΟΣ×handlingsrom; økt×handlingsrom 😀økt handlingsrom😀",
        ];
        let matchers = [
            vec![word("medvirkning", &s)],
            vec![word("skjønn", &s)],
            vec![Matcher::Exact("skjønn".into())],
            vec![Matcher::Prefix("skjønn".into())],
            vec![Matcher::Phrase(vec!["økt".into(), "handlingsrom".into()])],
            vec![word("rettighetsfesting", &s), word("gå", &s)],
            vec![Matcher::Fuzzy("medvirkning".into(), 1)],
            vec![Matcher::Near("økt".into(), "handlingsrom".into(), 1)],
        ];
        for body in bodies {
            for lang in [Lang::Norwegian, Lang::English] {
                for m in &matchers {
                    let expected = scan_all_words(body, lang, m, &s);
                    assert_eq!(find_spans(body, lang, m, &s), expected, "{body:?} {m:?}");
                    let mut lowered = Vec::new();
                    if lower_same_widths(body, &mut lowered) {
                        let lowered = std::str::from_utf8(&lowered).expect("lowered is UTF-8");
                        let given = SpanFinder::new(m)
                            .find(body, Some(lowered), lang, &s)
                            .to_vec();
                        assert_eq!(given, expected, "{body:?} {m:?}");
                    }
                }
            }
        }
        let spans = find_spans(bodies[2], Lang::Norwegian, &matchers[0], &s);
        let found: Vec<&str> = spans.iter().map(|s| &bodies[2][s.bytes()]).collect();
        assert_eq!(found, ["Brukermedvirkning", "medvirkning", "MEDVIRKNINGEN"]);
    }
}
