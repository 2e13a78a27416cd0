//! Which codings a caller asks the project for: `CodingFilter`, and the AND between themes
//! of the retrieve view.

use serde::{Deserialize, Serialize};

use crate::model::{ActorId, CoderId, PersonId, SourceId, SourceKind, ThemeId};

/// Which codings to retrieve. Empty lists mean "any"; within one list, any value matches (OR);
/// across lists, all must match (AND).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodingFilter {
    pub theme_ids: Vec<ThemeId>,
    pub actor_ids: Vec<ActorId>,
    pub person_ids: Vec<PersonId>,
    pub source_ids: Vec<SourceId>,
    pub source_kinds: Vec<SourceKind>,
    pub coder_ids: Vec<CoderId>,
    /// Inclusive; a bound excludes codings without a stance.
    pub stance_min: Option<i64>,
    pub stance_max: Option<i64>,
}

impl CodingFilter {
    pub fn theme(theme_id: ThemeId) -> Self {
        CodingFilter {
            theme_ids: vec![theme_id],
            ..Default::default()
        }
    }
}

/// Keeps the excerpts whose text is also coded with every other theme in `theme_ids`: a
/// coding of theme B counts when it is in the same source and overlaps the excerpt. This is
/// the AND between themes of the retrieve view; `codings` are all codings of those themes.
pub fn coded_with_all_themes(
    excerpts: Vec<crate::model::CodedExcerpt>,
    theme_ids: &[crate::model::ThemeId],
    codings: &[crate::model::Coding],
) -> Vec<crate::model::CodedExcerpt> {
    if theme_ids.len() < 2 {
        return excerpts;
    }
    excerpts
        .into_iter()
        .filter(|e| {
            theme_ids
                .iter()
                .filter(|&&t| t != e.coding.theme_id)
                .all(|&t| {
                    codings.iter().any(|c| {
                        c.theme_id == t
                            && c.source_id == e.coding.source_id
                            && c.span.overlaps(&e.coding.span)
                    })
                })
        })
        .collect()
}
