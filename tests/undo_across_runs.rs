//! Undo and redo survive closing the project: each change, undone by a new `Project` (a new
//! run, or the `sitat` binary), gives back exactly the state before it, and redo the state
//! after. The history is the project's, so undo takes back the last change of any process.

mod common;

use common::{dump, fixture};
use sitat::model::*;
use sitat::{NewCoding, NewSource, Project};

#[test]
fn each_change_is_undone_exactly_by_a_later_run() {
    let f = fixture();
    let path = f.tmp.path.clone();
    let (axis, plain, interview, literature) = (f.axis, f.plain, f.interview, f.literature);
    drop(f.project);

    type Change = Box<dyn Fn(&mut Project)>;
    let changes: Vec<(&str, Change)> = vec![
        (
            "code with a stance",
            Box::new(move |p| {
                let mut new = NewCoding::new(interview, CharSpan::new(0, 9), axis);
                new.stance = Some(2);
                new.memo = "skjønn 😀".into();
                p.code(new).unwrap();
            }),
        ),
        (
            "code in vivo",
            Box::new(move |p| {
                p.code_in_vivo(interview, CharSpan::new(10, 20)).unwrap();
            }),
        ),
        (
            "add a source with \\r\\n",
            Box::new(|p| {
                p.add_source(NewSource::new(
                    SourceKind::Note,
                    "Notat",
                    "Første linje\r\nandre: æøå 😀",
                ))
                .unwrap();
            }),
        ),
        (
            "remove a source with its codings",
            Box::new(move |p| p.remove_source(literature).unwrap()),
        ),
        (
            "remove a theme",
            Box::new(move |p| p.remove_theme(plain).unwrap()),
        ),
    ];

    // Each change in its own run, remembering the state before and after.
    let mut states = vec![dump(&Project::open(&path).unwrap())];
    for (what, change) in &changes {
        let mut project = Project::open(&path).unwrap();
        change(&mut project);
        let after = dump(&project);
        assert_ne!(&after, states.last().unwrap(), "{what} changed nothing");
        states.push(after);
    }
    // Undo all, newest first, each in a new run.
    for (i, (what, _)) in changes.iter().enumerate().rev() {
        let mut project = Project::open(&path).unwrap();
        assert!(project.can_undo(), "{what}");
        project.undo().unwrap();
        drop(project);
        let project = Project::open(&path).unwrap();
        assert_eq!(dump(&project), states[i], "undo of {what}");
        assert_eq!(project.check().unwrap(), Vec::<String>::new());
    }
    // Redo all, oldest first, each in a new run.
    for (i, (what, _)) in changes.iter().enumerate() {
        let mut project = Project::open(&path).unwrap();
        project.redo().unwrap();
        drop(project);
        assert_eq!(
            dump(&Project::open(&path).unwrap()),
            states[i + 1],
            "redo of {what}"
        );
    }
    assert!(!Project::open(&path).unwrap().can_redo());
}

#[test]
fn a_new_change_clears_the_redo_history_and_undo_sees_other_processes() {
    let f = fixture();
    let path = f.tmp.path.clone();
    let (axis, interview) = (f.axis, f.interview);
    drop(f.project);
    let mut mine = Project::open(&path).unwrap();
    let mut theirs = Project::open(&path).unwrap();
    let before = dump(&mine);
    let id = theirs
        .code(NewCoding::new(interview, CharSpan::new(0, 4), axis))
        .unwrap();
    // The change of the other connection is the one this one's undo takes back.
    assert!(mine.undo_summary().unwrap().starts_with("code"));
    mine.undo().unwrap();
    assert!(theirs.coding(id).is_err());
    assert_eq!(dump(&theirs), before);
    assert!(theirs.can_redo());
    mine.code(NewCoding::new(interview, CharSpan::new(1, 5), axis))
        .unwrap();
    assert!(!theirs.can_redo(), "a new change ends the redo history");
}

#[test]
fn sitat_undo_redo_and_history_work_on_the_last_run_s_changes() {
    let f = fixture();
    let path = f.tmp.path.clone();
    let (axis, interview) = (f.axis, f.interview);
    let mut project = f.project;
    let before = dump(&project);
    project.set_coder("Kari");
    project
        .code(NewCoding::new(interview, CharSpan::new(0, 4), axis))
        .unwrap();
    let after = dump(&project);
    drop(project);
    let sitat = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitat"))
            .args(args)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let history = sitat(&["history"]);
    let newest = history.lines().next().unwrap();
    assert!(newest.contains("\tKari\tcode"), "{history}");
    assert!(
        history.contains("`sitat undo` would take back: code"),
        "{history}"
    );
    assert!(sitat(&["undo"]).starts_with("undid: code"));
    assert_eq!(dump(&Project::open(&path).unwrap()), before);
    assert!(sitat(&["redo"]).starts_with("redid: code"));
    assert_eq!(dump(&Project::open(&path).unwrap()), after);
}
