//! The codebook (themes) as CSV and Markdown: name, parent, colour, description, poles of axis
//! themes, and how many codings each theme has.

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::export::report::escape_markdown;
use crate::model::{Theme, ThemeId};
use crate::project::Project;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodebookRow {
    pub theme_id: i64,
    pub name: String,
    pub parent: String,
    /// Levels below the top, 0 for a top-level theme.
    pub depth: usize,
    pub color: String,
    pub description: String,
    pub negative_pole: String,
    pub positive_pole: String,
    pub codings: usize,
}

/// Themes in codebook order, children right after their parent.
pub fn codebook_rows(project: &Project) -> Result<Vec<CodebookRow>> {
    let themes = project.themes()?;
    let mut counts: HashMap<ThemeId, usize> = HashMap::new();
    for coding in project.all_codings()? {
        *counts.entry(coding.theme_id).or_default() += 1;
    }
    let ids: Vec<ThemeId> = themes.iter().map(|t| t.id).collect();
    let mut rows = Vec::with_capacity(themes.len());
    fn visit(
        theme: &Theme,
        depth: usize,
        themes: &[Theme],
        counts: &HashMap<ThemeId, usize>,
        rows: &mut Vec<CodebookRow>,
    ) {
        let parent = theme
            .parent_id
            .and_then(|p| themes.iter().find(|t| t.id == p))
            .map(|t| t.name.clone())
            .unwrap_or_default();
        rows.push(CodebookRow {
            theme_id: theme.id.0,
            name: theme.name.clone(),
            parent,
            depth,
            color: theme.color.clone(),
            description: theme.description.clone(),
            negative_pole: theme
                .poles
                .as_ref()
                .map(|p| p.negative.clone())
                .unwrap_or_default(),
            positive_pole: theme
                .poles
                .as_ref()
                .map(|p| p.positive.clone())
                .unwrap_or_default(),
            codings: counts.get(&theme.id).copied().unwrap_or(0),
        });
        for child in themes
            .iter()
            .filter(|t| t.parent_id == Some(theme.id) && t.id != theme.id)
        {
            visit(child, depth + 1, themes, counts, rows);
        }
    }
    for theme in themes
        .iter()
        .filter(|t| t.parent_id.is_none_or(|p| !ids.contains(&p)))
    {
        visit(theme, 0, &themes, &counts, &mut rows);
    }
    Ok(rows)
}

pub fn write_codebook_csv(out: &mut dyn Write, rows: &[CodebookRow]) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    for row in rows {
        writer
            .serialize(row)
            .map_err(|e| Error::Export(format!("CSV: {e}")))?;
    }
    writer
        .flush()
        .map_err(|e| Error::Export(format!("CSV: {e}")))?;
    Ok(())
}

pub fn codebook_markdown(title: &str, rows: &[CodebookRow]) -> String {
    let mut out = format!("# {}\n\n", escape_markdown(title));
    for row in rows {
        let indent = "  ".repeat(row.depth);
        out.push_str(&format!(
            "{indent}- **{}** `{}` — {} coding{}",
            escape_markdown(&row.name),
            row.color,
            row.codings,
            if row.codings == 1 { "" } else { "s" }
        ));
        if !row.negative_pole.is_empty() {
            out.push_str(&format!(
                " · axis: {} ↔ {}",
                escape_markdown(&row.negative_pole),
                escape_markdown(&row.positive_pole)
            ));
        }
        out.push('\n');
        if !row.description.trim().is_empty() {
            out.push_str(&format!(
                "{indent}  {}\n",
                escape_markdown(&row.description.trim().replace('\n', " "))
            ));
        }
    }
    out
}
