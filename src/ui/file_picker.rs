//! Native file dialogs behind a trait: rfd cannot be driven headless, so tests supply paths.

use std::path::{Path, PathBuf};

pub trait FilePicker {
    /// Text files to import, or `None` when the user cancels.
    fn pick_import_files(&mut self) -> Option<Vec<PathBuf>>;
    /// A project file to open.
    fn pick_project(&mut self) -> Option<PathBuf>;
    /// Where to create a new project.
    fn pick_new_project(&mut self) -> Option<PathBuf> {
        None
    }
    /// Where to write an export: `suggested` is a file name in the project's folder, such as
    /// `…/demo-excerpts.csv`; `label` names the format. `None` (the user cancelled) by default,
    /// for test pickers that never export.
    fn pick_export_path(&mut self, _label: &str, _suggested: &Path) -> Option<PathBuf> {
        None
    }
    /// A colleague's project to merge in: a `.sitat` project or a REFI-QDA `.qdpx`. `None` (the
    /// user cancelled) by default, for test pickers that never merge.
    fn pick_merge_project(&mut self) -> Option<PathBuf> {
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

    fn pick_merge_project(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Merge a colleague's project into this one")
            .add_filter("Sitat or REFI-QDA project", &["sitat", "qdpx"])
            .pick_file()
    }

    fn pick_export_path(&mut self, label: &str, suggested: &Path) -> Option<PathBuf> {
        let extension = suggested.extension().and_then(|e| e.to_str()).unwrap_or("");
        let mut dialog = rfd::FileDialog::new()
            .set_title(format!("Export {label}"))
            .add_filter(label, &[extension]);
        if let Some(name) = suggested.file_name().and_then(|n| n.to_str()) {
            dialog = dialog.set_file_name(name);
        }
        if let Some(folder) = suggested.parent().filter(|f| f.is_dir()) {
            dialog = dialog.set_directory(folder);
        }
        dialog.save_file().map(|p| {
            if p.extension().is_none() && !extension.is_empty() {
                p.with_extension(extension)
            } else {
                p
            }
        })
    }
}
