//! The units of agreement in one source: its paragraphs, or its code points.
//!
//! Every chosen coder has coded the source (that is what puts it in scope), so a coder who did
//! not code a unit with the theme gave it the value 0, not a missing value. Stances are the
//! exception: a coder who gave no stance on a paragraph has no stance value for it.

use super::statistics::Unit;
use crate::model::CharSpan;

/// One coder's codings in one source.
#[derive(Debug, Clone, Default)]
pub struct CoderSpans {
    /// The coder's codings of the theme being measured, with their stances.
    pub theme: Vec<(CharSpan, Option<f64>)>,
    /// All the coder's codings in the source, any theme: what "coded text" means.
    pub any_theme: Vec<CharSpan>,
}

/// Units of one source for one theme, at both levels, and with only the coded text.
#[derive(Debug, Clone, Default)]
pub struct SourceUnits {
    pub paragraphs: Vec<Unit>,
    pub paragraphs_coded: Vec<Unit>,
    /// One unit per paragraph: each coder's mean stance on it, where the coder gave one.
    pub paragraph_stances: Vec<Unit>,
    pub characters: Vec<Unit>,
    pub characters_coded: Vec<Unit>,
}

/// Builds the units of a source of `char_len` code points whose paragraphs are `paragraphs` and
/// whose line breaks (`\n`) are at the code points `line_breaks` (sorted), for the coders in
/// `coders` (in order).
pub fn source_units(
    paragraphs: &[CharSpan],
    char_len: usize,
    line_breaks: &[usize],
    coders: &[CoderSpans],
) -> SourceUnits {
    let mut units = SourceUnits::default();
    for paragraph in paragraphs {
        let values: Vec<Option<f64>> = coders
            .iter()
            .map(|c| {
                let coded = c.theme.iter().any(|(span, _)| span.overlaps(paragraph));
                Some(f64::from(u8::from(coded)))
            })
            .collect();
        let anyone_coded = coders
            .iter()
            .any(|c| c.any_theme.iter().any(|span| span.overlaps(paragraph)));
        if anyone_coded {
            units.paragraphs_coded.push(Unit::new(values.clone()));
        }
        units.paragraphs.push(Unit::new(values));
        let stances = coders
            .iter()
            .map(|c| {
                let given: Vec<f64> = c
                    .theme
                    .iter()
                    .filter(|(span, _)| span.overlaps(paragraph))
                    .filter_map(|(_, stance)| *stance)
                    .collect();
                (!given.is_empty()).then(|| given.iter().sum::<f64>() / given.len() as f64)
            })
            .collect();
        units.paragraph_stances.push(Unit::new(stances));
    }
    character_units(char_len, line_breaks, coders, &mut units);
    units
}

/// The source's code points less line breaks, cut into runs over which no coder's value
/// changes: one unit per run, weighted by its number of code points.
fn character_units(
    char_len: usize,
    line_breaks: &[usize],
    coders: &[CoderSpans],
    units: &mut SourceUnits,
) {
    let text = CharSpan::new(0, char_len);
    let clip = |s: CharSpan| CharSpan::new(s.start.max(text.start), s.end.min(text.end));
    let theme: Vec<Vec<CharSpan>> = coders
        .iter()
        .map(|c| merged(c.theme.iter().map(|t| clip(t.0))))
        .collect();
    let any: Vec<CharSpan> = merged(
        coders
            .iter()
            .flat_map(|c| c.any_theme.iter().map(|s| clip(*s))),
    );
    let mut cuts = vec![text.start, text.end];
    for span in theme.iter().flatten().chain(&any) {
        cuts.extend([span.start, span.end]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    for run in cuts.windows(2).map(|w| CharSpan::new(w[0], w[1])) {
        let breaks = line_breaks.partition_point(|&b| b < run.end)
            - line_breaks.partition_point(|&b| b < run.start);
        let weight = (run.len() - breaks) as f64;
        if weight == 0.0 {
            continue;
        }
        let values = theme
            .iter()
            .map(|spans| Some(f64::from(u8::from(covers(spans, run.start)))))
            .collect::<Vec<_>>();
        if covers(&any, run.start) {
            units.characters_coded.push(Unit {
                weight,
                values: values.clone(),
            });
        }
        units.characters.push(Unit { weight, values });
    }
}

/// Spans sorted and merged where they overlap or touch; empty spans dropped.
fn merged(spans: impl Iterator<Item = CharSpan>) -> Vec<CharSpan> {
    let mut spans: Vec<CharSpan> = spans.filter(|s| !s.is_empty()).collect();
    spans.sort_by_key(|s| s.start);
    let mut out: Vec<CharSpan> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => out.push(span),
        }
    }
    out
}

/// Whether one of the sorted, disjoint `spans` holds the code point `pos`.
fn covers(spans: &[CharSpan], pos: usize) -> bool {
    let i = spans.partition_point(|s| s.end <= pos);
    spans.get(i).is_some_and(|s| s.contains(pos))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> CharSpan {
        CharSpan::new(start, end)
    }

    fn values(units: &[Unit]) -> Vec<(f64, Vec<Option<f64>>)> {
        units.iter().map(|u| (u.weight, u.values.clone())).collect()
    }

    #[test]
    fn paragraph_values_are_one_where_a_coding_overlaps() {
        // Two paragraphs: [0, 10) and [12, 20).
        let paragraphs = [span(0, 10), span(12, 20)];
        let a = CoderSpans {
            theme: vec![(span(2, 4), Some(-2.0)), (span(3, 8), Some(1.0))],
            any_theme: vec![span(2, 4), span(3, 8)],
        };
        let b = CoderSpans {
            theme: vec![(span(9, 14), None)],
            any_theme: vec![span(9, 14)],
        };
        let units = source_units(&paragraphs, 20, &[10, 11], &[a, b]);
        assert_eq!(
            values(&units.paragraphs),
            vec![
                (1.0, vec![Some(1.0), Some(1.0)]),
                (1.0, vec![Some(0.0), Some(1.0)])
            ]
        );
        // A's mean stance on the first paragraph is (−2 + 1) / 2; B gave none.
        assert_eq!(
            values(&units.paragraph_stances),
            vec![(1.0, vec![Some(-0.5), None]), (1.0, vec![None, None])]
        );
    }

    #[test]
    fn characters_are_runs_weighted_without_line_breaks() {
        // A text of 20 code points with line breaks at 10 and 11; A codes [2, 8), B codes [6, 14).
        let paragraphs = [span(0, 10), span(12, 20)];
        let a = CoderSpans {
            theme: vec![(span(2, 8), None)],
            any_theme: vec![span(2, 8)],
        };
        let b = CoderSpans {
            theme: vec![(span(6, 14), None)],
            any_theme: vec![span(6, 14)],
        };
        let units = source_units(&paragraphs, 20, &[10, 11], &[a, b]);
        let one = Some(1.0);
        let zero = Some(0.0);
        assert_eq!(
            values(&units.characters),
            vec![
                (2.0, vec![zero, zero]), // [0, 2)
                (4.0, vec![one, zero]),  // [2, 6)
                (2.0, vec![one, one]),   // [6, 8)
                (4.0, vec![zero, one]),  // [8, 14) less the two line breaks
                (6.0, vec![zero, zero]), // [14, 20)
            ]
        );
        // Coded text only: [2, 14) less line breaks.
        assert_eq!(
            values(&units.characters_coded),
            vec![
                (4.0, vec![one, zero]),
                (2.0, vec![one, one]),
                (4.0, vec![zero, one]),
            ]
        );
        let total: f64 = units.characters.iter().map(|u| u.weight).sum();
        assert_eq!(total, 18.0);
    }

    #[test]
    fn codings_of_other_themes_count_as_coded_text_only() {
        let paragraphs = [span(0, 5), span(7, 12)];
        let a = CoderSpans {
            theme: vec![],
            any_theme: vec![span(8, 9)],
        };
        let b = CoderSpans::default();
        let units = source_units(&paragraphs, 12, &[5, 6], &[a, b]);
        assert_eq!(units.paragraphs.len(), 2);
        assert_eq!(
            values(&units.paragraphs_coded),
            vec![(1.0, vec![Some(0.0), Some(0.0)])]
        );
        assert_eq!(
            values(&units.characters_coded),
            vec![(1.0, vec![Some(0.0), Some(0.0)])]
        );
    }
}
