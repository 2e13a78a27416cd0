//! Source texts for cutting hit paragraphs, read from the project once and kept: the index
//! stores no text (reading a stored paragraph back was a fifth of a search), only each
//! paragraph's byte range in its source.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::{Error, Result};
use crate::model::SourceId;
use crate::project::Project;

#[derive(Default)]
pub struct SourceTexts {
    texts: Mutex<HashMap<SourceId, Arc<str>>>,
}

impl SourceTexts {
    /// The text of `id`, read from the project the first time; `None` for a source the project
    /// no longer has (the index has not caught up with a deletion yet).
    pub fn get(&self, project: &Project, id: SourceId) -> Result<Option<Arc<str>>> {
        if let Some(text) = self.lock().get(&id) {
            return Ok(Some(text.clone()));
        }
        let text: Arc<str> = match project.source(id) {
            Ok(source) => source.text.into(),
            Err(Error::UnknownId { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        self.lock().insert(id, text.clone());
        Ok(Some(text))
    }

    /// Forgets texts of sources that were re-indexed (removed, or an id used again).
    pub fn forget(&self, ids: impl IntoIterator<Item = SourceId>) {
        let mut texts = self.lock();
        for id in ids {
            texts.remove(&id);
        }
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<SourceId, Arc<str>>> {
        // The map is whole after any panic elsewhere: recover it.
        self.texts.lock().unwrap_or_else(|e| e.into_inner())
    }
}
