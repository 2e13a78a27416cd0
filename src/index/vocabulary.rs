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
use tantivy::postings::TermInfo;
use tantivy::schema::Field;

/// Per segment, where the postings of the words found in it are: they are then read without
/// looking the words up in the term dictionary again (most of a rare word's lookups).
pub type SegmentPostings = Vec<(SegmentId, Vec<TermInfo>)>;

/// Words found in the vocabulary, and where each segment has their postings.
pub struct Found<'v> {
    /// Distinct, sorted.
    pub words: Vec<&'v str>,
    pub postings: SegmentPostings,
}

/// Where a word's postings are in its segment (a `TermInfo` without positions, in 16 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Postings {
    start: u64,
    len: u32,
    doc_freq: u32,
}

impl Postings {
    pub(super) fn of(info: &TermInfo) -> Postings {
        Postings {
            start: info.postings_range.start as u64,
            len: info.postings_range.len() as u32,
            doc_freq: info.doc_freq,
        }
    }

    /// The term's info for reading its documents (not its positions).
    pub(super) fn info(self) -> TermInfo {
        let start = self.start as usize;
        TermInfo {
            doc_freq: self.doc_freq,
            postings_range: start..start + self.len as usize,
            positions_range: 0..0,
        }
    }
}

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
                            words.push(word, Postings::of(stream.value()));
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
    pub fn containing_any(&self, parts: &[(&str, bool)]) -> Found<'_> {
        let mut words: Vec<&str> = Vec::new();
        let mut postings = Vec::with_capacity(self.segments.len());
        let mut in_segment = Vec::new();
        for (id, segment) in &self.segments {
            in_segment.clear();
            for &(part, anywhere) in parts {
                segment.containing(part, anywhere, &mut in_segment);
            }
            in_segment.sort_unstable();
            in_segment.dedup();
            words.extend(in_segment.iter().map(|&(word, _)| word));
            postings.push((*id, in_segment.iter().map(|(_, p)| p.info()).collect()));
        }
        words.sort_unstable();
        words.dedup();
        Found { words, postings }
    }

    #[cfg(test)]
    fn containing(&self, part: &str, anywhere: bool) -> Vec<&str> {
        self.containing_any(&[(part, anywhere)]).words
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
    /// Where each word's postings are in the segment.
    postings: Vec<Postings>,
    trigrams: Trigrams,
}

impl Words {
    fn push(&mut self, word: &str, postings: Postings) {
        self.starts.push(self.blob.len());
        self.postings.push(postings);
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

    /// Pushes each word holding `part` (see [`Vocabulary::containing_any`]) with its postings.
    fn containing<'a>(&'a self, part: &str, anywhere: bool, found: &mut Vec<(&'a str, Postings)>) {
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
                    found.push((word, self.postings[i]));
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
                        found.push((word, self.postings[i as usize]));
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
                            found.push((word, self.postings[i]));
                        }
                    }
                }
            }
            None => {}
        }
    }
}

/// Which words hold each byte trigram: `words[offsets[k]..offsets[k + 1]]` for the trigram
/// whose `place` is `k`. Found by hash: a binary search for each of a part's trigrams was most
/// of looking up a rare word's compounds.
#[derive(Debug, Default)]
struct Trigrams {
    place: FxHashMap<u32, u32>,
    offsets: Vec<u32>,
    words: Vec<u32>,
}

impl Trigrams {
    fn of<'a>(words: impl Iterator<Item = &'a str>) -> Trigrams {
        let mut pairs: Vec<u64> = Vec::new();
        for (i, word) in words.enumerate() {
            for w in word.as_bytes().windows(3) {
                pairs.push(u64::from(key(w)) << 32 | i as u64);
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut t = Trigrams {
            words: Vec::with_capacity(pairs.len()),
            ..Trigrams::default()
        };
        let mut last = None;
        for pair in pairs {
            let k = (pair >> 32) as u32;
            if last != Some(k) {
                last = Some(k);
                t.place.insert(k, t.offsets.len() as u32);
                t.offsets.push(t.words.len() as u32);
            }
            t.words.push(pair as u32);
        }
        t.offsets.push(t.words.len() as u32);
        t
    }

    /// The words holding `part`'s rarest trigram (a superset of those holding `part`), or
    /// `None` when `part` is shorter than a trigram or no word holds one of its trigrams.
    fn rarest(&self, part: &[u8]) -> Option<&[u32]> {
        if part.len() < 3 {
            return None;
        }
        let mut best: &[u32] = &[];
        for (n, w) in part.windows(3).enumerate() {
            let k = *self.place.get(&key(w))? as usize;
            let list = &self.words[self.offsets[k] as usize..self.offsets[k + 1] as usize];
            if n == 0 || list.len() < best.len() {
                best = list;
            }
        }
        Some(best)
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
        for (i, w) in words.into_iter().enumerate() {
            let at = 10 * i;
            let info = TermInfo {
                doc_freq: i as u32,
                postings_range: at..at + 10,
                positions_range: 0..0,
            };
            one.push(w, Postings::of(&info));
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
        // Where each segment has the postings of the words found, once each.
        let found = v.containing_any(&[("medvirkning", true), ("medvirk", false)]);
        assert_eq!(
            found.words,
            ["brukermedvirkning", "medvirkning", "medvirkningen"]
        );
        let doc_freqs: Vec<u32> = found.postings[0].1.iter().map(|i| i.doc_freq).collect();
        assert_eq!(doc_freqs, [0, 2, 3]);
        assert_eq!(found.postings[0].1[1].postings_range, 20..30);
    }
}
