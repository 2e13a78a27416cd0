//! Sitat: a workbench for qualitative analysis. This crate is the headless core — the model,
//! the SQLite store, commands with undo, import, export and analysis — plus, behind the `gui`
//! feature, the egui workbench in `ui`.

pub mod analysis;
pub mod backups;
pub mod cli;
pub mod command;
pub mod corpus;
pub mod error;
pub mod export;
pub mod filter;
pub mod id_shift;
pub mod import;
pub mod index;
pub mod merge;
pub mod model;
pub mod project;
pub mod quiet_panic;
pub mod stats;
pub mod store;
pub mod text;
pub mod time;
pub mod user_settings;

#[cfg(feature = "gui")]
pub mod ui;

pub use command::Command;
pub use error::{Error, Result};
pub use filter::CodingFilter;
pub use project::{NewCoding, NewSource, NewTheme, Project, Step};
pub use stats::ProjectStats;
