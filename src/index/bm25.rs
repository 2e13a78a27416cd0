//! BM25 as tantivy scores it: the same constants and the same float operations, so the same
//! scores (the plan's test compares them with tantivy's). A field's length factors are worked
//! out once per average length and kept, where tantivy's `Bm25Weight` works out all 256 of them
//! for every term of every query.

use std::sync::{Arc, Mutex};

use tantivy::fieldnorm::FieldNormReader;
use tantivy::schema::Field;

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// One term's (or one phrase's) BM25 scoring.
#[derive(Clone)]
pub struct Bm25 {
    /// idf × (1 + K1).
    weight: f32,
    /// By field length code: K1 × (1 − B + B × length / average length).
    length_factors: Arc<[f32; 256]>,
}

impl Bm25 {
    /// The score of a document with `term_freq` occurrences and the field length coded as
    /// `fieldnorm_id`.
    #[inline]
    pub fn score(&self, fieldnorm_id: u8, term_freq: u32) -> f32 {
        // Through i32, one instruction (a u32 takes four); no paragraph has 2³¹ words.
        let term_freq = term_freq as i32 as f32;
        self.weight * (term_freq / (term_freq + self.length_factors[fieldnorm_id as usize]))
    }

    /// Adds the scores of a block of postings (ascending documents and their term
    /// frequencies) to `scores`, which hold the scores of documents `from` on. Each score is at
    /// least the smallest positive float, so that the documents can be read off the scores
    /// after ([`super::doc_bits::DocBits::set_scored`]). One tight loop that only scores,
    /// rather than a closure per document that also sets its bit.
    pub fn add_into(
        &self,
        docs: &[u32],
        freqs: &[u32],
        codes: &LengthCodes,
        from: u32,
        scores: &mut [f32],
    ) {
        match codes {
            LengthCodes::ByDoc(codes) => {
                let codes = codes.as_slice();
                self.score_each(docs, freqs, |doc| codes[doc as usize], from, scores);
            }
            &LengthCodes::All(code) => self.score_each(docs, freqs, |_| code, from, scores),
        }
    }

    #[inline]
    fn score_each(
        &self,
        docs: &[u32],
        freqs: &[u32],
        length_code: impl Fn(u32) -> u8,
        from: u32,
        scores: &mut [f32],
    ) {
        for (&doc, &freq) in docs.iter().zip(freqs) {
            let score = self.score(length_code(doc), freq).max(f32::MIN_POSITIVE);
            scores[(doc - from) as usize] += score;
        }
    }
}

/// A field's length codes in a segment, as BM25 reads them: by document, or one for all (a
/// field that keeps none).
pub enum LengthCodes {
    ByDoc(tantivy::directory::OwnedBytes),
    All(u8),
}

impl LengthCodes {
    /// The length codes of `field` in `segment`, read as tantivy's `FieldNormReader` reads
    /// them (whose codes can only be asked one document at a time, through a `match`).
    pub fn of(segment: &tantivy::SegmentReader, field: Field) -> std::io::Result<LengthCodes> {
        let file = segment.fieldnorms_readers().get_inner_file();
        Ok(match file.open_read(field) {
            Some(slice) => LengthCodes::ByDoc(slice.read_bytes()?),
            None => LengthCodes::All(FieldNormReader::fieldnorm_to_id(1)),
        })
    }
}

/// The inverse document frequency of a term in `doc_freq` of `doc_count` documents.
pub fn idf(doc_freq: u64, doc_count: u64) -> f32 {
    let x = (doc_count.saturating_sub(doc_freq) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + x).ln()
}

/// Length factors by field and average length, kept across searches (a segment's lengths
/// never change, so the average changes only with the segments).
#[derive(Default)]
pub struct LengthFactors(Mutex<Vec<Known>>);

/// A field, the bits of an average length, and the factors for it.
type Known = (Field, u32, Arc<[f32; 256]>);

impl LengthFactors {
    /// The scoring of a term (or a phrase's terms) with `idf` in `field`, whose average length
    /// over all segments is `average`.
    pub fn bm25(&self, field: Field, average: f32, idf: f32) -> Bm25 {
        let mut known = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let key = average.to_bits();
        let length_factors = match known.iter().find(|(f, a, _)| *f == field && *a == key) {
            Some((_, _, factors)) => factors.clone(),
            None => {
                let mut factors = [0.0; 256];
                for (id, factor) in factors.iter_mut().enumerate() {
                    let length = FieldNormReader::id_to_fieldnorm(id as u8);
                    *factor = K1 * (1.0 - B + B * length as f32 / average);
                }
                let factors = Arc::new(factors);
                // A few fields, and a new average after each commit: drop the old ones.
                if known.len() >= 16 {
                    known.clear();
                }
                known.push((field, key, factors.clone()));
                factors
            }
        };
        Bm25 {
            weight: idf * (1.0 + K1),
            length_factors,
        }
    }
}
