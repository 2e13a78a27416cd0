//! Disagreements benchmark: a generated project of 50,000 codings (500 interviews of 10
//! paragraphs, 16 persons of 8 actors, 2 axis themes and 3 plain ones, stances −2…+2), ranked
//! per quote and per coding, a later page, positions, and the `sitat disagreements` command.
//! Each step runs as its own process (this benchmark started again with `--step`), so that the
//! table's peak resident memory (Linux `VmHWM`, polled) is that step's alone; the positions steps
//! also say how many pairs enumerating every opposing pair of different actors would build.
//!
//! Run: `cargo bench --no-default-features --bench disagreements`

// Only its random number generator is used here.
#[allow(dead_code)]
mod corpus_gen;

use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use sitat::analysis::{Counting, DisagreementPage, PositionScope, disagreements_page, positions};
use sitat::command::Command;
use sitat::model::*;
use sitat::{NewSource, NewTheme, Project};

const SOURCES: usize = 500;
const PARAGRAPHS: usize = 10;
const CODINGS_PER_SOURCE: usize = 100;
const WORDS: [&str; 10] = [
    "tillit",
    "skjønn",
    "førstelinja",
    "rettigheter",
    "brukerne",
    "reformen",
    "styring",
    "kommunen",
    "æøå",
    "samarbeid",
];

fn build(project: &mut Project) -> sitat::Result<()> {
    let mut persons = Vec::new();
    for a in 0..8 {
        let id = project.add_actor(&format!("Aktør {a}"), "", vec![])?;
        for n in 0..2 {
            persons.push(project.add_person(&format!("Person {a}.{n}"), id, "")?);
        }
    }
    let mut ids = project.ids()?;
    let mut commands = Vec::new();
    let mut themes = Vec::new();
    for t in 0..5 {
        let poles = (t < 2).then(|| Poles {
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
        themes.push((id, t < 2));
        commands.push(command);
    }
    let (coder, coder_commands) = project.coder_commands(&mut ids)?;
    commands.extend(coder_commands);
    let mut rng = corpus_gen::Rng::new(11);
    let mut next = move || rng.next();
    for s in 0..SOURCES {
        let mut text = String::new();
        let mut turns = Vec::new();
        let mut chars = 0;
        for turn in 0..PARAGRAPHS {
            let start = chars;
            for _ in 0..40 {
                let w = WORDS[(next() % WORDS.len() as u64) as usize];
                text.push_str(w);
                text.push(' ');
                chars += w.chars().count() + 1;
            }
            text.push_str("\n\n");
            chars += 2;
            turns.push((
                CharSpan::new(start, chars - 2),
                persons[(s * 3 + turn) % persons.len()],
            ));
        }
        let mut new = NewSource::new(SourceKind::Interview, format!("Intervju {s}"), text);
        new.turns = turns;
        let (source_id, command) = Project::add_source_command(&mut ids, new);
        commands.push(command);
        for c in 0..CODINGS_PER_SOURCE {
            let start = (next() % (chars as u64 - 60)) as usize;
            // Four in five codings on an axis, most of them with a stance.
            let (theme_id, axis) = themes[if c % 5 == 4 { 2 + c % 3 } else { c % 2 }];
            let stance = (axis && c % 7 != 0)
                .then(|| Stance::new((next() % 5) as i64 - 2))
                .flatten();
            commands.push(Command::AddCoding(Coding {
                id: ids.coding(),
                source_id,
                theme_id,
                coder_id: coder,
                span: CharSpan::new(start, start + 20 + (next() % 40) as usize),
                stance,
                memo: String::new(),
                created_at_ms: 1_700_000_000_000,
            }));
        }
    }
    project.apply(Command::Batch {
        label: "benchmark corpus".into(),
        commands,
    })
}

/// Peak resident memory of a process, in MiB (Linux).
fn peak_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Runs `program args` as its own process, so that its peak memory is its own; returns the wall
/// time, the peak (polled every few milliseconds) and what it printed.
fn measure(program: &std::path::Path, args: &[&str]) -> (Duration, Option<f64>, String) {
    let t = Instant::now();
    let mut child = Process::new(program)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the step runs");
    // Read what it prints while it runs: a full pipe would stop it.
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut out);
        out
    });
    let mut peak: Option<f64> = None;
    let status = loop {
        if let Some(p) = peak_mib(child.id()) {
            peak = Some(peak.map_or(p, |q: f64| q.max(p)));
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let elapsed = t.elapsed();
    let mut out = reader.join().unwrap_or_default();
    if !status.success() {
        out = format!("FAILED ({status})");
    }
    (elapsed, peak, out)
}

fn disagreement_counts(axes: &[sitat::analysis::AxisDisagreements]) -> String {
    let groups: usize = axes.iter().map(|a| a.actor_pairs.len()).sum();
    let rows: usize = axes
        .iter()
        .flat_map(|a| &a.actor_pairs)
        .map(|g| g.pairs.len())
        .sum();
    let total: usize = axes
        .iter()
        .flat_map(|a| &a.actor_pairs)
        .map(|g| g.total_pairs)
        .sum();
    format!("{groups} actor pairs, {rows} rows shown of {total}")
}

/// One step, in this process (started by `main` as a child).
fn run_step(step: &str, db: &str) -> String {
    let project = Project::open(db).expect("project");
    let page = |offset, limit, counting| DisagreementPage {
        offset,
        limit,
        counting,
    };
    match step {
        "positions-coding" | "positions-quote" => {
            let counting = if step == "positions-coding" {
                Counting::Codings
            } else {
                Counting::Quotes
            };
            let axes = positions(
                &project,
                &PositionScope {
                    counting,
                    ..Default::default()
                },
            )
            .expect("positions");
            let quotes: usize = axes
                .iter()
                .flat_map(|a| &a.actors)
                .map(|a| a.stances.len())
                .sum();
            // What enumerating every opposing pair of different actors would have built.
            let enumerated: usize = axes
                .iter()
                .map(|axis| {
                    let lean = |sign: f64| -> Vec<usize> {
                        axis.actors
                            .iter()
                            .map(|a| a.stances.iter().filter(|q| q.stance * sign > 0.0).count())
                            .collect()
                    };
                    let (negative, positive) = (lean(-1.0), lean(1.0));
                    let mut pairs = 0;
                    for (n, neg) in negative.iter().enumerate() {
                        for (p, pos) in positive.iter().enumerate() {
                            if n != p {
                                pairs += neg * pos;
                            }
                        }
                    }
                    pairs
                })
                .sum();
            format!(
                "{quotes} {}s with a stance; enumerating all opposing pairs: {enumerated}",
                counting.noun()
            )
        }
        "page-quote" => disagreement_counts(
            &disagreements_page(&project, &page(0, 10, Counting::Quotes)).expect("page"),
        ),
        "page-coding" => disagreement_counts(
            &disagreements_page(&project, &page(0, 10, Counting::Codings)).expect("page"),
        ),
        "page-coding-later" => disagreement_counts(
            &disagreements_page(&project, &page(500, 100, Counting::Codings)).expect("page"),
        ),
        other => panic!("unknown step {other}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, step, db] = args.as_slice()
        && flag == "--step"
    {
        print!("{}", run_step(step, db));
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("bench.sitat");
    let mut project = Project::create(&db).expect("project");
    let t = Instant::now();
    build(&mut project).expect("corpus");
    let stances = project
        .all_codings()
        .expect("codings")
        .iter()
        .filter(|c| c.stance.is_some())
        .count();
    drop(project);
    println!(
        "built {SOURCES} sources, {} codings ({stances} with a stance) in {:.1} s",
        SOURCES * CODINGS_PER_SOURCE,
        t.elapsed().as_secs_f64()
    );
    println!("each step is its own process: open the project, compute, print\n");
    println!(
        "| {:<48} | {:>8} | {:>9} | result",
        "step", "time", "peak RSS"
    );
    println!(
        "|{}|{}|{}|--------",
        "-".repeat(50),
        "-".repeat(10),
        "-".repeat(11)
    );
    let me = std::env::current_exe().expect("this benchmark's path");
    let db = db.to_str().expect("utf-8 path");
    let steps = [
        ("positions-coding", "positions, per coding"),
        ("positions-quote", "positions, per quote"),
        ("page-quote", "disagreements, per quote, 10 rows per pair"),
        ("page-coding", "disagreements, per coding, 10 rows per pair"),
        (
            "page-coding-later",
            "disagreements, per coding, rows 501–600",
        ),
    ];
    let print = |name: &str, (time, peak, out): (Duration, Option<f64>, String)| {
        let peak = peak.map_or("–".to_string(), |p| format!("{p:.0} MiB"));
        println!(
            "| {name:<48} | {:>6.2} s | {peak:>9} | {out}",
            time.as_secs_f64()
        );
    };
    for (step, name) in steps {
        print(name, measure(&me, &["--step", step, db]));
    }
    let sitat = std::path::Path::new(env!("CARGO_BIN_EXE_sitat"));
    let (time, peak, out) = measure(sitat, &["disagreements", db]);
    let lines = if out.starts_with("FAILED") {
        out
    } else {
        format!("exit 0, {} lines", out.lines().count())
    };
    print("`sitat disagreements PROJECT`", (time, peak, lines));
}
