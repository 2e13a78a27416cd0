//! Driving the workbench as a person does, for the kittest UI tests: waiting for background work,
//! and pointer presses, moves and releases on the text.

use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sitat::ui::SitatApp;

/// Steps frames until background work (search index, import, export) is done.
pub fn wait_for_jobs(harness: &mut Harness<'_, SitatApp>) {
    // Each step polls the jobs, and may start one as another ends (the index refreshed after an
    // import): done when a step leaves none running.
    step_until(harness, |h| !h.state().is_working());
    harness.run_steps(1);
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

/// Where the document's first chunk of text starts on screen.
pub fn text_origin(harness: &Harness<'_, SitatApp>) -> Pos2 {
    let field = harness
        .get_all_by_role(Role::MultilineTextInput)
        .next()
        .expect("the document's text");
    field.rect().min
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
    harness.run();
}
