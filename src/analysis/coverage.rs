//! How much of a speaker's coded text falls under some themes: the "share" in columns and matrices.

use std::collections::BTreeMap;

use serde::Serialize;

use super::quotes::{Counting, SourceTexts, count_quotes};
use crate::model::{CharSpan, CodedExcerpt, SourceId, ThemeId};

/// The header numbers of one speaker (an actor or a person) for a set of themes.
///
/// `share` = `theme_chars` / `coded_chars`, where
/// - `theme_chars` is the number of code points covered by the speaker's codings on the themes,
/// - `coded_chars` is the number of code points covered by all the speaker's codings, on any theme,
///
/// and "covered" takes the union of spans per source, so a character coded twice (overlapping
/// codings, or one span coded with two themes) counts once. `share` is therefore between 0 and 1,
/// and `None` when the speaker has no coded text at all.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Coverage {
    /// Codings on the themes.
    pub count: usize,
    /// Quotes on the themes: codings that overlap, nest or lie in one paragraph count once.
    pub quotes: usize,
    pub theme_chars: usize,
    pub coded_chars: usize,
    pub share: Option<f64>,
}

impl Coverage {
    /// The count in the chosen unit.
    pub fn counted(&self, counting: Counting) -> usize {
        match counting {
            Counting::Quotes => self.quotes,
            Counting::Codings => self.count,
        }
    }

    /// `own` is every coding of the speaker; `on_theme` says which themes count.
    pub(crate) fn of(
        own: &[&CodedExcerpt],
        on_theme: impl Fn(ThemeId) -> bool,
        texts: &SourceTexts,
    ) -> Coverage {
        let span_of = |e: &&CodedExcerpt| (e.coding.source_id, e.coding.span);
        let on_themes: Vec<&CodedExcerpt> = own
            .iter()
            .copied()
            .filter(|e| on_theme(e.coding.theme_id))
            .collect();
        let spans: Vec<(SourceId, CharSpan)> = on_themes.iter().map(span_of).collect();
        let theme_chars = covered_chars(spans.iter().copied());
        let coded_chars = covered_chars(own.iter().map(span_of));
        Coverage {
            count: on_themes.len(),
            quotes: count_quotes(&spans, texts, Counting::Quotes),
            theme_chars,
            coded_chars,
            share: (coded_chars > 0).then(|| theme_chars as f64 / coded_chars as f64),
        }
    }
}

/// Code points covered by at least one span, each counted once however many spans cover it.
/// Spans of different sources never overlap.
pub fn covered_chars(spans: impl IntoIterator<Item = (SourceId, CharSpan)>) -> usize {
    let mut by_source: BTreeMap<SourceId, Vec<CharSpan>> = BTreeMap::new();
    for (source_id, span) in spans {
        if !span.is_empty() {
            by_source.entry(source_id).or_default().push(span);
        }
    }
    by_source
        .into_values()
        .map(|mut spans| {
            spans.sort();
            let mut covered = 0;
            let mut reach = 0; // the end of the union so far: nothing before it counts again
            for span in spans {
                let start = span.start.max(reach);
                if span.end > start {
                    covered += span.end - start;
                }
                reach = reach.max(span.end);
            }
            covered
        })
        .sum()
}
