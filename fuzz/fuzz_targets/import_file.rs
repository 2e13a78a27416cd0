//! Shared by the import targets: one project for the whole run, and each input written to a
//! file of the given extension and prepared for import (parsed and checked, not applied).

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use sitat::Project;

fn fixture() -> &'static (Mutex<Project>, PathBuf) {
    static FIXTURE: OnceLock<(Mutex<Project>, PathBuf)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sitat-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("fuzz folder");
        let project = Project::create(dir.join("fuzz.sitat")).expect("fuzz project");
        (Mutex::new(project), dir)
    })
}

/// Prepares `data` for import as a file ending in `.ext`; errors are fine, panics and hangs are
/// what the fuzzer looks for.
pub fn import_bytes(ext: &str, data: &[u8]) {
    let (project, dir) = fixture();
    let path = dir.join(format!("input.{ext}"));
    std::fs::write(&path, data).expect("write input");
    let project = project.lock().expect("one thread");
    let _ = sitat::import::prepare_import(&project, &[path], &Default::default(), &|_| {});
}
