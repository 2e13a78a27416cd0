//! The workbench driven through egui's accessibility tree (egui_kittest, no GPU).
#![cfg(feature = "gui")]

mod common;

use std::path::PathBuf;

use common::ui::{double_click, drag, settle, step_until, text_origin, type_search, wait_for_jobs};
use egui::accesskit::Role;
use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitat::model::{CharSpan, SourceKind};
use sitat::ui::{Action, CentralTab, FilePicker, SitatApp};
use sitat::{CodingFilter, Project};

/// Hands out prepared paths instead of opening native dialogs.
struct PreparedPicker(Vec<PathBuf>);

impl FilePicker for PreparedPicker {
    fn pick_import_files(&mut self) -> Option<Vec<PathBuf>> {
        Some(std::mem::take(&mut self.0))
    }
    fn pick_project(&mut self) -> Option<PathBuf> {
        None
    }
}

fn demo_app(picker: Vec<PathBuf>) -> (common::TempProject, Harness<'static, SitatApp>) {
    let tmp = common::temp_path("demo.sitat");
    let project = sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let app = SitatApp::new(project, None, Box::new(PreparedPicker(picker)));
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        // Frames a 60th of a second apart, as a person's clicks are (a double click is two).
        .with_step_dt(1.0 / 60.0)
        // A search index handed back by its worker in the middle of a run lays the Search tab
        // out again: a few frames more than egui_kittest's default of 4.
        .with_max_steps(12)
        // egui's bundled fonts have no emoji; the test texts do.
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut SitatApp| app.show(ui), app);
    wait_for_jobs(&mut harness);
    (tmp, harness)
}

/// The demo, its index built, on the Search tab with `query` typed.
fn searching(query: &str) -> (common::TempProject, Harness<'static, SitatApp>) {
    let (tmp, mut harness) = demo_app(vec![]);
    type_search(&mut harness, query);
    (tmp, harness)
}

/// Clicks the checkbox labelled `label` (a theme in a filter, an actor in a menu).
fn tick(harness: &mut Harness<'_, SitatApp>, label: &str) {
    harness.get_by_role_and_label(Role::CheckBox, label).click();
    settle(harness);
}

/// Opens the drop-down showing `current` and picks `choice` in it.
fn choose(harness: &mut Harness<'_, SitatApp>, current: &str, choice: &str) {
    harness
        .get_by(|n| n.role() == Role::ComboBox && n.value().as_deref() == Some(current))
        .click();
    settle(harness);
    harness
        .get_all_by_label(choice)
        .last()
        .expect("the choice in the open drop-down")
        .click();
    settle(harness);
}

fn project<'h>(harness: &'h Harness<'_, SitatApp>) -> &'h Project {
    &harness.state().project
}

#[test]
fn the_demo_opens_with_sources_by_actor_and_the_codebook() {
    let (_tmp, harness) = demo_app(vec![]);
    for actor in ["KDD", "LO", "KS", "FFO"] {
        harness.get_by_label_contains(&format!("{actor}  ·  "));
    }
    harness.get_by_label_contains("Regler/rettigheter ↔ Skjønn");
    harness.get_by_label_contains("Brukermedvirkning  (");
    assert!(
        harness.state().document.source_id.is_some(),
        "a source is open"
    );
}

#[test]
fn select_a_span_and_apply_a_theme_then_undo() {
    let (_tmp, mut harness) = demo_app(vec![]);
    let source_id = harness.state().document.source_id.unwrap();
    let theme = project(&harness)
        .theme_by_name("Brukermedvirkning")
        .unwrap();
    let filter = CodingFilter {
        theme_ids: vec![theme.id],
        source_ids: vec![source_id],
        ..Default::default()
    };
    let before = project(&harness).excerpts(&filter).unwrap().len();

    // A drag along the first line, from inside its fourth letter to a few words on.
    let origin = text_origin(&harness);
    drag(
        &mut harness,
        origin + Vec2::new(26.0, 8.0),
        origin + Vec2::new(113.0, 8.0),
    );
    let dragged = harness.state().document.selection;
    assert_eq!(dragged, Some(CharSpan::new(3, 17)));
    harness
        .get_by_label_contains("Brukermedvirkning  (")
        .click();
    settle(&mut harness);
    let after = project(&harness).excerpts(&filter).unwrap();
    assert_eq!(after.len(), before + 1);
    assert!(after.iter().any(|e| e.coding.span == CharSpan::new(3, 17)));

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(project(&harness).excerpts(&filter).unwrap().len(), before);
    harness.get_by_label_contains("Undid:");

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    settle(&mut harness);
    assert_eq!(
        project(&harness).excerpts(&filter).unwrap().len(),
        before + 1
    );
}

#[test]
fn a_number_key_applies_that_theme() {
    let (_tmp, mut harness) = demo_app(vec![]);
    let source_id = harness.state().document.source_id.unwrap();
    // A double click on the first word, "Nettopp", selects it.
    let at = text_origin(&harness) + Vec2::new(25.0, 8.0);
    double_click(&mut harness, at);
    assert_eq!(
        harness.state().document.selection,
        Some(CharSpan::new(0, 7))
    );
    let count = project(&harness)
        .codings_of_source(source_id)
        .unwrap()
        .len();
    harness.key_press(Key::Num5);
    settle(&mut harness);
    let codings = project(&harness).codings_of_source(source_id).unwrap();
    assert_eq!(codings.len(), count + 1);
    assert!(codings.iter().any(|c| c.span == CharSpan::new(0, 7)));
}

#[test]
fn the_stance_slider_changes_the_stored_stance() {
    let (_tmp, mut harness) = demo_app(vec![]);
    let axis = project(&harness)
        .themes()
        .unwrap()
        .into_iter()
        .find(|t| t.is_axis())
        .unwrap();
    let excerpt = project(&harness)
        .excerpts(&CodingFilter::theme(axis.id))
        .unwrap()
        .into_iter()
        .find(|e| e.coding.stance.is_some_and(|s| s.value() < 2))
        .expect("an axis coding with room to move right");
    let before = excerpt.coding.stance.unwrap().value();
    harness.state_mut().push(Action::OpenSource(
        excerpt.coding.source_id,
        Some(excerpt.coding.span),
    ));
    harness
        .state_mut()
        .push(Action::SelectCoding(Some(excerpt.coding.id)));
    settle(&mut harness);
    let slider = harness.get_by_role_and_label(egui::accesskit::Role::Slider, "Stance");
    slider.focus();
    settle(&mut harness);
    harness.key_press(Key::ArrowRight);
    settle(&mut harness);
    let stance = project(&harness)
        .coding(excerpt.coding.id)
        .unwrap()
        .stance
        .unwrap();
    assert_eq!(stance.value(), before + 1);
}

#[test]
fn the_retrieve_view_lists_a_themes_excerpts_for_one_actor() {
    let (_tmp, mut harness) = demo_app(vec![]);
    let theme = project(&harness)
        .theme_by_name("Brukermedvirkning")
        .unwrap();
    let ffo = project(&harness).actor_by_name("FFO").unwrap();
    let expected = project(&harness)
        .excerpts(&CodingFilter {
            theme_ids: vec![theme.id],
            actor_ids: vec![ffo.id],
            ..Default::default()
        })
        .unwrap();
    assert!(!expected.is_empty());
    harness.get_by_label("Retrieve").click();
    settle(&mut harness);
    tick(&mut harness, &theme.name);
    choose(&mut harness, "all actors", "FFO");
    harness.get_by_label(&format!("{} excerpts", expected.len()));
    let shown = harness.query_all_by_label_contains("(FFO) · ").count();
    assert_eq!(shown, expected.len());
    assert_eq!(harness.query_all_by_label_contains("(KS) · ").count(), 0);
}

#[test]
fn importing_through_the_ui_adds_a_source_and_a_bad_file_shows_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("Fokusgruppe NAV.txt");
    std::fs::write(&good, "Deltaker: Vi vil bli hørt 😀\r\nLeder: Takk.\r\n").unwrap();
    let (_tmp, mut harness) = demo_app(vec![good]);
    harness.get_by_label("File").click();
    settle(&mut harness);
    harness.get_by_label_contains("Import files").click();
    settle(&mut harness);
    // Asked the kind of the sources: an interview (the default).
    harness.get_by_label("Import these files").click();
    // A job's progress keeps the UI repainting: step, don't run to rest.
    harness.step();
    wait_for_jobs(&mut harness);
    let imported = project(&harness)
        .sources()
        .unwrap()
        .into_iter()
        .find(|s| s.title == "Fokusgruppe NAV")
        .expect("imported");
    assert_eq!(imported.kind, SourceKind::Interview);
    assert_eq!(harness.state().document.source_id, Some(imported.id));

    let bad = dir.path().join("scan.txt");
    std::fs::write(&bad, [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let sources = project(&harness).sources().unwrap().len();
    harness.state_mut().push(Action::ImportFiles(vec![bad]));
    // A job's progress keeps the UI repainting: step, don't run to rest.
    harness.step();
    wait_for_jobs(&mut harness);
    harness.get_by_label_contains("binary file");
    assert_eq!(project(&harness).sources().unwrap().len(), sources);
    // The app keeps working: coding still goes through. A drag over "Deltaker" selects it,
    // and the 1 key codes it.
    let origin = text_origin(&harness);
    drag(
        &mut harness,
        origin + Vec2::new(1.0, 8.0),
        origin + Vec2::new(58.0, 8.0),
    );
    assert_eq!(
        harness.state().document.selection,
        Some(CharSpan::new(0, 8))
    );
    harness.key_press(Key::Num1);
    settle(&mut harness);
    let codings = project(&harness).codings_of_source(imported.id).unwrap();
    assert_eq!(codings.len(), 1);
    assert_eq!(codings[0].span, CharSpan::new(0, 8));
    assert!(
        harness
            .state()
            .notice
            .as_ref()
            .is_none_or(|n| !n.is_error || n.text.contains("binary"))
    );
}

/// New speaker labels are asked about once, per file: one becomes a person the project has, one
/// a new person of a new actor, and the roles stay unattributed; the import is one undo step.
#[test]
fn importing_a_transcript_asks_who_each_new_speaker_is() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("Intervju KS.txt");
    std::fs::write(
        &one,
        "I: Hva betyr tillitsreformen?\r\nR: Vi må få gå på skjønn 😀\r\nI: Og så?\r\nR: Tillit.\r\n",
    )
    .unwrap();
    let two = dir.path().join("Fokusgruppe.txt");
    std::fs::write(
        &two,
        "Moderator: Velkommen.\nÅse Berg: Vi vil bli hørt.\nModerator: Takk.\nÅse Berg: Æ takker.\n",
    )
    .unwrap();
    let (_tmp, mut harness) = demo_app(vec![one.clone(), two.clone()]);
    let persons = project(&harness).persons().unwrap().len();
    let actors = project(&harness).actors().unwrap().len();
    let sources = project(&harness).sources().unwrap().len();
    harness.get_by_label("File").click();
    settle(&mut harness);
    harness.get_by_label_contains("Import files").click();
    settle(&mut harness);
    harness.get_by_label("Import these files").click();
    harness.step();
    wait_for_jobs(&mut harness);
    assert!(harness.state().speaker_dialog.is_some());
    harness.get_by_label("Who is speaking?");
    harness.get_by_label_contains("Vi må få gå på skjønn");
    // Nothing is imported while the question is open.
    assert_eq!(project(&harness).sources().unwrap().len(), sources);
    // A second transcript with new speakers waits its turn: refused with a message, the open
    // question kept.
    harness
        .state_mut()
        .push(Action::ImportFiles(vec![two.clone()]));
    harness.step();
    wait_for_jobs(&mut harness);
    harness.get_by_label_contains("still asking who is speaking");
    harness.get_by_label("Who is speaking?");
    assert_eq!(project(&harness).sources().unwrap().len(), sources);

    // Rows: I and R of the interview, then Moderator and Åse Berg of the focus group.
    let combo = |value: &'static str| {
        move |node: &egui_kittest::kittest::AccessKitNode<'_>| {
            node.role() == egui::accesskit::Role::ComboBox && node.value().as_deref() == Some(value)
        }
    };
    let open_r = |harness: &mut Harness<'_, SitatApp>| {
        harness
            .get_all_by(combo("leave unattributed"))
            .nth(1)
            .unwrap()
            .click();
        settle(harness);
    };
    // Escape closes the drop-down, not the question.
    open_r(&mut harness);
    harness.key_press(Key::Escape);
    settle(&mut harness);
    assert!(harness.state().speaker_dialog.is_some());
    assert!(harness.query_by_label("Helge Eide (KS)").is_none());
    open_r(&mut harness);
    harness.get_by_label("Helge Eide (KS)").click();
    settle(&mut harness);
    // Åse Berg is offered as a new person, of no actor until one is chosen: Import waits.
    harness.get_by_label("Import").click();
    settle(&mut harness);
    assert!(harness.state().speaker_dialog.is_some());
    harness.get_by_label_contains("choose the actor Åse Berg speaks for");
    // Make it a new actor.
    harness.get_by(combo("choose an actor…")).click();
    settle(&mut harness);
    harness.get_by_label("new actor…").click();
    settle(&mut harness);
    harness.get_by_label("Import").click();
    settle(&mut harness);
    // The new actor has no name yet: Import waits.
    assert!(harness.state().speaker_dialog.is_some());
    harness.get_by_label_contains("name the new actor of Åse Berg");
    let actor_name = harness.get_by(|node| node.placeholder() == Some("its name"));
    actor_name.focus();
    actor_name.type_text("Brukerrådet");
    settle(&mut harness);
    harness.get_by_label("Import").click();
    harness.step();
    wait_for_jobs(&mut harness);
    assert!(harness.state().speaker_dialog.is_none());
    // The imported interview opens, its speaker named in the header.
    harness.get_by_label_contains("speakers: Helge Eide (KS)");

    let p = project(&harness);
    let all = p.sources().unwrap();
    let source = |title: &str| all.iter().find(|s| s.title == title).unwrap().id;
    let name_of = |id| p.person(id).unwrap().name;
    let interview: Vec<_> = p
        .speaker_turns(source("Intervju KS"))
        .unwrap()
        .into_iter()
        .map(|t| name_of(t.person_id))
        .collect();
    assert_eq!(interview, ["Helge Eide", "Helge Eide"]);
    // Listed with KS: all its attributed turns are a KS person's.
    let listed = p.sources().unwrap();
    let ks = p
        .actors()
        .unwrap()
        .into_iter()
        .find(|a| a.name == "KS")
        .unwrap();
    let summary = listed.iter().find(|s| s.title == "Intervju KS").unwrap();
    assert_eq!(summary.actor_id, Some(ks.id));
    let group = p.speaker_turns(source("Fokusgruppe")).unwrap();
    assert_eq!(
        group.len(),
        2,
        "Åse Berg's turns; the moderator's stay unattributed"
    );
    let berg = p.person(group[0].person_id).unwrap();
    assert_eq!(berg.name, "Åse Berg");
    assert_eq!(p.actor(berg.actor_id).unwrap().name, "Brukerrådet");
    assert_eq!(p.persons().unwrap().len(), persons + 1);

    harness.state_mut().push(Action::Undo);
    settle(&mut harness);
    let p = project(&harness);
    assert_eq!(p.sources().unwrap().len(), sources);
    assert_eq!(p.persons().unwrap().len(), persons);
    assert_eq!(p.actors().unwrap().len(), actors);
}

#[test]
fn the_compare_view_shows_a_column_per_actor() {
    let (_tmp, mut harness) = demo_app(vec![]);
    harness.get_by_label("Compare actors").click();
    settle(&mut harness);
    for actor in ["KDD", "LO", "KS", "FFO"] {
        harness.get_by_label(actor);
    }
    // The first axis theme is chosen; FFO leans to rules/rights on it.
    harness.get_by_label_contains("mean stance -1.00");
    assert!(
        harness
            .query_all_by_label_contains("stance -1")
            .next()
            .is_some()
    );
}

#[test]
fn the_theme_editor_deletes_a_theme_and_undo_brings_it_back() {
    let (_tmp, mut harness) = demo_app(vec![]);
    let theme = project(&harness)
        .theme_by_name("Ressurser og kapasitet")
        .unwrap();
    let codings = project(&harness)
        .excerpts(&CodingFilter::theme(theme.id))
        .unwrap()
        .len();
    assert!(codings > 0);
    harness.state_mut().push(Action::EditTheme(Some(theme.id)));
    settle(&mut harness);
    harness.get_by_label("Delete theme…").click();
    settle(&mut harness);
    harness.get_by_label_contains(&format!("with {codings} codings"));
    harness.get_by_label("Delete").click();
    settle(&mut harness);
    assert!(
        project(&harness)
            .theme_by_name("Ressurser og kapasitet")
            .is_err()
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    let back = project(&harness)
        .theme_by_name("Ressurser og kapasitet")
        .unwrap();
    let restored = project(&harness)
        .excerpts(&CodingFilter::theme(back.id))
        .unwrap();
    assert_eq!(restored.len(), codings);
}

#[test]
fn memos_are_added_listed_and_deleted() {
    let (_tmp, mut harness) = demo_app(vec![]);
    harness
        .state_mut()
        .push(Action::AddMemo(sitat::model::MemoTarget::Project));
    settle(&mut harness);
    assert_eq!(harness.state().tab, CentralTab::Memos);
    assert_eq!(project(&harness).memos().unwrap().len(), 1);
    // Listed with the memos written on codings.
    let coding_memos = project(&harness)
        .all_codings()
        .unwrap()
        .iter()
        .filter(|c| !c.memo.trim().is_empty())
        .count();
    harness.get_by_label(&format!("{} memos", coding_memos + 1));
    harness.get_by_label("Delete memo").click();
    settle(&mut harness);
    assert!(project(&harness).memos().unwrap().is_empty());
}

#[test]
fn retrieve_with_all_themes_keeps_only_text_coded_with_each() {
    let (_tmp, mut harness) = demo_app(vec![]);
    let a = project(&harness)
        .theme_by_name("Brukermedvirkning")
        .unwrap()
        .id;
    let b = project(&harness)
        .theme_by_name("Trepartssamarbeid og partssamarbeid")
        .unwrap()
        .id;
    let filter = CodingFilter {
        theme_ids: vec![a, b],
        ..Default::default()
    };
    let any = project(&harness).excerpts(&filter).unwrap();
    let all = sitat::filter::coded_with_all_themes(
        any.clone(),
        &filter.theme_ids,
        &project(&harness).all_codings().unwrap(),
    );
    assert!(
        !all.is_empty() && all.len() < any.len(),
        "{} of {}",
        all.len(),
        any.len()
    );
    harness.get_by_label("Retrieve").click();
    settle(&mut harness);
    tick(&mut harness, "Brukermedvirkning");
    tick(&mut harness, "Trepartssamarbeid og partssamarbeid");
    harness
        .get_by_label("all ticked themes (overlapping)")
        .click();
    settle(&mut harness);
    harness.get_by_label(&format!("{} excerpts", all.len()));
}

#[test]
fn positions_matrix_and_disagreements_views_tell_the_demo_story() {
    let (_tmp, mut harness) = demo_app(vec![]);
    harness.get_by_label("Positions").click();
    settle(&mut harness);
    // Chapter 4's story: FFO leans to rules and rights, the others to discretion; KS to local
    // autonomy, FFO to the state, KDD in the middle.
    harness.get_by_label_contains(
        "LO +1.00 (n = 3 quotes) · KS +1.00 (n = 1 quote) · FFO -1.00 (n = 1 quote)",
    );
    harness.get_by_label_contains("KDD 0.00 (n = 1 quote) · LO +1.00 (n = 1 quote) · KS +2.00 (n = 2 quotes) · FFO -1.00 (n = 1 quote)");

    harness.get_by_label("Matrix").click();
    settle(&mut harness);
    let ks = project(&harness).actor_by_name("KS").unwrap();
    let axis = project(&harness)
        .theme_by_name("Statlig styring ↔ Lokal autonomi")
        .unwrap();
    let matrix = sitat::analysis::actor_theme_matrix(project(&harness)).unwrap();
    let cell = *matrix.cell(ks.id, axis.id).unwrap();
    assert_eq!((cell.quotes, cell.count), (4, 4));
    let label = format!("4  ({:.0} %)", cell.share.unwrap() * 100.0);
    harness.get_by_label(&label).click();
    settle(&mut harness);
    assert_eq!(harness.state().tab, CentralTab::Retrieve);
    assert_eq!(harness.state().retrieve.actor, Some(ks.id));
    assert!(harness.state().retrieve.themes.contains(&axis.id));
    harness.get_by_label("4 excerpts");

    harness.get_by_label("Disagreements").click();
    // The ranking runs on its own thread: step frames until its page arrives.
    step_until(&mut harness, |h| {
        h.query_all_by_label_contains("of opposing quotes")
            .next()
            .is_some()
    });
    // FFO's rights quote (the whole quote −1 with its sentence on rights −1 inside: one quote)
    // stands against the discretion side of KDD, LO and KS.
    let pairs = harness
        .query_all_by_label_contains("Lilly Ann Elvestad (FFO) · stance -1 · 2 codings")
        .count();
    assert!(pairs >= 2, "{pairs} opposing pairs with Elvestad's quote");
    // Shown once in full; where it comes again, a reference to it.
    assert!(
        harness
            .query_all_by_label_contains("(the same quote as above)")
            .next()
            .is_some()
    );
}

#[test]
fn a_new_project_opens_empty_and_a_bad_one_shows_an_error() {
    let (tmp, mut harness) = demo_app(vec![]);
    let path = tmp.dir.path().join("ny.sitat");
    harness.state_mut().push(Action::NewProject(path.clone()));
    harness.step();
    wait_for_jobs(&mut harness);
    assert_eq!(project(&harness).path(), path.as_path());
    assert!(project(&harness).sources().unwrap().is_empty());
    harness.get_by_label_contains("Choose a source");
    // Creating it again is refused, and the app stays on the open project.
    harness.state_mut().push(Action::NewProject(path.clone()));
    settle(&mut harness);
    harness.get_by_label_contains("exists already");
    assert_eq!(project(&harness).path(), path.as_path());
}

#[test]
fn compare_columns_follow_the_chosen_actors_and_order() {
    let (_tmp, mut harness) = demo_app(vec![]);
    harness.get_by_label("Compare actors").click();
    settle(&mut harness);
    // Show only FFO and KS, FFO first: untick KDD and LO, move FFO up past KS. A click in the
    // menu closes it: it is opened again for the next.
    let open_menu = |h: &mut Harness<'_, SitatApp>| {
        if h.query_by_role_and_label(Role::CheckBox, "FFO").is_none() {
            h.get_by_label("Actors and order").click();
            h.run();
        }
    };
    open_menu(&mut harness);
    tick(&mut harness, "KDD");
    open_menu(&mut harness);
    tick(&mut harness, "LO");
    let row_of = |h: &Harness<'_, SitatApp>, name: &str| {
        h.get_by_role_and_label(Role::CheckBox, name)
            .rect()
            .center()
            .y
    };
    open_menu(&mut harness);
    assert!(
        row_of(&harness, "KS") < row_of(&harness, "FFO"),
        "KS starts first"
    );
    while row_of(&harness, "FFO") > row_of(&harness, "KS") {
        let y = row_of(&harness, "FFO");
        harness
            .get_all_by_label("▲")
            .find(|up| (up.rect().center().y - y).abs() < 4.0)
            .expect("FFO's ▲")
            .click();
        settle(&mut harness);
        open_menu(&mut harness);
    }
    harness.key_press(Key::Escape);
    settle(&mut harness);
    harness.get_by_label("FFO");
    harness.get_by_label("KS");
    assert!(harness.query_by_label("KDD").is_none());
    let ffo_x = harness.get_by_label("FFO").rect().min.x;
    let ks_x = harness.get_by_label("KS").rect().min.x;
    assert!(ffo_x < ks_x, "FFO's column comes first");
}

/// Opens Search's theme list for coding hits and clicks `theme` (scrolled to when the list is
/// longer than it shows).
fn choose_the_hits_theme(harness: &mut Harness<'_, SitatApp>, theme: &str) {
    harness
        .get_by(|n| {
            n.role() == egui::accesskit::Role::ComboBox
                && n.value().as_deref() == Some("choose a theme…")
        })
        .click();
    settle(harness);
    harness.get_by_label(theme).scroll_to_me();
    settle(harness);
    harness.get_by_label(theme).click();
    settle(harness);
}

/// Hits widened to their paragraphs are fewer passages than hits: the status says why, so that
/// no hit looks lost.
#[test]
fn coding_hits_by_paragraph_says_why_there_are_fewer_passages() {
    let (_tmp, mut harness) = demo_app(vec![]);
    wait_for_jobs(&mut harness);
    type_search(&mut harness, "tillit");
    choose_the_hits_theme(&mut harness, "Tillit i begge retninger");
    harness.get_by_label("its paragraph").click();
    settle(&mut harness);
    let code = harness.get_by(|n| {
        n.label()
            .is_some_and(|l| l.starts_with("Code ") && l.ends_with(" hits"))
    });
    code.click();
    wait_for_jobs(&mut harness);
    harness.get_by_label_contains("hits in one passage are coded once");
}

#[test]
fn search_finds_compounds_and_codes_the_hits_in_one_step() {
    let (_tmp, mut harness) = demo_app(vec![]);
    wait_for_jobs(&mut harness);
    assert!(
        harness.state().search_index().is_some(),
        "the index was built in the background"
    );
    let theme = project(&harness)
        .theme_by_name("Ressurser og kapasitet")
        .unwrap();
    let before = project(&harness)
        .excerpts(&CodingFilter::theme(theme.id))
        .unwrap()
        .len();
    type_search(&mut harness, "medvirkning actor:FFO");
    choose_the_hits_theme(&mut harness, "Ressurser og kapasitet");
    let n = {
        let app = harness.state();
        let index = app.search_index().unwrap();
        let results = index
            .search(&app.project, "medvirkning actor:FFO", 500)
            .unwrap();
        assert!(
            results
                .hits
                .iter()
                .all(|h| results.actor_name(h) == Some("FFO"))
        );
        results.hits.len()
    };
    assert!(n > 0);
    harness.get_by_label(&format!("Code {n} hits")).click();
    wait_for_jobs(&mut harness);
    let after = project(&harness)
        .excerpts(&CodingFilter::theme(theme.id))
        .unwrap()
        .len();
    assert!(after > before, "{before} → {after}");
    harness.get_by_label_contains(&format!("passages from {n} hits"));

    // Coded again: nothing new, said so, and no step to undo.
    harness.get_by_label(&format!("Code {n} hits")).click();
    wait_for_jobs(&mut harness);
    harness.get_by_label_contains("Nothing new to code");
    assert_eq!(
        project(&harness)
            .excerpts(&CodingFilter::theme(theme.id))
            .unwrap()
            .len(),
        after
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(
        project(&harness)
            .excerpts(&CodingFilter::theme(theme.id))
            .unwrap()
            .len(),
        before
    );
}

#[test]
fn the_search_tab_counts_hits_and_paragraphs_in_words_that_agree() {
    let (_tmp, harness) = searching("tillit actor:KS");
    // KS's one interview paragraph on the reform names it twice.
    harness.get_by_label("2 hits in 1 paragraph; KS 1 paragraph");
}

#[test]
fn a_search_without_matches_says_so_and_offers_nothing_to_code() {
    let (_tmp, harness) = searching("sjøormer");
    harness.get_by_label("No paragraph matches this query.");
    assert!(harness.query_by_label_contains("Code ").is_none());
}

/// A coding made with the mouse is found by a search once the index's background refresh is
/// done: the frames go on meanwhile, and the Search tab then shows the new hit.
#[test]
fn a_new_coding_is_searchable_after_the_background_refresh() {
    let (_tmp, mut harness) = demo_app(vec![]);
    let source_id = harness.state().document.source_id.unwrap();
    // A theme that codes no paragraph with "nettopp" yet.
    let (theme, query) = {
        let app = harness.state();
        let index = app.search_index().unwrap();
        app.project
            .themes()
            .unwrap()
            .into_iter()
            .map(|t| {
                let query = format!("theme:\"{}\" nettopp", t.name);
                (t, query)
            })
            .find(|(_, query)| index.search(&app.project, query, 500).unwrap().paragraphs == 0)
            .expect("a theme that codes no paragraph with «nettopp»")
    };
    type_search(&mut harness, &query);
    harness.get_by_label("No paragraph matches this query.");

    harness.get_by_label("Document").click();
    settle(&mut harness);
    // The first word of the open source, "Nettopp", coded from the codebook.
    let at = text_origin(&harness) + Vec2::new(25.0, 8.0);
    double_click(&mut harness, at);
    assert_eq!(
        harness.state().document.selection,
        Some(CharSpan::new(0, 7))
    );
    harness
        .get_by_label_contains(&format!("{}  (", theme.name))
        .click();
    settle(&mut harness);
    let codings = project(&harness).codings_of_source(source_id).unwrap();
    assert!(
        codings
            .iter()
            .any(|c| c.theme_id == theme.id && c.span == CharSpan::new(0, 7))
    );

    harness.get_by_label("Search").click();
    step_until(&mut harness, |h| {
        h.query_by_label_contains(" in 1 paragraph;").is_some()
    });
    let index = harness.state().search_index().expect("the index is back");
    assert_eq!(
        index.committed_revision(),
        project(&harness).revision().unwrap()
    );
}

#[test]
fn clicking_a_search_hit_opens_its_source_with_the_hit_selected() {
    let (_tmp, mut harness) = searching("medvirkning");
    let (first, first_words) = {
        let app = harness.state();
        let index = app.search_index().unwrap();
        let results = index.search(&app.project, "medvirkning", 500).unwrap();
        (results.hits[0], results.kwic(&results.hits[0]).hit)
    };
    // The first row's hit: the first button with its text, in the order the rows are drawn.
    harness
        .get_all_by_label(&first_words)
        .next()
        .expect("a row with the first hit")
        .click();
    settle(&mut harness);
    let app = harness.state();
    assert_eq!(app.tab, CentralTab::Document);
    assert_eq!(app.document.source_id, Some(first.source_id));
    // Kept as the selection: painted in the text, and what a theme button codes.
    assert_eq!(app.document.selection, Some(first.span));
}

#[test]
fn exporting_through_the_ui_writes_the_file() {
    let (tmp, mut harness) = demo_app(vec![]);
    let out = tmp.dir.path().join("eksport.csv");
    harness.state_mut().push(Action::Export(
        sitat::export::ExportFormat::Csv,
        out.clone(),
    ));
    // A job's progress keeps the UI repainting: step, don't run to rest.
    harness.step();
    wait_for_jobs(&mut harness);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(
        csv.starts_with("coding_id,theme"),
        "{}",
        &csv[..80.min(csv.len())]
    );
    assert!(csv.contains("Brukermedvirkning"));
}
