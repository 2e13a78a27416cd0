//! Comparing actors: side-by-side columns per theme, stance positions on axis themes,
//! actor × theme and theme × theme matrices, disagreements between actors, and agreement
//! between coders.
//!
//! Everything here reads the project through its public API (`Project::excerpts`,
//! `Project::all_codings`, …) and returns plain, serialisable data; `export::report` renders it.
//! A coding belongs to the actor of the person who said it (the speaker turn holding its start,
//! else the source's person); codings in unattributed text (literature) belong to no actor.

pub mod agreement;
mod cited;
mod columns;
mod coverage;
mod disagreements;
mod matrix;
mod positions;
mod scope;
mod stance_summary;

pub use cited::CitedQuote;
pub use columns::{Column, ColumnGrouping, CompareOptions, SideBySide, side_by_side};
pub use coverage::{Coverage, covered_chars};
pub use disagreements::{
    AxisDisagreements, BothSides, OpposingPair, axis_disagreements, disagreements,
};
pub use matrix::{
    ActorThemeMatrix, CooccurrenceMatrix, MatrixActor, ThemeHeader, actor_theme_matrix,
    theme_cooccurrence,
};
pub use positions::{
    ActorPoint, ActorPosition, AxisPositions, PositionScope, pair_axes, positions,
};
pub use stance_summary::StanceSummary;
