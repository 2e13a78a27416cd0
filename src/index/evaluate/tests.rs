//! The plan against tantivy: the same paragraphs and scores for every kind of query, and actor
//! filters reading only their range of postings.

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
    let top = (found.top.iter())
        .map(|&(score, segment, doc)| {
            let p = found
                .paragraph(segment, doc)
                .expect("a paragraph of the index");
            ((p.source_id.0, p.start), score)
        })
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
    let mut project = crate::corpus::write_demo_project(&dir.path().join("demo.sitat")).unwrap();
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
    recode_first_source(&mut project, &mut index, theme, 10);
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
        let mut source = NewSource::new(SourceKind::Interview, format!("S{i}"), text.join("\n\n"));
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

    // B's paragraphs were written as one batch, to one segment: once the segments are merged,
    // they are one range of it, and of `tillit`'s postings only the blocks that range touches
    // are read.
    index.wait_for_merge().unwrap();
    let searcher = index.reader.searcher();
    assert_eq!(searcher.segment_readers().len(), 1, "merged");
    let term = Term::from_field_text(index.fields.exact, "tillit");
    let b = project.actors().unwrap()[1].id;
    let mut segments_with_b = 0;
    for segment in searcher.segment_readers() {
        let actors = index
            .caches
            .actors
            .get_or_read(segment, SegmentActors::read)
            .unwrap();
        let Some(b_docs) = actors.docs_of(b.0 as u64) else {
            continue;
        };
        segments_with_b += 1;
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
        // B's own postings and at most a block on either side.
        assert!(
            decoded <= b_docs.len() + 2 * 128 && decoded < segment.max_doc() as usize,
            "{decoded} postings decoded for {} of B's in {}",
            b_docs.len(),
            segment.max_doc()
        );
    }
    assert_eq!(segments_with_b, 1, "B's paragraphs are in one segment");

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
    recode_first_source(&mut project, &mut index, theme, 6);
    same_as_tantivy(&index);
}

/// Codes the first `chars` of the project's first source with `theme` and commits the index:
/// the source is re-indexed, its old documents deleted and new ones added in a new segment.
fn recode_first_source(
    project: &mut crate::Project,
    index: &mut SearchIndex,
    theme: crate::model::ThemeId,
    chars: usize,
) {
    let first = project.all_sources().unwrap()[0].id;
    project
        .code(NewCoding::new(first, CharSpan::new(0, chars), theme))
        .unwrap();
    index.refresh(project).unwrap();
    index.commit().unwrap();
}

/// A word in every paragraph has its set read off its scores by document; one in every
/// eighth, too few for that but enough to be scored by document, has its bits set as its
/// postings come. Both find what tantivy finds, with the same scores, alone, filtered and
/// summed in an OR.
#[test]
fn words_scored_by_document_dense_or_not_find_what_tantivy_finds() {
    let dir = tempfile::tempdir().unwrap();
    let mut project = crate::Project::create(dir.path().join("dense.sitat")).unwrap();
    let text = (0..400)
        .map(|i| {
            let rare = if i % 8 == 0 { " skjønn" } else { "" };
            let long = " ord".repeat(i % 13);
            format!("Tillit{rare} nummer {i}{long}.")
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    project
        .add_source(NewSource::new(SourceKind::Note, "Tett", &text))
        .unwrap();
    let index = SearchIndex::open_or_rebuild(&project, &|_| {}).unwrap();
    for q in [
        "tillit",
        "skjønn",
        "tillit OR skjønn",
        "tillit kind:note",
        "tillit -skjønn",
    ] {
        assert!(same_as_tantivy(&index, q) > 0, "{q} matches");
    }
    assert_eq!(same_as_tantivy(&index, "tillit"), 400);
    assert_eq!(same_as_tantivy(&index, "skjønn"), 50);
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
