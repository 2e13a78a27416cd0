//! A laptop's small window (1024×700) with both side panels open: the wide views (Matrix,
//! Disagreements, Coders) keep their controls in the centre panel, wrapped onto more rows, and
//! their tables scroll sideways to the last column; Search lays its hits out to the panel's
//! width. Driven by clicks, typing and wheel turns.
#![cfg(feature = "gui")]

mod common;

use common::ui::{NoFiles, wait_for_jobs, workbench};
use egui::accesskit::Role;
use egui::{Event, MouseWheelSource, MouseWheelUnit, Pos2, Rect, TouchPhase, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use sitat::model::CharSpan;
use sitat::ui::{CentralTab, SitatApp};
use sitat::{NewCoding, Project};

fn small_window(project: Project) -> Harness<'static, SitatApp> {
    let app = SitatApp::new(project, None, Box::new(NoFiles));
    workbench(app, [1024.0, 700.0])
}

/// The demo in a small window (and the folder it lives in).
fn small_demo() -> (common::TempProject, Harness<'static, SitatApp>) {
    let tmp = common::temp_path("demo.sitat");
    let project = sitat::corpus::write_demo_project(&tmp.path).unwrap();
    (tmp, small_window(project))
}

/// The demo, with a second coder who coded one of its quotes again with another extent.
fn two_coder_demo(tmp: &common::TempProject) -> Project {
    let mut project = sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let first = project.all_codings().unwrap()[0].clone();
    project.set_coder("Bo");
    let again = NewCoding::new(
        first.source_id,
        CharSpan::new(first.span.start, first.span.end - 1),
        first.theme_id,
    );
    project.code(again).unwrap();
    project
}

fn show_tab(harness: &mut Harness<'_, SitatApp>, label: &str, tab: CentralTab) {
    harness.get_by_label(label).click();
    harness.run_steps(8);
    wait_for_jobs(harness);
    harness.run_steps(8);
    assert_eq!(harness.state().tab, tab);
}

/// The centre panel, between the sources panel and the inspector, as the tab bar and the
/// inspector's heading place it.
fn centre(harness: &Harness<'_, SitatApp>) -> (f32, f32) {
    let left = harness.get_by_label("Document").rect().left();
    let right = harness.get_by_label("Coding").rect().left();
    (left, right)
}

fn rect_of(node: &egui_kittest::Node<'_>) -> Option<Rect> {
    let b = node.accesskit_node().bounding_box()?;
    Some(Rect::from_min_max(
        Pos2::new(b.x0 as f32, b.y0 as f32),
        Pos2::new(b.x1 as f32, b.y1 as f32),
    ))
}

/// Nothing that starts in the centre panel reaches under the inspector. For a view with a
/// table that scrolls sideways, only its scroll bars are checked: the table's cells beyond the
/// panel's edge are clipped, and brought in by scrolling.
fn nothing_runs_under_the_inspector(harness: &Harness<'_, SitatApp>, view: &str, sideways: bool) {
    let (left, right) = centre(harness);
    for node in harness.root().children_recursive() {
        let Some(rect) = rect_of(&node) else { continue };
        let role = node.accesskit_node().role();
        if sideways && role != Role::ScrollBar {
            continue;
        }
        let label = node.accesskit_node().label().unwrap_or_default();
        assert!(
            !(rect.left() >= left - 1.0 && rect.left() < right && rect.right() > right + 1.0),
            "{view}: {role:?} {label:?} at {rect:?} runs under the inspector at {right}"
        );
    }
}

fn inside_centre(harness: &Harness<'_, SitatApp>, rect: Rect) -> bool {
    let (left, right) = centre(harness);
    rect.left() >= left - 1.0 && rect.right() <= right && rect.bottom() <= 700.0
}

fn wheel_sideways(harness: &mut Harness<'_, SitatApp>, at: Pos2) {
    harness.event(Event::PointerMoved(at));
    harness.event(Event::MouseWheel {
        unit: MouseWheelUnit::Point,
        delta: Vec2::new(-80.0, 0.0),
        phase: TouchPhase::Move,
        source: MouseWheelSource::Unknown,
        modifiers: Default::default(),
    });
    harness.run_steps(2);
}

/// The export menu of a view is in the panel and opens with a click.
fn export_menu_opens(harness: &mut Harness<'_, SitatApp>, view: &str) {
    let export = harness.get_by_label("Export this view…");
    assert!(
        inside_centre(harness, export.rect()),
        "{view}: Export at {:?}",
        export.rect()
    );
    export.click();
    harness.run_steps(3);
    harness.get_by_label("CSV (.csv)");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
}

#[test]
fn the_matrix_keeps_its_controls_in_the_panel_and_scrolls_to_the_last_actor() {
    let tmp = common::temp_path("demo.sitat");
    let project = sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let last_actor = project.actors().unwrap().last().unwrap().name.clone();
    let mut harness = small_window(project);
    show_tab(&mut harness, "Matrix", CentralTab::Matrix);
    nothing_runs_under_the_inspector(&harness, "Matrix", true);
    export_menu_opens(&mut harness, "Matrix");
    let count_every = harness.get_by_label("Count every coding").rect();
    assert!(inside_centre(&harness, count_every), "{count_every:?}");

    // The last actor's column: turn the wheel sideways over the table until its cells are in
    // view, then click one of them for the quotes.
    let cells_of_last_actor = |h: &Harness<'_, SitatApp>| {
        let x = h.get_by_label(&last_actor).rect().center().x;
        h.get_all_by_role(Role::Button)
            .map(|n| (n.rect(), n.accesskit_node().label().unwrap_or_default()))
            .filter(|(r, _)| r.height() == 22.0 && r.left() <= x && x <= r.right())
            .collect::<Vec<_>>()
    };
    let over_table = cells_of_last_actor(&harness)
        .first()
        .expect("the matrix's cells")
        .0
        .center()
        - Vec2::new(300.0, 0.0);
    let mut turns = 0;
    while !cells_of_last_actor(&harness)
        .iter()
        .all(|(r, _)| inside_centre(&harness, *r))
    {
        turns += 1;
        assert!(
            turns < 50,
            "the last actor's column never came into view: {:?}",
            cells_of_last_actor(&harness)
        );
        wheel_sideways(&mut harness, over_table);
    }
    let (_, label) = cells_of_last_actor(&harness)
        .into_iter()
        .find(|(_, l)| l.contains('%'))
        .expect("a cell with quotes in the last actor's column");
    let cell = harness
        .get_all_by_label(&label)
        .max_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .unwrap();
    cell.click();
    harness.run_steps(8);
    assert_eq!(harness.state().tab, CentralTab::Retrieve);
}

#[test]
fn disagreements_keep_their_controls_and_quotes_in_the_panel() {
    let (_tmp, mut harness) = small_demo();
    show_tab(&mut harness, "Disagreements", CentralTab::Disagreements);
    harness.get_by_label("Weaker ▶");
    nothing_runs_under_the_inspector(&harness, "Disagreements", false);
    for label in ["Count every coding", "◀ Stronger", "Weaker ▶"] {
        let rect = harness.get_by_label(label).rect();
        assert!(inside_centre(&harness, rect), "{label} at {rect:?}");
    }
    export_menu_opens(&mut harness, "Disagreements");
    let open = harness
        .get_all_by_label("Open in source")
        .next()
        .expect("a quote to open");
    assert!(inside_centre(&harness, open.rect()), "{:?}", open.rect());
    open.click();
    harness.run_steps(8);
    assert_eq!(harness.state().tab, CentralTab::Document);
}

#[test]
fn the_coders_tab_scrolls_to_its_last_column_and_keeps_its_buttons_in_the_panel() {
    let tmp = common::temp_path("coders.sitat");
    let mut harness = small_window(two_coder_demo(&tmp));
    show_tab(&mut harness, "Coders", CentralTab::Agreement);
    nothing_runs_under_the_inspector(&harness, "Coders", true);
    // The figures' last column (the second "α"): the wheel turned sideways brings it in.
    let last_header = |h: &Harness<'_, SitatApp>| {
        h.get_all_by_label("α")
            .map(|n| n.rect())
            .max_by(|a, b| a.left().total_cmp(&b.left()))
            .expect("the figures' headers")
    };
    let over_table = harness.get_by_label("Theme").rect().center();
    let mut turns = 0;
    while !inside_centre(&harness, last_header(&harness)) {
        turns += 1;
        assert!(
            turns < 50,
            "the last column never came into view: {:?}",
            last_header(&harness)
        );
        wheel_sideways(&mut harness, over_table);
    }

    harness.get_by_label("Where two coders differ").click();
    harness.run_steps(5);
    nothing_runs_under_the_inspector(&harness, "Coders, differences", false);
    for label in ["Keep both", "Open in source"] {
        let button = harness.get_all_by_label(label).next().expect(label);
        assert!(
            inside_centre(&harness, button.rect()),
            "{label} at {:?}",
            button.rect()
        );
    }
    harness
        .get_all_by_label("Open in source")
        .next()
        .unwrap()
        .click();
    harness.run_steps(8);
    assert_eq!(harness.state().tab, CentralTab::Document);
}

#[test]
fn search_hits_and_their_controls_stay_in_the_panel() {
    let (_tmp, mut harness) = small_demo();
    common::ui::type_search(&mut harness, "brukermedvirkning");
    harness.run_steps(4);
    // Each hit's row (names, context, the hit) is laid out to the panel's width.
    let rows: Vec<Rect> = harness
        .query_all_by(|n| {
            n.label()
                .is_some_and(|l| l.ends_with("open the source at this hit"))
        })
        .map(|n| n.rect())
        .filter(|r| r.bottom() <= 700.0)
        .collect();
    assert!(rows.len() >= 5, "{rows:?}");
    for row in &rows {
        assert!(inside_centre(&harness, *row), "a hit's row at {row:?}");
    }
    nothing_runs_under_the_inspector(&harness, "Search", false);

    // The hit is in view with room after it, and the context before it is cut at its start, so
    // the words next to the hit are the ones shown (text runs: what is drawn).
    let texts: Vec<(String, Rect)> = (harness.root().children_recursive())
        .filter(|n| n.accesskit_node().role() == Role::TextRun)
        .filter_map(|n| Some((n.accesskit_node().value()?.to_string(), n.rect())))
        .filter(|(_, r)| r.bottom() <= 700.0 && rows.iter().any(|row| row.contains(r.center())))
        .collect();
    let hits: Vec<Rect> = (texts.iter())
        .filter(|(t, _)| t.to_lowercase() == "brukermedvirkning")
        .map(|(_, r)| *r)
        .collect();
    assert!(hits.len() >= 5, "{texts:?}");
    let (_, right) = centre(&harness);
    for hit in hits {
        assert!(
            inside_centre(&harness, hit) && right - hit.right() >= 50.0,
            "{hit:?}"
        );
        let before = texts.iter().find(|(_, r)| {
            (r.center().y - hit.center().y).abs() < 2.0 && (hit.left() - r.right()).abs() < 12.0
        });
        let (left, _) = before.unwrap_or_else(|| panic!("no context before the hit at {hit:?}"));
        assert!(!left.ends_with('…'), "{left:?} is cut next to the hit");
    }
}
