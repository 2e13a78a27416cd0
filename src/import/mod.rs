//! Bringing files into a project: plain text and Markdown for now.

pub mod archive;
mod decode;
pub mod docx;
mod files;
pub mod pdf;
pub mod refi;
pub mod transcript;
pub(crate) mod xml;

pub use decode::{DecodedText, decode_text};
pub use files::{
    IMPORT_EXTENSIONS, ImportOptions, MAX_PROJECT_ARCHIVE_BYTES, PreparedImport, import_paths,
    import_paths_with_progress, prepare_import,
};
pub use transcript::SpeakerMap;

use crate::model::SourceId;

/// Files larger than this are refused: a 50 MB transcript is almost surely not a transcript,
/// and reading it whole would stall the workbench.
pub const MAX_IMPORT_BYTES: u64 = 50 * 1024 * 1024;

/// What an import did, for the user.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    pub sources: Vec<(SourceId, String)>,
    pub warnings: Vec<String>,
    /// Speaker turns stored (attributed to a person).
    pub turns: usize,
    /// Speaker labels found in transcripts that map to no person.
    pub unknown_speakers: Vec<String>,
    /// Created by a REFI-QDA import.
    pub themes: usize,
    pub codings: usize,
    pub actors: usize,
    pub persons: usize,
    pub memos: usize,
    /// What could not come over from a REFI-QDA file (audio, video, PDF areas …).
    pub not_imported: Vec<String>,
}
