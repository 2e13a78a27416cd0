//! Schema migrations: new files, files at each earlier version, files from the future.

mod common;

use rusqlite::Connection;
use sitat::store::{MIGRATIONS, SCHEMA_VERSION, migrate_to, schema_version};
use sitat::{Error, Project};

#[test]
fn a_new_file_is_at_the_current_version() {
    let tmp = common::temp_path("new.sitat");
    drop(Project::create(&tmp.path).unwrap());
    let conn = Connection::open(&tmp.path).unwrap();
    assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn files_at_every_earlier_version_are_migrated_with_their_data() {
    const { assert!(SCHEMA_VERSION >= 2, "there are migrations to test") };
    for version in 1..SCHEMA_VERSION {
        let tmp = common::temp_path("old.sitat");
        {
            let conn = Connection::open(&tmp.path).unwrap();
            migrate_to(&conn, &tmp.path, version).unwrap();
            assert_eq!(schema_version(&conn).unwrap(), version);
            conn.execute("INSERT INTO actors (id, name) VALUES (1, 'KS')", [])
                .unwrap();
        }
        let project = Project::open(&tmp.path).unwrap();
        assert_eq!(
            project.actors().unwrap()[0].name,
            "KS",
            "from version {version}"
        );
        let conn = Connection::open(&tmp.path).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
        let indexes: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'codings_by_theme'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 1, "migration 2 ran on a version-{version} file");
    }
}

/// An empty file is nobody's project yet: opening it must not turn it into one.
#[test]
fn an_empty_database_file_is_refused_untouched() {
    let tmp = common::temp_path("empty.sitat");
    drop(Connection::open(&tmp.path).unwrap());
    let error = Project::open(&tmp.path).err().expect("refused");
    assert!(matches!(error, Error::NotAProject { .. }), "{error}");
    assert_eq!(std::fs::metadata(&tmp.path).unwrap().len(), 0);
    assert_eq!(MIGRATIONS.len() as i64, SCHEMA_VERSION);
}

#[test]
fn a_file_from_a_newer_sitat_is_refused_untouched() {
    let tmp = common::temp_path("future.sitat");
    drop(Project::create(&tmp.path).unwrap());
    {
        let conn = Connection::open(&tmp.path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let error = Project::open(&tmp.path).err().expect("refused");
    assert!(matches!(error, Error::FutureSchema { found, .. } if found == SCHEMA_VERSION + 1));
    assert!(error.to_string().contains("newer Sitat"), "{error}");
    let conn = Connection::open(&tmp.path).unwrap();
    assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION + 1);
}

#[test]
fn other_files_are_refused_with_a_clear_message() {
    let tmp = common::temp_path("notes.sitat");
    std::fs::write(&tmp.path, "these are my notes, not a database\n".repeat(50)).unwrap();
    let error = Project::open(&tmp.path).err().expect("refused");
    assert!(error.to_string().contains("not a Sitat project"), "{error}");

    let other = common::temp_path("other.sqlite");
    {
        let conn = Connection::open(&other.path).unwrap();
        conn.execute("CREATE TABLE invoices (id INTEGER)", [])
            .unwrap();
    }
    let error = Project::open(&other.path).err().expect("refused");
    assert!(error.to_string().contains("not a Sitat project"), "{error}");

    let missing = common::temp_path("missing.sitat");
    assert!(Project::open(&missing.path).is_err());
}
