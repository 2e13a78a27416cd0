//! A quote with everything needed to cite it: who said it, where, and with what stance.

use serde::Serialize;

use crate::model::{ActorId, CharSpan, CodedExcerpt, CodingId, PersonId, SourceId, ThemeId};

/// One coded excerpt as the analysis views show it. Spans are Unicode code points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CitedQuote {
    pub coding_id: CodingId,
    pub theme_id: ThemeId,
    pub theme_name: String,
    pub actor_id: Option<ActorId>,
    pub actor_name: Option<String>,
    pub person_id: Option<PersonId>,
    pub person_name: Option<String>,
    pub source_id: SourceId,
    pub source_title: String,
    pub span: CharSpan,
    /// −2…+2 on axis themes; `None` when the coder gave no stance.
    pub stance: Option<i64>,
    pub quote: String,
    /// The coder's memo on the coding; empty when there is none.
    pub memo: String,
}

impl From<&CodedExcerpt> for CitedQuote {
    fn from(excerpt: &CodedExcerpt) -> Self {
        CitedQuote {
            coding_id: excerpt.coding.id,
            theme_id: excerpt.coding.theme_id,
            theme_name: excerpt.theme_name.clone(),
            actor_id: excerpt.actor_id,
            actor_name: excerpt.actor_name.clone(),
            person_id: excerpt.person_id,
            person_name: excerpt.person_name.clone(),
            source_id: excerpt.coding.source_id,
            source_title: excerpt.source_title.clone(),
            span: excerpt.coding.span,
            stance: excerpt.coding.stance.map(|s| s.value()),
            quote: excerpt.quote.clone(),
            memo: excerpt.coding.memo.clone(),
        }
    }
}

impl CitedQuote {
    /// "Person (ACTOR)", "ACTOR" or "unattributed".
    pub fn speaker(&self) -> String {
        match (&self.person_name, &self.actor_name) {
            (Some(person), Some(actor)) => format!("{person} ({actor})"),
            (Some(person), None) => person.clone(),
            (None, Some(actor)) => actor.clone(),
            (None, None) => "unattributed".to_string(),
        }
    }

    /// Where the quote stands: the source's title and the span in characters.
    pub fn location(&self) -> String {
        format!("{}, characters {}", self.source_title, self.span)
    }
}
