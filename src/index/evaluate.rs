//! Runs a [`Plan`] over each segment one term at a time: each part of the plan becomes the set of
//! its documents (a bitset) with their scores (see `matched`), so a union or an intersection is
//! a pass over words of bits. One pass over the result then
//! counts every match per actor and keeps the best paragraphs.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{BlockSegmentPostings, TermInfo};
use tantivy::query::{EnableScoring, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{InvertedIndexReader, Searcher, SegmentReader, Term};

use super::actor_counts::{ActorColumns, ActorTally, SegmentActors};
use super::best::Best;
use super::bm25::{Bm25, LengthFactors, idf};
use super::doc_bits::DocBits;
use super::matched::{Matched, Scores, few};
use super::paragraphs::{Paragraph, SegmentParagraphs};
use super::phrase::{SegmentPositions, phrase_matches};
use super::plan::Plan;
use super::segment_cache::PerSegment;
use super::term_table::SegmentTerms;
use super::vocabulary::SegmentPostings;
use by_doc::{compound_infos, summed_by_doc};

/// What a query matched.
pub struct Evaluated {
    /// The best paragraphs, best first (equal scores in source order): score, segment ordinal,
    /// document. Their facts are read where they are used ([`Evaluated::paragraph`]), not
    /// copied into a list first.
    pub top: Vec<(f32, usize, u32)>,
    /// Each segment's paragraph facts, by ordinal.
    pub segments: Vec<Arc<SegmentParagraphs>>,
    /// The number of matching paragraphs, and how many per actor.
    pub tally: ActorTally,
}

impl Evaluated {
    /// The facts of document `doc` of segment `segment`.
    pub fn paragraph(&self, segment: usize, doc: u32) -> Option<&Paragraph> {
        self.segments.get(segment)?.paragraphs.get(doc as usize)
    }
}

/// Runs `plan`: the `limit` best paragraphs, and counts over all matches.
pub fn evaluate(
    plan: &Plan,
    searcher: &Searcher,
    limit: usize,
    caches: &SegmentCaches,
) -> tantivy::Result<Evaluated> {
    let prepared = Prepared::new(plan, searcher, caches)?;
    let mut tally = ActorTally::default();
    let mut best = Best::new(limit);
    let mut segment_paragraphs = Vec::with_capacity(searcher.segment_readers().len());
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let mut matched = prepared.matches(ord, segment, None)?;
        let actors = caches.actors.get_or_read(segment, SegmentActors::read)?;
        let facts = caches
            .paragraphs
            .get_or_read(segment, SegmentParagraphs::read)?;
        if let Some(alive) = segment.alive_bitset() {
            matched.remove_where(|doc| alive.is_deleted(doc));
        }
        tally.count_matched(&actors, &matched);
        best.offer_all(&matched, ord, &facts);
        segment_paragraphs.push(facts);
    }
    Ok(Evaluated {
        top: best.into_sorted().collect(),
        segments: segment_paragraphs,
        tally,
    })
}

/// What a search reads of each segment, kept while the segment lives.
#[derive(Default)]
pub struct SegmentCaches {
    pub actors: ActorColumns,
    /// Actor filters' documents, by segment (see [`ActorFilters`]).
    actor_filters: PerSegment<ActorFilters>,
    pub paragraphs: PerSegment<SegmentParagraphs>,
    /// Of the `exact` field, for phrases.
    pub positions: PerSegment<SegmentPositions>,
    pub length_factors: LengthFactors,
    /// The terms of `term_fields`, for looking words up (see `term_table`).
    terms: PerSegment<SegmentTerms>,
    term_fields: Vec<Field>,
}

impl SegmentCaches {
    /// Caches that keep the terms of `term_fields` (the fields words are looked up in) in memory.
    pub fn new(term_fields: Vec<Field>) -> SegmentCaches {
        SegmentCaches {
            term_fields,
            ..SegmentCaches::default()
        }
    }

    /// Forgets segments that are gone.
    pub fn retain(&self, live: &[tantivy::index::SegmentId]) {
        self.actors.retain(live);
        self.actor_filters.retain(live);
        self.paragraphs.retain(live);
        self.positions.retain(live);
        self.terms.retain(live);
    }

    /// The segment's index of `field` and where it has each of `terms`: from the terms kept
    /// in memory when the field's are, else from tantivy's term dictionary.
    fn look_up(
        &self,
        segment: &SegmentReader,
        field: Field,
        terms: &[Term],
    ) -> tantivy::Result<(Arc<InvertedIndexReader>, Vec<Option<TermInfo>>)> {
        if self.term_fields.contains(&field) {
            let kept = self
                .terms
                .get_or_read(segment, |s| SegmentTerms::read(s, &self.term_fields))?;
            if let Some(inverted) = kept.inverted(field) {
                let infos = terms.iter().map(|t| kept.get(t).ok().flatten()).collect();
                return Ok((inverted.clone(), infos));
            }
        }
        let inverted = segment.inverted_index(field)?;
        let infos = (terms.iter())
            .map(|t| inverted.get_term_info(t))
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok((inverted, infos))
    }
}

/// A plan with what it needs from the whole index: BM25 weights (from document frequencies
/// over all segments, as tantivy computes them), each term's postings address per segment, and
/// tantivy's weights for the parts it runs.
enum Prepared<'p> {
    Scored {
        field: Field,
        bm25: Bm25,
        /// By segment ordinal, the term's postings and the field's index (asking a segment for
        /// it again costs as much as a lookup); `None` where the segment lacks the term.
        infos: Vec<Option<(TermInfo, Arc<InvertedIndexReader>)>>,
    },
    AnyOf {
        terms: &'p [Term],
        postings: &'p SegmentPostings,
        score: f32,
    },
    Actors {
        ids: Vec<u64>,
        actors: &'p ActorColumns,
        filters: &'p PerSegment<ActorFilters>,
    },
    Phrase {
        field: Field,
        bm25: Bm25,
        /// By segment ordinal, the words' in phrase order; `None` where one is missing.
        infos: Vec<Option<Vec<TermInfo>>>,
        positions: &'p PerSegment<SegmentPositions>,
    },
    Tantivy(Box<dyn Weight>),
    Matching(Box<dyn Weight>, f32),
    All,
    And {
        must: Vec<Prepared<'p>>,
        not: Vec<Prepared<'p>>,
    },
    Or(Vec<Prepared<'p>>),
}

impl<'p> Prepared<'p> {
    fn new(
        plan: &'p Plan,
        searcher: &Searcher,
        caches: &'p SegmentCaches,
    ) -> tantivy::Result<Prepared<'p>> {
        let all = |plans: &'p [Plan]| -> tantivy::Result<Vec<Prepared<'p>>> {
            plans
                .iter()
                .map(|p| Prepared::new(p, searcher, caches))
                .collect()
        };
        Ok(match plan {
            Plan::Scored(term) => {
                let field = term.field();
                let found = Lookup::of(searcher, caches, field, std::slice::from_ref(term))?;
                let bm25 = caches.length_factors.bm25(
                    field,
                    found.average,
                    idf(found.doc_freqs[0], found.docs),
                );
                let infos = (found.segments.into_iter())
                    .map(|(inverted, infos)| {
                        infos
                            .into_iter()
                            .next()
                            .flatten()
                            .map(|info| (info, inverted))
                    })
                    .collect();
                Prepared::Scored { field, bm25, infos }
            }
            Plan::AnyOf {
                terms,
                postings,
                score,
            } => Prepared::AnyOf {
                terms,
                postings,
                score: *score,
            },
            Plan::Actors(terms) => Prepared::Actors {
                ids: terms.iter().filter_map(|t| t.value().as_u64()).collect(),
                actors: &caches.actors,
                filters: &caches.actor_filters,
            },
            Plan::Phrase(terms) => {
                let Some(field) = terms.first().map(Term::field) else {
                    return Ok(Prepared::Or(Vec::new()));
                };
                let found = Lookup::of(searcher, caches, field, terms)?;
                // As tantivy's phrase query: the words' idfs added up.
                let mut idf_sum = 0.0;
                for &doc_freq in &found.doc_freqs {
                    idf_sum += idf(doc_freq, found.docs);
                }
                let bm25 = caches.length_factors.bm25(field, found.average, idf_sum);
                let infos = (found.segments.into_iter())
                    .map(|(_, infos)| infos.into_iter().collect::<Option<Vec<_>>>())
                    .collect();
                Prepared::Phrase {
                    field,
                    bm25,
                    infos,
                    positions: &caches.positions,
                }
            }
            Plan::Tantivy(query) => {
                Prepared::Tantivy(query.weight(EnableScoring::enabled_from_searcher(searcher))?)
            }
            Plan::Matching(query, score) => Prepared::Matching(
                query.weight(EnableScoring::disabled_from_searcher(searcher))?,
                *score,
            ),
            Plan::All => Prepared::All,
            Plan::And { must, not } => Prepared::And {
                must: all(must)?,
                not: all(not)?,
            },
            Plan::Or(any) => Prepared::Or(all(any)?),
        })
    }

    /// The documents of segment `ord` this part matches, with their scores. Only those
    /// `within` count (the rest may be left out): an AND reads its filters first, so that the
    /// words of `tillit actor:KS` are scored in that actor's paragraphs only.
    fn matches(
        &self,
        ord: usize,
        segment: &SegmentReader,
        within: Option<&Within>,
    ) -> tantivy::Result<Matched> {
        let max_doc = segment.max_doc();
        // The words of the set postings must be checked against: none when the filter holds
        // every document of its range (an actor's), as postings are read within that range.
        // (The check saves work only: an AND intersects its parts' sets after.)
        let checked = within.filter(|w| !w.solid).map(|w| w.docs.words());
        let inside =
            |doc: u32| checked.is_none_or(|words| words[doc as usize / 64] >> (doc % 64) & 1 != 0);
        let clusters = within.map(|w| w.clusters.as_slice());
        // Where scores may be: a filter's range, or the whole segment.
        let window = || within.map_or(0..max_doc, Within::bounds);
        Ok(match self {
            Prepared::Scored { field, bm25, infos } => {
                let Some(Some((info, inverted))) = infos.get(ord) else {
                    return Ok(Matched::none(max_doc));
                };
                // Scores by document, every document read counting: see `by_doc`.
                if let Some(summed) =
                    summed_by_doc(std::slice::from_ref(self), ord, segment, within)?
                {
                    return Ok(summed);
                }
                let mut postings = inverted
                    .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
                let mut docs = DocBits::new(max_doc);
                let expected = (info.doc_freq as usize).min(within.map_or(usize::MAX, |w| w.len));
                let mut scores = Scores::for_docs(expected, window());
                let norms = field_norms(segment, *field)?;
                read_postings(&mut postings, clusters, |postings, read| {
                    let (found, freqs) = (&postings.docs()[read.clone()], &postings.freqs()[read]);
                    let entries = found.iter().zip(freqs).filter(|(doc, _)| inside(**doc));
                    let mut inserts = docs.inserts_for(found);
                    let mut score = |doc: u32, freq| {
                        inserts.insert(doc);
                        bm25.score(norms.fieldnorm_id(doc), freq)
                    };
                    // How scores are kept is chosen once a block, not once a document.
                    match &mut scores {
                        Scores::PerDoc { from, scores } => {
                            for (&doc, &freq) in entries {
                                scores[(doc - *from) as usize] = score(doc, freq);
                            }
                        }
                        Scores::Sparse(list) => {
                            for (&doc, &freq) in entries {
                                list.push((doc, score(doc, freq)));
                            }
                        }
                        Scores::Each(_) => entries.for_each(|(&doc, _)| inserts.insert(doc)),
                    }
                });
                Matched { docs, scores }
            }
            Prepared::AnyOf {
                terms,
                postings: known,
                score,
            } => {
                let Some((field, infos)) = compound_infos(terms, known, segment)? else {
                    return Ok(Matched::none(max_doc));
                };
                let inverted = segment.inverted_index(field)?;
                let mut docs = DocBits::new(max_doc);
                // Compounds with few postings in all (a rare word's): listed too, so that the
                // sums of the word's parts are a merge of lists, not a pass over the segment's
                // bits. (Filters score nothing, and an AND leaves them out of its sums.)
                let postings_in_all: usize = infos.iter().map(|i| i.doc_freq as usize).sum();
                let mut listed = (*score != 0.0 && few(postings_in_all, max_doc as usize))
                    .then(|| Vec::with_capacity(postings_in_all));
                for info in infos.iter() {
                    let mut postings = inverted
                        .read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                    read_postings(&mut postings, clusters, |postings, read| {
                        let block = &postings.docs()[read];
                        let mut inserts = docs.inserts_for(block);
                        for &doc in block {
                            if inside(doc) {
                                inserts.insert(doc);
                                if let Some(list) = &mut listed {
                                    list.push((doc, *score));
                                }
                            }
                        }
                    });
                }
                let scores = match listed {
                    Some(mut list) => {
                        list.sort_unstable_by_key(|&(doc, _)| doc);
                        list.dedup_by_key(|&mut (doc, _)| doc);
                        Scores::Sparse(list)
                    }
                    None => Scores::Each(*score),
                };
                Matched { docs, scores }
            }
            Prepared::Actors { ids, actors, .. } => {
                let actors = actors.get_or_read(segment, SegmentActors::read)?;
                let mut docs = actors.docs_of_any(ids, max_doc);
                if let Some(within) = within {
                    docs.intersect(&within.docs);
                }
                Matched {
                    docs,
                    scores: Scores::Each(0.0),
                }
            }
            Prepared::Phrase {
                field,
                bm25,
                infos,
                positions,
            } => {
                let Some(Some(infos)) = infos.get(ord) else {
                    return Ok(Matched::none(max_doc));
                };
                let field = *field;
                let positions =
                    positions.get_or_read(segment, |s| SegmentPositions::read(s, field))?;
                let mut docs = DocBits::new(max_doc);
                // Listed, not by document: a phrase's words are in many more paragraphs than it
                // is, and an array would be zeroed for all of them.
                let mut scores = Scores::Sparse(Vec::new());
                let found = |doc, score| {
                    docs.insert(doc);
                    scores.set(doc, score);
                };
                let norms = field_norms(segment, field)?;
                let scoring = (bm25, &norms);
                let within = within.map(|w| &w.docs);
                phrase_matches(segment, field, infos, &positions, scoring, within, found)?;
                Matched { docs, scores }
            }
            Prepared::Tantivy(weight) => {
                let mut docs = DocBits::new(max_doc);
                let mut scores = vec![0.0; max_doc as usize];
                weight.for_each(segment, &mut |doc, score| {
                    docs.insert(doc);
                    scores[doc as usize] = score;
                })?;
                Matched {
                    docs,
                    scores: Scores::PerDoc { from: 0, scores },
                }
            }
            Prepared::Matching(weight, score) => {
                let mut docs = DocBits::new(max_doc);
                weight.for_each_no_score(segment, &mut |found| {
                    found.iter().for_each(|&doc| docs.insert(doc));
                })?;
                Matched {
                    docs,
                    scores: Scores::Each(*score),
                }
            }
            Prepared::All => Matched {
                docs: within.map_or_else(|| DocBits::full(max_doc), |w| w.docs.clone()),
                scores: Scores::Each(1.0),
            },
            Prepared::And { must, not } => {
                // Filters first: the other parts need look only where they all match.
                let mut parts: Vec<Option<Matched>> = must.iter().map(|_| None).collect();
                let mut filtered: Option<Arc<Within>> = None;
                for (i, part) in must.iter().enumerate() {
                    if let Prepared::AnyOf { .. } | Prepared::Actors { .. } = part {
                        let mask = filtered.as_deref().or(within);
                        let (matched, docs) = part.filter(ord, segment, mask)?;
                        filtered = Some(docs);
                        parts[i] = Some(matched);
                    }
                }
                let mask = filtered.as_deref().or(within);
                let parts = must
                    .iter()
                    .zip(parts)
                    .map(|(part, matched)| match matched {
                        Some(matched) => Ok(matched),
                        None => part.matches(ord, segment, mask),
                    })
                    .collect::<tantivy::Result<Vec<_>>>()?;
                // An AND of nothing (never compiled) would match everything.
                let mut docs = match parts.first() {
                    Some(first) => first.docs.clone(),
                    None => DocBits::full(max_doc),
                };
                for part in parts.iter().skip(1) {
                    docs.intersect(&part.docs);
                }
                for part in not {
                    docs.subtract(&part.matches(ord, segment, mask)?.docs);
                }
                Matched::all_of(docs, parts)
            }
            Prepared::Or(any) => {
                // A word's stems and compounds, summed into one array by document.
                if let Some(summed) = summed_by_doc(any, ord, segment, within)? {
                    return Ok(summed);
                }
                let parts = any
                    .iter()
                    .map(|p| p.matches(ord, segment, within))
                    .collect::<tantivy::Result<Vec<_>>>()?;
                let mut docs = DocBits::new(max_doc);
                for part in &parts {
                    docs.unite(&part.docs);
                }
                Matched::any_of(docs, parts)
            }
        })
    }
}
impl Prepared<'_> {
    /// What a filter part of an AND matches within `within`, and the documents the AND's other
    /// parts then need look at: for an actor filter that comes first (no `within`), as kept for
    /// the segment (see [`ActorFilters`]).
    fn filter(
        &self,
        ord: usize,
        segment: &SegmentReader,
        within: Option<&Within>,
    ) -> tantivy::Result<(Matched, Arc<Within>)> {
        if let (Prepared::Actors { ids, filters, .. }, None) = (self, within) {
            let kept = filters.get_or_read(segment, |_| Ok(ActorFilters::default()))?;
            let docs = kept.of(ids, || {
                Ok(Within::new(self.matches(ord, segment, None)?.docs))
            })?;
            let matched = Matched {
                docs: docs.docs.clone(),
                scores: Scores::Each(0.0),
            };
            return Ok((matched, docs));
        }
        let matched = self.matches(ord, segment, within)?;
        let mut docs = matched.docs.clone();
        if let Some(within) = within {
            docs.intersect(&within.docs);
        }
        Ok((matched, Arc::new(Within::new(docs))))
    }
}

/// The lengths of `field` in a segment's documents, for BM25 (as tantivy's term and phrase
/// weights read them: all alike when the field keeps none).
/// Terms of one field looked up in every segment, with what BM25 needs of the whole index (as
/// tantivy counts it: documents and tokens over all segments, deleted ones included).
struct Lookup {
    /// By segment ordinal: the field's index, and each term's postings where the segment has it.
    segments: Vec<(Arc<InvertedIndexReader>, Vec<Option<TermInfo>>)>,
    /// Each term's documents over all segments.
    doc_freqs: Vec<u64>,
    docs: u64,
    /// The field's average length.
    average: f32,
}

impl Lookup {
    fn of(
        searcher: &Searcher,
        caches: &SegmentCaches,
        field: Field,
        terms: &[Term],
    ) -> tantivy::Result<Lookup> {
        let (mut docs, mut tokens) = (0u64, 0u64);
        let mut doc_freqs = vec![0u64; terms.len()];
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for segment in searcher.segment_readers() {
            let (inverted, infos) = caches.look_up(segment, field, terms)?;
            for (sum, info) in doc_freqs.iter_mut().zip(&infos) {
                *sum += info.as_ref().map_or(0, |i| u64::from(i.doc_freq));
            }
            docs += u64::from(segment.max_doc());
            tokens += inverted.total_num_tokens();
            segments.push((inverted, infos));
        }
        Ok(Lookup {
            segments,
            doc_freqs,
            docs,
            average: tokens as f32 / docs.max(1) as f32,
        })
    }
}

/// Scores by document have their set read off them (see `DocBits::set_scored`, a few
/// instructions a score) when their parts' postings are at least one in this many of the
/// documents scored; else each document's bit is set as it comes (several times that a
/// document, so worth it only where they are sparse).
const READ_OFF_DENSITY: usize = 2;

/// Fewer documents than this in a row outside those counted are read through rather than
/// skipped: about two blocks of a common word's postings.
const SKIP_GAP: u32 = 512;

/// The documents the parts of an AND need look at (where its filters match), with what reading
/// postings there needs: worked out once per AND, not by every part that reads postings.
struct Within {
    docs: DocBits,
    /// Ranges holding all of `docs`, split at gaps of [`SKIP_GAP`]: where postings are read.
    clusters: Vec<Range<u32>>,
    /// The number of `docs`.
    len: usize,
    /// True when `docs` are every document of their one cluster (an actor's range): postings
    /// read there need no check against them.
    solid: bool,
}

impl Within {
    fn new(docs: DocBits) -> Within {
        let clusters = docs.clusters(SKIP_GAP);
        let len = docs.len();
        Within {
            solid: matches!(&clusters[..], [one] if one.len() == len),
            clusters,
            len,
            docs,
        }
    }

    /// From the first document to the last: where scores may be.
    fn bounds(&self) -> Range<u32> {
        match (self.clusters.first(), self.clusters.last()) {
            (Some(first), Some(last)) => first.start..last.end,
            _ => 0..0,
        }
    }
}

/// An actor filter's documents in one segment, with what reading postings there needs (see
/// [`Within`]), by the filter's actors: a segment's actors never change, so these are the
/// same for every search and kept rather than worked out again.
#[derive(Default)]
struct ActorFilters(Mutex<Vec<(Vec<u64>, Arc<Within>)>>);

/// Filters kept per segment: a filter is a few actors, and a project has a few dozen.
const KEPT_FILTERS: usize = 64;

impl ActorFilters {
    /// The documents of the filter on `ids`, or `make` of them the first time.
    fn of(
        &self,
        ids: &[u64],
        make: impl FnOnce() -> tantivy::Result<Within>,
    ) -> tantivy::Result<Arc<Within>> {
        if let Some((_, kept)) = self.lock().iter().find(|(known, _)| known == ids) {
            return Ok(kept.clone());
        }
        let made = Arc::new(make()?);
        let mut kept = self.lock();
        if kept.len() >= KEPT_FILTERS {
            kept.clear();
        }
        kept.push((ids.to_vec(), made.clone()));
        Ok(made)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(Vec<u64>, Arc<Within>)>> {
        // The list is whole after any panic elsewhere: recover it.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Hands `read` each block of `postings` with the range of its entries to read: all of them,
/// or only those in `clusters` (ascending ranges of documents), seeking past the rest through
/// the skip list without decoding it.
fn read_postings(
    postings: &mut BlockSegmentPostings,
    clusters: Option<&[Range<u32>]>,
    mut read: impl FnMut(&BlockSegmentPostings, Range<usize>),
) {
    let Some(clusters) = clusters else {
        while !postings.docs().is_empty() {
            read(postings, 0..postings.docs().len());
            postings.advance();
        }
        return;
    };
    for cluster in clusters {
        let mut from = postings.seek(cluster.start).min(postings.docs().len());
        loop {
            let docs = postings.docs();
            if docs.is_empty() {
                return;
            }
            let end = from + docs[from..].partition_point(|&doc| doc < cluster.end);
            read(postings, from..end);
            if end < docs.len() {
                break;
            }
            postings.advance();
            from = 0;
        }
    }
}

fn field_norms(segment: &SegmentReader, field: Field) -> tantivy::Result<FieldNormReader> {
    Ok(segment
        .fieldnorms_readers()
        .get_field(field)?
        .unwrap_or_else(|| FieldNormReader::constant(segment.max_doc(), 1)))
}

mod by_doc;
#[cfg(test)]
mod tests;
