//! Everything a user can ask for, as data: panels push `Action`s, the app applies them once per
//! frame. Keyboard shortcuts are a table, so a test can check that no two share a key.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::analysis::agreement::{Difference, Resolution};
use crate::export::ExportFormat;
use crate::index::Hit;
use crate::model::{
    ActorId, CharSpan, CoderId, CodingId, MemoId, MemoTarget, PersonId, SourceId, SourceKind,
    Theme, ThemeId,
};
use crate::project::Widen;

use super::app::CentralTab;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Undo,
    Redo,
    /// Show a source, optionally scrolled to and selecting a span.
    OpenSource(SourceId, Option<CharSpan>),
    SelectCoding(Option<CodingId>),
    /// Code the current selection with a theme.
    ApplyTheme(ThemeId),
    /// Code the current selection with the n-th theme of the codebook (1-based).
    ApplyNthTheme(usize),
    /// Create a theme named by the selected text and code the selection with it.
    CodeInVivo,
    AddTheme(String),
    /// Show a theme in the editor (or close it).
    EditTheme(Option<ThemeId>),
    UpdateTheme(Theme),
    RemoveTheme(ThemeId),
    MergeThemes {
        from: ThemeId,
        into: ThemeId,
    },
    AddMemo(MemoTarget),
    /// Code search hits with a theme, as one undoable step.
    CodeHits {
        hits: Vec<Hit>,
        theme_id: ThemeId,
        widen: Widen,
    },
    /// Stop a background job (import, indexing, export).
    CancelJob(usize),
    /// List one matrix cell's quotes in the retrieve view.
    RetrieveCell {
        theme_id: ThemeId,
        actor_id: ActorId,
    },
    UpdateMemo(MemoId, String, String),
    RemoveMemo(MemoId),
    SetStance(CodingId, Option<i64>),
    SetCodingMemo(CodingId, String),
    RemoveCoding(CodingId),
    /// Import files and folders (any format Sitat reads) on a background thread.
    ImportFiles(Vec<PathBuf>),
    /// Ask where to export, then export in this format.
    PickExport(ExportFormat),
    Export(ExportFormat, PathBuf),
    PickImportFiles,
    PickProject,
    OpenProject(PathBuf),
    PickNewProject,
    NewProject(PathBuf),
    ShowTab(CentralTab),
    SetDarkMode(bool),
    /// Settle a difference between two coders (see `analysis::agreement::resolve`).
    ResolveDifference {
        difference: Box<Difference>,
        a: CoderId,
        b: CoderId,
        resolution: Resolution,
        /// What the settlement does, in the coders' names, for the status line.
        summary: String,
    },
    /// Show the project's history of changes.
    OpenHistory,
    /// Ask for a colleague's project, then merge it in.
    PickMergeProject,
    MergeProject(PathBuf),
    /// Show or hide a side panel.
    TogglePanel(SidePanel),
    /// Change a source's title, kind, person and details, as one undoable step.
    EditSource {
        source_id: SourceId,
        title: String,
        kind: SourceKind,
        person_id: Option<PersonId>,
        /// The source's details (date, citation …), in their order.
        metadata: crate::model::Metadata,
    },
    /// Delete a source with its codings, speaker turns and memos (undoable).
    RemoveSource(SourceId),
    /// Ask the kind and person of files to import (picked, or dropped on the window).
    AskImport(Vec<PathBuf>),
    /// Import files as sources of this kind, attributed as a whole to this person.
    ImportFilesAs {
        paths: Vec<PathBuf>,
        kind: SourceKind,
        person_id: Option<PersonId>,
    },
    /// Record codings under this name from now on, and remember it.
    SetCoder(String),
    OpenSettings,
    /// Ask where to save a comparison view rendered as `content` ("Export this view…"), then
    /// write it. `label` names the view and format, `file_name` is the suggested name.
    SaveViewExport {
        label: String,
        file_name: String,
        content: Vec<u8>,
    },
}

/// The panels beside the central tabs, each of which can be hidden to make room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SidePanel {
    /// Sources and codebook, on the left.
    Navigator,
    /// The coding (and theme editor), on the right.
    Inspector,
}

/// Actions reachable from the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    Undo,
    Redo,
    Import,
    Open,
    ApplyTheme(usize),
    TogglePanel(SidePanel),
    ShowTab(CentralTab),
}

const fn cmd(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

/// Redo is listed before Undo: matching ignores an extra Shift, so Cmd+Shift+Z must be tried
/// first or it would undo.
pub const SHORTCUTS: &[(KeyboardShortcut, Shortcut)] = &[
    (
        KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z),
        Shortcut::Redo,
    ),
    (cmd(Key::Y), Shortcut::Redo),
    (cmd(Key::Z), Shortcut::Undo),
    (cmd(Key::I), Shortcut::Import),
    (cmd(Key::O), Shortcut::Open),
    // Ctrl+Alt+B before Ctrl+B: matching ignores an extra Alt.
    (
        KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::ALT), Key::B),
        Shortcut::TogglePanel(SidePanel::Inspector),
    ),
    (cmd(Key::B), Shortcut::TogglePanel(SidePanel::Navigator)),
    (cmd(Key::Num1), Shortcut::ShowTab(CentralTab::Document)),
    (cmd(Key::Num2), Shortcut::ShowTab(CentralTab::Search)),
    (cmd(Key::Num3), Shortcut::ShowTab(CentralTab::Retrieve)),
    (cmd(Key::Num4), Shortcut::ShowTab(CentralTab::Compare)),
    (cmd(Key::Num5), Shortcut::ShowTab(CentralTab::Positions)),
    (cmd(Key::Num6), Shortcut::ShowTab(CentralTab::Matrix)),
    (cmd(Key::Num7), Shortcut::ShowTab(CentralTab::Disagreements)),
    (cmd(Key::Num8), Shortcut::ShowTab(CentralTab::Memos)),
    (cmd(Key::Num9), Shortcut::ShowTab(CentralTab::Agreement)),
    (plain(Key::Num1), Shortcut::ApplyTheme(1)),
    (plain(Key::Num2), Shortcut::ApplyTheme(2)),
    (plain(Key::Num3), Shortcut::ApplyTheme(3)),
    (plain(Key::Num4), Shortcut::ApplyTheme(4)),
    (plain(Key::Num5), Shortcut::ApplyTheme(5)),
    (plain(Key::Num6), Shortcut::ApplyTheme(6)),
    (plain(Key::Num7), Shortcut::ApplyTheme(7)),
    (plain(Key::Num8), Shortcut::ApplyTheme(8)),
    (plain(Key::Num9), Shortcut::ApplyTheme(9)),
];

impl Shortcut {
    pub fn action(self) -> Action {
        match self {
            Shortcut::Undo => Action::Undo,
            Shortcut::Redo => Action::Redo,
            Shortcut::Import => Action::PickImportFiles,
            Shortcut::Open => Action::PickProject,
            Shortcut::ApplyTheme(n) => Action::ApplyNthTheme(n),
            Shortcut::TogglePanel(panel) => Action::TogglePanel(panel),
            Shortcut::ShowTab(tab) => Action::ShowTab(tab),
        }
    }
}

/// Where the keyboard focus is, as far as shortcuts care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Nothing focused: every shortcut works.
    None,
    /// The document's read-only text, focused by a click or a drag that selected in it: number
    /// keys code the selection and Ctrl+Z undoes the project, since the text cannot change.
    ReadOnlyText,
    /// A text field being typed in: it keeps its keys, digits and its own Ctrl+Z/Ctrl+Y.
    Editing,
    /// Another widget (a slider, a button reached by Tab): plain keys are its own.
    Widget,
}

/// The marker `mark_read_only_text` stores under a widget's id.
#[derive(Debug, Clone, Copy)]
struct ReadOnlyText;

/// Tells the shortcuts that the text field `id` shows text nobody types into: focus there is
/// for selecting. Call it each frame the field is shown.
pub fn mark_read_only_text(ctx: &egui::Context, id: egui::Id) {
    ctx.data_mut(|d| d.insert_temp(id, ReadOnlyText));
}

impl Focus {
    pub fn of(ctx: &egui::Context) -> Focus {
        let Some(id) = ctx.memory(|m| m.focused()) else {
            return Focus::None;
        };
        if ctx.data(|d| d.get_temp::<ReadOnlyText>(id).is_some()) {
            Focus::ReadOnlyText
        } else if ctx.text_edit_focused() {
            Focus::Editing
        } else {
            Focus::Widget
        }
    }
}

/// The shortcuts pressed this frame, consumed so no widget sees them too. Plain keys (digits)
/// only count when no field or widget takes them, so typing a memo never codes anything; a
/// text field being typed in keeps Ctrl+Z/Ctrl+Y for its own text.
pub fn pressed_shortcuts(ctx: &egui::Context) -> Vec<Action> {
    let focus = Focus::of(ctx);
    let mut actions = Vec::new();
    ctx.input_mut(|input| {
        for (shortcut, what) in SHORTCUTS {
            let plain_key = shortcut.modifiers.is_none();
            if plain_key && matches!(focus, Focus::Editing | Focus::Widget) {
                continue;
            }
            if matches!(what, Shortcut::Undo | Shortcut::Redo) && focus == Focus::Editing {
                continue;
            }
            // The key also arrives as the text it types (a digit: "3").
            let typed = shortcut.logical_key.symbol_or_name();
            let typed_at = |events: &[egui::Event]| {
                (events.iter()).position(|e| matches!(e, egui::Event::Text(t) if t == typed))
            };
            // Shift+9 types "(" (Shift+8 on a Norwegian keyboard): not a digit, so no coding.
            // Where digits need Shift (French keyboards) the key still types the digit.
            if plain_key && input.modifiers.shift && typed_at(&input.events).is_none() {
                continue;
            }
            if input.consume_shortcut(shortcut) {
                actions.push(what.action());
                // A focused read-only field would "type" the digit over its selection, which
                // collapses the selection.
                if let Some(at) = typed_at(&input.events).filter(|_| plain_key) {
                    input.events.remove(at);
                }
            }
        }
    });
    actions
}

/// The label of a shortcut for menus ("Ctrl+Z").
pub fn shortcut_text(ctx: &egui::Context, what: Shortcut) -> String {
    SHORTCUTS
        .iter()
        .find(|(_, w)| *w == what)
        .map(|(s, _)| ctx.format_shortcut(s))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_actions_share_a_shortcut() {
        for (i, (a, _)) in SHORTCUTS.iter().enumerate() {
            for (b, _) in &SHORTCUTS[i + 1..] {
                assert!(
                    !(a.logical_key == b.logical_key && a.modifiers == b.modifiers),
                    "{a:?} is bound twice"
                );
            }
        }
    }
}
