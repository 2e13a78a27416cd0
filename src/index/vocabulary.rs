//! The index's words, in memory, for finding compounds by any part: the words that contain a
//! stem ("medvirkning" in *brukermedvirkningen*, "skjønn" in *lovskjønnsvurdering*) are found
//! among the distinct words (through their trigrams), then looked up as terms.
//!
//! Not a reversed-stem field (suffix search as a prefix range): that finds only compounds
//! ending with the stem and makes every rebuild slower, while the distinct words are far fewer
//! than the words of the text.

use std::sync::Arc;

use memchr::memmem;
use rustc_hash::FxHashMap;
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
                    words.index_trigrams();
                    Arc::new(words)
                }
            };
            segments.push((id, words));
        }
        self.segments = segments;
        Ok(())
    }

    /// The distinct words longer than a part that contain it, for each `(part, anywhere)`: at
    /// their start only, or anywhere when `anywhere`.
    pub fn containing_any(&self, parts: &[(&str, bool)]) -> Vec<&str> {
        let mut words: Vec<&str> = Vec::new();
        for (_, segment) in &self.segments {
            for &(part, anywhere) in parts {
                segment.containing(part, anywhere, &mut words);
            }
        }
        words.sort_unstable();
        words.dedup();
        words
    }

    #[cfg(test)]
    fn containing(&self, part: &str, anywhere: bool) -> Vec<&str> {
        self.containing_any(&[(part, anywhere)])
    }
}

/// Distinct words, each followed by `\n`, sorted (a segment's terms come so), with an index of
/// their byte trigrams, so that a part is looked for only in the handful of words holding its
/// rarest trigram, not in all of a segment's words.
#[derive(Debug, Default)]
struct Words {
    blob: String,
    /// Where each word starts in `blob`.
    starts: Vec<usize>,
    trigrams: Trigrams,
}

impl Words {
    fn push(&mut self, word: &str) {
        self.starts.push(self.blob.len());
        self.blob.push_str(word);
        self.blob.push('\n');
    }

    /// Indexes the words pushed (call once, after the last `push`).
    fn index_trigrams(&mut self) {
        self.trigrams = Trigrams::of((0..self.starts.len()).map(|i| self.word(i)));
    }

    fn word(&self, i: usize) -> &str {
        let end = self.starts.get(i + 1).map_or(self.blob.len(), |&s| s) - 1;
        &self.blob[self.starts[i]..end]
    }

    /// Pushes each word holding `part` (see [`Vocabulary::containing_any`]).
    fn containing<'a>(&'a self, part: &str, anywhere: bool, found: &mut Vec<&'a str>) {
        if part.is_empty() || part.contains('\n') {
            return;
        }
        if !anywhere {
            // Sorted words: those beginning with `part` are one run.
            let first = self.starts.partition_point(|&s| {
                let word = &self.blob.as_bytes()[s..];
                word[..part.len().min(word.len())] < *part.as_bytes()
            });
            for i in first..self.starts.len() {
                let word = self.word(i);
                if !word.starts_with(part) {
                    break;
                }
                if word.len() > part.len() {
                    found.push(word);
                }
            }
            return;
        }
        match self.trigrams.rarest(part.as_bytes()) {
            Some(candidates) => {
                for &i in candidates {
                    let word = self.word(i as usize);
                    // Words are short: comparing at each place beats building `contains`'
                    // searcher for every candidate (most of looking a part up).
                    let holds =
                        || (word.as_bytes().windows(part.len())).any(|w| w == part.as_bytes());
                    if word.len() > part.len() && holds() {
                        found.push(word);
                    }
                }
            }
            // Shorter than a trigram, or a trigram no word has.
            None if part.len() < 3 => {
                let mut last = None;
                for at in memmem::find_iter(self.blob.as_bytes(), part.as_bytes()) {
                    // The word holding this occurrence: the last one starting at or before it.
                    let i = self.starts.partition_point(|&s| s <= at) - 1;
                    if last != Some(i) {
                        last = Some(i);
                        let word = self.word(i);
                        if word.len() > part.len() {
                            found.push(word);
                        }
                    }
                }
            }
            None => {}
        }
    }
}

/// Which words hold each byte trigram, each list in word order without repeats.
#[derive(Debug, Default)]
struct Trigrams(FxHashMap<u32, Vec<u32>>);

impl Trigrams {
    fn of<'a>(words: impl Iterator<Item = &'a str>) -> Trigrams {
        let mut lists: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for (i, word) in words.enumerate() {
            for w in word.as_bytes().windows(3) {
                let list = lists.entry(key(w)).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        Trigrams(lists)
    }

    /// The words holding `part`'s rarest trigram (a superset of those holding `part`), or
    /// `None` when `part` is shorter than a trigram or no word holds one of its trigrams.
    fn rarest(&self, part: &[u8]) -> Option<&[u32]> {
        let lists = part
            .windows(3)
            .map(|w| self.0.get(&key(w)).map(Vec::as_slice));
        lists
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .min_by_key(|l| l.len())
    }
}

fn key(w: &[u8]) -> u32 {
    u32::from(w[0]) << 16 | u32::from(w[1]) << 8 | u32::from(w[2])
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
        one.index_trigrams();
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
        assert_eq!(v.containing("kj", true).len(), 4);
        assert!(v.containing("skjønnsutøvelsen", true).is_empty());
        assert_eq!(v.containing("medvirkning", false), ["medvirkningen"]);
        assert_eq!(v.containing("a", false), Vec::<&str>::new());
        assert!(v.containing("ingenting", true).is_empty());
        // Each word once, found by several parts.
        assert_eq!(
            v.containing_any(&[("medvirkning", true), ("medvirk", false)]),
            ["brukermedvirkning", "medvirkning", "medvirkningen"]
        );
    }
}
