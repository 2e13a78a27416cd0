//! The workbench notices changes another process makes to its project, shows them, and its
//! Edit → Undo takes back the other process's change.
#![cfg(feature = "gui")]

mod common;

use common::ui::{NoFiles, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitat::Project;
use sitat::model::CharSpan;
use sitat::ui::SitatApp;

#[test]
fn a_coding_made_by_another_process_appears_and_can_be_undone() {
    let f = common::fixture();
    let path = f.tmp.path.clone();
    let (source, theme) = (f.interview, f.plain);
    drop(f.project);
    let app = SitatApp::new(Project::open(&path).unwrap(), None, Box::new(NoFiles));
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut SitatApp| app.show(ui), app);
    harness.run_steps(3);
    assert!(
        harness
            .query_by_label_contains("changed elsewhere")
            .is_none()
    );

    // The `sitat` binary, another process, codes the interview.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitat"))
        .arg("code")
        .arg(&path)
        .args([
            "--source",
            &source.0.to_string(),
            "--start",
            "0",
            "--end",
            "9",
        ])
        .args(["--theme", "Brukermedvirkning", "--coder", "cli"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs = Project::open(&path).unwrap().all_codings().unwrap();
    let coding = theirs.iter().find(|c| c.theme_id == theme).unwrap().clone();
    assert_eq!(coding.span, CharSpan::new(0, 9));

    harness.run_steps(2);
    harness.get_by_label_contains("changed elsewhere");
    assert!(harness.state().project.coding(coding.id).is_ok());

    harness.get_by_label("Edit").click();
    settle(&mut harness);
    harness.get_by_label_contains("Undo code").click();
    settle(&mut harness);
    assert!(Project::open(&path).unwrap().coding(coding.id).is_err());
}
