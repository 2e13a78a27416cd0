//! A coding applied by one process survives that process being killed with SIGKILL right after
//! `apply` returned.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use sitat::model::CharSpan;
use sitat::{NewCoding, Project};

const CHILD_ENV: &str = "SITAT_CRASH_CHILD_PROJECT";

/// The child process of the test below, which runs it by name with `--ignored`: code once,
/// say so, then wait to be killed. Not a test of its own (without the project's path it does
/// nothing).
#[test]
#[ignore = "the child process of a_coding_survives_sigkill_right_after_apply, run by it"]
fn crash_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut project = Project::open(&path).unwrap();
    let source = project.sources().unwrap()[0].id;
    let theme = project.themes().unwrap()[0].id;
    let id = project
        .code(NewCoding::new(source, CharSpan::new(0, 4), theme))
        .unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "applied {}", id.0).unwrap();
    out.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_secs(120));
}

#[test]
fn a_coding_survives_sigkill_right_after_apply() {
    let f = common::fixture();
    let path = f.tmp.path.clone();
    drop(f.project);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "crash_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let id = loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "child ended early"
        );
        // libtest may print "test crash_child ... " on the same line first.
        if let Some((_, id)) = line.trim().split_once("applied ") {
            break id.parse::<i64>().unwrap();
        }
    };
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no checkpoint, no clean close
    child.wait().unwrap();

    let project = Project::open(&path).unwrap();
    let coding = project.coding(sitat::model::CodingId(id)).unwrap();
    assert_eq!(coding.span, CharSpan::new(0, 4));
    assert_eq!(project.check().unwrap(), Vec::<String>::new());
}

/// The project file alone, copied while the project is open (to a USB stick, a mail, a synced
/// folder), holds every change made so far: none waits in the WAL beside it.
#[test]
fn the_project_file_copied_while_open_holds_every_change() {
    let f = common::fixture();
    let mut project = f.project;
    let source = project.sources().unwrap()[0].id;
    let theme = project.themes().unwrap()[0].id;
    let id = project
        .code(NewCoding::new(source, CharSpan::new(0, 4), theme))
        .unwrap();
    let copy = common::temp_path("copied-while-open.sitat");
    std::fs::copy(&f.tmp.path, &copy.path).unwrap();
    let copied = Project::open(&copy.path).unwrap();
    assert_eq!(copied.coding(id).unwrap().span, CharSpan::new(0, 4));
    drop(project);
}
