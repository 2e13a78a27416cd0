//! Bringing files into a project: plain text and Markdown for now.

mod decode;

pub use decode::{DecodedText, decode_text};

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{SourceId, SourceKind};
use crate::project::{NewSource, Project};

/// Files larger than this are refused: a 50 MB transcript is almost surely not a transcript,
/// and reading it whole would stall the workbench.
pub const MAX_IMPORT_BYTES: u64 = 50 * 1024 * 1024;

/// What an import did, for the user.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    pub sources: Vec<(SourceId, String)>,
    pub warnings: Vec<String>,
}

/// Reads a text file as a new source (title = file name without extension).
pub fn read_text_file(path: &Path, kind: SourceKind) -> Result<(NewSource, Vec<String>)> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(ext.as_str(), "txt" | "md" | "markdown" | "text") {
        return Err(Error::bad_input(
            path,
            format!(
                "Sitat cannot import .{ext} files yet; save the document as plain text (.txt) or Markdown (.md)"
            ),
        ));
    }
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::bad_input(path, "is a folder, not a file"));
    }
    if meta.len() > MAX_IMPORT_BYTES {
        return Err(Error::bad_input(
            path,
            format!(
                "is {} MB; Sitat imports files up to {} MB — split it into parts",
                meta.len() / (1024 * 1024),
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let decoded = decode_text(&bytes).map_err(|reason| Error::bad_input(path, reason))?;
    if decoded.text.trim().is_empty() {
        return Err(Error::bad_input(
            path,
            "is empty: there is no text to import",
        ));
    }
    let mut warnings = Vec::new();
    if decoded.encoding != "UTF-8" {
        warnings.push(format!("{}: read as {}", path.display(), decoded.encoding));
    }
    let title = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("untitled")
        .to_string();
    let mut source = NewSource::new(kind, title, decoded.text);
    source
        .metadata
        .push(("file".into(), path.display().to_string()));
    source
        .metadata
        .push(("encoding".into(), decoded.encoding.to_string()));
    Ok((source, warnings))
}

/// Imports files as one undoable step: every file is read first, so one bad file imports none.
pub fn import_files(
    project: &mut Project,
    paths: &[PathBuf],
    kind: SourceKind,
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut news = Vec::new();
    for path in paths {
        let (source, warnings) = read_text_file(path, kind)?;
        report.warnings.extend(warnings);
        news.push(source);
    }
    let mut ids = project.ids()?;
    let mut commands = Vec::new();
    for new in news {
        let title = new.title.clone();
        let (id, command) = Project::add_source_command(&mut ids, new);
        report.sources.push((id, title));
        commands.push(command);
    }
    project.apply(crate::command::Command::Batch {
        label: format!("import {} files", paths.len()),
        commands,
    })?;
    Ok(report)
}
