//! Native file dialogs behind a trait: rfd cannot be driven headless, so tests supply paths.

use std::path::PathBuf;

pub trait FilePicker {
    /// Text files to import, or `None` when the user cancels.
    fn pick_import_files(&mut self) -> Option<Vec<PathBuf>>;
    /// A project file to open.
    fn pick_project(&mut self) -> Option<PathBuf>;
    /// Where to create a new project.
    fn pick_new_project(&mut self) -> Option<PathBuf> {
        None
    }
    /// Where to write an export (`extension` without the dot).
    fn pick_export_path(&mut self, _label: &str, _extension: &str) -> Option<PathBuf> {
        None
    }
}

pub struct NativeFilePicker;

impl FilePicker for NativeFilePicker {
    fn pick_import_files(&mut self) -> Option<Vec<PathBuf>> {
        rfd::FileDialog::new()
            .set_title("Import sources")
            .add_filter("Importable", &crate::import::IMPORT_EXTENSIONS)
            .pick_files()
    }

    fn pick_project(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Open project")
            .add_filter("Sitat project", &["sitat"])
            .pick_file()
    }

    fn pick_new_project(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("New project")
            .add_filter("Sitat project", &["sitat"])
            .set_file_name("project.sitat")
            .save_file()
            .map(|p| {
                if p.extension().is_none() {
                    p.with_extension("sitat")
                } else {
                    p
                }
            })
    }
}
