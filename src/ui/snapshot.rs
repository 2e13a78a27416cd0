//! What the panels draw from, read from `Project` only when its revision changes — not every
//! frame.

use std::collections::HashMap;

use crate::error::Result;
use crate::model::*;
use crate::project::Project;

pub struct Snapshot {
    /// The project revision read; `i64::MIN` before the first read.
    pub revision: i64,
    pub themes: Vec<Theme>,
    pub actors: Vec<Actor>,
    pub persons: Vec<Person>,
    pub sources: Vec<SourceSummary>,
    pub coders: Vec<Coder>,
    /// Codings per theme.
    pub theme_counts: HashMap<ThemeId, usize>,
    /// Codings per coder.
    pub coder_counts: HashMap<CoderId, usize>,
    /// Codings in all.
    pub coding_count: usize,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot {
            revision: i64::MIN,
            themes: Vec::new(),
            actors: Vec::new(),
            persons: Vec::new(),
            sources: Vec::new(),
            coders: Vec::new(),
            theme_counts: HashMap::new(),
            coder_counts: HashMap::new(),
            coding_count: 0,
        }
    }
}

impl Snapshot {
    pub fn read(project: &Project) -> Result<Snapshot> {
        // Counted by the store: reading every coding after each edit cost more than a frame
        // on a large project.
        let counts = project.coding_counts()?;
        Ok(Snapshot {
            revision: project.revision()?,
            themes: project.themes()?,
            actors: project.actors()?,
            persons: project.persons()?,
            sources: project.sources()?,
            coders: project.coders()?,
            coding_count: counts.total(),
            theme_counts: counts.by_theme,
            coder_counts: counts.by_coder,
        })
    }

    /// Whether analyses of this project are computed off the frame (see `off_frame`).
    pub fn analyses_off_frame(&self) -> bool {
        self.coding_count > super::off_frame::OFF_FRAME_CODINGS
    }

    pub fn theme(&self, id: ThemeId) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    pub fn person(&self, id: PersonId) -> Option<&Person> {
        self.persons.iter().find(|p| p.id == id)
    }

    pub fn actor(&self, id: ActorId) -> Option<&Actor> {
        self.actors.iter().find(|a| a.id == id)
    }

    /// Themes in tree order (each parent followed by its children), with their depth.
    pub fn theme_tree(&self) -> Vec<(usize, &Theme)> {
        let mut out = Vec::with_capacity(self.themes.len());
        fn visit<'a>(
            themes: &'a [Theme],
            parent: Option<ThemeId>,
            depth: usize,
            out: &mut Vec<(usize, &'a Theme)>,
        ) {
            for theme in themes.iter().filter(|t| t.parent_id == parent) {
                out.push((depth, theme));
                visit(themes, Some(theme.id), depth + 1, out);
            }
        }
        visit(&self.themes, None, 0, &mut out);
        out
    }
}
