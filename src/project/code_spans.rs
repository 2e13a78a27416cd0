//! Coding many spans of the text with a theme — a search's hits — as one undoable command.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{NewCoding, Project};
use crate::error::Result;
use crate::model::{CharSpan, CodingId, SourceId, ThemeId};
use crate::text;

/// How much of the text around a span (a search hit) to code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Widen {
    /// The hit itself.
    #[default]
    None,
    /// The sentence around the hit.
    Sentence,
    /// The paragraph around the hit.
    Paragraph,
}

impl Project {
    /// Codes search hits — spans of sources — with `theme_id` as ONE undoable command (via
    /// [`Project::code_many`]); spans are widened as asked, overlapping spans in a source
    /// merged, and spans already inside a coding of this theme skipped. Returns the new
    /// codings' ids (empty when there was nothing new to code, and then nothing is applied).
    pub fn code_spans(
        &mut self,
        spans: impl IntoIterator<Item = (SourceId, CharSpan)>,
        theme_id: ThemeId,
        widen: Widen,
    ) -> Result<Vec<CodingId>> {
        let theme = self.theme(theme_id)?;
        let codings = self.codings_for_spans(spans, theme_id, widen)?;
        if codings.is_empty() {
            return Ok(Vec::new());
        }
        let label = format!(
            "code {} search hit{} with {}",
            codings.len(),
            if codings.len() == 1 { "" } else { "s" },
            theme.name
        );
        self.code_many(&label, codings)
    }

    /// The codings [`Project::code_spans`] applies.
    fn codings_for_spans(
        &self,
        spans: impl IntoIterator<Item = (SourceId, CharSpan)>,
        theme_id: ThemeId,
        widen: Widen,
    ) -> Result<Vec<NewCoding>> {
        let mut by_source: BTreeMap<SourceId, Vec<CharSpan>> = BTreeMap::new();
        for (source_id, span) in spans {
            by_source.entry(source_id).or_default().push(span);
        }
        let mut codings = Vec::new();
        for (source_id, spans) in by_source {
            let source = self.source(source_id)?;
            let existing: Vec<CharSpan> = self
                .codings_of_source(source_id)?
                .into_iter()
                .filter(|c| c.theme_id == theme_id)
                .map(|c| c.span)
                .collect();
            let mut spans: Vec<CharSpan> = spans
                .into_iter()
                .map(|span| match widen {
                    Widen::None => span,
                    Widen::Sentence => text::sentence_around(&source.text, span),
                    Widen::Paragraph => text::paragraph_around(&source.text, span),
                })
                .collect();
            spans.sort();
            let mut merged: Vec<CharSpan> = Vec::new();
            for span in spans {
                match merged.last_mut() {
                    Some(last) if span.start < last.end => last.end = last.end.max(span.end),
                    _ => merged.push(span),
                }
            }
            for span in merged {
                let covered = existing
                    .iter()
                    .any(|e| e.start <= span.start && span.end <= e.end);
                if !covered && !span.is_empty() {
                    codings.push(NewCoding::new(source_id, span, theme_id));
                }
            }
        }
        Ok(codings)
    }
}
