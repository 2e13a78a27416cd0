//! Text analysis shared by indexing, querying and hit mapping, so that all three agree on what a
//! word is: words are runs of letters and digits (`char::is_alphanumeric`, so æ, ø and å are
//! letters of their own and never folded to a, o, a), lower-cased; stems come from the Snowball
//! stemmers tantivy uses (Norwegian Bokmål or English, chosen per paragraph).

use frostem::{Algorithm, Stemmer};

use super::words;

/// The language a paragraph is stemmed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Norwegian = 0,
    English = 1,
}

impl Lang {
    pub fn from_u64(v: u64) -> Lang {
        if v == 1 {
            Lang::English
        } else {
            Lang::Norwegian
        }
    }
}

/// Shortest stem that is looked for inside compounds: shorter words ("gå", "rett") would match
/// far too many unrelated compounds.
pub const MIN_COMPOUND_STEM: usize = 4;
/// Stems this long are also looked for in the middle or at the end of compounds
/// (*brukermedvirkning*, *lovskjønnsvurdering*); shorter ones only at the start, where a
/// 4-letter part ("makt", "land") inside a word is too often not that word at all.
pub const MIN_INFIX_STEM: usize = MIN_COMPOUND_STEM + 1;

/// One word of a text: its byte and code point ranges and its position (word number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub byte_start: usize,
    pub byte_end: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub position: usize,
}

/// Calls `f` with every word of `text` and its lower-cased form (one pass, no allocation per
/// word beyond the reused buffer).
pub fn for_each_word(text: &str, f: impl FnMut(&Word, &str)) {
    for_each_word_with(text, &mut String::new(), f);
}

/// [`for_each_word`] lower-casing into `lower`, a buffer the caller keeps from text to text
/// (hit mapping reads thousands of short texts per search).
pub fn for_each_word_with(text: &str, lower: &mut String, mut f: impl FnMut(&Word, &str)) {
    for_each_word_bounds(text, |w| {
        lower.clear();
        (text[w.byte_start..w.byte_end].chars()).for_each(|c| words::push_lowercase(c, lower));
        f(&w, lower);
    });
}

/// The words of `text` (runs of letters and digits, as tantivy's `SimpleTokenizer` cuts them),
/// not lower-cased: where a lower-cased copy of the text keeps every char's width, their
/// lower-cased forms are at the same bytes of it (see `spans`). Decodes only non-ASCII chars.
pub fn for_each_word_bounds(text: &str, mut f: impl FnMut(Word)) {
    let bytes = text.as_bytes();
    let (mut at, mut chars, mut position) = (0, 0, 0);
    let mut start: Option<(usize, usize)> = None;
    while at < bytes.len() {
        let (letter, width) = if bytes[at] < 0x80 {
            (bytes[at].is_ascii_alphanumeric(), 1)
        } else {
            match text[at..].chars().next() {
                Some(c) => (words::is_alphanumeric(c), c.len_utf8()),
                None => break,
            }
        };
        if letter {
            start.get_or_insert((at, chars));
        } else if let Some((byte_start, char_start)) = start.take() {
            f(Word {
                byte_start,
                byte_end: at,
                char_start,
                char_end: chars,
                position,
            });
            position += 1;
        }
        at += width;
        chars += 1;
    }
    if let Some((byte_start, char_start)) = start {
        f(Word {
            byte_start,
            byte_end: text.len(),
            char_start,
            char_end: chars,
            position,
        });
    }
}

/// The lower-cased words of a query fragment.
pub fn words_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |_, lower| out.push(lower.to_string()));
    out
}

/// Common Norwegian function words (a `match`, compiled to a few byte comparisons: this runs on
/// every word of every paragraph indexed). Word lists are kept unformatted, a few to a line.
#[rustfmt::skip]
fn is_norwegian_marker(w: &str) -> bool {
    matches!(
        w,
        "og" | "i" | "det" | "som" | "er" | "på" | "en" | "til" | "av" | "for" | "at" | "med"
        | "vi" | "ikke" | "har" | "de" | "den" | "å" | "seg" | "om" | "kan" | "jeg" | "et"
        | "så" | "men" | "fra" | "må" | "skal" | "vil" | "være" | "blir" | "også" | "eller"
        | "hvor" | "der" | "når" | "mer"
    )
}

#[rustfmt::skip]
fn is_english_marker(w: &str) -> bool {
    matches!(
        w,
        "the" | "and" | "of" | "to" | "in" | "is" | "that" | "it" | "for" | "as" | "with"
        | "are" | "be" | "this" | "on" | "not" | "we" | "they" | "by" | "have" | "which" | "or"
        | "from" | "was" | "has" | "their" | "can" | "more" | "than" | "what"
    )
}

/// Guesses whether a paragraph is English or Norwegian by counting common function words
/// (a tie, or no evidence, is Norwegian: the corpus language).
pub fn guess_language(text: &str) -> Lang {
    let (mut nb, mut en) = (0usize, 0usize);
    let mut lower = String::new();
    for_each_word_bounds(text, |w| {
        // No marker is longer than six bytes: longer words are not lower-cased.
        if w.byte_end - w.byte_start > 6 {
            return;
        }
        lower.clear();
        (text[w.byte_start..w.byte_end].chars()).for_each(|c| words::push_lowercase(c, &mut lower));
        // "for" is both: it counts for Norwegian.
        if is_norwegian_marker(&lower) {
            nb += 1;
        } else if is_english_marker(&lower) {
            en += 1;
        }
    });
    if en > nb {
        Lang::English
    } else {
        Lang::Norwegian
    }
}

/// The two stemmers.
#[derive(Clone, Copy)]
pub struct Stemmers {
    norwegian: Stemmer,
    english: Stemmer,
}

impl Default for Stemmers {
    fn default() -> Self {
        Stemmers {
            norwegian: Stemmer::new(Algorithm::Norwegian),
            english: Stemmer::new(Algorithm::English),
        }
    }
}

impl Stemmers {
    pub fn stem(&self, lang: Lang, word: &str) -> String {
        match lang {
            Lang::Norwegian => self.norwegian.stem(word).into_owned(),
            Lang::English => self.english.stem(word).into_owned(),
        }
    }
}

/// Optimal-string-alignment distance (a transposition costs 1, as in tantivy's fuzzy query),
/// or `None` when it exceeds `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}
