//! Driving the workbench as a person does, for the kittest UI tests: waiting for background work,
//! and pointer presses, moves and releases on the text. A change starts the search index's
//! background refresh, whose frames can outlast `Harness::run`: the helpers that may change the
//! project (a drag, a number key, a search) end by waiting for background work.

use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitat::ui::{FilePicker, SitatApp};

/// Answers every file dialog with nothing (no dialog is expected).
pub struct NoFiles;

impl FilePicker for NoFiles {
    fn pick_import_files(&mut self) -> Option<Vec<std::path::PathBuf>> {
        None
    }
    fn pick_project(&mut self) -> Option<std::path::PathBuf> {
        None
    }
}

/// The workbench showing `app` in a window of `size` points, its first background work done.
/// Frames are a 60th of a second apart, as a person's clicks are (a double click is two);
/// egui's bundled fonts have no emoji, and the test texts do.
pub fn workbench(app: SitatApp, size: [f32; 2]) -> Harness<'static, SitatApp> {
    let mut harness = Harness::builder()
        .with_size(size)
        .with_step_dt(1.0 / 60.0)
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut SitatApp| app.show(ui), app);
    wait_for_jobs(&mut harness);
    harness
}

/// Replaces the whole text of the one-line field labelled `label` by `text`, as a person does:
/// a click in the field, select all, type.
pub fn retype(harness: &mut Harness<'_, SitatApp>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .click();
    settle(harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    settle(harness);
}

/// Steps frames until background work (search index, import, export) is done.
pub fn wait_for_jobs(harness: &mut Harness<'_, SitatApp>) {
    // Each step polls the jobs, and may start one as another ends (the index refreshed after an
    // import): done when a step leaves none running.
    step_until(harness, |h| !h.state().is_working());
    harness.run_steps(1);
}

/// Lets the frame settle after an action: background work it started (the search index
/// following a change) finishes first, since its frames would outlast `Harness::run`.
pub fn settle(harness: &mut Harness<'_, SitatApp>) {
    wait_for_jobs(harness);
    harness.run();
}

/// Steps frames until `done` holds (background work has arrived), or fails after 60 s.
pub fn step_until(
    harness: &mut Harness<'_, SitatApp>,
    done: impl Fn(&Harness<'_, SitatApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        harness.step();
        if done(harness) {
            break;
        }
        assert!(Instant::now() < deadline, "background work did not finish");
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run_steps(2);
}

/// eframe's storage in memory: what one run saves, the next reads.
#[derive(Default)]
pub struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// Shows the Search tab and types `query` in its field, once the index is back from its work.
pub fn type_search(harness: &mut Harness<'_, SitatApp>, query: &str) {
    harness.get_by_label("Search").click();
    wait_for_jobs(harness);
    harness
        .get_by(|n| {
            n.placeholder()
                .is_some_and(|p| p.starts_with("Search: skjønn"))
        })
        .click();
    wait_for_jobs(harness);
    harness.event(egui::Event::Text(query.into()));
    wait_for_jobs(harness);
}

/// Where the document's first chunk of text starts on screen: the multi-line field furthest
/// left (the inspector's and the theme editor's are on the right).
pub fn text_origin(harness: &Harness<'_, SitatApp>) -> Pos2 {
    harness
        .get_all_by_role(Role::MultilineTextInput)
        .map(|n| n.rect().min)
        .min_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)))
        .expect("the document's text")
}

pub fn press(harness: &Harness<'_, SitatApp>, pos: Pos2, modifiers: Modifiers) {
    harness.event(Event::PointerMoved(pos));
    harness.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed: true,
        modifiers,
    });
}

pub fn release(harness: &Harness<'_, SitatApp>, pos: Pos2, modifiers: Modifiers) {
    harness.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed: false,
        modifiers,
    });
}

pub fn click(harness: &Harness<'_, SitatApp>, pos: Pos2, modifiers: Modifiers) {
    press(harness, pos, modifiers);
    release(harness, pos, modifiers);
}

/// Half a second of frames: egui counts clicks closer in time as one double or triple click.
pub fn pause(harness: &mut Harness<'_, SitatApp>) {
    let frames = (0.5 / harness.input().predicted_dt).ceil() as usize;
    harness.run_steps(frames);
}

/// Two clicks in one place, a while after any earlier click: selects the word there.
pub fn double_click(harness: &mut Harness<'_, SitatApp>, pos: Pos2) {
    pause(harness);
    click(harness, pos, Modifiers::NONE);
    click(harness, pos, Modifiers::NONE);
    harness.run();
}

/// Press at `from`, move in steps, release at `to`.
pub fn drag(harness: &mut Harness<'_, SitatApp>, from: Pos2, to: Pos2) {
    press(harness, from, Modifiers::NONE);
    for step in 1..=4 {
        harness.event(Event::PointerMoved(
            from + (to - from) * (step as f32 / 4.0),
        ));
    }
    release(harness, to, Modifiers::NONE);
    wait_for_jobs(harness);
}

/// A digit as a keyboard sends it: the key and the text it types, in one frame, then the release.
pub fn press_digit(harness: &mut Harness<'_, SitatApp>, key: Key, digit: &str) {
    let key_event = |pressed| Event::Key {
        key,
        physical_key: Some(key),
        pressed,
        repeat: false,
        modifiers: Modifiers::NONE,
    };
    harness
        .input_mut()
        .events
        .extend([key_event(true), Event::Text(digit.into())]);
    harness.step();
    harness.event(key_event(false));
    wait_for_jobs(harness);
}
