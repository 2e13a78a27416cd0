//! `sitat search`: the project's full-text index, healed when damaged.

use std::io::Write;
use std::path::Path;

use clap::ValueEnum;

use super::search_output;
use crate::error::{Error, Result};
use crate::index::{SearchIndex, SearchResults};
use crate::project::Project;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    Text,
    Json,
    Csv,
}

pub fn search(
    project: &Path,
    query: &str,
    kwic: bool,
    limit: usize,
    format: SearchFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let project = Project::open(project)?;
    let results = search_healing(&project, query, limit)?;
    match format {
        SearchFormat::Text => search_output::write_text(out, &results, kwic),
        SearchFormat::Json => search_output::write_json(out, &results),
        SearchFormat::Csv => search_output::write_csv(out, &results),
    }
}

/// Searches the project's index; a damaged index is moved aside and rebuilt from the project
/// (saying so once on standard error), then searched again.
fn search_healing(project: &Project, query: &str, limit: usize) -> Result<SearchResults> {
    let open = |project: &Project| -> Result<SearchIndex> {
        let index = SearchIndex::open_or_rebuild(project, &|_| {})?;
        if let Some(note) = index.open_report().damage_note() {
            eprintln!("note: {note}");
        }
        Ok(index)
    };
    let index = open(project)?;
    match index.search(project, query, limit) {
        Err(Error::DamagedIndex(why)) => {
            let aside = index.set_aside()?;
            eprintln!(
                "note: the search index was damaged ({why}); {}rebuilt from the project",
                aside
                    .map(|p| format!("it was moved to {} and ", p.display()))
                    .unwrap_or_default()
            );
            open(project)?.search(project, query, limit)
        }
        other => other,
    }
}
