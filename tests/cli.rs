//! The `sitat` binary: each subcommand on the demo, and bad input.

mod common;

use std::process::{Command, Output};

fn sitat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitat"))
        .args(args)
        .env("SITAT_CODER", "cli-test")
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = sitat(args);
    assert!(
        out.status.success(),
        "sitat {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str], message: &str) {
    let out = sitat(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "sitat {args:?} should fail");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(message), "expected {message:?} in {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn each_subcommand_on_the_demo() {
    let tmp = common::temp_path("demo.sitat");
    let demo = tmp.path.to_str().unwrap();
    assert!(ok(&["demo", demo]).contains("wrote the demo project"));

    let stats = ok(&["stats", demo]);
    assert!(
        stats.contains("persons") && stats.contains("KDD"),
        "{stats}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["stats", demo, "--format", "json"])).unwrap();
    assert_eq!(json["persons"], 7);
    assert_eq!(json["actors"], 4);

    let sources = ok(&["sources", demo]);
    assert!(sources.lines().count() > 50);
    assert!(ok(&["themes", demo]).contains("Regler/rettigheter"));

    let csv = ok(&["codings", demo, "--actor", "FFO", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    for column in [
        "theme", "actor", "person", "source", "stance", "start", "end", "quote",
    ] {
        assert!(headers.iter().any(|h| h == column), "column {column}");
    }
    let rows: Vec<_> = reader.records().map(|r| r.unwrap()).collect();
    assert!(!rows.is_empty());
    let actor = headers.iter().position(|h| h == "actor").unwrap();
    assert!(rows.iter().all(|r| &r[actor] == "FFO"));

    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "codings",
        demo,
        "--theme",
        "brukermedvirkning",
        "--format",
        "json",
    ]))
    .unwrap();
    let rows = json.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["theme"] == "Brukermedvirkning"));

    let coded = ok(&[
        "code",
        demo,
        "--source",
        "1",
        "--start",
        "0",
        "--end",
        "8",
        "--theme",
        "Brukermedvirkning",
        "--memo",
        "fra CLI",
    ]);
    assert!(coded.starts_with("coding "), "{coded}");
    let axis = "Regler/rettigheter ↔ Skjønn";
    ok(&[
        "code", demo, "--source", "1", "--start", "2", "--end", "9", "--theme", axis, "--stance",
        "-2",
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["codings", demo, "--theme", axis, "--format", "json"])).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|r| r["stance"] == -2 && r["coder"] == "cli-test" && r["start"] == 2)
    );

    assert!(ok(&["check", demo]).starts_with("ok"));
}

#[test]
fn new_and_import() {
    let tmp = common::temp_path("new.sitat");
    let project = tmp.path.to_str().unwrap();
    ok(&["new", project]);
    fails(&["new", project], "exists already");

    let text = tmp.dir.path().join("intervju.txt");
    std::fs::write(&text, "Spørsmål: hvordan?\r\nSvar: med tillit 😀\r\n").unwrap();
    let latin1 = tmp.dir.path().join("gammel.txt");
    std::fs::write(&latin1, b"bl\xe5b\xe6r og r\xf8mme").unwrap();
    let out = ok(&[
        "import",
        project,
        text.to_str().unwrap(),
        latin1.to_str().unwrap(),
    ]);
    assert!(out.contains("imported intervju as source 1"), "{out}");
    assert!(out.contains("Windows-1252"), "{out}");
    let sources = ok(&["sources", project]);
    assert!(sources.contains("gammel") && sources.contains("intervju"));
}

#[test]
fn bad_input_exits_non_zero_with_a_clear_message() {
    let tmp = common::temp_path("demo.sitat");
    let demo = tmp.path.to_str().unwrap();
    ok(&["demo", demo]);

    let missing = tmp.dir.path().join("finnes-ikke.txt");
    fails(
        &["import", demo, missing.to_str().unwrap()],
        "could not read",
    );
    // Exports say which file they could not write, and that a folder is not a file.
    let folder = tmp.dir.path().to_str().unwrap();
    fails(&["export", "--format", "csv", demo, folder], "is a folder");
    let nowhere = "/proc/sitat-export.csv";
    let written = format!("could not write {nowhere}");
    fails(&["export", "--format", "csv", demo, nowhere], &written);
    let binary = tmp.dir.path().join("bilde.txt");
    std::fs::write(&binary, [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0]).unwrap();
    fails(&["import", demo, binary.to_str().unwrap()], "binary");
    let docx = tmp.dir.path().join("rapport.docx");
    std::fs::write(&docx, b"PK\x03\x04").unwrap();
    fails(
        &["import", demo, docx.to_str().unwrap()],
        "ends early: it may be incomplete",
    );
    let empty = tmp.dir.path().join("tom.txt");
    std::fs::write(&empty, "  \n").unwrap();
    fails(&["import", demo, empty.to_str().unwrap()], "empty");

    fails(
        &[
            "code",
            demo,
            "--source",
            "1",
            "--start",
            "0",
            "--end",
            "999999",
            "--theme",
            "Brukermedvirkning",
        ],
        "outside source",
    );
    fails(
        &[
            "code",
            demo,
            "--source",
            "1",
            "--start",
            "0",
            "--end",
            "5",
            "--theme",
            "Finnes ikke",
        ],
        "no theme named",
    );
    fails(
        &[
            "code",
            demo,
            "--source",
            "1",
            "--start",
            "0",
            "--end",
            "5",
            "--theme",
            "Brukermedvirkning",
            "--stance",
            "1",
        ],
        "not an axis theme",
    );
    fails(
        &["codings", demo, "--actor", "NHO", "--format", "json"],
        "no actor named",
    );
    fails(
        &["stats", tmp.dir.path().join("nope.sitat").to_str().unwrap()],
        "could not read",
    );
    let not_db = tmp.dir.path().join("notes.sitat");
    std::fs::write(&not_db, "plain text, not a project ".repeat(100)).unwrap();
    fails(&["check", not_db.to_str().unwrap()], "not a Sitat project");
    // The demo is untouched by all that.
    assert!(ok(&["check", demo]).starts_with("ok"));
}

#[test]
fn export_csv_with_bom_is_read_by_excel_as_utf8() {
    let tmp = common::temp_path("demo.sitat");
    let demo = tmp.path.to_str().unwrap();
    ok(&["demo", demo]);
    let out = tmp.dir.path().join("utdrag.csv");
    let said = ok(&[
        "export",
        demo,
        "--format",
        "csv",
        "--bom",
        out.to_str().unwrap(),
    ]);
    assert!(said.contains(out.to_str().unwrap()), "{said}");
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "begins with the UTF-8 byte-order mark"
    );
    // The mark comes once; the rest reads as the plain CSV does.
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert!(reader.headers().unwrap().iter().any(|h| h == "quote"));
    assert!(reader.records().count() > 10);
    assert!(String::from_utf8(bytes).unwrap().contains('ø'));

    let plain = tmp.dir.path().join("plain.csv");
    ok(&["export", demo, "--format", "csv", plain.to_str().unwrap()]);
    assert_ne!(&std::fs::read(&plain).unwrap()[..3], b"\xEF\xBB\xBF");
    fails(
        &["export", demo, "--format", "xlsx", "--bom", "x.xlsx"],
        "--bom",
    );
}

/// A transcript's unknown speakers are listed once, with how to attribute them next time.
#[test]
fn importing_a_transcript_names_its_unknown_speakers_and_how_to_map_them() {
    let tmp = common::temp_path("speakers.sitat");
    let project = tmp.path.to_str().unwrap();
    ok(&["new", project]);
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("Intervju.txt");
    std::fs::write(
        &transcript,
        "I: Hva betyr reformen?\r\n\r\nR: Vi må få gå på skjønn 😊\r\n\r\nI: Og så?\r\n\r\nR: Tillit.\r\n",
    )
    .unwrap();
    let out = ok(&["import", project, transcript.to_str().unwrap()]);
    assert!(
        out.contains("unknown speakers (turns not attributed): I, R"),
        "{out}"
    );
    assert_eq!(out.matches("I, R").count(), 1, "listed once: {out}");
    assert!(out.contains("--speaker LABEL=PERSON"), "{out}");
}
