//! How every view of the workbench keeps up on a large project: the frame time of each view while
//! it is used (opened, scrolled, its filter changed), the resident memory of this process after
//! opening the project, and the resident memory of the real `sitat` window on the demo.
//!
//! The project: the search benchmark's generated corpus (`corpus_gen`, 10M words in about 28,000
//! sources of 7 actors by default) with 100,000 codings by two coders on 12 themes (3 of them
//! axes, with stances), a memo on one coding in 50 and a few dozen memos on the project, sources
//! and themes. It is kept in `SITAT_BENCH_DIR` (default: cargo's temp folder for benches) and
//! reused by the next run. `--words N` (or `SITAT_BENCH_WORDS=N`) makes a smaller one, with
//! N / 100 codings, for a quick run.
//!
//! Runs egui headless (no GPU), like `benches/document.rs`: each frame is `Context::run_ui` and
//! tessellation, i.e. everything but the GPU upload. Frames that wait for a result computed off
//! the frame ("computing…") are drawn every 16 ms, as a 60 Hz display would; "result after" is
//! the time from the action to the frame that shows the result.
//!
//! `cargo bench --bench views [-- --words 1000000]`

#[allow(dead_code)]
mod corpus_gen;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{Event, MouseWheelSource, MouseWheelUnit, Pos2, RawInput, Rect, TouchPhase, Vec2};
use sitat::command::Command;
use sitat::model::*;
use sitat::ui::{Action, CentralTab, FilePicker, SitatApp};
use sitat::{NewTheme, Project};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEFAULT_WORDS: usize = 10_000_000;
const SCREEN: Vec2 = Vec2::new(1400.0, 900.0);
/// Marks a project whose codings were all written: a run stopped halfway is generated again.
const READY_KEY: &str = "views-bench";

struct NoDialogs;
impl FilePicker for NoDialogs {
    fn pick_import_files(&mut self) -> Option<Vec<PathBuf>> {
        None
    }
    fn pick_project(&mut self) -> Option<PathBuf> {
        None
    }
}

fn words_wanted() -> usize {
    let args: Vec<String> = std::env::args().collect();
    let from_args = args
        .iter()
        .position(|a| a == "--words")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.replace('_', "").parse().ok());
    from_args
        .or_else(|| {
            std::env::var("SITAT_BENCH_WORDS")
                .ok()
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(DEFAULT_WORDS)
}

fn bench_dir() -> PathBuf {
    std::env::var_os("SITAT_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("views-bench"))
}

/// Twelve themes: three axes with poles, a parent with two children, and plain ones.
fn theme_commands(
    project: &Project,
    ids: &mut sitat::store::IdAllocator,
) -> (Vec<(ThemeId, bool)>, Vec<Command>) {
    let mut themes = Vec::new();
    let mut commands = Vec::new();
    let axes = [
        ("Styring", "Statlig styring", "Lokal autonomi"),
        ("Skjønn", "Regler/rettigheter", "Skjønn"),
        ("Tillit", "Kontroll", "Tillit"),
    ];
    for (name, negative, positive) in axes {
        let (id, command) = project
            .add_theme_command(
                ids,
                NewTheme {
                    name: name.into(),
                    poles: Some(Poles {
                        negative: negative.into(),
                        positive: positive.into(),
                    }),
                    ..Default::default()
                },
            )
            .expect("theme");
        themes.push((id, true));
        commands.push(command);
    }
    let mut parent = None;
    for name in [
        "Medvirkning",
        "Brukermedvirkning",
        "Ansattmedvirkning",
        "Trepartssamarbeid",
        "Rapportering",
        "Kompetanse",
        "Ressurser",
        "Ledelse",
        "Kvalitet",
    ] {
        let parent_id = if name.ends_with("medvirkning") {
            parent
        } else {
            None
        };
        let (id, command) = project
            .add_theme_command(
                ids,
                NewTheme {
                    name: name.into(),
                    parent_id,
                    ..Default::default()
                },
            )
            .expect("theme");
        if name == "Medvirkning" {
            parent = Some(id);
        }
        themes.push((id, false));
        commands.push(command);
    }
    (themes, commands)
}

/// Generates the project (or opens the one kept from an earlier run); returns it and how long
/// generating took, if it did.
fn large_project(words: usize) -> (Project, Option<Duration>) {
    let dir = bench_dir();
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join(format!("views-{words}.sitat"));
    if path.exists()
        && let Ok(project) = Project::open(&path)
        && project.info(READY_KEY).ok().flatten().as_deref() == Some("ready")
    {
        return (project, None);
    }
    let started = Instant::now();
    for stale in [
        path.clone(),
        sitat::index::SearchIndex::dir_for(&path),
        PathBuf::from(format!("{}-wal", path.display())),
        PathBuf::from(format!("{}-shm", path.display())),
    ] {
        let _ = std::fs::remove_file(&stale);
        let _ = std::fs::remove_dir_all(&stale);
    }
    let (mut project, _) = corpus_gen::generate(&path, words, 2022);
    let codings = words / 100;
    let sources = project.sources().expect("sources");
    let mut ids = project.ids().expect("ids");
    let (themes, mut commands) = theme_commands(&project, &mut ids);
    let (first_coder, coder_commands) = project.coder_commands(&mut ids).expect("coder");
    commands.extend(coder_commands);
    let second_coder = Coder {
        id: ids.coder(),
        name: "Kari Nordmann".into(),
    };
    let coders = [first_coder, second_coder.id];
    commands.push(Command::AddCoder(second_coder));
    let mut rng = corpus_gen::Rng::new(7);
    for n in 0..codings {
        let source = &sources[rng.below(sources.len())];
        let len = (40 + rng.below(360)).min(source.char_len);
        let start = rng.below(source.char_len - len + 1);
        let (theme_id, axis) = themes[rng.below(themes.len())];
        let stance = (axis && rng.below(7) != 0)
            .then(|| Stance::new(rng.below(5) as i64 - 2))
            .flatten();
        let memo = if n % 50 == 0 {
            format!("Memo {n}: ser ut som en typisk uttalelse om {}", n % 7)
        } else {
            String::new()
        };
        commands.push(Command::AddCoding(Coding {
            id: ids.coding(),
            source_id: source.id,
            theme_id,
            coder_id: coders[rng.below(coders.len())],
            span: CharSpan::new(start, start + len),
            stance,
            memo,
            created_at_ms: 1_700_000_000_000 + n as i64,
        }));
    }
    for n in 0..40 {
        let target = match n % 3 {
            0 => MemoTarget::Project,
            1 => MemoTarget::Source(sources[rng.below(sources.len())].id),
            _ => MemoTarget::Theme(themes[rng.below(themes.len())].0),
        };
        commands.push(Command::AddMemo(Memo {
            id: ids.memo(),
            target,
            title: format!("Notat {n}"),
            text: "Tanker om hvordan aktørene snakker om tillit og styring.".into(),
            updated_at_ms: 1_700_000_000_000,
        }));
    }
    project
        .apply(Command::Batch {
            label: "views benchmark codings".into(),
            commands,
        })
        .expect("codings");
    project.set_info(READY_KEY, "ready").expect("mark ready");
    (project, Some(started.elapsed()))
}

/// The resident memory of a process now, and at its peak, in MiB (Linux).
fn rss_mib(pid: &str) -> Option<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// One view's session: the frames drawn while it is used.
struct Session {
    name: &'static str,
    frames: Vec<Duration>,
    /// The frame that opened the view.
    first: Duration,
    /// The longest wait from an action to the frame showing its result.
    result_after: Duration,
}

struct Bench {
    ctx: egui::Context,
    app: SitatApp,
    time: f64,
}

fn wheel(at: Pos2, dy: f32) -> Vec<Event> {
    vec![
        Event::PointerMoved(at),
        Event::MouseWheel {
            unit: MouseWheelUnit::Point,
            delta: Vec2::new(0.0, dy),
            phase: TouchPhase::Move,
            source: MouseWheelSource::Unknown,
            modifiers: Default::default(),
        },
    ]
}

impl Bench {
    fn frame(&mut self, events: Vec<Event>) -> Duration {
        self.time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
            time: Some(self.time),
            events,
            ..Default::default()
        };
        let start = Instant::now();
        let output = self.ctx.run_ui(input, |ui| self.app.show(ui));
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        std::hint::black_box(primitives);
        start.elapsed()
    }

    /// Draws frames, 16 ms apart as a display would, until nothing is being computed for a
    /// view; returns the frames and the time until the result showed.
    fn settle(&mut self, session: &mut Session, since: Instant) {
        // The frame after an action shows its outcome.
        session.frames.push(self.frame(vec![]));
        let limit = Instant::now() + Duration::from_secs(120);
        while self.app.is_computing() && Instant::now() < limit {
            std::thread::sleep(Duration::from_millis(16));
            session.frames.push(self.frame(vec![]));
        }
        // The frame that takes the result in, and the one that draws it.
        session.frames.push(self.frame(vec![]));
        session.result_after = session.result_after.max(since.elapsed());
    }

    /// Opens `tab` through its action and times the first frame and the wait for its result.
    fn open(&mut self, name: &'static str, action: Action) -> Session {
        self.app.push(action);
        let since = Instant::now();
        let first = self.frame(vec![]);
        let mut session = Session {
            name,
            frames: vec![first],
            first,
            result_after: Duration::ZERO,
        };
        self.settle(&mut session, since);
        session
    }

    fn scroll(&mut self, session: &mut Session, at: Pos2, frames: usize) {
        for i in 0..frames {
            // Down, then back up part of the way.
            let dy = if i < frames * 3 / 4 { -120.0 } else { 120.0 };
            let events = wheel(at, dy);
            session.frames.push(self.frame(events));
        }
    }

    /// Changes a filter (through `change`) and waits for the view's result.
    fn change(&mut self, session: &mut Session, change: impl FnOnce(&mut SitatApp)) {
        change(&mut self.app);
        let since = Instant::now();
        self.settle(session, since);
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// The `sitat` window on the demo under Xvfb: its resident memory once it has settled.
fn demo_rss() -> Result<(f64, f64), String> {
    let home = bench_dir().join("demo-home");
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    let mut child = std::process::Command::new("xvfb-run")
        .args([
            "-a",
            "-s",
            "-screen 0 1400x900x24",
            env!("CARGO_BIN_EXE_sitat"),
        ])
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("SITAT_CODER", "bench")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("xvfb-run: {e}"))?;
    // The demo is built on the first run, and its index after: give both time.
    let sitat_pid = || -> Option<String> {
        std::fs::read_dir("/proc")
            .ok()?
            .flatten()
            .find_map(|entry| {
                let pid = entry.file_name().to_string_lossy().to_string();
                let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
                let comm = status
                    .lines()
                    .next()?
                    .split_whitespace()
                    .nth(1)?
                    .to_string();
                let environ = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
                let ours = environ
                    .split(|b| *b == 0)
                    .any(|kv| kv == format!("HOME={}", home.display()).as_bytes());
                (comm == "sitat" && ours).then_some(pid)
            })
    };
    let mut reading = None;
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut settled_since: Option<(Instant, f64)> = None;
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
        let Some(pid) = sitat_pid() else { continue };
        let Some((rss, hwm)) = rss_mib(&pid) else {
            continue;
        };
        reading = Some((rss, hwm));
        // Settled: the same resident memory (±1 MiB) for 5 s.
        match settled_since {
            Some((since, was)) if (rss - was).abs() < 1.0 => {
                if since.elapsed() > Duration::from_secs(5) {
                    break;
                }
            }
            _ => settled_since = Some((Instant::now(), rss)),
        }
    }
    if let Some(pid) = sitat_pid() {
        let _ = std::process::Command::new("kill").arg(&pid).status();
    }
    let _ = child.wait();
    reading.ok_or_else(|| "the sitat window did not start".into())
}

fn main() {
    let words = words_wanted();
    let (project, generated) = large_project(words);
    let sources = project.sources().expect("sources");
    let coding_count: usize = sources.iter().map(|s| s.coding_count).sum();
    let actors = project.actors().expect("actors");
    let themes = project.themes().expect("themes");
    let busiest = sources
        .iter()
        .max_by_key(|s| s.coding_count)
        .expect("a source")
        .id;

    let opened = Instant::now();
    let mut bench = Bench {
        ctx: egui::Context::default(),
        app: SitatApp::new(project, None, Box::new(NoDialogs)),
        time: 0.0,
    };
    let mut sessions = Vec::new();
    // Opening: the document the app opens first, and the search index opened (or built) in the
    // background.
    let mut opening = Session {
        name: "opening the project",
        frames: Vec::new(),
        first: Duration::ZERO,
        result_after: Duration::ZERO,
    };
    opening.first = bench.frame(vec![]);
    opening.frames.push(opening.first);
    let limit = Instant::now() + Duration::from_secs(300);
    while (bench.app.search_index().is_none() || bench.app.is_working()) && Instant::now() < limit {
        std::thread::sleep(Duration::from_millis(16));
        opening.frames.push(bench.frame(vec![]));
    }
    opening.result_after = opened.elapsed();
    let rss_opened = rss_mib("self");

    let sources_at = Pos2::new(150.0, 250.0);
    let codebook_at = Pos2::new(150.0, 700.0);
    let central = Pos2::new(700.0, 500.0);

    // Sources panel: scroll the list, then type a filter letter by letter.
    let mut s = bench.open("sources panel", Action::ShowTab(CentralTab::Document));
    bench.scroll(&mut s, sources_at, 80);
    for typed in ["I", "In", "Int", "Inte", "Intervju 1", "Intervju 12", ""] {
        bench.change(&mut s, |app| app.sources_panel.filter = typed.to_string());
    }
    sessions.push(s);

    // Codebook: scroll it, hover its themes.
    let mut s = bench.open("codebook", Action::ShowTab(CentralTab::Document));
    bench.scroll(&mut s, codebook_at, 30);
    for y in (560..860).step_by(10) {
        let events = vec![Event::PointerMoved(Pos2::new(120.0, y as f32))];
        s.frames.push(bench.frame(events));
    }
    sessions.push(s);

    // Document: open the source with the most codings, scroll it.
    let mut s = bench.open("document", Action::OpenSource(busiest, None));
    bench.scroll(&mut s, central, 80);
    let other = sources[sources.len() / 2].id;
    bench.change(&mut s, |app| app.push(Action::OpenSource(other, None)));
    bench.scroll(&mut s, central, 20);
    sessions.push(s);

    // Coding: select a passage of the open document and press 1, five times, then undo; each
    // change is written to disk and every panel reads the project again.
    let mut s = bench.open("coding and undo", Action::OpenSource(busiest, None));
    for k in 0..5 {
        bench.change(&mut s, |app| {
            app.document.selection = Some(CharSpan::new(k * 60, k * 60 + 40));
            app.push(Action::ApplyNthTheme(1));
        });
    }
    // And undo them, which leaves the kept project as it was.
    for _ in 0..5 {
        bench.change(&mut s, |app| app.push(Action::Undo));
    }
    sessions.push(s);

    // Search: type a query, scroll its hits, change it.
    let mut s = bench.open("search results", Action::ShowTab(CentralTab::Search));
    for typed in ["t", "ti", "til", "till", "tilli", "tillit"] {
        bench.change(&mut s, |app| app.search.query = typed.to_string());
    }
    bench.scroll(&mut s, central, 60);
    bench.change(&mut s, |app| app.search.query = "skjønn* actor:KS".into());
    bench.scroll(&mut s, central, 30);
    sessions.push(s);

    // Retrieve: one theme of one actor (as a matrix cell's click does), scroll, then a second
    // theme and every actor.
    let mut s = bench.open(
        "retrieve",
        Action::RetrieveCell {
            theme_id: themes[0].id,
            actor_id: actors[0].id,
        },
    );
    bench.scroll(&mut s, central, 60);
    bench.change(&mut s, |app| {
        app.retrieve.themes.insert(themes[1].id);
        app.retrieve.actor = None;
    });
    bench.scroll(&mut s, central, 60);
    sessions.push(s);

    // Compare: open on the first axis, scroll, add a theme, group by person.
    let mut s = bench.open("compare", Action::ShowTab(CentralTab::Compare));
    bench.scroll(&mut s, central, 60);
    bench.change(&mut s, |app| app.compare.themes.push(themes[1].id));
    bench.scroll(&mut s, central, 30);
    bench.change(&mut s, |app| app.compare.by_person = true);
    bench.scroll(&mut s, central, 30);
    sessions.push(s);

    // Positions: open, scroll, count every coding.
    let mut s = bench.open("positions", Action::ShowTab(CentralTab::Positions));
    bench.scroll(&mut s, central, 40);
    bench.change(&mut s, |app| app.positions.per_coding = true);
    bench.scroll(&mut s, central, 20);
    sessions.push(s);

    // Matrix: open, scroll, co-occurrence, count every coding.
    let mut s = bench.open("matrix", Action::ShowTab(CentralTab::Matrix));
    bench.scroll(&mut s, central, 30);
    bench.change(&mut s, |app| app.matrix.cooccurrence = true);
    bench.change(&mut s, |app| {
        app.matrix.cooccurrence = false;
        app.matrix.per_coding = true;
    });
    bench.scroll(&mut s, central, 20);
    sessions.push(s);

    // Disagreements: open, scroll, next page, count every coding.
    let mut s = bench.open("disagreements", Action::ShowTab(CentralTab::Disagreements));
    bench.scroll(&mut s, central, 60);
    bench.change(&mut s, |app| app.disagreements.page = 1);
    bench.scroll(&mut s, central, 20);
    bench.change(&mut s, |app| app.disagreements.per_coding = true);
    sessions.push(s);

    // Memos: open, scroll, filter by words.
    let mut s = bench.open("memos", Action::ShowTab(CentralTab::Memos));
    bench.scroll(&mut s, Pos2::new(500.0, 500.0), 60);
    for typed in ["t", "ty", "typ", "typisk 3"] {
        bench.change(&mut s, |app| app.memos.filter = typed.to_string());
    }
    sessions.push(s);
    let rss_after = rss_mib("self");

    println!(
        "views: {} sources, {} actors, {} themes, {} codings ({}), {}×{} points, no GPU",
        sources.len(),
        actors.len(),
        themes.len(),
        coding_count,
        match generated {
            Some(took) => format!("generated in {:.1} s", took.as_secs_f64()),
            None => format!("kept in {}", bench_dir().display()),
        },
        SCREEN.x,
        SCREEN.y
    );
    println!(
        "{:<20} | {:>10} | {:>10} | {:>10} | {:>11} | {:>12} | {:>6}",
        "view", "p50 frame", "p95 frame", "max frame", "first frame", "result after", "frames"
    );
    println!("{}", "-".repeat(97));
    for session in std::iter::once(&opening).chain(&sessions) {
        let mut sorted = session.frames.clone();
        sorted.sort();
        println!(
            "{:<20} | {:>7.2} ms | {:>7.2} ms | {:>7.1} ms | {:>8.1} ms | {:>9.0} ms | {:>6}",
            session.name,
            ms(percentile(&sorted, 0.5)),
            ms(percentile(&sorted, 0.95)),
            ms(*sorted.last().expect("frames")),
            ms(session.first),
            ms(session.result_after),
            sorted.len()
        );
    }
    let show = |label: &str, rss: Option<(f64, f64)>| match rss {
        Some((now, peak)) => println!("{label}: VmRSS {now:.0} MiB (peak {peak:.0} MiB)"),
        None => println!("{label}: unknown (no /proc)"),
    };
    show(
        "resident memory after opening the project (index ready)",
        rss_opened,
    );
    show("resident memory after using every view", rss_after);
    drop(bench);
    if std::env::var_os("SITAT_BENCH_NO_DEMO").is_some() {
        return;
    }
    match demo_rss() {
        Ok((rss, peak)) => println!(
            "the sitat window on the demo (Xvfb): VmRSS {rss:.0} MiB (peak {peak:.0} MiB; target ≤ 150 MB)"
        ),
        Err(e) => println!("the sitat window on the demo: not measured ({e})"),
    }
}
