//! All memos — on the project, a source, a theme or a coding — listed, searchable and editable.

use crate::model::{Memo, MemoId, MemoTarget};
use crate::project::Project;

use super::actions::Action;
use super::snapshot::Snapshot;
use super::words::plural;

#[derive(Default)]
pub struct MemosView {
    pub filter: String,
    selected: Option<MemoId>,
    draft: Option<Draft>,
}

/// A memo being edited: what the store held when editing began, and what is typed.
struct Draft {
    memo_id: MemoId,
    stored: (String, String),
    title: String,
    text: String,
}

/// Where a memo hangs, for people.
fn target_label(target: MemoTarget, snapshot: &Snapshot) -> String {
    match target {
        MemoTarget::Project => "Project".into(),
        MemoTarget::Source(id) => snapshot
            .sources
            .iter()
            .find(|s| s.id == id)
            .map(|s| format!("Source: {}", s.title))
            .unwrap_or_else(|| format!("Source {id}")),
        MemoTarget::Theme(id) => snapshot
            .theme(id)
            .map(|t| format!("Theme: {}", t.name))
            .unwrap_or_else(|| format!("Theme {id}")),
        MemoTarget::Coding(id) => format!("Coding {id}"),
    }
}

impl MemosView {
    pub fn select(&mut self, id: MemoId) {
        self.selected = Some(id);
    }

    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        targets: &[MemoTarget],
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text("Search memos")
                    .desired_width(240.0),
            );
            ui.label("New memo on:");
            for target in targets {
                if ui.button(target_label(*target, snapshot)).clicked() {
                    actions.push(Action::AddMemo(*target));
                }
            }
        });
        ui.separator();
        let memos = match project.memos() {
            Ok(m) => m,
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                return;
            }
        };
        let needle = self.filter.to_lowercase();
        let shown: Vec<&Memo> = memos
            .iter()
            .filter(|m| {
                needle.is_empty()
                    || m.title.to_lowercase().contains(&needle)
                    || m.text.to_lowercase().contains(&needle)
            })
            .collect();
        ui.label(plural(shown.len(), "memo", "memos"));
        ui.columns(2, |cols| {
            egui::ScrollArea::vertical()
                .id_salt("memo-list")
                .auto_shrink([false, false])
                .show(&mut cols[0], |ui| {
                    for memo in &shown {
                        let title = if memo.title.is_empty() {
                            "(untitled)"
                        } else {
                            &memo.title
                        };
                        let label = format!("{title} — {}", target_label(memo.target, snapshot));
                        if ui
                            .selectable_label(self.selected == Some(memo.id), label)
                            .clicked()
                        {
                            self.selected = Some(memo.id);
                        }
                    }
                });
            let ui = &mut cols[1];
            let Some(memo) = self
                .selected
                .and_then(|id| memos.iter().find(|m| m.id == id))
            else {
                ui.weak("Choose a memo to read and edit it.");
                return;
            };
            let title_id = ui.make_persistent_id("memo-title");
            let text_id = ui.make_persistent_id("memo-text");
            let editing = ui.memory(|m| m.has_focus(title_id) || m.has_focus(text_id));
            let stored = (memo.title.clone(), memo.text.clone());
            // The draft follows the store (an undo, another memo) unless it is being typed in.
            let draft = match &mut self.draft {
                Some(d) if d.memo_id == memo.id && (d.stored == stored || editing) => d,
                slot => slot.insert(Draft {
                    memo_id: memo.id,
                    title: stored.0.clone(),
                    text: stored.1.clone(),
                    stored,
                }),
            };
            ui.weak(target_label(memo.target, snapshot));
            // One project command per edit: when a field is left, on Ctrl+Enter or Save.
            let commit_key = editing
                && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
            let title_field = ui.add(
                egui::TextEdit::singleline(&mut draft.title)
                    .id(title_id)
                    .hint_text("Memo title")
                    .desired_width(f32::INFINITY),
            );
            let text_field = ui.add(
                egui::TextEdit::multiline(&mut draft.text)
                    .id(text_id)
                    .hint_text("Memo text")
                    .desired_rows(14)
                    .desired_width(f32::INFINITY),
            );
            if commit_key {
                title_field.surrender_focus();
                text_field.surrender_focus();
            }
            let left = title_field.lost_focus() || text_field.lost_focus();
            ui.horizontal(|ui| {
                let changed = draft.title != memo.title || draft.text != memo.text;
                let save = ui
                    .add_enabled(changed, egui::Button::new("Save memo"))
                    .on_hover_text("Also saved when you leave the field or press Ctrl+Enter")
                    .clicked();
                if changed && (save || commit_key || left) {
                    actions.push(Action::UpdateMemo(
                        memo.id,
                        draft.title.clone(),
                        draft.text.clone(),
                    ));
                }
                if ui.button("Delete memo").clicked() {
                    actions.push(Action::RemoveMemo(memo.id));
                    self.selected = None;
                }
            });
            ui.weak(format!(
                "Last changed {}",
                crate::time::format_utc(memo.updated_at_ms)
            ));
        });
    }
}
