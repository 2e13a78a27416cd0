//! Subcommands that code and list: `code`, `sources`, `themes`, `stats`, `codings`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{FilterArgs, ReportFormat, TableFormat, write_out};
use crate::error::Result;
use crate::export;
use crate::model::{CharSpan, SourceId};
use crate::project::{NewCoding, Project};
use crate::text;
use crate::user_settings::UserSettings;

/// The options of `sitat code`.
#[derive(Debug, Args)]
pub struct CodeArgs {
    project: PathBuf,
    #[arg(long)]
    source: i64,
    #[arg(long)]
    start: usize,
    #[arg(long)]
    end: usize,
    /// The theme's name (case-insensitive).
    #[arg(long)]
    theme: String,
    /// −2…+2 on an axis theme; negative leans to the first pole.
    #[arg(long, allow_hyphen_values = true)]
    stance: Option<i64>,
    /// Who is coding (default: $SITAT_CODER, else the workbench's Edit → Settings, else
    /// the login name).
    #[arg(long)]
    coder: Option<String>,
    #[arg(long)]
    memo: Option<String>,
}

pub fn code(args: CodeArgs, out: &mut dyn Write) -> Result<()> {
    let CodeArgs {
        project,
        source,
        start,
        end,
        theme,
        stance,
        coder,
        memo,
    } = args;
    let mut project = Project::open(&project)?;
    // The workbench's coder setting, unless named here or in $SITAT_CODER.
    let coder = coder.or_else(|| UserSettings::load().coder_for_commands());
    if let Some(coder) = coder {
        project.set_coder(coder);
    }
    let theme = project.theme_by_name(&theme)?;
    let mut new = NewCoding::new(SourceId(source), CharSpan::new(start, end), theme.id);
    new.stance = stance;
    new.memo = memo.unwrap_or_default();
    let id = project.code(new)?;
    let coding = project.coding(id)?;
    let source = project.source(coding.source_id)?;
    let quote = text::slice_chars(&source.text, coding.span).unwrap_or_default();
    write_out(
        out,
        &format!(
            "coding {} on source {}: {} «{}»\n",
            id.0,
            source.id.0,
            theme.name,
            text::one_line(quote)
        ),
    )
}

pub fn sources(project: &Path, out: &mut dyn Write) -> Result<()> {
    let project = Project::open(project)?;
    let persons = project.persons()?;
    let actors = project.actors()?;
    let mut text = String::from("id\tkind\tcharacters\tcodings\tperson\tactor\ttitle\n");
    for s in project.sources()? {
        let person = persons.iter().find(|p| Some(p.id) == s.person_id);
        let actor = actors.iter().find(|a| Some(a.id) == s.actor_id);
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            s.id.0,
            s.kind,
            s.char_len,
            s.coding_count,
            person.map(|p| p.name.as_str()).unwrap_or(""),
            actor.map(|a| a.name.as_str()).unwrap_or(""),
            s.title
        ));
    }
    write_out(out, &text)
}

pub fn themes(project: &Path, out: &mut dyn Write) -> Result<()> {
    let project = Project::open(project)?;
    let themes = project.themes()?;
    let mut text = String::new();
    for theme in &themes {
        let depth = std::iter::successors(theme.parent_id, |p| {
            themes.iter().find(|t| t.id == *p).and_then(|t| t.parent_id)
        })
        .count();
        let axis = theme
            .poles
            .as_ref()
            .map(|p| format!("  [axis: {} ↔ {}]", p.negative, p.positive))
            .unwrap_or_default();
        text.push_str(&format!(
            "{}{} {}{axis}\n",
            "  ".repeat(depth),
            theme.color,
            theme.name
        ));
    }
    write_out(out, &text)
}

pub fn stats(project: &Path, format: ReportFormat, out: &mut dyn Write) -> Result<()> {
    let project = Project::open(project)?;
    let stats = project.stats()?;
    let text = match format {
        ReportFormat::Text => stats.to_text(),
        ReportFormat::Json => serde_json::to_string_pretty(&stats).expect("stats serialise") + "\n",
    };
    write_out(out, &text)
}

pub fn codings(
    project: &Path,
    filter: &FilterArgs,
    format: TableFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let project = Project::open(project)?;
    let filter = filter.resolve(&project)?;
    let excerpts = project.excerpts(&filter)?;
    match format {
        TableFormat::Csv => export::write_excerpts_csv(out, &excerpts),
        TableFormat::Json => export::write_excerpts_json(out, &excerpts),
    }
}
