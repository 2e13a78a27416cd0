//! Full-text search: a tantivy index of the project's sources, kept as a cache of the store.
//!
//! - [`SearchIndex::open_or_rebuild`] opens the index beside the project file
//!   (`NAME.sitat.index/`), or rebuilds it from the store when it is missing, corrupt, of an
//!   older format, or stamped with another revision than the store's ([`crate::Project::revision`]).
//! - [`SearchIndex::search`] runs a query (see README.md, "Search", and [`query`]) and returns
//!   [`SearchResults`]: hits with their exact code point span in the source, the person and
//!   actor, and the number of matching paragraphs per actor; the results give each hit's words,
//!   names and KWIC line ([`SearchResults::kwic`]) when it is shown.
//! - [`SearchIndex::refresh`] brings the index up to date after changes (imports, codings): it
//!   re-indexes only the sources that the commands since the indexed revision touched, through
//!   one long-lived writer, and commits on a debounce ([`SearchIndex::set_commit_delay`]);
//!   [`SearchIndex::commit`] forces it. Searches see committed changes only.
//!
//! Layout: `language` (words, stems, languages), `words` (the analysers' tokenizer),
//! `schema` (fields and documents), `query`
//! (the query language), `compile` (to a `plan`), `evaluate` (runs a plan over each segment,
//! with `doc_bits`, `matched` (a part's paragraphs and scores), `bm25` (tantivy's scoring),
//! `phrase` (phrases by positions), `best` (the best paragraphs) and `actor_counts`), `vocabulary` (compounds),
//! `catalog` (names for filters and hits), `lifecycle` (open, rebuild, refresh), `hits` (search:
//! each hit's span and names), `spans` (each hit's exact span), `kwic`, `texts`,
//! `paragraphs` and `segment_cache` (what searches keep in memory). Coding hits is
//! [`crate::Project::code_spans`]; printing them, the CLI's `search_output`.
//!
//! A `SearchIndex` is `Send`: the GUI can build or refresh it on a worker thread with its own
//! [`crate::Project`] (one SQLite connection per thread) and hand it back.

mod catalog;
mod codings;
mod collect;
mod compile;
mod hits;
mod kwic;
pub mod language;
mod lifecycle;
mod paragraphs;
pub mod query;
pub mod schema;
mod segment_cache;
mod spans;
mod texts;
mod vocabulary;
mod words;

pub use hits::{ActorCount, Hit, SearchResults, SearchTimings};
pub use kwic::{KWIC_CONTEXT, Kwic};
pub(crate) use lifecycle::MAX_INCREMENTAL;
pub use lifecycle::{OpenReport, RebuildReason, RefreshReport, SearchIndex};
