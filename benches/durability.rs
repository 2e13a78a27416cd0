//! Durability benchmark: the time from calling `Project::code` to its return, when the coding
//! is on the disk (WAL with `synchronous=FULL`: the commit waits for the WAL's fsync). Run on
//! the file system of the temp folder, or of `SITAT_BENCH_DIR` if set. Target: p95 ≤ 5 ms.
//!
//! Run: `cargo bench --no-default-features --bench durability`

use std::time::{Duration, Instant};

use sitat::model::*;
use sitat::{NewCoding, NewSource, NewTheme, Project};

const CODINGS: usize = 500;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

fn main() -> sitat::Result<()> {
    let dir = match std::env::var_os("SITAT_BENCH_DIR") {
        Some(dir) => tempfile::tempdir_in(dir),
        None => tempfile::tempdir(),
    }
    .expect("temp dir");
    let path = dir.path().join("durable.sitat");
    let mut project = Project::create(&path)?;
    project.set_coder("bench");
    let theme = project.add_theme(NewTheme {
        name: "Tillit".into(),
        ..Default::default()
    })?;
    let text = "Vi må få gå på skjønn i førstelinja. ".repeat(100);
    let source = project.add_source(NewSource::new(SourceKind::Interview, "Intervju", text))?;

    let mut times = Vec::with_capacity(CODINGS);
    for i in 0..CODINGS {
        let span = CharSpan::new(i, i + 10);
        let started = Instant::now();
        project.code(NewCoding::new(source, span, theme))?;
        times.push(started.elapsed());
    }
    times.sort();
    println!("| operation | n | p50 ms | p95 ms | p99 ms | max ms |");
    println!("| --- | --- | --- | --- | --- | --- |");
    println!(
        "| code one span, durable (WAL, synchronous=FULL) | {CODINGS} | {} | {} | {} | {} |",
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.95)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().expect("timed"))
    );
    assert_eq!(project.all_codings()?.len(), CODINGS);
    Ok(())
}
