//! The app shell: panels and tabs; drains the frame's actions into `Project` calls and shows each
//! error once. The menu bar and status line are in `menu`, background work in `jobs`.

mod jobs;
mod menu;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::export::{self, ExportFormat};
use crate::import;
use crate::index::SearchIndex;
use crate::model::{CodingId, MemoTarget, SourceKind, ThemeId};
use crate::project::{NewCoding, NewTheme, Project};

use super::actions::{Action, Shortcut, SidePanel, pressed_shortcuts, shortcut_text};
use super::agreement_view::AgreementView;
use super::codebook_panel::CodebookPanel;
use super::coder_settings::CoderSettings;
use super::compare_view::CompareView;
use super::disagreements_view::DisagreementsView;
use super::document_view::DocumentView;
use super::file_picker::FilePicker;
use super::history_window::HistoryWindow;
use super::import_dialog::ImportDialog;
use super::inspector::Inspector;
use super::jobs::{Finish, Job, Polled};
use super::matrix_view::MatrixView;
use super::memos_view::MemosView;
use super::off_frame::OffFrame;
use super::positions_view::PositionsView;
use super::retrieve_view::RetrieveView;
use super::search_index_keeper::{IndexNews, SearchIndexKeeper};
use super::search_view::SearchView;
use super::snapshot::Snapshot;
use super::sources_panel::SourcesPanel;
use super::speaker_dialog::{SpeakerAnswer, SpeakerDialog};
use super::theme_editor::ThemeEditor;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CentralTab {
    #[default]
    Document,
    Search,
    Retrieve,
    Compare,
    Positions,
    Matrix,
    Disagreements,
    Memos,
    /// How far coders agree, and where two of them differ.
    Agreement,
}

impl CentralTab {
    /// Every tab, in the tab bar's order.
    pub const ALL: [CentralTab; 9] = [
        CentralTab::Document,
        CentralTab::Search,
        CentralTab::Retrieve,
        CentralTab::Compare,
        CentralTab::Positions,
        CentralTab::Matrix,
        CentralTab::Disagreements,
        CentralTab::Memos,
        CentralTab::Agreement,
    ];

    /// The tab's name in the tab bar.
    pub fn label(self) -> &'static str {
        match self {
            CentralTab::Document => "Document",
            CentralTab::Search => "Search",
            CentralTab::Retrieve => "Retrieve",
            CentralTab::Compare => "Compare actors",
            CentralTab::Positions => "Positions",
            CentralTab::Matrix => "Matrix",
            CentralTab::Disagreements => "Disagreements",
            CentralTab::Memos => "Memos",
            CentralTab::Agreement => "Coders",
        }
    }
}

/// View choices kept between runs (eframe persistence); never project data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub dark_mode: bool,
    pub text_size: f32,
    pub recent_projects: Vec<PathBuf>,
    /// Sources and codebook on the left (View menu, Ctrl+B).
    pub show_navigator: bool,
    /// The coding inspector on the right (View menu, Ctrl+Alt+B).
    pub show_inspector: bool,
    /// The source last open, per project file: reopened on the next run.
    pub last_sources: Vec<(PathBuf, i64)>,
    /// Where the reader left each source, newest first: project file, source id, the first
    /// character of the top row on screen. A source opens there again, also on the next run.
    pub reading_places: Vec<(PathBuf, i64, usize)>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            dark_mode: false,
            text_size: 15.0,
            recent_projects: Vec::new(),
            show_navigator: true,
            show_inspector: true,
            last_sources: Vec::new(),
            reading_places: Vec::new(),
        }
    }
}

/// A message in the status line: the outcome of the last action, or its error.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

pub struct SitatApp {
    pub project: Project,
    pub settings: Settings,
    pub tab: CentralTab,
    pub document: DocumentView,
    pub selected_coding: Option<CodingId>,
    /// The theme open in the theme editor.
    pub selected_theme: Option<ThemeId>,
    pub notice: Option<Notice>,
    pub retrieve: RetrieveView,
    pub compare: CompareView,
    pub memos: MemosView,
    pub search: SearchView,
    /// The search index, built and kept up to the project by background workers.
    pub(super) index: SearchIndexKeeper,
    /// Background work in progress.
    pub jobs: Vec<Job>,
    /// Open while an import waits to be told who its new speakers are.
    pub speaker_dialog: Option<SpeakerDialog>,
    pub positions: PositionsView,
    pub matrix: MatrixView,
    pub disagreements: DisagreementsView,
    agreement: AgreementView,
    /// Open while files wait to be told their kind and person.
    import_dialog: Option<ImportDialog>,
    /// The last import's report, line by line, shown until closed.
    import_report: Option<Vec<String>>,
    history: HistoryWindow,
    /// The last merge's report, shown until closed.
    merge_report: Option<String>,
    theme_editor: ThemeEditor,
    pub sources_panel: SourcesPanel,
    coder: CoderSettings,
    codebook_panel: CodebookPanel,
    inspector: Inspector,
    snapshot: Snapshot,
    /// The next snapshot of a large project, read off the frame.
    next_snapshot: OffFrame<i64, Snapshot>,
    actions: Vec<Action>,
    picker: Box<dyn FilePicker>,
    fonts_installed: bool,
    /// The window is closing: its fields were left a frame ago, so that those that save when
    /// left have saved; it closes at the end of this frame.
    closing: bool,
    /// For starting jobs from `apply`, which runs after the frame.
    ctx: egui::Context,
    /// Rolling backups, taken on their own thread.
    backups: crate::backups::Schedule,
}

impl SitatApp {
    pub fn new(
        project: Project,
        storage: Option<&dyn eframe::Storage>,
        picker: Box<dyn FilePicker>,
    ) -> Self {
        let settings: Settings = storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        let index = SearchIndexKeeper::new(project.path());
        let mut app = SitatApp {
            project,
            settings,
            tab: CentralTab::Document,
            document: DocumentView::default(),
            selected_coding: None,
            selected_theme: None,
            notice: None,
            retrieve: RetrieveView::default(),
            compare: CompareView::default(),
            memos: MemosView::default(),
            search: SearchView::default(),
            index,
            jobs: Vec::new(),
            speaker_dialog: None,
            positions: PositionsView::default(),
            matrix: MatrixView::default(),
            disagreements: DisagreementsView::default(),
            agreement: AgreementView::default(),
            merge_report: None,
            history: HistoryWindow::default(),
            import_report: None,
            import_dialog: None,
            theme_editor: ThemeEditor::default(),
            sources_panel: SourcesPanel::default(),
            coder: CoderSettings::default(),
            codebook_panel: CodebookPanel::default(),
            inspector: Inspector::default(),
            snapshot: Snapshot::default(),
            next_snapshot: OffFrame::default(),
            actions: Vec::new(),
            picker,
            fonts_installed: false,
            closing: false,
            ctx: egui::Context::default(),
            backups: crate::backups::Schedule::default(),
        };
        app.refresh_snapshot();
        app.remember_project();
        // Open the source last open in this project, else the first interview, so a new user
        // sees coded text at once.
        let path = app.project.path().to_path_buf();
        let last = app
            .settings
            .last_sources
            .iter()
            .find(|(p, _)| *p == path)
            .and_then(|(_, id)| app.snapshot.sources.iter().find(|s| s.id.0 == *id));
        let first = last
            .or_else(|| {
                app.snapshot
                    .sources
                    .iter()
                    .find(|s| s.kind == SourceKind::Interview && s.coding_count > 0)
            })
            .or(app.snapshot.sources.first())
            .map(|s| s.id);
        if let Some(id) = first {
            app.open_where_left(id);
        }
        app
    }

    /// Opens a source at the place the reader left it (its top, the first time).
    fn open_where_left(&mut self, source_id: crate::model::SourceId) {
        let path = self.project.path();
        let place = self
            .settings
            .reading_places
            .iter()
            .find(|(p, id, _)| p == path && *id == source_id.0)
            .map_or(0, |(_, _, at)| *at);
        self.document.open_at(source_id, place);
    }

    /// Notes `source_id` as this project's source last open, reopened on the next run.
    fn remember_last_source(&mut self, source_id: crate::model::SourceId) {
        let path = self.project.path().to_path_buf();
        let last = &mut self.settings.last_sources;
        last.retain(|(p, _)| *p != path);
        last.insert(0, (path, source_id.0));
        last.truncate(20);
    }

    /// Notes which source is open and where the reader is in it, for reopening it there
    /// (also one that an import opened).
    fn remember_reading_place(&mut self) {
        let Some(source_id) = self.document.source_id else {
            return;
        };
        self.remember_last_source(source_id);
        let Some(at) = self.document.top_char() else {
            return;
        };
        let path = self.project.path().to_path_buf();
        let places = &mut self.settings.reading_places;
        places.retain(|(p, id, _)| !(*p == path && *id == source_id.0));
        places.insert(0, (path, source_id.0, at));
        places.truncate(200);
    }

    /// Takes who is coding from the user's settings file at `path`, shared with the CLI; asks
    /// on the first run. Without it (tests) the project's default coder is used.
    pub fn use_user_settings(&mut self, path: PathBuf) {
        match CoderSettings::load(path, self.project.coder_name()) {
            Ok((coder_settings, coder)) => {
                if let Some(name) = coder {
                    self.project.set_coder(name);
                }
                self.coder = coder_settings;
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// The search index, when no worker has it.
    pub fn search_index(&self) -> Option<&SearchIndex> {
        self.index.index()
    }

    /// True while background work runs: an import, an export, or the search index's.
    pub fn is_working(&self) -> bool {
        !self.jobs.is_empty() || self.index.is_working()
    }

    /// Whether a view is waiting for an analysis computed off the frame (it shows "computing…"
    /// meanwhile and draws the result when it arrives).
    pub fn is_computing(&self) -> bool {
        self.next_snapshot.is_computing()
            || self.disagreements.is_computing()
            || self.retrieve.is_computing()
            || self.compare.is_computing()
            || self.positions.is_computing()
            || self.matrix.is_computing()
            || self.memos.is_computing()
    }

    /// Queues an action as if a panel had (tests drive the app this way too).
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    fn refresh_snapshot(&mut self) {
        let revision = self.project.revision().unwrap_or(-1);
        // Read when the project changed, not every frame (an empty codebook included).
        if revision == self.snapshot.revision {
            return;
        }
        // A large project's is read off the frame (its sources and counts take longer than a
        // frame): the panels show the last one until the new one comes.
        if self.snapshot.analyses_off_frame() {
            let next = &mut self.next_snapshot;
            next.request(&self.ctx, &self.project, false, revision, Snapshot::read);
            if let Some(snapshot) = next.take_value() {
                self.snapshot = snapshot;
            }
            if let Some(e) = next.error() {
                let e = e.to_string();
                self.error(e);
            }
            return;
        }
        match Snapshot::read(&self.project) {
            Ok(snapshot) => self.snapshot = snapshot,
            Err(e) => self.error(e.to_string()),
        }
    }

    fn remember_project(&mut self) {
        let path = self.project.path().to_path_buf();
        self.settings.recent_projects.retain(|p| *p != path);
        self.settings.recent_projects.insert(0, path);
        self.settings.recent_projects.truncate(8);
    }

    fn error(&mut self, text: String) {
        self.notice = Some(Notice {
            text,
            is_error: true,
        });
    }

    fn info(&mut self, text: String) {
        self.notice = Some(Notice {
            text,
            is_error: false,
        });
    }

    /// Draws the whole workbench into `ui`, then applies what the user asked for.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.ctx = ctx.clone();
        self.backups.tick(self.project.path());
        // Another window or `sitat` may change the project: look once a second, even when idle.
        if self.project.changed_elsewhere() {
            self.info(
                "The project was changed elsewhere (another window or the sitat command); the views show the changes.".into(),
            );
        }
        ctx.request_repaint_after(std::time::Duration::from_secs(1));
        if !self.fonts_installed {
            super::fonts::install(&ctx);
            self.fonts_installed = true;
        }
        ctx.set_theme(if self.settings.dark_mode {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        self.refresh_snapshot();
        self.poll_jobs();
        self.poll_search_index(&ctx);
        let mut actions = std::mem::take(&mut self.actions);
        // While the speaker dialog is open, keys are for it, not for coding or undo.
        if self.speaker_dialog.is_none() && self.import_dialog.is_none() {
            actions.extend(pressed_shortcuts(&ctx));
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            actions.push(Action::AskImport(dropped));
        }

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui, &mut actions));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui, &mut actions));
        // Side panels start at a share of the window and never squeeze the tabs out: at
        // 1024 points wide, about 250 + 225, leaving half the window to the text.
        let width = ui.max_rect().width();
        let side = |share: f32, most: f32| (width * share).clamp(180.0, most);
        if self.settings.show_navigator {
            egui::Panel::left("navigator")
                .resizable(true)
                .default_size(side(0.24, 330.0))
                .size_range(170.0..=side(0.4, 600.0))
                .show(ui, |ui| {
                    egui::Panel::bottom("codebook")
                        .resizable(true)
                        .default_size(380.0)
                        .show(ui, |ui| {
                            ui.heading("Codebook");
                            egui::ScrollArea::vertical()
                                .id_salt("codebook")
                                .show(ui, |ui| {
                                    self.codebook_panel.ui(
                                        ui,
                                        &self.snapshot,
                                        self.document.selection,
                                        !self.settings.show_inspector,
                                        &mut actions,
                                    );
                                });
                        });
                    ui.heading("Sources");
                    let project = &self.project;
                    let memos = |id| {
                        project
                            .memos_of(MemoTarget::Source(id))
                            .map_or(0, |m| m.len())
                    };
                    self.sources_panel.ui(
                        ui,
                        &self.snapshot,
                        self.document.source_id,
                        &memos,
                        &mut actions,
                    );
                });
        }
        if self.settings.show_inspector {
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(side(0.22, 300.0))
                .size_range(170.0..=side(0.4, 600.0))
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("inspector")
                        .show(ui, |ui| {
                            self.inspector
                                .selection_ui(ui, &self.document, &mut actions);
                            if let Some(theme_id) = self.selected_theme {
                                self.theme_editor
                                    .ui(ui, &self.snapshot, theme_id, &mut actions);
                                ui.separator();
                            }
                            self.inspector.coding_ui(
                                ui,
                                &self.project,
                                &self.snapshot,
                                self.selected_coding,
                                &mut actions,
                            );
                        });
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            // Wrapped, so every tab stays reachable in a narrow window.
            ui.horizontal_wrapped(|ui| {
                for tab in CentralTab::ALL {
                    let label = tab.label();
                    let key = shortcut_text(ui.ctx(), Shortcut::ShowTab(tab));
                    if ui
                        .selectable_label(self.tab == tab, label)
                        .on_hover_text(key)
                        .clicked()
                    {
                        actions.push(Action::ShowTab(tab));
                    }
                }
            });
            ui.separator();
            match self.tab {
                CentralTab::Document => self.document.ui(
                    ui,
                    &self.project,
                    &self.snapshot,
                    self.selected_coding,
                    self.settings.text_size,
                    &mut actions,
                ),
                CentralTab::Search => self.search.ui(
                    ui,
                    &self.project,
                    self.index.state(),
                    &self.snapshot,
                    &mut actions,
                ),
                CentralTab::Retrieve => {
                    self.retrieve
                        .ui(ui, &self.project, &self.snapshot, &mut actions)
                }
                CentralTab::Compare => {
                    self.compare
                        .ui(ui, &self.project, &self.snapshot, &mut actions)
                }
                CentralTab::Positions => {
                    self.positions
                        .ui(ui, &self.project, &self.snapshot, &mut actions)
                }
                CentralTab::Matrix => {
                    self.matrix
                        .ui(ui, &self.project, &self.snapshot, &mut actions)
                }
                CentralTab::Disagreements => {
                    self.disagreements
                        .ui(ui, &self.project, &self.snapshot, &mut actions)
                }
                CentralTab::Memos => {
                    let targets = self.memo_targets();
                    self.memos
                        .ui(ui, &self.project, &self.snapshot, &targets, &mut actions)
                }
                CentralTab::Agreement => {
                    self.agreement
                        .ui(ui, &self.project, &self.snapshot, &mut actions)
                }
            }
        });
        self.merge_report_ui(&ctx);
        self.history
            .ui(&ctx, &self.project, self.snapshot.revision, &mut actions);
        self.import_report_ui(&ctx);

        self.speaker_dialog_ui(&ctx);
        if let Some(dialog) = &mut self.import_dialog
            && let Some(answer) = dialog.show(&ctx, &self.snapshot)
        {
            self.import_dialog = None;
            actions.extend(answer);
        }
        self.coder.window_ui(&ctx, &mut actions);
        self.sources_panel
            .editor
            .windows_ui(&ctx, &self.project, &self.snapshot, &mut actions);

        // The frame was drawn before these took effect: draw again to show their outcome.
        if !actions.is_empty() {
            ctx.request_repaint();
        }
        for action in actions {
            self.apply(action);
        }
        self.close_after_leaving_fields(&ctx);
    }

    /// Closing the window while a field is being typed in (a memo, a theme's description, "saved
    /// when you leave the field") leaves the field first and closes a frame later, once what
    /// was typed is saved: nothing typed is lost to the close button.
    fn close_after_leaving_fields(&mut self, ctx: &egui::Context) {
        if std::mem::take(&mut self.closing) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        } else if ctx.input(|i| i.viewport().close_requested())
            && ctx.memory(|m| m.focused().is_some())
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            ctx.memory_mut(|m| m.stop_text_input());
            self.closing = true;
            ctx.request_repaint();
        }
    }

    /// Carries out one action through `Project`; an error becomes the status notice.
    pub fn apply(&mut self, action: Action) {
        if let Err(e) = self.try_apply(action) {
            self.error(e.to_string());
        }
        self.refresh_snapshot();
    }

    fn try_apply(&mut self, action: Action) -> crate::Result<()> {
        match action {
            Action::Undo => {
                let undone = self.project.undo()?;
                self.info(format!("Undid: {}", undone.summary));
                self.forget_what_is_gone();
            }
            Action::Redo => {
                let redone = self.project.redo()?;
                self.info(format!("Redid: {}", redone.summary));
                self.forget_what_is_gone();
            }
            Action::OpenSource(id, span) => {
                if self.document.source_id != Some(id) {
                    self.remember_reading_place();
                    match span {
                        Some(_) => self.document.open(id, span),
                        None => self.open_where_left(id),
                    }
                } else {
                    self.document.open(id, span);
                }
                self.tab = CentralTab::Document;
                self.remember_last_source(id);
                // The inspector shows a coding of the source on screen, not of the last one.
                if let Some(coding) = self.selected_coding
                    && self.project.coding(coding).is_ok_and(|c| c.source_id != id)
                {
                    self.selected_coding = None;
                }
            }
            Action::SelectCoding(id) => self.selected_coding = id,
            Action::ApplyTheme(theme_id) => self.code_selection(theme_id)?,
            Action::ApplyNthTheme(n) => {
                let theme = self.snapshot.theme_tree().get(n - 1).map(|(_, t)| t.id);
                match theme {
                    Some(theme_id) => self.code_selection(theme_id)?,
                    None => self.info(format!("The codebook has no theme number {n}.")),
                }
            }
            Action::CodeInVivo => {
                let (source_id, span) = self.selection_or_hint()?;
                let (_, coding_id) = self.project.code_in_vivo(source_id, span)?;
                self.selected_coding = Some(coding_id);
            }
            Action::AddTheme(name) => {
                self.project.add_theme(NewTheme {
                    name,
                    ..Default::default()
                })?;
            }
            Action::EditTheme(id) => self.selected_theme = id,
            Action::UpdateTheme(theme) => self.project.update_theme(theme)?,
            Action::RemoveTheme(id) => {
                self.project.remove_theme(id)?;
                self.selected_theme = None;
                self.forget_missing_coding();
            }
            Action::MergeThemes { from, into } => {
                self.project.merge_themes(from, into)?;
                self.selected_theme = Some(into);
            }
            Action::AddMemo(target) => {
                let id = self.project.add_memo(target, "New memo", "")?;
                self.memos.select(id);
                self.tab = CentralTab::Memos;
            }
            Action::CodeHits {
                hits,
                theme_id,
                widen,
            } => {
                let spans = hits.iter().map(|hit| (hit.source_id, hit.span));
                let coded = self.project.code_spans(spans, theme_id, widen)?.len();
                let (from, lie) = match hits.len() {
                    1 => ("the hit".to_string(), "lies"),
                    n => (format!("{n} hits"), "lie"),
                };
                self.info(match coded {
                    // Nothing was applied, so there is nothing to undo either.
                    0 => format!(
                        "Nothing new to code: {from} already {lie} in passages coded with {}.",
                        self.project.theme(theme_id)?.name
                    ),
                    1 if hits.len() == 1 => {
                        format!("Coded 1 passage from {from} (Undo takes it back).")
                    }
                    n if n == hits.len() => {
                        format!("Coded {n} passages from {from} (one step: Undo takes it back).")
                    }
                    // Fewer: say why, or it looks like hits were lost.
                    n => {
                        let theme = self.project.theme(theme_id)?.name;
                        let passages = super::words::plural(n, "passage", "passages");
                        format!(
                            "Coded {passages} from {from}: hits in one passage are coded once, \
                             and hits in passages already coded with {theme} not again (one \
                             step: Undo takes it back)."
                        )
                    }
                });
            }
            Action::CancelJob(i) => {
                if let Some(job) = self.jobs.get(i) {
                    job.cancel();
                }
            }
            Action::RetrieveCell { theme_id, actor_id } => {
                self.retrieve.themes = [theme_id].into();
                self.retrieve.actor = Some(actor_id);
                self.tab = CentralTab::Retrieve;
            }
            Action::UpdateMemo(id, title, text) => self.project.update_memo(id, &title, &text)?,
            Action::RemoveMemo(id) => self.project.remove_memo(id)?,
            Action::SetStance(id, stance) => self.project.set_stance(id, stance)?,
            Action::SetCodingMemo(id, memo) => self.project.set_coding_memo(id, &memo)?,
            Action::RemoveCoding(id) => {
                self.project.remove_coding(id)?;
                self.selected_coding = None;
            }
            Action::ImportFiles(paths) => {
                self.start_import_job(paths, import::ImportOptions::default(), true)?
            }
            Action::PickExport(format) => {
                let path = self.project.path();
                let project_name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("sitat");
                let suggested = path.with_file_name(format.suggested_file_name(project_name));
                if let Some(path) = self.picker.pick_export_path(format.label(), &suggested) {
                    self.apply(Action::Export(format, path));
                }
            }
            Action::Export(format, path) => self.start_export_job(format, path)?,
            Action::PickImportFiles => {
                if let Some(paths) = self.picker.pick_import_files()
                    && !paths.is_empty()
                {
                    self.import_dialog = Some(ImportDialog::new(paths));
                }
            }
            Action::AskImport(paths) => self.import_dialog = Some(ImportDialog::new(paths)),
            Action::ImportFilesAs {
                paths,
                kind,
                person_id,
            } => {
                let options = import::ImportOptions {
                    kind,
                    person_id,
                    ..Default::default()
                };
                self.start_import_job(paths, options, true)?
            }
            Action::PickProject => {
                if let Some(path) = self.picker.pick_project() {
                    self.apply(Action::OpenProject(path));
                }
            }
            Action::PickNewProject => {
                if let Some(path) = self.picker.pick_new_project() {
                    self.apply(Action::NewProject(path));
                }
            }
            Action::NewProject(path) => {
                drop(Project::create(&path)?);
                self.apply(Action::OpenProject(path));
            }
            Action::OpenProject(path) => {
                let coder = self.project.coder_name().to_string();
                self.project = Project::open(&path)?;
                self.project.set_coder(coder);
                self.index.switch_to(&path);
                self.document = DocumentView::default();
                self.selected_coding = None;
                self.selected_theme = None;
                // Views keep what they computed by revision, and another project may be at the
                // same revision: they start afresh, as does the snapshot.
                self.retrieve = RetrieveView::default();
                self.compare = CompareView::default();
                self.positions = PositionsView::default();
                self.matrix = MatrixView::default();
                self.disagreements = DisagreementsView::default();
                self.agreement = AgreementView::default();
                self.inspector = Inspector::default();
                self.search = SearchView::default();
                self.snapshot = Snapshot::default();
                self.next_snapshot = OffFrame::default();
                self.refresh_snapshot();
                self.remember_project();
                self.info(format!("Opened {}", path.display()));
            }
            Action::ShowTab(tab) => {
                // Opening Search puts the cursor in its query: typing there searches, where
                // it would otherwise press shortcuts (a digit codes the document's selection).
                self.search.focus_query |= tab == CentralTab::Search;
                self.tab = tab;
            }
            Action::SetDarkMode(dark) => self.settings.dark_mode = dark,
            Action::EditSource {
                source_id,
                title,
                kind,
                person_id,
                metadata,
            } => {
                let mut source = self.project.source(source_id)?;
                source.title = title;
                source.kind = kind;
                source.person_id = person_id;
                source.metadata = metadata;
                self.project.update_source(source)?;
            }
            Action::RemoveSource(source_id) => {
                let title = self.project.source(source_id)?.title;
                self.project.remove_source(source_id)?;
                if self.document.source_id == Some(source_id) {
                    self.document = DocumentView::default();
                }
                self.forget_missing_coding();
                self.info(format!("Deleted «{title}» (Undo brings it back)."));
            }
            Action::ResolveDifference {
                difference,
                a,
                b,
                resolution,
                summary,
            } => {
                crate::analysis::agreement::resolve(
                    &mut self.project,
                    &difference,
                    a,
                    b,
                    resolution,
                )?;
                self.info(format!(
                    "Settled the difference in {}: {summary} (Undo takes it back).",
                    difference.source_title,
                ));
                self.forget_missing_coding();
            }
            Action::SaveViewExport {
                label,
                file_name,
                content,
            } => {
                let path = self.project.path();
                let project_name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("sitat");
                let suggested = path.with_file_name(format!("{project_name}-{file_name}"));
                if let Some(path) = self.picker.pick_export_path(&label, &suggested) {
                    std::fs::write(&path, &content).map_err(|e| crate::Error::write(&path, e))?;
                    self.info(format!("Wrote {label} to {}", path.display()));
                }
            }
            Action::PickMergeProject => {
                if let Some(path) = self.picker.pick_merge_project() {
                    self.apply(Action::MergeProject(path));
                }
            }
            Action::MergeProject(path) => {
                let report = crate::merge::merge_path(&mut self.project, &path)?;
                let added = |n: usize, what: &str| match n {
                    1 => format!("1 {what}"),
                    n => format!("{n} {what}s"),
                };
                self.info(format!(
                    "Merged {}: {} and {} added (Undo takes it back).",
                    path.display(),
                    added(report.sources_added, "source"),
                    added(report.codings_added, "coding")
                ));
                self.merge_report = Some(report.to_text());
            }
            Action::SetCoder(name) => {
                self.project.set_coder(&name);
                self.coder.remember(&name)?;
                self.info(format!("Coding as {name}."));
            }
            Action::OpenHistory => self.history.open = true,
            Action::OpenSettings => self.coder.open_settings(self.project.coder_name()),
            Action::TogglePanel(SidePanel::Navigator) => {
                self.settings.show_navigator = !self.settings.show_navigator
            }
            Action::TogglePanel(SidePanel::Inspector) => {
                self.settings.show_inspector = !self.settings.show_inspector
            }
        }
        Ok(())
    }

    fn selection_or_hint(&self) -> crate::Result<(crate::model::SourceId, crate::model::CharSpan)> {
        match (self.document.source_id, self.document.selection) {
            (Some(source_id), Some(span)) => Ok((source_id, span)),
            _ => Err(crate::Error::NoSelection),
        }
    }

    fn code_selection(&mut self, theme_id: ThemeId) -> crate::Result<()> {
        let (source_id, span) = self.selection_or_hint()?;
        let id = self
            .project
            .code(NewCoding::new(source_id, span, theme_id))?;
        self.selected_coding = Some(id);
        Ok(())
    }

    /// What a new memo can hang on right now: the project, the open source, the theme in the
    /// editor, the selected coding.
    fn memo_targets(&self) -> Vec<MemoTarget> {
        let mut targets = vec![MemoTarget::Project];
        targets.extend(self.document.source_id.map(MemoTarget::Source));
        targets.extend(self.selected_theme.map(MemoTarget::Theme));
        targets.extend(self.selected_coding.map(MemoTarget::Coding));
        targets
    }

    /// The last merge's report in a window of its own, until closed.
    fn merge_report_ui(&mut self, ctx: &egui::Context) {
        let Some(report) = &self.merge_report else {
            return;
        };
        let mut open = true;
        egui::Window::new("Merge report")
            .open(&mut open)
            .resizable(true)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| ui.label(report));
            });
        if !open {
            self.merge_report = None;
        }
    }

    /// After an undo or redo: the coding, theme and source shown must still exist.
    fn forget_what_is_gone(&mut self) {
        self.forget_missing_coding();
        if let Some(id) = self.selected_theme
            && self.project.theme(id).is_err()
        {
            self.selected_theme = None;
        }
        if let Some(id) = self.document.source_id
            && self.project.source_title(id).is_err()
        {
            self.document = DocumentView::default();
        }
    }

    fn forget_missing_coding(&mut self) {
        if let Some(id) = self.selected_coding
            && self.project.coding(id).is_err()
        {
            self.selected_coding = None;
        }
    }
}

impl eframe::App for SitatApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.remember_reading_place();
        eframe::set_value(storage, eframe::APP_KEY, &self.settings);
    }
}
