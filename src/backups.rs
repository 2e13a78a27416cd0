//! Rolling backups of a project: snapshots in `NAME.backups/` beside it, the newest
//! [`DEFAULT_KEEP`] kept (the project's `backup_keep` setting changes that), taken on open of
//! the workbench and at most hourly while it is open, on a thread of their own.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};
use crate::project::Project;
use crate::store;

pub const DEFAULT_KEEP: usize = 10;
/// A backup is due when the newest is older than this.
pub const INTERVAL: Duration = Duration::from_secs(60 * 60);
/// The project setting that says how many backups to keep.
pub const KEEP_KEY: &str = "backup_keep";

/// One backup file.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub modified: SystemTime,
    pub bytes: u64,
    pub sources: i64,
    pub codings: i64,
}

/// Where the backups of the project at `project_path` go.
pub fn dir_for(project_path: &Path) -> PathBuf {
    let mut name = project_path.file_name().unwrap_or_default().to_os_string();
    name.push(".backups");
    project_path.with_file_name(name)
}

/// How many backups the project keeps.
pub fn keep(project: &Project) -> usize {
    project
        .info(KEEP_KEY)
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_KEEP)
}

/// The backups of a project, oldest first.
pub fn list(project_path: &Path) -> Result<Vec<BackupInfo>> {
    let dir = dir_for(project_path);
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut backups = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
        let path = entry.map_err(|e| Error::io(&dir, e))?.path();
        if path.extension().is_none_or(|e| e != "sitat") {
            continue;
        }
        let meta = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
        let (sources, codings) = store::backup::counts(&path).unwrap_or((-1, -1));
        backups.push(BackupInfo {
            modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            bytes: meta.len(),
            sources,
            codings,
            path,
        });
    }
    backups.sort_by(|a, b| (a.modified, &a.path).cmp(&(b.modified, &b.path)));
    Ok(backups)
}

/// Takes a backup now, then removes the oldest beyond [`keep`]; returns its path.
pub fn back_up(project: &Project, label: &str) -> Result<PathBuf> {
    let dir = dir_for(project.path());
    std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
    let stem = project
        .path()
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".into());
    let stamp = crate::time::format_rfc3339(crate::project::now_ms())
        .replace([':', '-'], "")
        .replace('T', "-")
        .replace('Z', "");
    let mut name = format!("{stem}-{stamp}{label}.sitat");
    let mut n = 2;
    while dir.join(&name).exists() {
        name = format!("{stem}-{stamp}{label}-{n}.sitat");
        n += 1;
    }
    let path = dir.join(&name);
    // Written under a temporary name: a backup cut short is never listed or pruned for.
    let partial = dir.join(format!(".{name}.partial"));
    let written = project
        .copy_to(&partial)
        .and_then(|()| std::fs::rename(&partial, &path).map_err(|e| Error::write(&path, e)));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written?;
    let backups = list(project.path())?;
    let excess = backups.len().saturating_sub(keep(project));
    for old in &backups[..excess] {
        std::fs::remove_file(&old.path).map_err(|e| Error::write(&old.path, e))?;
    }
    Ok(path)
}

/// Takes a backup when the newest is older than [`INTERVAL`] (or there is none).
pub fn back_up_if_due(project: &Project) -> Result<Option<PathBuf>> {
    let newest = list(project.path())?.last().map(|b| b.modified);
    let due = newest.is_none_or(|t| t.elapsed().is_ok_and(|age| age >= INTERVAL));
    if due {
        back_up(project, "").map(Some)
    } else {
        Ok(None)
    }
}

/// Puts `backup` back as the project's contents, after backing up the current state (so the
/// restore itself can be taken back by restoring that); returns that backup's path.
pub fn restore(project: &mut Project, backup: &Path) -> Result<PathBuf> {
    if !backup.is_file() {
        return Err(Error::bad_input(backup, "no such backup file"));
    }
    store::backup::counts(backup).map_err(|_| Error::NotAProject {
        path: backup.to_path_buf(),
    })?;
    let before = back_up(project, "-before-restore")?;
    project.restore_from(backup)?;
    Ok(before)
}

/// Starts a backup on a thread of its own with its own connection, when one is due.
pub fn spawn_if_due(project_path: PathBuf) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("sitat-backup".into())
        .spawn(move || {
            if let Ok(project) = Project::open(&project_path) {
                let _ = back_up_if_due(&project);
            }
        })
}

/// The workbench's timer: a backup check when a project is opened and hourly while it is open.
#[derive(Debug, Default)]
pub struct Schedule {
    checked: Option<(PathBuf, std::time::Instant)>,
}

impl Schedule {
    /// Called every frame; starts a backup thread when the project is new or an hour passed.
    pub fn tick(&mut self, project_path: &Path) {
        let due = match &self.checked {
            Some((path, at)) => path != project_path || at.elapsed() >= INTERVAL,
            None => true,
        };
        if due {
            self.checked = Some((project_path.to_path_buf(), std::time::Instant::now()));
            let _ = spawn_if_due(project_path.to_path_buf());
        }
    }
}
