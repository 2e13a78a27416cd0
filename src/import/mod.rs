//! Bringing files into a project: text, Markdown, Word, OpenDocument, PDF and REFI-QDA.

pub mod archive;
mod decode;
pub mod docx;
mod files;
pub mod pdf;
mod pdf_limits;
pub mod refi;
pub mod transcript;
pub(crate) mod xml;

pub use decode::{DecodedText, decode_text};
pub use files::{
    ActorChoice, IMPORT_EXTENSIONS, ImportOptions, MAX_PROJECT_ARCHIVE_BYTES, NewPerson,
    PreparedImport, import_paths, import_paths_with_progress, prepare_import,
};
pub use transcript::SpeakerMap;

use std::path::PathBuf;

use crate::model::SourceId;

/// Files larger than this are refused: a 50 MB transcript is almost surely not a transcript,
/// and reading it whole would stall the workbench.
pub const MAX_IMPORT_BYTES: u64 = 50 * 1024 * 1024;

/// A source's text may have at most this many characters (about three million words), whatever
/// the size of the file it came from: a small archive or PDF can unpack to far more.
pub const MAX_SOURCE_CHARS: usize = 20_000_000;

/// A speaker label in one file that maps to no person.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownSpeaker {
    pub file: PathBuf,
    pub label: String,
    /// Turns of this speaker in the file.
    pub turns: usize,
    /// The start of the speaker's first turn, label left out: helps tell who "R" is.
    pub sample: String,
}

/// What an import did, for the user.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    pub sources: Vec<(SourceId, String)>,
    pub warnings: Vec<String>,
    /// Speaker turns stored (attributed to a person).
    pub turns: usize,
    /// Speaker labels found in transcripts that map to no person.
    pub unknown_speakers: Vec<String>,
    /// The same, per file, with what each speaker says first: what the GUI asks about.
    pub speakers_to_map: Vec<UnknownSpeaker>,
    /// Created by a REFI-QDA import.
    pub themes: usize,
    pub codings: usize,
    pub actors: usize,
    pub persons: usize,
    pub memos: usize,
    /// What could not come over from a REFI-QDA file (audio, video, PDF areas …).
    pub not_imported: Vec<String>,
    /// How the positions of each REFI-QDA text source were read.
    pub position_readings: Vec<SourceReading>,
}

/// How the positions of one REFI-QDA source were counted.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceReading {
    /// The source's title.
    pub source: String,
    pub choice: refi::ReadingChoice,
}
