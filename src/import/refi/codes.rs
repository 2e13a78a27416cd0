//! A REFI-QDA codebook into themes. A code joins a theme the project had before the import
//! only by that theme's GUID (as Sitat exports it) or by its whole path from the top of the
//! tree; otherwise it is a theme of its own, even when another code has its name (Sitat keeps
//! theme names unique, so `Students/Positive` beside `Teachers/Positive` becomes
//! `Positive (Students)`, found again at `Students/Positive` by the next import). ATLAS.ti flattens code groups into names like `Group::Code`: when
//! every name of a codebook is written so, the tree is rebuilt.

use std::collections::HashMap;

use super::Reader;
use super::fields::{colour, norm_guid, parse_code_description};
use crate::error::Result;
use crate::import::xml::Element;
use crate::model::{Theme, ThemeId};
use crate::project::{NewTheme, Project};

/// Separates a group from a code in ATLAS.ti's flattened names.
const GROUP_SEPARATOR: &str = "::";

/// A theme's path from the top of the tree, lower case: what two codebooks share.
type PathKey = Vec<String>;

fn key(path: &[String]) -> PathKey {
    path.iter().map(|n| n.trim().to_lowercase()).collect()
}

fn shown(path: &[String]) -> String {
    path.join("/")
}

/// Where the codes of an import may land.
pub(super) struct ThemeMatcher {
    /// Themes the project had before the import, by the GUID Sitat exports for them.
    existing_by_guid: HashMap<String, ThemeId>,
    /// The same by path.
    existing_by_path: HashMap<PathKey, ThemeId>,
    /// Themes of this import by path (groups included).
    imported_by_path: HashMap<PathKey, ThemeId>,
    /// Rebuild `Group::Code` names as a tree.
    pub rebuild_groups: bool,
    /// Group themes created.
    pub groups_made: usize,
}

impl ThemeMatcher {
    pub fn new(project: &Project) -> Result<ThemeMatcher> {
        let themes = project.themes()?;
        let guids = project.guids()?;
        let by_id: HashMap<ThemeId, &Theme> = themes.iter().map(|t| (t.id, t)).collect();
        let mut existing_by_path = HashMap::new();
        for theme in &themes {
            let mut path = vec![theme.name.clone()];
            let mut parent = theme.parent_id;
            // A damaged tree with a cycle must not hang the import.
            while let Some(p) = parent.and_then(|p| by_id.get(&p))
                && path.len() <= themes.len()
            {
                path.push(p.name.clone());
                parent = p.parent_id;
            }
            path.reverse();
            existing_by_path.insert(key(&path), theme.id);
        }
        // A theme an earlier import named "Positive (Students)" under Students is found at
        // Students/Positive too, unless a theme has that path.
        for theme in &themes {
            let Some(parent) = theme.parent_id.and_then(|p| by_id.get(&p)) else {
                continue;
            };
            let Some(bare) = theme
                .name
                .strip_suffix(&format!(" ({})", parent.name.trim()))
            else {
                continue;
            };
            let mut alias = existing_by_path
                .iter()
                .find(|(_, id)| **id == theme.id)
                .map(|(k, _)| k.clone())
                .unwrap_or_default();
            if let Some(last) = alias.last_mut() {
                *last = bare.trim().to_lowercase();
                existing_by_path.entry(alias).or_insert(theme.id);
            }
        }
        Ok(ThemeMatcher {
            existing_by_guid: themes
                .iter()
                .map(|t| (guids.of("theme", t.id.0), t.id))
                .collect(),
            existing_by_path,
            imported_by_path: HashMap::new(),
            rebuild_groups: false,
            groups_made: 0,
        })
    }
}

/// Every code name below `codes`.
fn code_names<'e>(codes: &'e Element, out: &mut Vec<&'e str>) {
    for code in codes.all("Code") {
        out.push(code.attr("name").unwrap_or(""));
        code_names(code, out);
    }
}

/// True when every code of the codebook is named `Group::Code`.
pub(super) fn every_name_grouped(codes: &Element) -> bool {
    let mut names = Vec::new();
    code_names(codes, &mut names);
    !names.is_empty() && names.iter().all(|n| !grouped_name(n).0.is_empty())
}

/// `A::B::Code` → (["A", "B"], "Code"); a name without groups → ([], name).
fn grouped_name(name: &str) -> (Vec<String>, String) {
    let parts: Vec<&str> = name
        .split(GROUP_SEPARATOR)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    match parts.split_last() {
        Some((last, groups)) if !groups.is_empty() => (
            groups.iter().map(|g| g.to_string()).collect(),
            last.to_string(),
        ),
        _ => (Vec::new(), name.trim().to_string()),
    }
}

impl Reader<'_, '_> {
    pub(super) fn read_codes(
        &mut self,
        codes: &Element,
        parent: Option<ThemeId>,
        parent_path: &[String],
    ) -> Result<()> {
        for code in codes.all("Code") {
            let written = code.attr("name").unwrap_or("").trim();
            let (groups, name) = if self.themes.rebuild_groups {
                grouped_name(written)
            } else {
                (Vec::new(), written.to_string())
            };
            let mut parent = parent;
            let mut path = parent_path.to_vec();
            for group in groups {
                path.push(group);
                parent = Some(self.group_theme(&path, parent)?);
            }
            path.push(name.clone());
            let description = code
                .first("Description")
                .map(|d| d.text())
                .unwrap_or_default();
            let (description, poles) = parse_code_description(&description);
            let by_guid = code
                .attr("guid")
                .and_then(|g| self.themes.existing_by_guid.get(&norm_guid(g)))
                .map(|id| (*id, "GUID"));
            let matched = by_guid.or_else(|| {
                self.themes
                    .existing_by_path
                    .get(&key(&path))
                    .map(|id| (*id, "path"))
            });
            let id = match matched {
                Some((existing, how)) => {
                    let theme = self.batch.project.theme(existing)?;
                    self.batch.report.warnings.push(format!(
                        "code \"{}\" joined the existing theme \"{}\" (same {how})",
                        shown(&path),
                        theme.name
                    ));
                    self.axis.insert(existing, theme.is_axis());
                    existing
                }
                None => {
                    let axis = poles.is_some();
                    let id = self.new_theme(
                        &path,
                        NewTheme {
                            name,
                            parent_id: parent,
                            color: colour(code.attr("color")),
                            description,
                            poles,
                        },
                    )?;
                    self.axis.insert(id, axis);
                    id
                }
            };
            self.themes.imported_by_path.insert(key(&path), id);
            if let Some(guid) = code.attr("guid") {
                self.codes.insert(norm_guid(guid), id);
            }
            self.note_refs(code, crate::model::MemoTarget::Theme(id));
            self.read_codes(code, Some(id), &path)?;
        }
        Ok(())
    }

    /// The theme of a code group (`Group` of `Group::Code`): one made by this import, one the
    /// project has at that path, or a new one.
    fn group_theme(&mut self, path: &[String], parent: Option<ThemeId>) -> Result<ThemeId> {
        if let Some(id) = self.themes.imported_by_path.get(&key(path)) {
            return Ok(*id);
        }
        let id = match self.themes.existing_by_path.get(&key(path)) {
            Some(id) => *id,
            None => {
                self.themes.groups_made += 1;
                self.new_theme(
                    path,
                    NewTheme {
                        name: path.last().cloned().unwrap_or_default(),
                        parent_id: parent,
                        color: None,
                        description: String::new(),
                        poles: None,
                    },
                )?
            }
        };
        self.themes.imported_by_path.insert(key(path), id);
        Ok(id)
    }

    /// Adds a theme at `path`; when its name is taken elsewhere in the tree, the parent's name
    /// tells the two apart ("Positive (Students)"), then a number.
    fn new_theme(&mut self, path: &[String], mut new: NewTheme) -> Result<ThemeId> {
        let base = if new.name.trim().is_empty() {
            "(unnamed code)".to_string()
        } else {
            new.name.trim().to_string()
        };
        let mut name = base.clone();
        if self.batch.theme_named(&name).is_some() {
            if let Some(parent) = path.len().checked_sub(2).and_then(|i| path.get(i)) {
                name = format!("{base} ({})", parent.trim());
            }
            let first = name.clone();
            let mut n = 2;
            while self.batch.theme_named(&name).is_some() {
                name = format!("{first} ({n})");
                n += 1;
            }
            self.batch.report.warnings.push(format!(
                "code \"{}\" imported as \"{name}\": a theme named \"{base}\" exists already and theme names are unique",
                shown(path)
            ));
        }
        new.name = name;
        self.batch.add_theme(new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names() {
        assert_eq!(
            grouped_name("Holdning::Positiv"),
            (vec!["Holdning".to_string()], "Positiv".to_string())
        );
        assert_eq!(
            grouped_name("A :: B::C"),
            (vec!["A".to_string(), "B".to_string()], "C".to_string())
        );
        assert_eq!(grouped_name("Tillit"), (Vec::new(), "Tillit".to_string()));
        assert_eq!(
            grouped_name("::Tillit"),
            (Vec::new(), "::Tillit".to_string())
        );
    }
}
