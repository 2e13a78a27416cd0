//! A project's counts, as `sitat stats` reports them.

use serde::{Deserialize, Serialize};

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

/// How many codings each theme and each coder has; those with none are not listed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodingCounts {
    pub by_theme: std::collections::HashMap<crate::model::ThemeId, usize>,
    pub by_coder: std::collections::HashMap<crate::model::CoderId, usize>,
}

impl CodingCounts {
    /// Every coding of the project.
    pub fn total(&self) -> usize {
        self.by_coder.values().sum()
    }
}
