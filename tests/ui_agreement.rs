//! The Coders tab, driven by clicks and keys: agreement figures, a difference between two
//! coders settled with a button, taken back with Ctrl+Z; File → Merge project….
#![cfg(feature = "gui")]

mod common;

use std::path::PathBuf;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitat::model::*;
use sitat::ui::{FilePicker, SitatApp};
use sitat::{NewCoding, Project};

/// Answers the merge dialog with a prepared path; cancels everything else.
struct MergePicker(Option<PathBuf>);

impl FilePicker for MergePicker {
    fn pick_import_files(&mut self) -> Option<Vec<PathBuf>> {
        None
    }
    fn pick_project(&mut self) -> Option<PathBuf> {
        None
    }
    fn pick_merge_project(&mut self) -> Option<PathBuf> {
        self.0.take()
    }
}

fn harness(project: Project, merge: Option<PathBuf>) -> Harness<'static, SitatApp> {
    let app = SitatApp::new(project, None, Box::new(MergePicker(merge)));
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut SitatApp| app.show(ui), app);
    harness.run_steps(5);
    harness
}

/// The demo, with a second coder who coded one demo quote again with another extent.
fn two_coder_demo(tmp: &common::TempProject) -> (Project, CodingId) {
    let mut project = sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let first = project.all_codings().unwrap()[0].clone();
    project.set_coder("Bo");
    let mut again = NewCoding::new(
        first.source_id,
        CharSpan::new(first.span.start, first.span.end - 1),
        first.theme_id,
    );
    again.stance = first.stance.map(|s| s.value());
    project.code(again).unwrap();
    (project, first.id)
}

#[test]
fn a_difference_is_settled_with_a_click_and_undone_with_ctrl_z() {
    let tmp = common::temp_path("coders.sitat");
    let (project, _) = two_coder_demo(&tmp);
    let codings_before = project.all_codings().unwrap();
    let mut harness = harness(project, None);

    harness.get_by_label("Coders").click();
    harness.run_steps(3);
    harness.get_by_label_contains("coded by every one of them");
    harness.get_by_label("Where two coders differ").click();
    harness.run_steps(3);
    // The demo's coder coded many quotes Bo did not: each is a difference; the first listed is
    // on the source both coded.
    harness.get_by_label_contains("differences between");

    let accept = harness
        .get_all_by_label_contains("Accept Bo's")
        .next()
        .unwrap();
    accept.click();
    harness.run_steps(3);
    let notice = harness.state().notice.clone();
    assert!(
        notice
            .as_ref()
            .is_some_and(|n| n.text.contains("Settled the difference")),
        "{notice:?}"
    );
    let after = harness.state().project.all_codings().unwrap();
    assert_ne!(after, codings_before, "the click changed the codings");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(
        harness.state().project.all_codings().unwrap(),
        codings_before,
        "one Ctrl+Z takes the settlement back"
    );
}

#[test]
fn file_merge_project_brings_a_colleagues_codings_in() {
    let ours = common::temp_path("ours.sitat");
    let project = sitat::corpus::write_demo_project(&ours.path).unwrap();
    let before = project.all_codings().unwrap().len();
    drop(project);
    let theirs = common::temp_path("theirs.sitat");
    std::fs::copy(&ours.path, &theirs.path).unwrap();
    {
        let mut colleague = Project::open(&theirs.path).unwrap();
        colleague.set_coder("Bo");
        let first = colleague.all_codings().unwrap()[0].clone();
        colleague
            .code(NewCoding::new(first.source_id, first.span, first.theme_id))
            .unwrap();
    }
    let project = Project::open(&ours.path).unwrap();
    let mut harness = harness(project, Some(theirs.path.clone()));
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Merge project…").click();
    harness.run_steps(3);
    harness.get_by_label_contains("1 coding added (Undo takes it back)");
    harness.get_by_label("Merge report");
    assert_eq!(
        harness.state().project.all_codings().unwrap().len(),
        before + 1
    );
    // The Coders tab now has two coders to compare.
    harness.get_by_label("Coders").click();
    harness.run_steps(3);
    harness.get_by_label_contains("coded by every one of them");
}

#[test]
fn blind_coding_hides_the_other_coders_codings_in_the_document() {
    let tmp = common::temp_path("blind.sitat");
    let (project, first) = two_coder_demo(&tmp);
    let source = project.coding(first).unwrap().source_id;
    let everyone = project.codings_of_source(source).unwrap().len();
    // Bo is the coder of this workbench: the demo's codings are another coder's.
    let mut harness = harness(project, None);
    harness
        .state_mut()
        .push(sitat::ui::Action::OpenSource(source, None));
    harness.run_steps(3);
    assert_eq!(harness.state().document.shown_coding_count(), everyone);

    harness.get_by_label("codings shown").click();
    harness.run_steps(2);
    harness
        .get_by_label("only mine (Bo) — blind coding")
        .click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().document.shown_coding_count(),
        1,
        "only Bo's one coding of this source is shown"
    );
    // And back to everyone's.
    harness.get_by_label("codings shown").click();
    harness.run_steps(2);
    harness.get_by_label("every coder's").click();
    harness.run_steps(3);
    assert_eq!(harness.state().document.shown_coding_count(), everyone);
}
