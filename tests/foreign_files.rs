//! Files Sitat does not own are left exactly as they were: another program's SQLite database,
//! an empty file, a path that does not exist. A `sitat demo` killed half-way leaves nothing that
//! blocks the next run.

mod common;

use std::process::{Command, Output};

fn sitat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitat"))
        .args(args)
        .output()
        .unwrap()
}

fn refused(args: &[&str], message: &str) {
    let out = sitat(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "sitat {args:?} should fail");
    assert!(stderr.contains(message), "expected {message:?} in {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let tmp = common::temp_path("other.db");
    {
        let conn = rusqlite::Connection::open(&tmp.path).unwrap();
        conn.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('mine');")
            .unwrap();
    }
    let before = std::fs::read(&tmp.path).unwrap();
    let path = tmp.path.to_str().unwrap();
    for command in ["stats", "check", "sources", "themes"] {
        refused(&[command, path], "is not a Sitat project");
    }
    refused(
        &[
            "code", path, "--source", "1", "--start", "0", "--end", "1", "--theme", "x",
        ],
        "is not a Sitat project",
    );
    assert_eq!(
        std::fs::read(&tmp.path).unwrap(),
        before,
        "the file changed"
    );
    let conn = rusqlite::Connection::open(&tmp.path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "the journal mode was switched");
}

#[test]
fn an_empty_file_is_not_turned_into_a_project() {
    let tmp = common::temp_path("empty.sitat");
    std::fs::write(&tmp.path, b"").unwrap();
    let path = tmp.path.to_str().unwrap();
    for command in ["check", "stats", "sources"] {
        refused(&[command, path], "is not a Sitat project");
    }
    assert_eq!(std::fs::metadata(&tmp.path).unwrap().len(), 0);
    let names: Vec<_> = std::fs::read_dir(tmp.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "left beside it: {names:?}");
}

#[test]
fn a_missing_project_is_not_created_by_reading_it() {
    let tmp = common::temp_path("missing.sitat");
    let path = tmp.path.to_str().unwrap();
    for command in ["check", "stats", "sources", "themes"] {
        refused(&[command, path], "missing.sitat");
    }
    assert!(!tmp.path.exists());
}

#[test]
fn a_killed_demo_leaves_no_half_made_project() {
    let tmp = common::temp_path("demo.sitat");
    let path = tmp.path.to_str().unwrap();
    // Kill it at several moments of the build; whatever is at the path afterwards is whole.
    for delay_ms in [5, 20, 60, 150] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sitat"))
            .args(["demo", path])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        if tmp.path.exists() {
            let project = sitat::Project::open(&tmp.path).unwrap();
            assert!(project.stats().unwrap().codings > 0);
            drop(project);
            std::fs::remove_file(&tmp.path).unwrap();
        }
    }
    let out = sitat(&["demo", path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let project = sitat::Project::open(&tmp.path).unwrap();
    assert!(project.stats().unwrap().codings > 0);
    assert_eq!(project.check().unwrap(), Vec::<String>::new());
}

#[test]
fn a_project_whose_filling_fails_is_not_left_behind() {
    let tmp = common::temp_path("half.sitat");
    let result = sitat::Project::create_with(&tmp.path, |project| {
        project.add_actor("KS", "", vec![])?;
        Err(sitat::Error::Manifest("stop here".into()))
    });
    assert!(result.is_err());
    let names: Vec<_> = std::fs::read_dir(tmp.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(names.is_empty(), "left behind: {names:?}");
}
