//! The project's search index, kept up to the project on background threads.
//!
//! The keeper owns the index while it is idle and lends it, with a connection of its own to the
//! project, to one worker thread at a time: to open it (building it when it is missing, stale,
//! of another format or damaged), to bring it up to the project's revision after changes (which
//! rebuilds it all when the audit log cannot say which sources changed), to commit changes that
//! wait for the debounced commit, and to set a damaged index aside and build a new one. The
//! worker waits for any segment merge it started, then hands the index back; the UI thread never
//! waits for tantivy.
//!
//! While the index is away, searches show their last results and, once the work takes longer
//! than a moment, say that the index is being updated; every other view goes on as before.
//! Changes made while a worker runs are coalesced: the next refresh brings the index up to
//! whatever revision the project has by then, however many changes that covers. A failure is
//! told once, in plain words, and tried again only after the project changes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::index::SearchIndex;
use crate::project::Project;

use super::jobs::{Job, Polled, Progress};
use super::words::capitalised;

/// How long changes wait for their commit while no search is shown (the index's own delay).
const COMMIT_DELAY: Duration = Duration::from_secs(2);
/// Work shorter than this goes unannounced: most refreshes take a few milliseconds.
const QUIET_WORK: Duration = Duration::from_millis(250);

/// What searches can use now.
#[derive(Clone, Copy)]
pub enum IndexState<'a> {
    Ready(&'a SearchIndex),
    /// Being opened or built for the first time: nothing to search yet.
    Building,
    /// Lent to a worker that updates or rebuilds it; `announce` once that takes a while.
    Updating {
        announce: bool,
    },
    /// There is no index: why, in plain words.
    Failed(&'a str),
}

/// Something the user should read in the status line.
#[derive(Debug, Clone, PartialEq)]
pub enum IndexNews {
    Info(String),
    Error(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Work {
    /// Open the index beside the project, or build it.
    Open,
    /// Bring it up to the project's revision; commit at once when a search is shown.
    Refresh { commit_now: bool },
    /// A search found it damaged: set it aside and build a new one.
    Replace,
}

impl Work {
    fn label(self) -> &'static str {
        match self {
            Work::Open | Work::Replace => "Indexing for search",
            Work::Refresh { .. } => "Updating the search index",
        }
    }

    /// What a failure of this work means for the user, and what happens next.
    fn failure(self, error: &crate::Error) -> String {
        match self {
            Work::Open | Work::Replace => format!(
                "Search is unavailable: the search index could not be built ({error}). Sitat tries again after your next change."
            ),
            Work::Refresh { .. } => format!(
                "Search does not show your latest changes yet: the search index could not be updated ({error}). Sitat tries again after your next change."
            ),
        }
    }
}

/// What a worker hands back: the index and the connection it was lent, and how the work went
/// (with a note for the user on success).
struct Handback {
    index: Option<SearchIndex>,
    connection: Option<Project>,
    outcome: crate::Result<Option<String>>,
}

struct Lent {
    work: Work,
    job: Job<Handback>,
    since: Instant,
}

pub struct SearchIndexKeeper {
    project_path: PathBuf,
    index: Option<SearchIndex>,
    /// The workers' connection to the project, lent with the index.
    connection: Option<Project>,
    lent: Option<Lent>,
    /// Why the last work failed, and the project's revision then.
    failure: Option<(String, i64)>,
    /// When the index was first seen holding uncommitted changes.
    pending_since: Option<Instant>,
    /// The previous project's index being closed: the first worker waits for it (the same
    /// project opened again then finds its folder unlocked).
    closing: Option<std::thread::JoinHandle<()>>,
    /// How many workers were started.
    started: usize,
    /// Held by a test to keep a worker from starting its work.
    #[cfg(test)]
    hold: std::sync::Arc<std::sync::Mutex<()>>,
}

impl SearchIndexKeeper {
    /// A keeper for the project at `project_path`; its index is opened at the first poll.
    pub fn new(project_path: &Path) -> Self {
        SearchIndexKeeper {
            project_path: project_path.to_path_buf(),
            index: None,
            connection: None,
            lent: None,
            failure: None,
            pending_since: None,
            closing: None,
            started: 0,
            #[cfg(test)]
            hold: Default::default(),
        }
    }

    /// The index, when it is here (not lent to a worker).
    pub fn index(&self) -> Option<&SearchIndex> {
        self.index.as_ref()
    }

    pub fn state(&self) -> IndexState<'_> {
        if let Some(index) = &self.index {
            return IndexState::Ready(index);
        }
        match (&self.lent, &self.failure) {
            (Some(lent), _) if lent.work == Work::Open => IndexState::Building,
            (Some(lent), _) => IndexState::Updating {
                announce: lent.work == Work::Replace || lent.since.elapsed() >= QUIET_WORK,
            },
            (None, Some((why, _))) => IndexState::Failed(why),
            (None, None) => IndexState::Building,
        }
    }

    /// True while a worker has the index, or before it was first opened.
    pub fn is_working(&self) -> bool {
        self.lent.is_some() || (self.index.is_none() && self.failure.is_none())
    }

    /// The work in progress, for the status line: its label and, when building, how far it is.
    pub fn activity(&self) -> Option<(&'static str, Option<f32>)> {
        let lent = self.lent.as_ref()?;
        match lent.work {
            Work::Open | Work::Replace => Some((lent.work.label(), Some(lent.job.fraction()))),
            Work::Refresh { .. } if lent.since.elapsed() >= QUIET_WORK => {
                Some((lent.work.label(), None))
            }
            Work::Refresh { .. } => None,
        }
    }

    /// Once per frame: takes back the index from a finished worker, then lends it out again if
    /// there is work to do — opening it, following the project to `revision`, committing (at
    /// once when `searching`), or replacing a damaged index. Returns what the user should read.
    pub fn poll(
        &mut self,
        ctx: &egui::Context,
        revision: i64,
        searching: bool,
    ) -> Option<IndexNews> {
        let news = self.take_back(revision);
        if self.lent.is_some() {
            // Wakes the UI to announce work that takes a while.
            ctx.request_repaint_after(QUIET_WORK);
            return news;
        }
        let Some(work) = self.due(revision, searching) else {
            return news;
        };
        let started = self.lend(ctx, work, revision);
        // An error taking back the index outweighs the news of new work.
        match news {
            Some(IndexNews::Error(_)) => news,
            _ => started.or(news),
        }
    }

    fn take_back(&mut self, revision: i64) -> Option<IndexNews> {
        let outcome = match self.lent.as_ref()?.job.poll() {
            Polled::Running => return None,
            Polled::Done(outcome) => outcome,
        };
        let lent = self.lent.take()?;
        // A worker that stopped without handing back lost the index: it is opened anew.
        let Handback {
            index,
            connection,
            outcome,
        } = outcome.unwrap_or_else(|e| Handback {
            index: None,
            connection: None,
            outcome: Err(e),
        });
        self.index = index;
        self.connection = connection;
        match outcome {
            Ok(note) => {
                self.failure = None;
                note.map(IndexNews::Info)
            }
            Err(e) => {
                let why = lent.work.failure(&e);
                self.failure = Some((why.clone(), revision));
                Some(IndexNews::Error(why))
            }
        }
    }

    /// The work the index needs now, if any.
    fn due(&mut self, revision: i64, searching: bool) -> Option<Work> {
        if self.failure.as_ref().is_some_and(|(_, at)| *at == revision) {
            return None;
        }
        let Some(index) = &self.index else {
            return Some(Work::Open);
        };
        if index.is_damaged() {
            return Some(Work::Replace);
        }
        let commit_now = searching;
        if index.revision() != revision {
            return Some(Work::Refresh { commit_now });
        }
        if !index.has_pending() {
            self.pending_since = None;
            return None;
        }
        let since = *self.pending_since.get_or_insert_with(Instant::now);
        (searching || since.elapsed() >= COMMIT_DELAY).then_some(Work::Refresh { commit_now })
    }

    /// Lends the index and the connection to a worker doing `work`.
    fn lend(&mut self, ctx: &egui::Context, work: Work, revision: i64) -> Option<IndexNews> {
        let index = self.index.take();
        let connection = self.connection.take();
        let path = self.project_path.clone();
        let closing = self.closing.take();
        #[cfg(test)]
        let hold = self.hold.clone();
        let job = Job::spawn(work.label(), ctx, move |progress| {
            if let Some(closing) = closing {
                drop(closing.join());
            }
            #[cfg(test)]
            drop(hold.lock());
            Ok(run(work, index, connection, &path, progress))
        });
        self.started += 1;
        match job {
            Ok(job) => {
                self.lent = Some(Lent {
                    work,
                    job,
                    since: Instant::now(),
                });
                (work == Work::Replace).then(|| {
                    IndexNews::Info(
                        "The search index was damaged; rebuilding it from the project…".into(),
                    )
                })
            }
            // The index went with the work that never started: it is opened anew.
            Err(e) => {
                let why = work.failure(&e);
                self.failure = Some((why.clone(), revision));
                Some(IndexNews::Error(why))
            }
        }
    }

    /// Keeps the index of the project at `project_path` from now on. The old index is handed
    /// to a thread that commits what is pending and closes it, so that opening another project
    /// never waits for it; the new index's first worker waits for that thread instead.
    pub fn switch_to(&mut self, project_path: &Path) {
        let mut old = std::mem::replace(self, SearchIndexKeeper::new(project_path));
        let index = old.index.take();
        let connection = old.connection.take();
        let lent = old.lent.take();
        let earlier = old.closing.take();
        let closing = std::thread::Builder::new()
            .name("sitat: closing the search index".into())
            .spawn(move || {
                drop(earlier.map(std::thread::JoinHandle::join));
                drop(lent.map(|lent| lent.job.wait()));
                drop((index, connection));
            });
        // Without a thread, the old index was closed here, as on exit.
        self.closing = closing.ok();
    }
}

impl Drop for SearchIndexKeeper {
    /// On exit, a worker is waited for, so that the index on disk is whole.
    fn drop(&mut self) {
        if let Some(lent) = self.lent.take() {
            drop(lent.job.wait());
        }
    }
}

/// A worker's work, on its own thread and connection; the index always goes back.
fn run(
    work: Work,
    index: Option<SearchIndex>,
    connection: Option<Project>,
    project_path: &Path,
    progress: &Progress,
) -> Handback {
    let project = match connection.map_or_else(|| Project::open(project_path), Ok) {
        Ok(project) => project,
        Err(e) => {
            return Handback {
                index,
                connection: None,
                outcome: Err(e),
            };
        }
    };
    let (index, outcome) = match (work, index) {
        (Work::Refresh { commit_now }, Some(mut index)) => {
            let outcome = refresh(&mut index, &project, commit_now);
            (Some(index), outcome)
        }
        (Work::Replace, Some(index)) => match index.set_aside() {
            Ok(_) => open(&project, progress),
            Err(e) => (None, Err(e)),
        },
        (_, _) => open(&project, progress),
    };
    Handback {
        index,
        connection: Some(project),
        outcome,
    }
}

fn refresh(
    index: &mut SearchIndex,
    project: &Project,
    commit_now: bool,
) -> crate::Result<Option<String>> {
    index.refresh(project)?;
    if commit_now {
        index.commit()?;
    }
    index.wait_for_merge()?;
    Ok(None)
}

fn open(
    project: &Project,
    progress: &Progress,
) -> (Option<SearchIndex>, crate::Result<Option<String>>) {
    let built = SearchIndex::open_or_rebuild(project, &|f| progress.set(f))
        .and_then(|mut index| index.wait_for_merge().map(|()| index));
    match built {
        Ok(index) => {
            let note = index.open_report().damage_note().map(|n| capitalised(&n));
            (Some(index), Ok(note))
        }
        Err(e) => (None, Err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;
    use crate::project::NewSource;

    /// A project with one source of `text`, and a keeper that has opened its index.
    fn opened(text: &str) -> (tempfile::TempDir, Project, SearchIndexKeeper, egui::Context) {
        let dir = tempfile::tempdir().unwrap();
        let mut project = Project::create(dir.path().join("p.sitat")).unwrap();
        add(&mut project, text);
        let ctx = egui::Context::default();
        let mut keeper = SearchIndexKeeper::new(project.path());
        settle(&mut keeper, &ctx, &project);
        (dir, project, keeper, ctx)
    }

    fn add(project: &mut Project, text: &str) {
        let title = text.split_whitespace().next().unwrap().to_string();
        project
            .add_source(NewSource::new(SourceKind::Interview, title, text))
            .unwrap();
    }

    /// Polls as the frames of the Search tab would, until no worker has the index.
    fn settle(keeper: &mut SearchIndexKeeper, ctx: &egui::Context, project: &Project) {
        let deadline = Instant::now() + Duration::from_secs(60);
        keeper.poll(ctx, project.revision().unwrap(), true);
        while keeper.is_working() {
            assert!(Instant::now() < deadline, "the index worker did not finish");
            std::thread::sleep(Duration::from_millis(5));
            keeper.poll(ctx, project.revision().unwrap(), true);
        }
    }

    fn paragraphs(keeper: &SearchIndexKeeper, project: &Project, query: &str) -> usize {
        let index = keeper.index().expect("the index is back");
        index.search(project, query, 10).unwrap().paragraphs
    }

    #[test]
    fn changes_made_while_a_refresh_runs_are_taken_in_by_one_refresh() {
        let (_dir, mut project, mut keeper, ctx) = opened("alfa æøå 😀\r\nskjønn");
        assert_eq!(keeper.started, 1, "opened once");
        assert_eq!(paragraphs(&keeper, &project, "alfa"), 1);

        let hold = keeper.hold.clone();
        let held = hold.lock().unwrap();
        add(&mut project, "bravo på første linje\r\n😀 og så videre");
        keeper.poll(&ctx, project.revision().unwrap(), true);
        assert_eq!(keeper.started, 2, "a refresh started");
        assert!(keeper.index().is_none(), "lent to the worker");
        assert!(matches!(
            keeper.state(),
            IndexState::Updating { announce: false }
        ));
        add(&mut project, "charlie æ");
        add(&mut project, "delta ø");
        for _ in 0..5 {
            assert_eq!(keeper.poll(&ctx, project.revision().unwrap(), true), None);
            std::thread::sleep(QUIET_WORK / 4);
        }
        assert_eq!(keeper.started, 2, "no second worker while one runs");
        assert!(
            matches!(keeper.state(), IndexState::Updating { announce: true }),
            "said once it takes a while"
        );
        assert_eq!(
            keeper.activity(),
            Some(("Updating the search index", None)),
            "and in the status line"
        );

        drop(held);
        settle(&mut keeper, &ctx, &project);
        assert_eq!(keeper.started, 2, "one refresh took in all three changes");
        let index = keeper.index().unwrap();
        assert_eq!(index.revision(), project.revision().unwrap());
        assert_eq!(index.committed_revision(), index.revision());
        for word in ["alfa", "bravo", "charlie", "delta"] {
            assert_eq!(paragraphs(&keeper, &project, word), 1, "{word}");
        }
    }

    #[test]
    fn a_change_waits_for_the_debounced_commit_unless_a_search_is_shown() {
        let (_dir, mut project, mut keeper, ctx) = opened("alfa");
        add(&mut project, "bravo");
        let revision = project.revision().unwrap();
        // Not searching: refreshed, but the commit waits.
        keeper.poll(&ctx, revision, false);
        while keeper.lent.is_some() {
            std::thread::sleep(Duration::from_millis(5));
            keeper.poll(&ctx, revision, false);
        }
        let index = keeper.index().unwrap();
        assert_eq!(index.revision(), revision);
        assert!(index.has_pending());
        assert_eq!(paragraphs(&keeper, &project, "bravo"), 0);
        // The Search tab shown: committed at once.
        settle(&mut keeper, &ctx, &project);
        assert_eq!(paragraphs(&keeper, &project, "bravo"), 1);
        assert_eq!(keeper.started, 3);
    }

    #[test]
    fn the_same_project_opened_again_gets_its_index_folder_back() {
        let (_dir, mut project, mut keeper, ctx) = opened("alfa");
        add(&mut project, "bravo");
        // Refreshed but not committed: the old index holds its writer's lock until it is closed.
        keeper.poll(&ctx, project.revision().unwrap(), false);
        while keeper.lent.is_some() {
            std::thread::sleep(Duration::from_millis(5));
            keeper.poll(&ctx, project.revision().unwrap(), false);
        }
        assert!(keeper.index().unwrap().has_pending());
        keeper.switch_to(project.path());
        settle(&mut keeper, &ctx, &project);
        let index = keeper.index().unwrap();
        assert!(!index.open_report().in_memory, "{:?}", index.open_report());
        assert!(index.dir().is_some());
        assert_eq!(paragraphs(&keeper, &project, "bravo"), 1);
    }

    #[test]
    fn a_failure_is_told_once_and_tried_again_after_the_next_change() {
        let ctx = egui::Context::default();
        let dir = tempfile::tempdir().unwrap();
        let mut keeper = SearchIndexKeeper::new(&dir.path().join("gone.sitat"));
        let mut news = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        news.extend(keeper.poll(&ctx, 7, true));
        while keeper.is_working() {
            assert!(Instant::now() < deadline, "the index worker did not finish");
            std::thread::sleep(Duration::from_millis(5));
            news.extend(keeper.poll(&ctx, 7, true));
        }
        for _ in 0..5 {
            news.extend(keeper.poll(&ctx, 7, true));
        }
        assert_eq!(keeper.started, 1, "not retried at the same revision");
        let [IndexNews::Error(why)] = news.as_slice() else {
            panic!("one error: {news:?}");
        };
        assert!(
            why.starts_with("Search is unavailable: the search index could not be built (")
                && why.contains("gone.sitat")
                && why.ends_with("Sitat tries again after your next change."),
            "{why}"
        );
        assert!(matches!(keeper.state(), IndexState::Failed(w) if w == why));
        assert!(!keeper.is_working());
        keeper.poll(&ctx, 8, true);
        assert_eq!(keeper.started, 2, "tried again after a change");
    }

    /// The workbench while a worker holds the index: the Search tab keeps its results and says
    /// the index is being updated, and coding goes on; then the results take in the change.
    #[test]
    fn while_a_worker_has_the_index_search_says_so_and_coding_goes_on() {
        use egui::accesskit::Role;
        use egui_kittest::Harness;
        use egui_kittest::kittest::Queryable;

        fn settle(harness: &mut Harness<'_, crate::ui::SitatApp>) {
            let deadline = Instant::now() + Duration::from_secs(60);
            harness.step();
            while harness.state().is_working() {
                assert!(Instant::now() < deadline, "background work did not finish");
                std::thread::sleep(Duration::from_millis(10));
                harness.step();
            }
            harness.run();
        }
        let dir = tempfile::tempdir().unwrap();
        let project = crate::corpus::write_demo_project(&dir.path().join("demo.sitat")).unwrap();
        // No dialog is opened here: the native picker is never asked.
        let app = crate::ui::SitatApp::new(project, None, Box::new(crate::ui::NativeFilePicker));
        let mut harness = Harness::builder()
            .with_size([1400.0, 900.0])
            .with_step_dt(1.0 / 60.0)
            .allow_missing_glyphs()
            .build_ui_state(|ui, app: &mut crate::ui::SitatApp| app.show(ui), app);
        settle(&mut harness);
        harness.get_by_label("Search").click();
        harness.run();
        harness
            .get_by(|n| n.placeholder().is_some_and(|p| p.starts_with("Search: ")))
            .click();
        harness.run();
        harness.event(egui::Event::Text("nettopp".into()));
        harness.run();
        // "N hits in M paragraphs; …"
        let summary = |h: &Harness<'_, crate::ui::SitatApp>| {
            h.query_all_by_role(Role::Label)
                .filter_map(|n| n.value())
                .find(|v| v.starts_with(|c: char| c.is_ascii_digit()) && v.contains(" in "))
        };
        let before = summary(&harness).expect("results");

        let hold = harness.state().index.hold.clone();
        let held = hold.lock().unwrap();
        harness.get_by_label("Document").click();
        harness.run_steps(40);
        // A double click on the first word of the open source, then its number key.
        let at = harness
            .get_all_by_role(Role::MultilineTextInput)
            .next()
            .expect("the document's text")
            .rect()
            .min
            + egui::Vec2::new(25.0, 8.0);
        for pressed in [true, false, true, false] {
            harness.event(egui::Event::PointerMoved(at));
            harness.event(egui::Event::PointerButton {
                pos: at,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: egui::Modifiers::NONE,
            });
        }
        harness.run();
        let source_id = harness.state().document.source_id.unwrap();
        let codings = harness
            .state()
            .project
            .codings_of_source(source_id)
            .unwrap()
            .len();
        harness.key_press(egui::Key::Num5);
        harness.run();
        let project = &harness.state().project;
        assert_eq!(
            project.codings_of_source(source_id).unwrap().len(),
            codings + 1
        );
        assert!(
            harness.state().search_index().is_none(),
            "the worker has the index"
        );

        harness.get_by_label("Search").click();
        let deadline = Instant::now() + QUIET_WORK * 2;
        while Instant::now() < deadline {
            harness.step();
            std::thread::sleep(Duration::from_millis(10));
        }
        harness.get_by_label("(updating the search index…)");
        harness.get_by_label("Updating the search index…");
        assert_eq!(
            summary(&harness),
            Some(before.clone()),
            "the last results stay"
        );

        drop(held);
        settle(&mut harness);
        assert!(
            harness
                .query_by_label("(updating the search index…)")
                .is_none()
        );
        let index = harness.state().search_index().expect("handed back");
        assert_eq!(
            index.committed_revision(),
            harness.state().project.revision().unwrap()
        );
    }
}
