//! Every memo in one list: memos on the project, a source, a theme or a coding, and the memo
//! written on a coding itself (the inspector's). Filtered by kind, theme, actor and words;
//! each is read and edited on the right.

use crate::filter::CodingFilter;
use crate::model::{ActorId, CharSpan, CodingId, Memo, MemoId, MemoTarget, SourceId, ThemeId};
use crate::project::Project;
use crate::text;

use super::actions::Action;
use super::off_frame::OffFrame;
use super::snapshot::Snapshot;
use super::theme_picker::ThemeCombo;
use super::words::plural;

#[derive(Default)]
pub struct MemosView {
    pub filter: String,
    kind: KindFilter,
    theme: Option<ThemeId>,
    actor: Option<ActorId>,
    selected: Option<Selected>,
    draft: Option<Draft>,
    /// The rows, read when the project changes (by revision), not every frame; off the frame
    /// on a large project.
    rows: OffFrame<i64, Vec<Row>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum KindFilter {
    #[default]
    All,
    Project,
    Source,
    Theme,
    Coding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selected {
    Memo(MemoId),
    CodingMemo(CodingId),
}

/// A coding as a memo list shows it.
#[derive(Clone)]
struct CodingInfo {
    coding_id: CodingId,
    source_id: SourceId,
    span: CharSpan,
    theme_id: ThemeId,
    actor_id: Option<ActorId>,
    /// «first words…» → Theme (Actor)
    label: String,
    memo: String,
}

enum Row {
    Memo(Memo, Option<CodingInfo>),
    CodingMemo(CodingInfo),
}

/// A memo being edited: what the store held when editing began, and what is typed.
struct Draft {
    selected: Selected,
    stored: (String, String),
    title: String,
    text: String,
}

fn read_rows(project: &Project) -> crate::Result<Vec<Row>> {
    let mut codings: Vec<CodingInfo> = Vec::new();
    let coding_targets: Vec<CodingId> = project
        .memos()?
        .iter()
        .filter_map(|m| match m.target {
            MemoTarget::Coding(id) => Some(id),
            _ => None,
        })
        .collect();
    project.for_each_excerpt(&CodingFilter::default(), |e| {
        if !e.coding.memo.trim().is_empty() || coding_targets.contains(&e.coding.id) {
            let start = text::short_quote(e.quote, 40);
            let actor = e.actor_name.map(|a| format!(" ({a})")).unwrap_or_default();
            codings.push(CodingInfo {
                coding_id: e.coding.id,
                source_id: e.coding.source_id,
                span: e.coding.span,
                theme_id: e.coding.theme_id,
                actor_id: e.actor_id,
                label: format!("«{start}» → {}{actor}", e.theme_name),
                memo: e.coding.memo.clone(),
            });
        }
        Ok(())
    })?;
    let mut rows: Vec<Row> = project
        .memos()?
        .into_iter()
        .map(|m| {
            let info = match m.target {
                MemoTarget::Coding(id) => codings.iter().find(|c| c.coding_id == id).cloned(),
                _ => None,
            };
            Row::Memo(m, info)
        })
        .collect();
    rows.extend(
        codings
            .into_iter()
            .filter(|c| !c.memo.trim().is_empty())
            .map(Row::CodingMemo),
    );
    Ok(rows)
}

impl Row {
    fn selected(&self) -> Selected {
        match self {
            Row::Memo(m, _) => Selected::Memo(m.id),
            Row::CodingMemo(c) => Selected::CodingMemo(c.coding_id),
        }
    }

    fn kind(&self) -> KindFilter {
        match self {
            Row::Memo(m, _) => match m.target {
                MemoTarget::Project => KindFilter::Project,
                MemoTarget::Source(_) => KindFilter::Source,
                MemoTarget::Theme(_) => KindFilter::Theme,
                MemoTarget::Coding(_) => KindFilter::Coding,
            },
            Row::CodingMemo(_) => KindFilter::Coding,
        }
    }

    fn coding(&self) -> Option<&CodingInfo> {
        match self {
            Row::Memo(_, info) => info.as_ref(),
            Row::CodingMemo(c) => Some(c),
        }
    }

    fn theme(&self) -> Option<ThemeId> {
        match self {
            Row::Memo(m, _) if matches!(m.target, MemoTarget::Theme(_)) => match m.target {
                MemoTarget::Theme(id) => Some(id),
                _ => None,
            },
            _ => self.coding().map(|c| c.theme_id),
        }
    }

    fn actor(&self, snapshot: &Snapshot) -> Option<ActorId> {
        match self {
            Row::Memo(m, _) => match m.target {
                MemoTarget::Source(id) => snapshot
                    .sources
                    .iter()
                    .find(|s| s.id == id)
                    .and_then(|s| s.actor_id),
                _ => self.coding().and_then(|c| c.actor_id),
            },
            Row::CodingMemo(c) => c.actor_id,
        }
    }

    /// The title and text shown and searched.
    fn title_and_text(&self) -> (&str, &str) {
        match self {
            Row::Memo(m, _) => (&m.title, &m.text),
            Row::CodingMemo(c) => ("", &c.memo),
        }
    }

    /// Where the memo hangs, for people.
    fn target_label(&self, snapshot: &Snapshot) -> String {
        match self {
            Row::Memo(m, info) => target_label(m.target, info.as_ref(), snapshot),
            Row::CodingMemo(c) => format!("Memo of the coding {}", c.label),
        }
    }
}

/// Where a memo hangs, for people: "Source: …", "Coding: «Har regler at i…» → Brukermedvirkning".
fn target_label(target: MemoTarget, coding: Option<&CodingInfo>, snapshot: &Snapshot) -> String {
    match target {
        MemoTarget::Project => "Project".into(),
        MemoTarget::Source(id) => snapshot
            .sources
            .iter()
            .find(|s| s.id == id)
            .map(|s| format!("Source: {}", s.title))
            .unwrap_or_else(|| "a deleted source".into()),
        MemoTarget::Theme(id) => snapshot
            .theme(id)
            .map(|t| format!("Theme: {}", t.name))
            .unwrap_or_else(|| "a deleted theme".into()),
        MemoTarget::Coding(_) => match coding {
            Some(c) => format!("Coding: {}", c.label),
            None => "The selected coding".into(),
        },
    }
}

impl MemosView {
    /// Whether its analysis is being computed off the frame.
    pub fn is_computing(&self) -> bool {
        self.rows.is_computing()
    }

    pub fn select(&mut self, id: MemoId) {
        self.selected = Some(Selected::Memo(id));
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        targets: &[MemoTarget],
        actions: &mut Vec<Action>,
    ) {
        let mut rows = std::mem::take(&mut self.rows);
        rows.request(
            ui.ctx(),
            project,
            !snapshot.analyses_off_frame(),
            snapshot.revision,
            read_rows,
        );
        rows.status_ui(ui);
        if let Some(read) = rows.value() {
            self.list_ui(ui, read, snapshot, targets, actions);
        }
        self.rows = rows;
    }

    fn list_ui(
        &mut self,
        ui: &mut egui::Ui,
        rows: &[Row],
        snapshot: &Snapshot,
        targets: &[MemoTarget],
        actions: &mut Vec<Action>,
    ) {
        self.new_memo_ui(ui, rows, snapshot, targets, actions);
        self.filters_ui(ui, snapshot);
        ui.separator();
        let needle = self.filter.to_lowercase();
        let shown: Vec<&Row> = rows
            .iter()
            .filter(|r| self.kind == KindFilter::All || r.kind() == self.kind)
            .filter(|r| self.theme.is_none() || r.theme() == self.theme)
            .filter(|r| self.actor.is_none() || r.actor(snapshot) == self.actor)
            .filter(|r| {
                let (title, text) = r.title_and_text();
                needle.is_empty()
                    || title.to_lowercase().contains(&needle)
                    || text.to_lowercase().contains(&needle)
            })
            .collect();
        ui.label(plural(shown.len(), "memo", "memos"));
        ui.columns(2, |cols| {
            let row_height = cols[0].text_style_height(&egui::TextStyle::Body) + 6.0;
            egui::ScrollArea::vertical()
                .id_salt("memo-list")
                .auto_shrink([false, false])
                .show_rows(&mut cols[0], row_height, shown.len(), |ui, range| {
                    for row in &shown[range] {
                        let (title, text) = row.title_and_text();
                        let head = if title.is_empty() {
                            text::one_line(text).chars().take(60).collect::<String>()
                        } else {
                            title.to_string()
                        };
                        let label = format!("{head} — {}", row.target_label(snapshot));
                        let selected = self.selected == Some(row.selected());
                        let item = egui::Button::selectable(selected, label).truncate();
                        if ui.add(item).clicked() {
                            self.selected = Some(row.selected());
                        }
                    }
                });
            let ui = &mut cols[1];
            let Some(row) = self
                .selected
                .and_then(|s| rows.iter().find(|r| r.selected() == s))
            else {
                ui.weak("Choose a memo to read and edit it.");
                return;
            };
            self.editor_ui(ui, row, snapshot, actions);
        });
    }

    fn new_memo_ui(
        &self,
        ui: &mut egui::Ui,
        rows: &[Row],
        snapshot: &Snapshot,
        targets: &[MemoTarget],
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.label("New memo on:");
            for &target in targets {
                let coding = match target {
                    MemoTarget::Coding(id) => rows
                        .iter()
                        .filter_map(Row::coding)
                        .find(|c| c.coding_id == id),
                    _ => None,
                };
                if ui.button(target_label(target, coding, snapshot)).clicked() {
                    actions.push(Action::AddMemo(target));
                }
            }
        });
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui, snapshot: &Snapshot) {
        ui.horizontal_wrapped(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text("Search memos")
                    .desired_width(200.0),
            );
            let kinds = [
                (KindFilter::All, "every kind"),
                (KindFilter::Project, "on the project"),
                (KindFilter::Source, "on sources"),
                (KindFilter::Theme, "on themes"),
                (KindFilter::Coding, "on codings"),
            ];
            let kind_name = kinds
                .iter()
                .find(|(k, _)| *k == self.kind)
                .map_or("", |(_, n)| n);
            egui::ComboBox::new("memo-kind", "Kind")
                .selected_text(kind_name)
                .show_ui(ui, |ui| {
                    for (kind, name) in kinds {
                        ui.selectable_value(&mut self.kind, kind, name);
                    }
                });
            ThemeCombo {
                id_salt: "memo-theme",
                label: "Theme",
                none: Some("every theme"),
                unset: "every theme",
            }
            .show(ui, &mut self.theme, snapshot, |_| true);
            let actor_name = self
                .actor
                .and_then(|a| snapshot.actor(a))
                .map_or("every actor".to_string(), |a| a.name.clone());
            egui::ComboBox::new("memo-actor", "Actor")
                .selected_text(actor_name)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.actor, None, "every actor");
                    for actor in &snapshot.actors {
                        ui.selectable_value(&mut self.actor, Some(actor.id), &actor.name);
                    }
                });
        });
    }

    /// The chosen memo, editable; saved as one command when a field is left, on Ctrl+Enter or
    /// with Save.
    fn editor_ui(
        &mut self,
        ui: &mut egui::Ui,
        row: &Row,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        let title_id = ui.make_persistent_id("memo-title");
        let text_id = ui.make_persistent_id("memo-text");
        let editing = ui.memory(|m| m.has_focus(title_id) || m.has_focus(text_id));
        let (stored_title, stored_text) = row.title_and_text();
        let stored = (stored_title.to_string(), stored_text.to_string());
        let selected = row.selected();
        // The draft follows the store (an undo, another memo) unless it is being typed in.
        let draft = match &mut self.draft {
            Some(d) if d.selected == selected && (d.stored == stored || editing) => d,
            slot => slot.insert(Draft {
                selected,
                title: stored.0.clone(),
                text: stored.1.clone(),
                stored: stored.clone(),
            }),
        };
        ui.weak(row.target_label(snapshot));
        if let Some(coding) = row.coding()
            && ui.small_button("Open in source").clicked()
        {
            actions.push(Action::OpenSource(coding.source_id, Some(coding.span)));
            actions.push(Action::SelectCoding(Some(coding.coding_id)));
        }
        let commit_key =
            editing && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
        let is_memo = matches!(row, Row::Memo(..));
        let title_field = is_memo.then(|| {
            ui.add(
                egui::TextEdit::singleline(&mut draft.title)
                    .id(title_id)
                    .hint_text("Memo title")
                    .desired_width(f32::INFINITY),
            )
        });
        let text_field = ui.add(
            egui::TextEdit::multiline(&mut draft.text)
                .id(text_id)
                .hint_text("Memo text")
                .desired_rows(14)
                .desired_width(f32::INFINITY),
        );
        if commit_key {
            ui.memory_mut(|m| {
                m.surrender_focus(title_id);
                m.surrender_focus(text_id);
            });
        }
        let left = text_field.lost_focus() || title_field.is_some_and(|f| f.lost_focus());
        ui.horizontal(|ui| {
            let changed = (draft.title.as_str(), draft.text.as_str()) != (&stored.0, &stored.1);
            let save = ui
                .add_enabled(changed, egui::Button::new("Save memo"))
                .on_hover_text("Also saved when you leave the field or press Ctrl+Enter")
                .clicked();
            if changed && (save || commit_key || left) {
                actions.push(match row {
                    Row::Memo(m, _) => {
                        Action::UpdateMemo(m.id, draft.title.clone(), draft.text.clone())
                    }
                    Row::CodingMemo(c) => Action::SetCodingMemo(c.coding_id, draft.text.clone()),
                });
            }
            if let Row::Memo(m, _) = row
                && ui.button("Delete memo").clicked()
            {
                actions.push(Action::RemoveMemo(m.id));
                self.selected = None;
            }
        });
        if let Row::Memo(m, _) = row {
            ui.weak(format!(
                "Last changed {}",
                crate::time::format_local(m.updated_at_ms)
            ));
        }
    }
}
