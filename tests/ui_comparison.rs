//! The comparison tabs driven through egui's accessibility tree: the positions map's bounds,
//! Compare's explanations on hover, "Export this view…" through the file picker.
#![cfg(feature = "gui")]

mod common;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitat::ui::{FilePicker, SitatApp};

/// Answers every save dialog with `dir/<the suggested file name>`, and remembers it.
struct SavingPicker {
    dir: PathBuf,
    saved: std::sync::Arc<std::sync::Mutex<Vec<PathBuf>>>,
}

impl FilePicker for SavingPicker {
    fn pick_import_files(&mut self) -> Option<Vec<PathBuf>> {
        None
    }
    fn pick_project(&mut self) -> Option<PathBuf> {
        None
    }
    fn pick_export_path(&mut self, _label: &str, suggested: &Path) -> Option<PathBuf> {
        let path = self.dir.join(suggested.file_name()?);
        self.saved.lock().unwrap().push(path.clone());
        Some(path)
    }
}

type Saved = std::sync::Arc<std::sync::Mutex<Vec<PathBuf>>>;

fn demo_app() -> (common::TempProject, Saved, Harness<'static, SitatApp>) {
    let tmp = common::temp_path("demo.sitat");
    let project = sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let saved = Saved::default();
    let picker = SavingPicker {
        dir: tmp.dir.path().to_path_buf(),
        saved: saved.clone(),
    };
    let app = SitatApp::new(project, None, Box::new(picker));
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut SitatApp| app.show(ui), app);
    // Let the search index's background build finish first: its revision would re-rank views.
    common::ui::wait_for_jobs(&mut harness);
    (tmp, saved, harness)
}

#[test]
fn the_positions_map_spans_the_stances_on_both_axes_whatever_the_window() {
    let (_tmp, _saved, mut harness) = demo_app();
    harness.get_by_label("Positions").click();
    harness.run_steps(3);
    let id = egui::Id::unique(sitat::ui::POSITIONS_MAP_ID);
    let bounds = *egui_plot::PlotMemory::load(&harness.ctx, id)
        .expect("the map was drawn")
        .bounds();
    // −2…+2 and a small margin on both axes: not −6…+6, most of it empty.
    for (min, max) in [
        (bounds.min()[0], bounds.max()[0]),
        (bounds.min()[1], bounds.max()[1]),
    ] {
        assert!(
            (-2.5..=-2.0).contains(&min) && (2.0..=2.5).contains(&max),
            "{bounds:?}"
        );
    }
    // A wider window leaves the map square, on the same bounds.
    harness.set_size(egui::vec2(1800.0, 900.0));
    harness.run_steps(3);
    let wider = *egui_plot::PlotMemory::load(&harness.ctx, id)
        .unwrap()
        .bounds();
    assert_eq!(wider, bounds);
    // n is given in quotes.
    harness.get_by_label_contains("KS +2.00 (n = 2 quotes)");
}

#[test]
fn compare_explains_its_share_and_mean_on_hover_and_names_the_pole() {
    let (_tmp, _saved, mut harness) = demo_app();
    harness.get_by_label("Compare actors").click();
    harness.run_steps(3);
    // The first axis theme is chosen: KDD leans to discretion.
    harness
        .query_all_by_label_contains("% of coded text")
        .next()
        .expect("a share")
        .hover();
    // Tooltips open after a short rest of the pointer.
    harness.run_steps(60);
    harness.get_by_label_contains("Of all the text KDD has coded (with any theme)");
    let mean = harness
        .query_all_by_label("mean stance +1.00, leans to Skjønn")
        .next()
        .expect("KDD's mean");
    mean.hover();
    harness.run_steps(60);
    harness.get_by_label_contains("The mean of the stances of KDD's 2 quotes");
    harness.get_by_label_contains("−2 leans fully to Regler/rettigheter, +2 fully to Skjønn");
    // FFO's whole quote (−1) and its sentence on rights (−1) inside it: one box, one quote.
    harness.get_by_label_contains("stance -1, -1  ·  2 codings, one quote");
    // Each quote's memo is shown under it.
    harness.get_by_label_contains("Memo: Autonomi og bruk av faget i førstelinja");
}

#[test]
fn each_comparison_tab_exports_what_it_shows() {
    let (tmp, saved, mut harness) = demo_app();
    for (tab, format, file, expect) in [
        ("Positions", "HTML (.html)", "demo-positions.html", "<svg"),
        (
            "Compare actors",
            "Markdown (.md)",
            "demo-compare.md",
            "# Compare:",
        ),
        (
            "Matrix",
            "CSV (.csv)",
            "demo-matrix.csv",
            "actor,theme,codings,quotes",
        ),
    ] {
        harness.get_by_label(tab).click();
        harness.run_steps(3);
        harness.get_by_label("Export this view…").click();
        harness.run_steps(2);
        harness.get_by_label(format).click();
        harness.run_steps(3);
        let path = tmp.dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(text.contains(expect), "{file}: {text}");
    }
    // Disagreements are ranked on a thread: wait for the page, then export it.
    harness.get_by_label("Disagreements").click();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    // Until the page is in: the frame before the click is taken still shows the Matrix's menu.
    while harness.query_by_label("Weaker ▶").is_none()
        || harness.query_by_label("Export this view…").is_none()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no disagreements page"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run_steps(3);
    harness.get_by_label("Export this view…").click();
    harness.run_steps(2);
    harness.get_by_label("CSV (.csv)").click();
    harness.run_steps(3);
    let csv = std::fs::read_to_string(tmp.dir.path().join("demo-disagreements.csv")).unwrap();
    assert!(
        csv.starts_with("axis,unit,negative_actor,positive_actor,row"),
        "{csv}"
    );
    assert!(
        csv.contains("Statlig styring ↔ Lokal autonomi,quote,FFO,KS,1,1,3.00"),
        "{csv}"
    );
    assert_eq!(saved.lock().unwrap().len(), 4);
}
