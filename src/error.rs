//! The one error type of the core. Each variant says what was wrong and, where it helps, what to do.

use std::path::PathBuf;

use crate::model::{CharSpan, CodingId, SourceId, ThemeId};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not open project {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "project {path} was written by a newer Sitat (schema version {found}, this build knows up to {supported}); update Sitat to open it"
    )]
    FutureSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("the project file {path} is read-only: copy it or change its permissions")]
    ReadOnlyFile { path: PathBuf },
    #[error(
        "the folder of the project {path} is read-only, and Sitat keeps its journal beside the project: copy the project to a folder you can write to, or change the folder's permissions"
    )]
    ReadOnlyFolder { path: PathBuf },
    #[error("the project file {path} is damaged ({detail}); open a backup copy of it instead")]
    DamagedProject { path: PathBuf, detail: String },
    #[error("{path} is not a Sitat project (no Sitat schema found); create one with `sitat new`")]
    NotAProject { path: PathBuf },
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("{what} {id} does not exist")]
    UnknownId { what: &'static str, id: i64 },
    #[error("no {what} named {name:?}{hint}")]
    UnknownName {
        what: &'static str,
        name: String,
        hint: String,
    },
    #[error("span {span} is outside source {source_id} ({len} characters long)")]
    SpanOutOfRange {
        source_id: SourceId,
        span: CharSpan,
        len: usize,
    },
    #[error("span {0} is empty or reversed: the end must be after the start")]
    EmptySpan(CharSpan),
    #[error("{theme_name} is not an axis theme, so its codings cannot carry a stance")]
    StanceOnNonAxisTheme {
        theme_id: ThemeId,
        theme_name: String,
    },
    #[error("stance {0} is out of range: it must be a whole number from -2 to +2")]
    StanceOutOfRange(i64),
    #[error("a theme needs a name")]
    EmptyThemeName,
    #[error("a theme named {0:?} exists already")]
    DuplicateThemeName(String),
    #[error("{0} needs a name")]
    EmptyName(&'static str),
    #[error("a coding needs a selection: select text in the document first")]
    NoSelection,
    #[error("{0:?} is not a colour: write it as #rrggbb")]
    BadColour(String),
    #[error("an axis theme needs both pole labels (or neither)")]
    HalfAxis,
    #[error("{0} cannot go under a theme inside itself: choose another parent")]
    ThemeCycle(String),
    #[error("coding {0} does not exist (was it removed or undone?)")]
    UnknownCoding(CodingId),
    #[error("cannot {action} “{summary}”: {reason}")]
    CannotUndo {
        action: &'static str,
        summary: String,
        reason: String,
    },
    #[error("nothing to undo")]
    NothingToUndo,
    #[error("nothing to redo")]
    NothingToRedo,
    #[error("the project changed under this command (expected {expected}); reload and try again")]
    Conflict { expected: String },
    #[error("could not read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    BadInput { path: PathBuf, reason: String },
    #[error("corpus manifest: {0}")]
    Manifest(String),
    #[error("export failed: {0}")]
    Export(String),
    #[error("the workbench could not start: {0}")]
    Gui(String),
    #[error("{0}")]
    Check(String),
    #[error("search index: {0}")]
    SearchIndex(String),
    #[error("the search index is damaged ({0}); it will be rebuilt from the project")]
    DamagedIndex(String),
    #[error("cannot search for {query:?}: {reason}")]
    BadQuery { query: String, reason: String },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Writing, creating, renaming or removing `path` failed.
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Write {
            path: path.into(),
            source,
        }
    }

    /// True when another process held the project's write lock for longer than we waited.
    pub fn is_busy(&self) -> bool {
        let sqlite = match self {
            Error::Database(e) | Error::Open { source: e, .. } => e,
            _ => return false,
        };
        matches!(
            sqlite.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    }

    pub fn bad_input(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Error::BadInput {
            path: path.into(),
            reason: reason.into(),
        }
    }
}
