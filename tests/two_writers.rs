//! Two writers on one project at once — two connections in one process, and two `sitat code`
//! loops — never fail and never lose a coding.

mod common;

use std::path::Path;
use std::process::Command;

use sitat::model::CharSpan;
use sitat::{NewCoding, Project};

const PER_WRITER: usize = 50;

/// Codes `PER_WRITER` spans as `coder` (a new coder for the project, so both writers also race
/// to create their coder row); returns the errors.
fn code_loop(path: &Path, coder: &str) -> Vec<String> {
    let mut project = Project::open(path).unwrap();
    project.set_coder(coder);
    let source = project.sources().unwrap()[0].id;
    let theme = project.themes().unwrap()[1].id;
    (0..PER_WRITER)
        .filter_map(|i| {
            let span = CharSpan::new(i % 20, i % 20 + 3);
            project
                .code(NewCoding::new(source, span, theme))
                .err()
                .map(|e| e.to_string())
        })
        .collect()
}

#[test]
fn two_connections_coding_at_once_lose_nothing() {
    let f = common::fixture();
    let path = f.tmp.path.clone();
    let before = f.project.all_codings().unwrap().len();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| code_loop(&path, "writer A"));
        let b = s.spawn(|| code_loop(&path, "writer B"));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(a, Vec::<String>::new(), "writer A failed");
    assert_eq!(b, Vec::<String>::new(), "writer B failed");
    let project = Project::open(&path).unwrap();
    let codings = project.all_codings().unwrap();
    assert_eq!(codings.len(), before + 2 * PER_WRITER);
    let coders = project.coders().unwrap();
    for name in ["writer A", "writer B"] {
        let coder = coders.iter().find(|c| c.name == name).unwrap();
        let mine = codings.iter().filter(|c| c.coder_id == coder.id).count();
        assert_eq!(mine, PER_WRITER, "{name}");
    }
    assert_eq!(project.check().unwrap(), Vec::<String>::new());
}

/// Runs `sitat code` `PER_WRITER` times as `coder`; returns the failures' messages.
fn cli_loop(path: &str, coder: &str) -> Vec<String> {
    (0..PER_WRITER)
        .filter_map(|i| {
            let start = (i % 20).to_string();
            let end = (i % 20 + 3).to_string();
            let out = Command::new(env!("CARGO_BIN_EXE_sitat"))
                .args([
                    "code", path, "--source", "1", "--start", &start, "--end", &end,
                ])
                .args(["--theme", "Brukermedvirkning", "--coder", coder])
                .output()
                .unwrap();
            (!out.status.success()).then(|| String::from_utf8_lossy(&out.stderr).into_owned())
        })
        .collect()
}

#[test]
fn two_sitat_code_loops_at_once_lose_nothing() {
    let f = common::fixture();
    let path = f.tmp.path.to_str().unwrap().to_string();
    let before = f.project.all_codings().unwrap().len();
    drop(f.project);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| cli_loop(&path, "loop A"));
        let b = s.spawn(|| cli_loop(&path, "loop B"));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(a, Vec::<String>::new(), "loop A failed");
    assert_eq!(b, Vec::<String>::new(), "loop B failed");
    let project = Project::open(&path).unwrap();
    assert_eq!(
        project.all_codings().unwrap().len(),
        before + 2 * PER_WRITER
    );
    assert_eq!(project.check().unwrap(), Vec::<String>::new());
}

/// An import prepared (as the workbench does, on a worker) while another process adds rows:
/// applied afterwards, its ids move past theirs and everything it refers to is its own.
#[test]
fn an_import_prepared_before_another_writer_still_applies_whole() {
    let demo = common::temp_path("demo.sitat");
    let project = sitat::corpus::write_demo_project(&demo.path).unwrap();
    let qdpx = demo.dir.path().join("demo.qdpx");
    sitat::export::export(
        &project,
        sitat::export::ExportFormat::Qdpx,
        &sitat::CodingFilter::default(),
        &qdpx,
    )
    .unwrap();
    let demo_codings = project.all_codings().unwrap().len();

    let f = common::fixture();
    let path = f.tmp.path.clone();
    let (interview, plain) = (f.interview, f.plain);
    let mut mine = f.project;
    let prepared =
        sitat::import::prepare_import(&mine, &[qdpx], &Default::default(), &|_| {}).unwrap();
    // Meanwhile another process adds a theme, a source and codings (by a new coder).
    let mut theirs = Project::open(&path).unwrap();
    theirs.set_coder("someone else");
    theirs
        .add_theme(sitat::NewTheme {
            name: "Their theme".into(),
            ..Default::default()
        })
        .unwrap();
    theirs
        .add_source(sitat::NewSource::new(
            sitat::model::SourceKind::Note,
            "Their note",
            "Notat æøå",
        ))
        .unwrap();
    for i in 0..3 {
        theirs
            .code(NewCoding::new(interview, CharSpan::new(i, i + 2), plain))
            .unwrap();
    }
    let before = mine.all_codings().unwrap().len();
    let report = prepared.apply(&mut mine).unwrap();
    assert_eq!(mine.all_codings().unwrap().len(), before + demo_codings);
    assert_eq!(mine.check().unwrap(), Vec::<String>::new());
    for (id, title) in &report.sources {
        assert_eq!(&mine.source(*id).unwrap().title, title);
    }
    assert_eq!(
        mine.theme_by_name("Their theme").unwrap().name,
        "Their theme"
    );
    // The import is one step of history: undo takes it back whole, theirs stays.
    mine.undo().unwrap();
    assert_eq!(mine.all_codings().unwrap().len(), before);
    assert_eq!(mine.check().unwrap(), Vec::<String>::new());
}
