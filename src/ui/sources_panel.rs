//! The sources, grouped by actor (then kind for unattributed ones), with a filter and counts.
//! The groups are worked out when the project or the filter changes, and only the rows in view
//! are laid out: a project of tens of thousands of sources scrolls as fast as a small one.

use crate::model::{SourceId, SourceKind, SourceSummary};

use super::actions::Action;
use super::snapshot::Snapshot;
use super::source_editor::SourceEditor;
use super::virtual_list::rows_in_view;
use super::words::plural;

#[derive(Default)]
pub struct SourcesPanel {
    pub filter: String,
    pub editor: SourceEditor,
    /// The groups for (revision, filter): indexes into the snapshot's sources.
    groups: Option<((i64, String), Vec<Group>)>,
}

/// A group of the list: an actor's sources, or the unattributed sources of one kind.
struct Group {
    key: GroupKey,
    sources: Vec<usize>,
}

enum GroupKey {
    Actor(usize),
    Kind(SourceKind),
}

/// The sources matching `filter` (in title or speaker), grouped.
fn groups_of(snapshot: &Snapshot, filter: &str) -> Vec<Group> {
    let needle = filter.to_lowercase();
    let matches = |s: &SourceSummary| {
        needle.is_empty()
            || s.title.to_lowercase().contains(&needle)
            || s.person_id
                .and_then(|p| snapshot.person(p))
                .is_some_and(|p| p.name.to_lowercase().contains(&needle))
    };
    let mut by_actor: Vec<Vec<usize>> = vec![Vec::new(); snapshot.actors.len()];
    let mut by_kind: Vec<Vec<usize>> = vec![Vec::new(); SourceKind::ALL.len()];
    for (i, s) in snapshot.sources.iter().enumerate() {
        if !matches(s) {
            continue;
        }
        match s.actor_id {
            Some(actor) => {
                if let Some(a) = snapshot.actors.iter().position(|a| a.id == actor) {
                    by_actor[a].push(i);
                }
            }
            None => {
                if let Some(k) = SourceKind::ALL.iter().position(|k| *k == s.kind) {
                    by_kind[k].push(i);
                }
            }
        }
    }
    let actors = by_actor.into_iter().enumerate().map(|(a, sources)| Group {
        key: GroupKey::Actor(a),
        sources,
    });
    let kinds = by_kind.into_iter().enumerate().map(|(k, sources)| Group {
        key: GroupKey::Kind(SourceKind::ALL[k]),
        sources,
    });
    actors
        .chain(kinds)
        .filter(|g| !g.sources.is_empty())
        .collect()
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
        let key = (snapshot.revision, self.filter.clone());
        if self.groups.as_ref().map(|(k, _)| k) != Some(&key) {
            let groups = groups_of(snapshot, &self.filter);
            self.groups = Some((key, groups));
        }
        let groups = self.groups.as_ref().map_or(&[][..], |(_, g)| g.as_slice());
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
        let row_height = (ui.text_style_height(&egui::TextStyle::Button)
            + 2.0 * ui.spacing().button_padding.y)
            .max(ui.spacing().interact_size.y);
        egui::ScrollArea::vertical()
            .id_salt("sources")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for group in groups {
                    let sources = &group.sources;
                    let header = match group.key {
                        GroupKey::Actor(a) => {
                            let actor = &snapshot.actors[a];
                            let codings: usize = sources
                                .iter()
                                .map(|&i| snapshot.sources[i].coding_count)
                                .sum();
                            egui::CollapsingHeader::new(format!(
                                "{}  ·  {}, {}",
                                actor.name,
                                plural(sources.len(), "source", "sources"),
                                plural(codings, "coding", "codings")
                            ))
                            .id_salt(("actor", actor.id))
                            .default_open(true)
                        }
                        GroupKey::Kind(kind) => egui::CollapsingHeader::new(format!(
                            "{kind}  ·  {}",
                            plural(sources.len(), "source", "sources")
                        ))
                        .id_salt(("kind", kind.as_str()))
                        .default_open(kind != SourceKind::Reference),
                    };
                    header.show(ui, |ui| {
                        rows_in_view(ui, row_height, sources.len(), |ui, row| {
                            source_row(ui, &snapshot.sources[sources[row]]);
                        });
                    });
                }
            });
    }
}
