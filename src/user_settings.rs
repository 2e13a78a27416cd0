//! The user's own settings, shared by the workbench and the CLI: who is coding. Kept as JSON in
//! the user's configuration folder (`$SITAT_CONFIG_DIR`, else the platform's, e.g.
//! `~/.config/sitat/settings.json` on Linux), not in a project: a researcher codes under one name in
//! every project.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserSettings {
    /// The name codings are recorded under; `None` until the user has said it.
    pub coder: Option<String>,
}

impl UserSettings {
    /// Where the settings are kept on this machine, if it has a configuration folder.
    pub fn default_path() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("SITAT_CONFIG_DIR").filter(|d| !d.is_empty()) {
            return Some(PathBuf::from(dir).join("settings.json"));
        }
        directories::ProjectDirs::from("no", "Sitat", "Sitat")
            .map(|dirs| dirs.config_dir().join("settings.json"))
    }

    /// The settings at `path`; none yet (a first run) reads as the defaults.
    pub fn load_from(path: &Path) -> Result<UserSettings> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| Error::BadInput {
                path: path.to_path_buf(),
                reason: format!("not a valid settings file ({e}): fix or delete it"),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(UserSettings::default()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// The settings of this machine's user; the defaults when there are none or they cannot
    /// be read (a broken settings file must not stop anyone from working).
    pub fn load() -> UserSettings {
        Self::default_path()
            .and_then(|path| Self::load_from(&path).ok())
            .unwrap_or_default()
    }

    /// Writes the settings to `path` (creating its folder), replacing the file only once the
    /// new one is complete.
    pub fn save_to(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        }
        let text = serde_json::to_string_pretty(self).expect("settings serialise");
        let tmp = path.with_extension("json.part");
        std::fs::write(&tmp, text).map_err(|e| Error::write(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::write(path, e))
    }

    /// The coder a command should record when none is named: `$SITAT_CODER` wins (scripts and
    /// tests set it), then this setting; `None` leaves the project's default (the login name).
    pub fn coder_for_commands(&self) -> Option<String> {
        let from_env = std::env::var("SITAT_CODER")
            .ok()
            .filter(|v| !v.trim().is_empty());
        from_env.or_else(|| self.coder.clone().filter(|c| !c.trim().is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_a_first_run_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("settings.json");
        assert_eq!(
            UserSettings::load_from(&path).unwrap(),
            UserSettings::default()
        );
        let settings = UserSettings {
            coder: Some("Åse Bjørnstad 😀".into()),
        };
        settings.save_to(&path).unwrap();
        assert_eq!(UserSettings::load_from(&path).unwrap(), settings);
        std::fs::write(&path, "{not json").unwrap();
        let error = UserSettings::load_from(&path).unwrap_err().to_string();
        assert!(error.contains("fix or delete it"), "{error}");
    }
}
