//! Where a query's positive parts match in a paragraph: each hit as a byte and code point span.
//!
//! A paragraph is read word by word with the analysis of indexing, so that a span is found
//! exactly where tantivy found the term. Reading every word of every hit paragraph was most of a
//! search's time, so each matcher first names substrings every word it matches must contain
//! (its "needles"); only the words around their occurrences in the lower-cased paragraph are
//! read.

use memchr::memmem;

use super::analysis::{self, Lang, MIN_COMPOUND_STEM, MIN_INFIX_STEM, Stemmers};
use super::query::Matcher;

/// (byte start, byte end, char start, char end) of a hit, relative to the paragraph.
pub type SpanBounds = (usize, usize, usize, usize);

/// The spans of every match of the query's positive parts in `body`, overlapping matches
/// merged, in text order.
pub fn find_spans(
    body: &str,
    lang: Lang,
    matchers: &[Matcher],
    stemmers: &Stemmers,
) -> Vec<SpanBounds> {
    let Some(needles) = needles(lang, matchers) else {
        return scan_all_words(body, lang, matchers, stemmers);
    };
    let Some(lowered) = lower_in_place_widths(body) else {
        return scan_all_words(body, lang, matchers, stemmers);
    };
    // Windows of whole words around every needle, merged, then read as the full scan would.
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for (needle, extra_words) in &needles {
        for at in memmem::find_iter(lowered.as_bytes(), needle.as_bytes()) {
            let start = word_start(body, at);
            let end = words_end(body, at + needle.len(), *extra_words);
            windows.push((start, end));
        }
    }
    if windows.is_empty() {
        return Vec::new();
    }
    let merged = merge_overlapping(windows);
    let mut spans = Vec::new();
    let mut chars_before = 0;
    let mut counted_to = 0;
    for (a, b) in merged {
        chars_before += body[counted_to..a].chars().count();
        counted_to = a;
        for (bs, be, cs, ce) in scan_all_words(&body[a..b], lang, matchers, stemmers) {
            spans.push((a + bs, a + be, chars_before + cs, chars_before + ce));
        }
    }
    // Spans of different windows never overlap (windows are whole words, merged when they
    // touch), so the order is already right.
    spans
}

/// Ranges sorted, and joined where one starts before (or where) the previous ends.
fn merge_overlapping(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (a, b) in ranges {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// Substrings that every word a matcher matches contains, with how many words after the match
/// it may reach (phrases), or `None` when a matcher cannot say (fuzzy, NEAR).
fn needles(lang: Lang, matchers: &[Matcher]) -> Option<Vec<(String, usize)>> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for m in matchers {
        match m {
            // A word matches when it is the query word, begins with a compound stem, stems
            // to the paragraph language's stem (so begins with its head), or ends a compound
            // with that stem: each contains one of these.
            Matcher::Word { word, stems } => {
                out.push((word.clone(), 0));
                for stem in stems {
                    if stem.chars().count() >= MIN_COMPOUND_STEM {
                        out.push((stem.clone(), 0));
                    }
                }
                let head = stem_head(&stems[lang as usize]);
                if head.is_empty() {
                    return None;
                }
                out.push((head.to_string(), 0));
            }
            Matcher::Exact(w) | Matcher::Prefix(w) => out.push((w.clone(), 0)),
            Matcher::Phrase(ws) => out.push((ws.first()?.clone(), ws.len().saturating_sub(1))),
            Matcher::Fuzzy(..) | Matcher::Near(..) => return None,
        }
    }
    if out.iter().any(|(n, _)| n.is_empty()) {
        return None;
    }
    // A needle containing another is redundant: its occurrences are the other's.
    out.sort_by_key(|(n, _)| n.len());
    let mut kept: Vec<(String, usize)> = Vec::new();
    for (n, extra) in out {
        match kept.iter_mut().find(|(k, _)| n.contains(k.as_str())) {
            Some(k) => k.1 = k.1.max(extra),
            None => kept.push((n, extra)),
        }
    }
    Some(kept)
}

/// `body` lower-cased char by char as words are (see [`analysis::for_each_word`]), when every
/// char keeps its UTF-8 width, so byte offsets stay the same; `None` otherwise (e.g. 'İ').
fn lower_in_place_widths(body: &str) -> Option<String> {
    if body.is_ascii() {
        return Some(body.to_ascii_lowercase());
    }
    let mut out = String::with_capacity(body.len());
    for c in body.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        // Æ, Ø, Å and the rest of Latin-1's capitals (not ×) are their small letter minus 32.
        if ('À'..='Þ').contains(&c) && c != '×' {
            out.push(char::from_u32(c as u32 + 32).unwrap_or(c));
            continue;
        }
        if ('ß'..='ÿ').contains(&c) {
            out.push(c);
            continue;
        }
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => return None,
        }
    }
    Some(out)
}

/// The start of the word holding byte `at`.
fn word_start(body: &str, at: usize) -> usize {
    body[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The end of the word holding byte `at` (or ending there), then of `extra` more words.
fn words_end(body: &str, at: usize, extra: usize) -> usize {
    let mut words_left = extra;
    let mut in_word = true;
    for (i, c) in body[at..].char_indices() {
        let letter = c.is_alphanumeric();
        if in_word && !letter {
            if words_left == 0 {
                return at + i;
            }
            words_left -= 1;
            in_word = false;
        } else if !in_word && letter {
            in_word = true;
        }
    }
    body.len()
}

/// [`find_spans`] by reading every word of `body`.
fn scan_all_words(
    body: &str,
    lang: Lang,
    matchers: &[Matcher],
    stemmers: &Stemmers,
) -> Vec<(usize, usize, usize, usize)> {
    let mut words = Vec::new();
    let mut lowers = String::new();
    analysis::for_each_word(body, |w, lower| {
        let from = lowers.len();
        lowers.push_str(lower);
        words.push((*w, from..lowers.len()));
    });
    let lower = |i: usize| &lowers[words[i].1.clone()];
    let mut stem_memo: Vec<Option<String>> = vec![None; words.len()];
    let mut stem_of = |i: usize| -> String {
        stem_memo[i]
            .get_or_insert_with(|| stemmers.stem(lang, &lowers[words[i].1.clone()]))
            .clone()
    };
    let mut found: Vec<(usize, usize)> = Vec::new(); // word index ranges, inclusive
    for m in matchers {
        match m {
            Matcher::Word { word, stems } => {
                let own = &stems[lang as usize];
                let own_head = stem_head(own);
                let compound: Vec<&str> = stems
                    .iter()
                    .map(String::as_str)
                    .filter(|s| s.chars().count() >= MIN_COMPOUND_STEM)
                    .collect();
                let infix: Vec<&str> = compound
                    .iter()
                    .copied()
                    .filter(|s| s.chars().count() >= MIN_INFIX_STEM)
                    .collect();
                for i in 0..words.len() {
                    let l = lower(i);
                    let mut hit = l == word
                        || compound
                            .iter()
                            .any(|c| l.len() > c.len() && l.starts_with(c));
                    if !hit && !own_head.is_empty() && l.starts_with(own_head) {
                        hit = stem_of(i) == *own;
                    }
                    if !hit {
                        hit = infix.iter().any(|c| l.len() > c.len() && l.contains(c));
                    }
                    if hit {
                        found.push((i, i));
                    }
                }
            }
            Matcher::Exact(w) => {
                found.extend((0..words.len()).filter(|&i| lower(i) == w).map(|i| (i, i)))
            }
            Matcher::Prefix(p) => found.extend(
                (0..words.len())
                    .filter(|&i| lower(i).starts_with(p.as_str()))
                    .map(|i| (i, i)),
            ),
            Matcher::Fuzzy(w, d) => found.extend(
                (0..words.len())
                    .filter(|&i| analysis::edit_distance(lower(i), w, usize::from(*d)).is_some())
                    .map(|i| (i, i)),
            ),
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
    merge_overlapping(found)
        .into_iter()
        .map(|(a, b)| {
            let (wa, wb) = (words[a].0, words[b].0);
            (wa.byte_start, wb.byte_end, wa.char_start, wb.char_end)
        })
        .collect()
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

    /// The needle path finds exactly what reading every word finds.
    #[test]
    fn latin1_capitals_lower_as_char_to_lowercase_does() {
        let all: String = ('\u{80}'..='\u{FF}').collect();
        let expected: String = all.chars().flat_map(char::to_lowercase).collect();
        assert_eq!(lower_in_place_widths(&all), Some(expected));
    }

    #[test]
    fn needles_find_what_the_full_scan_finds() {
        let s = Stemmers::default();
        let bodies = [
            "Brukermedvirkning og medvirkning 😀 i kommunene; MEDVIRKNINGEN er viktig.\r\nÆ skjønner skjønnsutøvelse, ikke skjønn.",
            "Økt handlingsrom gir økt   handlingsrom – og økt\nhandlingsrom.",
            "Rettighetsfesting, rettigheter og rettighetsfestingen — gå, ga, gå!",
            "İstanbul: medvirkning",
        ];
        let matchers = [
            vec![word("medvirkning", &s)],
            vec![word("skjønn", &s)],
            vec![Matcher::Exact("skjønn".into())],
            vec![Matcher::Prefix("skjønn".into())],
            vec![Matcher::Phrase(vec!["økt".into(), "handlingsrom".into()])],
            vec![word("rettighetsfesting", &s), word("gå", &s)],
            vec![Matcher::Fuzzy("medvirkning".into(), 1)],
        ];
        for body in bodies {
            for lang in [Lang::Norwegian, Lang::English] {
                for m in &matchers {
                    assert_eq!(
                        find_spans(body, lang, m, &s),
                        scan_all_words(body, lang, m, &s),
                        "{body:?} {m:?}"
                    );
                }
            }
        }
        let spans = find_spans(bodies[0], Lang::Norwegian, &matchers[0], &s);
        let found: Vec<&str> = spans.iter().map(|&(a, b, _, _)| &bodies[0][a..b]).collect();
        assert_eq!(found, ["Brukermedvirkning", "medvirkning", "MEDVIRKNINGEN"]);
    }
}
