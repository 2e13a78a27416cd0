//! The `sitat` command line: a thin layer over `Project` (ripgrep-style: parse, call, print).

pub mod search_output;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::{
    self, ColumnGrouping, CompareOptions, Counting, DisagreementPage, PositionScope,
};
use crate::error::{Error, Result};
use crate::export::report;
use crate::filter::CodingFilter;
use crate::import;
use crate::model::{ActorId, CharSpan, SourceId, SourceKind, ThemeId};
use crate::project::{NewCoding, Project};
use crate::user_settings::UserSettings;
use crate::{corpus, export, text};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    Md,
    Html,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PositionsFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    Text,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AgreementFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DisagreementsFormat {
    Text,
    Md,
    Html,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    Csv,
    Xlsx,
    Json,
    Md,
    Html,
    Qdpx,
    Qdc,
    CodebookCsv,
    CodebookMd,
}

impl From<ExportFormatArg> for export::ExportFormat {
    fn from(arg: ExportFormatArg) -> Self {
        use export::ExportFormat as F;
        match arg {
            ExportFormatArg::Csv => F::Csv,
            ExportFormatArg::Xlsx => F::Xlsx,
            ExportFormatArg::Json => F::Json,
            ExportFormatArg::Md => F::Markdown,
            ExportFormatArg::Html => F::Html,
            ExportFormatArg::Qdpx => F::Qdpx,
            ExportFormatArg::Qdc => F::Qdc,
            ExportFormatArg::CodebookCsv => F::CodebookCsv,
            ExportFormatArg::CodebookMd => F::CodebookMarkdown,
        }
    }
}

/// The tool a `.qdpx` export is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QdpxTargetArg {
    /// Positions in code points, as the standard says (ATLAS.ti, QualCoder …).
    Standard,
    /// Positions in UTF-16 units, as NVivo reads them.
    Nvivo,
    /// Source texts with CRLF line endings, as MAXQDA expects.
    Maxqda,
}

impl From<QdpxTargetArg> for export::refi::QdpxTarget {
    fn from(arg: QdpxTargetArg) -> Self {
        match arg {
            QdpxTargetArg::Standard => Self::Standard,
            QdpxTargetArg::Nvivo => Self::Nvivo,
            QdpxTargetArg::Maxqda => Self::Maxqda,
        }
    }
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
    Import {
        project: PathBuf,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// interview, literature, reference or note.
        #[arg(long, default_value = "interview")]
        kind: String,
        /// Attribute the imported sources to this person (by name).
        #[arg(long)]
        person: Option<String>,
        /// Map a speaker label to a person, e.g. --speaker "R=Helge Eide"; repeat for several.
        #[arg(long = "speaker", value_name = "LABEL=PERSON")]
        speakers: Vec<String>,
        /// A CSV file of speaker labels and person names (two columns: label,person).
        #[arg(long = "speakers", value_name = "MAP.csv")]
        speaker_file: Option<PathBuf>,
        /// Do not look for speaker turns.
        #[arg(long)]
        no_turns: bool,
        /// Keep REFI-QDA code names like "Group::Code" (ATLAS.ti's flattened code groups) as
        /// they are; by default a codebook whose every name has "::" is rebuilt as a tree.
        #[arg(long)]
        flat_code_names: bool,
    },
    /// Export coded excerpts (csv, xlsx, json, md, html — filtered like `codings`), the codebook
    /// (qdc, codebook-csv, codebook-md) or the whole project (qdpx, REFI-QDA) to OUT.
    Export {
        project: PathBuf,
        #[arg(long, value_enum)]
        format: ExportFormatArg,
        /// With --format qdpx: the tool that will read the file (standard: code-point
        /// positions; nvivo: UTF-16 positions; maxqda: CRLF line endings).
        #[arg(long = "for", value_enum, value_name = "TOOL")]
        target: Option<QdpxTargetArg>,
        /// With --format csv: begin with a byte-order mark, so Excel reads the file as UTF-8.
        #[arg(long)]
        bom: bool,
        out: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Code the span [START, END) of a source (in characters) with a theme.
    Code {
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
    },
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
    Compare {
        project: PathBuf,
        /// A theme's name (case-insensitive); repeat for several. A coding matches any of them.
        #[arg(long, required = true)]
        theme: Vec<String>,
        /// The actors to show, in this order, e.g. KS,FFO (default: all).
        #[arg(long, value_delimiter = ',')]
        actors: Vec<String>,
        /// One column per person instead of per actor.
        #[arg(long)]
        by_person: bool,
        #[arg(long, value_enum, default_value = "md")]
        format: CompareFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        counting: CountingArgs,
        /// Only the codings of this coder (by name); repeat for several.
        #[arg(long = "coder", value_name = "NAME")]
        coders: Vec<String>,
    },
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
            std::fs::write(path, report).map_err(|e| Error::io(path, e))?;
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
        CliCommand::Demo { path } => {
            let project = corpus::write_demo_project(&path)?;
            let stats = project.stats()?;
            write_out(
                out,
                &format!(
                    "wrote the demo project to {}: {} sources, {} codings\n",
                    path.display(),
                    stats.sources(),
                    stats.codings
                ),
            )
        }
        CliCommand::New { path } => {
            Project::create(&path)?;
            write_out(out, &format!("created {}\n", path.display()))
        }
        CliCommand::Import {
            project,
            files,
            kind,
            person,
            speakers,
            speaker_file,
            no_turns,
            flat_code_names,
        } => {
            let mut project = Project::open(&project)?;
            let mut options = import::ImportOptions {
                kind: parse_kind(&kind)?,
                detect_turns: !no_turns,
                rebuild_code_groups: !flat_code_names,
                ..Default::default()
            };
            if let Some(path) = speaker_file {
                options.speakers = import::SpeakerMap::read_csv(&path)?;
            }
            for entry in &speakers {
                let (label, name) = import::SpeakerMap::parse_entry(entry)?;
                options.speakers.add(&label, &name);
            }
            if let Some(name) = person {
                let person = project
                    .persons()?
                    .into_iter()
                    .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
                    .ok_or_else(|| Error::UnknownName {
                        what: "person",
                        name: name.clone(),
                        hint: String::new(),
                    })?;
                options.person_id = Some(person.id);
            }
            let report = import::import_paths(&mut project, &files, &options)?;
            write_out(out, &report.to_text())
        }
        CliCommand::Export {
            project,
            format,
            target,
            bom,
            out: out_path,
            filter,
        } => {
            let format = match (export::ExportFormat::from(format), bom) {
                (export::ExportFormat::Csv, true) => export::ExportFormat::CsvExcel,
                (format, false) => format,
                (format, true) => {
                    return Err(Error::Export(format!(
                        "--bom makes a CSV file of excerpts readable by Excel; it applies to --format csv, not {format}"
                    )));
                }
            };
            let format = match (format, target) {
                (format, None) => format,
                (export::ExportFormat::Qdpx, Some(target)) => {
                    export::ExportFormat::qdpx_for(target.into())
                }
                (format, Some(_)) => {
                    return Err(Error::Export(format!(
                        "--for names the tool that will read a REFI-QDA project; it applies to --format qdpx, not {format}"
                    )));
                }
            };
            let project = Project::open(&project)?;
            let filter = filter.resolve(&project)?;
            let report = export::export(&project, format, &filter, &out_path)?;
            let mut text = format!("{}\n", report.summary());
            for warning in &report.warnings {
                text.push_str(&format!("note: {warning}\n"));
            }
            write_out(out, &text)
        }
        CliCommand::Code {
            project,
            source,
            start,
            end,
            theme,
            stance,
            coder,
            memo,
        } => {
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
        CliCommand::Sources { project } => {
            let project = Project::open(&project)?;
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
        CliCommand::Themes { project } => {
            let project = Project::open(&project)?;
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
        CliCommand::Stats { project, format } => {
            let project = Project::open(&project)?;
            let stats = project.stats()?;
            let text = match format {
                ReportFormat::Text => stats.to_text(),
                ReportFormat::Json => {
                    serde_json::to_string_pretty(&stats).expect("stats serialise") + "\n"
                }
            };
            write_out(out, &text)
        }
        CliCommand::Codings {
            project,
            filter,
            format,
        } => {
            let project = Project::open(&project)?;
            let filter = filter.resolve(&project)?;
            let excerpts = project.excerpts(&filter)?;
            match format {
                TableFormat::Csv => export::write_excerpts_csv(out, &excerpts),
                TableFormat::Json => export::write_excerpts_json(out, &excerpts),
            }
        }
        CliCommand::Undo { project } => {
            let undone = Project::open(&project)?.undo()?;
            write_out(out, &format!("undid: {}\n", undone.summary()))
        }
        CliCommand::Redo { project } => {
            let redone = Project::open(&project)?.redo()?;
            write_out(out, &format!("redid: {}\n", redone.summary()))
        }
        CliCommand::History { project, limit } => {
            write_out(out, &history_text(&Project::open(&project)?, limit)?)
        }
        CliCommand::Backups { project, now, keep } => {
            let mut project = Project::open(&project)?;
            if let Some(keep) = keep {
                project.set_info(crate::backups::KEEP_KEY, &keep.max(1).to_string())?;
            }
            if now {
                let path = crate::backups::back_up(&project, "")?;
                write_out(out, &format!("backed up to {}\n", path.display()))?;
            }
            write_out(out, &backups_text(&project)?)
        }
        CliCommand::Restore { project, backup } => {
            let mut project = Project::open(&project)?;
            let before = crate::backups::restore(&mut project, &backup)?;
            write_out(
                out,
                &format!(
                    "restored {}\nthe state before is in {}: `sitat restore` it to take this back\n",
                    backup.display(),
                    before.display()
                ),
            )
        }
        CliCommand::Apply { project, commands } => {
            apply_lines(&mut Project::open(&project)?, &commands, out)
        }
        CliCommand::Check { project } => {
            let project = Project::open(&project)?;
            let problems = project.check()?;
            if problems.is_empty() {
                let stats = project.stats()?;
                write_out(
                    out,
                    &format!(
                        "ok: {} sources, {} codings, every span inside its source\n",
                        stats.sources(),
                        stats.codings
                    ),
                )
            } else {
                Err(Error::Check(format!(
                    "{} problem(s) found:\n  {}",
                    problems.len(),
                    problems.join("\n  ")
                )))
            }
        }
        CliCommand::Compare {
            project,
            theme,
            actors,
            by_person,
            format,
            output,
            counting,
            coders,
        } => {
            let project = Project::open(&project)?;
            let counting = counting.counting();
            let options = CompareOptions {
                coder_ids: coders
                    .iter()
                    .map(|name| project.coder_by_name(name).map(|c| c.id))
                    .collect::<Result<_>>()?,
                theme_ids: theme_ids(&project, &theme)?,
                actor_ids: actor_ids(&project, &actors)?,
                grouping: if by_person {
                    ColumnGrouping::Person
                } else {
                    ColumnGrouping::Actor
                },
                counting,
            };
            let view = analysis::side_by_side(&project, &options)?;
            let mut buffer = Vec::new();
            match format {
                CompareFormat::Md => buffer.extend(report::compare_markdown(&view).into_bytes()),
                CompareFormat::Html => {
                    let scope = PositionScope {
                        theme_ids: options.theme_ids.clone(),
                        actor_ids: options.actor_ids.clone(),
                        counting,
                        coder_ids: options.coder_ids.clone(),
                    };
                    let axes = analysis::positions(&project, &scope)?;
                    buffer.extend(report::compare_html(&view, &axes).into_bytes());
                }
                CompareFormat::Csv => report::write_compare_csv(&mut buffer, &view)?,
                CompareFormat::Json => report::write_json(&mut buffer, &view)?,
            }
            emit(out, output.as_deref(), &buffer)
        }
        CliCommand::Positions {
            project,
            format,
            counting,
        } => {
            let project = Project::open(&project)?;
            let scope = PositionScope {
                counting: counting.counting(),
                ..Default::default()
            };
            let axes = analysis::positions(&project, &scope)?;
            match format {
                PositionsFormat::Text => write_out(out, &report::positions_text(&axes)),
                PositionsFormat::Json => report::write_json(out, &axes),
                PositionsFormat::Csv => report::write_positions_csv(out, &axes),
            }
        }
        CliCommand::Matrix {
            project,
            format,
            cooccurrence,
            counting,
        } => {
            let project = Project::open(&project)?;
            if cooccurrence {
                let matrix = analysis::theme_cooccurrence(&project)?;
                match format {
                    MatrixFormat::Text => write_out(out, &report::cooccurrence_text(&matrix)),
                    MatrixFormat::Csv => report::write_cooccurrence_csv(out, &matrix),
                    MatrixFormat::Json => report::write_json(out, &matrix),
                }
            } else {
                let mut matrix = analysis::actor_theme_matrix(&project)?;
                matrix.counting = counting.counting();
                match format {
                    MatrixFormat::Text => write_out(out, &report::matrix_text(&matrix)),
                    MatrixFormat::Csv => report::write_matrix_csv(out, &matrix),
                    MatrixFormat::Json => report::write_json(out, &matrix),
                }
            }
        }
        CliCommand::Search {
            project,
            query,
            kwic,
            limit,
            format,
        } => {
            let project = Project::open(&project)?;
            let results = search_healing(&project, &query, limit)?;
            match format {
                SearchFormat::Text => search_output::write_text(out, &results, kwic),
                SearchFormat::Json => search_output::write_json(out, &results),
                SearchFormat::Csv => search_output::write_csv(out, &results),
            }
        }
        CliCommand::Merge {
            project,
            other,
            format,
        } => {
            let mut project = Project::open(&project)?;
            let report = crate::merge::merge_path(&mut project, &other)?;
            match format {
                ReportFormat::Text => write_out(out, &report.to_text()),
                ReportFormat::Json => report::write_json(out, &report),
            }
        }
        CliCommand::Agreement {
            project,
            coders,
            theme,
            format,
        } => agreement(&project, &coders, &theme, format, out),
        CliCommand::Disagreements {
            project,
            format,
            limit,
            page,
            counting,
        } => {
            let project = Project::open(&project)?;
            let page = DisagreementPage {
                offset: page.saturating_sub(1).saturating_mul(limit),
                limit,
                counting: counting.counting(),
            };
            let axes = analysis::disagreements_page(&project, &page)?;
            match format {
                DisagreementsFormat::Text => write_out(out, &report::disagreements_text(&axes)),
                DisagreementsFormat::Md => write_out(out, &report::disagreements_markdown(&axes)),
                DisagreementsFormat::Html => write_out(out, &report::disagreements_html(&axes)),
                DisagreementsFormat::Json => report::write_json(out, &axes),
            }
        }
    }
}

fn agreement(
    project: &Path,
    coders: &[String],
    themes: &[String],
    format: AgreementFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let project = Project::open(project)?;
    let options = analysis::agreement::AgreementOptions {
        coder_ids: coders
            .iter()
            .filter(|name| !name.trim().is_empty())
            .map(|name| project.coder_by_name(name).map(|c| c.id))
            .collect::<Result<_>>()?,
        theme_ids: theme_ids(&project, themes)?,
    };
    let report = analysis::agreement::agreement(&project, &options)?;
    match format {
        AgreementFormat::Text => write_out(out, &report::agreement_text(&report)),
        AgreementFormat::Json => report::write_json(out, &report),
        AgreementFormat::Csv => report::write_agreement_csv(out, &report),
    }
}

/// Searches the project's index; a damaged index is moved aside and rebuilt from the project
/// (saying so once on standard error), then searched again.
fn search_healing(
    project: &Project,
    query: &str,
    limit: usize,
) -> Result<crate::index::SearchResults> {
    use crate::index::SearchIndex;
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

/// Applies each line of `commands` as one change, acknowledging each once it is durable.
fn apply_lines(project: &mut Project, commands: &Path, out: &mut dyn Write) -> Result<()> {
    use std::io::BufRead;
    let reader: Box<dyn BufRead> = if commands == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(commands).map_err(|e| Error::io(commands, e))?;
        Box::new(std::io::BufReader::new(file))
    };
    for (index, line) in reader.lines().enumerate() {
        let number = index + 1;
        let line = line.map_err(|e| Error::io(commands, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let command: crate::Command = serde_json::from_str(&line).map_err(|e| {
            Error::bad_input(
                commands,
                format!("line {number} is not a Sitat command: {e}"),
            )
        })?;
        project
            .apply_with(|_, ids| {
                let mut command = command.clone();
                command.assign_new_ids(ids);
                Ok(((), Some(command)))
            })
            .map_err(|e| Error::bad_input(commands, format!("line {number}: {e}")))?;
        // The transaction has committed with synchronous=FULL: the change is on the disk.
        write_out(out, &format!("applied {number}\n"))?;
        out.flush().map_err(|e| Error::io("standard output", e))?;
    }
    Ok(())
}

/// The backups, one a line: time (UTC), size, sources, codings, file.
fn backups_text(project: &Project) -> Result<String> {
    let backups = crate::backups::list(project.path())?;
    let mut text = format!(
        "{} backup(s) in {} (keeping {})\n",
        backups.len(),
        crate::backups::dir_for(project.path()).display(),
        crate::backups::keep(project)
    );
    for b in &backups {
        let ms = b
            .modified
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        text.push_str(&format!(
            "{}\t{:.1} MB\t{} sources\t{} codings\t{}\n",
            crate::time::format_utc(ms),
            b.bytes as f64 / 1_048_576.0,
            b.sources,
            b.codings,
            b.path.display()
        ));
    }
    Ok(text)
}

/// The newest `limit` changes, one a line: time (UTC), who, what; and what undo would do next.
fn history_text(project: &Project, limit: usize) -> Result<String> {
    let mut text = String::new();
    for row in project.audit(limit)? {
        let what = match row.action.as_str() {
            "undo" => format!("undo: {}", row.summary),
            "redo" => format!("redo: {}", row.summary),
            _ => row.summary.clone(),
        };
        let who = if row.coder.is_empty() {
            "-"
        } else {
            &row.coder
        };
        text.push_str(&format!(
            "{}\t{who}\t{}\n",
            crate::time::format_utc(row.at_ms),
            text::one_line(&what)
        ));
    }
    match project.undo_summary() {
        Some(next) => text.push_str(&format!("`sitat undo` would take back: {next}\n")),
        None => text.push_str("nothing to undo\n"),
    }
    Ok(text)
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
