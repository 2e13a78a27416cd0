//! The index's life: open it beside the project, rebuild it when it is missing, corrupt, of
//! another format or stale, and keep it up to date incrementally with one long-lived writer and
//! debounced commits.
//!
//! The stamp is the commit payload, `{"format": F, "revision": R}`: R is the store revision the
//! committed index reflects. Incremental refresh reads the audit log rows written since R (one
//! row per revision), re-indexes the sources those commands touched, and falls back to a full
//! rebuild when it cannot tell (e.g. a person moved to another actor).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use tantivy::index::SegmentMeta;
use tantivy::indexer::UserOperation;
use tantivy::{
    FutureResult, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError,
};

use super::catalog::Catalog;
use super::codings::CodingFilters;
use super::language::Stemmers;
use super::paragraphs::SegmentParagraphs;
use super::schema::{self, FORMAT, Fields, SourceContext};
use super::segment_cache::PerSegment;
use super::texts::SourceTexts;
use super::vocabulary::Vocabulary;
use crate::command::Command;
use crate::error::{Error, Result};
use crate::model::{ActorId, PersonId, Source, SourceId, SpeakerTurn};
use crate::project::Project;

/// Memory for the writer's indexing threads, shared: enough for 1M words in one segment each.
const WRITER_BUDGET: usize = 256 * 1024 * 1024;
const MAX_INDEX_THREADS: usize = 4;
/// More revisions than this since the stamp: rebuild instead of replaying the audit log.
pub(crate) const MAX_INCREMENTAL: i64 = 10_000;
/// A refresh touching this many sources is a bulk import: commit at once, and merge.
const BULK_SOURCES: usize = 20;
const DEFAULT_COMMIT_DELAY: Duration = Duration::from_secs(2);

/// Why the index was rebuilt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RebuildReason {
    /// No index folder (or an empty one).
    Missing,
    /// The folder could not be opened as an index; the message says why.
    Corrupt(String),
    /// Written by another version of Sitat's schema or analysis.
    OtherFormat,
    /// Stamped with another revision than the store's.
    Stale { index: i64, store: i64 },
    /// [`SearchIndex::rebuild`] was called, or a change could not be applied incrementally.
    Requested,
}

/// What [`SearchIndex::open_or_rebuild`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenReport {
    /// `None` when the index on disk was current and simply opened.
    pub rebuilt: Option<RebuildReason>,
    /// Paragraph documents in the index.
    pub documents: u64,
    pub elapsed: Duration,
    /// True when another process holds the index's writer lock, so this index was built in
    /// memory for this session.
    pub in_memory: bool,
    /// Where a damaged index folder was moved before the rebuild.
    pub set_aside: Option<PathBuf>,
}

impl OpenReport {
    /// A line for the user when the index had to be rebuilt because it was damaged.
    pub fn damage_note(&self) -> Option<String> {
        let Some(RebuildReason::Corrupt(why)) = &self.rebuilt else {
            return None;
        };
        Some(match &self.set_aside {
            Some(aside) => format!(
                "the search index was damaged ({why}); it was moved to {} and rebuilt from the project",
                aside.display()
            ),
            None => {
                format!("the search index was damaged ({why}); it was rebuilt from the project")
            }
        })
    }
}

/// What [`SearchIndex::refresh`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefreshReport {
    pub reindexed_sources: usize,
    pub rebuilt: bool,
    pub committed: bool,
}

/// The search index of one project. See the [module docs](super).
pub struct SearchIndex {
    pub(super) dir: Option<PathBuf>,
    pub(super) index: Index,
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    pub(super) stemmers: Stemmers,
    /// Shared with the results of searches, for their names.
    pub(super) catalog: Arc<Catalog>,
    /// Each segment's paragraph facts, read at its first search.
    pub(super) paragraphs: Arc<PerSegment<SegmentParagraphs>>,
    /// The codings that `theme:`, `coder:` and `uncoded` read (see `codings`).
    pub(super) coding_filters: CodingFilters,
    /// The distinct words of the `exact` field, for compounds (see `vocabulary`).
    pub(super) vocabulary: Vocabulary,
    /// Source texts hits are cut from (the index stores none).
    pub(super) texts: SourceTexts,
    writer: Option<IndexWriter<TantivyDocument>>,
    /// The store revision whose changes the writer holds (committed or not).
    indexed_revision: i64,
    committed_revision: i64,
    pending_since: Option<Instant>,
    commit_delay: Duration,
    report: OpenReport,
    /// A merge of all segments into one, running on tantivy's merge thread: started after a
    /// rebuild or a bulk import, shown to searches by [`SearchIndex::refresh`] once done.
    merging: Option<FutureResult<Option<SegmentMeta>>>,
    /// Set by a search that found the index damaged.
    damaged: AtomicBool,
}

/// An empty index with its writer, and its folder (`None`: in memory).
type FreshIndex = (Option<PathBuf>, Index, Fields, IndexWriter<TantivyDocument>);

pub(super) fn ix(e: TantivyError) -> Error {
    Error::SearchIndex(e.to_string())
}

fn stamp_json(revision: i64) -> String {
    serde_json::json!({ "format": FORMAT, "revision": revision }).to_string()
}

fn read_stamp(index: &Index) -> Option<(u32, i64)> {
    let payload = index.load_metas().ok()?.payload?;
    let v: serde_json::Value = serde_json::from_str(&payload).ok()?;
    Some((v["format"].as_u64()? as u32, v["revision"].as_i64()?))
}

fn open_reader(index: &Index) -> Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(ix)
}

/// One indexing thread per core, up to four: analysis is most of a rebuild, and each thread
/// writes its own segment.
fn new_writer(index: &Index) -> std::result::Result<IndexWriter<TantivyDocument>, TantivyError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_INDEX_THREADS);
    index.writer_with_num_threads(threads, WRITER_BUDGET)
}

impl SearchIndex {
    /// Where the index of the project at `project_path` lives: `NAME.index/` beside it.
    pub fn dir_for(project_path: &Path) -> PathBuf {
        let mut name = project_path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "project".into());
        name.push(".index");
        project_path.with_file_name(name)
    }

    /// Opens the index beside the project, or rebuilds it from the store (calling `progress`
    /// with 0.0…1.0) when it is missing, corrupt, of another format, or stale. Never fails
    /// because of the index's state alone: only store or disk errors come back as errors.
    pub fn open_or_rebuild(project: &Project, progress: &dyn Fn(f32)) -> Result<SearchIndex> {
        let started = Instant::now();
        let dir = Self::dir_for(project.path());
        let revision = project.revision()?;
        // Opening reads tantivy's files, which may be damaged in any way: an error or a panic
        // inside it means the index is corrupt, never that the project cannot be searched.
        let opened = crate::quiet_panic::catch_quietly(|| {
            Self::open_current(project, &dir, revision, started)
        })
        .unwrap_or_else(|panic| Ok(Err(RebuildReason::Corrupt(panic))));
        let reason = match opened? {
            Ok(index) => return Ok(index),
            Err(reason) => reason,
        };
        let mut set_aside = None;
        if matches!(reason, RebuildReason::Corrupt(_)) {
            set_aside = Self::move_aside(&dir)?;
        }
        let fresh = Self::fresh(dir)?;
        Self::build(project, fresh, reason, set_aside, started, progress)
    }

    /// A new index built from the store into `fresh` (an empty index and its writer).
    fn build(
        project: &Project,
        (dir, index, fields, writer): FreshIndex,
        reason: RebuildReason,
        set_aside: Option<PathBuf>,
        started: Instant,
        progress: &dyn Fn(f32),
    ) -> Result<SearchIndex> {
        let reader = open_reader(&index)?;
        let report = OpenReport {
            rebuilt: Some(reason),
            documents: 0,
            elapsed: Duration::ZERO,
            in_memory: dir.is_none(),
            set_aside,
        };
        let mut me = Self::assemble(dir, index, reader, fields, Some(writer), -1, report);
        me.rebuild_all(project, progress)?;
        me.report.documents = me.reader.searcher().num_docs();
        me.report.elapsed = started.elapsed();
        Ok(me)
    }

    /// The index in `dir` when it is whole and current; otherwise why it must be rebuilt.
    /// Every segment file's checksum is verified, so a truncated, zeroed or garbled file is
    /// found here rather than by a search.
    fn open_current(
        project: &Project,
        dir: &Path,
        revision: i64,
        started: Instant,
    ) -> Result<std::result::Result<SearchIndex, RebuildReason>> {
        let (index, fields) = match Self::try_open(dir) {
            Ok(opened) => opened,
            Err(reason) => return Ok(Err(reason)),
        };
        let reason = match read_stamp(&index) {
            Some((FORMAT, stamped)) if stamped == revision => match index.validate_checksum() {
                Ok(damaged) if damaged.is_empty() => None,
                Ok(damaged) => Some(RebuildReason::Corrupt(format!(
                    "damaged files: {}",
                    damaged
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
                Err(e) => Some(RebuildReason::Corrupt(e.to_string())),
            },
            Some((FORMAT, stamped)) => Some(RebuildReason::Stale {
                index: stamped,
                store: revision,
            }),
            Some(_) => Some(RebuildReason::OtherFormat),
            None if index
                .searchable_segment_ids()
                .map(|s| s.is_empty())
                .unwrap_or(false) =>
            {
                Some(RebuildReason::Missing)
            }
            None => Some(RebuildReason::Corrupt(
                "the index has no revision stamp".into(),
            )),
        };
        if let Some(reason) = reason {
            return Ok(Err(reason));
        }
        let reader = match open_reader(&index) {
            Ok(reader) => reader,
            Err(e) => return Ok(Err(RebuildReason::Corrupt(e.to_string()))),
        };
        let documents = reader.searcher().num_docs();
        let mut vocabulary = Vocabulary::default();
        if let Err(e) = vocabulary.refresh(&reader.searcher(), fields.exact) {
            return Ok(Err(RebuildReason::Corrupt(e.to_string())));
        }
        let report = OpenReport {
            rebuilt: None,
            documents,
            elapsed: started.elapsed(),
            in_memory: false,
            set_aside: None,
        };
        let dir = Some(dir.to_path_buf());
        let mut me = Self::assemble(dir, index, reader, fields, None, revision, report);
        me.catalog = Arc::new(Catalog::load(project)?);
        me.vocabulary = vocabulary;
        Ok(Ok(me))
    }

    fn assemble(
        dir: Option<PathBuf>,
        index: Index,
        reader: IndexReader,
        fields: Fields,
        writer: Option<IndexWriter<TantivyDocument>>,
        revision: i64,
        report: OpenReport,
    ) -> SearchIndex {
        SearchIndex {
            dir,
            index,
            reader,
            fields,
            stemmers: Stemmers::default(),
            catalog: Arc::default(),
            paragraphs: Arc::default(),
            coding_filters: CodingFilters::default(),
            vocabulary: Vocabulary::default(),
            texts: SourceTexts::default(),
            writer,
            indexed_revision: revision,
            committed_revision: revision,
            pending_since: None,
            commit_delay: DEFAULT_COMMIT_DELAY,
            merging: None,
            report,
            damaged: AtomicBool::new(false),
        }
    }

    /// Renames a damaged index folder to `NAME.index.damaged` (replacing an older one), so it
    /// can be looked at but is never read again; returns where it went.
    fn move_aside(dir: &Path) -> Result<Option<PathBuf>> {
        if !dir.exists() {
            return Ok(None);
        }
        let mut name = dir.file_name().unwrap_or_default().to_os_string();
        name.push(".damaged");
        let aside = dir.with_file_name(name);
        if aside.exists() {
            std::fs::remove_dir_all(&aside).map_err(|e| Error::write(&aside, e))?;
        }
        std::fs::rename(dir, &aside).map_err(|e| Error::write(dir, e))?;
        Ok(Some(aside))
    }

    /// True once a search found the index damaged (see [`Error::DamagedIndex`]): the owner
    /// should [`SearchIndex::set_aside`] it and open a rebuilt one.
    pub fn is_damaged(&self) -> bool {
        self.damaged.load(Ordering::Relaxed)
    }

    pub(super) fn mark_damaged(&self) {
        self.damaged.store(true, Ordering::Relaxed);
    }

    /// Closes a damaged index and moves its folder aside, so that the next
    /// [`SearchIndex::open_or_rebuild`] builds a new one from the store.
    pub fn set_aside(self) -> Result<Option<PathBuf>> {
        let dir = self.dir.clone();
        drop(self);
        match dir {
            Some(dir) => Self::move_aside(&dir),
            None => Ok(None),
        }
    }

    fn try_open(dir: &Path) -> std::result::Result<(Index, Fields), RebuildReason> {
        if !dir.join("meta.json").exists() {
            return Err(RebuildReason::Missing);
        }
        let index = Index::open_in_dir(dir).map_err(|e| RebuildReason::Corrupt(e.to_string()))?;
        let fields = schema::fields_of(&index.schema()).ok_or(RebuildReason::OtherFormat)?;
        schema::register_analyzers(&index);
        Ok((index, fields))
    }

    /// An empty index with its writer: in `dir` (cleared or created), or in memory when another
    /// process holds the writer lock of `dir`.
    fn fresh(dir: PathBuf) -> Result<FreshIndex> {
        if let Ok((index, fields)) = Self::try_open(&dir) {
            match new_writer(&index) {
                Ok(writer) => {
                    writer.delete_all_documents().map_err(ix)?;
                    return Ok((Some(dir), index, fields, writer));
                }
                Err(TantivyError::LockFailure(..)) => return Self::in_memory(),
                Err(_) => {}
            }
        }
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
        let (schema, fields) = schema::build_schema();
        let index = Index::create_in_dir(&dir, schema).map_err(ix)?;
        schema::register_analyzers(&index);
        match new_writer(&index) {
            Ok(writer) => Ok((Some(dir), index, fields, writer)),
            Err(TantivyError::LockFailure(..)) => Self::in_memory(),
            Err(e) => Err(ix(e)),
        }
    }

    fn in_memory() -> Result<FreshIndex> {
        let (schema, fields) = schema::build_schema();
        let index = Index::create_in_ram(schema);
        schema::register_analyzers(&index);
        let writer = new_writer(&index).map_err(ix)?;
        Ok((None, index, fields, writer))
    }

    /// What opening did: whether (and why) the index was rebuilt, and how long it took.
    pub fn open_report(&self) -> &OpenReport {
        &self.report
    }

    /// The index folder; `None` for an index kept in memory.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The store revision the index reflects (its committed part may lag, see [`Self::commit`]).
    pub fn revision(&self) -> i64 {
        self.indexed_revision
    }

    /// The store revision of the last commit: what searches see.
    pub fn committed_revision(&self) -> i64 {
        self.committed_revision
    }

    /// True when changes wait for the debounced commit.
    pub fn has_pending(&self) -> bool {
        self.pending_since.is_some()
    }

    /// How long after the first uncommitted change [`Self::refresh`] commits (default 2 s).
    pub fn set_commit_delay(&mut self, delay: Duration) {
        self.commit_delay = delay;
    }

    /// Paragraph documents searches see.
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The documents of each segment searches see (for benchmarks: the layout moves timings).
    pub fn segment_sizes(&self) -> Vec<u32> {
        let searcher = self.reader.searcher();
        searcher
            .segment_readers()
            .iter()
            .map(|s| s.max_doc())
            .collect()
    }

    fn writer(&mut self) -> Result<&mut IndexWriter<TantivyDocument>> {
        if self.writer.is_none() {
            let writer = new_writer(&self.index).map_err(|e| match e {
                TantivyError::LockFailure(..) => Error::SearchIndex(
                    "another Sitat process is updating this project's search index; close it first"
                        .into(),
                ),
                e => ix(e),
            })?;
            self.writer = Some(writer);
        }
        Ok(self.writer.as_mut().expect("writer just set"))
    }

    /// Rebuilds the whole index from the store and commits it.
    pub fn rebuild(&mut self, project: &Project, progress: &dyn Fn(f32)) -> Result<()> {
        self.wait_for_merge()?;
        self.writer()?.delete_all_documents().map_err(ix)?;
        self.rebuild_all(project, progress)
    }

    fn rebuild_all(&mut self, project: &Project, progress: &dyn Fn(f32)) -> Result<()> {
        progress(0.0);
        self.texts.clear();
        let revision = project.revision()?;
        let sources = project.all_sources()?;
        let actor_of = actor_map(project)?;
        let fields = self.fields;
        let total = sources.len().max(1) as f32;
        let sources = in_actor_order(project, &sources, &actor_of)?;
        let writer = self.writer()?;
        let mut batch = Vec::new();
        for (i, (actor, source, turns)) in sources.iter().enumerate() {
            let ctx = SourceContext {
                source,
                turns,
                actor_of: &actor_of,
            };
            let docs = schema::source_documents(&fields, &ctx);
            batch.extend(docs.into_iter().map(UserOperation::Add));
            // An actor's paragraphs go to the writer as one batch, which tantivy writes to one
            // segment: so each is one range of the merged index, where an intersection with
            // the actor's postings skips the rest of the other terms' postings.
            let actor_ends = sources.get(i + 1).is_none_or(|next| next.0 != *actor);
            if actor_ends || (actor.is_none() && batch.len() >= UNATTRIBUTED_BATCH) {
                writer.run(std::mem::take(&mut batch)).map_err(ix)?;
            }
            if i % 64 == 0 {
                progress(0.9 * i as f32 / total);
            }
        }
        self.indexed_revision = revision;
        self.pending_since = Some(Instant::now());
        // Searchable as one segment per indexing thread; merged into one in the background,
        // so that the rebuild need not wait for the merge, and searches afterwards read one
        // segment, which is cheaper than several.
        self.commit()?;
        self.start_merge()?;
        self.catalog = Arc::new(Catalog::load(project)?);
        progress(1.0);
        Ok(())
    }

    /// Shows searches the last commit, and forgets what was kept of segments now gone.
    fn reload(&mut self) -> Result<()> {
        self.reader.reload().map_err(ix)?;
        let live: Vec<_> = self
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        self.paragraphs.retain(&live);
        self.vocabulary
            .refresh(&self.reader.searcher(), self.fields.exact)
            .map_err(ix)?;
        Ok(())
    }

    /// Starts merging all segments into one on tantivy's merge thread (after a rebuild or a
    /// bulk import); searches keep reading the segments they have until it is done.
    fn start_merge(&mut self) -> Result<()> {
        self.wait_for_merge()?;
        let ids = self.index.searchable_segment_ids().map_err(ix)?;
        if ids.len() > 1 {
            let merge = self.writer()?.merge(&ids);
            self.merging = Some(merge);
        }
        Ok(())
    }

    /// Shows searches the merged segment if the merge is done; never waits for it.
    fn land_merge_if_done(&mut self) -> Result<()> {
        let Some(merge) = &mut self.merging else {
            return Ok(());
        };
        // The future's channel needs no waker: it is asked again at the next refresh.
        let Poll::Ready(merged) = Pin::new(merge).poll(&mut Context::from_waker(Waker::noop()))
        else {
            return Ok(());
        };
        self.merging = None;
        self.land_merge(merged)
    }

    /// Waits for a merge in progress, if any, and shows searches its segment.
    pub fn wait_for_merge(&mut self) -> Result<()> {
        match self.merging.take() {
            // (`FutureResult::wait` may not be called on a future that was polled, as
            // `land_merge_if_done` polls it.)
            Some(merge) => self.land_merge(pollster::block_on(merge)),
            None => Ok(()),
        }
    }

    /// True while segments are being merged in the background.
    pub fn is_merging(&self) -> bool {
        self.merging.is_some()
    }

    fn land_merge(&mut self, merged: tantivy::Result<Option<SegmentMeta>>) -> Result<()> {
        // A failed merge leaves the segments as they were: searches stay whole, only slower.
        merged.map_err(ix)?;
        if let Some(writer) = &self.writer {
            // The merged segments' files are deleted in the writer's thread; nothing waits.
            drop(writer.garbage_collect_files());
        }
        self.reload()
    }

    /// Commits pending changes now (stamped with the revision they reflect) and makes them
    /// visible to searches. Cheap when nothing is pending.
    pub fn commit(&mut self) -> Result<()> {
        if self.pending_since.is_none() {
            return Ok(());
        }
        let revision = self.indexed_revision;
        let writer = self.writer()?;
        let mut prepared = writer.prepare_commit().map_err(ix)?;
        prepared.set_payload(&stamp_json(revision));
        prepared.commit().map_err(ix)?;
        self.reload()?;
        self.committed_revision = revision;
        self.pending_since = None;
        Ok(())
    }

    /// Brings the index up to the project's revision: re-indexes the sources that the commands
    /// since the indexed revision added, removed or re-attributed; commits when the
    /// first pending change is older than the commit delay, or at once after a bulk import
    /// (then merging segments in the background); shows searches a merge that is done. Call it
    /// after applying commands, or once per frame: it costs one small query when nothing
    /// changed.
    pub fn refresh(&mut self, project: &Project) -> Result<RefreshReport> {
        let mut report = RefreshReport::default();
        self.land_merge_if_done()?;
        let revision = project.revision()?;
        if revision != self.indexed_revision && self.writer.is_none() && self.dir.is_some() {
            match new_writer(&self.index) {
                Ok(writer) => self.writer = Some(writer),
                // Another process (a second window on the project) keeps the folder's index up
                // to date: this one follows the store in memory from now on.
                Err(TantivyError::LockFailure(..)) => {
                    let reason = RebuildReason::Stale {
                        index: self.indexed_revision,
                        store: revision,
                    };
                    let fresh = Self::in_memory()?;
                    *self = Self::build(project, fresh, reason, None, Instant::now(), &|_| {})?;
                    report.rebuilt = true;
                    report.committed = true;
                    return Ok(report);
                }
                Err(e) => return Err(ix(e)),
            }
        }
        if revision != self.indexed_revision {
            match self.changed_sources(project, revision)? {
                None => {
                    self.writer()?.delete_all_documents().map_err(ix)?;
                    self.rebuild_all(project, &|_| {})?;
                    report.rebuilt = true;
                    report.committed = true;
                    return Ok(report);
                }
                Some(changed) => {
                    report.reindexed_sources = changed.len();
                    self.reindex(project, &changed)?;
                    self.indexed_revision = revision;
                    self.pending_since.get_or_insert_with(Instant::now);
                    self.catalog = Arc::new(Catalog::load(project)?);
                    if changed.len() >= BULK_SOURCES {
                        self.commit()?;
                        self.start_merge()?;
                        report.committed = true;
                        return Ok(report);
                    }
                }
            }
        }
        if let Some(since) = self.pending_since
            && since.elapsed() >= self.commit_delay
        {
            self.commit()?;
            report.committed = true;
        }
        Ok(report)
    }

    /// The sources touched since the indexed revision, or `None` when only a rebuild will do.
    fn changed_sources(
        &self,
        project: &Project,
        revision: i64,
    ) -> Result<Option<BTreeSet<SourceId>>> {
        let delta = revision - self.indexed_revision;
        if self.indexed_revision < 0 || !(1..=MAX_INCREMENTAL).contains(&delta) {
            return Ok(None);
        }
        let rows = project.audit(delta as usize)?;
        if rows.len() as i64 != delta {
            return Ok(None);
        }
        let mut changed = BTreeSet::new();
        for row in rows {
            let Ok(command) = serde_json::from_str::<Command>(&row.command_json) else {
                return Ok(None);
            };
            if !touched_sources(&command, &mut changed) {
                return Ok(None);
            }
        }
        Ok(Some(changed))
    }

    fn reindex(&mut self, project: &Project, changed: &BTreeSet<SourceId>) -> Result<()> {
        if changed.is_empty() {
            return Ok(());
        }
        let actor_of = actor_map(project)?;
        let fields = self.fields;
        self.texts.forget(changed.iter().copied());
        let writer = self.writer()?;
        for &id in changed {
            writer.delete_term(schema::source_term(&fields, id));
            let source = match project.source(id) {
                Ok(source) => source,
                Err(Error::UnknownId { .. }) => continue,
                Err(e) => return Err(e),
            };
            let turns = project.speaker_turns(id)?;
            let ctx = SourceContext {
                source: &source,
                turns: &turns,
                actor_of: &actor_of,
            };
            for doc in schema::source_documents(&fields, &ctx) {
                writer.add_document(doc).map_err(ix)?;
            }
        }
        Ok(())
    }
}

impl Drop for SearchIndex {
    /// Pending changes are committed when the index is dropped (errors are ignored: the stamp
    /// then stays behind and the next open rebuilds), and a merge in progress is waited for, so
    /// that the next open finds one segment.
    fn drop(&mut self) {
        let _ = self.commit();
        let _ = self.wait_for_merge();
    }
}

/// Paragraphs of no actor (literature, mostly) are batched this many at a time: no filter reads
/// them as a range, and small batches keep both indexing threads busy to the end.
const UNATTRIBUTED_BATCH: usize = 256;

/// A source with its actor (if any) and its speaker turns.
type ActorSource<'s> = (Option<ActorId>, &'s Source, Vec<SpeakerTurn>);

/// The sources with their actors and speaker turns, those of one actor together (sources of no
/// actor last), each actor's in source order. Documents are added in this order, so that an
/// actor's paragraphs are one range of a segment: a search filtered by actor then skips the
/// blocks of postings outside that range.
fn in_actor_order<'s>(
    project: &Project,
    sources: &'s [Source],
    actor_of: &HashMap<PersonId, ActorId>,
) -> Result<Vec<ActorSource<'s>>> {
    let mut ordered = sources
        .iter()
        .map(|source| {
            let turns = project.speaker_turns(source.id)?;
            // A source's actor: its person's, or else the first speaker's with one.
            let actor = (source.person_id.into_iter())
                .chain(turns.iter().map(|t| t.person_id))
                .find_map(|p| actor_of.get(&p).copied());
            Ok((actor, source, turns))
        })
        .collect::<Result<Vec<_>>>()?;
    ordered.sort_by_key(|(actor, source, _)| (actor.map_or(i64::MAX, |a| a.0), source.id));
    Ok(ordered)
}

fn actor_map(project: &Project) -> Result<HashMap<PersonId, ActorId>> {
    Ok(project
        .persons()?
        .into_iter()
        .map(|p| (p.id, p.actor_id))
        .collect())
}

/// Adds the sources a command changes in the index to `out`; false when it changes more than
/// single sources (a person moved to another actor).
fn touched_sources(command: &Command, out: &mut BTreeSet<SourceId>) -> bool {
    match command {
        Command::AddSource(r) | Command::RemoveSource(r) => {
            out.insert(r.source.id);
        }
        Command::UpdateSource { before, after } => {
            out.insert(before.id);
            out.insert(after.id);
        }
        // Codings are read from the store when a filter needs them: none re-indexes.
        Command::UpdatePerson { before, after } if before.actor_id != after.actor_id => {
            return false;
        }
        Command::Batch { commands, .. } => {
            return commands.iter().all(|c| touched_sources(c, out));
        }
        _ => {}
    }
    true
}
