//! The egui workbench. Only this module (and `main.rs`) touches egui; panels keep view state and
//! queue `Action`s, which the app applies through `Project` once per frame.

mod actions;
mod agreement_view;
mod app;
mod codebook_panel;
mod coder_settings;
mod colors;
mod compare_view;
mod disagreements_view;
mod document_chunks;
mod document_view;
mod file_picker;
mod fonts;
mod history_window;
mod import_dialog;
mod inspector;
mod jobs;
mod matrix_view;
mod memos_view;
mod off_frame;
mod positions_view;
mod retrieve_view;
mod search_index_keeper;
mod search_view;
mod snapshot;
mod source_editor;
mod sources_panel;
mod speaker_dialog;
mod theme_editor;
mod theme_picker;
mod view_export;
mod virtual_list;
mod word_under_pointer;
mod words;

pub use actions::{Action, SHORTCUTS, Shortcut};
pub use app::{CentralTab, SitatApp};
pub use file_picker::{FilePicker, NativeFilePicker};
pub use positions_view::MAP_PLOT_ID as POSITIONS_MAP_ID;

use crate::error::{Error, Result};
use crate::project::Project;

/// Opens the workbench window on `project` and runs until it is closed.
pub fn run(project: Project) -> Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Sitat")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Sitat",
        options,
        Box::new(move |cc| {
            let mut app = SitatApp::new(project, cc.storage, Box::new(NativeFilePicker));
            if let Some(path) = crate::user_settings::UserSettings::default_path() {
                app.use_user_settings(path);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| Error::Gui(e.to_string()))
}
