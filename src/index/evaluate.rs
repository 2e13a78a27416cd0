//! Runs a [`Plan`] over each segment one term at a time: each part of the plan becomes the set of
//! its documents (a bitset) with their scores (see `matched`), so a union or an intersection is
//! a pass over words of bits. One pass over the result then
//! counts every match per actor and keeps the best paragraphs.

use std::ops::Range;
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{BlockSegmentPostings, TermInfo};
use tantivy::query::{EnableScoring, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{InvertedIndexReader, Searcher, SegmentReader, Term};

use super::actor_counts::{ActorColumns, ActorTally, SegmentActors};
use super::best::Best;
use super::bm25::{Bm25, LengthFactors, idf};
use super::doc_bits::DocBits;
use super::matched::{Matched, Scores};
use super::paragraphs::{Paragraph, SegmentParagraphs};
use super::phrase::{SegmentPositions, phrase_matches};
use super::plan::Plan;
use super::segment_cache::PerSegment;
use super::vocabulary::SegmentPostings;

/// What a query matched.
pub struct Evaluated {
    /// The best paragraphs, best first; equal scores in source order.
    pub top: Vec<(f32, Paragraph)>,
    /// The number of matching paragraphs, and how many per actor.
    pub tally: ActorTally,
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
    let mut segment_paragraphs = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let mut matched = prepared.matches(ord, segment, None)?;
        let actors = caches.actors.get_or_read(segment, SegmentActors::read)?;
        let facts = caches
            .paragraphs
            .get_or_read(segment, SegmentParagraphs::read)?;
        if let Some(alive) = segment.alive_bitset() {
            matched.remove_where(|doc| alive.is_deleted(doc));
        }
        tally.count(&actors, &matched.docs);
        best.offer_all(&matched, ord, &facts);
        segment_paragraphs.push(facts);
    }
    let top = best
        .into_sorted()
        .filter_map(|(score, segment, doc)| {
            let facts = &segment_paragraphs[segment];
            Some((score, facts.paragraphs.get(doc as usize)?.clone()))
        })
        .collect();
    Ok(Evaluated { top, tally })
}

/// What a search reads of each segment, kept while the segment lives.
#[derive(Default)]
pub struct SegmentCaches {
    pub actors: ActorColumns,
    pub paragraphs: PerSegment<SegmentParagraphs>,
    /// Of the `exact` field, for phrases.
    pub positions: PerSegment<SegmentPositions>,
    pub length_factors: LengthFactors,
}

impl SegmentCaches {
    /// Forgets segments that are gone.
    pub fn retain(&self, live: &[tantivy::index::SegmentId]) {
        self.actors.retain(live);
        self.paragraphs.retain(live);
        self.positions.retain(live);
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
                let found = Lookup::of(searcher, field, std::slice::from_ref(term))?;
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
            Plan::Phrase(terms) => {
                let Some(field) = terms.first().map(Term::field) else {
                    return Ok(Prepared::Or(Vec::new()));
                };
                let found = Lookup::of(searcher, field, terms)?;
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
        let outside = |doc: u32| within.is_some_and(|w| !w.docs.contains(doc));
        let clusters = within.map(|w| w.clusters.as_slice());
        // Where scores may be: a filter's range, or the whole segment.
        let window = || within.map_or(0..max_doc, Within::bounds);
        Ok(match self {
            Prepared::Scored { field, bm25, infos } => {
                let Some(Some((info, inverted))) = infos.get(ord) else {
                    return Ok(Matched::none(max_doc));
                };
                let norms = field_norms(segment, *field)?;
                let mut postings = inverted
                    .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
                let mut docs = DocBits::new(max_doc);
                let expected = (info.doc_freq as usize).min(within.map_or(usize::MAX, |w| w.len));
                let mut scores = Scores::for_docs(expected, window());
                read_postings(&mut postings, clusters, |postings, read| {
                    let (found, freqs) = (&postings.docs()[read.clone()], &postings.freqs()[read]);
                    for (&doc, &freq) in found.iter().zip(freqs) {
                        if outside(doc) {
                            continue;
                        }
                        docs.insert(doc);
                        scores.set(doc, bm25.score(norms.fieldnorm_id(doc), freq));
                    }
                });
                Matched { docs, scores }
            }
            Prepared::AnyOf {
                terms,
                postings: known,
                score,
            } => {
                let mut docs = DocBits::new(max_doc);
                let mut add = |inverted: &InvertedIndexReader, info: &TermInfo| {
                    let mut postings = inverted
                        .read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                    read_postings(&mut postings, clusters, |postings, read| {
                        for &doc in &postings.docs()[read] {
                            if !outside(doc) {
                                docs.insert(doc);
                            }
                        }
                    });
                    tantivy::Result::Ok(())
                };
                let id = segment.segment_id();
                match (known.iter().find(|(of, _)| *of == id), terms.first()) {
                    (Some((_, infos)), Some(first)) => {
                        let inverted = segment.inverted_index(first.field())?;
                        for info in infos {
                            add(&inverted, info)?;
                        }
                    }
                    _ => {
                        for term in *terms {
                            let inverted = segment.inverted_index(term.field())?;
                            if let Some(info) = inverted.get_term_info(term)? {
                                add(&inverted, &info)?;
                            }
                        }
                    }
                }
                Matched {
                    docs,
                    scores: Scores::Each(*score),
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
                let mut scores = Scores::for_docs(infos_docs(infos), window());
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
                let mut filtered: Option<Within> = None;
                for (i, part) in must.iter().enumerate() {
                    if let Prepared::AnyOf { .. } = part {
                        let mask = filtered.as_ref().or(within);
                        let matched = part.matches(ord, segment, mask)?;
                        let mut docs = matched.docs.clone();
                        if let Some(mask) = mask {
                            docs.intersect(&mask.docs);
                        }
                        filtered = Some(Within::new(docs));
                        parts[i] = Some(matched);
                    }
                }
                let mask = filtered.as_ref().or(within);
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
    fn of(searcher: &Searcher, field: Field, terms: &[Term]) -> tantivy::Result<Lookup> {
        let (mut docs, mut tokens) = (0u64, 0u64);
        let mut doc_freqs = vec![0u64; terms.len()];
        let mut segments = Vec::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let infos = (terms.iter())
                .map(|t| inverted.get_term_info(t))
                .collect::<std::io::Result<Vec<_>>>()?;
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
}

impl Within {
    fn new(docs: DocBits) -> Within {
        Within {
            clusters: docs.clusters(SKIP_GAP),
            len: docs.len(),
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

/// The most documents a phrase of these words can match: as many as its rarest word has.
fn infos_docs(infos: &[TermInfo]) -> usize {
    infos.iter().map(|i| i.doc_freq as usize).min().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::schema::IndexRecordOption;

    use super::*;
    use crate::index::{SearchIndex, query};
    use crate::model::{CharSpan, SourceKind};
    use crate::{NewCoding, NewSource};

    /// (source, paragraph start) and score of every paragraph matched, in source order.
    type Scored = Vec<((i64, usize), f32)>;

    fn in_source_order(mut scored: Scored) -> Scored {
        scored.sort_by_key(|(key, _)| *key);
        scored
    }

    /// The best `limit` paragraphs: (source, start) and score, best first.
    fn best(index: &SearchIndex, plan: &Plan, limit: usize) -> (Scored, usize) {
        let searcher = index.reader.searcher();
        let found = evaluate(plan, &searcher, limit, &index.caches).unwrap();
        let top = found
            .top
            .into_iter()
            .map(|(score, p)| ((p.source_id.0, p.start), score))
            .collect();
        (top, found.tally.total)
    }

    fn ours(index: &SearchIndex, plan: &Plan) -> Scored {
        let (all, total) = best(index, plan, 1_000_000);
        assert_eq!(total, all.len());
        assert!(
            all.windows(2)
                .all(|w| w[0].1 > w[1].1 || w[0].1 == w[1].1 && w[0].0 < w[1].0),
            "best first, equal scores in source order"
        );
        // Keeping only the best few (the heap full, documents turned away by their scores)
        // keeps the first of the whole ranking.
        for limit in [1, 3, 10] {
            let (few, _) = best(index, plan, limit);
            assert_eq!(few, all[..limit.min(all.len())], "the best {limit}");
        }
        in_source_order(all)
    }

    fn tantivys(index: &SearchIndex, plan: &Plan) -> Scored {
        let searcher = index.reader.searcher();
        let top = searcher
            .search(
                &*plan.to_query(),
                &TopDocs::with_limit(1_000_000).order_by_score(),
            )
            .unwrap();
        in_source_order(
            top.into_iter()
                .map(|(score, address)| {
                    let segment = searcher.segment_reader(address.segment_ord);
                    let facts = index
                        .caches
                        .paragraphs
                        .get_or_read(segment, SegmentParagraphs::read)
                        .unwrap();
                    let p = &facts.paragraphs[address.doc_id as usize];
                    ((p.source_id.0, p.start), score)
                })
                .collect(),
        )
    }

    /// Evaluating a plan finds the paragraphs tantivy finds running the same plan as its own
    /// query, with the same scores: over several segments, with deleted documents.
    #[test]
    fn evaluation_finds_what_tantivy_finds_with_the_same_scores() {
        let dir = tempfile::tempdir().unwrap();
        let mut project =
            crate::corpus::write_demo_project(&dir.path().join("demo.sitat")).unwrap();
        let mut index = SearchIndex::open_or_rebuild(&project, &|_| {}).unwrap();
        // A second segment, and documents deleted from the first: a new source, and a coding
        // that has a source re-indexed.
        let added = project
            .add_source(NewSource::new(
                SourceKind::Note,
                "Notat",
                "Tillit og skjønn.\n\nMer tillit, mindre kontroll 😀 – makt og medvirkning. \
                 Tillit tillit tillit: det er det det er.",
            ))
            .unwrap();
        let theme = project.themes().unwrap()[0].id;
        let first = project.all_sources().unwrap()[0].id;
        project
            .code(NewCoding::new(first, CharSpan::new(0, 10), theme))
            .unwrap();
        index.refresh(&project).unwrap();
        index.commit().unwrap();
        let searcher = index.reader.searcher();
        assert!(searcher.segment_readers().len() > 1, "several segments");
        assert!(
            searcher
                .segment_readers()
                .iter()
                .any(|s| s.num_deleted_docs() > 0),
            "deleted documents"
        );
        let theme_name = project.themes().unwrap()[0].name.clone();
        let queries = [
            "tillit".to_string(),
            "skjønn".into(),
            "medvirkning".into(),
            "\"medvirkning\"".into(),
            "tillit actor:KS".into(),
            "tillit -skjønn".into(),
            "makt OR kontroll".into(),
            "-tillit".into(),
            "\"mer tillit\"".into(),
            "\"det er\"".into(),
            "\"tillit mindre kontroll\"".into(),
            "\"tillit tillit\"".into(),
            "\"det er det\"".into(),
            "\"det er\" -tillit".into(),
            "skjønn*".into(),
            "tilit~".into(),
            "skjønn NEAR/4 tillit".into(),
            "(makt OR kontroll) -staten".into(),
            "uncoded".into(),
            "kind:interview tillit".into(),
            "\"det er\" actor:KS".into(),
            "skjønn kind:interview -makt".into(),
            "tillit kind:interview -skjønn".into(),
            "(tillit OR makt) actor:KS -skjønn".into(),
            "tillit* actor:KS".into(),
            "(\"det er\" actor:KS) OR (makt kind:literature)".into(),
            format!("theme:\"{theme_name}\""),
            format!("tillit OR theme:\"{theme_name}\""),
        ];
        let same_as_tantivy = |index: &SearchIndex| {
            for q in &queries {
                let matched = same_as_tantivy(index, q);
                assert!(matched > 0 || q == "-tillit", "{q} matches something");
            }
            assert!(
                ours_has(index, "tillit", added),
                "the new source is searched"
            );
        };
        same_as_tantivy(&index);

        // Merged into one segment, the re-indexed source's paragraphs come after the others:
        // documents out of the sources' order.
        index.merge_segments().unwrap();
        let searcher = index.reader.searcher();
        assert!(searcher.segment_readers().iter().any(|s| {
            !index
                .caches
                .paragraphs
                .get_or_read(s, SegmentParagraphs::read)
                .unwrap()
                .source_order_runs
                .len()
                > 1
        }));
        same_as_tantivy(&index);
    }

    /// A rebuild adds each actor's sources together, so that an actor filter reads only its
    /// range of a common word's postings. What such a search finds is still what tantivy finds:
    /// in the rebuilt index, and with a source added later (a segment of its own) and documents
    /// deleted.
    #[test]
    fn actor_filters_read_only_their_range_and_find_what_tantivy_finds() {
        let dir = tempfile::tempdir().unwrap();
        let mut project = crate::Project::create(dir.path().join("actors.sitat")).unwrap();
        let persons: Vec<_> = ["A", "B", "C"]
            .iter()
            .map(|name| {
                let actor = project.add_actor(name, name, Vec::new()).unwrap();
                project.add_person(&format!("{name} 1"), actor, "").unwrap()
            })
            .collect();
        // Sources of the three actors in turn, 1,000 paragraphs each, so that one actor's
        // range in a segment spans many blocks of postings.
        let fillers = ["kommunen", "staten", "kontroll", "makt"];
        for i in 0..60 {
            let text: Vec<String> = (0..50)
                .map(|j| {
                    let tillit = "tillit ".repeat(1 + (i + j) % 3);
                    let filler = fillers[j % 4].repeat(1 + j % 2);
                    format!("{tillit}og skjønn i {filler} {i} {j}.")
                })
                .collect();
            let mut source =
                NewSource::new(SourceKind::Interview, format!("S{i}"), text.join("\n\n"));
            source.person_id = Some(persons[i % 3]);
            project.add_source(source).unwrap();
        }
        let mut index = SearchIndex::open_or_rebuild(&project, &|_| {}).unwrap();
        let queries = [
            "tillit actor:B",
            "skjønn actor:A",
            "tillit* actor:C",
            "\"og skjønn\" actor:B",
            "(tillit OR makt) actor:B -kontroll",
            "tillit actor:A actor:B",
        ];
        let same_as_tantivy = |index: &SearchIndex| {
            for q in queries {
                let matched = same_as_tantivy(index, q);
                assert!(matched > 0 || q.contains("actor:A actor:B"), "{q}");
            }
        };
        same_as_tantivy(&index);

        // B's paragraphs are one range of each segment, and of `tillit`'s postings only the
        // blocks that range touches are read.
        let searcher = index.reader.searcher();
        let term = Term::from_field_text(index.fields.exact, "tillit");
        let b = project.actors().unwrap()[1].id;
        for segment in searcher.segment_readers() {
            let actors = index
                .caches
                .actors
                .get_or_read(segment, SegmentActors::read)
                .unwrap();
            let b_docs = actors.docs_of(b.0 as u64).expect("B has paragraphs");
            let clusters = b_docs.clusters(SKIP_GAP);
            assert_eq!(clusters.len(), 1, "one range: {clusters:?}");
            let inverted = segment.inverted_index(index.fields.exact).unwrap();
            let info = inverted.get_term_info(&term).unwrap().unwrap();
            assert_eq!(
                info.doc_freq,
                segment.max_doc(),
                "every paragraph has tillit"
            );
            let mut postings = inverted
                .read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)
                .unwrap();
            let (mut handed, mut decoded) = (DocBits::new(segment.max_doc()), 0);
            read_postings(&mut postings, Some(&clusters), |postings, read| {
                decoded += postings.docs().len();
                postings.docs()[read]
                    .iter()
                    .for_each(|&doc| handed.insert(doc));
            });
            assert!(handed == *b_docs, "exactly B's paragraphs are handed over");
            assert!(
                decoded <= b_docs.len() + 2 * 128 && decoded < segment.max_doc() as usize / 2,
                "{decoded} postings decoded for {} of B's in {}",
                b_docs.len(),
                segment.max_doc()
            );
        }

        // A source of B added later, and a coding that has a source of A re-indexed.
        let mut late = NewSource::new(SourceKind::Interview, "Sent", "Tillit og skjønn, sent.");
        late.person_id = Some(persons[1]);
        project.add_source(late).unwrap();
        let theme = project
            .add_theme(crate::NewTheme {
                name: "Tillit".into(),
                ..Default::default()
            })
            .unwrap();
        let first = project.all_sources().unwrap()[0].id;
        project
            .code(NewCoding::new(first, CharSpan::new(0, 6), theme))
            .unwrap();
        index.refresh(&project).unwrap();
        index.commit().unwrap();
        same_as_tantivy(&index);
    }

    /// Runs `q` as a plan and as tantivy's query of the plan, requires the same paragraphs with
    /// the same scores (within 1e-5), and returns how many.
    fn same_as_tantivy(index: &SearchIndex, q: &str) -> usize {
        let node = query::parse(q).unwrap();
        let (plan, _) = index.compile(q, &node, &index.catalog).unwrap();
        let (ours, theirs) = (ours(index, &plan), tantivys(index, &plan));
        let keys = |s: &Scored| s.iter().map(|(k, _)| *k).collect::<Vec<_>>();
        assert_eq!(keys(&ours), keys(&theirs), "{q}: the same paragraphs");
        for ((key, score), (_, theirs)) in ours.iter().zip(&theirs) {
            assert!(
                (score - theirs).abs() <= 1e-5 * theirs.abs().max(1.0),
                "{q}: {key:?} scores {score}, tantivy {theirs}"
            );
        }
        theirs.len()
    }

    fn ours_has(index: &SearchIndex, q: &str, source: crate::model::SourceId) -> bool {
        let node = query::parse(q).unwrap();
        let (plan, _) = index.compile(q, &node, &index.catalog).unwrap();
        ours(index, &plan).iter().any(|((s, _), _)| *s == source.0)
    }
}
