//! How fast the document view paints a large coded source: a 300,000-character interview with
//! 5,000 codings (targets: first frame ≤ 50 ms, scrolling ≤ 4 ms a frame).
//!
//! Runs egui headless (no GPU): each frame is `Context::run_ui` + tessellation, i.e. everything
//! but the GPU upload. The first frame builds the layout from the store (the cost every frame
//! would pay without the cache); later frames scroll with the mouse wheel over the cached layout.
//!
//! `cargo bench --bench document`

use std::time::{Duration, Instant};

use egui::{Event, MouseWheelSource, MouseWheelUnit, Pos2, RawInput, Rect, TouchPhase, Vec2};
use sitat::model::{CharSpan, SourceKind};
use sitat::ui::{Action, FilePicker, SitatApp};
use sitat::{NewCoding, NewSource, NewTheme, Project};

const CHARS: usize = 300_000;
const CODINGS: usize = 5_000;

struct NoDialogs;
impl FilePicker for NoDialogs {
    fn pick_import_files(&mut self) -> Option<Vec<std::path::PathBuf>> {
        None
    }
    fn pick_project(&mut self) -> Option<std::path::PathBuf> {
        None
    }
}

/// A deterministic pseudo-random sequence (no dependency needed for a benchmark).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound
    }
}

fn large_transcript() -> String {
    const SENTENCES: &[&str] = &[
        "Vi må gi førstelinja mer tillit og handlingsrom i hverdagen.",
        "Brukerne trenger rettigheter, ikke vilkårlig skjønnsutøvelse.",
        "Kommunene opplever at statlige føringer begrenser prioriteringene.",
        "Trepartssamarbeidet er grunnlaget for reformen på arbeidsplassen.",
        "Rapportering og kontroll stjeler tid fra kjerneoppgavene 😀.",
        "Det handler om kompetanse, ferdigheter og gode holdninger.",
    ];
    let mut rng = Lcg(7);
    let mut text = String::with_capacity(CHARS * 2);
    let mut count = 0;
    while count < CHARS {
        let sentence = SENTENCES[rng.next(SENTENCES.len())];
        text.push_str(sentence);
        count += sentence.chars().count();
        if rng.next(8) == 0 {
            text.push_str("\n\n");
            count += 2;
        } else {
            text.push(' ');
            count += 1;
        }
    }
    text.chars().take(CHARS).collect()
}

fn build_project(dir: &std::path::Path) -> (Project, sitat::model::SourceId) {
    let mut project = Project::create(dir.join("large.sitat")).unwrap();
    let themes: Vec<_> = (0..12)
        .map(|i| {
            project
                .add_theme(NewTheme {
                    name: format!("Tema {i}"),
                    ..Default::default()
                })
                .unwrap()
        })
        .collect();
    let source = project
        .add_source(NewSource::new(
            SourceKind::Interview,
            "Langt intervju",
            large_transcript(),
        ))
        .unwrap();
    let mut rng = Lcg(42);
    let codings = (0..CODINGS)
        .map(|_| {
            let start = rng.next(CHARS - 500);
            let len = 20 + rng.next(380);
            NewCoding::new(
                source,
                CharSpan::new(start, start + len),
                themes[rng.next(themes.len())],
            )
        })
        .collect();
    project.code_many("bench", codings).unwrap();
    (project, source)
}

fn frame(ctx: &egui::Context, app: &mut SitatApp, time: f64, events: Vec<Event>) -> Duration {
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(1400.0, 900.0))),
        time: Some(time),
        events,
        ..Default::default()
    };
    let start = Instant::now();
    let output = ctx.run_ui(input, |ui| app.show(ui));
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    std::hint::black_box(primitives);
    start.elapsed()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (project, source) = build_project(dir.path());
    let ctx = egui::Context::default();
    let mut app = SitatApp::new(project, None, Box::new(NoDialogs));
    // Settle fonts and panels on an empty view first, as a running app would have.
    app.push(Action::ShowTab(sitat::ui::CentralTab::Retrieve));
    for i in 0..3 {
        frame(&ctx, &mut app, i as f64 * 0.016, vec![]);
    }
    app.push(Action::OpenSource(source, None));
    app.push(Action::ShowTab(sitat::ui::CentralTab::Document));
    frame(&ctx, &mut app, 0.1, vec![]); // applies the actions
    let first = frame(&ctx, &mut app, 0.12, vec![]);

    let over_document = Pos2::new(700.0, 500.0);
    let mut scroll = Vec::new();
    for i in 0..300 {
        let events = vec![
            Event::PointerMoved(over_document),
            Event::MouseWheel {
                unit: MouseWheelUnit::Point,
                delta: Vec2::new(0.0, -120.0),
                phase: TouchPhase::Move,
                source: MouseWheelSource::Unknown,
                modifiers: Default::default(),
            },
        ];
        scroll.push(frame(&ctx, &mut app, 0.2 + i as f64 * 0.016, events));
    }
    scroll.sort();
    // The alternative: one galley for the whole text, as a single text widget lays it out.
    let text = app.project.source(source).unwrap().text;
    let whole = {
        let start = Instant::now();
        let job = egui::text::LayoutJob::simple(
            text,
            egui::FontId::proportional(15.0),
            egui::Color32::BLACK,
            1000.0,
        );
        std::hint::black_box(ctx.fonts_mut(|f| f.layout_job(job)));
        start.elapsed()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("document view: {CHARS} characters, {CODINGS} codings, 1400×900 points, no GPU");
    println!("{:<42} {:>10}", "measure", "ms");
    println!(
        "{:<42} {:>10.2}",
        "first frame (store read + layout)",
        ms(first)
    );
    println!(
        "{:<42} {:>10.2}",
        "scroll frame p50 (cached layout)",
        ms(percentile(&scroll, 0.5))
    );
    println!(
        "{:<42} {:>10.2}",
        "scroll frame p95",
        ms(percentile(&scroll, 0.95))
    );
    println!(
        "{:<42} {:>10.2}",
        "scroll frame max",
        ms(*scroll.last().unwrap())
    );
    println!(
        "{:<42} {:>10.2}",
        "alternative: whole text as one galley",
        ms(whole)
    );
    println!(
        "chunked first frame is {:.1}× faster than laying out the whole text",
        ms(whole) / ms(first)
    );
}
