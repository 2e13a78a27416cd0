//! `sitat apply` killed with SIGKILL at several moments: every change it acknowledged is in the
//! project exactly once, at most the one in flight is there besides, and `check` passes.
//! (scripts/crash_harness.py does the same a hundred times and more.)

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use sitat::Project;

const LINES: usize = 300;

#[test]
fn sigkill_during_sitat_apply_loses_nothing_acknowledged() {
    let f = common::fixture();
    let path = f.tmp.path.clone();
    let (source, theme) = (f.interview, f.plain);
    let mut project = f.project;
    // Coder 1, which the commands name.
    project
        .code(sitat::NewCoding::new(
            source,
            sitat::model::CharSpan::new(0, 2),
            theme,
        ))
        .unwrap();
    let coder = project.coders().unwrap()[0].id;
    drop(project);

    let mut acknowledged = 0;
    for (round, delay_ms) in [40u64, 120, 250, 400].into_iter().enumerate() {
        let commands = f.tmp.dir.path().join(format!("round{round}.jsonl"));
        let mut file = std::fs::File::create(&commands).unwrap();
        for line in 1..=LINES {
            let start = line % 40;
            writeln!(
                file,
                r#"{{"op":"add_coding","id":0,"source_id":{},"theme_id":{},"coder_id":{},"span":{{"start":{start},"end":{}}},"stance":null,"memo":"r{round} l{line}","created_at_ms":0}}"#,
                source.0,
                theme.0,
                coder.0,
                start + 3
            )
            .unwrap();
        }
        drop(file);
        let mut child = Command::new(env!("CARGO_BIN_EXE_sitat"))
            .arg("apply")
            .arg(&path)
            .arg(&commands)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("applied ")?.parse::<usize>().ok())
                .collect::<Vec<_>>()
        });
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        let acked = reader.join().unwrap();
        acknowledged += acked.len();

        let project = Project::open(&path).unwrap();
        let prefix = format!("r{round} l");
        let mut present = vec![0usize; LINES + 2];
        for coding in project.all_codings().unwrap() {
            if let Some(n) = coding.memo.strip_prefix(&prefix) {
                present[n.parse::<usize>().unwrap()] += 1;
            }
        }
        for &n in &acked {
            assert_eq!(present[n], 1, "round {round}: acknowledged line {n}");
        }
        let last = acked.last().copied().unwrap_or(0);
        for (n, &count) in present.iter().enumerate() {
            if count > 0 && !acked.contains(&n) {
                assert_eq!(
                    n,
                    last + 1,
                    "round {round}: line {n} present, not in flight"
                );
            }
        }
        assert_eq!(project.check().unwrap(), Vec::<String>::new());
        // Each acknowledged change can be undone: its id was given inside the transaction.
        if let Some(&n) = acked.last() {
            let undo = project.undo_summary().unwrap();
            assert!(undo.starts_with("code"), "round {round}, line {n}: {undo}");
        }
    }
    assert!(acknowledged > 0, "no round got as far as one change");
}
