//! Bad input a researcher meets gets a message in their words: a read-only project file or
//! folder, a project from a newer Sitat, a project file or archive cut short.

mod common;

use std::process::Command;

fn error_of(args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sitat"))
        .args(args)
        .output()
        .unwrap();
    assert!(!out.status.success(), "{args:?} succeeded");
    let stderr = String::from_utf8(out.stderr).unwrap();
    for internal in [
        "panicked",
        "caused by",
        "SQLITE",
        "Error code",
        "EOCD",
        "CREATE TABLE",
    ] {
        assert!(!stderr.contains(internal), "{stderr}");
    }
    stderr
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

#[test]
fn a_read_only_project_file_says_what_to_do() {
    let f = common::fixture();
    drop(f.project);
    let mut perms = std::fs::metadata(&f.tmp.path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&f.tmp.path, perms).unwrap();
    let stderr = error_of(&[os("stats"), f.tmp.path.as_os_str()]);
    assert!(
        stderr.contains("is read-only: copy it or change its permissions"),
        "{stderr}"
    );
}

#[test]
fn a_read_only_folder_says_what_to_do() {
    let f = common::fixture();
    drop(f.project);
    let dir = f.tmp.dir.path();
    let writable = std::fs::metadata(dir).unwrap().permissions();
    let mut read_only = writable.clone();
    read_only.set_readonly(true);
    std::fs::set_permissions(dir, read_only).unwrap();
    let stderr = error_of(&[os("stats"), f.tmp.path.as_os_str()]);
    std::fs::set_permissions(dir, writable).unwrap();
    assert!(stderr.contains("folder of the project"), "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
}

#[test]
fn a_project_from_a_newer_sitat_says_to_update() {
    let f = common::fixture();
    drop(f.project);
    rusqlite::Connection::open(&f.tmp.path)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let stderr = error_of(&[os("stats"), f.tmp.path.as_os_str()]);
    assert!(stderr.contains("written by a newer Sitat"), "{stderr}");
    assert!(stderr.contains("update Sitat"), "{stderr}");
}

#[test]
fn a_project_file_cut_short_says_it_is_damaged() {
    let tmp = common::temp_path("cut.sitat");
    sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let bytes = std::fs::read(&tmp.path).unwrap();
    std::fs::write(&tmp.path, &bytes[..bytes.len() / 3]).unwrap();
    let stderr = error_of(&[os("stats"), tmp.path.as_os_str()]);
    assert!(stderr.contains("is damaged"), "{stderr}");
    assert!(stderr.contains("backup"), "{stderr}");
}

#[test]
fn an_archive_cut_short_says_to_copy_it_again() {
    let tmp = common::temp_path("demo.sitat");
    sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let qdpx = tmp.dir.path().join("demo.qdpx");
    let out = Command::new(env!("CARGO_BIN_EXE_sitat"))
        .args([
            os("export"),
            tmp.path.as_os_str(),
            os("--format"),
            os("qdpx"),
        ])
        .arg(&qdpx)
        .output()
        .unwrap();
    assert!(out.status.success());
    let bytes = std::fs::read(&qdpx).unwrap();
    std::fs::write(&qdpx, &bytes[..bytes.len() / 2]).unwrap();
    let fresh = tmp.dir.path().join("fresh.sitat");
    sitat::Project::create(&fresh).unwrap();
    let stderr = error_of(&[os("import"), fresh.as_os_str(), qdpx.as_os_str()]);
    assert!(
        stderr.contains("ends early: it may be incomplete — download or copy"),
        "{stderr}"
    );
}
