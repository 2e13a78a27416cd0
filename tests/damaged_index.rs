//! A damaged search index — any segment file truncated, zeroed or garbled, while the index was
//! closed or while it is open — is moved aside and rebuilt from the project, and a search then
//! finds exactly what it found before. Nothing panics.

mod common;

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use sitat::index::{RebuildReason, SearchIndex};
use sitat::{Error, Project};

const KINDS: [&str; 6] = ["idx", "term", "pos", "store", "fast", "fieldnorm"];
const QUERY: &str = "tillit";

#[derive(Debug, Clone, Copy)]
enum Damage {
    Truncate,
    Zero,
    Garble,
}

fn damage(path: &Path, how: Damage) {
    let len = std::fs::metadata(path).unwrap().len();
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    match how {
        Damage::Truncate => file.set_len(len / 2).unwrap(),
        Damage::Zero => file.write_all(&vec![0; len as usize]).unwrap(),
        Damage::Garble => {
            // 64 bytes of noise at the start of the file's data, where its header is read.
            let noise: Vec<u8> = (0..64u32).map(|i| (i * 151 + 7) as u8).collect();
            file.seek(SeekFrom::Start(0)).unwrap();
            file.write_all(&noise[..noise.len().min(len as usize)])
                .unwrap();
        }
    }
    file.sync_all().unwrap();
}

/// The first segment file of a kind.
fn segment_file(dir: &Path, kind: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == kind))
        .unwrap_or_else(|| panic!("no .{kind} file in {}", dir.display()))
}

/// What a search finds, as comparable text.
fn found(index: &SearchIndex, project: &Project) -> Vec<String> {
    let results = index.search(project, QUERY, 500).unwrap();
    results
        .hits
        .iter()
        .map(|h| format!("{} {}", h.source_id.0, h.span))
        .collect()
}

/// Opens (building if needed) and waits until one merged segment is on the disk.
fn settled(project: &Project) -> SearchIndex {
    let mut index = SearchIndex::open_or_rebuild(project, &|_| {}).unwrap();
    index.wait_for_merge().unwrap();
    index
}

#[test]
fn each_segment_file_damaged_while_closed_is_rebuilt() {
    let tmp = common::temp_path("damaged.sitat");
    let project = sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let dir = SearchIndex::dir_for(&tmp.path);
    let expected = found(&settled(&project), &project);
    assert!(expected.len() > 3, "{expected:?}");
    for kind in KINDS {
        for how in [Damage::Truncate, Damage::Zero, Damage::Garble] {
            damage(&segment_file(&dir, kind), how);
            let index = settled(&project);
            assert!(
                matches!(index.open_report().rebuilt, Some(RebuildReason::Corrupt(_))),
                ".{kind} {how:?}: {:?}",
                index.open_report().rebuilt
            );
            let note = index.open_report().damage_note().unwrap();
            assert!(note.contains("rebuilt from the project"), "{note}");
            assert!(dir.with_file_name("damaged.sitat.index.damaged").is_dir());
            assert_eq!(found(&index, &project), expected, ".{kind} {how:?}");
            drop(index);
            // The rebuilt index opens as it is, without a second rebuild.
            let index = settled(&project);
            assert_eq!(index.open_report().rebuilt, None, ".{kind} {how:?}");
        }
    }
}

#[test]
fn a_fast_file_garbled_while_open_is_found_by_the_search_and_rebuilt() {
    let tmp = common::temp_path("open.sitat");
    let project = sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let dir = SearchIndex::dir_for(&tmp.path);
    let expected = found(&settled(&project), &project);
    let index = settled(&project);
    damage(&segment_file(&dir, "fast"), Damage::Garble);
    // The garbled header is read by the search (the file is mapped into memory): tantivy
    // panics there, and the panic comes back as an error that names the damage.
    let Err(error) = index.search(&project, QUERY, 500) else {
        panic!("the garbled .fast file was not noticed");
    };
    assert!(matches!(error, Error::DamagedIndex(_)), "{error}");
    assert!(index.is_damaged());
    index.set_aside().unwrap();
    let index = settled(&project);
    assert_eq!(found(&index, &project), expected);
}

#[test]
fn cli_search_on_a_damaged_index_says_so_once_and_finds_the_hits() {
    let tmp = common::temp_path("cli.sitat");
    let path = tmp.path.to_str().unwrap();
    let sitat = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sitat"))
            .args(args)
            .output()
            .unwrap()
    };
    assert!(sitat(&["demo", path]).status.success());
    let first = sitat(&["search", path, QUERY]);
    assert!(first.status.success());
    let dir = SearchIndex::dir_for(&tmp.path);
    {
        let project = Project::open(&tmp.path).unwrap();
        settled(&project);
    }
    damage(&segment_file(&dir, "fast"), Damage::Garble);
    let second = sitat(&["search", path, QUERY]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("rebuilt from the project"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(second.stdout, first.stdout);
    let third = sitat(&["search", path, QUERY]);
    assert!(
        third.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&third.stderr)
    );
}
