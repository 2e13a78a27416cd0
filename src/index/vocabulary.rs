//! The index's words, in memory, for finding compounds by any part: the words that contain a
//! stem ("medvirkning" in *brukermedvirkningen*, "skjønn" in *lovskjønnsvurdering*) are found
//! with one substring search over all distinct words, then looked up as terms.
//!
//! Indexing every stem reversed (suffix search as a prefix range) found only compounds ending
//! with the stem and cost a sixth of a rebuild; the distinct words are far fewer than the words
//! of the text (a few tens of thousands for a million words).

use std::sync::Arc;

use memchr::memmem;
use tantivy::Searcher;
use tantivy::index::SegmentId;
use tantivy::schema::Field;

/// The words of a field in every segment a searcher sees. Segments never change, so a refresh
/// after a commit reads only the new ones (a few words), not the whole vocabulary again.
#[derive(Debug, Default)]
pub struct Vocabulary {
    segments: Vec<(SegmentId, Arc<Words>)>,
}

impl Vocabulary {
    /// Follows the searcher's segments, reading `field`'s words of the ones not seen before.
    pub fn refresh(&mut self, searcher: &Searcher, field: Field) -> tantivy::Result<()> {
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for segment in searcher.segment_readers() {
            let id = segment.segment_id();
            let words = match self.segments.iter().find(|(known, _)| *known == id) {
                Some((_, words)) => words.clone(),
                None => {
                    let inverted = segment.inverted_index(field)?;
                    let mut stream = inverted.terms().stream()?;
                    let mut words = Words::default();
                    // A segment's terms come sorted and distinct.
                    while stream.advance() {
                        if let Ok(word) = std::str::from_utf8(stream.key()) {
                            words.push(word);
                        }
                    }
                    Arc::new(words)
                }
            };
            segments.push((id, words));
        }
        self.segments = segments;
        Ok(())
    }

    /// The distinct words longer than `part` that contain it: at their start only, or
    /// anywhere when `anywhere`.
    pub fn containing(&self, part: &str, anywhere: bool) -> Vec<&str> {
        let mut found: Vec<&str> = Vec::new();
        for (_, words) in &self.segments {
            words.containing(part, anywhere, &mut found);
        }
        if self.segments.len() > 1 {
            found.sort_unstable();
            found.dedup();
        }
        found
    }
}

/// Distinct words, each followed by `\n`.
#[derive(Debug, Default)]
struct Words {
    blob: String,
    /// Where each word starts in `blob`.
    starts: Vec<usize>,
}

impl Words {
    fn push(&mut self, word: &str) {
        self.starts.push(self.blob.len());
        self.blob.push_str(word);
        self.blob.push('\n');
    }

    fn containing<'a>(&'a self, part: &str, anywhere: bool, found: &mut Vec<&'a str>) {
        if part.is_empty() || part.contains('\n') {
            return;
        }
        let mut last = None;
        for at in memmem::find_iter(self.blob.as_bytes(), part.as_bytes()) {
            // The word holding this occurrence: the last one starting at or before it.
            let i = self.starts.partition_point(|&s| s <= at) - 1;
            let start = self.starts[i];
            if (!anywhere && start != at) || last == Some(i) {
                continue;
            }
            last = Some(i);
            let end = self.starts.get(i + 1).map_or(self.blob.len(), |&s| s) - 1;
            let word = &self.blob[start..end];
            if word.len() > part.len() {
                found.push(word);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_words_by_any_part_once() {
        let words = [
            "brukermedvirkning",
            "lovskjønnsvurdering",
            "medvirkning",
            "medvirkningen",
            "skjønn",
            "skjønnsskjønn",
            "skjønnsutøvelse",
        ];
        let mut one = Words::default();
        for w in words {
            one.push(w);
        }
        let v = Vocabulary {
            segments: vec![(SegmentId::generate_random(), Arc::new(one))],
        };
        assert_eq!(
            v.containing("medvirkning", true),
            ["brukermedvirkning", "medvirkningen"]
        );
        assert_eq!(
            v.containing("skjønn", true),
            ["lovskjønnsvurdering", "skjønnsskjønn", "skjønnsutøvelse"]
        );
        assert_eq!(
            v.containing("skjønn", false),
            ["skjønnsskjønn", "skjønnsutøvelse"]
        );
        assert!(v.containing("", true).is_empty());
        assert!(v.containing("ingenting", true).is_empty());
    }
}
