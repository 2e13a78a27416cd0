//! The workbench's Edit → Undo takes back a change made in an earlier run.
#![cfg(feature = "gui")]

mod common;

use common::ui::{NoFiles, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitat::model::CharSpan;
use sitat::ui::SitatApp;
use sitat::{NewCoding, Project};

#[test]
fn edit_undo_after_reopening_takes_back_the_last_runs_coding() {
    let f = common::fixture();
    let path = f.tmp.path.clone();
    let mut project = f.project;
    let id = project
        .code(NewCoding::new(f.interview, CharSpan::new(0, 9), f.plain))
        .unwrap();
    drop(project);

    // A new run of the workbench on the same file.
    let app = SitatApp::new(Project::open(&path).unwrap(), None, Box::new(NoFiles));
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut SitatApp| app.show(ui), app);
    harness.run_steps(3);
    harness.get_by_label("Edit").click();
    settle(&mut harness);
    harness.get_by_label_contains("Undo code").click();
    settle(&mut harness);
    assert!(harness.state().project.coding(id).is_err());
    drop(harness);
    assert!(Project::open(&path).unwrap().coding(id).is_err());
}

#[test]
fn edit_history_lists_earlier_runs_changes_and_undoes_from_the_window() {
    let f = common::fixture();
    let path = f.tmp.path.clone();
    let mut project = f.project;
    project.set_coder("Ada");
    let id = project
        .code(NewCoding::new(f.interview, CharSpan::new(0, 9), f.plain))
        .unwrap();
    drop(project);

    let app = SitatApp::new(Project::open(&path).unwrap(), None, Box::new(NoFiles));
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut SitatApp| app.show(ui), app);
    harness.run_steps(3);
    harness.get_by_label("Edit").click();
    harness.run_steps(2);
    harness.get_by_label("History…").click();
    harness.run_steps(3);
    harness.get_by_label_contains("newest first");
    // The last run's coding, by its coder, with the row's time.
    harness.get_by_label("Ada");
    let undo = harness.get_by_label_contains("Undo code");
    undo.click();
    harness.run_steps(3);
    assert!(
        harness.state().project.coding(id).is_err(),
        "the window's Undo took the coding back"
    );
    harness.get_by_label_contains("undid:");
    harness.get_by_label_contains("Redo code").click();
    harness.run_steps(3);
    assert!(
        harness.state().project.coding(id).is_ok(),
        "and Redo brought it again"
    );
}
