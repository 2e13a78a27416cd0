//! The unit of a position: the quote, not the coding.
//!
//! A coder may code a whole paragraph −1 and its sharpest sentence −2, split one sentence into two
//! codings, or two coders may code the same passage: counted per coding, that one quote would weigh
//! twice. Here one speaker's codings on one theme are **one quote** when they are in the same
//! source and their spans, each widened to the paragraphs it touches, overlap — that is, when they
//! overlap, nest, or lie in one paragraph. A quote's stance is the mean of its codings' stances.

use std::collections::HashMap;

use serde::Serialize;

use super::cited::CitedQuote;
use crate::error::Result;
use crate::model::{CharSpan, SourceId};
use crate::project::Project;
use crate::text;

/// What a count or a mean is taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Counting {
    /// One voice per quote: overlapping, nested or same-paragraph codings count once.
    #[default]
    Quotes,
    /// Every coding counts on its own.
    Codings,
}

impl Counting {
    /// "quote" or "coding".
    pub fn noun(self) -> &'static str {
        match self {
            Counting::Quotes => "quote",
            Counting::Codings => "coding",
        }
    }

    /// "1 quote", "3 quotes", "2 codings".
    pub fn count(self, n: usize) -> String {
        let noun = self.noun();
        if n == 1 {
            format!("1 {noun}")
        } else {
            format!("{n} {noun}s")
        }
    }
}

/// One quote of one speaker on one axis theme, with the stance it counts with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StanceQuote {
    /// The mean of its codings' stances (−2…+2).
    pub stance: f64,
    /// The text from the first coding's start to the last coding's end.
    pub quote: String,
    /// That stretch of the source, in code points.
    pub span: CharSpan,
    /// Its codings with a stance, in position order (at least one).
    pub codings: Vec<CitedQuote>,
}

impl StanceQuote {
    /// The coding that speaks for the quote: the longest (a paragraph rather than a sentence in it).
    pub fn main(&self) -> &CitedQuote {
        self.codings
            .iter()
            .max_by_key(|c| (c.span.len(), std::cmp::Reverse(c.span.start)))
            .expect("a quote has at least one coding")
    }

    /// The quote of `codings` (one or more, with stances, of one source, in position order):
    /// its text is the one coding's, or `slice` of the stretch they cover.
    pub(crate) fn of(
        codings: Vec<CitedQuote>,
        slice: impl FnOnce(SourceId, CharSpan) -> Option<String>,
    ) -> StanceQuote {
        let stance =
            codings.iter().filter_map(|c| c.stance).sum::<i64>() as f64 / codings.len() as f64;
        let span = CharSpan::new(
            codings.iter().map(|c| c.span.start).min().unwrap_or(0),
            codings.iter().map(|c| c.span.end).max().unwrap_or(0),
        );
        let quote = if codings.len() == 1 {
            codings[0].quote.clone()
        } else {
            slice(codings[0].source_id, span).unwrap_or_else(|| {
                let longest = codings.iter().max_by_key(|c| c.span.len());
                longest.map(|c| c.quote.clone()).unwrap_or_default()
            })
        };
        StanceQuote {
            stance,
            quote,
            span,
            codings,
        }
    }

    /// The memos of its codings, the empty ones left out.
    pub fn memos(&self) -> impl Iterator<Item = &str> {
        self.codings
            .iter()
            .map(|c| c.memo.trim())
            .filter(|m| !m.is_empty())
    }
}

/// The paragraphs (and, when kept, the texts) of the sources some codings lie in: what the
/// quote rule needs.
#[derive(Debug, Default)]
pub(crate) struct SourceTexts {
    by_source: HashMap<SourceId, (String, Vec<CharSpan>)>,
}

impl SourceTexts {
    /// Reads each source once, keeping its text and its paragraphs.
    pub(crate) fn load(
        project: &Project,
        sources: impl IntoIterator<Item = SourceId>,
    ) -> Result<SourceTexts> {
        Self::read(project, sources, true)
    }

    /// Reads each source once, keeping only its paragraphs (a quote's text is then its longest
    /// coding's, or read again by the caller).
    pub(crate) fn load_paragraphs(
        project: &Project,
        sources: impl IntoIterator<Item = SourceId>,
    ) -> Result<SourceTexts> {
        Self::read(project, sources, false)
    }

    fn read(
        project: &Project,
        sources: impl IntoIterator<Item = SourceId>,
        keep_text: bool,
    ) -> Result<SourceTexts> {
        let mut by_source = HashMap::new();
        for source_id in sources {
            if let std::collections::hash_map::Entry::Vacant(slot) = by_source.entry(source_id) {
                let source = project.source(source_id)?;
                let paragraphs = text::paragraph_spans(&source.text);
                let text = if keep_text {
                    source.text
                } else {
                    String::new()
                };
                slot.insert((text, paragraphs));
            }
        }
        Ok(SourceTexts { by_source })
    }

    /// `span` widened to the whole paragraphs it touches; unchanged when it touches none.
    fn widen(&self, source_id: SourceId, span: CharSpan) -> CharSpan {
        let Some((_, paragraphs)) = self.by_source.get(&source_id) else {
            return span;
        };
        let first = paragraphs.partition_point(|p| p.end <= span.start);
        let past_last = paragraphs.partition_point(|p| p.start < span.end.max(span.start + 1));
        if first >= past_last {
            return span;
        }
        CharSpan::new(
            paragraphs[first].start.min(span.start),
            paragraphs[past_last - 1].end.max(span.end),
        )
    }

    /// The source's text over `span`, or `None` for a source not loaded with its text.
    fn slice(&self, source_id: SourceId, span: CharSpan) -> Option<String> {
        let (text, _) = self.by_source.get(&source_id)?;
        if text.is_empty() {
            return None;
        }
        text::slice_chars(text, span).map(str::to_string)
    }
}

/// `items` (source and span of each) grouped into quotes: indices into `items`, each group in
/// position order, the groups in source and position order. The caller passes the items of one
/// speaker on one theme (or on the themes it pools).
pub(crate) fn group_into_quotes(
    items: &[(SourceId, CharSpan)],
    texts: &SourceTexts,
    counting: Counting,
) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| (items[i].0, items[i].1.start, items[i].1.end, i));
    if counting == Counting::Codings {
        return order.into_iter().map(|i| vec![i]).collect();
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    // The source and the end of the widened extent of the group being built.
    let mut reach: Option<(SourceId, usize)> = None;
    for i in order {
        let (source_id, span) = items[i];
        let extent = texts.widen(source_id, span);
        match (groups.last_mut(), reach) {
            (Some(group), Some((source, end))) if source == source_id && extent.start < end => {
                group.push(i);
                reach = Some((source, end.max(extent.end)));
            }
            _ => {
                groups.push(vec![i]);
                reach = Some((source_id, extent.end));
            }
        }
    }
    groups
}

/// The number of quotes among `items` (see [`group_into_quotes`]).
pub(crate) fn count_quotes(
    items: &[(SourceId, CharSpan)],
    texts: &SourceTexts,
    counting: Counting,
) -> usize {
    group_into_quotes(items, texts, counting).len()
}

/// One speaker's codings with a stance on one axis, as quotes in source and position order.
/// Codings without a stance are skipped.
pub(crate) fn stance_quotes(
    codings: Vec<CitedQuote>,
    texts: &SourceTexts,
    counting: Counting,
) -> Vec<StanceQuote> {
    let codings: Vec<CitedQuote> = codings.into_iter().filter(|c| c.stance.is_some()).collect();
    let items: Vec<(SourceId, CharSpan)> = codings.iter().map(|c| (c.source_id, c.span)).collect();
    let groups = group_into_quotes(&items, texts, counting);
    let mut slots: Vec<Option<CitedQuote>> = codings.into_iter().map(Some).collect();
    groups
        .into_iter()
        .map(|group| {
            let codings: Vec<CitedQuote> = group.iter().filter_map(|&i| slots[i].take()).collect();
            StanceQuote::of(codings, |source_id, span| texts.slice(source_id, span))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> SourceTexts {
        let mut by_source = HashMap::new();
        by_source.insert(SourceId(1), (text.to_string(), text::paragraph_spans(text)));
        SourceTexts { by_source }
    }

    #[test]
    fn overlapping_nested_and_same_paragraph_codings_are_one_quote() {
        // Two paragraphs: [0, 11) "Første ledd" and [13, 24) "Andre ledd.".
        let t = texts("Første ledd\n\nAndre ledd.");
        let s = SourceId(1);
        let items = [
            (s, CharSpan::new(0, 6)),   // "Første"
            (s, CharSpan::new(7, 11)),  // "ledd": same paragraph, not overlapping
            (s, CharSpan::new(13, 24)), // the second paragraph
            (s, CharSpan::new(19, 23)), // nested in it
            (SourceId(2), CharSpan::new(0, 3)),
        ];
        let groups = group_into_quotes(&items, &t, Counting::Quotes);
        assert_eq!(groups, vec![vec![0, 1], vec![2, 3], vec![4]]);
        assert_eq!(group_into_quotes(&items, &t, Counting::Codings).len(), 5);
    }

    #[test]
    fn a_span_in_the_gap_between_paragraphs_stays_as_it_is() {
        let t = texts("En\n\n\n\nTo");
        assert_eq!(
            t.widen(SourceId(1), CharSpan::new(3, 4)),
            CharSpan::new(3, 4)
        );
        assert_eq!(
            t.widen(SourceId(1), CharSpan::new(1, 7)),
            CharSpan::new(0, 8)
        );
    }

    #[test]
    fn counts_say_their_unit() {
        assert_eq!(Counting::Quotes.count(1), "1 quote");
        assert_eq!(Counting::Quotes.count(3), "3 quotes");
        assert_eq!(Counting::Codings.count(2), "2 codings");
    }
}
