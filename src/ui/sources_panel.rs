//! The sources, grouped by actor (then kind for unattributed ones), with a filter and counts.

use crate::model::{SourceId, SourceKind, SourceSummary};

use super::actions::Action;
use super::snapshot::Snapshot;
use super::source_editor::SourceEditor;
use super::words::plural;

#[derive(Default)]
pub struct SourcesPanel {
    pub filter: String,
    pub editor: SourceEditor,
}

impl SourcesPanel {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &Snapshot,
        open: Option<SourceId>,
        memos: &dyn Fn(SourceId) -> usize,
        actions: &mut Vec<Action>,
    ) {
        let editor = &mut self.editor;
        ui.add(
            egui::TextEdit::singleline(&mut self.filter)
                .hint_text("Filter sources")
                .desired_width(f32::INFINITY),
        );
        let needle = self.filter.to_lowercase();
        let matches = |s: &SourceSummary| {
            needle.is_empty()
                || s.title.to_lowercase().contains(&needle)
                || s.person_id
                    .and_then(|p| snapshot.person(p))
                    .is_some_and(|p| p.name.to_lowercase().contains(&needle))
        };
        let mut source_row = |ui: &mut egui::Ui, s: &SourceSummary| {
            let person = s
                .person_id
                .and_then(|p| snapshot.person(p))
                .map(|p| format!(" — {}", p.name))
                .unwrap_or_default();
            let label = format!("{}{person}  ({})", s.title, s.coding_count);
            let row = ui
                .selectable_label(open == Some(s.id), label)
                .on_hover_text(format!(
                    "{} · {} characters · right-click to edit or delete",
                    s.kind, s.char_len
                ));
            if row.clicked() {
                actions.push(Action::OpenSource(s.id, None));
            }
            editor.context_menu(&row, s, memos);
        };
        egui::ScrollArea::vertical()
            .id_salt("sources")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for actor in &snapshot.actors {
                    let sources: Vec<_> = snapshot
                        .sources
                        .iter()
                        .filter(|s| s.actor_id == Some(actor.id) && matches(s))
                        .collect();
                    if sources.is_empty() {
                        continue;
                    }
                    let codings: usize = sources.iter().map(|s| s.coding_count).sum();
                    egui::CollapsingHeader::new(format!(
                        "{}  ·  {}, {}",
                        actor.name,
                        plural(sources.len(), "source", "sources"),
                        plural(codings, "coding", "codings")
                    ))
                    .id_salt(("actor", actor.id))
                    .default_open(true)
                    .show(ui, |ui| {
                        for s in sources {
                            source_row(ui, s);
                        }
                    });
                }
                for kind in SourceKind::ALL {
                    let sources: Vec<_> = snapshot
                        .sources
                        .iter()
                        .filter(|s| s.actor_id.is_none() && s.kind == kind && matches(s))
                        .collect();
                    if sources.is_empty() {
                        continue;
                    }
                    egui::CollapsingHeader::new(format!(
                        "{kind}  ·  {}",
                        plural(sources.len(), "source", "sources")
                    ))
                    .id_salt(("kind", kind.as_str()))
                    .default_open(kind != SourceKind::Reference)
                    .show(ui, |ui| {
                        for s in sources {
                            source_row(ui, s);
                        }
                    });
                }
            });
    }
}
