//! The analysis views (`crate::analysis`) as reports: Markdown, self-contained HTML (with the
//! position map as inline SVG), plain text for the terminal, and their numbers as CSV and JSON.
//!
//! Every renderer is a pure function of a view, so output is deterministic: rows keep the views'
//! order and numbers print with two decimals.

mod agreement;
mod format;
mod grid;
mod html;
mod markdown;
mod svg;
mod tables;
mod text;

pub use agreement::{agreement_text, write_agreement_csv};
pub use format::{escape_html, escape_markdown, fixed2, mean_with_pole, signed2, stance_value};
pub use html::{compare_html, disagreements_html, matrix_html, positions_html};
pub use markdown::{compare_markdown, disagreements_markdown, matrix_markdown, positions_markdown};
pub use svg::position_map_svg;
pub use tables::{
    write_compare_csv, write_cooccurrence_csv, write_disagreements_csv, write_json,
    write_matrix_csv, write_positions_csv,
};
pub use text::{cooccurrence_text, disagreements_text, matrix_text, positions_text};
