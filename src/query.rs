//! What callers ask the project for: coding filters and statistics.

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

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectStats {
    /// (kind, number of sources)
    pub sources_by_kind: Vec<(String, usize)>,
    pub actors: usize,
    pub persons: usize,
    pub themes: usize,
    pub axis_themes: usize,
    pub codings: usize,
    pub codings_with_stance: usize,
    pub coders: usize,
    pub memos: usize,
    /// Characters (code points) of all sources.
    pub characters: usize,
    /// (actor, codings in text attributed to it); "(no actor)" for unattributed text.
    pub codings_by_actor: Vec<(String, usize)>,
    /// (theme, codings), in codebook order.
    pub codings_by_theme: Vec<(String, usize)>,
    /// ("person (actor)", interview sources attributed to the person).
    pub excerpts_by_person: Vec<(String, usize)>,
}

impl ProjectStats {
    pub fn sources(&self) -> usize {
        self.sources_by_kind.iter().map(|(_, n)| n).sum()
    }

    /// A plain-text report for the CLI.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let line = |out: &mut String, label: &str, value: String| {
            out.push_str(&format!("{label:<36} {value}\n"));
        };
        line(&mut out, "sources", self.sources().to_string());
        for (kind, n) in &self.sources_by_kind {
            line(&mut out, &format!("  {kind}"), n.to_string());
        }
        line(&mut out, "characters", self.characters.to_string());
        line(&mut out, "actors", self.actors.to_string());
        line(&mut out, "persons", self.persons.to_string());
        for (person, n) in &self.excerpts_by_person {
            line(
                &mut out,
                &format!("  {person}"),
                format!("{n} interview sources"),
            );
        }
        line(
            &mut out,
            "themes",
            format!("{} ({} axis themes)", self.themes, self.axis_themes),
        );
        line(
            &mut out,
            "codings",
            format!(
                "{} ({} with a stance)",
                self.codings, self.codings_with_stance
            ),
        );
        out.push_str("codings by actor\n");
        for (actor, n) in &self.codings_by_actor {
            line(&mut out, &format!("  {actor}"), n.to_string());
        }
        out.push_str("codings by theme\n");
        for (theme, n) in &self.codings_by_theme {
            line(&mut out, &format!("  {theme}"), n.to_string());
        }
        line(&mut out, "coders", self.coders.to_string());
        line(&mut out, "memos", self.memos.to_string());
        out
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
