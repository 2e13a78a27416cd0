//! Search results recorded: every query of the list gives the paragraphs, spans, scores and
//! counts per actor written in `tests/snapshots/search_results.txt`, on the demo corpus with a
//! second segment and deleted documents. The file was written by the engine that first passed
//! it; `SITAT_BLESS=1 cargo test --test search_results` writes it anew (then read the diff).

mod common;

use sitat::index::{SearchIndex, SearchResults};
use sitat::model::{CharSpan, SourceKind};
use sitat::{NewCoding, NewSource, Project};

const SNAPSHOT: &str = "tests/snapshots/search_results.txt";
/// Hits kept per query: enough to cover the ranking of the demo's common words.
const LIMIT: usize = 60;

/// The demo corpus, coded before the index is built, then a source added and another added and
/// removed: the index has two segments, one with deleted documents.
fn project_and_index(tmp: &common::TempProject) -> (Project, SearchIndex) {
    let mut project = sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let first = project.all_sources().unwrap()[0].id;
    let theme = project.themes().unwrap()[0].id;
    project.set_coder("Ada");
    project
        .code(NewCoding::new(first, CharSpan::new(0, 10), theme))
        .unwrap();
    let mut index = SearchIndex::open_or_rebuild(&project, &|_| {}).unwrap();
    index.wait_for_merge().unwrap();
    for (title, text) in [
        (
            "Notat",
            "Tillit og skjønn.\n\nMer tillit, mindre kontroll 😀 – makt og medvirkning. \
             Tillit tillit tillit: det er det det er.",
        ),
        (
            "Borte",
            "Tillit og skjønn, makt og kontroll.\n\nDet er det.",
        ),
    ] {
        project
            .add_source(NewSource::new(SourceKind::Note, title, text))
            .unwrap();
    }
    index.refresh(&project).unwrap();
    index.commit().unwrap();
    project.undo().unwrap();
    index.refresh(&project).unwrap();
    index.commit().unwrap();
    (project, index)
}

fn queries(project: &Project) -> Vec<String> {
    let theme = project.themes().unwrap()[0].name.clone();
    let mut list: Vec<String> = [
        "tillit",
        "skjønn",
        "medvirkning",
        "\"medvirkning\"",
        "tillit actor:KS",
        "tillit -skjønn",
        "makt OR kontroll",
        "-tillit",
        "\"mer tillit\"",
        "\"det er\"",
        "\"tillit mindre kontroll\"",
        "\"tillit tillit\"",
        "\"det er det\"",
        "\"det er\" -tillit",
        "skjønn*",
        "tilit~",
        "skjønn NEAR/4 tillit",
        "(makt OR kontroll) -staten",
        "uncoded",
        "kind:interview tillit",
        "\"det er\" actor:KS",
        "skjønn kind:interview -makt",
        "tillit kind:interview -skjønn",
        "(tillit OR makt) actor:KS -skjønn",
        "tillit* actor:KS",
        "(\"det er\" actor:KS) OR (makt kind:literature)",
        "rettighetsfesting",
        "handlingsrom",
        "trust",
        "coder:Ada",
        "tillit -coder:Ada",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    list.push(format!("theme:\"{theme}\""));
    list.push(format!("tillit OR theme:\"{theme}\""));
    list.push(format!("tillit -theme:\"{theme}\""));
    list
}

/// One query's results as lines: the counts, then each hit (source, span, score, text).
fn written(query: &str, r: &SearchResults) -> String {
    let mut out = format!(
        "# {query}\nparagraphs {} truncated {}\n",
        r.paragraphs, r.truncated
    );
    let counts: Vec<String> = (r.actor_counts.iter())
        .map(|c| format!("{}={}", c.name, c.paragraphs))
        .collect();
    out.push_str(&format!("counts {}\n", counts.join(", ")));
    for hit in &r.hits {
        out.push_str(&format!(
            "hit {} {}..{} {:.5} {:?}\n",
            hit.source_id.0,
            hit.span.start,
            hit.span.end,
            hit.score,
            r.text(hit)
        ));
    }
    out
}

/// Equal but for scores within a hundred-thousandth (relative): float sums in another order.
fn same(expected: &str, got: &str) -> bool {
    let (e, g): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), got.lines().collect());
    e.len() == g.len()
        && e.iter().zip(&g).all(|(e, g)| {
            if e == g {
                return true;
            }
            let (ew, gw): (Vec<&str>, Vec<&str>) =
                (e.splitn(5, ' ').collect(), g.splitn(5, ' ').collect());
            let score = |w: &[&str]| w.get(3).and_then(|s| s.parse::<f64>().ok());
            ew.len() == 5
                && gw.len() == 5
                && ew[0] == "hit"
                && (ew[..3] == gw[..3])
                && ew[4] == gw[4]
                && match (score(&ew), score(&gw)) {
                    (Some(a), Some(b)) => (a - b).abs() <= 2e-5 * a.abs().max(1.0),
                    _ => false,
                }
        })
}

#[test]
fn every_query_gives_the_recorded_results() {
    let tmp = common::temp_path("results.sitat");
    let (project, index) = project_and_index(&tmp);
    let mut got = String::new();
    for q in queries(&project) {
        let results = index.search(&project, &q, LIMIT).unwrap();
        got.push_str(&written(&q, &results));
        // Keeping fewer keeps the first of the same ranking.
        for few in [1, 7] {
            let first = index.search(&project, &q, few).unwrap().hits;
            assert_eq!(
                first,
                results.hits[..few.min(results.hits.len())],
                "{q}: {few}"
            );
        }
    }
    if std::env::var_os("SITAT_BLESS").is_some() {
        std::fs::write(SNAPSHOT, &got).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(SNAPSHOT).unwrap();
    let split = |s: &str| -> Vec<String> { s.split("\n# ").map(String::from).collect() };
    let (expected, got) = (split(&expected), split(&got));
    assert_eq!(expected.len(), got.len(), "the same queries");
    for (e, g) in expected.iter().zip(&got) {
        assert!(same(e, g), "expected:\n{e}\n\ngot:\n{g}");
    }
}
