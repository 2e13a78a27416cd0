//! Selecting by word and by paragraph in a long, densely coded source, as a person does it: two
//! or three clicks at one spot, each press and release in its own frame a 60th of a second
//! apart, then a number key. The words clicked lie inside codings and in later layout chunks.
#![cfg(feature = "gui")]

mod common;

use common::ui::{NoFiles, press_digit, workbench};
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, PointerButton, Pos2, Rect, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitat::model::*;
use sitat::ui::SitatApp;
use sitat::{NewCoding, NewSource, NewTheme, Project};

/// Sentences in each of the generated interviews: enough for several layout chunks.
const SENTENCES: usize = 60;

/// Four interviews of numbered sentences (æøå and an emoji in each, a blank line after every
/// sixth, `\r\n` line ends) after an uncoded lead-in; every sentence is coded.
fn generated_project(tmp: &common::TempProject) -> Project {
    let mut project = Project::create(&tmp.path).unwrap();
    let ks = project.add_actor("KS", "", vec![]).unwrap();
    let person = project.add_person("KS person", ks, "").unwrap();
    let tillit = project
        .add_theme(NewTheme {
            name: "Tillit".into(),
            ..Default::default()
        })
        .unwrap();
    project
        .add_theme(NewTheme {
            name: "Styring".into(),
            ..Default::default()
        })
        .unwrap();
    let mut codings = Vec::new();
    for s in 0..4 {
        let mut text = String::from("Innledning uten koding. ");
        let mut spans = Vec::new();
        for n in 0..SENTENCES {
            let start = text.chars().count();
            text.push_str(&format!("Setning {s}-{n} om tillit på førstelinja 😀."));
            spans.push(CharSpan::new(start, text.chars().count()));
            text.push_str(if n % 6 == 5 { "\r\n\r\n" } else { " " });
        }
        let mut source = NewSource::new(SourceKind::Interview, format!("Intervju {s}"), text);
        source.person_id = Some(person);
        let source_id = project.add_source(source).unwrap();
        for span in spans {
            codings.push(NewCoding::new(source_id, span, tillit));
        }
    }
    project.code_many("test", codings).unwrap();
    project
}

fn app(project: Project) -> Harness<'static, SitatApp> {
    let app = SitatApp::new(project, None, Box::new(NoFiles));
    workbench(app, [1400.0, 900.0])
}

/// The document's chunks on screen, top to bottom.
fn chunk_rects(harness: &Harness<'_, SitatApp>) -> Vec<Rect> {
    let left = harness
        .get_all_by_role(Role::MultilineTextInput)
        .map(|n| n.rect().min.x)
        .min_by(f32::total_cmp)
        .expect("the document's text");
    let mut rects: Vec<Rect> = harness
        .get_all_by_role(Role::MultilineTextInput)
        .map(|n| n.rect())
        .filter(|r| r.min.x == left)
        .collect();
    rects.sort_by(|a, b| a.min.y.total_cmp(&b.min.y));
    rects
}

/// `count` clicks at one spot, each press and each release in a frame of its own, as quickly
/// as a person clicks (a 60th of a second per frame), after a pause that ends any earlier click.
fn clicks(harness: &mut Harness<'_, SitatApp>, at: Pos2, count: usize) {
    harness.run_steps(40);
    harness.event(Event::PointerMoved(at));
    harness.step();
    for _ in 0..count {
        for pressed in [true, false] {
            harness.event(Event::PointerButton {
                pos: at,
                button: PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
            harness.step();
        }
    }
    harness.run_steps(3);
}

fn text_of(harness: &Harness<'_, SitatApp>) -> Vec<char> {
    let state = harness.state();
    let id = state.document.source_id.expect("a source is open");
    state.project.source(id).unwrap().text.chars().collect()
}

/// The selection, coded with a number key: the new coding has exactly the selection's span.
fn code_with_digit(harness: &mut Harness<'_, SitatApp>, selection: CharSpan) {
    let state = harness.state();
    let source = state.document.source_id.unwrap();
    let before = state.project.codings_of_source(source).unwrap();
    press_digit(harness, Key::Num2, "2");
    let after = harness.state().project.codings_of_source(source).unwrap();
    let new: Vec<&Coding> = after
        .iter()
        .filter(|c| !before.iter().any(|b| b.id == c.id))
        .collect();
    assert_eq!(new.len(), 1, "the number key coded one span");
    assert_eq!(new[0].span, selection);
    let styring = harness.state().project.theme_by_name("Styring").unwrap();
    assert_eq!(new[0].theme_id, styring.id);
}

/// A double-click selects the whole word under the pointer, which lies inside a coding.
fn assert_a_coded_word(harness: &Harness<'_, SitatApp>) -> CharSpan {
    let selection = harness
        .state()
        .document
        .selection
        .expect("the double-click selected a word");
    let text = text_of(harness);
    let word: String = text[selection.start..selection.end].iter().collect();
    assert!(
        word.chars().count() >= 2 && word.chars().all(char::is_alphanumeric),
        "a whole word: {word:?}"
    );
    let alnum_at = |i: usize| text.get(i).is_some_and(|c| c.is_alphanumeric());
    assert!(
        selection.start == 0 || !alnum_at(selection.start - 1),
        "{word:?} starts a word"
    );
    assert!(!alnum_at(selection.end), "{word:?} ends a word");
    let state = harness.state();
    let codings = state
        .project
        .codings_of_source(state.document.source_id.unwrap())
        .unwrap();
    assert!(
        codings.iter().any(|c| c.span.contains(selection.start)),
        "{word:?} lies in a coded sentence"
    );
    selection
}

#[test]
fn a_double_clicked_coded_word_is_coded_by_a_number_key() {
    let tmp = common::temp_path("generated.sitat");
    let mut harness = app(generated_project(&tmp));
    let first = chunk_rects(&harness)[0];
    // Past the uncoded lead-in, in the first coded sentence, on the right half of the last
    // letter of "om": the nearest character boundary is the word's end.
    clicks(&mut harness, first.min + Vec2::new(260.0, 8.0), 2);
    let selection = assert_a_coded_word(&harness);
    assert!(selection.start > 24, "{selection:?} is past the lead-in");
    code_with_digit(&mut harness, selection);
}

#[test]
fn a_double_click_in_a_later_chunk_selects_its_word() {
    let tmp = common::temp_path("generated.sitat");
    let mut harness = app(generated_project(&tmp));
    let rects = chunk_rects(&harness);
    assert!(rects.len() >= 2, "laid out in chunks: {rects:?}");
    clicks(&mut harness, rects[1].min + Vec2::new(120.0, 30.0), 2);
    let selection = assert_a_coded_word(&harness);
    let first_chunk_len = sitat_chunk_len(&text_of(&harness));
    assert!(
        selection.start > first_chunk_len,
        "{selection:?} is in the second chunk (after {first_chunk_len})"
    );
    code_with_digit(&mut harness, selection);
}

/// Where the first layout chunk ends: the first line break after 1,500 characters.
fn sitat_chunk_len(text: &[char]) -> usize {
    (1_500..text.len()).find(|&i| text[i - 1] == '\n').unwrap()
}

#[test]
fn a_triple_clicked_coded_paragraph_is_coded_by_a_number_key() {
    let tmp = common::temp_path("generated.sitat");
    let mut harness = app(generated_project(&tmp));
    let first = chunk_rects(&harness)[0];
    clicks(&mut harness, first.min + Vec2::new(260.0, 8.0), 3);
    let selection = harness
        .state()
        .document
        .selection
        .expect("the triple-click selected a paragraph");
    let text = text_of(&harness);
    // The first paragraph: the lead-in and six sentences, up to the blank line.
    assert_eq!(selection.start, 0);
    assert_eq!(text[selection.end], '\r');
    assert!(!text[..selection.end].contains(&'\n'));
    code_with_digit(&mut harness, selection);
}
