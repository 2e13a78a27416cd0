//! How a tool counted the positions of a source's selections, decided per source.
//!
//! The standard counts Unicode code points with `\r\n` as two. NVivo counts UTF-16 code units
//! (a character outside the Basic Multilingual Plane, such as an emoji, counts two); ATLAS.ti
//! counts `\r\n` as one. Each possible reading is scored on the source's own selections: a
//! reading under which a position passes the end of the text, or falls inside a character, is
//! wrong; among the rest, the one that puts more selection boundaries on word edges wins. Ties
//! go to the reading that won clearly in most other sources of the project (one tool wrote them
//! all), then to the one the project's `origin` names (only a hint: libraries that rewrite a
//! file keep it), then to the standard.
//! A text without `\r\n` and without characters outside the BMP reads the same every way.

/// How many more good signs (boundaries on word edges, selections that neither start nor end
/// on a space) a reading needs to overrule the reading the project or its origin favours.
const CLEAR_MARGIN: usize = 2;

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
        } else if origin.contains("sitat") {
            Some(Self::STANDARD)
        } else {
            None
        }
    }

    /// Whether `origin` names Sitat itself, whose readings are known exactly: its hint comes
    /// before the other sources' evidence (which a few selections cutting through words could
    /// tip), though a clearly better fit still overrules it.
    pub fn written_by_sitat(origin: &str) -> bool {
        origin.to_lowercase().contains("sitat")
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

/// The readings worth trying for `raw`, the standard first; only the standard when there is
/// nothing to decide.
fn candidates(raw: &str) -> Vec<PositionReading> {
    let has_crlf = raw.contains("\r\n");
    let beyond_bmp = raw.chars().any(|c| c.len_utf16() == 2);
    let mut out = vec![PositionReading::STANDARD];
    if beyond_bmp {
        out.push(PositionReading::NVIVO);
    }
    if has_crlf {
        out.push(PositionReading::CRLF_AS_ONE);
    }
    if beyond_bmp && has_crlf {
        out.push(PositionReading {
            units: Units::Utf16,
            line_breaks: LineBreakCount::One,
        });
    }
    out
}

/// Each candidate reading with how well it fits `spans`, and its map.
fn weigh(raw: &str, spans: &[(usize, usize)]) -> Vec<(Fit, PositionMap)> {
    let readings = candidates(raw);
    if readings.len() == 1 {
        let fit = Fit {
            impossible: std::cmp::Reverse(0),
            word_edges: 0,
            trimmed: 0,
        };
        return vec![(fit, PositionMap::new(raw, PositionReading::STANDARD))];
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
    readings
        .into_iter()
        .map(|reading| {
            let map = PositionMap::new(raw, reading);
            (fit(&map), map)
        })
        .collect()
}

/// The reading that fits `spans` better than every other, if one does (and there is something
/// to decide): the evidence a source gives about the tool that wrote the project.
pub fn clear_reading(raw: &str, spans: &[(usize, usize)]) -> Option<PositionReading> {
    let weighed = weigh(raw, spans);
    if weighed.len() < 2 {
        return None;
    }
    let best = weighed.iter().map(|(fit, _)| *fit).max()?;
    let mut winners = weighed.iter().filter(|(fit, _)| *fit == best);
    let (_, winner) = winners.next()?;
    winners.next().is_none().then_some(winner.reading)
}

/// The reading most sources decided clearly, if one leads: what breaks ties in the others.
pub fn project_reading(clear: &[PositionReading]) -> Option<PositionReading> {
    let mut counts: Vec<(PositionReading, usize)> = Vec::new();
    for reading in clear {
        match counts.iter_mut().find(|(r, _)| r == reading) {
            Some((_, n)) => *n += 1,
            None => counts.push((*reading, 1)),
        }
    }
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    match counts.as_slice() {
        [(first, a), (_, b), ..] if a > b => Some(*first),
        [(first, _)] => Some(*first),
        _ => None,
    }
}

/// Decides how the positions `spans` of a source with the text `raw` were counted; among
/// readings that fit equally well, the first of `tie_breakers` wins, else the standard.
pub fn choose_reading(
    raw: &str,
    spans: &[(usize, usize)],
    tie_breakers: &[PositionReading],
) -> (ReadingChoice, PositionMap) {
    let has_crlf = raw.contains("\r\n");
    let positions = spans.len() * 2;
    let mut weighed = weigh(raw, spans);
    if weighed.len() == 1 {
        let (_, map) = weighed.remove(0);
        let choice = ReadingChoice {
            reading: PositionReading::STANDARD,
            decided: false,
            moved: 0,
            has_crlf,
            positions,
        };
        return (choice, map);
    }
    // Among equals: the tie-breakers in their order, then the standard, then the rest.
    let rank = |reading: PositionReading| {
        tie_breakers
            .iter()
            .position(|r| *r == reading)
            .unwrap_or(tie_breakers.len() + usize::from(reading != PositionReading::STANDARD))
    };
    let mut best = (0..weighed.len())
        .max_by_key(|&i| (weighed[i].0, std::cmp::Reverse(rank(weighed[i].1.reading))))
        .expect("the standard reading is always a candidate");
    // The first tie-breaker keeps its place unless another reading fits clearly better: fewer
    // impossible positions, or more boundaries on word edges and selections that neither start
    // nor end on a space, by a margin. A selection that cuts through words (a sloppy drag) must
    // not tip a source into another tool's counting.
    if let Some(first) = tie_breakers.first()
        && let Some(favoured) = weighed.iter().position(|(_, map)| map.reading == *first)
    {
        let (favoured_fit, best_fit) = (weighed[favoured].0, weighed[best].0);
        let signs = |fit: Fit| fit.word_edges + fit.trimmed;
        if favoured_fit.impossible == best_fit.impossible
            && signs(best_fit) < signs(favoured_fit) + CLEAR_MARGIN
        {
            best = favoured;
        }
    }
    let moved = {
        let (standard, chosen) = (&weighed[0].1, &weighed[best].1);
        spans
            .iter()
            .flat_map(|&(s, e)| [s, e])
            .filter(|&p| chosen.to_text(p) != standard.to_text(p))
            .count()
    };
    let (_, map) = weighed.swap_remove(best);
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
        let (choice, map) = choose_reading("Blåbær og æøå.", &[(0, 6)], &[]);
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
        let (choice, map) = choose_reading(raw, &spans, &[]);
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
        let (choice, map) = choose_reading(raw, &[(8, 13)], &[PositionReading::STANDARD]);
        assert_eq!(choice.reading, PositionReading::NVIVO);
        assert_eq!(quote(raw, &map, (8, 13)), "slutt");
    }

    #[test]
    fn crlf_counted_once_or_twice() {
        let raw = "abc\r\ndef ghi";
        // "def" is at 5..8 counting two, 4..7 counting one.
        let (two, _) = choose_reading(raw, &[(5, 8)], &[]);
        assert_eq!(two.reading, PositionReading::STANDARD);
        assert_eq!(two.moved, 0);
        let (one, map) = choose_reading(raw, &[(4, 7)], &[]);
        assert_eq!(one.reading, PositionReading::CRLF_AS_ONE);
        assert_eq!(quote(raw, &map, (4, 7)), "def");
    }

    /// A source of words with æøå, emoji and 𝔘 between them and some lines ending in `\r\n`,
    /// and a few selections of whole words in it (code points, `\r\n` as two).
    fn generated_source(
        next: &mut dyn FnMut(usize) -> usize,
        selections: usize,
    ) -> (String, Vec<(usize, usize)>) {
        const WORDS: [&str; 12] = [
            "tillit",
            "å",
            "skjønn",
            "i",
            "førstelinja",
            "reformen",
            "gir",
            "oss",
            "mer",
            "handlingsrom",
            "ære",
            "kommunen",
        ];
        const BEYOND_BMP: [&str; 3] = ["😀", "𝔘", "🎉"];
        let mut raw = String::new();
        let mut words: Vec<(usize, usize)> = Vec::new();
        for _ in 0..(20 + next(60)) {
            if !raw.is_empty() {
                match next(10) {
                    0 => raw.push_str("\r\n"),
                    1 => raw.push_str(&format!(" {} ", BEYOND_BMP[next(3)])),
                    _ => raw.push(' '),
                }
            }
            let start = raw.chars().count();
            raw.push_str(WORDS[next(WORDS.len())]);
            words.push((start, raw.chars().count()));
        }
        let meant = (0..selections)
            .map(|_| {
                let a = next(words.len());
                let b = (a + next(4)).min(words.len() - 1);
                (words[a].0, words[b].1)
            })
            .collect();
        (raw, meant)
    }

    /// A generated text, its positions as the tool wrote them, and the quotes they meant.
    type Generated = (String, Vec<(usize, usize)>, Vec<String>);

    /// Projects of 300 generated sources each, with one to six selections a source, counted as
    /// NVivo, ATLAS.ti and the standard count them: every source must give back the words its
    /// selections meant.
    #[test]
    fn generated_projects_read_back_their_quotes() {
        let mut seed: u64 = 0x5eed;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        for (utf16, crlf_two) in [(true, true), (false, false), (false, true)] {
            let count = |chars: &[char], end: usize| -> usize {
                let mut n = 0;
                for (i, c) in chars[..end].iter().enumerate() {
                    let crlf = *c == '\r' && chars.get(i + 1) == Some(&'\n');
                    n += match c {
                        _ if crlf && !crlf_two => 0,
                        c if utf16 => c.len_utf16(),
                        _ => 1,
                    };
                }
                n
            };
            let sources: Vec<Generated> = (0..300)
                .map(|i| {
                    let (raw, meant) = generated_source(&mut next, 1 + i % 6);
                    let chars: Vec<char> = raw.chars().collect();
                    let spans = meant
                        .iter()
                        .map(|&(s, e)| (count(&chars, s), count(&chars, e)))
                        .collect();
                    let quotes = meant
                        .iter()
                        .map(|&(s, e)| chars[s..e].iter().collect::<String>().replace("\r\n", "\n"))
                        .collect();
                    (raw, spans, quotes)
                })
                .collect();
            let clear: Vec<PositionReading> = sources
                .iter()
                .filter_map(|(raw, spans, _)| clear_reading(raw, spans))
                .collect();
            let project = project_reading(&clear);
            let mut wrong = 0;
            for (raw, spans, quotes) in &sources {
                let (_, map) = choose_reading(raw, spans, project.as_slice());
                let text: Vec<char> = raw.replace("\r\n", "\n").chars().collect();
                let got: Vec<String> = spans
                    .iter()
                    .map(|&(s, e)| match (map.to_text(s), map.to_text(e)) {
                        (Some(s), Some(e)) if s <= e => text[s..e].iter().collect(),
                        _ => String::from("(impossible)"),
                    })
                    .collect();
                wrong += usize::from(&got != quotes);
            }
            assert_eq!(
                wrong, 0,
                "UTF-16: {utf16}, \\r\\n as two: {crlf_two}; project reading {project:?}"
            );
        }
    }

    #[test]
    fn origin_breaks_ties_only() {
        let raw = "a 😀 b\r\nc";
        // Before the emoji every reading agrees: the hint decides.
        let (hinted, _) = choose_reading(raw, &[(0, 1)], &[PositionReading::NVIVO]);
        assert_eq!(hinted.reading, PositionReading::NVIVO);
        assert_eq!(hinted.moved, 0);
        // Code points that fit on word edges beat a hint of UTF-16: "b" at 4..5.
        let (plain, map) = choose_reading(raw, &[(4, 5), (7, 8)], &[PositionReading::NVIVO]);
        assert_eq!(plain.reading, PositionReading::STANDARD);
        assert_eq!(quote(raw, &map, (7, 8)), "c");
    }
}
