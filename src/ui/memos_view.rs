//! All memos — on the project, a source, a theme or a coding — listed, searchable and editable.

use crate::model::{Memo, MemoId, MemoTarget};
use crate::project::Project;

use super::actions::Action;
use super::snapshot::Snapshot;

#[derive(Default)]
pub struct MemosView {
    pub filter: String,
    selected: Option<MemoId>,
    draft: Option<(MemoId, String, String)>,
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
        ui.label(format!("{} memos", shown.len()));
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
            if self.draft.as_ref().map(|d| d.0) != Some(memo.id) {
                self.draft = Some((memo.id, memo.title.clone(), memo.text.clone()));
            }
            let (_, title, text) = self.draft.as_mut().expect("just set");
            ui.weak(target_label(memo.target, snapshot));
            ui.add(
                egui::TextEdit::singleline(title)
                    .hint_text("Memo title")
                    .desired_width(f32::INFINITY),
            );
            ui.add(
                egui::TextEdit::multiline(text)
                    .hint_text("Memo text")
                    .desired_rows(14)
                    .desired_width(f32::INFINITY),
            );
            ui.horizontal(|ui| {
                let changed = *title != memo.title || *text != memo.text;
                if ui
                    .add_enabled(changed, egui::Button::new("Save memo"))
                    .clicked()
                {
                    actions.push(Action::UpdateMemo(memo.id, title.clone(), text.clone()));
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
