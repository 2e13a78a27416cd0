//! Comparing actors: side-by-side columns per theme, stance positions on axis themes,
//! actor × theme and theme × theme matrices, disagreements between actors, and agreement
//! between coders.
//!
//! Everything here reads the project through its public API (`Project::excerpts`,
//! `Project::all_codings`, …) and returns plain, serialisable data; `export::report` renders it.
//! Stances and counts are taken per quote by default, not per coding (see `quotes`): an actor's
//! overlapping, nested or same-paragraph codings on one theme are one voice.
//! A coding belongs to the actor of the person who said it (the speaker turn holding its start,
//! else the source's person); codings in unattributed text (literature) belong to no actor.

pub mod agreement;
mod cited;
mod columns;
mod coverage;
mod disagreements;
mod matrix;
mod positions;
mod quotes;
mod scope;
mod stance_summary;

pub use cited::CitedQuote;
pub use columns::{Column, ColumnGrouping, CompareOptions, SideBySide, side_by_side};
pub use coverage::{Coverage, covered_chars};
pub use disagreements::{
    ActorPairDisagreements, AxisDisagreements, BothSides, DisagreementPage, OpposingPair,
    axis_disagreements, axis_disagreements_page, disagreements, disagreements_page,
};
pub use matrix::{
    ActorThemeMatrix, CooccurrenceMatrix, MatrixActor, ThemeHeader, actor_theme_matrix,
    theme_cooccurrence,
};
pub use positions::{
    ActorPoint, ActorPosition, AxisPositions, PositionScope, pair_axes, positions,
};
pub use quotes::{Counting, StanceQuote};
pub use stance_summary::StanceSummary;
