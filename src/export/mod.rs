//! Writing coded excerpts out: CSV and JSON.

mod excerpts;
pub mod report;

pub use excerpts::{ExcerptRow, excerpt_rows, write_excerpts_csv, write_excerpts_json};
