//! Writing out: coded excerpts (CSV, XLSX, JSON, Markdown/HTML report), the codebook (CSV,
//! Markdown, REFI-QDA .qdc) and the whole project (REFI-QDA .qdpx); start at [`export`].

pub mod codebook;
mod excerpts;
mod formats;
pub mod refi;
pub mod report;
pub mod report_excerpts;
pub mod xlsx;

pub use excerpts::{ExcerptCsv, ExcerptRow, excerpt_rows, write_excerpts_csv, write_excerpts_json};
pub use formats::{ExportFormat, ExportReport, export, export_with_progress, project_title};
