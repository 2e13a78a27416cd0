//! Full-text search: a tantivy index of the project's sources, kept as a cache of the store.
//!
//! - [`SearchIndex::open_or_rebuild`] opens the index beside the project file
//!   (`NAME.sitat.index/`), or rebuilds it from the store when it is missing, corrupt, of an
//!   older format, or stamped with another revision than the store's ([`crate::Project::revision`]).
//! - [`SearchIndex::search`] runs a query (see README.md, "Search", and [`query`]) and returns
//!   [`SearchResults`]: hits with their exact code point span in the source, the person and
//!   actor, and the number of matching paragraphs per actor; the results give each hit's words,
//!   names and KWIC line ([`SearchResults::kwic`]) when it is shown.
//! - [`SearchIndex::refresh`] brings the index up to date after imports and edits of sources,
//!   re-indexing only the sources the commands since the indexed revision touched, and commits on
//!   a debounce ([`SearchIndex::set_commit_delay`]); [`SearchIndex::commit`] forces it. Searches
//!   see committed changes only. Codings are not indexed: filters on them read the store.
//!
//! Layout: `query` (the language), `compile` (to tantivy queries), `codings` (filters on
//! codings, a query of Sitat's own), `collect` (the best paragraphs and counts per actor, one
//! collector), `hits` (search: each hit's span and names), `spans`, `kwic`, `language` and
//! `words` (words, stems, languages), `vocabulary` (compounds), `schema`, `catalog` (names),
//! `lifecycle` (open, rebuild, refresh), and what searches keep in memory: `paragraphs`,
//! `texts`, `segment_cache`.
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
pub use kwic::{KWIC_CONTEXT, Kwic, kwic};
pub(crate) use lifecycle::MAX_INCREMENTAL;
pub use lifecycle::{OpenReport, RebuildReason, RefreshReport, SearchIndex};
