//! Export benchmark: 100,000 coded excerpts to CSV and XLSX (and the other excerpt formats, and
//! the whole project to REFI-QDA), timed end to end through `export::export` — the query that
//! resolves persons through speaker turns included. Target: CSV ≤ 0.5 s.
//!
//! Run: `cargo bench --no-default-features --bench export`

// Only its random number generator is used here.
#[allow(dead_code)]
mod corpus_gen;

use std::time::Instant;

use sitat::command::Command;
use sitat::export::{self, ExportFormat};
use sitat::model::*;
use sitat::{CodingFilter, NewSource, NewTheme, Project};

const SOURCES: usize = 1_000;
const CODINGS_PER_SOURCE: usize = 100;
const WORDS: [&str; 12] = [
    "tillit",
    "skjønn",
    "førstelinja",
    "rettigheter",
    "brukerne",
    "reformen",
    "styring",
    "kommunen",
    "æøå",
    "😀",
    "samarbeid",
    "ledelse",
];

fn build(project: &mut Project) -> sitat::Result<()> {
    let mut actors = Vec::new();
    let mut persons = Vec::new();
    for a in ["KDD", "LO", "KS", "FFO"] {
        let id = project.add_actor(a, "", vec![])?;
        actors.push(id);
        for n in 0..2 {
            persons.push(project.add_person(&format!("{a} person {n}"), id, "")?);
        }
    }
    let mut ids = project.ids()?;
    let mut commands = Vec::new();
    let mut themes = Vec::new();
    for t in 0..10 {
        let poles = (t < 3).then(|| Poles {
            negative: format!("minus {t}"),
            positive: format!("pluss {t}"),
        });
        let (id, command) = project.add_theme_command(
            &mut ids,
            NewTheme {
                name: format!("Tema {t}"),
                poles,
                ..Default::default()
            },
        )?;
        themes.push((id, t < 3));
        commands.push(command);
    }
    let (coder, coder_commands) = project.coder_commands(&mut ids)?;
    commands.extend(coder_commands);
    let mut rng = corpus_gen::Rng::new(7);
    let mut next = move || rng.next();
    for s in 0..SOURCES {
        let mut text = String::new();
        let mut turns = Vec::new();
        let mut chars = 0;
        for turn in 0..10 {
            let start = chars;
            let label = if turn % 2 == 0 { "I: " } else { "R: " };
            text.push_str(label);
            chars += 3;
            for _ in 0..30 {
                let w = WORDS[(next() % WORDS.len() as u64) as usize];
                text.push_str(w);
                text.push(' ');
                chars += w.chars().count() + 1;
            }
            text.push('\n');
            chars += 1;
            turns.push((
                CharSpan::new(start, chars - 1),
                persons[(s + turn) % persons.len()],
            ));
        }
        let mut new = NewSource::new(SourceKind::Interview, format!("Intervju {s}"), text);
        new.turns = turns;
        let (source_id, command) = Project::add_source_command(&mut ids, new);
        commands.push(command);
        for c in 0..CODINGS_PER_SOURCE {
            let start = (next() % (chars as u64 - 60)) as usize;
            let (theme_id, axis) = themes[c % themes.len()];
            commands.push(Command::AddCoding(Coding {
                id: ids.coding(),
                source_id,
                theme_id,
                coder_id: coder,
                span: CharSpan::new(start, start + 20 + (next() % 40) as usize),
                stance: if axis {
                    Stance::new((next() % 5) as i64 - 2)
                } else {
                    None
                },
                memo: if c % 10 == 0 {
                    "et notat".into()
                } else {
                    String::new()
                },
                created_at_ms: 1_700_000_000_000,
            }));
        }
    }
    project.apply(Command::Batch {
        label: "benchmark corpus".into(),
        commands,
    })
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    // SITAT_BENCH_DB=path keeps the generated project for a closer look.
    let db = std::env::var_os("SITAT_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("bench.sitat"));
    let mut project = Project::create(db).expect("project");
    let t = Instant::now();
    build(&mut project).expect("corpus");
    println!(
        "built {} sources, {} codings in {:.2} s\n",
        SOURCES,
        SOURCES * CODINGS_PER_SOURCE,
        t.elapsed().as_secs_f64()
    );
    let filter = CodingFilter::default();
    let t = Instant::now();
    let excerpts = project.excerpts(&filter).expect("excerpts");
    let n = excerpts.len();
    let query = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut csv_bytes = Vec::with_capacity(16 << 20);
    export::write_excerpts_csv(&mut csv_bytes, &excerpts).expect("csv");
    let csv_in_memory = t.elapsed().as_secs_f64();
    drop(excerpts);
    println!("| format | excerpts | time (s) | size (MB) | note |");
    println!("| --- | ---: | ---: | ---: | --- |");
    println!("| (query only) | {n} | {query:.3} | – | Project::excerpts |");
    println!(
        "| (CSV into memory only) | {n} | {csv_in_memory:.3} | {:.1} | write_excerpts_csv |",
        csv_bytes.len() as f64 / 1e6
    );
    for format in [
        ExportFormat::Csv,
        ExportFormat::Xlsx,
        ExportFormat::Json,
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Qdpx,
    ] {
        let out = dir.path().join(format!("out.{}", format.extension()));
        let t = Instant::now();
        let report = export::export(&project, format, &filter, &out).expect("export");
        let secs = t.elapsed().as_secs_f64();
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
        let note = match format {
            ExportFormat::Csv if secs <= 0.5 => "target ≤ 0.5 s: met",
            ExportFormat::Csv => "target ≤ 0.5 s: MISSED",
            ExportFormat::Xlsx => "all excerpts + one sheet per theme",
            ExportFormat::Qdpx => "whole project",
            _ => "",
        };
        println!(
            "| {} | {} | {secs:.3} | {size:.1} | {note} |",
            format.name(),
            report.excerpts
        );
    }
}
