//! Search benchmark: Sitat's index vs SQLite FTS5 vs a regex scan over every source, on one
//! generated corpus and one query set, in one run.
//!
//! `cargo bench --no-default-features --bench search` (1M words);
//! `SITAT_BENCH_WORDS=10000000 cargo bench …` for the stress corpus;
//! `SITAT_BENCH_TURNS=1 cargo bench …` to have the engines take turns query by query (caches
//! cooled by the others) instead of each running a query back to back in rounds.
//!
//! Each engine warms up on each query for 20 ms (at least three runs) before its runs are
//! timed; `SITAT_BENCH_WARMUP_MS=0` warms up with three runs only. The engines' runs are then
//! timed in ten rounds, each engine running for 10 ms in each, so that all are timed over the
//! same stretch of time on a machine whose speed changes from moment to moment.
//!
//! For comparing builds and profiling: `SITAT_QUICK=1` (Sitat's percentiles per query, see
//! [`quick`]) and `SITAT_PROFILE='query'` (see [`profile`]); with `SITAT_BENCH_DIR=DIR` both
//! keep the corpus and its index in DIR between runs. Instructions per search, which unlike
//! times do not move with the machine's load:
//! `SITAT_BENCH_DIR=DIR SITAT_PROFILE='tillit actor:KS' SITAT_PROFILE_RUNS=501 valgrind
//! --tool=callgrind --toggle-collect='*SearchIndex*search_timed*' BENCH_BINARY`, less the
//! same with `SITAT_PROFILE_RUNS=1` (which reads what searches keep of a segment), over 500.

mod corpus_gen;

use std::time::{Duration, Instant};

use regex::Regex;
use rusqlite::Connection;
use sitat::Project;
use sitat::index::{SearchIndex, SearchTimings};

// The allocator Sitat ships with (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const LIMIT: usize = 100;

struct Case {
    label: &'static str,
    sitat: &'static str,
    fts5: &'static str,
    regex: &'static str,
    actor: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        label: "rare word",
        sitat: "rettighetsfesting",
        fts5: "rettighetsfesting",
        regex: r"(?i)\brettighetsfesting\b",
        actor: None,
    },
    Case {
        label: "common word",
        sitat: "tillit",
        fts5: "tillit",
        regex: r"(?i)\btillit\b",
        actor: None,
    },
    Case {
        label: "phrase",
        sitat: "\"økt handlingsrom\"",
        fts5: "\"økt handlingsrom\"",
        regex: r"(?i)\bøkt\s+handlingsrom\b",
        actor: None,
    },
    Case {
        label: "prefix",
        sitat: "skjønn*",
        fts5: "skjønn*",
        regex: r"(?i)\bskjønn\w*",
        actor: None,
    },
    Case {
        label: "compound",
        sitat: "medvirkning",
        // FTS5 has no compound matching: the whole word only (it misses brukermedvirkning).
        fts5: "medvirkning",
        regex: r"(?i)\w*medvirkning\w*",
        actor: None,
    },
    Case {
        label: "actor-filtered",
        sitat: "tillit actor:KS",
        fts5: "body:tillit AND actor:KS",
        regex: r"(?i)\btillit\b",
        actor: Some("KS"),
    },
    Case {
        label: "exact word (quoted)",
        sitat: "\"medvirkning\"",
        fts5: "medvirkning",
        regex: r"(?i)\bmedvirkning\b",
        actor: None,
    },
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Runs `f` `warmup + n` times; returns (p50, p95) of the last `n` and the last result.
fn measure<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut last = f();
    for _ in 0..3 {
        last = f();
    }
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        last = std::hint::black_box(f());
        times.push(t.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95), last)
}

fn us(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 10_000.0 {
        format!("{:.1} ms", us / 1000.0)
    } else if us >= 100.0 {
        format!("{us:.0} µs")
    } else {
        // Short searches differ by tenths of a microsecond from build to build.
        format!("{us:.1} µs")
    }
}

/// The median of each phase of Sitat's searches: "compile / matching / hits".
fn phase_medians(phases: &[SearchTimings]) -> String {
    let phase = |f: fn(&SearchTimings) -> Duration| us(median(phases.iter().map(f).collect()));
    format!(
        "{} / {} / {}",
        phase(|t| t.compile),
        phase(|t| t.matching),
        phase(|t| t.hits)
    )
}

/// SITAT_PROFILE='query' runs that query for 10 s (or `SITAT_PROFILE_RUNS` times, for
/// `valgrind --tool=callgrind`) and stops: a loop to put under a profiler.
fn profile(index: &SearchIndex, project: &Project, q: &str) {
    let runs: Option<u32> = std::env::var("SITAT_PROFILE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok());
    let t = Instant::now();
    let mut n = 0;
    while runs.map_or(t.elapsed() < Duration::from_secs(10), |runs| n < runs) {
        index.search(project, q, LIMIT).expect("search");
        n += 1;
    }
    println!("{q}: {n} searches, {} each", us(t.elapsed() / n.max(1)));
}

/// SITAT_QUICK=1 prints Sitat's percentiles and phases per query over 2 s each and stops: for
/// comparing two builds, steadier than one run's percentiles on a shared machine.
/// SITAT_QUERIES='a;b actor:KS' runs those queries instead of the benchmark's; SITAT_SERIES=F
/// writes each query's times in the order run to F.LABEL (to see when a run was slow).
fn quick(index: &SearchIndex, project: &Project) {
    let asked = std::env::var("SITAT_QUERIES").ok();
    let queries: Vec<(&str, &str)> = match &asked {
        Some(list) => list.split(';').map(|q| (q, q)).collect(),
        None => CASES.iter().map(|c| (c.label, c.sitat)).collect(),
    };
    for (label, query) in queries {
        let t = Instant::now();
        let mut times = Vec::new();
        let mut phases = Vec::new();
        while t.elapsed() < Duration::from_secs(2) {
            let one = Instant::now();
            let (_, timings) = index.search_timed(project, query, LIMIT).expect("search");
            times.push(one.elapsed());
            phases.push(timings);
        }
        if let Ok(f) = std::env::var("SITAT_SERIES") {
            let out: Vec<String> = times.iter().map(|t| format!("{}", t.as_nanos())).collect();
            std::fs::write(format!("{f}.{}", label.replace(' ', "_")), out.join("\n")).ok();
        }
        times.sort();
        println!(
            "{:<22} p10 {:>8}  p50 {:>8}  p80 {:>8}  p90 {:>8}  p95 {:>8}  p99 {:>8}  {}",
            label,
            us(percentile(&times, 0.1)),
            us(percentile(&times, 0.5)),
            us(percentile(&times, 0.8)),
            us(percentile(&times, 0.9)),
            us(percentile(&times, 0.95)),
            us(percentile(&times, 0.99)),
            phase_medians(&phases)
        );
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let words: usize = std::env::var("SITAT_BENCH_WORDS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    // The quick and profiling modes search a corpus kept in SITAT_BENCH_DIR when it is set
    // (generated there at the first run, of SITAT_BENCH_WORDS then: empty the folder to
    // change it), and time nothing else.
    let profiled = std::env::var("SITAT_PROFILE").ok();
    if profiled.is_some() || std::env::var_os("SITAT_QUICK").is_some() {
        let kept = std::env::var_os("SITAT_BENCH_DIR").map(std::path::PathBuf::from);
        let path = kept.as_deref().unwrap_or(dir.path()).join("bench.sitat");
        if !path.exists() {
            corpus_gen::generate(&path, words, 2022);
        }
        let project = Project::open(&path).expect("open");
        let mut index = SearchIndex::open_or_rebuild(&project, &|_| {}).expect("index");
        index.wait_for_merge().expect("merge");
        match profiled {
            Some(q) => profile(&index, &project, &q),
            None => quick(&index, &project),
        }
        return;
    }
    let path = dir.path().join("bench.sitat");

    let t = Instant::now();
    let (project, total_words) = corpus_gen::generate(&path, words, 2022);
    let sources = project.all_sources().expect("sources");
    println!(
        "corpus: {} words, {} sources, {:.1} MB, generated in {:.1} s",
        total_words,
        sources.len(),
        sources.iter().map(|s| s.text.len()).sum::<usize>() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    // Full (re)index: the first build, then two rebuilds of the same index. Each is searchable
    // when `rebuild` returns; its segments are then merged into one in the background, which
    // is waited for (and timed) apart.
    let t = Instant::now();
    let mut index = SearchIndex::open_or_rebuild(&project, &|_| {}).expect("index");
    let mut reindex = vec![t.elapsed()];
    let mut merged = Vec::new();
    index.wait_for_merge().expect("merge");
    merged.push(t.elapsed());
    for _ in 0..2 {
        let t = Instant::now();
        index.rebuild(&project, &|_| {}).expect("rebuild");
        reindex.push(t.elapsed());
        index.wait_for_merge().expect("merge");
        merged.push(t.elapsed());
    }
    // SITAT_PROFILE_REINDEX=1 rebuilds for 10 s and stops: a loop to put under `perf`.
    if std::env::var_os("SITAT_PROFILE_REINDEX").is_some() {
        let t = Instant::now();
        let mut n = 0;
        while t.elapsed() < Duration::from_secs(10) {
            index.rebuild(&project, &|_| {}).expect("rebuild");
            n += 1;
        }
        // Each rebuild first waits for the merge of the one before.
        println!("{n} rebuilds and merges, {} each", us(t.elapsed() / n));
        return;
    }
    let reindex = median(reindex);
    let merged = median(merged);
    let documents = index.documents();
    drop(index);
    drop(project);

    // Open of store + index (the index is current, so nothing is rebuilt).
    // Then a first search: it reads what searches keep of each segment (paragraph facts, actor
    // ranges, the terms hashed) and the hit sources' texts.
    let (mut opens, mut firsts) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        let project = Project::open(&path).expect("open");
        let index = SearchIndex::open_or_rebuild(&project, &|_| {}).expect("open index");
        opens.push(t.elapsed());
        assert!(index.open_report().rebuilt.is_none());
        let t = Instant::now();
        index
            .search(&project, CASES[0].sitat, LIMIT)
            .expect("first search");
        firsts.push(t.elapsed());
    }
    let open = median(opens);
    let first_search = median(firsts);
    let project = Project::open(&path).expect("open");
    let index = SearchIndex::open_or_rebuild(&project, &|_| {}).expect("open index");
    let segments = index.segment_sizes();

    // FTS5 over the same paragraphs, with the actor as a column for the filtered query.
    let actors = project.actors().expect("actors");
    let persons = project.persons().expect("persons");
    let actor_of = |s: &sitat::model::Source| -> String {
        s.person_id
            .and_then(|p| persons.iter().find(|x| x.id == p))
            .and_then(|p| actors.iter().find(|a| a.id == p.actor_id))
            .map(|a| a.name.clone())
            .unwrap_or_default()
    };
    let fts = Connection::open(dir.path().join("fts.sqlite")).expect("fts db");
    fts.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
         CREATE VIRTUAL TABLE fts USING fts5(body, actor, source_id UNINDEXED, start UNINDEXED,
           tokenize = 'unicode61 remove_diacritics 0');",
    )
    .expect("fts5");
    let t = Instant::now();
    {
        let tx = fts.unchecked_transaction().expect("tx");
        let mut insert = tx
            .prepare("INSERT INTO fts (body, actor, source_id, start) VALUES (?1, ?2, ?3, ?4)")
            .expect("insert");
        for s in &sources {
            let actor = actor_of(s);
            for span in sitat::text::paragraph_spans(&s.text) {
                let body = sitat::text::slice_chars(&s.text, span).expect("span");
                insert
                    .execute(rusqlite::params![body, actor, s.id.0, span.start as i64])
                    .expect("row");
            }
        }
        drop(insert);
        tx.commit().expect("commit");
    }
    fts.execute_batch("INSERT INTO fts(fts) VALUES('optimize');")
        .expect("optimize");
    let fts_build = t.elapsed();

    // The regex scan's input: every source's text, with its actor.
    let texts: Vec<(String, &str)> = sources
        .iter()
        .map(|s| (actor_of(s), s.text.as_str()))
        .collect();

    println!(
        "index: {documents} paragraph documents in segments of {segments:?}; full reindex {} (median of 3), merged into one segment in the background by {}; open store + index {} (median of 5), then a first search {}; FTS5 build {}",
        us(reindex),
        us(merged),
        us(open),
        us(first_search),
        us(fts_build)
    );
    println!(
        "machine: {} logical CPU(s); {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(
                |c| c.lines().find(|l| l.starts_with("model name")).map(|l| l
                    .split(':')
                    .nth(1)
                    .unwrap_or("")
                    .trim()
                    .to_string())
            )
            .unwrap_or_default()
    );
    println!();
    println!(
        "| query | Sitat p50 | Sitat p95 | FTS5 ids p95 | FTS5 + highlight p95 | regex p95 | ×FTS5 ids | ×FTS5 + highlight | ×regex | Sitat hits (paragraphs) | FTS5 rows | regex matches | Sitat p50 compile / matching / hits | KWIC lines for all hits p50 |"
    );
    println!(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let runs: usize = if total_words > 2_000_000 { 40 } else { 200 };
    // Rounds of the engines' runs, and how long each engine runs in each (see below).
    const ROUNDS: usize = 10;
    const BLOCK: Duration = Duration::from_millis(10);
    const BLOCK_WARM_UP: Duration = Duration::from_millis(2);
    // SITAT_BENCH_WARMUP_MS=0 warms each engine up with three runs only.
    let warm_up = Duration::from_millis(
        std::env::var("SITAT_BENCH_WARMUP_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20),
    );
    let turns = std::env::var_os("SITAT_BENCH_TURNS").is_some();
    let mut stmt = fts
        .prepare("SELECT source_id, start FROM fts WHERE fts MATCH ?1 ORDER BY rank LIMIT ?2")
        .expect("query");
    // Like for like: the matches marked in each row's text, as Sitat maps each hit to its span.
    let mut highlighted = fts
        .prepare(
            "SELECT source_id, start, highlight(fts, 0, char(2), char(3)) FROM fts
             WHERE fts MATCH ?1 ORDER BY rank LIMIT ?2",
        )
        .expect("highlight query");
    for case in CASES {
        let re = Regex::new(case.regex).expect("regex");
        let sitat = || {
            index
                .search_timed(&project, case.sitat, LIMIT)
                .expect("search")
        };
        let fts_ids = |stmt: &mut rusqlite::Statement| {
            stmt.query_map(rusqlite::params![case.fts5, LIMIT as i64], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })
            .expect("fts query")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows")
            .len()
        };
        let fts_highlighted = |stmt: &mut rusqlite::Statement| {
            stmt.query_map(rusqlite::params![case.fts5, LIMIT as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .expect("fts highlight query")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows")
            .len()
        };
        let scan = || {
            let mut first = Vec::with_capacity(LIMIT);
            let mut count = 0usize;
            for (actor, text) in &texts {
                if case.actor.is_some_and(|a| a != actor) {
                    continue;
                }
                for m in re.find_iter(text) {
                    count += 1;
                    if first.len() < LIMIT {
                        first.push(m.range());
                    }
                }
            }
            count
        };
        // Each engine runs a query back to back, caches warm (the way each is used when
        // queries come one after another), in rounds (see below). SITAT_BENCH_TURNS=1 has the
        // engines take turns run by run: then each runs with caches the others have cooled.
        let mut results = sitat().0;
        let (mut rows, mut matches) = (0, 0);
        let mut times: [Vec<Duration>; 4] = Default::default();
        let mut phases = Vec::new();
        let mut run_engine = |engine: usize, measured: bool| {
            let t = Instant::now();
            match engine {
                0 => {
                    let (found, timings) = std::hint::black_box(sitat());
                    drop(std::mem::replace(&mut results, found));
                    if measured {
                        phases.push(timings);
                    }
                }
                1 => rows = std::hint::black_box(fts_ids(&mut stmt)),
                2 => _ = std::hint::black_box(fts_highlighted(&mut highlighted)),
                _ => matches = std::hint::black_box(scan()),
            }
            if measured {
                times[engine].push(t.elapsed());
            }
        };
        // Each engine warms up on the query first: three runs, and on for `warm_up` (a query's
        // first hundred or so searches are slower while caches and branch predictors settle;
        // three runs alone would leave them in the p95).
        let warm = |run_engine: &mut dyn FnMut(usize, bool), engine: usize, warm_up: Duration| {
            let t = Instant::now();
            for n in 0.. {
                if n >= 3 && t.elapsed() >= warm_up {
                    break;
                }
                run_engine(engine, false);
            }
        };
        // The scan is slow: a third as many runs.
        let runs_of = |engine: usize| if engine == 3 { runs.div_ceil(3) } else { runs };
        if turns {
            (0..4).for_each(|engine| warm(&mut run_engine, engine, warm_up));
            for run in 0..runs {
                for engine in 0..4 {
                    if run < runs_of(engine) {
                        run_engine(engine, true);
                    }
                }
            }
        } else {
            // ROUNDS rounds in which each engine runs back to back for BLOCK (and at least
            // `runs_of / ROUNDS` times), so that every engine's runs are spread over the same
            // stretch of time: this machine's speed changes every few tens of milliseconds,
            // and one engine timed in one stretch and the next in another compared the
            // moments more than the engines. Each block starts with runs not timed, for
            // BLOCK_WARM_UP and at least three (the caches the other engines cooled).
            (0..4).for_each(|engine| warm(&mut run_engine, engine, warm_up));
            for _ in 0..ROUNDS {
                for engine in 0..4 {
                    warm(&mut run_engine, engine, BLOCK_WARM_UP);
                    let t = Instant::now();
                    let mut n = 0;
                    while n * ROUNDS < runs_of(engine) || t.elapsed() < BLOCK {
                        run_engine(engine, true);
                        n += 1;
                    }
                }
            }
        }
        let [(s50, s95), (_, f95), (_, h95), (_, r95)] = times.map(|mut t| {
            t.sort();
            (percentile(&t, 0.5), percentile(&t, 0.95))
        });
        // KWIC lines are built when a hit is shown: here, for every hit returned.
        let (kwic50, _, _) = measure(runs, || {
            results
                .hits
                .iter()
                .map(|h| results.kwic(h))
                .collect::<Vec<_>>()
        });
        let ratio = |other: Duration| other.as_secs_f64() / s95.as_secs_f64();
        println!(
            "| {} `{}` | {} | {} | {} | {} | {} | {:.1}× | {:.1}× | {:.0}× | {} ({}) | {} | {} | {} | {} |",
            case.label,
            case.sitat,
            us(s50),
            us(s95),
            us(f95),
            us(h95),
            us(r95),
            ratio(f95),
            ratio(h95),
            ratio(r95),
            results.hits.len(),
            results.paragraphs,
            rows,
            matches,
            phase_medians(&phases),
            us(kwic50)
        );
    }
    println!();
    println!(
        "Sitat: top {LIMIT} paragraphs by BM25 mapped to exact code point spans, plus per-actor counts over all matches (KWIC lines are built as hits are shown: their cost for every hit is the last column); FTS5 ids: top {LIMIT} rows by rank, ids only; FTS5 + highlight: the same rows with their text and matches marked; regex: every match in every source."
    );
}
