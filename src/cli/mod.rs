//! The `sitat` command line: a thin layer over `Project` (ripgrep-style: parse, call, print).
//!
//! One function per subcommand, in a file per group: `files` (demo, new, import, export, merge,
//! check), `coding` (code, sources, themes, stats, codings), `history` (undo, redo, history,
//! backups, restore, apply), `analysis` (compare, positions, matrix, disagreements, agreement)
//! and `search` (printed by `search_output`). This file holds the arguments and the dispatch.

mod analysis;
mod coding;
mod files;
mod history;
mod search;
pub mod search_output;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::{Counting, DisagreementPage};
use crate::error::{Error, Result};
use crate::filter::CodingFilter;
use crate::model::{ActorId, SourceKind, ThemeId};
use crate::project::Project;

pub use analysis::{
    AgreementFormat, CompareArgs, CompareFormat, DisagreementsFormat, MatrixFormat, PositionsFormat,
};
pub use coding::CodeArgs;
pub use files::{ExportArgs, ExportFormatArg, ImportArgs, QdpxTargetArg};
pub use search::SearchFormat;

#[derive(Debug, Parser)]
#[command(
    name = "sitat",
    version,
    about = "Sitat: code interview quotes against themes and compare what each actor says.",
    long_about = "Sitat: code interview quotes against themes and compare what each actor says.\n\nWithout a subcommand, the workbench opens on the demo project (or on PROJECT)."
)]
pub struct Cli {
    /// A project to open in the workbench (default: the demo project).
    pub project: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Write the demo project (the Fafo note on the trust reform, pre-coded) to PATH.
    Demo { path: PathBuf },
    /// Create an empty project at PATH.
    New { path: PathBuf },
    /// Import files or whole folders as sources, in one undoable step: .txt and .md (UTF-8,
    /// UTF-16 with BOM or Windows-1252), .docx, .odt, .pdf (text layer), REFI-QDA projects
    /// (.qdpx) and codebooks (.qdc). Speaker turns in transcripts ("I:", "Name:",
    /// "[00:12:03] Name:") are attributed to persons.
    Import(ImportArgs),
    /// Export coded excerpts (csv, xlsx, json, md, html — filtered like `codings`), the codebook
    /// (qdc, codebook-csv, codebook-md) or the whole project (qdpx, REFI-QDA) to OUT.
    Export(ExportArgs),
    /// Code the span [START, END) of a source (in characters) with a theme.
    Code(CodeArgs),
    /// List the sources with their ids, kinds, persons and coding counts.
    Sources { project: PathBuf },
    /// List the codebook.
    Themes { project: PathBuf },
    /// Counts of sources, actors, persons, themes and codings.
    Stats {
        project: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
    },
    /// Coded excerpts with quote, source, person, actor, theme, stance and span.
    Codings {
        project: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, value_enum, default_value = "csv")]
        format: TableFormat,
    },
    /// Take back the last change to the project, made here or in the workbench, in this run
    /// or an earlier one.
    Undo { project: PathBuf },
    /// Redo the last change taken back by `undo`.
    Redo { project: PathBuf },
    /// The changes to the project, newest first: when, who, and what.
    History {
        project: PathBuf,
        /// At most this many changes.
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
    /// The project's backups (in NAME.backups/ beside it), oldest first: time, size, sources
    /// and codings. The workbench takes one when it opens a project and hourly while open.
    Backups {
        project: PathBuf,
        /// Take a backup now.
        #[arg(long)]
        now: bool,
        /// Keep this many backups from now on (default 10).
        #[arg(long)]
        keep: Option<usize>,
    },
    /// Put a backup back as the project. The current state is backed up first, so the restore
    /// can itself be taken back by restoring that.
    Restore { project: PathBuf, backup: PathBuf },
    /// Apply changes written as JSON, one command a line (the form of `sitat history`'s log:
    /// {"op": "add_coding", …}; id 0 means a new id), one transaction each. Prints "applied N"
    /// for line N once that change is on the disk; stops at the first that fails.
    Apply {
        project: PathBuf,
        /// The commands, or - for standard input.
        commands: PathBuf,
    },
    /// Check the file: SQLite integrity, foreign keys, every span inside its source.
    Check { project: PathBuf },
    /// Compare actors side by side: for the chosen themes, one column of quotes per actor, with
    /// count of quotes, share of the actor's coded text and mean stance. HTML adds the position
    /// map.
    Compare(CompareArgs),
    /// Each actor's stances on each axis theme, one per quote: n (quotes), mean, min, max,
    /// standard deviation, and the quotes.
    Positions {
        project: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: PositionsFormat,
        #[command(flatten)]
        counting: CountingArgs,
    },
    /// Actors × themes: quotes and share of each actor's coded text per theme.
    Matrix {
        project: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: MatrixFormat,
        /// Themes × themes instead: pairs of codings whose spans overlap in the same source.
        #[arg(long)]
        cooccurrence: bool,
        #[command(flatten)]
        counting: CountingArgs,
    },
    /// Opposing quotes of different actors on each axis theme, grouped by pair of actors,
    /// strongest first; and actors on both sides.
    Disagreements {
        project: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: DisagreementsFormat,
        /// Rows per pair of actors (and quotes per side for actors on both sides).
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Which page of rows, from 1.
        #[arg(long, default_value_t = 1)]
        page: usize,
        #[command(flatten)]
        counting: CountingArgs,
    },
    /// Bring a colleague's work into PROJECT, as one undoable step: OTHER is a .sitat project or
    /// a REFI-QDA .qdpx. Sources match by text, themes by GUID then path, actors, persons and
    /// coders by name; the rest is added, codings under their own coders; differences that
    /// cannot both be kept are listed.
    Merge {
        project: PathBuf,
        other: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
    },
    /// Inter-coder agreement per theme, for two or more coders: percent agreement, Cohen's κ
    /// and Krippendorff's α (α interval on an axis theme's stances), by paragraph and by
    /// character, over all text and over coded text only (see README, "Agreement").
    Agreement {
        project: PathBuf,
        /// The coders to compare, e.g. --coders Ada,Bo (default: every coder with codings).
        #[arg(long, value_delimiter = ',')]
        coders: Vec<String>,
        /// Only this theme (case-insensitive); repeat for several.
        #[arg(long)]
        theme: Vec<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: AgreementFormat,
    },
    /// Full-text search (see README, "Search"): words, "phrases", prefix*, fuzzy~, NEAR/n,
    /// OR, NOT/-, and filters actor:, person:, kind:, theme:"…", coder:, uncoded. Builds or updates the
    /// index beside the project file first when needed.
    Search {
        project: PathBuf,
        query: String,
        /// Keyword-in-context lines: the hits aligned in one column.
        #[arg(long)]
        kwic: bool,
        /// At most this many hits.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, value_enum, default_value = "text")]
        format: SearchFormat,
    },
}

fn parse_kind(kind: &str) -> Result<SourceKind> {
    SourceKind::parse(kind).ok_or_else(|| Error::UnknownName {
        what: "source kind",
        name: kind.to_string(),
        hint: "; use interview, literature, reference or note".into(),
    })
}

/// The `--per-coding` option of the comparison commands.
#[derive(Debug, Args)]
pub struct CountingArgs {
    /// Count every coding on its own instead of one voice per quote (by default, an actor's
    /// codings on a theme that overlap, nest or lie in one paragraph are one quote, whose stance
    /// is the mean of theirs).
    #[arg(long)]
    per_coding: bool,
}

impl CountingArgs {
    fn counting(&self) -> Counting {
        if self.per_coding {
            Counting::Codings
        } else {
            Counting::Quotes
        }
    }
}

/// The `--theme`, `--actor` and `--kind` options of the excerpt commands.
#[derive(Debug, Args)]
pub struct FilterArgs {
    #[arg(long)]
    theme: Vec<String>,
    #[arg(long)]
    actor: Vec<String>,
    /// interview, literature, reference or note.
    #[arg(long)]
    kind: Vec<String>,
    /// Only the codings of this coder (by name); repeat for several.
    #[arg(long = "coder", value_name = "NAME")]
    coders: Vec<String>,
}

impl FilterArgs {
    /// The options as a filter, names resolved case-insensitively.
    fn resolve(&self, project: &Project) -> Result<CodingFilter> {
        let mut filter = CodingFilter::default();
        for name in &self.theme {
            filter.theme_ids.push(project.theme_by_name(name)?.id);
        }
        for name in &self.actor {
            filter.actor_ids.push(project.actor_by_name(name)?.id);
        }
        for kind in &self.kind {
            filter.source_kinds.push(parse_kind(kind)?);
        }
        for name in &self.coders {
            filter.coder_ids.push(project.coder_by_name(name)?.id);
        }
        Ok(filter)
    }
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("standard output", e))
}

/// Writes a report to `output` (saying where) or, without one, to `out`.
fn emit(out: &mut dyn Write, output: Option<&Path>, report: &[u8]) -> Result<()> {
    match output {
        Some(path) => {
            std::fs::write(path, report).map_err(|e| Error::write(path, e))?;
            write_out(out, &format!("wrote {}\n", path.display()))
        }
        None => out
            .write_all(report)
            .map_err(|e| Error::io("standard output", e)),
    }
}

fn theme_ids(project: &Project, names: &[String]) -> Result<Vec<ThemeId>> {
    names
        .iter()
        .map(|name| project.theme_by_name(name).map(|t| t.id))
        .collect()
}

fn actor_ids(project: &Project, names: &[String]) -> Result<Vec<ActorId>> {
    names
        .iter()
        .filter(|name| !name.trim().is_empty())
        .map(|name| project.actor_by_name(name).map(|a| a.id))
        .collect()
}

/// Runs one subcommand, writing its output to `out`.
pub fn run(command: CliCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        CliCommand::Demo { path } => files::demo(&path, out),
        CliCommand::New { path } => files::new(&path, out),
        CliCommand::Import(args) => files::import(args, out),
        CliCommand::Export(args) => files::export(args, out),
        CliCommand::Merge {
            project,
            other,
            format,
        } => files::merge(&project, &other, format, out),
        CliCommand::Check { project } => files::check(&project, out),
        CliCommand::Code(args) => coding::code(args, out),
        CliCommand::Sources { project } => coding::sources(&project, out),
        CliCommand::Themes { project } => coding::themes(&project, out),
        CliCommand::Stats { project, format } => coding::stats(&project, format, out),
        CliCommand::Codings {
            project,
            filter,
            format,
        } => coding::codings(&project, &filter, format, out),
        CliCommand::Undo { project } => history::undo(&project, out),
        CliCommand::Redo { project } => history::redo(&project, out),
        CliCommand::History { project, limit } => history::history(&project, limit, out),
        CliCommand::Backups { project, now, keep } => history::backups(&project, now, keep, out),
        CliCommand::Restore { project, backup } => history::restore(&project, &backup, out),
        CliCommand::Apply { project, commands } => history::apply(&project, &commands, out),
        CliCommand::Compare(args) => analysis::compare(args, out),
        CliCommand::Positions {
            project,
            format,
            counting,
        } => analysis::positions(&project, format, counting.counting(), out),
        CliCommand::Matrix {
            project,
            format,
            cooccurrence,
            counting,
        } => analysis::matrix(&project, format, cooccurrence, counting.counting(), out),
        CliCommand::Disagreements {
            project,
            format,
            limit,
            page,
            counting,
        } => {
            let page = DisagreementPage {
                offset: page.saturating_sub(1).saturating_mul(limit),
                limit,
                counting: counting.counting(),
            };
            analysis::disagreements(&project, format, page, out)
        }
        CliCommand::Agreement {
            project,
            coders,
            theme,
            format,
        } => analysis::agreement(&project, &coders, &theme, format, out),
        CliCommand::Search {
            project,
            query,
            kwic,
            limit,
            format,
        } => search::search(&project, &query, kwic, limit, format, out),
    }
}

/// True when the error is standard output closed by its reader (`sitat search … | head`):
/// the reader has what it wanted, so `main` exits quietly, as Unix tools do.
pub fn is_closed_output(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
        {
            return true;
        }
        cause = e.source();
    }
    false
}

/// Prints an error with its chain of causes, as `main` does before exiting non-zero.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = format!("error: {error}");
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(&format!("\n  caused by: {e}"));
        cause = e.source();
    }
    text
}
