//! Who is coding: asked on the first run, changed in the Settings window, kept in the user's
//! settings file (see `user_settings`), which the CLI reads too.

use std::path::PathBuf;

use crate::user_settings::UserSettings;

use super::actions::Action;

#[derive(Default)]
pub struct CoderSettings {
    /// Where the settings are kept; `None` when the app was started without a settings file
    /// (tests), and then nothing is asked or saved.
    pub path: Option<PathBuf>,
    pub settings: UserSettings,
    /// The name being typed while the window is open.
    draft: Option<String>,
    /// The window is the first-run question, not the Settings window.
    first_run: bool,
    /// The name field has been given the keyboard once since the window opened.
    focused_once: bool,
}

impl CoderSettings {
    /// Reads the settings at `path`. Returns the coder to use, and whether to ask for one (a
    /// first run without `$SITAT_CODER`).
    pub fn load(path: PathBuf, login_name: &str) -> crate::Result<(CoderSettings, Option<String>)> {
        let settings = UserSettings::load_from(&path)?;
        let coder = settings.coder_for_commands();
        let mut this = CoderSettings {
            path: Some(path),
            settings,
            draft: None,
            first_run: false,
            focused_once: false,
        };
        if coder.is_none() {
            this.draft = Some(login_name.to_string());
            this.first_run = true;
        }
        Ok((this, coder))
    }

    pub fn open_settings(&mut self, current: &str) {
        self.draft = Some(current.to_string());
        self.first_run = false;
        self.focused_once = false;
    }

    /// Saves the coder's name to the settings file, if there is one.
    pub fn remember(&mut self, name: &str) -> crate::Result<()> {
        self.settings.coder = Some(name.to_string());
        match &self.path {
            Some(path) => self.settings.save_to(path),
            None => Ok(()),
        }
    }

    pub fn window_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let Some(draft) = &mut self.draft else {
            return;
        };
        let (title, intro, button) = if self.first_run {
            (
                "Who is coding?",
                "Sitat records who made each coding, so that coders can be compared. Your name:",
                "Start coding",
            )
        } else {
            (
                "Settings",
                "Codings you make are recorded under this name:",
                "Save",
            )
        };
        let mut done = false;
        egui::Window::new(title)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                let label = ui.label(intro);
                let field = ui
                    .add(
                        egui::TextEdit::singleline(draft)
                            .hint_text("Your name")
                            .desired_width(260.0),
                    )
                    .labelled_by(label.id);
                if !self.focused_once {
                    field.request_focus();
                    self.focused_once = true;
                }
                let named = !draft.trim().is_empty();
                let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    let save = ui.add_enabled(named, egui::Button::new(button)).clicked();
                    if named && (save || entered) {
                        actions.push(Action::SetCoder(draft.trim().to_string()));
                        done = true;
                    }
                    if !self.first_run && ui.button("Cancel").clicked() {
                        done = true;
                    }
                });
                ui.weak("Change it later under Edit → Settings; the command line uses it too.");
            });
        if done {
            self.draft = None;
            self.first_run = false;
        }
    }
}
