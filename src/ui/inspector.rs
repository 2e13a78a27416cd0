//! The selected coding: theme, quote, stance (axis themes), memo, coder, time, remove.

use crate::model::{CharSpan, Coding, CodingId, PersonId, SourceId, Stance};
use crate::project::Project;
use crate::text;
use crate::time::format_local;

use super::actions::Action;
use super::document_view::DocumentView;
use super::snapshot::Snapshot;

#[derive(Default)]
pub struct Inspector {
    /// The memo being edited: the coding, the stored memo it started from, the text typed.
    memo_draft: Option<MemoDraft>,
    /// The coding shown, read from the project when the selection or the project changes —
    /// not every frame (its source's text may be hundreds of thousands of characters).
    shown: Option<Shown>,
    /// The document's selection and the start of its text, cut when the selection changes.
    selection_quote: Option<(SelectionKey, String)>,
}

type SelectionKey = (SourceId, CharSpan);

struct MemoDraft {
    coding_id: CodingId,
    stored: String,
    text: String,
}

struct Shown {
    key: (i64, CodingId),
    coding: Coding,
    quote: String,
    source_title: String,
    /// Who speaks where the coding starts (a transcript's turn), else the source's person.
    speaker: Option<PersonId>,
}

fn read_shown(project: &Project, key: (i64, CodingId)) -> Option<Shown> {
    let coding = project.coding(key.1).ok()?;
    let source = project.source(coding.source_id).ok()?;
    let quote = text::one_line(text::slice_chars(&source.text, coding.span).unwrap_or_default());
    let turn = project
        .speaker_turns(source.id)
        .ok()?
        .into_iter()
        .find(|t| t.span.contains(coding.span.start));
    Some(Shown {
        key,
        coding,
        quote,
        source_title: source.title,
        speaker: turn.map(|t| t.person_id).or(source.person_id),
    })
}

impl Inspector {
    /// The document's selection with "Code in vivo": drawn first in the right panel, above
    /// the theme editor, so that it is in view at any window size.
    pub fn selection_ui(
        &mut self,
        ui: &mut egui::Ui,
        document: &DocumentView,
        actions: &mut Vec<Action>,
    ) {
        let key = document.source_id.zip(document.selection);
        let Some(key) = key else {
            self.selection_quote = None;
            return;
        };
        if self.selection_quote.as_ref().map(|(k, _)| *k) != Some(key) {
            // The document lays a source out after this panel is drawn: a source just opened
            // has no text yet, and its quote is cut on a later frame.
            self.selection_quote = document
                .selected_text()
                .map(|t| (key, text::short_quote(t, 80)));
        }
        ui.heading("Selection");
        if let Some((_, quote)) = &self.selection_quote {
            ui.label(egui::RichText::new(format!("«{quote}»")).italics());
        }
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Code in vivo")
                .on_hover_text("A new theme named by the selected text, coding it")
                .clicked()
            {
                actions.push(Action::CodeInVivo);
            }
            ui.weak("or press a theme's number");
        });
        ui.separator();
    }

    /// The selected coding: theme, quote, speaker, stance, memo, coder.
    pub fn coding_ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        selected: Option<CodingId>,
        actions: &mut Vec<Action>,
    ) {
        ui.heading("Coding");
        let key = selected.map(|id| (snapshot.revision, id));
        if self.shown.as_ref().map(|s| s.key) != key {
            self.shown = key.and_then(|key| read_shown(project, key));
        }
        let Some(shown) = &self.shown else {
            ui.weak("Click a highlight in the document to see its coding here.");
            return;
        };
        let coding = shown.coding.clone();
        let Some(theme) = snapshot.theme(coding.theme_id) else {
            return;
        };
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::Vec2::splat(12.0), egui::Sense::hover());
            ui.painter()
                .rect_filled(rect, 3.0, super::colors::theme_color(theme));
            ui.strong(&theme.name);
        });
        egui::ScrollArea::vertical()
            .id_salt("inspector-quote")
            .max_height(180.0)
            .show(ui, |ui| {
                ui.label(egui::RichText::new(format!("«{}»", shown.quote)).italics());
            });
        if let Some(person) = shown.speaker.and_then(|p| snapshot.person(p)) {
            let actor = snapshot
                .actor(person.actor_id)
                .map(|a| format!(" ({})", a.name))
                .unwrap_or_default();
            ui.label(format!("Said by {}{actor}", person.name));
        }
        ui.weak(format!(
            "{} · characters {}",
            shown.source_title, coding.span
        ));
        ui.separator();

        if let Some(poles) = &theme.poles {
            ui.label("Stance");
            let mut has_stance = coding.stance.is_some();
            if ui.checkbox(&mut has_stance, "Takes a stance").changed() {
                actions.push(Action::SetStance(coding.id, has_stance.then_some(0)));
            }
            if let Some(stance) = coding.stance {
                let mut value = stance.value();
                ui.horizontal(|ui| {
                    ui.small(&poles.negative);
                    let slider = ui.add(
                        egui::Slider::new(&mut value, Stance::MIN..=Stance::MAX)
                            .text("Stance")
                            .show_value(true),
                    );
                    ui.small(&poles.positive);
                    if slider.changed() {
                        actions.push(Action::SetStance(coding.id, Some(value)));
                    }
                });
            }
            ui.separator();
        }

        ui.label("Memo");
        let memo_id = ui.make_persistent_id("coding-memo");
        let editing = ui.memory(|m| m.has_focus(memo_id));
        // Typed for another coding and not yet saved (the selection moved on while typing).
        if let Some(d) = &self.memo_draft
            && d.coding_id != coding.id
            && d.text != d.stored
        {
            actions.push(Action::SetCodingMemo(d.coding_id, d.text.clone()));
        }
        // A draft follows the store (an undo, another coding) unless it is being typed in.
        let draft = match &mut self.memo_draft {
            Some(d) if d.coding_id == coding.id && (d.stored == coding.memo || editing) => d,
            slot => slot.insert(MemoDraft {
                coding_id: coding.id,
                stored: coding.memo.clone(),
                text: coding.memo.clone(),
            }),
        };
        // One project command per edit: when the field is left, or on Ctrl+Enter.
        let commit =
            editing && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
        let memo = ui.add(
            egui::TextEdit::multiline(&mut draft.text)
                .id(memo_id)
                .hint_text("Memo on this coding")
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        );
        if commit {
            memo.surrender_focus();
        }
        if (commit || memo.lost_focus()) && draft.text != coding.memo {
            actions.push(Action::SetCodingMemo(coding.id, draft.text.clone()));
        }
        ui.weak("Saved when you leave the field or press Ctrl+Enter.");
        ui.separator();
        let coder = snapshot
            .coders
            .iter()
            .find(|c| c.id == coding.coder_id)
            .map(|c| c.name.as_str())
            .unwrap_or_default();
        ui.weak(format!(
            "Coded by {coder}, {}",
            format_local(coding.created_at_ms)
        ));
        if ui.button("Remove coding").clicked() {
            actions.push(Action::RemoveCoding(coding.id));
        }
    }
}
