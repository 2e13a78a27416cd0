//! `sitat merge`: a colleague's copy of the project comes back with their codings; sources match
//! by text, themes by GUID then path; conflicts are listed; one undo takes it all back.

mod common;

use sitat::merge::{merge, merge_path};
use sitat::model::*;
use sitat::{NewCoding, NewSource, NewTheme, Project};

fn quotes(project: &Project, coder: &str) -> Vec<(String, String, Option<i64>)> {
    let coder = project.coder_by_name(coder).unwrap().id;
    let mut out: Vec<_> = project
        .all_codings()
        .unwrap()
        .into_iter()
        .filter(|k| k.coder_id == coder)
        .map(|k| {
            let source = project.source(k.source_id).unwrap();
            let quote = sitat::text::slice_chars(&source.text, k.span)
                .unwrap()
                .to_string();
            let theme = project.theme(k.theme_id).unwrap().name;
            (quote, theme, k.stance.map(|s| s.value()))
        })
        .collect();
    out.sort();
    out
}

/// Ada's project and Bo's copy of it, each coded further apart.
struct Pair {
    _ours: common::TempProject,
    _theirs: common::TempProject,
    ours: Project,
    theirs: Project,
}

fn pair() -> Pair {
    let fixture = common::fixture();
    let mut ours = fixture.project;
    ours.set_coder("Ada");
    ours.code(NewCoding::new(
        fixture.interview,
        CharSpan::new(0, 5),
        fixture.plain,
    ))
    .unwrap();
    let ours_tmp = fixture.tmp;
    // Closed, so that the file holds everything (as when a colleague is sent a copy).
    drop(ours);
    let mut ours = Project::open(&ours_tmp.path).unwrap();
    ours.set_coder("Ada");
    let theirs_tmp = common::temp_path("bo.sitat");
    std::fs::copy(&ours_tmp.path, &theirs_tmp.path).unwrap();
    let mut theirs = Project::open(&theirs_tmp.path).unwrap();
    theirs.set_coder("Bo");

    // Bo renames and recolours the plain theme (the GUID still matches), adds a sub-theme, and a
    // theme whose name Ada also uses elsewhere.
    let mut plain = theirs.theme(fixture.plain).unwrap();
    plain.name = "Medvirkning".into();
    plain.color = "#aa0000".into();
    theirs.update_theme(plain).unwrap();
    let sub = theirs
        .add_theme(NewTheme {
            name: "Brukerråd".into(),
            parent_id: Some(fixture.plain),
            ..Default::default()
        })
        .unwrap();
    // Bo's codings: one on the shared interview with a stance, one on the new theme, and
    // one on a source of his own with emoji and æøå.
    let mut stance = NewCoding::new(fixture.interview, CharSpan::new(9, 21), fixture.axis);
    stance.stance = Some(2);
    stance.memo = "skjønn i førstelinja".into();
    theirs.code(stance).unwrap();
    theirs
        .code(NewCoding::new(
            fixture.interview,
            CharSpan::new(39, 55),
            sub,
        ))
        .unwrap();
    let own = theirs
        .add_source(NewSource::new(
            SourceKind::Interview,
            "Bos intervju",
            "Tillit 😀 er viktig.\r\nØkonomi også.",
        ))
        .unwrap();
    theirs
        .code(NewCoding::new(own, CharSpan::new(7, 19), fixture.plain))
        .unwrap();
    // A source with Ada's title but other text.
    theirs
        .add_source(NewSource::new(
            SourceKind::Literature,
            "Kapittel 2",
            "En annen tekst.",
        ))
        .unwrap();
    theirs
        .add_memo(MemoTarget::Theme(sub), "Brukerråd", "Nytt tema fra Bo.")
        .unwrap();
    Pair {
        _ours: ours_tmp,
        _theirs: theirs_tmp,
        ours,
        theirs,
    }
}

#[test]
fn merge_brings_codings_over_and_lists_conflicts() {
    let Pair {
        mut ours,
        theirs,
        _ours,
        _theirs,
    } = pair();
    let before = common::dump(&ours);
    let ada_before = quotes(&ours, "Ada");
    let report = merge(&mut ours, &theirs).unwrap();

    assert_eq!(report.sources_matched, 2, "{report:#?}");
    assert_eq!(report.sources_added, 2, "{report:#?}");
    assert_eq!(report.themes_added, 1, "{report:#?}");
    assert_eq!(report.coders_added, 1);
    assert_eq!(report.codings_added, 3);
    assert_eq!(
        report.codings_already_here, 1,
        "Ada's coding, in Bo's copy too"
    );
    assert_eq!(report.memos_added, 1);
    // The renamed, recoloured theme matched by GUID and kept our name and colour.
    let text = report.to_text();
    assert!(
        report
            .conflicts
            .iter()
            .any(|c| c.contains("Brukermedvirkning") && c.contains("#aa0000")),
        "{text}"
    );
    assert!(
        report
            .conflicts
            .iter()
            .any(|c| c.contains("Kapittel 2") && c.contains("other text")),
        "{text}"
    );
    // Every quote of Bo's lands on the same words under the same (mapped) theme.
    let theirs_bo = quotes(&theirs, "Bo")
        .into_iter()
        .map(|(q, t, s)| {
            let t = if t == "Medvirkning" {
                "Brukermedvirkning".into()
            } else {
                t
            };
            (q, t, s)
        })
        .collect::<Vec<_>>();
    assert_eq!(quotes(&ours, "Bo"), theirs_bo);
    assert_eq!(quotes(&ours, "Ada"), ada_before);
    assert!(
        quotes(&ours, "Bo")
            .iter()
            .any(|(q, _, _)| q == "😀 er viktig.")
    );

    // Merging again adds nothing.
    let again = merge(&mut ours, &theirs).unwrap();
    assert_eq!(
        (again.sources_added, again.codings_added, again.memos_added),
        (0, 0, 0),
        "{again:#?}"
    );
    assert_eq!(again.codings_already_here, 4);

    // One undo takes the whole merge back (the second merge added nothing to undo).
    ours.undo().unwrap();
    assert_eq!(common::dump(&ours), before);
}

#[test]
fn merge_from_a_file_and_from_qdpx() {
    let Pair {
        mut ours,
        theirs,
        _ours,
        _theirs,
    } = pair();
    let theirs_path = theirs.path().to_path_buf();
    drop(theirs);
    let theirs_bytes = std::fs::read(&theirs_path).unwrap();
    let report = merge_path(&mut ours, &theirs_path).unwrap();
    assert_eq!(report.codings_added, 3);
    assert!(
        report.to_text().contains("3 codings added"),
        "{}",
        report.to_text()
    );
    assert!(
        std::fs::read(&theirs_path).unwrap() == theirs_bytes,
        "the colleague's file is left as it was"
    );

    // The same work as REFI-QDA: sources match by text, themes by path; Bo's codings land on
    // the same words.
    let tmp = common::temp_path("ours-again.sitat");
    let mut fresh = common::fixture().project;
    fresh.set_coder("Ada");
    let qdpx = tmp.dir.path().join("bo.qdpx");
    let theirs = Project::open(&theirs_path).unwrap();
    sitat::export::export(
        &theirs,
        sitat::export::ExportFormat::Qdpx,
        &sitat::CodingFilter::default(),
        &qdpx,
    )
    .unwrap();
    let from_qdpx = merge_path(&mut fresh, &qdpx).unwrap();
    assert_eq!(from_qdpx.sources_matched, 2, "{from_qdpx:#?}");
    let bo: Vec<String> = quotes(&fresh, "Bo").into_iter().map(|q| q.0).collect();
    let expected: Vec<String> = quotes(&theirs, "Bo").into_iter().map(|q| q.0).collect();
    assert_eq!(bo, expected);
}

#[test]
fn merge_refuses_itself_and_missing_files() {
    let Pair {
        mut ours,
        _ours,
        _theirs,
        ..
    } = pair();
    let own = ours.path().to_path_buf();
    let error = merge_path(&mut ours, &own).unwrap_err().to_string();
    assert!(error.contains("the project itself"), "{error}");
    let error = merge_path(&mut ours, std::path::Path::new("/no/such/file.sitat"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("no such file"), "{error}");
}
