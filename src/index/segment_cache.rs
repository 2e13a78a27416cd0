//! What a search reads of each segment (paragraph facts, actor sets), read once and kept while
//! the segment lives: segments never change, so there is no need to open a segment's columns
//! again for every query.

use rustc_hash::FxHashMap as HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::SegmentReader;
use tantivy::index::SegmentId;

pub struct PerSegment<T> {
    segments: Mutex<HashMap<SegmentId, Arc<T>>>,
}

impl<T> Default for PerSegment<T> {
    fn default() -> Self {
        PerSegment {
            segments: Mutex::new(HashMap::default()),
        }
    }
}

impl<T> PerSegment<T> {
    /// What was kept of `segment`, or `read` of it the first time.
    pub fn get_or_read(
        &self,
        segment: &SegmentReader,
        read: impl FnOnce(&SegmentReader) -> tantivy::Result<T>,
    ) -> tantivy::Result<Arc<T>> {
        let id = segment.segment_id();
        if let Some(found) = self.lock().get(&id) {
            return Ok(found.clone());
        }
        let read = Arc::new(read(segment)?);
        self.lock().insert(id, read.clone());
        Ok(read)
    }

    /// Forgets segments that are gone (after a commit or merge).
    pub fn retain(&self, live: &[SegmentId]) {
        self.lock().retain(|id, _| live.contains(id));
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<SegmentId, Arc<T>>> {
        // A panic elsewhere cannot leave the map half-written: recover it.
        self.segments.lock().unwrap_or_else(|e| e.into_inner())
    }
}
