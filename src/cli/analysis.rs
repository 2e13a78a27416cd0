//! Subcommands that compare what actors and coders say: `compare`, `positions`, `matrix`,
//! `disagreements`, `agreement`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{CountingArgs, actor_ids, emit, theme_ids, write_out};
use crate::analysis::{
    self, ColumnGrouping, CompareOptions, Counting, DisagreementPage, PositionScope,
};
use crate::error::Result;
use crate::export::report;
use crate::project::Project;

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
pub enum DisagreementsFormat {
    Text,
    Md,
    Html,
    Json,
}

/// The options of `sitat compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
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
}

pub fn compare(args: CompareArgs, out: &mut dyn Write) -> Result<()> {
    let project = Project::open(&args.project)?;
    let counting = args.counting.counting();
    let options = CompareOptions {
        coder_ids: args
            .coders
            .iter()
            .map(|name| project.coder_by_name(name).map(|c| c.id))
            .collect::<Result<_>>()?,
        theme_ids: theme_ids(&project, &args.theme)?,
        actor_ids: actor_ids(&project, &args.actors)?,
        grouping: if args.by_person {
            ColumnGrouping::Person
        } else {
            ColumnGrouping::Actor
        },
        counting,
    };
    let view = analysis::side_by_side(&project, &options)?;
    let mut buffer = Vec::new();
    match args.format {
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
    emit(out, args.output.as_deref(), &buffer)
}

pub fn positions(
    project: &Path,
    format: PositionsFormat,
    counting: Counting,
    out: &mut dyn Write,
) -> Result<()> {
    let project = Project::open(project)?;
    let scope = PositionScope {
        counting,
        ..Default::default()
    };
    let axes = analysis::positions(&project, &scope)?;
    match format {
        PositionsFormat::Text => write_out(out, &report::positions_text(&axes)),
        PositionsFormat::Json => report::write_json(out, &axes),
        PositionsFormat::Csv => report::write_positions_csv(out, &axes),
    }
}

pub fn matrix(
    project: &Path,
    format: MatrixFormat,
    cooccurrence: bool,
    counting: Counting,
    out: &mut dyn Write,
) -> Result<()> {
    let project = Project::open(project)?;
    if cooccurrence {
        let matrix = analysis::theme_cooccurrence(&project)?;
        match format {
            MatrixFormat::Text => write_out(out, &report::cooccurrence_text(&matrix)),
            MatrixFormat::Csv => report::write_cooccurrence_csv(out, &matrix),
            MatrixFormat::Json => report::write_json(out, &matrix),
        }
    } else {
        let mut matrix = analysis::actor_theme_matrix(&project)?;
        matrix.counting = counting;
        match format {
            MatrixFormat::Text => write_out(out, &report::matrix_text(&matrix)),
            MatrixFormat::Csv => report::write_matrix_csv(out, &matrix),
            MatrixFormat::Json => report::write_json(out, &matrix),
        }
    }
}

pub fn disagreements(
    project: &Path,
    format: DisagreementsFormat,
    page: DisagreementPage,
    out: &mut dyn Write,
) -> Result<()> {
    let project = Project::open(project)?;
    let axes = analysis::disagreements_page(&project, &page)?;
    match format {
        DisagreementsFormat::Text => write_out(out, &report::disagreements_text(&axes)),
        DisagreementsFormat::Md => write_out(out, &report::disagreements_markdown(&axes)),
        DisagreementsFormat::Html => write_out(out, &report::disagreements_html(&axes)),
        DisagreementsFormat::Json => report::write_json(out, &axes),
    }
}

pub fn agreement(
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
