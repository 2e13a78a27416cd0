//! Writing coded excerpts out: CSV and JSON.

mod excerpts;

pub use excerpts::{ExcerptRow, excerpt_rows, write_excerpts_csv, write_excerpts_json};
