//! Speaker turns in transcripts: lines that open with a speaker label — "Name: text",
//! "NAME:", "\[00:12:03\] Name:", "I:" / "R:" — start a turn that runs to the next one.
//!
//! A label counts as a speaker when it opens at least two lines, or when the speaker map or a
//! person's name knows it; a lone "Merk:" in running text stays text.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::{CharSpan, Person};
use crate::text::LocatedSpan;

/// A turn found in a text: its span (label included) and the label as written.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectedTurn {
    pub span: CharSpan,
    pub label: String,
}

/// Speaker labels mapped to person names, e.g. `I` → `Interviewer`, `R` → `Helge Eide`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpeakerMap {
    pub entries: Vec<(String, String)>,
}

impl SpeakerMap {
    /// Parses `LABEL=PERSON` (the CLI's `--speaker`).
    pub fn parse_entry(entry: &str) -> Result<(String, String)> {
        match entry.split_once('=') {
            Some((label, person)) if !label.trim().is_empty() && !person.trim().is_empty() => {
                Ok((label.trim().to_string(), person.trim().to_string()))
            }
            _ => Err(Error::bad_input(
                entry,
                "a speaker mapping is written LABEL=PERSON, e.g. \"R=Helge Eide\"",
            )),
        }
    }

    pub fn add(&mut self, label: &str, person: &str) {
        self.entries
            .push((label.trim().to_string(), person.trim().to_string()));
    }

    /// Reads a mapping file: CSV with two columns, label and person name (a header row
    /// `speaker,person` or `label,person` is skipped; `#` starts a comment line).
    pub fn read_csv(path: &Path) -> Result<SpeakerMap> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut map = SpeakerMap::default();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        for (i, record) in reader.records().enumerate() {
            let record =
                record.map_err(|e| Error::bad_input(path, format!("line {}: {e}", i + 1)))?;
            let label = record.get(0).unwrap_or("");
            let person = record.get(1).unwrap_or("");
            if i == 0
                && ["speaker", "label"].contains(&label.to_lowercase().as_str())
                && person.eq_ignore_ascii_case("person")
            {
                continue;
            }
            if label.is_empty() && person.is_empty() {
                continue;
            }
            if label.is_empty() || person.is_empty() {
                return Err(Error::bad_input(
                    path,
                    format!(
                        "line {}: write two columns, the speaker label and the person's name",
                        i + 1
                    ),
                ));
            }
            map.add(label, person);
        }
        Ok(map)
    }

    pub fn person_for(&self, label: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(label.trim()))
            .map(|(_, p)| p.as_str())
    }
}

/// The speaker label at the start of `line` and the char offset just after its colon.
pub fn speaker_label(line: &str) -> Option<(String, usize)> {
    let mut rest = line.trim_start();
    // An optional time stamp: [00:12:03], (12:03), 00:12:03.
    if let Some(after) = strip_timestamp(rest) {
        rest = after.trim_start();
    }
    let colon = rest.find(':')?;
    let label = &rest[..colon];
    let after = &rest[colon + 1..];
    if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        return None;
    }
    let label = label.trim_end();
    let words = label.split_whitespace().count();
    let first = label.chars().next()?;
    let ok = first.is_alphabetic()
        && label.chars().count() <= 40
        && (1..=4).contains(&words)
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '\'' | '’'));
    if !ok {
        return None;
    }
    let consumed = LocatedSpan::of_bytes(line, 0..line.len() - after.len())?;
    Some((label.to_string(), consumed.chars.end))
}

fn strip_timestamp(s: &str) -> Option<&str> {
    let (inner, rest) = if let Some(r) = s.strip_prefix('[') {
        let end = r.find(']')?;
        (&r[..end], &r[end + 1..])
    } else if let Some(r) = s.strip_prefix('(') {
        let end = r.find(')')?;
        (&r[..end], &r[end + 1..])
    } else {
        let end = s.find(char::is_whitespace)?;
        (&s[..end], &s[end..])
    };
    let parts: Vec<&str> = inner.split(':').collect();
    let valid = (2..=3).contains(&parts.len())
        && parts.iter().all(|p| {
            let p = p.split('.').next().unwrap_or("");
            !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit())
        });
    valid.then_some(rest)
}

/// Finds the speaker turns of a text; `known` says whether a label is known without repeating
/// (mapped or a person's name). Empty when the text is not a transcript.
pub fn detect_turns(text: &str, known: &dyn Fn(&str) -> bool) -> Vec<DetectedTurn> {
    // The lines that start with a speaker label, and the label.
    let mut candidates: Vec<(LocatedSpan, String)> = LocatedSpan::lines(text)
        .filter_map(|line| Some((line, speaker_label(&text[line.bytes()])?.0)))
        .collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (_, label) in &candidates {
        *counts.entry(label.to_lowercase()).or_default() += 1;
    }
    candidates.retain(|(_, label)| counts[&label.to_lowercase()] >= 2 || known(label));
    if candidates.len() < 2 {
        return Vec::new();
    }
    let end_of_text = LocatedSpan::whole(text).end();
    let mut turns = Vec::with_capacity(candidates.len());
    for (i, (line, label)) in candidates.iter().enumerate() {
        // A turn runs to the next turn's line, without the white space before it.
        let next = candidates.get(i + 1).map_or(end_of_text, |(l, _)| *l);
        let turn = line.up_to(next).trim_end(text);
        if !turn.chars.is_empty() {
            turns.push(DetectedTurn {
                span: turn.chars,
                label: label.clone(),
            });
        }
    }
    turns
}

/// The person a label means: the map first, then a person's full name, then a person's first or
/// last name when only one person has it.
pub fn resolve_speaker<'p>(
    label: &str,
    map: &SpeakerMap,
    persons: &'p [Person],
) -> Option<&'p Person> {
    let by_name = |name: &str| {
        persons
            .iter()
            .find(|p| p.name.trim().eq_ignore_ascii_case(name.trim()))
    };
    if let Some(name) = map.person_for(label) {
        return by_name(name);
    }
    if let Some(p) = by_name(label) {
        return Some(p);
    }
    let matches: Vec<&Person> = persons
        .iter()
        .filter(|p| {
            p.name
                .split_whitespace()
                .any(|part| part.eq_ignore_ascii_case(label.trim()))
        })
        .collect();
    (matches.len() == 1).then(|| matches[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(speaker_label("I: Hva tenker du?"), Some(("I".into(), 2)));
        assert_eq!(
            speaker_label("[00:12:03] Helge Eide: Ja."),
            Some(("Helge Eide".into(), 22))
        );
        assert_eq!(speaker_label("EIDE:"), Some(("EIDE".into(), 5)));
        assert_eq!(speaker_label("Se https://fafo.no"), None);
        assert_eq!(speaker_label("12:30 var møtet"), None);
        assert_eq!(
            speaker_label("Dette er en lang setning med mange ord: nei"),
            None
        );
    }

    #[test]
    fn turns_need_a_repeated_or_known_label() {
        let text = "Intro.\nI: Spørsmål?\nR: Svar én.\nfortsetter\n\nI: Mer?\nR: Ja.\n";
        let turns = detect_turns(text, &|_| false);
        assert_eq!(turns.len(), 4);
        assert_eq!(turns[1].label, "R");
        let span = turns[1].span;
        let quote: String = text.chars().skip(span.start).take(span.len()).collect();
        assert_eq!(quote, "R: Svar én.\nfortsetter");
        assert!(detect_turns("Merk: dette er tekst.\nMer tekst.", &|_| false).is_empty());
    }

    #[test]
    fn turns_are_located_in_code_points_through_emoji_and_crlf() {
        let text = "Intro 😀.\r\nI: Spørsmål om skjønn?\r\nR: Svar æøå 😀\r\nfortsetter  \r\n\r\nI: Mer?\r\nR: Ja 😀\r\n";
        let turns = detect_turns(text, &|_| false);
        let quotes: Vec<&str> = turns
            .iter()
            .map(|t| crate::text::slice_chars(text, t.span).unwrap())
            .collect();
        assert_eq!(
            quotes,
            [
                "I: Spørsmål om skjønn?",
                "R: Svar æøå 😀\r\nfortsetter",
                "I: Mer?",
                "R: Ja 😀"
            ]
        );
        assert_eq!(turns[0].span, CharSpan::new(10, 32));
        assert_eq!(
            speaker_label("[00:12] Åse Berg: 😀"),
            Some(("Åse Berg".into(), 17))
        );
    }
}
