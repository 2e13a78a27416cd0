//! How a tool counted the positions of a source's selections, decided per source.
//!
//! The standard counts Unicode code points with `\r\n` as two. NVivo counts UTF-16 code units
//! (a character outside the Basic Multilingual Plane, such as an emoji, counts two); ATLAS.ti
//! counts `\r\n` as one. Each possible reading is scored on the source's own selections: a
//! reading under which a position passes the end of the text, or falls inside a character, is
//! wrong; among the rest, the one that puts more selection boundaries on word edges wins. The
//! `origin` attribute of the project only breaks ties (libraries that rewrite a file keep it).
//! A text without `\r\n` and without characters outside the BMP reads the same every way.

/// What a position counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    /// Unicode code points, as the standard says.
    CodePoints,
    /// UTF-16 code units, as NVivo counts.
    Utf16,
}

/// How a source's positions count `\r\n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineBreakCount {
    /// Two, as the standard says (and as the text is stored).
    Two,
    /// One, as ATLAS.ti counts it.
    One,
}

/// One way of reading positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PositionReading {
    pub units: Units,
    pub line_breaks: LineBreakCount,
}

impl PositionReading {
    /// Code points, `\r\n` as two.
    pub const STANDARD: PositionReading = PositionReading {
        units: Units::CodePoints,
        line_breaks: LineBreakCount::Two,
    };
    /// UTF-16 units, `\r\n` as two.
    pub const NVIVO: PositionReading = PositionReading {
        units: Units::Utf16,
        line_breaks: LineBreakCount::Two,
    };
    /// Code points, `\r\n` as one.
    pub const CRLF_AS_ONE: PositionReading = PositionReading {
        units: Units::CodePoints,
        line_breaks: LineBreakCount::One,
    };

    /// For the import report: "UTF-16 units, a line break \r\n as two".
    pub fn describe(self) -> String {
        let units = match self.units {
            Units::CodePoints => "code points",
            Units::Utf16 => "UTF-16 units",
        };
        let breaks = match self.line_breaks {
            LineBreakCount::Two => "two",
            LineBreakCount::One => "one",
        };
        format!("{units}, a line break \\r\\n as {breaks}")
    }

    /// The reading the tool named in `origin` is known to write, if any.
    pub fn hinted_by(origin: &str) -> Option<PositionReading> {
        let origin = origin.to_lowercase();
        if origin.contains("nvivo") {
            Some(Self::NVIVO)
        } else if origin.contains("atlas") {
            Some(Self::CRLF_AS_ONE)
        } else {
            None
        }
    }
}

/// Positions of one reading mapped to code points of the text with `\r\n` made `\n`.
pub struct PositionMap {
    pub reading: PositionReading,
    /// Index: a position as the tool counted it; `None` inside a character (a UTF-16 surrogate
    /// pair). One entry past the last character, for the end of the text.
    map: Vec<Option<usize>>,
}

impl PositionMap {
    /// `raw` is the source text as stored in the file, byte-order mark removed.
    pub fn new(raw: &str, reading: PositionReading) -> PositionMap {
        let mut map = Vec::with_capacity(raw.len() + 1);
        let mut model = 0;
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\r' && chars.peek() == Some(&'\n') {
                // The `\r` of a `\r\n` is dropped from the text: it counts (or not) but
                // takes no place of its own.
                if reading.line_breaks == LineBreakCount::Two {
                    map.push(Some(model));
                }
                continue;
            }
            map.push(Some(model));
            if reading.units == Units::Utf16 && c.len_utf16() == 2 {
                map.push(None);
            }
            model += 1;
        }
        map.push(Some(model));
        PositionMap { reading, map }
    }

    /// The position in the text (code points, `\n` line breaks); `None` when `position`
    /// passes the end or falls inside a character.
    pub fn to_text(&self, position: usize) -> Option<usize> {
        self.map.get(position).copied().flatten()
    }
}

/// The reading chosen for one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingChoice {
    pub reading: PositionReading,
    /// False when every reading gives the same positions (no `\r\n`, nothing outside the BMP).
    pub decided: bool,
    /// Positions (starts and ends) that land elsewhere than under the standard reading.
    pub moved: usize,
    /// Whether the text has `\r\n`, so that how it was counted matters.
    pub has_crlf: bool,
    /// All positions of the source's selections.
    pub positions: usize,
}

impl ReadingChoice {
    /// For the import report: "UTF-16 units" or "code points, a line break \r\n as one".
    pub fn describe(&self) -> String {
        if self.has_crlf {
            self.reading.describe()
        } else {
            match self.reading.units {
                Units::CodePoints => "code points".to_string(),
                Units::Utf16 => "UTF-16 units".to_string(),
            }
        }
    }
}

/// How well a reading fits the positions: fewer impossible positions first, then more
/// boundaries on word edges, then more selections that neither start nor end with a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Fit {
    impossible: std::cmp::Reverse<usize>,
    word_edges: usize,
    trimmed: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Decides how the positions `spans` of a source with the text `raw` were counted.
pub fn choose_reading(
    raw: &str,
    spans: &[(usize, usize)],
    hint: Option<PositionReading>,
) -> (ReadingChoice, PositionMap) {
    let has_crlf = raw.contains("\r\n");
    let beyond_bmp = raw.chars().any(|c| c.len_utf16() == 2);
    let positions = spans.len() * 2;
    let standard = PositionMap::new(raw, PositionReading::STANDARD);
    if !has_crlf && !beyond_bmp {
        let choice = ReadingChoice {
            reading: PositionReading::STANDARD,
            decided: false,
            moved: 0,
            has_crlf,
            positions,
        };
        return (choice, standard);
    }
    let text: Vec<char> = raw.replace("\r\n", "\n").chars().collect();
    let on_word_edge = |p: usize| {
        p == 0 || p >= text.len() || !(is_word_char(text[p - 1]) && is_word_char(text[p]))
    };
    let fit = |map: &PositionMap| {
        let mut impossible = 0;
        let mut word_edges = 0;
        let mut trimmed = 0;
        for &(start, end) in spans {
            let (Some(s), Some(e)) = (map.to_text(start), map.to_text(end)) else {
                impossible += usize::from(map.to_text(start).is_none())
                    + usize::from(map.to_text(end).is_none());
                continue;
            };
            word_edges += usize::from(on_word_edge(s)) + usize::from(on_word_edge(e));
            let inside = |i: usize| text.get(i).is_some_and(|c| !c.is_whitespace());
            trimmed += usize::from(s < e && inside(s)) + usize::from(s < e && inside(e - 1));
        }
        Fit {
            impossible: std::cmp::Reverse(impossible),
            word_edges,
            trimmed,
        }
    };

    // Candidates in order of preference when they fit equally well: the hinted one, then the
    // standard, then the others.
    let mut candidates = vec![PositionReading::STANDARD];
    if beyond_bmp {
        candidates.push(PositionReading::NVIVO);
    }
    if has_crlf {
        candidates.push(PositionReading::CRLF_AS_ONE);
    }
    if beyond_bmp && has_crlf {
        candidates.push(PositionReading {
            units: Units::Utf16,
            line_breaks: LineBreakCount::One,
        });
    }
    if let Some(hint) = hint
        && let Some(i) = candidates.iter().position(|c| *c == hint)
    {
        let hinted = candidates.remove(i);
        candidates.insert(0, hinted);
    }

    let mut best: Option<(Fit, PositionMap)> = None;
    for reading in candidates {
        let map = PositionMap::new(raw, reading);
        let score = fit(&map);
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, map));
        }
    }
    let (_, map) = best.expect("the standard reading is always a candidate");
    let moved = spans
        .iter()
        .flat_map(|&(s, e)| [s, e])
        .filter(|&p| map.to_text(p) != standard.to_text(p))
        .count();
    let choice = ReadingChoice {
        reading: map.reading,
        decided: true,
        moved,
        has_crlf,
        positions,
    };
    (choice, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(raw: &str, map: &PositionMap, (s, e): (usize, usize)) -> String {
        let text: Vec<char> = raw.replace("\r\n", "\n").chars().collect();
        text[map.to_text(s).unwrap()..map.to_text(e).unwrap()]
            .iter()
            .collect()
    }

    #[test]
    fn nothing_to_decide_without_crlf_or_astral_characters() {
        let (choice, map) = choose_reading("Blåbær og æøå.", &[(0, 6)], None);
        assert!(!choice.decided);
        assert_eq!(choice.reading, PositionReading::STANDARD);
        assert_eq!(map.to_text(14), Some(14));
        assert_eq!(map.to_text(15), None);
    }

    #[test]
    fn utf16_units_after_an_emoji() {
        let raw = "Bra 😀 dag. Vi må få gå på skjønn.";
        // "skjønn" is at code points 26..32, UTF-16 units 27..33; "dag" at 6..9 and 7..10.
        let spans = [(27, 33), (7, 10)];
        let (choice, map) = choose_reading(raw, &spans, None);
        assert_eq!(choice.reading, PositionReading::NVIVO);
        assert_eq!(quote(raw, &map, spans[0]), "skjønn");
        assert_eq!(quote(raw, &map, spans[1]), "dag");
        assert_eq!(choice.moved, 4);
        // A position inside the emoji's surrogate pair is impossible.
        assert_eq!(map.to_text(4), Some(4));
        assert_eq!(map.to_text(5), None);
        assert_eq!(map.to_text(6), Some(5));
    }

    #[test]
    fn the_last_utf16_unit_ends_a_selection() {
        let raw = "Glad 😀 slutt";
        // Code points: 12, UTF-16 units: 13; "slutt" at units 8..13.
        let (choice, map) = choose_reading(raw, &[(8, 13)], Some(PositionReading::STANDARD));
        assert_eq!(choice.reading, PositionReading::NVIVO);
        assert_eq!(quote(raw, &map, (8, 13)), "slutt");
    }

    #[test]
    fn crlf_counted_once_or_twice() {
        let raw = "abc\r\ndef ghi";
        // "def" is at 5..8 counting two, 4..7 counting one.
        let (two, _) = choose_reading(raw, &[(5, 8)], None);
        assert_eq!(two.reading, PositionReading::STANDARD);
        assert_eq!(two.moved, 0);
        let (one, map) = choose_reading(raw, &[(4, 7)], None);
        assert_eq!(one.reading, PositionReading::CRLF_AS_ONE);
        assert_eq!(quote(raw, &map, (4, 7)), "def");
    }

    #[test]
    fn origin_breaks_ties_only() {
        let raw = "a 😀 b\r\nc";
        // Before the emoji every reading agrees: the hint decides.
        let (hinted, _) = choose_reading(raw, &[(0, 1)], PositionReading::hinted_by("NVivo 14"));
        assert_eq!(hinted.reading, PositionReading::NVIVO);
        assert_eq!(hinted.moved, 0);
        // Code points that fit on word edges beat a hint of UTF-16: "b" at 4..5.
        let (plain, map) =
            choose_reading(raw, &[(4, 5), (7, 8)], PositionReading::hinted_by("NVivo"));
        assert_eq!(plain.reading, PositionReading::STANDARD);
        assert_eq!(quote(raw, &map, (7, 8)), "c");
    }
}
