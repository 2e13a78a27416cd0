//! Search: Norwegian-aware matching, the query language, exact spans, coding from hits, and the
//! index's life beside the project file.

mod common;

use std::time::Duration;

use clap::Parser;
use sitat::index::{RebuildReason, SearchIndex, SearchResults};
use sitat::model::*;
use sitat::project::Widen;
use sitat::{Error, NewCoding, NewSource, NewTheme, Project};

const KS_TEXT: &str = "Vi må gå på skjønn i førstelinja. Skjønnsutøvelse krever tillit.\n\n\
Brukerne trenger rettigheter, ikke vilkårlighet. Rettighetene må være klare.\n\n\
Det ga oss mer tillit til ledelsen 😀 og tillitsreformen.";
const FFO_TEXT: &str = "Brukermedvirkning er viktig for oss. Skjønnsbasert praksis kan svekke \
rettighetene.\r\n\r\nMedvirkning handler om makt, og tillit kommer ikke av seg selv.";
const LIT_TEXT: &str = "The trust reform gives more discretion to frontline workers. Rights \
must be protected by the state.\n\nSkjønnsvurderingene ved NAV-kontor er mange, og tillit er ikke nok.";

struct Demo {
    tmp: common::TempProject,
    project: Project,
    ks_source: SourceId,
    ffo_source: SourceId,
    lit_source: SourceId,
    turns_source: SourceId,
    axis: ThemeId,
    plain: ThemeId,
}

fn demo() -> Demo {
    let tmp = common::temp_path("search.sitat");
    let mut project = Project::create(&tmp.path).unwrap();
    project.set_coder("tester");
    let ks = project
        .add_actor("KS", "Kommunesektorens organisasjon", vec![])
        .unwrap();
    let ffo = project.add_actor("FFO", "", vec![]).unwrap();
    let eide = project.add_person("Helge Eide", ks, "").unwrap();
    let crowo = project.add_person("Grete Crowo", ffo, "").unwrap();
    let axis = project
        .add_theme(NewTheme {
            name: "Regler ↔ Skjønn".into(),
            poles: Some(Poles {
                negative: "Regler".into(),
                positive: "Skjønn".into(),
            }),
            ..Default::default()
        })
        .unwrap();
    let plain = project
        .add_theme(NewTheme {
            name: "Tillit".into(),
            ..Default::default()
        })
        .unwrap();
    let mut s = NewSource::new(SourceKind::Interview, "Intervju KS", KS_TEXT);
    s.person_id = Some(eide);
    let ks_source = project.add_source(s).unwrap();
    let mut s = NewSource::new(
        SourceKind::Interview,
        "Intervju FFO",
        sitat::text::normalize_newlines(FFO_TEXT),
    );
    s.person_id = Some(crowo);
    let ffo_source = project.add_source(s).unwrap();
    let lit_source = project
        .add_source(NewSource::new(
            SourceKind::Literature,
            "Nosrati & Strand 2022",
            LIT_TEXT,
        ))
        .unwrap();
    let turns_text =
        "Eide: Kommunene vil ha handlingsrom.\n\nCrowo: Handlingsrom uten rettigheter er farlig.";
    let mut s = NewSource::new(SourceKind::Interview, "Samtale", turns_text);
    s.turns = vec![
        (CharSpan::new(0, 36), eide),
        (CharSpan::new(38, turns_text.chars().count()), crowo),
    ];
    let turns_source = project.add_source(s).unwrap();
    Demo {
        tmp,
        project,
        ks_source,
        ffo_source,
        lit_source,
        turns_source,
        axis,
        plain,
    }
}

fn open(project: &Project) -> SearchIndex {
    SearchIndex::open_or_rebuild(project, &|_| {}).unwrap()
}

/// Runs a query and checks that every hit's span is exactly its text in the source.
fn search(index: &SearchIndex, project: &Project, query: &str) -> SearchResults {
    let results = index.search(project, query, 100).unwrap();
    for hit in &results.hits {
        let source = project.source(hit.source_id).unwrap();
        let slice = sitat::text::slice_chars(&source.text, hit.span).unwrap();
        assert_eq!(slice, results.text(hit), "span of {hit:?} for {query:?}");
        assert_eq!(
            results.kwic(hit).hit,
            sitat::text::one_line(results.text(hit))
        );
        assert!(hit.span.start >= hit.paragraph_start);
    }
    results
}

/// The hits' spans, as the workbench codes them.
fn spans_of(results: &SearchResults) -> Vec<(SourceId, CharSpan)> {
    results.hits.iter().map(|h| (h.source_id, h.span)).collect()
}

fn texts(results: &SearchResults) -> Vec<String> {
    results
        .hits
        .iter()
        .map(|h| results.text(h).to_string())
        .collect()
}

fn lower_texts(results: &SearchResults) -> Vec<String> {
    results
        .hits
        .iter()
        .map(|h| results.text(h).to_lowercase())
        .collect()
}

#[test]
fn compounds_are_found_and_ranked_below_direct_matches() {
    let d = demo();
    let index = open(&d.project);
    let r = search(&index, &d.project, "skjønn");
    let found = lower_texts(&r);
    for word in [
        "skjønn",
        "skjønnsutøvelse",
        "skjønnsbasert",
        "skjønnsvurderingene",
    ] {
        assert!(found.contains(&word.to_string()), "{word} not in {found:?}");
    }
    assert_eq!(
        r.text(&r.hits[0]),
        "skjønn",
        "the exact word ranks first: {found:?}"
    );

    let r = search(&index, &d.project, "medvirkning");
    assert_eq!(texts(&r), vec!["Medvirkning", "Brukermedvirkning"]);
    assert!(r.hits[0].score > r.hits[1].score);

    // Quotes mean this exact word: no compounds, no other forms.
    let r = search(&index, &d.project, "\"skjønn\"");
    assert_eq!(texts(&r), vec!["skjønn"]);
    // Short words are not looked for inside compounds.
    let r = search(&index, &d.project, "gå");
    assert_eq!(texts(&r), vec!["gå"]);
}

/// Stems of 5+ letters are found in the middle and at the end of compounds too; 4-letter ones
/// only at the start ("makt" is not looked for inside *avmaktens*).
#[test]
fn compounds_are_found_by_a_part_in_the_middle() {
    let mut d = demo();
    let mut index = open(&d.project);
    d.project
        .add_source(NewSource::new(
            SourceKind::Literature,
            "Sammensetninger",
            "Et LOVSKJØNNSVURDERINGSPROBLEM: mistillitsreformen 😀 gir ingen brukermedvirkningsarena.\r\n\
             Makten og avmaktens land.",
        ))
        .unwrap();
    index.refresh(&d.project).unwrap();
    index.commit().unwrap();
    let found = |query: &str| lower_texts(&search(&index, &d.project, query));
    assert!(found("skjønn").contains(&"lovskjønnsvurderingsproblem".to_string()));
    assert!(found("tillit").contains(&"mistillitsreformen".to_string()));
    assert!(found("medvirkning").contains(&"brukermedvirkningsarena".to_string()));
    let makt = found("makt");
    assert!(makt.contains(&"makten".to_string()), "{makt:?}");
    assert!(!makt.contains(&"avmaktens".to_string()), "{makt:?}");
    // Quoted: the word alone.
    assert!(!found("\"tillit\"").contains(&"mistillitsreformen".to_string()));
}

#[test]
fn stemming_joins_inflected_forms_in_both_languages() {
    let d = demo();
    let index = open(&d.project);
    let r = search(&index, &d.project, "rettigheter");
    let mut found = lower_texts(&r);
    found.sort();
    assert_eq!(
        found,
        vec!["rettighetene", "rettighetene", "rettigheter", "rettigheter"]
    );
    let r = search(&index, &d.project, "right");
    assert_eq!(texts(&r), vec!["Rights"]);
    assert_eq!(r.hits[0].source_id, d.lit_source);
    assert_eq!(r.hits[0].kind, SourceKind::Literature);
}

#[test]
fn norwegian_letters_stay_distinct() {
    let d = demo();
    let index = open(&d.project);
    assert_eq!(texts(&search(&index, &d.project, "gå")), vec!["gå"]);
    assert_eq!(texts(&search(&index, &d.project, "ga")), vec!["ga"]);
    assert_eq!(texts(&search(&index, &d.project, "GÅ")), vec!["gå"]);
    assert!(search(&index, &d.project, "forstelinja").hits.is_empty());
    assert_eq!(
        texts(&search(&index, &d.project, "førstelinja")),
        vec!["førstelinja"]
    );
}

#[test]
fn phrases_prefixes_fuzzy_near_or_and_not() {
    let d = demo();
    let index = open(&d.project);
    let r = search(&index, &d.project, "\"mer tillit\"");
    assert_eq!(texts(&r), vec!["mer tillit"]);
    assert_eq!(r.hits[0].source_id, d.ks_source);
    assert!(search(&index, &d.project, "\"tillit mer\"").hits.is_empty());
    // A phrase holds across an emoji between its words, never across a paragraph end.
    let r = search(&index, &d.project, "\"ledelsen og\"");
    assert_eq!(texts(&r), vec!["ledelsen 😀 og"]);
    let across = "\"rettighetene medvirkning\"";
    assert!(search(&index, &d.project, across).hits.is_empty());
    assert!(
        !search(&index, &d.project, "rettighetene medvirkning")
            .hits
            .is_empty()
    );

    // The deepest query the language takes: 32 parentheses, each around a NOT (even: tillit).
    let deepest = format!("{}tillit{}", "(NOT ".repeat(32), ")".repeat(32));
    let r = search(&index, &d.project, &deepest);
    assert_eq!(
        r.paragraphs,
        search(&index, &d.project, "tillit").paragraphs
    );

    let r = search(&index, &d.project, "tillits*");
    assert_eq!(texts(&r), vec!["tillitsreformen"]);

    let r = search(&index, &d.project, "tilit~");
    assert!(texts(&r).iter().all(|t| t == "tillit"), "{:?}", texts(&r));
    assert_eq!(r.hits.len(), 4);

    // Four words apart: NEAR/4 finds it, NEAR/3 does not; the hit spans both words.
    let r = search(&index, &d.project, "skjønn NEAR/4 tillit");
    assert_eq!(
        texts(&r),
        vec!["skjønn i førstelinja. Skjønnsutøvelse krever tillit"]
    );
    assert!(
        search(&index, &d.project, "skjønn NEAR/3 tillit")
            .hits
            .is_empty()
    );
    assert!(
        search(&index, &d.project, "gå NEAR/1 tillit")
            .hits
            .is_empty()
    );

    let r = search(&index, &d.project, "makt OR discretion");
    let mut found = texts(&r);
    found.sort();
    assert_eq!(found, vec!["discretion", "makt"]);

    let all = search(&index, &d.project, "tillit");
    let not = search(&index, &d.project, "tillit -skjønn");
    let not2 = search(&index, &d.project, "tillit NOT skjønn");
    assert_eq!(texts(&not), texts(&not2));
    assert!(not.paragraphs < all.paragraphs);
    for hit in &not.hits {
        let source = d.project.source(hit.source_id).unwrap();
        let para = sitat::text::paragraph_around(&source.text, hit.span);
        let para = sitat::text::slice_chars(&source.text, para)
            .unwrap()
            .to_lowercase();
        assert!(!para.contains("skjønn"), "{para}");
    }
    // AND is the default and explicit AND means the same.
    assert_eq!(
        texts(&search(&index, &d.project, "tillit makt")),
        texts(&search(&index, &d.project, "tillit AND makt"))
    );
    assert_eq!(
        texts(&search(&index, &d.project, "tillit makt")),
        vec!["makt", "tillit"]
    );
}

#[test]
fn filters_by_actor_person_kind_theme_and_uncoded() {
    let mut d = demo();
    let mut index = open(&d.project);
    index.set_commit_delay(Duration::ZERO);
    let actor_of = |r: &SearchResults| -> Vec<Option<String>> {
        r.hits
            .iter()
            .map(|h| r.actor_name(h).map(str::to_owned))
            .collect()
    };
    let r = search(&index, &d.project, "tillit actor:KS");
    assert_eq!(r.hits.len(), 3);
    assert!(actor_of(&r).iter().all(|a| a.as_deref() == Some("KS")));
    let r = search(
        &index,
        &d.project,
        "tillit actor:\"Kommunesektorens organisasjon\"",
    );
    assert_eq!(r.hits.len(), 3);

    let r = search(&index, &d.project, "rettigheter person:\"Grete Crowo\"");
    assert!(!r.hits.is_empty());
    assert!(
        r.hits
            .iter()
            .all(|h| r.person_name(h) == Some("Grete Crowo"))
    );
    // Speaker turns attribute paragraphs of one source to different persons.
    let r = search(&index, &d.project, "handlingsrom person:Eide");
    assert_eq!(texts(&r), vec!["handlingsrom"]);
    assert_eq!(r.hits[0].source_id, d.turns_source);
    let r = search(&index, &d.project, "handlingsrom actor:FFO");
    assert_eq!(texts(&r), vec!["Handlingsrom"]);
    // FFO's one paragraph with "tillit" is in Crowo's interview.
    let r = search(&index, &d.project, "tillit actor:FFO");
    assert_eq!(r.paragraphs, 1);
    assert!(r.hits.iter().all(|h| h.source_id == d.ffo_source));

    let r = search(&index, &d.project, "tillit kind:literature");
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.hits[0].source_id, d.lit_source);
    assert_eq!(r.actor_name(&r.hits[0]), None);

    // Per-actor counts cover all matches.
    let r = search(&index, &d.project, "tillit");
    let counts: Vec<(String, usize)> = r
        .actor_counts
        .iter()
        .map(|c| (c.name.clone(), c.paragraphs))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("KS".into(), 2),
            ("(no actor)".into(), 1),
            ("FFO".into(), 1)
        ]
    );

    // Code the first paragraph of the KS interview: the theme filter and uncoded follow at
    // once, before the index is refreshed, and the refresh re-indexes nothing.
    d.project
        .code(NewCoding::new(d.ks_source, CharSpan::new(0, 10), d.axis))
        .unwrap();
    let r = search(&index, &d.project, "tillit theme:\"regler ↔ skjønn\"");
    assert_eq!(texts(&r), vec!["tillit"]);
    let report = index.refresh(&d.project).unwrap();
    assert_eq!(report.reindexed_sources, 0);
    assert!(!report.rebuilt);
    let r = search(&index, &d.project, "tillit actor:KS");
    assert_eq!(r.hits.len(), 3);
    assert!(actor_of(&r).iter().all(|a| a.as_deref() == Some("KS")));
    assert!(r.hits.iter().all(|h| h.source_id == d.ks_source));
    let r = search(&index, &d.project, "tillit theme:\"regler ↔ skjønn\"");
    assert_eq!(texts(&r), vec!["tillit"]);
    assert_eq!(r.hits[0].source_id, d.ks_source);
    assert!(r.hits[0].span.start < 70);
    let r = search(&index, &d.project, "tillit uncoded");
    assert_eq!(r.paragraphs, 3);
    assert!(
        r.hits
            .iter()
            .all(|h| h.span.start > 70 || h.source_id != d.ks_source)
    );
    let r = search(&index, &d.project, "theme:Tillit");
    assert!(r.hits.is_empty());
    // Undone, the coding is gone from the filters at once too.
    d.project.undo().unwrap();
    let r = search(&index, &d.project, "tillit theme:\"regler ↔ skjønn\"");
    assert!(r.hits.is_empty());
    assert_eq!(search(&index, &d.project, "tillit uncoded").paragraphs, 4);
}

#[test]
fn spans_are_exact_around_emoji_and_crlf() {
    let d = demo();
    let index = open(&d.project);
    // "😀" precedes "og tillitsreformen" in the KS text; FFO's text had \r\n normalised.
    for q in [
        "tillitsreformen",
        "medvirkning",
        "makt",
        "ledelsen",
        "tillit",
        "nav kontor",
    ] {
        let r = search(&index, &d.project, q);
        assert!(!r.hits.is_empty(), "{q}");
    }
    let r = search(&index, &d.project, "tillitsreformen");
    let source = d.project.source(d.ks_source).unwrap();
    assert_eq!(
        r.hits[0].span,
        sitat::text::find_chars(&source.text, "tillitsreformen").unwrap()
    );
    assert_eq!(
        r.kwic(&r.hits[0]).left,
        "Det ga oss mer tillit til ledelsen 😀 og "
    );
    assert_eq!(r.kwic(&r.hits[0]).right, ".");
    // Written out, a hit carries its words, names and line; read back, it is the same hit,
    // but has no text among other results.
    let json = serde_json::to_value(&r).unwrap();
    let record = &json["hits"][0];
    assert_eq!(record["text"], "tillitsreformen");
    assert_eq!(record["kwic"]["right"], ".");
    assert_eq!(record["actor_name"], "KS");
    let read: sitat::index::Hit = serde_json::from_value(record.clone()).unwrap();
    assert_eq!(read, r.hits[0]);
    let other = search(&index, &d.project, "makt");
    assert_eq!(other.text(&read), "");
    assert_eq!(other.kwic(&read).hit, "");
    // A word that tokenises into two is a phrase.
    let r = search(&index, &d.project, "NAV-kontor");
    assert_eq!(texts(&r), vec!["NAV-kontor"]);
    assert_eq!(r.hits[0].source_id, d.lit_source);
}

#[test]
fn code_all_hits_is_one_undoable_step() {
    let mut d = demo();
    let index = open(&d.project);
    // Four times "tillit" and once inside "tillitsreformen".
    let r = search(&index, &d.project, "tillit");
    assert_eq!(r.hits.len(), 5);
    let before = d.project.all_codings().unwrap().len();
    let ids = d
        .project
        .code_spans(spans_of(&r), d.plain, Widen::None)
        .unwrap();
    assert_eq!(ids.len(), 5);
    let mut coded: Vec<(SourceId, CharSpan)> = ids
        .iter()
        .map(|id| d.project.coding(*id).unwrap())
        .inspect(|c| assert_eq!(c.theme_id, d.plain))
        .map(|c| (c.source_id, c.span))
        .collect();
    let mut wanted: Vec<(SourceId, CharSpan)> =
        r.hits.iter().map(|h| (h.source_id, h.span)).collect();
    coded.sort();
    wanted.sort();
    assert_eq!(coded, wanted);
    // Coding the same hits again adds nothing.
    assert!(
        d.project
            .code_spans(spans_of(&r), d.plain, Widen::None)
            .unwrap()
            .is_empty()
    );
    d.project.undo().unwrap();
    assert_eq!(d.project.all_codings().unwrap().len(), before);

    // Widened to the sentence, then to the paragraph.
    // Two hits in one sentence become one coding.
    let ids = d
        .project
        .code_spans(spans_of(&r), d.plain, Widen::Sentence)
        .unwrap();
    assert_eq!(ids.len(), 4);
    let ks = d.project.source(d.ks_source).unwrap();
    let first = d.project.coding(ids[0]).unwrap();
    assert_eq!(first.source_id, d.ks_source);
    assert_eq!(
        sitat::text::slice_chars(&ks.text, first.span).unwrap(),
        "Skjønnsutøvelse krever tillit."
    );
    d.project.undo().unwrap();
    let ids = d
        .project
        .code_spans(spans_of(&r), d.plain, Widen::Paragraph)
        .unwrap();
    let first = d.project.coding(ids[0]).unwrap();
    assert_eq!(
        sitat::text::slice_chars(&ks.text, first.span).unwrap(),
        "Vi må gå på skjønn i førstelinja. Skjønnsutøvelse krever tillit."
    );
    assert_eq!(d.project.all_codings().unwrap().len(), before + 4);
    d.project.undo().unwrap();
    assert_eq!(d.project.all_codings().unwrap().len(), before);
}

#[test]
fn index_lives_beside_the_project_and_is_rebuilt_when_missing_stale_or_corrupt() {
    let mut d = demo();
    let dir = SearchIndex::dir_for(&d.tmp.path);
    assert_eq!(dir, d.tmp.dir.path().join("search.sitat.index"));
    {
        let index = open(&d.project);
        assert_eq!(index.open_report().rebuilt, Some(RebuildReason::Missing));
        assert_eq!(index.dir(), Some(dir.as_path()));
        assert_eq!(index.revision(), d.project.revision().unwrap());
    }
    {
        let index = open(&d.project);
        assert_eq!(
            index.open_report().rebuilt,
            None,
            "a current index is opened"
        );
        assert_eq!(search(&index, &d.project, "makt").hits.len(), 1);
    }
    std::fs::remove_dir_all(&dir).unwrap();
    {
        let index = open(&d.project);
        assert_eq!(index.open_report().rebuilt, Some(RebuildReason::Missing));
        assert_eq!(search(&index, &d.project, "makt").hits.len(), 1);
    }
    // A change made while the index was closed leaves its stamp behind.
    let stamped = d.project.revision().unwrap();
    let extra = d
        .project
        .add_source(NewSource::new(
            SourceKind::Note,
            "Notat",
            "Fjellvann og tillit.",
        ))
        .unwrap();
    {
        let index = open(&d.project);
        assert_eq!(
            index.open_report().rebuilt,
            Some(RebuildReason::Stale {
                index: stamped,
                store: stamped + 1
            })
        );
        let r = search(&index, &d.project, "fjellvann");
        assert_eq!(r.hits[0].source_id, extra);
    }
    std::fs::write(dir.join("meta.json"), "{ not json").unwrap();
    {
        let index = open(&d.project);
        assert!(matches!(
            index.open_report().rebuilt,
            Some(RebuildReason::Corrupt(_))
        ));
        assert_eq!(search(&index, &d.project, "fjellvann").hits.len(), 1);
    }
}

#[test]
fn refresh_is_incremental_and_commits_on_a_debounce() {
    let mut d = demo();
    let mut index = open(&d.project);
    index.set_commit_delay(Duration::from_secs(3600));
    let id = d
        .project
        .add_source(NewSource::new(
            SourceKind::Interview,
            "Ny",
            "Fjellvann og trepartssamarbeid.",
        ))
        .unwrap();
    let report = index.refresh(&d.project).unwrap();
    assert_eq!(report.reindexed_sources, 1);
    assert!(!report.committed && !report.rebuilt);
    assert!(index.has_pending());
    assert!(search(&index, &d.project, "fjellvann").hits.is_empty());
    index.commit().unwrap();
    assert!(!index.has_pending());
    assert_eq!(index.committed_revision(), d.project.revision().unwrap());
    let r = search(&index, &d.project, "samarbeid");
    assert_eq!(texts(&r), vec!["trepartssamarbeid"]);
    assert_eq!(r.hits[0].source_id, id);
    // Nothing changed: nothing to do.
    assert_eq!(index.refresh(&d.project).unwrap().reindexed_sources, 0);

    // Undo removes it again; the dropped index commits what is pending, so reopening is cheap.
    d.project.undo().unwrap();
    index.refresh(&d.project).unwrap();
    drop(index);
    let index = open(&d.project);
    assert_eq!(index.open_report().rebuilt, None);
    assert!(search(&index, &d.project, "fjellvann").hits.is_empty());
    assert_eq!(index.documents(), 9, "one document per paragraph");
}

#[test]
fn bad_queries_are_errors_not_panics() {
    let d = demo();
    let index = open(&d.project);
    for q in [
        "",
        "\"unclosed",
        "(tillit",
        "tillit)",
        "OR tillit",
        "tillit OR",
        "NOT",
        "-",
        "foo:bar",
        "actor:",
        "t*",
        "*",
        "tillit~5",
        "a NEAR/x b",
        "()",
        "tillit AND",
        "\"\"",
        "...",
        "tillit NEAR",
        "(a OR b) NEAR c",
    ] {
        match index.search(&d.project, q, 10) {
            Err(Error::BadQuery { reason, .. }) => assert!(!reason.is_empty()),
            other => panic!("{q:?} gave {other:?}"),
        }
    }
    for q in [
        "actor:NHO",
        "person:Nobody",
        "theme:\"No such theme\"",
        "kind:poem",
    ] {
        let err = index.search(&d.project, q, 10).unwrap_err();
        assert!(
            matches!(err, Error::UnknownName { .. } | Error::BadQuery { .. }),
            "{q}: {err:?}"
        );
        assert!(err.to_string().len() > 10);
    }
    // Odd input is read where it can be (the demo has nine paragraphs, none coded)...
    for (q, paragraphs) in [
        ("tillit -tillit", 0),
        ("-tillit", 5),
        ("uncoded", 9),
        ("a OR (b -c)", 0),
    ] {
        let r = index.search(&d.project, q, 10).unwrap();
        assert_eq!(r.paragraphs, paragraphs, "{q}");
    }
    // ... and refused with a reason where there is nothing to search for.
    for q in ["😀", "NEAR/2"] {
        match index.search(&d.project, q, 10) {
            Err(Error::BadQuery { reason, .. }) => assert!(!reason.is_empty()),
            other => panic!("{q:?} gave {other:?}"),
        }
    }
    assert!(index.search(&d.project, "-tillit", 10).unwrap().paragraphs > 0);
}

#[test]
fn cli_search_prints_hits_as_text_kwic_json_and_csv() {
    let d = demo();
    let path = d.tmp.path.to_str().unwrap().to_string();
    drop(d.project);
    let run = |args: &[&str]| -> String {
        let mut argv = vec!["sitat", "search", &path];
        argv.extend_from_slice(args);
        let cli = sitat::cli::Cli::try_parse_from(argv).unwrap();
        let mut out = Vec::new();
        sitat::cli::run(cli.command.unwrap(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let text = run(&["medvirkning"]);
    assert!(text.contains("[Medvirkning]"), "{text}");
    assert!(
        text.contains("2 hits shown; 2 matching paragraphs"),
        "{text}"
    );
    // No match says so, without an empty list of actors.
    let none = run(&["sjøormer actor:KS"]);
    assert_eq!(none, "0 hits; no paragraph matches \"sjøormer actor:KS\"\n");
    let kwic = run(&["tillit", "--kwic", "--limit", "2"]);
    let lines: Vec<&str> = kwic.lines().collect();
    assert_eq!(lines.len(), 3, "{kwic}");
    let col = |l: &str| l.chars().take_while(|c| *c != '[').count();
    assert_eq!(col(lines[0]), col(lines[1]), "{kwic}");
    assert!(lines[2].contains("(more: raise --limit)"));
    let json = run(&["skjønn", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["hits"].as_array().unwrap().len() >= 4);
    assert!(v["hits"][0]["span"]["start"].is_u64());
    let first = &v["hits"][0];
    assert_eq!(first["kwic"]["hit"], first["text"], "{json}");
    assert!(
        !first["kwic"]["left"].as_str().unwrap().is_empty(),
        "{json}"
    );
    assert!(v["actor_counts"].as_array().is_some_and(|a| !a.is_empty()));
    let csv = run(&["makt", "--format", "csv"]);
    assert!(csv.starts_with("source_id,source,kind,actor,person,start,end,score,left,hit,right"));
    assert!(csv.contains("FFO,Grete Crowo"), "{csv}");
}

#[test]
fn a_bulk_import_is_merged_into_one_segment_in_the_background() {
    let mut d = demo();
    let mut index = open(&d.project);
    index.wait_for_merge().unwrap();
    let before = index.segment_sizes();
    assert_eq!(before.len(), 1, "a rebuild ends merged: {before:?}");
    // Twenty-five sources at once: a bulk import, committed at once and merged.
    for i in 0..25 {
        d.project
            .add_source(NewSource::new(
                SourceKind::Note,
                format!("Notat {i}"),
                format!("Fjellvann nummer {i} og tillit."),
            ))
            .unwrap();
    }
    let report = index.refresh(&d.project).unwrap();
    assert_eq!(report.reindexed_sources, 25);
    assert!(report.committed);
    // Searchable at once, over the old segment and the new one (unless the merge was quick).
    assert_eq!(search(&index, &d.project, "fjellvann").paragraphs, 25);
    // A refresh looks whether the merge is done without waiting; waiting after that works too.
    index.refresh(&d.project).unwrap();
    index.wait_for_merge().unwrap();
    assert!(!index.is_merging());
    assert_eq!(index.segment_sizes(), vec![before[0] + 25]);
    let r = search(&index, &d.project, "fjellvann");
    assert_eq!(r.paragraphs, 25);
    assert_eq!(search(&index, &d.project, "makt").hits.len(), 1);
    // The next refresh has nothing to land or do; a reopened index finds the one segment.
    assert_eq!(index.refresh(&d.project).unwrap(), Default::default());
    drop(index);
    let index = open(&d.project);
    assert_eq!(index.open_report().rebuilt, None);
    assert_eq!(index.segment_sizes().len(), 1);
}

#[test]
fn a_reader_closing_the_pipe_is_not_a_failure() {
    // `sitat search … | head`: standard output closed after the first lines.
    struct Closed;
    impl std::io::Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
    }
    use sitat::cli::search_output as output;
    let d = demo();
    let index = open(&d.project);
    let r = search(&index, &d.project, "tillit");
    for written in [
        output::write_json(&mut Closed, &r),
        output::write_csv(&mut Closed, &r),
        output::write_text(&mut Closed, &r, true),
    ] {
        let error = written.unwrap_err();
        assert!(sitat::cli::is_closed_output(&error), "{error}");
    }
    // Any other failure to write still is one.
    let denied = Error::io("out.csv", std::io::ErrorKind::PermissionDenied.into());
    assert!(!sitat::cli::is_closed_output(&denied));
}

#[test]
fn coder_filter_finds_the_paragraphs_a_coder_coded() {
    let mut d = demo();
    let mut index = open(&d.project);
    d.project.set_coder("Ada");
    d.project
        .code(NewCoding::new(d.ks_source, CharSpan::new(0, 10), d.axis))
        .unwrap();
    d.project.set_coder("Bo");
    d.project
        .code(NewCoding::new(d.ffo_source, CharSpan::new(0, 5), d.plain))
        .unwrap();
    index.refresh(&d.project).unwrap();
    index.commit().unwrap();
    let ada = search(&index, &d.project, "coder:ada");
    assert!(ada.paragraphs > 0);
    assert!(ada.hits.iter().all(|h| h.source_id == d.ks_source));
    let bo = search(&index, &d.project, "coder:Bo");
    assert!(bo.hits.iter().all(|h| h.source_id == d.ffo_source));
    assert!(bo.paragraphs > 0);
    // With words and negation, like any other filter.
    let not_ada = search(&index, &d.project, "tillit -coder:Ada");
    assert!(
        not_ada
            .hits
            .iter()
            .all(|h| h.span.start > 70 || h.source_id != d.ks_source)
    );
    let error = index
        .search(&d.project, "coder:Cy", 10)
        .unwrap_err()
        .to_string();
    assert!(error.contains("Ada") && error.contains("Bo"), "{error}");
}

#[test]
fn a_second_window_follows_the_store_in_memory_when_another_holds_the_index() {
    let mut d = demo();
    // The first window's index takes the folder's writer on its first change.
    let mut first = open(&d.project);
    // The second window opens the same, current folder.
    let mut second = open(&d.project);
    assert!(second.dir().is_some());
    d.project
        .add_source(NewSource::new(
            SourceKind::Interview,
            "Ny",
            "Fjellvann i første.",
        ))
        .unwrap();
    first.refresh(&d.project).unwrap();
    first.commit().unwrap();
    d.project
        .add_source(NewSource::new(
            SourceKind::Interview,
            "Nyere",
            "Fjellvann i andre.",
        ))
        .unwrap();
    // The folder's writer is taken: the second index rebuilds itself in memory, no error.
    let report = second.refresh(&d.project).unwrap();
    assert!(report.rebuilt);
    assert!(second.dir().is_none(), "kept in memory");
    let hits = search(&second, &d.project, "fjellvann");
    assert_eq!(hits.hits.len(), 2);
    // And the first still works on the folder.
    first.refresh(&d.project).unwrap();
    first.commit().unwrap();
    assert_eq!(search(&first, &d.project, "fjellvann").hits.len(), 2);
}
