//! The daily flows driven by the events a person sends: pointer presses, moves and releases, key
//! presses with the text they type. Nothing here assigns to a view's state.
#![cfg(feature = "gui")]

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::ui::{
    MemoryStorage, NoFiles, click, drag, press_digit, retype, settle, text_origin, wait_for_jobs,
    workbench,
};
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, PointerButton, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitat::Project;
use sitat::export::ExportFormat;
use sitat::model::{CharSpan, Coding, SourceId};
use sitat::ui::{CentralTab, FilePicker, SitatApp};

/// Answers a save dialog for an export with the suggested name in `export_to`, noting each name
/// it was offered; open dialogs with nothing.
struct ExportPicker {
    export_to: PathBuf,
    offered: Arc<Mutex<Vec<String>>>,
}

impl FilePicker for ExportPicker {
    fn pick_import_files(&mut self) -> Option<Vec<PathBuf>> {
        None
    }
    fn pick_project(&mut self) -> Option<PathBuf> {
        None
    }
    fn pick_export_path(&mut self, _label: &str, suggested: &Path) -> Option<PathBuf> {
        let name = suggested.file_name()?.to_str()?.to_string();
        self.offered.lock().unwrap().push(name.clone());
        Some(self.export_to.join(name))
    }
}

/// The demo at a laptop's size; frames a 60th of a second apart, as a person's clicks are.
fn demo_app() -> (common::TempProject, Harness<'static, SitatApp>) {
    demo_app_with(Box::new(NoFiles))
}

fn demo_app_with(picker: Box<dyn FilePicker>) -> (common::TempProject, Harness<'static, SitatApp>) {
    let tmp = common::temp_path("demo.sitat");
    let project = sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let app = SitatApp::new(project, None, picker);
    (tmp, workbench(app, [1400.0, 900.0]))
}

/// Opens, by a click on its row, a source other than the open one that has a speaker.
fn open_another_source(harness: &mut Harness<'_, SitatApp>) -> sitat::model::SourceSummary {
    let other = project(harness)
        .sources()
        .unwrap()
        .into_iter()
        .find(|s| Some(s.id) != harness.state().document.source_id && s.person_id.is_some())
        .unwrap();
    let person = project(harness).person(other.person_id.unwrap()).unwrap();
    harness
        .get_all_by_label_contains(&format!("{} — {}", other.title, person.name))
        .next()
        .unwrap()
        .click();
    settle(harness);
    other
}

fn project<'h>(harness: &'h Harness<'_, SitatApp>) -> &'h Project {
    &harness.state().project
}

fn open_source(harness: &Harness<'_, SitatApp>) -> SourceId {
    harness
        .state()
        .document
        .source_id
        .expect("a source is open")
}

fn codings(harness: &Harness<'_, SitatApp>) -> Vec<Coding> {
    project(harness)
        .codings_of_source(open_source(harness))
        .unwrap()
}

/// The text of a span of the open source.
fn quote(harness: &Harness<'_, SitatApp>, span: CharSpan) -> String {
    let source = project(harness).source(open_source(harness)).unwrap();
    source
        .text
        .chars()
        .skip(span.start)
        .take(span.len())
        .collect()
}

/// A selection made with the mouse is coded by a number key: the coding has the selection's span.
fn digit_codes_the_selection(harness: &mut Harness<'_, SitatApp>) -> Coding {
    digit_codes_the_selection_with(harness, Key::Num3, "3")
}

fn digit_codes_the_selection_with(
    harness: &mut Harness<'_, SitatApp>,
    key: Key,
    digit: &str,
) -> Coding {
    let selection = harness
        .state()
        .document
        .selection
        .expect("the mouse selected text");
    let before = codings(harness);
    press_digit(harness, key, digit);
    let after = codings(harness);
    assert_eq!(
        after.len(),
        before.len() + 1,
        "the digit coded the selection"
    );
    let new = after
        .into_iter()
        .find(|c| !before.iter().any(|b| b.id == c.id))
        .unwrap();
    assert_eq!(new.span, selection);
    assert_eq!(harness.state().selected_coding, Some(new.id));
    new
}

#[test]
fn a_dragged_selection_is_coded_by_a_number_key() {
    let (_tmp, mut harness) = demo_app();
    let origin = text_origin(&harness);
    let from = origin + Vec2::new(3.0, 8.0);
    drag(&mut harness, from, from + Vec2::new(260.0, 0.0));
    let selection = harness
        .state()
        .document
        .selection
        .expect("dragged over text");
    assert!(selection.len() >= 10, "{selection:?}");
    digit_codes_the_selection(&mut harness);
}

#[test]
fn a_double_clicked_word_is_coded_by_a_number_key() {
    let (_tmp, mut harness) = demo_app();
    // Inside the first word ("Nettopp").
    let at = text_origin(&harness) + Vec2::new(25.0, 8.0);
    click(&harness, at, Modifiers::NONE);
    click(&harness, at, Modifiers::NONE);
    settle(&mut harness);
    let selection = harness.state().document.selection.expect("a word");
    let word = quote(&harness, selection);
    assert!(
        !word.is_empty() && word.chars().all(char::is_alphanumeric),
        "a whole word: {word:?}"
    );
    digit_codes_the_selection(&mut harness);
}

#[test]
fn a_triple_clicked_paragraph_is_coded_by_a_number_key() {
    let (_tmp, mut harness) = demo_app();
    let at = text_origin(&harness) + Vec2::new(60.0, 8.0);
    for _ in 0..3 {
        click(&harness, at, Modifiers::NONE);
    }
    settle(&mut harness);
    let selection = harness.state().document.selection.expect("a paragraph");
    let text = project(&harness)
        .source(open_source(&harness))
        .unwrap()
        .text;
    let chars: Vec<char> = text.chars().collect();
    assert!(selection.start == 0 || chars[selection.start - 1] == '\n');
    assert!(selection.end == chars.len() || chars[selection.end] == '\n');
    assert!(!chars[selection.start..selection.end].contains(&'\n'));
    digit_codes_the_selection(&mut harness);
}

#[test]
fn shift_click_extends_a_selection_that_a_number_key_codes() {
    let (_tmp, mut harness) = demo_app();
    let origin = text_origin(&harness);
    let from = origin + Vec2::new(3.0, 8.0);
    drag(&mut harness, from, from + Vec2::new(80.0, 0.0));
    let first = harness.state().document.selection.expect("dragged");
    let shift = Modifiers::SHIFT;
    harness.event(Event::ModifiersChanged(shift));
    click(&harness, origin + Vec2::new(200.0, 30.0), shift);
    harness.event(Event::ModifiersChanged(Modifiers::NONE));
    settle(&mut harness);
    let extended = harness.state().document.selection.expect("extended");
    assert_eq!(extended.start, first.start);
    assert!(extended.end > first.end + 10, "{first:?} → {extended:?}");
    digit_codes_the_selection(&mut harness);
}

/// Codes a span of the open source and clicks into the new coding's memo field.
fn code_and_open_its_memo(harness: &mut Harness<'_, SitatApp>) -> Coding {
    let from = text_origin(harness) + Vec2::new(3.0, 8.0);
    drag(harness, from, from + Vec2::new(120.0, 0.0));
    let coding = digit_codes_the_selection(harness);
    harness
        .get_by(|n| n.placeholder() == Some("Memo on this coding"))
        .click();
    settle(harness);
    coding
}

#[test]
fn digits_typed_in_a_memo_stay_in_the_memo() {
    let (_tmp, mut harness) = demo_app();
    let coding = code_and_open_its_memo(&mut harness);
    let count = codings(&harness).len();
    press_digit(&mut harness, Key::Num2, "2");
    assert_eq!(
        codings(&harness).len(),
        count,
        "a digit typed is not a coding"
    );
    // Ctrl+Enter saves the memo as one command.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    settle(&mut harness);
    assert_eq!(project(&harness).coding(coding.id).unwrap().memo, "2");
}

#[test]
fn ctrl_z_in_a_memo_undoes_typing_and_the_project_keeps_its_coding() {
    let (_tmp, mut harness) = demo_app();
    let from = text_origin(&harness) + Vec2::new(3.0, 8.0);
    drag(&mut harness, from, from + Vec2::new(120.0, 0.0));
    let coding = digit_codes_the_selection(&mut harness);
    let undo_before = project(&harness).undo_summary();

    let memo = harness.get_by(|n| n.placeholder() == Some("Memo on this coding"));
    memo.click();
    settle(&mut harness);
    harness
        .get_by(|n| n.placeholder() == Some("Memo on this coding"))
        .type_text("Viktig for KS");
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    // The field's own undo: the typing went, the coding stayed, nothing was saved or undone.
    let field = harness.get_by(|n| n.placeholder() == Some("Memo on this coding"));
    assert_ne!(field.value().as_deref(), Some("Viktig for KS"));
    assert!(
        project(&harness).coding(coding.id).is_ok(),
        "the coding stays"
    );
    assert_eq!(project(&harness).undo_summary(), undo_before);

    // Typed again and saved with Ctrl+Enter: one command; now Ctrl+Z (the field left) undoes
    // that command, and the inspector shows the memo the store holds.
    harness
        .get_by(|n| n.placeholder() == Some("Memo on this coding"))
        .type_text("Nytt");
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    settle(&mut harness);
    let stored = project(&harness).coding(coding.id).unwrap().memo;
    assert!(stored.ends_with("Nytt"), "{stored:?}");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(project(&harness).coding(coding.id).unwrap().memo, "");
    let field = harness.get_by(|n| n.placeholder() == Some("Memo on this coding"));
    assert_eq!(field.value().as_deref().unwrap_or(""), "");
    assert!(
        project(&harness).coding(coding.id).is_ok(),
        "only the memo was undone"
    );
}

/// A transcript long enough to be laid out in several chunks, lines of plain words.
fn long_transcript_app() -> (common::TempProject, Harness<'static, SitatApp>) {
    let tmp = common::temp_path("long.sitat");
    let mut project = Project::create(&tmp.path).unwrap();
    project
        .add_theme(sitat::NewTheme {
            name: "Tillit".into(),
            ..Default::default()
        })
        .unwrap();
    let text: String = (0..120)
        .map(|i| format!("Linje {i}: vi må få gå på skjønn i førstelinja, sa hun, og så videre.\n"))
        .collect();
    project
        .add_source(sitat::NewSource::new(
            sitat::model::SourceKind::Interview,
            "Langt intervju",
            text,
        ))
        .unwrap();
    let app = SitatApp::new(project, None, Box::new(NoFiles));
    (tmp, workbench(app, [1400.0, 900.0]))
}

#[test]
fn chunks_of_a_long_transcript_join_and_a_drag_selects_across_them() {
    let (_tmp, mut harness) = long_transcript_app();
    let fields: Vec<egui::Rect> = harness
        .get_all_by_role(Role::MultilineTextInput)
        .map(|n| n.rect())
        .collect();
    assert!(fields.len() >= 2, "laid out in chunks");
    // No blank row between chunks: each starts where the one before ends.
    let gap = fields[1].top() - fields[0].bottom();
    assert!(gap.abs() < 1.0, "a gap of {gap} points between chunks");

    let from = fields[0].min + Vec2::new(3.0, 8.0);
    let to = Pos2::new(fields[1].left() + 100.0, fields[1].top() + 30.0);
    drag(&mut harness, from, to);
    let selection = harness.state().document.selection.expect("dragged");
    let first_chunk = quote(&harness, CharSpan::new(0, 10_000))
        .split_inclusive('\n')
        .scan(0, |len, line| {
            *len += line.chars().count();
            Some(*len)
        })
        .find(|&len| len >= 1_500)
        .unwrap();
    assert_eq!(selection.start, 0);
    assert!(
        selection.end > first_chunk,
        "the selection goes past the first chunk ({first_chunk}): {selection:?}"
    );
    let coding = digit_codes_the_selection_with(&mut harness, Key::Num1, "1");
    assert_eq!(coding.span, selection);
}

#[test]
fn file_export_asks_where_with_a_sensible_name_and_writes_every_format() {
    let out = tempfile::tempdir().unwrap();
    let offered = Arc::new(Mutex::new(Vec::new()));
    let (_tmp, mut harness) = demo_app_with(Box::new(ExportPicker {
        export_to: out.path().to_path_buf(),
        offered: offered.clone(),
    }));
    for format in ExportFormat::ALL {
        harness.get_by_label("File").click();
        settle(&mut harness);
        harness.get_by_label("Export").click();
        settle(&mut harness);
        harness
            .get_by_label_contains(&format!("{}…", format.label()))
            .click();
        // The export runs as a job with progress: step, don't run to rest.
        harness.step();
        wait_for_jobs(&mut harness);
        let name = offered.lock().unwrap().last().cloned().unwrap();
        assert_eq!(name, format.suggested_file_name("demo"));
        let written = out.path().join(&name);
        let notice = harness.state().notice.clone().expect("a notice");
        assert!(!notice.is_error, "{}", notice.text);
        assert!(
            notice.text.contains(&written.display().to_string()),
            "says where it wrote: {}",
            notice.text
        );
        assert!(std::fs::metadata(&written).unwrap().len() > 0, "{name}");
    }
    let names = offered.lock().unwrap().clone();
    assert!(
        names.contains(&"demo-excerpts.csv".to_string()),
        "{names:?}"
    );
    assert_eq!(
        names.len(),
        ExportFormat::ALL.len(),
        "every format asked once"
    );

    // CSV for Excel: a byte-order mark, then the CSV a reader of its own parses.
    let bytes = std::fs::read(out.path().join("demo-excerpts-excel.csv")).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert!(reader.headers().unwrap().iter().any(|h| h == "quote"));
    assert!(reader.records().count() > 10);
    let plain = std::fs::read(out.path().join("demo-excerpts.csv")).unwrap();
    assert_eq!(
        &bytes[3..],
        &plain[..],
        "the same excerpts as the plain CSV"
    );
}

#[test]
fn at_1024_by_700_every_tab_is_reachable_and_the_text_stays_in_its_panel() {
    let (_tmp, mut harness) = demo_app();
    harness.set_size(Vec2::new(1024.0, 700.0));
    settle(&mut harness);
    let window = egui::Rect::from_min_size(Pos2::ZERO, Vec2::new(1024.0, 700.0));
    for (tab, label) in [
        (CentralTab::Search, "Search"),
        (CentralTab::Retrieve, "Retrieve"),
        (CentralTab::Compare, "Compare actors"),
        (CentralTab::Positions, "Positions"),
        (CentralTab::Matrix, "Matrix"),
        (CentralTab::Disagreements, "Disagreements"),
        (CentralTab::Memos, "Memos"),
        (CentralTab::Agreement, "Coders"),
        (CentralTab::Document, "Document"),
    ] {
        let button = harness.get_by_label(label);
        assert!(
            window.contains_rect(button.rect()),
            "{label} at {:?} is outside the window",
            button.rect()
        );
        button.click();
        // Some views compute in the background and repaint until done.
        harness.run_steps(8);
        assert_eq!(harness.state().tab, tab, "clicking {label}");
    }
    // The document wraps inside its panel, left of the inspector.
    let inspector_left = harness.get_by_label("Coding").rect().left();
    let text = harness
        .get_all_by_role(Role::MultilineTextInput)
        .next()
        .unwrap()
        .rect();
    assert!(
        text.right() <= inspector_left,
        "text to {} runs under the inspector at {inspector_left}",
        text.right()
    );

    // Ctrl+B hides the sources and codebook, Ctrl+Alt+B the inspector: the text gets their room.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::B);
    settle(&mut harness);
    assert!(harness.query_by_label("Codebook").is_none());
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::ALT, Key::B);
    settle(&mut harness);
    assert!(harness.query_by_label("Coding").is_none());
    let wider = harness
        .get_all_by_role(Role::MultilineTextInput)
        .next()
        .unwrap()
        .rect();
    assert!(wider.width() > text.width() + 300.0, "{text:?} → {wider:?}");
    // And the View menu brings them back.
    harness.get_by_label("View").click();
    settle(&mut harness);
    harness
        .get_by_label_contains("Sources and codebook")
        .click();
    settle(&mut harness);
    harness.get_by_label("Codebook");

    // Ctrl+4 shows the fourth tab.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num4);
    settle(&mut harness);
    assert_eq!(harness.state().tab, CentralTab::Compare);
}

#[test]
fn a_source_is_renamed_and_deleted_from_its_context_menu_and_undo_restores_it() {
    let (_tmp, mut harness) = demo_app();
    let source_id = open_source(&harness);
    let source = project(&harness).source(source_id).unwrap();
    let codings = codings(&harness).len();
    assert!(codings > 0);
    let row = |harness: &Harness<'_, SitatApp>, title: &str| {
        harness
            .get_all_by_label_contains(&format!("{title} — "))
            .next()
            .map(|n| n.rect().center())
            .expect("the source's row")
    };
    let right_click = |harness: &Harness<'_, SitatApp>, at: Pos2| {
        harness.event(Event::PointerMoved(at));
        for pressed in [true, false] {
            harness.event(Event::PointerButton {
                pos: at,
                button: PointerButton::Secondary,
                pressed,
                modifiers: Modifiers::NONE,
            });
        }
    };

    right_click(&harness, row(&harness, &source.title));
    settle(&mut harness);
    harness
        .get_by_label("Edit title, kind, person and details…")
        .click();
    settle(&mut harness);
    retype(&mut harness, "Title", "Intervju med FFO");
    harness.get_by_label("Save").click();
    settle(&mut harness);
    assert_eq!(
        project(&harness).source(source_id).unwrap().title,
        "Intervju med FFO"
    );
    assert_eq!(
        project(&harness).source(source_id).unwrap().text,
        source.text
    );

    right_click(&harness, row(&harness, "Intervju med FFO"));
    settle(&mut harness);
    harness.get_by_label("Delete source…").click();
    settle(&mut harness);
    harness.get_by_label_contains(&format!("with {codings} codings"));
    harness.get_by_label("Delete").click();
    settle(&mut harness);
    assert!(project(&harness).source(source_id).is_err());
    assert_eq!(harness.state().document.source_id, None);
    harness.get_by_label_contains("Deleted «Intervju med FFO»");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(
        project(&harness)
            .codings_of_source(source_id)
            .unwrap()
            .len(),
        codings
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(
        project(&harness).source(source_id).unwrap().title,
        source.title
    );
}

#[test]
fn opening_another_source_clears_the_inspector_of_the_last_ones_coding() {
    let (_tmp, mut harness) = demo_app();
    let from = text_origin(&harness) + Vec2::new(3.0, 8.0);
    drag(&mut harness, from, from + Vec2::new(120.0, 0.0));
    digit_codes_the_selection(&mut harness);
    harness.get_by(|n| n.placeholder() == Some("Memo on this coding"));
    let other = open_another_source(&mut harness);
    assert_eq!(harness.state().document.source_id, Some(other.id));
    assert_eq!(harness.state().selected_coding, None);
    assert!(
        harness
            .query_by(|n| n.placeholder() == Some("Memo on this coding"))
            .is_none()
    );
}

#[test]
fn the_first_run_asks_who_is_coding_and_the_cli_codes_under_that_name_too() {
    if std::env::var_os("SITAT_CODER").is_some() {
        // $SITAT_CODER names the coder already: nothing is asked.
        return;
    }
    let config = tempfile::tempdir().unwrap();
    let settings = config.path().join("settings.json");
    let tmp = common::temp_path("demo.sitat");
    let demo = sitat::corpus::write_demo_project(&tmp.path).unwrap();
    let mut app = SitatApp::new(demo, None, Box::new(NoFiles));
    app.use_user_settings(settings.clone());
    let mut harness = workbench(app, [1400.0, 900.0]);
    harness.get_by_label("Who is coding?");
    let name_field = |harness: &Harness<'_, SitatApp>| {
        harness
            .get_by(|n| {
                n.role() == Role::TextInput
                    && n.label()
                        .is_some_and(|l| l.contains("records who made each coding"))
            })
            .rect()
    };
    // The field has the keyboard: select what is offered and type over it.
    assert!(
        harness
            .get_by(|n| n.role() == Role::TextInput && n.is_focused())
            .rect()
            == name_field(&harness)
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(Event::Text("Kari Nordmann".into()));
    settle(&mut harness);
    harness.get_by_label("Start coding").click();
    settle(&mut harness);
    assert!(harness.query_by_label("Who is coding?").is_none());
    harness.get_by_label("Coding as Kari Nordmann");
    let saved = std::fs::read_to_string(&settings).unwrap();
    assert!(saved.contains("Kari Nordmann"), "{saved}");

    // A coding made now is Kari's.
    let from = text_origin(&harness) + Vec2::new(3.0, 8.0);
    drag(&mut harness, from, from + Vec2::new(120.0, 0.0));
    let coding = digit_codes_the_selection(&mut harness);
    let coder = project(&harness)
        .coders()
        .unwrap()
        .into_iter()
        .find(|c| c.id == coding.coder_id)
        .unwrap();
    assert_eq!(coder.name, "Kari Nordmann");

    // The Settings window changes it.
    harness.get_by_label("Coding as Kari Nordmann").click();
    settle(&mut harness);
    harness.get_by_label("Settings");
    harness.get_by_label("Cancel").click();
    settle(&mut harness);

    // The command line codes under the same name when none is given.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitat"))
        .args(["code", tmp.path.to_str().unwrap(), "--source", "1"])
        .args(["--start", "0", "--end", "4", "--theme", "Brukermedvirkning"])
        .env("SITAT_CONFIG_DIR", config.path())
        .env_remove("SITAT_CODER")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli = Project::open(&tmp.path).unwrap();
    let last = cli
        .all_codings()
        .unwrap()
        .into_iter()
        .max_by_key(|c| c.id)
        .unwrap();
    let coder = cli
        .coders()
        .unwrap()
        .into_iter()
        .find(|c| c.id == last.coder_id)
        .unwrap();
    assert_eq!(coder.name, "Kari Nordmann");
}

#[test]
fn a_search_row_names_source_and_speaker_and_opens_the_hit_wherever_clicked() {
    let (_tmp, mut harness) = demo_app();
    harness.get_by_label("Search").click();
    settle(&mut harness);
    let field = harness.get_by(|n| {
        n.placeholder()
            .is_some_and(|p| p.starts_with("Search: skjønn"))
    });
    field.click();
    let field_bottom = field.rect().bottom();
    settle(&mut harness);
    harness.event(Event::Text("skjønn".into()));
    settle(&mut harness);
    // "N hits in M paragraphs; KDD 2 paragraphs, …"
    harness.get_by(|n| {
        n.role() == Role::Label
            && n.value().is_some_and(|l| {
                l.contains(" hits in ")
                    && l.contains(" paragraphs; ")
                    && l.contains(", FFO ")
                    && !l.contains(": ")
            })
    });
    // The first row: who speaks, the source's title, then the line.
    let results = harness
        .state()
        .search_index()
        .unwrap()
        .search(project(&harness), "skjønn", 500);
    let first = results.unwrap().hits[0];
    let title = project(&harness).source(first.source_id).unwrap().title;
    let title_cell = harness
        .get_all_by(|n| n.role() == Role::Label && n.value().as_deref() == Some(title.as_str()))
        .find(|n| n.rect().top() > field_bottom + 40.0)
        .expect("the row shows its source's title");
    // A click on the title, not on the keyword, opens the hit.
    title_cell.click();
    settle(&mut harness);
    assert_eq!(harness.state().tab, CentralTab::Document);
    assert_eq!(harness.state().document.source_id, Some(first.source_id));
    assert_eq!(harness.state().document.selection, Some(first.span));
}

#[test]
fn the_memos_tab_lists_coding_memos_filters_them_and_saves_an_edit() {
    let (_tmp, mut harness) = demo_app();
    let with_memo: Vec<Coding> = project(&harness)
        .all_codings()
        .unwrap()
        .into_iter()
        .filter(|c| !c.memo.trim().is_empty())
        .collect();
    assert!(with_memo.len() > 10, "the demo's codings carry memos");
    harness.get_by_label("Memos").click();
    settle(&mut harness);
    harness.get_by_label(&format!("{} memos", with_memo.len()));

    // Only FFO's.
    let ffo = project(&harness).actor_by_name("FFO").unwrap();
    let ffo_memos = project(&harness)
        .excerpts(&sitat::CodingFilter {
            actor_ids: vec![ffo.id],
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .filter(|e| !e.coding.memo.trim().is_empty())
        .collect::<Vec<_>>();
    harness.get_by_label("Actor").click();
    settle(&mut harness);
    harness.get_by_label("FFO").click();
    settle(&mut harness);
    let count = match ffo_memos.len() {
        1 => "1 memo".to_string(),
        n => format!("{n} memos"),
    };
    harness.get_by_label(&count);

    // Open the first, rewrite it, Ctrl+Enter saves it on the coding.
    let first = &ffo_memos[0];
    let head: String = first.coding.memo.chars().take(20).collect();
    // The row in the list (the codebook on the left may show the same words).
    let nav_right = harness.get_by_label("Codebook").rect().right() + 100.0;
    harness
        .get_all_by_label_contains(&head)
        .find(|n| n.rect().left() > nav_right)
        .expect("the memo's row")
        .click();
    settle(&mut harness);
    // The memo's text, the only multi-line field on the tab.
    let text = harness.get_by_role(Role::MultilineTextInput);
    text.click();
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(Event::Text("Sterkt om brukerne".into()));
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    settle(&mut harness);
    assert_eq!(
        project(&harness).coding(first.coding.id).unwrap().memo,
        "Sterkt om brukerne"
    );
}

#[test]
fn importing_asks_the_kind_and_person_of_the_files() {
    struct OneFile(PathBuf);
    impl FilePicker for OneFile {
        fn pick_import_files(&mut self) -> Option<Vec<PathBuf>> {
            Some(vec![self.0.clone()])
        }
        fn pick_project(&mut self) -> Option<PathBuf> {
            None
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let note = dir.path().join("Feltnotat møte.txt");
    std::fs::write(&note, "Møtet i Bodø: æøå 😀\r\nAlle var enige.\r\n").unwrap();
    let (_tmp, mut harness) = demo_app_with(Box::new(OneFile(note)));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::I);
    settle(&mut harness);
    harness.get_by_label("Kind of these sources").click();
    settle(&mut harness);
    harness.get_by_label("note").click();
    settle(&mut harness);
    harness.get_by_label("Who speaks or wrote them").click();
    settle(&mut harness);
    harness.get_by_label("Grete Crowo (FFO)").click();
    settle(&mut harness);
    harness.get_by_label("Import these files").click();
    harness.step();
    wait_for_jobs(&mut harness);
    let source = project(&harness)
        .all_sources()
        .unwrap()
        .into_iter()
        .find(|s| s.title == "Feltnotat møte")
        .expect("imported");
    assert_eq!(source.kind, sitat::model::SourceKind::Note);
    let person = project(&harness).person(source.person_id.unwrap()).unwrap();
    assert!(person.name.starts_with("Grete"), "{}", person.name);
    harness.get_by_label("Import report");
}

#[test]
fn a_margin_bar_names_its_theme_and_the_inspector_its_speaker() {
    let (_tmp, mut harness) = demo_app();
    let field = harness
        .get_all_by_role(Role::MultilineTextInput)
        .next()
        .unwrap()
        .rect();
    let themes: Vec<String> = codings(&harness)
        .iter()
        .map(|c| project(&harness).theme(c.theme_id).unwrap().name)
        .collect();
    // Over the margin left of the text, each point held still for a moment: a bar's tooltip
    // names its theme and who speaks.
    let mut found = None;
    'scan: for dy in (4..field.height() as i32).step_by(10) {
        for dx in (2..22).step_by(4) {
            harness.hover_at(Pos2::new(field.left() - dx as f32, field.top() + dy as f32));
            harness.run_steps(40);
            if let Some(name) = themes.iter().find(|t| harness.query_by_label(t).is_some()) {
                found = Some(name.clone());
                break 'scan;
            }
        }
    }
    found.expect("a margin bar's tooltip names its theme");
    harness.get_by_label_contains("said by Gunn Karin Gjul (KDD)");
    harness.remove_cursor();
    harness.run_steps(3);

    // The inspector names who speaks in the coding it shows.
    let from = text_origin(&harness) + Vec2::new(3.0, 8.0);
    drag(&mut harness, from, from + Vec2::new(120.0, 0.0));
    digit_codes_the_selection(&mut harness);
    harness.get_by_label("Said by Gunn Karin Gjul (KDD)");
}

#[test]
fn the_next_run_reopens_the_source_last_open() {
    let (tmp, mut harness) = demo_app();
    let other = open_another_source(&mut harness);
    assert_eq!(harness.state().document.source_id, Some(other.id));
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    drop(harness);

    let again = SitatApp::new(
        Project::open(&tmp.path).unwrap(),
        Some(&storage),
        Box::new(NoFiles),
    );
    assert_eq!(again.document.source_id, Some(other.id));
}

#[test]
fn typing_after_opening_search_searches_and_codes_nothing() {
    let (_tmp, mut harness) = demo_app();
    let from = text_origin(&harness) + Vec2::new(3.0, 8.0);
    drag(&mut harness, from, from + Vec2::new(120.0, 0.0));
    let count = codings(&harness).len();
    // Shift+9 types "(" on a US keyboard: a parenthesis, not theme 9.
    let shift_nine = |pressed| Event::Key {
        key: Key::Num9,
        physical_key: Some(Key::Num9),
        pressed,
        repeat: false,
        modifiers: Modifiers::SHIFT,
    };
    harness.event(Event::ModifiersChanged(Modifiers::SHIFT));
    (harness.input_mut().events).extend([shift_nine(true), Event::Text("(".into())]);
    harness.step();
    harness.event(shift_nine(false));
    harness.event(Event::ModifiersChanged(Modifiers::NONE));
    settle(&mut harness);
    assert_eq!(codings(&harness).len(), count, "\"(\" is not a digit");

    // A click on the tab, then a year typed: it lands in the query.
    harness.get_by_label("Search").click();
    settle(&mut harness);
    for (key, digit) in [(Key::Num2, "2"), (Key::Num0, "0"), (Key::Num2, "2")] {
        press_digit(&mut harness, key, digit);
    }
    assert_eq!(harness.state().search.query, "202");
    assert_eq!(
        codings(&harness).len(),
        count,
        "a year searched codes nothing"
    );

    // Back in the document, the selection is kept and a digit codes it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    settle(&mut harness);
    digit_codes_the_selection(&mut harness);
}

/// The close button while a memo is being typed: the field is left first, so the memo is saved
/// (a frame later), and only then does the window close.
#[test]
fn a_memo_typed_when_the_window_is_closed_is_saved() {
    let (_tmp, mut harness) = demo_app();
    let coding = code_and_open_its_memo(&mut harness);
    let memo = "Memo on this coding";
    (harness.get_by(|n| n.placeholder() == Some(memo))).type_text("Viktig for KS");
    harness.step();
    let closes = |harness: &Harness<'_, SitatApp>| {
        let root = harness
            .output()
            .viewport_output
            .get(&egui::ViewportId::ROOT);
        let commands = root.map(|v| v.commands.clone()).unwrap_or_default();
        (
            commands.contains(&egui::ViewportCommand::Close),
            commands.contains(&egui::ViewportCommand::CancelClose),
        )
    };
    let root = harness.input_mut().viewports.entry(egui::ViewportId::ROOT);
    root.or_default().events.push(egui::ViewportEvent::Close);
    harness.step();
    assert_eq!(closes(&harness), (false, true), "the close waits a frame");
    harness.step();
    assert_eq!(closes(&harness), (true, false), "then the window closes");
    assert_eq!(
        project(&harness).coding(coding.id).unwrap().memo,
        "Viktig for KS"
    );
}
