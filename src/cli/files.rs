//! Subcommands on project files: `demo`, `new`, `import`, `export`, `merge`, `check`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{FilterArgs, ReportFormat, parse_kind, write_out};
use crate::error::{Error, Result};
use crate::export::report;
use crate::project::Project;
use crate::{corpus, export, import};

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

/// The options of `sitat import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
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
}

/// The options of `sitat export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
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
}

pub fn demo(path: &Path, out: &mut dyn Write) -> Result<()> {
    let project = corpus::write_demo_project(path)?;
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

pub fn new(path: &Path, out: &mut dyn Write) -> Result<()> {
    Project::create(path)?;
    write_out(out, &format!("created {}\n", path.display()))
}

pub fn import(args: ImportArgs, out: &mut dyn Write) -> Result<()> {
    let ImportArgs {
        project,
        files,
        kind,
        person,
        speakers,
        speaker_file,
        no_turns,
        flat_code_names,
    } = args;
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
        options.person_id = Some(project.person_by_name(&name)?.id);
    }
    let report = import::import_paths(&mut project, &files, &options)?;
    let mut text = report.to_text();
    if !report.unknown_speakers.is_empty() {
        text.push_str(
            "note: to attribute their turns, import again with --speaker LABEL=PERSON or --speakers MAP.csv\n",
        );
    }
    write_out(out, &text)
}

pub fn export(args: ExportArgs, out: &mut dyn Write) -> Result<()> {
    let ExportArgs {
        project,
        format,
        target,
        bom,
        out: out_path,
        filter,
    } = args;
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
        (export::ExportFormat::Qdpx, Some(target)) => export::ExportFormat::qdpx_for(target.into()),
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

pub fn merge(
    project: &Path,
    other: &Path,
    format: ReportFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let mut project = Project::open(project)?;
    let report = crate::merge::merge_path(&mut project, other)?;
    match format {
        ReportFormat::Text => write_out(out, &report.to_text()),
        ReportFormat::Json => report::write_json(out, &report),
    }
}

pub fn check(project: &Path, out: &mut dyn Write) -> Result<()> {
    let project = Project::open(project)?;
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
