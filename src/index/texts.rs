//! Source texts for cutting hit paragraphs, read from the project once and kept: the index
//! stores no text (decompressing a stored paragraph is slow), only each paragraph's byte range
//! in its source. Each is kept lower-cased too, for finding a hit's words in its paragraph
//! without lower-casing every hit paragraph anew; that doubles the memory the texts take.

use rustc_hash::FxHashMap as HashMap;
use std::collections::hash_map::Entry;
use std::sync::{Mutex, MutexGuard};

use super::spans::lower_same_widths;
use crate::error::{Error, Result};
use crate::model::SourceId;
use crate::project::Project;

/// A source's text, and the same lower-cased char by char when every char keeps its width (so
/// byte ranges hold in both; `None` for the rare text where one does not, e.g. 'İ'). The copy
/// is a `str`, checked as UTF-8 once here rather than at every hit.
pub struct SourceText {
    pub text: Box<str>,
    pub lowered: Option<Box<str>>,
}

#[derive(Default)]
pub struct SourceTexts {
    texts: Mutex<HashMap<SourceId, SourceText>>,
}

impl SourceTexts {
    /// The texts, locked once for all the hits of a search (not once per hit).
    pub fn lock_for_search(&self) -> LockedTexts<'_> {
        LockedTexts(self.lock())
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

    fn lock(&self) -> MutexGuard<'_, HashMap<SourceId, SourceText>> {
        // The map is whole after any panic elsewhere: recover it.
        self.texts.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct LockedTexts<'t>(MutexGuard<'t, HashMap<SourceId, SourceText>>);

impl LockedTexts<'_> {
    /// The text of `id`, read from the project the first time; `None` for a source the project
    /// no longer has (the index has not caught up with a deletion yet).
    pub fn get(&mut self, project: &Project, id: SourceId) -> Result<Option<&SourceText>> {
        Ok(Some(match self.0.entry(id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(place) => {
                let text = match project.source(id) {
                    Ok(source) => source.text,
                    Err(Error::UnknownId { .. }) => return Ok(None),
                    Err(e) => return Err(e),
                };
                let mut lowered = Vec::new();
                place.insert(SourceText {
                    lowered: lower_same_widths(&text, &mut lowered)
                        .then(|| String::from_utf8(lowered).ok())
                        .flatten()
                        .map(String::into_boxed_str),
                    text: text.into(),
                })
            }
        }))
    }
}
