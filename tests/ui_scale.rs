//! Views on a project too large to analyse within a frame: the analysis runs off the frame with
//! "computing…" shown meanwhile, and long lists lay out only the rows on screen. Driven by the
//! clicks and wheel turns a person sends.
#![cfg(feature = "gui")]

mod common;

use std::time::{Duration, Instant};

use egui::{Event, MouseWheelSource, MouseWheelUnit, Pos2, TouchPhase, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitat::model::*;
use sitat::ui::{CentralTab, SitatApp};
use sitat::{NewCoding, NewSource, NewTheme, Project};

/// Codings in the large project: more than the workbench analyses within a frame.
const CODINGS: usize = 2_400;

/// Two actors with a person each, an axis theme and a plain one, 40 interviews of numbered
/// sentences (æøå and an emoji in each) after an uncoded lead-in, and `CODINGS` codings, every
/// one a sentence of its own.
fn large_project(tmp: &common::TempProject) -> Project {
    let mut project = Project::create(&tmp.path).unwrap();
    let mut persons = Vec::new();
    for actor in ["KS", "FFO"] {
        let id = project.add_actor(actor, "", vec![]).unwrap();
        persons.push(
            project
                .add_person(&format!("{actor} person"), id, "")
                .unwrap(),
        );
    }
    let axis = project
        .add_theme(NewTheme {
            name: "Styring".into(),
            poles: Some(Poles {
                negative: "Statlig styring".into(),
                positive: "Lokal autonomi".into(),
            }),
            ..Default::default()
        })
        .unwrap();
    let plain = project
        .add_theme(NewTheme {
            name: "Tillit".into(),
            ..Default::default()
        })
        .unwrap();
    let per_source = CODINGS / 40;
    let mut codings = Vec::new();
    for s in 0..40 {
        // An uncoded lead-in, then the coded sentences.
        let mut text = String::from("Innledning uten koding. ");
        let mut spans = Vec::new();
        for n in 0..per_source {
            let start = text.chars().count();
            text.push_str(&format!("Setning {s}-{n} om tillit på førstelinja 😀."));
            spans.push(CharSpan::new(start, text.chars().count()));
            text.push_str(if n % 6 == 5 { "\r\n\r\n" } else { " " });
        }
        let mut source = NewSource::new(SourceKind::Interview, format!("Intervju {s}"), text);
        source.person_id = Some(persons[s % 2]);
        let source_id = project.add_source(source).unwrap();
        for (n, span) in spans.into_iter().enumerate() {
            let mut coding = NewCoding::new(source_id, span, if n % 2 == 0 { axis } else { plain });
            if n % 2 == 0 {
                coding.stance = Some((n % 5) as i64 - 2);
            }
            codings.push(coding);
        }
    }
    project.code_many("test", codings).unwrap();
    project
}

fn harness(project: Project) -> Harness<'static, SitatApp> {
    let app = SitatApp::new(project, None, Box::new(common::ui::NoFiles));
    Harness::builder()
        .with_size([1400.0, 900.0])
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut SitatApp| app.show(ui), app)
}

/// Steps frames until `done`, for at most 60 s.
fn step_until(
    harness: &mut Harness<'_, SitatApp>,
    what: &str,
    done: impl Fn(&Harness<'_, SitatApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(harness) {
        assert!(Instant::now() < deadline, "{what} did not come");
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn compare_on_a_large_project_says_computing_then_shows_the_columns() {
    let tmp = common::temp_path("large.sitat");
    let mut harness = harness(large_project(&tmp));
    harness.step();
    harness.get_by_label("Compare actors").click();
    // The click is taken in this frame; the next draws the view and starts the analysis.
    harness.step();
    harness.step();
    assert_eq!(harness.state().tab, CentralTab::Compare);
    harness.get_by_label("computing…");
    assert!(harness.state().is_computing());
    step_until(&mut harness, "the compared columns", |h| {
        h.query_by_label("KS").is_some() && !h.state().is_computing()
    });
    harness.step();
    harness.get_by_label("FFO");
    assert!(harness.query_by_label("computing…").is_none());
    // Only a screenful of the 1,200 quotes on the axis is laid out.
    let boxes = harness.query_all_by_label("Open in source").count();
    assert!((2..200).contains(&boxes), "{boxes} quote boxes laid out");
}

#[test]
fn matrix_and_positions_on_a_large_project_compute_off_the_frame() {
    let tmp = common::temp_path("large.sitat");
    let mut harness = harness(large_project(&tmp));
    harness.step();
    for (tab, result) in [("Matrix", "Actors × themes"), ("Positions", "Styring")] {
        harness.get_by_label(tab).click();
        harness.step();
        harness.step();
        harness.get_by_label("computing…");
        step_until(&mut harness, tab, |h| !h.state().is_computing());
        harness.step();
        harness.get_by_label(result);
        assert!(harness.query_by_label("computing…").is_none());
    }
    // The strip in words: each actor's mean and how many quotes it is of.
    harness.get_by_label("KS 0.00 (n = 200 quotes) · FFO 0.00 (n = 200 quotes)");
}

fn wheel(harness: &mut Harness<'_, SitatApp>, at: Pos2, dy: f32) {
    harness.event(Event::PointerMoved(at));
    harness.event(Event::MouseWheel {
        unit: MouseWheelUnit::Point,
        delta: Vec2::new(0.0, dy),
        phase: TouchPhase::Move,
        source: MouseWheelSource::Unknown,
        modifiers: Default::default(),
    });
    harness.step();
}

#[test]
fn retrieve_lays_out_a_screenful_and_scrolls_to_the_last_excerpt() {
    let tmp = common::temp_path("large.sitat");
    let mut harness = harness(large_project(&tmp));
    harness.step();
    harness.get_by_label("Retrieve").click();
    harness.step();
    harness.step();
    // Tick the plain theme: 1,200 excerpts.
    harness.get_by_label("Tillit").click();
    harness.step();
    step_until(&mut harness, "the excerpts", |h| {
        h.query_by_label("1200 excerpts").is_some() && !h.state().is_computing()
    });
    harness.step();
    let shown = harness.query_all_by_label("Open in source").count();
    assert!((2..100).contains(&shown), "{shown} excerpts laid out");
    harness.get_by_label_contains("«Setning 0-1 om tillit på førstelinja 😀.»");
    // Scroll to the end with the wheel: the last source's last excerpt comes into view.
    let last = format!(
        "«Setning 39-{} om tillit på førstelinja 😀.»",
        CODINGS / 40 - 1
    );
    let at = harness
        .get_by_label_contains("«Setning 0-1 om")
        .rect()
        .center();
    let mut turns = 0;
    while harness.query_by_label_contains(&last).is_none() {
        turns += 1;
        assert!(turns < 2_000, "the last excerpt never came into view");
        wheel(&mut harness, at, -2_000.0);
    }
    assert!(harness.query_by_label_contains("«Setning 0-1 ").is_none());
    let shown = harness.query_all_by_label("Open in source").count();
    assert!(
        (2..100).contains(&shown),
        "{shown} excerpts laid out at the end"
    );
}

#[test]
fn the_sources_list_lays_out_only_the_rows_in_view() {
    let tmp = common::temp_path("many.sitat");
    let mut project = Project::create(&tmp.path).unwrap();
    let ks = project.add_actor("KS", "", vec![]).unwrap();
    let person = project.add_person("Kari", ks, "").unwrap();
    let mut ids = project.ids().unwrap();
    let mut commands = Vec::new();
    for n in 0..3_000 {
        let mut source = NewSource::new(
            SourceKind::Interview,
            format!("Intervju {n:04}"),
            "Tekst om tillit på førstelinja.",
        );
        source.person_id = Some(person);
        commands.push(Project::add_source_command(&mut ids, source).1);
    }
    project
        .apply(sitat::Command::Batch {
            label: "sources".into(),
            commands,
        })
        .unwrap();
    let mut harness = harness(project);
    harness.run_steps(2);
    harness.get_by_label_contains("KS  ·  3000 sources");
    let rows = harness.query_all_by_label_contains(" — Kari  (0)").count();
    assert!((5..200).contains(&rows), "{rows} source rows laid out");
    // Wheel down the list until the last source shows, then open it with a click.
    let at = harness
        .get_by_label("Intervju 0000 — Kari  (0)")
        .rect()
        .center();
    let mut turns = 0;
    while harness
        .query_by_label("Intervju 2999 — Kari  (0)")
        .is_none()
    {
        turns += 1;
        assert!(turns < 2_000, "the last source never came into view");
        wheel(&mut harness, at, -2_000.0);
    }
    harness.get_by_label("Intervju 2999 — Kari  (0)").click();
    harness.run_steps(2);
    let last = harness
        .state()
        .project
        .sources()
        .unwrap()
        .last()
        .unwrap()
        .id;
    assert_eq!(harness.state().document.source_id, Some(last));
}

#[test]
fn coding_on_a_large_project_reaches_the_codebook_off_the_frame() {
    let tmp = common::temp_path("large.sitat");
    let mut harness = harness(large_project(&tmp));
    common::ui::wait_for_jobs(&mut harness);
    harness.get_by_label("2  Tillit  (1200)");
    // Drag over the uncoded lead-in of the open interview and press 2.
    let from = common::ui::text_origin(&harness) + Vec2::new(3.0, 8.0);
    common::ui::drag(&mut harness, from, from + Vec2::new(80.0, 0.0));
    let selection = harness
        .state()
        .document
        .selection
        .expect("dragged over text");
    assert!(selection.start < 5 && selection.end > 5, "{selection:?}");
    common::ui::press_digit(&mut harness, egui::Key::Num2, "2");
    let tillit = harness.state().project.theme_by_name("Tillit").unwrap().id;
    let counts = harness.state().project.coding_counts().unwrap();
    assert_eq!(counts.by_theme[&tillit], 1_201);
    // The codebook's count follows once the project is read again on its own thread.
    step_until(&mut harness, "the new count", |h| {
        h.query_by_label("2  Tillit  (1201)").is_some()
    });
    assert!(!harness.state().is_computing());
}
