//! Search the corpus: a query box, hits per actor, KWIC lines (left context, hit, right context,
//! aligned), a click opens the hit in its source, and "code all hits" with a theme.

use egui::Color32;

use crate::index::{Kwic, SearchResults};
use crate::model::ThemeId;
use crate::project::Project;
use crate::project::Widen;

use super::actions::Action;
use super::search_index_keeper::IndexState;
use super::snapshot::Snapshot;
use super::theme_picker::ThemeCombo;
use super::words::plural;

/// Hits shown and coded at most; the counts cover every match.
const LIMIT: usize = 500;

#[derive(Default)]
pub struct SearchView {
    pub query: String,
    pub theme: Option<ThemeId>,
    pub widen: Widen,
    /// The results and the (query, committed revision) they are for.
    results: Option<((String, i64), Result<SearchResults, String>)>,
    /// The KWIC lines of the results' hits, built as their rows are first shown.
    kwic_lines: Vec<Option<KwicRow>>,
    /// Set when the tab is opened: the query field takes the keyboard at the next frame.
    pub focus_query: bool,
}

impl SearchView {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        index: IndexState<'_>,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal(|ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text("Search: skjønn, \"tillit til\", brukermed*, actor:KS, -NAV …")
                    .desired_width(ui.available_width() - 20.0),
            );
            if std::mem::take(&mut self.focus_query) {
                field.request_focus();
            }
        });
        let query = self.query.trim().to_string();
        // The index; else the last results stay, if they are for this query, and say (at the
        // end of a line, so that nothing moves) that the index is being updated.
        let (index, updating) = match index {
            IndexState::Ready(index) => (Some(index), false),
            IndexState::Building => {
                waiting_ui(ui, "Building the search index…");
                return;
            }
            IndexState::Updating { announce } => (None, announce),
            IndexState::Failed(why) => {
                ui.colored_label(ui.visuals().error_fg_color, why);
                (None, false)
            }
        };
        if query.is_empty() {
            ui.weak("Words are matched with their Norwegian and English forms and inside compounds (\"skjønn\" finds \"skjønnsutøvelse\"). See README → Search for the query language.");
            return;
        }
        match index {
            Some(index) => {
                let key = (query.clone(), index.committed_revision());
                if self.results.as_ref().map(|(k, _)| k) != Some(&key) {
                    let outcome = index
                        .search(project, &query, LIMIT)
                        .map_err(|e| e.to_string());
                    self.results = Some((key, outcome));
                    self.kwic_lines.clear();
                }
            }
            None if self.results.as_ref().is_some_and(|((q, _), _)| *q == query) => {}
            None => {
                waiting_ui(ui, "Updating the search index…");
                return;
            }
        }
        let Some((_, outcome)) = &self.results else {
            return;
        };
        // Without a spinner: the results are there to read, and worth no repaint each frame.
        let note = |ui: &mut egui::Ui| {
            if updating {
                ui.weak("(updating the search index…)");
            }
        };
        let results = match outcome {
            Ok(r) => r,
            Err(message) => {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                    note(ui);
                });
                return;
            }
        };
        // Nothing to count or to code: say so, without "0 hits" and a "Code 0 hits" button.
        if results.paragraphs == 0 {
            ui.horizontal_wrapped(|ui| {
                ui.label("No paragraph matches this query.");
                note(ui);
            });
            return;
        }
        ui.horizontal_wrapped(|ui| {
            // "30 hits in 18 paragraphs; FFO 3 paragraphs, KS 1 paragraph"
            let mut line = format!(
                "{} in {}",
                plural(results.hits.len(), "hit", "hits"),
                plural(results.paragraphs, "paragraph", "paragraphs"),
            );
            if results.truncated {
                line.push_str(" (the first shown)");
            }
            let per_actor: Vec<String> = results
                .actor_counts
                .iter()
                .map(|c| {
                    let n = plural(c.paragraphs, "paragraph", "paragraphs");
                    match c.actor_id {
                        Some(_) => format!("{} {n}", c.name),
                        None => format!("{n} of no actor"),
                    }
                })
                .collect();
            if !per_actor.is_empty() {
                line.push_str(&format!("; {}", per_actor.join(", ")));
            }
            ui.label(line);
            note(ui);
        });
        code_hits_ui(
            ui,
            &mut self.theme,
            &mut self.widen,
            snapshot,
            results,
            actions,
        );
        ui.separator();
        kwic_ui(ui, results, &mut self.kwic_lines, actions);
    }
}

/// A spinner and what it waits for.
fn waiting_ui(ui: &mut egui::Ui, what: &str) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(what);
    });
}

/// Choose a theme and how far to widen, then code every hit shown as one undoable step.
fn code_hits_ui(
    ui: &mut egui::Ui,
    theme: &mut Option<ThemeId>,
    widen: &mut Widen,
    snapshot: &Snapshot,
    results: &SearchResults,
    actions: &mut Vec<Action>,
) {
    // Wrapped: a row wider than the panel would widen it under the inspector.
    ui.horizontal_wrapped(|ui| {
        ThemeCombo {
            id_salt: "hits-theme",
            label: "Theme for the hits",
            none: None,
            unset: "choose a theme…",
        }
        .show(ui, theme, snapshot, |_| true);
        ui.radio_value(widen, Widen::None, "the hit");
        ui.radio_value(widen, Widen::Sentence, "its sentence");
        ui.radio_value(widen, Widen::Paragraph, "its paragraph");
        let ready = theme.is_some() && !results.hits.is_empty();
        if ui
            .add_enabled(
                ready,
                egui::Button::new(format!(
                    "Code {}",
                    plural(results.hits.len(), "hit", "hits")
                )),
            )
            .clicked()
            && let Some(theme_id) = *theme
        {
            actions.push(Action::CodeHits {
                hits: results.hits.clone(),
                theme_id,
                widen: *widen,
            });
        }
    });
}

/// A hit's KWIC line, and its left context as cut for the width it was last shown in (cutting
/// takes a few text layouts: done again only when the width changes).
#[derive(Clone)]
struct KwicRow {
    line: Kwic,
    left: Option<(f32, String)>,
}

/// Keyword-in-context lines: the left context right-aligned in a fixed column so the hits line up.
/// Only the rows on screen are built, and each row's line once.
fn kwic_ui(
    ui: &mut egui::Ui,
    results: &SearchResults,
    lines: &mut Vec<Option<KwicRow>>,
    actions: &mut Vec<Action>,
) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    lines.resize(results.hits.len(), None);
    egui::ScrollArea::vertical()
        .id_salt("search-hits")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, results.hits.len(), |ui, rows| {
            // Names take up to 150 points each and the left context up to 300, less in a narrow
            // panel, so that the hit and some of what follows it stay in view.
            let width = ui.available_width();
            let name_width = (width * 0.15).min(150.0);
            let left_width = ((width - 2.0 * name_width) * 0.45).min(300.0);
            for (hit, line) in results.hits[rows.clone()].iter().zip(&mut lines[rows]) {
                let row = line.get_or_insert_with(|| KwicRow {
                    line: results.kwic(hit),
                    left: None,
                });
                if row
                    .left
                    .as_ref()
                    .is_none_or(|(width, _)| *width != left_width)
                {
                    let left = tail_that_fits(ui, &row.line.left, left_width);
                    row.left = Some((left_width, left));
                }
                let (line, left) = (&row.line, row.left.as_ref().map_or("", |(_, l)| l));
                // The whole row opens the hit; it names the source and who speaks.
                let row = ui.horizontal(|ui| {
                    let who = match (results.person_name(hit), results.actor_name(hit)) {
                        (Some(person), Some(actor)) => format!("{person} ({actor})"),
                        (Some(person), None) => person.to_string(),
                        (None, Some(actor)) => actor.to_string(),
                        (None, None) => hit.kind.to_string(),
                    };
                    ui.add_sized(
                        [name_width, row_height],
                        egui::Label::new(egui::RichText::new(who).weak()).truncate(),
                    );
                    ui.add_sized(
                        [name_width, row_height],
                        egui::Label::new(egui::RichText::new(results.source_title(hit)).weak())
                            .truncate(),
                    );
                    ui.allocate_ui_with_layout(
                        egui::vec2(left_width, row_height),
                        egui::Layout::right_to_left(egui::Align::Center),
                        |ui| {
                            ui.add(egui::Label::new(left).wrap_mode(egui::TextWrapMode::Extend));
                        },
                    );
                    ui.add(egui::Label::new(egui::RichText::new(&line.hit).strong()));
                    ui.add(egui::Label::new(&line.right).truncate());
                });
                let rect = row.response.rect;
                let click = ui
                    .interact(
                        rect,
                        ui.scope_id().with(("hit", hit.source_id, hit.span.start)),
                        egui::Sense::click(),
                    )
                    .on_hover_cursor(egui::CursorIcon::PointingHand)
                    .on_hover_text(format!(
                        "{} · open the source at this hit",
                        results.source_title(hit)
                    ));
                if click.clicked() {
                    actions.push(Action::OpenSource(hit.source_id, Some(hit.span)));
                }
            }
        });
}

/// The end of `text` that fits in `width` points of body text, cut with "…" in front: a KWIC
/// line's left context keeps the words next to the hit, where a label would cut those.
fn tail_that_fits(ui: &egui::Ui, text: &str, width: f32) -> String {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let fits = |s: String| {
        let galley = (ui.ctx()).fonts_mut(|f| f.layout_no_wrap(s, font.clone(), Color32::GRAY));
        galley.size().x <= width
    };
    if fits(text.to_owned()) {
        return text.to_owned();
    }
    // The longest tail that fits, by bisection over where it starts (a longer tail is wider).
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let at = starts.partition_point(|&i| !fits(format!("…{}", &text[i..])));
    format!("…{}", starts.get(at).map_or("", |&i| &text[i..]))
}
