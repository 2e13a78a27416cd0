//! A researcher's daily flows, driven by the events a person sends (pointer presses, moves and
//! releases, wheel turns, key presses): changes named by their quote and theme, every panel
//! showing what the store holds after undo and redo, a source's details edited, theme pickers
//! that show the codebook's tree, "Code in vivo" in view, and the reading place kept between
//! runs. Nothing here assigns to a view's state.
#![cfg(feature = "gui")]

mod common;

use common::ui::{MemoryStorage, NoFiles, drag, press_digit, text_origin, type_search, workbench};
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, PointerButton, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitat::Project;
use sitat::model::{Coding, SourceKind};
use sitat::text::short_quote;
use sitat::ui::SitatApp;

/// The demo in a window of `size`.
fn demo_app(size: [f32; 2]) -> (common::TempProject, Harness<'static, SitatApp>) {
    let tmp = common::temp_path("demo.sitat");
    let project = sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let app = SitatApp::new(project, None, Box::new(NoFiles));
    (tmp, workbench(app, size))
}

fn project<'h>(harness: &'h Harness<'_, SitatApp>) -> &'h Project {
    &harness.state().project
}

fn codings(harness: &Harness<'_, SitatApp>) -> Vec<Coding> {
    let source = harness
        .state()
        .document
        .source_id
        .expect("a source is open");
    project(harness).codings_of_source(source).unwrap()
}

/// Lets the frame settle and background work (the search index following a change) finish:
/// a change starts a worker whose frames would outlast `Harness::run`.
fn settle(harness: &mut Harness<'_, SitatApp>) {
    common::ui::wait_for_jobs(harness);
}

fn button(harness: &Harness<'_, SitatApp>, pos: Pos2, button: PointerButton, pressed: bool) {
    harness.event(Event::PointerButton {
        pos,
        button,
        pressed,
        modifiers: Modifiers::NONE,
    });
}

fn right_click(harness: &mut Harness<'_, SitatApp>, at: Pos2) {
    harness.event(Event::PointerMoved(at));
    button(harness, at, PointerButton::Secondary, true);
    button(harness, at, PointerButton::Secondary, false);
    settle(harness);
}

/// Drags over the start of the document and codes it with the number key 3.
fn code_a_dragged_selection(harness: &mut Harness<'_, SitatApp>) -> Coding {
    let from = text_origin(harness) + Vec2::new(3.0, 8.0);
    drag(harness, from, from + Vec2::new(160.0, 0.0));
    let before = codings(harness);
    press_digit(harness, Key::Num3, "3");
    codings(harness)
        .into_iter()
        .find(|c| !before.iter().any(|b| b.id == c.id))
        .expect("the digit coded the selection")
}

/// How the history names a coding: its quote's start and its theme.
fn coding_label(harness: &Harness<'_, SitatApp>, coding: &Coding) -> String {
    let source = project(harness).source(coding.source_id).unwrap();
    let quote = sitat::text::slice_chars(&source.text, coding.span).unwrap();
    let theme = project(harness).theme(coding.theme_id).unwrap().name;
    format!("«{}» → {theme}", short_quote(quote, 18))
}

/// The text in the field named `label`.
fn field_value(harness: &Harness<'_, SitatApp>, label: &str) -> String {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .value()
        .unwrap_or_default()
}

/// Right-clicks the source's row in the sources panel and opens its editor from the menu.
fn open_source_editor(harness: &mut Harness<'_, SitatApp>, title: &str) {
    let row = harness
        .get_all_by_label_contains(&format!("{title} — "))
        .next()
        .unwrap()
        .rect()
        .center();
    right_click(harness, row);
    harness
        .get_by_label("Edit title, kind, person and details…")
        .click();
    settle(harness);
}

/// The values of the fields named `label` (one per row of a table).
fn field_values(harness: &Harness<'_, SitatApp>, label: &str) -> Vec<String> {
    harness
        .query_all_by_role_and_label(Role::TextInput, label)
        .map(|n| n.value().unwrap_or_default())
        .collect()
}

#[test]
fn undo_redo_and_the_history_name_a_coding_by_its_quote_and_theme() {
    let (_tmp, mut harness) = demo_app([1400.0, 900.0]);
    let coding = code_a_dragged_selection(&mut harness);
    let label = coding_label(&harness, &coding);
    assert!(label.contains('…') || label.len() < 40, "{label}");

    harness.get_by_label("Edit").click();
    settle(&mut harness);
    harness
        .get_by_label_contains(&format!("Undo code {label}"))
        .click();
    settle(&mut harness);
    assert!(project(&harness).coding(coding.id).is_err(), "undone");
    harness.get_by_label(&format!("Undid: code {label}"));

    harness.get_by_label("Edit").click();
    settle(&mut harness);
    harness
        .get_by_label_contains(&format!("Redo code {label}"))
        .click();
    settle(&mut harness);
    assert!(project(&harness).coding(coding.id).is_ok(), "redone");

    harness.get_by_label("Edit").click();
    settle(&mut harness);
    harness.get_by_label("History…").click();
    settle(&mut harness);
    harness.get_by_label(&format!("undid: code {label}"));
    harness.get_by_label(&format!("redid: code {label}"));
    // No row speaks of ids or offsets.
    assert!(
        harness
            .query_all_by_label_contains("with theme ")
            .next()
            .is_none()
    );
}

#[test]
fn the_theme_editor_shows_the_stored_theme_after_undo() {
    let (_tmp, mut harness) = demo_app([1400.0, 900.0]);
    let theme = project(&harness).themes().unwrap()[0].clone();
    harness.get_all_by_label("✏").next().unwrap().click();
    settle(&mut harness);
    assert_eq!(field_value(&harness, "Name"), theme.name);
    common::ui::retype(&mut harness, "Name", "Tillit og kontroll");
    harness.get_by_label("Save theme").click();
    settle(&mut harness);
    assert_eq!(
        project(&harness).theme(theme.id).unwrap().name,
        "Tillit og kontroll"
    );
    assert_eq!(field_value(&harness, "Name"), "Tillit og kontroll");

    // Edit → Undo: the editor shows the name the store holds again; Redo, the new one.
    harness.get_by_label("Edit").click();
    settle(&mut harness);
    harness
        .get_by_label_contains(&format!(
            "Undo rename theme {} to Tillit og kontroll",
            theme.name
        ))
        .click();
    settle(&mut harness);
    assert_eq!(project(&harness).theme(theme.id).unwrap().name, theme.name);
    assert_eq!(field_value(&harness, "Name"), theme.name);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    settle(&mut harness);
    assert_eq!(field_value(&harness, "Name"), "Tillit og kontroll");
}

#[test]
fn theme_pickers_list_children_indented_under_their_parent_and_never_a_theme_under_itself() {
    let (_tmp, mut harness) = demo_app([1400.0, 900.0]);
    let themes = project(&harness).themes().unwrap();
    let child = themes.iter().find(|t| t.parent_id.is_some()).unwrap();
    let parent = project(&harness).theme(child.parent_id.unwrap()).unwrap();

    // Memos → the Theme filter: the child is listed after its parent, further in.
    harness.get_by_label("Memos").click();
    settle(&mut harness);
    harness
        .get_by_role_and_label(Role::ComboBox, "Theme")
        .click();
    settle(&mut harness);
    let option = |harness: &Harness<'_, SitatApp>, name: &str| {
        harness
            .get_all_by_role_and_label(Role::Button, name)
            .last()
            .unwrap_or_else(|| panic!("{name} in the picker"))
            .rect()
    };
    let (parent_at, child_at) = (
        option(&harness, &parent.name),
        option(&harness, &child.name),
    );
    assert!(
        child_at.top() > parent_at.top(),
        "children follow their parent"
    );
    assert!(
        child_at.left() >= parent_at.left() + 10.0,
        "indented: {parent_at:?} {child_at:?}"
    );
    harness.key_press(Key::Escape);
    settle(&mut harness);

    // The theme editor's Parent picker leaves out the theme and everything below it.
    harness.get_by_label("Document").click();
    settle(&mut harness);
    // The pencil on the parent's row of the codebook.
    let parent_row = harness
        .get_all_by_label_contains(&parent.name)
        .find(|n| n.rect().left() < 400.0)
        .unwrap()
        .rect();
    harness
        .get_all_by_label("✏")
        .find(|n| (n.rect().center().y - parent_row.center().y).abs() < 4.0)
        .unwrap()
        .click();
    settle(&mut harness);
    harness.get_by_label("Parent").click();
    settle(&mut harness);
    let offered = |harness: &Harness<'_, SitatApp>, name: &str| {
        harness
            .get_all_by_role_and_label(Role::Button, name)
            .count()
    };
    // The codebook lists every theme once as a button; the picker adds the ones it offers.
    let other = themes
        .iter()
        .find(|t| t.id != parent.id && t.parent_id != Some(parent.id) && t.parent_id.is_none())
        .unwrap();
    assert_eq!(
        offered(&harness, &other.name),
        1,
        "{} is offered",
        other.name
    );
    assert!(
        harness
            .query_all_by_role_and_label(Role::Button, &child.name)
            .next()
            .is_none(),
        "a child of {} is not offered as its parent",
        parent.name
    );
}

#[test]
fn the_source_editor_edits_details_and_kind_in_one_step_and_follows_undo() {
    let (_tmp, mut harness) = demo_app([1400.0, 900.0]);
    let source_id = harness.state().document.source_id.unwrap();
    let source = project(&harness).source(source_id).unwrap();
    open_source_editor(&mut harness, &source.title);
    // The details the source has, each in its own pair of fields.
    let values: Vec<String> = source.metadata.iter().map(|(_, v)| v.clone()).collect();
    assert!(!values.is_empty(), "the demo's sources have details");
    assert_eq!(field_values(&harness, "Value"), values);
    harness.get_by_label("Add a detail").click();
    settle(&mut harness);
    for (label, text) in [("Detail", "intervjudato"), ("Value", "2024-03-01")] {
        harness
            .query_all_by_role_and_label(Role::TextInput, label)
            .last()
            .unwrap()
            .click();
        settle(&mut harness);
        harness
            .query_all_by_role_and_label(Role::TextInput, label)
            .last()
            .unwrap()
            .type_text(text);
        settle(&mut harness);
    }
    harness.get_by_label("Kind").click();
    settle(&mut harness);
    harness.get_by_label("note").click();
    settle(&mut harness);
    harness.get_by_label("Save").click();
    settle(&mut harness);
    let saved = project(&harness).source(source_id).unwrap();
    assert_eq!(saved.kind, SourceKind::Note);
    assert_eq!(
        saved.metadata.last(),
        Some(&("intervjudato".to_string(), "2024-03-01".to_string()))
    );
    assert_eq!(saved.metadata.len(), source.metadata.len() + 1);
    assert_eq!(saved.text, source.text);
    assert_eq!(
        project(&harness).undo_summary().unwrap(),
        format!("edit source «{}»", source.title)
    );

    // Open again, then Edit → Undo: the open window shows what the store holds.
    open_source_editor(&mut harness, &source.title);
    let shows_date = |harness: &Harness<'_, SitatApp>| {
        field_values(harness, "Value").contains(&"2024-03-01".to_string())
    };
    assert!(shows_date(&harness));
    harness.get_by_label("Edit").click();
    settle(&mut harness);
    harness
        .get_by_label_contains(&format!("Undo edit source «{}»", source.title))
        .click();
    settle(&mut harness);
    assert_eq!(project(&harness).source(source_id).unwrap(), source);
    assert!(!shows_date(&harness), "the window follows the undo");
    assert_eq!(
        harness
            .get_by_role_and_label(Role::ComboBox, "Kind")
            .value()
            .as_deref(),
        Some("interview"),
        "the kind shown is the stored one"
    );
    harness.get_by_label("Cancel").click();
    settle(&mut harness);
    assert_eq!(project(&harness).source(source_id).unwrap(), source);
}

#[test]
fn the_memos_tab_shows_the_stored_memo_after_undo_and_redo() {
    let (_tmp, mut harness) = demo_app([1400.0, 900.0]);
    let with_memo = project(&harness)
        .all_codings()
        .unwrap()
        .into_iter()
        .find(|c| !c.memo.trim().is_empty())
        .unwrap();
    harness.get_by_label("Memos").click();
    settle(&mut harness);
    // Found by its words: the list shows only the rows in view.
    let words: String = with_memo
        .memo
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    harness
        .get_by(|n| n.placeholder() == Some("Search memos"))
        .click();
    settle(&mut harness);
    harness
        .get_by(|n| n.placeholder() == Some("Search memos"))
        .type_text(&words);
    settle(&mut harness);
    harness.get_by_label("1 memo");
    let nav_right = harness.get_by_label("Codebook").rect().right();
    harness
        .get_all_by_label_contains(&words)
        .find(|n| n.rect().left() > nav_right)
        .expect("the memo's row")
        .click();
    settle(&mut harness);
    harness.get_by_role(Role::MultilineTextInput).click();
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(Event::Text("Omskrevet".into()));
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    settle(&mut harness);
    assert_eq!(
        project(&harness).coding(with_memo.id).unwrap().memo,
        "Omskrevet"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(
        project(&harness).coding(with_memo.id).unwrap().memo,
        with_memo.memo
    );
    let memo_text = |harness: &Harness<'_, SitatApp>| {
        harness
            .get_by_role(Role::MultilineTextInput)
            .value()
            .unwrap_or_default()
    };
    assert_eq!(memo_text(&harness), with_memo.memo);
    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
    settle(&mut harness);
    assert_eq!(memo_text(&harness), "Omskrevet");
}

#[test]
fn code_in_vivo_is_in_view_at_1024_by_700_and_codes_the_selection() {
    let (_tmp, mut harness) = demo_app([1024.0, 700.0]);
    // With the theme editor open in the same panel too.
    harness.get_all_by_label("✏").next().unwrap().click();
    settle(&mut harness);
    let from = text_origin(&harness) + Vec2::new(3.0, 8.0);
    drag(&mut harness, from, from + Vec2::new(90.0, 0.0));
    let selection = harness.state().document.selection.expect("a selection");
    let in_vivo = harness.get_by_label("Code in vivo");
    let window = egui::Rect::from_min_size(Pos2::ZERO, Vec2::new(1024.0, 700.0));
    assert!(
        window.contains_rect(in_vivo.rect()),
        "in view: {:?}",
        in_vivo.rect()
    );
    let themes = project(&harness).themes().unwrap().len();
    in_vivo.click();
    settle(&mut harness);
    assert_eq!(project(&harness).themes().unwrap().len(), themes + 1);
    let coded = codings(&harness)
        .into_iter()
        .find(|c| c.span == selection)
        .expect("the selection is coded");
    let theme = project(&harness).theme(coded.theme_id).unwrap();
    let source = project(&harness).source(coded.source_id).unwrap();
    let quote = sitat::text::slice_chars(&source.text, selection).unwrap();
    assert!(
        sitat::text::one_line(quote).starts_with(theme.name.trim_end_matches('…')),
        "{} named by «{quote}»",
        theme.name
    );
}

/// Turns the mouse wheel over the document until it has scrolled past `chars` characters.
fn scroll_down(harness: &mut Harness<'_, SitatApp>, chars: usize) {
    let over = text_origin(harness) + Vec2::new(60.0, 60.0);
    harness.event(Event::PointerMoved(over));
    for _ in 0..60 {
        harness.event(Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: Vec2::new(0.0, -300.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: Modifiers::NONE,
        });
        harness.run_steps(4);
        if harness.state().document.top_char().unwrap_or(0) > chars {
            return;
        }
    }
    panic!("the wheel did not scroll the document");
}

/// A project of two long interviews, lines of plain words.
fn two_long_sources() -> (common::TempProject, Project) {
    let tmp = common::temp_path("long.sitat");
    let mut project = Project::create(&tmp.path).unwrap();
    for title in ["Langt intervju A", "Langt intervju B"] {
        let text: String = (0..300)
            .map(|i| format!("Linje {i}: vi må få gå på skjønn i førstelinja, sa hun 🙂.\r\n"))
            .collect();
        project
            .add_source(sitat::NewSource::new(SourceKind::Interview, title, text))
            .unwrap();
    }
    (tmp, project)
}

fn click_row(harness: &mut Harness<'_, SitatApp>, title: &str) {
    let at = harness
        .get_all_by_label_contains(title)
        .next()
        .unwrap()
        .rect()
        .center();
    harness.event(Event::PointerMoved(at));
    button(harness, at, PointerButton::Primary, true);
    button(harness, at, PointerButton::Primary, false);
    harness.run_steps(6);
}

#[test]
fn a_source_reopens_where_the_reader_left_it_in_this_run_and_the_next() {
    let (tmp, project) = two_long_sources();
    let sources = project.sources().unwrap();
    let (a, b) = (sources[0].clone(), sources[1].clone());
    let app = SitatApp::new(project, None, Box::new(NoFiles));
    let mut harness = workbench(app, [1024.0, 700.0]);
    assert_eq!(harness.state().document.source_id, Some(a.id));
    scroll_down(&mut harness, a.char_len / 3);
    harness.run_steps(10);
    let left_at = harness.state().document.top_char().unwrap();
    assert!(left_at < a.char_len);

    // Another source opens at its top; back in the first, the reader is where they left it.
    click_row(&mut harness, &b.title);
    assert_eq!(harness.state().document.source_id, Some(b.id));
    assert_eq!(harness.state().document.top_char(), Some(0));
    click_row(&mut harness, &a.title);
    assert_eq!(harness.state().document.source_id, Some(a.id));
    assert_eq!(harness.state().document.top_char(), Some(left_at));

    // Quit and start again: the same source at the same place.
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    drop(harness);
    let again = SitatApp::new(
        Project::open(&tmp.path).unwrap(),
        Some(&storage),
        Box::new(NoFiles),
    );
    let mut harness = workbench(again, [1024.0, 700.0]);
    harness.run_steps(6);
    assert_eq!(harness.state().document.source_id, Some(a.id));
    assert_eq!(harness.state().document.top_char(), Some(left_at));
}

#[test]
fn a_search_hit_opened_shows_its_quote_in_the_inspector_with_code_in_vivo() {
    let (_tmp, mut harness) = demo_app([1400.0, 900.0]);
    type_search(&mut harness, "medvirkning");
    let (first, words) = {
        let app = harness.state();
        let index = app.search_index().unwrap();
        let results = index.search(&app.project, "medvirkning", 500).unwrap();
        (results.hits[0], results.kwic(&results.hits[0]).hit)
    };
    harness.get_all_by_label(&words).next().unwrap().click();
    settle(&mut harness);
    assert_eq!(harness.state().document.selection, Some(first.span));
    let source = project(&harness).source(first.source_id).unwrap();
    let quote = sitat::text::slice_chars(&source.text, first.span).unwrap();
    harness.get_by_label(&format!("«{}»", short_quote(quote, 80)));
    harness.get_by_label("Code in vivo");
}

#[test]
fn at_1024_by_700_retrieve_wraps_its_themes_and_filters_inside_the_view() {
    let (_tmp, mut harness) = demo_app([1024.0, 700.0]);
    harness.get_by_label("Retrieve").click();
    settle(&mut harness);
    // The inspector keeps at least 170 points on the right.
    let right_edge = 1024.0 - 170.0;
    let themes = project(&harness).themes().unwrap();
    let mut rows = Vec::new();
    for theme in &themes {
        let rect = harness
            .get_by_role_and_label(Role::CheckBox, &theme.name)
            .rect();
        assert!(rect.right() <= right_edge, "{} at {rect:?}", theme.name);
        if !rows.iter().any(|y: &f32| (y - rect.center().y).abs() < 4.0) {
            rows.push(rect.center().y);
        }
    }
    assert!(
        rows.len() >= 3,
        "the themes wrap onto several rows: {rows:?}"
    );
    for filter in ["Actor", "Person", "Kind", "Coder"] {
        let rect = harness.get_by_role_and_label(Role::ComboBox, filter).rect();
        assert!(rect.right() <= right_edge, "{filter} at {rect:?}");
    }
}

#[test]
fn the_positions_map_picks_its_axes_from_the_axis_themes_only() {
    let (_tmp, mut harness) = demo_app([1400.0, 900.0]);
    harness.get_by_label("Positions").click();
    settle(&mut harness);
    let themes = project(&harness).themes().unwrap();
    let plain = themes.iter().find(|t| t.poles.is_none()).unwrap();
    let axes: Vec<_> = themes.iter().filter(|t| t.poles.is_some()).collect();
    assert!(axes.len() >= 2);
    harness
        .get_by_role_and_label(Role::ComboBox, "Vertical axis")
        .click();
    settle(&mut harness);
    for axis in &axes {
        harness.get_by_role_and_label(Role::Button, &axis.name);
    }
    assert!(
        harness
            .query_by_role_and_label(Role::Button, &plain.name)
            .is_none(),
        "{} has no poles",
        plain.name
    );
    // Choosing the horizontal axis's theme for the vertical one too: the box shows it.
    let horizontal = harness
        .get_by_role_and_label(Role::ComboBox, "Horizontal axis")
        .value()
        .unwrap();
    harness
        .get_by_role_and_label(Role::Button, &horizontal)
        .click();
    settle(&mut harness);
    assert_eq!(
        harness
            .get_by_role_and_label(Role::ComboBox, "Vertical axis")
            .value()
            .as_deref(),
        Some(horizontal.as_str())
    );
}
