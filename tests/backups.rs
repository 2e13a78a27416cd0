//! Rolling backups through SQLite's online backup API: taken while the project is open and
//! being written, listed with their counts, pruned to the newest N, and restored — the restore
//! itself taken back by restoring the state saved before it.

mod common;

use common::{dump, fixture};
use sitat::backups;
use sitat::model::CharSpan;
use sitat::{NewCoding, Project};

#[test]
fn a_backup_restores_exactly_and_the_restore_can_be_taken_back() {
    let f = fixture();
    let path = f.tmp.path.clone();
    let (axis, interview) = (f.axis, f.interview);
    let mut project = f.project;
    project
        .code(NewCoding::new(interview, CharSpan::new(0, 4), axis))
        .unwrap();
    let backed_up = dump(&project);
    let backup = backups::back_up(&project, "").unwrap();
    project
        .code(NewCoding::new(interview, CharSpan::new(5, 9), axis))
        .unwrap();
    let later = dump(&project);

    let listed = backups::list(&path).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].sources, listed[0].codings), (2, 1));

    let before_restore = backups::restore(&mut project, &backup).unwrap();
    assert_eq!(dump(&project), backed_up);
    assert_eq!(project.check().unwrap(), Vec::<String>::new());
    drop(project);
    assert_eq!(dump(&Project::open(&path).unwrap()), backed_up);

    let mut project = Project::open(&path).unwrap();
    backups::restore(&mut project, &before_restore).unwrap();
    assert_eq!(dump(&project), later);
}

#[test]
fn only_the_newest_backups_are_kept() {
    let f = fixture();
    let mut project = f.project;
    project.set_info(backups::KEEP_KEY, "3").unwrap();
    let mut made = Vec::new();
    for i in 0..5 {
        project
            .code(NewCoding::new(
                f.interview,
                CharSpan::new(i, i + 2),
                f.plain,
            ))
            .unwrap();
        made.push(backups::back_up(&project, "").unwrap());
    }
    let kept: Vec<_> = backups::list(&f.tmp.path)
        .unwrap()
        .into_iter()
        .map(|b| b.path)
        .collect();
    assert_eq!(kept, made[2..].to_vec());
    let newest = backups::list(&f.tmp.path).unwrap().pop().unwrap();
    assert_eq!(newest.codings, 5);
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_consistent() {
    let f = fixture();
    let path = f.tmp.path.clone();
    let (plain, interview) = (f.plain, f.interview);
    drop(f.project);
    let writer = std::thread::spawn(move || {
        let mut project = Project::open(&path).unwrap();
        for i in 0..200 {
            project
                .code(NewCoding::new(
                    interview,
                    CharSpan::new(i % 30, i % 30 + 2),
                    plain,
                ))
                .unwrap();
        }
    });
    let project = Project::open(&f.tmp.path).unwrap();
    let mut taken = 0;
    while !writer.is_finished() || taken == 0 {
        let backup = backups::back_up(&project, "").unwrap();
        let copy = Project::open(&backup).unwrap();
        assert_eq!(copy.check().unwrap(), Vec::<String>::new());
        taken += 1;
    }
    writer.join().unwrap();
    assert!(taken >= 1);
}

#[test]
fn sitat_backups_and_restore() {
    let f = fixture();
    let path = f.tmp.path.to_str().unwrap().to_string();
    drop(f.project);
    let sitat = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitat"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let listed = sitat(&["backups", &path, "--now", "--keep", "4"]);
    assert!(listed.contains("1 backup in "), "{listed}");
    assert!(listed.contains("2 sources\t0 codings"), "{listed}");
    assert!(listed.contains("(keeping 4)"), "{listed}");
    let backup = listed
        .lines()
        .next()
        .unwrap()
        .strip_prefix("backed up to ")
        .unwrap();
    let restored = sitat(&["restore", &path, backup]);
    assert!(restored.contains("to take this back"), "{restored}");
}
