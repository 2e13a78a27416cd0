//! One entry point for every export: [`export`] writes a project (or the coded excerpts a
//! [`CodingFilter`] selects) in an [`ExportFormat`] to a file, atomically (a temporary file
//! renamed into place), and says what it wrote.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::export::{ExcerptCsv, codebook, refi, report_excerpts, write_excerpts_json, xlsx};
use crate::filter::CodingFilter;
use crate::project::Project;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// Coded excerpts, RFC 4180 CSV in UTF-8.
    Csv,
    /// The same CSV with a byte-order mark, so Excel, opening it with a double-click, reads it
    /// as UTF-8 («Håkonsen», not «HÃ¥konsen»).
    CsvExcel,
    /// Coded excerpts, an Excel workbook: every excerpt, then a sheet per theme.
    Xlsx,
    /// Coded excerpts as a JSON array.
    Json,
    /// Coded excerpts as a Markdown report grouped by theme, then actor.
    Markdown,
    /// The same report as self-contained HTML.
    Html,
    /// The whole project as a REFI-QDA archive as the standard says: positions in code points
    /// (ATLAS.ti, QualCoder, Quirkos …; the filter does not apply).
    Qdpx,
    /// The same for NVivo: positions in UTF-16 units.
    QdpxNvivo,
    /// The same for MAXQDA: source texts with `\r\n` line endings.
    QdpxMaxqda,
    /// The codebook as a REFI-QDA codebook (the filter does not apply).
    Qdc,
    /// The codebook as CSV.
    CodebookCsv,
    /// The codebook as Markdown.
    CodebookMarkdown,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 12] = [
        ExportFormat::Csv,
        ExportFormat::CsvExcel,
        ExportFormat::Xlsx,
        ExportFormat::Json,
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Qdpx,
        ExportFormat::QdpxNvivo,
        ExportFormat::QdpxMaxqda,
        ExportFormat::Qdc,
        ExportFormat::CodebookCsv,
        ExportFormat::CodebookMarkdown,
    ];

    /// The name the CLI takes: csv, xlsx, json, md, html, qdpx, qdpx-nvivo, qdpx-maxqda, qdc,
    /// codebook-csv, codebook-md.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::CsvExcel => "csv-excel",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
            ExportFormat::Markdown => "md",
            ExportFormat::Html => "html",
            ExportFormat::Qdpx => "qdpx",
            ExportFormat::QdpxNvivo => "qdpx-nvivo",
            ExportFormat::QdpxMaxqda => "qdpx-maxqda",
            ExportFormat::Qdc => "qdc",
            ExportFormat::CodebookCsv => "codebook-csv",
            ExportFormat::CodebookMarkdown => "codebook-md",
        }
    }

    pub fn parse(name: &str) -> Option<ExportFormat> {
        let name = name.trim().to_ascii_lowercase();
        let name = match name.as_str() {
            "markdown" => "md",
            "codebook-markdown" => "codebook-md",
            other => other,
        };
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The file name ending for a save dialog.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv | ExportFormat::CsvExcel | ExportFormat::CodebookCsv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
            ExportFormat::Markdown | ExportFormat::CodebookMarkdown => "md",
            ExportFormat::Html => "html",
            ExportFormat::Qdpx | ExportFormat::QdpxNvivo | ExportFormat::QdpxMaxqda => "qdpx",
            ExportFormat::Qdc => "qdc",
        }
    }

    /// For menus: "Coded excerpts (XLSX)".
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Csv => "Coded excerpts (CSV)",
            ExportFormat::CsvExcel => "Coded excerpts (CSV for Excel)",
            ExportFormat::Xlsx => "Coded excerpts (Excel XLSX)",
            ExportFormat::Json => "Coded excerpts (JSON)",
            ExportFormat::Markdown => "Excerpt report (Markdown)",
            ExportFormat::Html => "Excerpt report (HTML)",
            ExportFormat::Qdpx => "Project for ATLAS.ti, QualCoder … (REFI-QDA .qdpx, standard)",
            ExportFormat::QdpxNvivo => "Project for NVivo (REFI-QDA .qdpx, UTF-16 positions)",
            ExportFormat::QdpxMaxqda => "Project for MAXQDA (REFI-QDA .qdpx, CRLF line endings)",
            ExportFormat::Qdc => "Codebook (REFI-QDA .qdc)",
            ExportFormat::CodebookCsv => "Codebook (CSV)",
            ExportFormat::CodebookMarkdown => "Codebook (Markdown)",
        }
    }

    /// The tool a REFI-QDA project export is written for; `None` for other formats.
    pub fn qdpx_target(self) -> Option<refi::QdpxTarget> {
        match self {
            ExportFormat::Qdpx => Some(refi::QdpxTarget::Standard),
            ExportFormat::QdpxNvivo => Some(refi::QdpxTarget::Nvivo),
            ExportFormat::QdpxMaxqda => Some(refi::QdpxTarget::Maxqda),
            _ => None,
        }
    }

    /// The project export for `target`.
    pub fn qdpx_for(target: refi::QdpxTarget) -> ExportFormat {
        match target {
            refi::QdpxTarget::Standard => ExportFormat::Qdpx,
            refi::QdpxTarget::Nvivo => ExportFormat::QdpxNvivo,
            refi::QdpxTarget::Maxqda => ExportFormat::QdpxMaxqda,
        }
    }

    /// A file name for a save dialog: `<project>-excerpts.csv`, `<project>-codebook.qdc` …
    pub fn suggested_file_name(self, project_name: &str) -> String {
        let what = match self {
            ExportFormat::Csv | ExportFormat::Xlsx | ExportFormat::Json => "-excerpts",
            ExportFormat::CsvExcel => "-excerpts-excel",
            ExportFormat::Markdown | ExportFormat::Html => "-report",
            ExportFormat::Qdpx => "",
            ExportFormat::QdpxNvivo => "-nvivo",
            ExportFormat::QdpxMaxqda => "-maxqda",
            ExportFormat::Qdc | ExportFormat::CodebookCsv | ExportFormat::CodebookMarkdown => {
                "-codebook"
            }
        };
        format!("{project_name}{what}.{}", self.extension())
    }

    /// Whether the coding filter selects what is written.
    pub fn uses_filter(self) -> bool {
        matches!(
            self,
            ExportFormat::Csv
                | ExportFormat::CsvExcel
                | ExportFormat::Xlsx
                | ExportFormat::Json
                | ExportFormat::Markdown
                | ExportFormat::Html
        )
    }
}

impl std::fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportReport {
    pub path: PathBuf,
    pub format: ExportFormat,
    /// Coded excerpts written (REFI-QDA: codings).
    pub excerpts: usize,
    pub themes: usize,
    pub sources: usize,
    /// XLSX only: the sheet names.
    pub sheets: Vec<String>,
    pub warnings: Vec<String>,
}

impl ExportReport {
    /// One line for the user.
    pub fn summary(&self) -> String {
        let what = match self.format {
            ExportFormat::Qdpx | ExportFormat::QdpxNvivo | ExportFormat::QdpxMaxqda => format!(
                "{} sources, {} themes, {} codings",
                self.sources, self.themes, self.excerpts
            ),
            ExportFormat::Qdc | ExportFormat::CodebookCsv | ExportFormat::CodebookMarkdown => {
                format!("{} themes", self.themes)
            }
            _ => format!("{} coded excerpts", self.excerpts),
        };
        format!("wrote {} ({what}) to {}", self.format, self.path.display())
    }
}

/// The project's title for report headings: its `title` info, else its file name.
pub fn project_title(project: &Project) -> Result<String> {
    Ok(project
        .info("title")?
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| {
            project
                .path()
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("Sitat project")
                .to_string()
        }))
}

/// Writes `format` to `out_path`; see [`export_with_progress`].
pub fn export(
    project: &Project,
    format: ExportFormat,
    filter: &CodingFilter,
    out_path: &Path,
) -> Result<ExportReport> {
    export_with_progress(project, format, filter, out_path, &|_| {})
}

/// Writes `format` to `out_path` (replacing it only once the whole file is written), reporting
/// 0.0…1.0 to `progress`. Excerpt formats write what `filter` selects; REFI-QDA and codebook
/// formats write the whole project or codebook.
pub fn export_with_progress(
    project: &Project,
    format: ExportFormat,
    filter: &CodingFilter,
    out_path: &Path,
    progress: &dyn Fn(f32),
) -> Result<ExportReport> {
    refi::ensure_parent(out_path)?;
    if out_path.is_dir() {
        return Err(Error::BadInput {
            path: out_path.to_path_buf(),
            reason: "is a folder: give the name of a file to write, e.g. codings.csv in it".into(),
        });
    }
    progress(0.0);
    let mut report = ExportReport {
        path: out_path.to_path_buf(),
        format,
        excerpts: 0,
        themes: 0,
        sources: 0,
        sheets: Vec::new(),
        warnings: Vec::new(),
    };
    let tmp = temp_path(out_path);
    let result = write_to(project, format, filter, &tmp, progress, &mut report);
    match result {
        Ok(()) => {
            std::fs::rename(&tmp, out_path).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                Error::write(out_path, e)
            })?;
            progress(1.0);
            Ok(report)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            // The file being written is a hidden one beside `out_path`: name the one asked for.
            Err(match e {
                Error::Write { path, source } if path == tmp => Error::write(out_path, source),
                e => e,
            })
        }
    }
}

fn temp_path(out: &Path) -> PathBuf {
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("export");
    out.with_file_name(format!(".{name}.{}.part", std::process::id()))
}

fn write_to(
    project: &Project,
    format: ExportFormat,
    filter: &CodingFilter,
    tmp: &Path,
    progress: &dyn Fn(f32),
    report: &mut ExportReport,
) -> Result<()> {
    let file = File::create(tmp).map_err(|e| Error::write(tmp, e))?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let io = |e: std::io::Error| Error::write(tmp, e);
    if matches!(format, ExportFormat::Csv | ExportFormat::CsvExcel) {
        if format == ExportFormat::CsvExcel {
            out.write_all("\u{feff}".as_bytes()).map_err(io)?;
        }
        // Streamed: each excerpt is written as it is lent, nothing copied.
        let mut themes = HashSet::new();
        let mut sources = HashSet::new();
        let mut csv = ExcerptCsv::new(&mut out);
        report.excerpts = project.for_each_excerpt(filter, |e| {
            themes.insert(e.coding.theme_id);
            sources.insert(e.coding.source_id);
            csv.write(e)
        })?;
        csv.finish()?;
        report.themes = themes.len();
        report.sources = sources.len();
    } else if format.uses_filter() {
        let excerpts = project.excerpts(filter)?;
        progress(0.3);
        report.excerpts = excerpts.len();
        let mut themes: Vec<_> = excerpts.iter().map(|e| e.coding.theme_id).collect();
        themes.dedup();
        themes.sort();
        themes.dedup();
        report.themes = themes.len();
        let mut sources: Vec<_> = excerpts.iter().map(|e| e.coding.source_id).collect();
        sources.sort();
        sources.dedup();
        report.sources = sources.len();
        match format {
            ExportFormat::Json => write_excerpts_json(&mut out, &excerpts)?,
            ExportFormat::Xlsx => {
                let summary =
                    xlsx::write_excerpts_xlsx(&mut out, &excerpts, &|p| progress(0.3 + 0.7 * p))?;
                report.sheets = summary.sheets;
                report.warnings = summary.warnings;
            }
            ExportFormat::Markdown | ExportFormat::Html => {
                let title = format!("{} — coded excerpts", project_title(project)?);
                let themes = project.themes()?;
                let text = if format == ExportFormat::Markdown {
                    report_excerpts::excerpts_markdown(&title, &excerpts, &themes)
                } else {
                    report_excerpts::excerpts_html(&title, &excerpts, &themes)
                };
                out.write_all(text.as_bytes()).map_err(io)?;
            }
            _ => unreachable!("uses_filter"),
        }
    } else {
        match format {
            ExportFormat::Qdpx | ExportFormat::QdpxNvivo | ExportFormat::QdpxMaxqda => {
                let target = format.qdpx_target().unwrap_or_default();
                let counts = refi::write_qdpx(project, target, &mut out, progress)?;
                report.sources = counts.sources;
                report.themes = counts.codes;
                report.excerpts = counts.codings;
            }
            ExportFormat::Qdc => {
                report.themes = refi::write_qdc(project, &mut out)?;
            }
            ExportFormat::CodebookCsv | ExportFormat::CodebookMarkdown => {
                let rows = codebook::codebook_rows(project)?;
                report.themes = rows.len();
                if format == ExportFormat::CodebookCsv {
                    codebook::write_codebook_csv(&mut out, &rows)?;
                } else {
                    let title = format!("{} — codebook", project_title(project)?);
                    out.write_all(codebook::codebook_markdown(&title, &rows).as_bytes())
                        .map_err(io)?;
                }
            }
            _ => unreachable!("filter formats handled above"),
        }
    }
    out.flush().map_err(io)?;
    out.get_ref().sync_all().map_err(io)?;
    Ok(())
}
