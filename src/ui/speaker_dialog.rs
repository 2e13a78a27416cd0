//! "Who is speaking?": asked once per new speaker label of an import, per file (an "R" is
//! another respondent in each interview). Each label becomes a person the project has, a new
//! person (of an actor the project has, or a new one), or stays unattributed. The answers go back
//! into the import as per-file speaker maps and persons to create, so the whole import, persons
//! included, is still one undo step.

use std::path::PathBuf;

use crate::import::{ActorChoice, ImportOptions, NewPerson, PreparedImport, UnknownSpeaker};
use crate::model::{ActorId, PersonId};

use super::snapshot::Snapshot;

/// Who a label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Unattributed,
    Person(PersonId),
    NewPerson,
}

/// The actor a new person speaks for: none until chosen, so that nobody's quotes land with an
/// actor the researcher did not pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActorPick {
    Unchosen,
    Existing(ActorId),
    /// A new actor named `new_actor`.
    New,
}

struct SpeakerRow {
    speaker: UnknownSpeaker,
    who: Who,
    new_name: String,
    new_person_actor: ActorPick,
    new_actor: String,
}

/// What the user chose.
pub enum SpeakerAnswer {
    /// Read the files again with these speakers.
    Import(Vec<PathBuf>, ImportOptions),
    /// Import as read, the unknown speakers' turns without a person.
    ImportAsRead(PreparedImport),
    Cancel,
}

pub struct SpeakerDialog {
    paths: Vec<PathBuf>,
    options: ImportOptions,
    /// The import as first read: applied as it is if the user leaves every speaker unattributed.
    prepared: Option<PreparedImport>,
    rows: Vec<SpeakerRow>,
}

impl SpeakerDialog {
    pub fn new(
        paths: Vec<PathBuf>,
        options: ImportOptions,
        prepared: PreparedImport,
    ) -> SpeakerDialog {
        let rows = prepared
            .report
            .speakers_to_map
            .iter()
            .map(|speaker| {
                let looks_like_a_name = !is_role_label(&speaker.label);
                SpeakerRow {
                    who: if looks_like_a_name {
                        Who::NewPerson
                    } else {
                        Who::Unattributed
                    },
                    new_name: if looks_like_a_name {
                        speaker.label.clone()
                    } else {
                        String::new()
                    },
                    new_person_actor: ActorPick::Unchosen,
                    new_actor: String::new(),
                    speaker: speaker.clone(),
                }
            })
            .collect();
        SpeakerDialog {
            paths,
            options,
            prepared: Some(prepared),
            rows,
        }
    }

    /// The import options the answers give, or what is still missing.
    fn answered(&self, snapshot: &Snapshot) -> Result<ImportOptions, String> {
        let mut options = self.options.clone();
        for row in &self.rows {
            let name = match row.who {
                Who::Unattributed => continue,
                Who::Person(id) => snapshot
                    .persons
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| p.name.clone())
                    .ok_or_else(|| format!("{} is a person no longer there", row.speaker.label))?,
                Who::NewPerson => {
                    let name = row.new_name.trim();
                    if name.is_empty() {
                        return Err(format!(
                            "name the new person who is {} in {}",
                            row.speaker.label,
                            file_name(&row.speaker.file)
                        ));
                    }
                    let actor = match row.new_person_actor {
                        ActorPick::Unchosen => {
                            return Err(format!("choose the actor {name} speaks for"));
                        }
                        ActorPick::Existing(id) => ActorChoice::Existing(id),
                        ActorPick::New if row.new_actor.trim().is_empty() => {
                            return Err(format!("name the new actor of {name}"));
                        }
                        ActorPick::New => ActorChoice::New(row.new_actor.trim().to_string()),
                    };
                    options.new_persons.push(NewPerson {
                        name: name.to_string(),
                        actor,
                    });
                    name.to_string()
                }
            };
            let file = row.speaker.file.clone();
            let at = match options.file_speakers.iter().position(|(f, _)| *f == file) {
                Some(at) => at,
                None => {
                    options.file_speakers.push((file, Default::default()));
                    options.file_speakers.len() - 1
                }
            };
            options.file_speakers[at].1.add(&row.speaker.label, &name);
        }
        Ok(options)
    }

    /// Draws the dialog over the workbench; `Some` once the user has answered.
    pub fn show(&mut self, ctx: &egui::Context, snapshot: &Snapshot) -> Option<SpeakerAnswer> {
        let mut answer = None;
        // Escape closes an open drop-down first, not the whole question (asked before the
        // drop-down sees the key and closes).
        let drop_down_open = egui::Popup::is_any_open(ctx);
        egui::Modal::new(egui::Id::unique("speaker dialog")).show(ctx, |ui| {
            ui.set_max_width(1000.0);
            ui.heading("Who is speaking?");
            ui.label(
                "These transcripts have speaker labels Sitat does not know. Say who each one \
                 is: every passage coded in a turn then carries that person and actor. Turns \
                 left unattributed stay in the text without a person.",
            );
            ui.add_space(6.0);
            egui::ScrollArea::vertical()
                .max_height(ctx.content_rect().height() * 0.6)
                .show(ui, |ui| self.rows_ui(ui, snapshot));
            ui.add_space(6.0);
            let answered = self.answered(snapshot);
            if let Err(missing) = &answered {
                ui.colored_label(ui.visuals().warn_fg_color, missing);
            }
            ui.horizontal(|ui| {
                let import = ui.add_enabled(answered.is_ok(), egui::Button::new("Import"));
                if import.clicked()
                    && let Ok(options) = answered
                {
                    answer = Some(SpeakerAnswer::Import(self.paths.clone(), options));
                }
                if ui
                    .button("Import without speakers")
                    .on_hover_text("Import now; the turns of these speakers get no person")
                    .clicked()
                    && let Some(prepared) = self.prepared.take()
                {
                    answer = Some(SpeakerAnswer::ImportAsRead(prepared));
                }
                let escape = ui.input(|i| i.key_pressed(egui::Key::Escape)) && !drop_down_open;
                if ui.button("Cancel").clicked() || escape {
                    answer = Some(SpeakerAnswer::Cancel);
                }
            });
        });
        answer
    }

    /// One grid per file: label, turns, first words, who; a new person's name and actor below.
    fn rows_ui(&mut self, ui: &mut egui::Ui, snapshot: &Snapshot) {
        let mut start = 0;
        while start < self.rows.len() {
            let file = self.rows[start].speaker.file.clone();
            let end = start
                + self.rows[start..]
                    .iter()
                    .take_while(|r| r.speaker.file == file)
                    .count();
            ui.add_space(4.0);
            ui.strong(file_name(&file));
            egui::Grid::new(("speakers of", start))
                .num_columns(4)
                .min_col_width(90.0)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    for i in start..end {
                        speaker_row_ui(ui, i, &mut self.rows[i], snapshot);
                    }
                });
            start = end;
        }
    }
}

fn speaker_row_ui(ui: &mut egui::Ui, i: usize, row: &mut SpeakerRow, snapshot: &Snapshot) {
    let label = ui.strong(&row.speaker.label);
    let turns = row.speaker.turns;
    ui.weak(format!("{turns} turn{}", if turns == 1 { "" } else { "s" }));
    ui.allocate_ui(egui::vec2(440.0, 18.0), |ui| {
        // A fixed width, so that the choices line up from one file to the next.
        ui.set_min_width(440.0);
        ui.add(
            egui::Label::new(egui::RichText::new(format!("«{}»", row.speaker.sample)).italics())
                .truncate(),
        )
        .on_hover_text(&row.speaker.sample);
    });
    who_combo(ui, i, row, snapshot).labelled_by(label.id);
    ui.end_row();
    if row.who != Who::NewPerson {
        return;
    }
    ui.label("");
    ui.label("");
    ui.horizontal(|ui| {
        let name = ui.label("Name");
        ui.add(
            egui::TextEdit::singleline(&mut row.new_name)
                .id_salt(("new person name", i))
                .desired_width(130.0),
        )
        .labelled_by(name.id);
        let actor = ui.label("Actor");
        let actor_name = match row.new_person_actor {
            ActorPick::Existing(id) => (snapshot.actors.iter().find(|a| a.id == id))
                .map_or("choose an actor…".to_string(), |a| a.name.clone()),
            ActorPick::Unchosen => "choose an actor…".to_string(),
            ActorPick::New => "new actor…".to_string(),
        };
        egui::ComboBox::from_id_salt(("new person actor", i))
            .selected_text(actor_name)
            .width(90.0)
            .show_ui(ui, |ui| {
                for actor in &snapshot.actors {
                    let pick = ActorPick::Existing(actor.id);
                    ui.selectable_value(&mut row.new_person_actor, pick, &actor.name);
                }
                ui.selectable_value(&mut row.new_person_actor, ActorPick::New, "new actor…");
            })
            .response
            .labelled_by(actor.id);
        if row.new_person_actor == ActorPick::New {
            ui.add(
                egui::TextEdit::singleline(&mut row.new_actor)
                    .id_salt(("new actor name", i))
                    .hint_text("its name")
                    .desired_width(100.0),
            )
            .labelled_by(actor.id);
        }
    });
    ui.end_row();
}

fn who_combo(
    ui: &mut egui::Ui,
    i: usize,
    row: &mut SpeakerRow,
    snapshot: &Snapshot,
) -> egui::Response {
    let person_label = |id: PersonId| {
        snapshot.persons.iter().find(|p| p.id == id).map_or_else(
            || "(gone)".to_string(),
            |p| {
                let actor = snapshot.actors.iter().find(|a| a.id == p.actor_id);
                format!("{} ({})", p.name, actor.map_or("", |a| a.name.as_str()))
            },
        )
    };
    let selected = match row.who {
        Who::Unattributed => "leave unattributed".to_string(),
        Who::Person(id) => person_label(id),
        Who::NewPerson => "new person…".to_string(),
    };
    egui::ComboBox::from_id_salt(("who", i))
        .selected_text(selected)
        .width(220.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut row.who, Who::Unattributed, "leave unattributed");
            ui.selectable_value(&mut row.who, Who::NewPerson, "new person…");
            ui.separator();
            for person in &snapshot.persons {
                ui.selectable_value(
                    &mut row.who,
                    Who::Person(person.id),
                    person_label(person.id),
                );
            }
        })
        .response
}

/// "I", "R", "Intervjuer", "Moderator": roles, not names. Any other label is likely a name,
/// offered as a new person.
fn is_role_label(label: &str) -> bool {
    const ROLES: [&str; 14] = [
        "intervjuer",
        "interviewer",
        "moderator",
        "respondent",
        "informant",
        "deltaker",
        "participant",
        "spørsmål",
        "svar",
        "question",
        "answer",
        "leder",
        "int",
        "resp",
    ];
    let label = label.trim().to_lowercase();
    label.chars().count() <= 2 || ROLES.contains(&label.as_str())
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::is_role_label;

    #[test]
    fn roles_are_told_from_names() {
        for role in ["I", "R", "Q", "Intervjuer", "MODERATOR", "Deltaker"] {
            assert!(is_role_label(role), "{role}");
        }
        for name in ["Eide", "Helge Eide", "KS-leder", "Åse"] {
            assert!(!is_role_label(name), "{name}");
        }
    }
}
