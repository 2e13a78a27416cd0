//! Where actors oppose each other on an axis — pairs of opposing quotes grouped by axis, then by
//! pair of actors, strongest first, a page at a time — and where one actor takes both sides.
//! The ranking runs on its own thread with its own connection, so a large project never stalls
//! the window; a quote already on the screen is not shown again in full. Only the rows on screen
//! are laid out.

use std::collections::HashSet;

use crate::analysis::{AxisDisagreements, Counting, DisagreementPage, StanceQuote};
use crate::model::{CharSpan, SourceId};
use crate::project::Project;
use crate::text;

use super::actions::Action;
use super::off_frame::OffFrame;
use super::snapshot::Snapshot;
use super::view_export::{ViewFormat, export_menu_ui};
use super::virtual_list::VirtualList;
use crate::export::report;

/// Rows per pair of actors on one page.
const ROWS_PER_PAGE: usize = 10;
/// Quotes longer than this are folded, with "more" to unfold them.
const FOLDED_CHARS: usize = 280;

/// What a page was computed for: the project's revision, the page, the counting.
type PageKey = (i64, usize, bool);

#[derive(Default)]
pub struct DisagreementsView {
    /// The page shown, from 0.
    pub page: usize,
    /// Count every coding on its own instead of one voice per quote.
    pub per_coding: bool,
    /// The page ranked on its own thread, with its rows of the list in order.
    ranked: OffFrame<PageKey, (Vec<AxisDisagreements>, Vec<Row>)>,
    list: VirtualList,
    /// Quotes unfolded with "more", by source and span.
    unfolded: HashSet<(SourceId, CharSpan)>,
}

impl DisagreementsView {
    fn counting(&self) -> Counting {
        if self.per_coding {
            Counting::Codings
        } else {
            Counting::Quotes
        }
    }

    /// Whether a page is being ranked.
    pub fn is_computing(&self) -> bool {
        self.ranked.is_computing()
    }

    /// Starts ranking `key`'s page on a thread unless it is shown or on its way.
    fn request(&mut self, ctx: &egui::Context, project: &Project, key: PageKey) {
        let page = DisagreementPage {
            offset: key.1 * ROWS_PER_PAGE,
            limit: ROWS_PER_PAGE,
            counting: self.counting(),
        };
        self.ranked
            .request(ctx, project, false, key, move |project| {
                let axes = crate::analysis::disagreements_page(project, &page)?;
                let rows = rows_of(&axes);
                Ok((axes, rows))
            });
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        self.ranked.poll();
        let more_pages = self.ranked.value().is_some_and(|(axes, _)| {
            axes.iter()
                .flat_map(|a| &a.actor_pairs)
                .any(|g| g.total_pairs > (self.page + 1) * ROWS_PER_PAGE)
        });
        // Wrapped, so that a narrow window keeps every control in the panel.
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut self.per_coding, "Count every coding")
                .on_hover_text(
                    "By default an actor's codings on an axis that overlap, nest or lie in one \
                     paragraph are one quote, with the mean of their stances.",
                );
            ui.separator();
            if ui
                .add_enabled(self.page > 0, egui::Button::new("◀ Stronger"))
                .clicked()
            {
                self.page -= 1;
            }
            ui.label(format!(
                "Rows {}–{} of each pair of actors",
                self.page * ROWS_PER_PAGE + 1,
                (self.page + 1) * ROWS_PER_PAGE
            ));
            if ui
                .add_enabled(more_pages, egui::Button::new("Weaker ▶"))
                .clicked()
            {
                self.page += 1;
            }
            if let Some((axes, _)) = self.ranked.value() {
                ui.separator();
                export_menu_ui(ui, "Disagreements", "disagreements", actions, |format| {
                    Ok(match format {
                        ViewFormat::Html => report::disagreements_html(axes).into_bytes(),
                        ViewFormat::Markdown => report::disagreements_markdown(axes).into_bytes(),
                        ViewFormat::Csv => {
                            let mut csv = Vec::new();
                            report::write_disagreements_csv(&mut csv, axes)?;
                            csv
                        }
                    })
                });
            }
            // Last in the bar, so that nothing moves when it comes and goes.
            if self.ranked.is_computing() {
                ui.spinner();
                ui.weak("Ranking…");
            }
        });
        ui.separator();
        let key = (snapshot.revision, self.page, self.per_coding);
        self.request(ui.ctx(), project, key);
        if let Some(error) = self.ranked.error() {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        let generation = self.ranked.generation();
        let Some((axes, rows)) = self.ranked.value() else {
            return;
        };
        let unfolded = &mut self.unfolded;
        self.list
            .show(ui, "disagreements", rows.len(), generation, |ui, i| {
                row_ui(ui, axes, rows[i], unfolded, actions);
            });
    }
}

/// One row of the list: an axis's heading, a pair of actors' heading, a pair of opposing
/// quotes, an actor taking both sides, or one of its quotes. `first` says whether a quote is
/// shown for the first time on the page (else it is a reference to the one above).
#[derive(Clone, Copy)]
enum Row {
    Axis(usize),
    Pair {
        axis: usize,
        group: usize,
    },
    Quotes {
        axis: usize,
        group: usize,
        row: usize,
        first: [bool; 2],
    },
    BothSides {
        axis: usize,
        flag: usize,
    },
    BothSidesQuote {
        axis: usize,
        flag: usize,
        quote: usize,
        first: bool,
    },
}

fn quote_key(quote: &StanceQuote) -> (SourceId, CharSpan) {
    (quote.main().source_id, quote.span)
}

/// The page as rows, in the order they are shown.
fn rows_of(axes: &[AxisDisagreements]) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for (a, axis) in axes.iter().enumerate() {
        rows.push(Row::Axis(a));
        for (g, group) in axis.actor_pairs.iter().enumerate() {
            rows.push(Row::Pair { axis: a, group: g });
            for (r, pair) in group.pairs.iter().enumerate() {
                let first = [
                    seen.insert(quote_key(&pair.negative)),
                    seen.insert(quote_key(&pair.positive)),
                ];
                rows.push(Row::Quotes {
                    axis: a,
                    group: g,
                    row: r,
                    first,
                });
            }
        }
        for (f, flag) in axis.both_sides.iter().enumerate() {
            rows.push(Row::BothSides { axis: a, flag: f });
            for (q, quote) in flag.negative.iter().chain(&flag.positive).enumerate() {
                rows.push(Row::BothSidesQuote {
                    axis: a,
                    flag: f,
                    quote: q,
                    first: seen.insert(quote_key(quote)),
                });
            }
        }
    }
    rows
}

fn row_ui(
    ui: &mut egui::Ui,
    axes: &[AxisDisagreements],
    row: Row,
    unfolded: &mut HashSet<(SourceId, CharSpan)>,
    actions: &mut Vec<Action>,
) {
    match row {
        Row::Axis(a) => {
            let axis = &axes[a];
            if a > 0 {
                ui.separator();
            }
            ui.heading(&axis.theme_name);
            ui.weak(format!(
                "← {}   ·   {} →   ·   strength = the difference of the two stances (at most 4)",
                axis.poles.negative, axis.poles.positive
            ));
            if axis.actor_pairs.is_empty() && axis.both_sides.is_empty() {
                ui.weak("No actors take opposite stances here.");
            }
        }
        Row::Pair { axis: a, group: g } => {
            let axis = &axes[a];
            let group = &axis.actor_pairs[g];
            ui.add_space(4.0);
            ui.strong(group.heading(axis));
        }
        Row::Quotes {
            axis: a,
            group: g,
            row: r,
            first,
        } => {
            let group = &axes[a].actor_pairs[g];
            let pair = &group.pairs[r];
            ui.weak(format!(
                "{}. strength {:.2}",
                group.first_row() + r,
                pair.strength
            ));
            ui.columns(2, |cols| {
                for ((col, quote), first) in cols
                    .iter_mut()
                    .zip([&pair.negative, &pair.positive])
                    .zip(first)
                {
                    col.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                        quote_ui(ui, quote, first, unfolded, actions);
                    });
                }
            });
            ui.add_space(4.0);
        }
        Row::BothSides { axis: a, flag: f } => {
            let axis = &axes[a];
            let flag = &axis.both_sides[f];
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "{} takes both sides of this axis: {} toward {}, {} toward {}",
                    flag.actor_name,
                    axis.counting.count(flag.negative_total),
                    axis.poles.negative,
                    axis.counting.count(flag.positive_total),
                    axis.poles.positive
                ),
            );
        }
        Row::BothSidesQuote {
            axis: a,
            flag: f,
            quote: q,
            first,
        } => {
            let flag = &axes[a].both_sides[f];
            if let Some(quote) = flag.negative.iter().chain(&flag.positive).nth(q) {
                quote_ui(ui, quote, first, unfolded, actions);
            }
        }
    }
}

/// One quote: who, its stance, its text (folded when long, or a reference when it is already on
/// the screen), and a button to open it in its source.
fn quote_ui(
    ui: &mut egui::Ui,
    quote: &StanceQuote,
    first_time: bool,
    unfolded: &mut HashSet<(SourceId, CharSpan)>,
    actions: &mut Vec<Action>,
) {
    let main = quote.main();
    let key = quote_key(quote);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        let codings = if quote.codings.len() > 1 {
            format!(" · {} codings", quote.codings.len())
        } else {
            String::new()
        };
        ui.weak(format!(
            "{} ({}) · stance {}{codings}",
            main.person_name.clone().unwrap_or_default(),
            main.actor_name.clone().unwrap_or_default(),
            crate::export::report::stance_value(quote.stance),
        ));
        let whole = text::one_line(&quote.quote);
        if !first_time {
            let start: String = whole.chars().take(60).collect();
            ui.weak(format!("«{start}…» (the same quote as above)"));
        } else if whole.chars().count() > FOLDED_CHARS && !unfolded.contains(&key) {
            let start: String = whole.chars().take(FOLDED_CHARS).collect();
            ui.label(format!("«{start}…»"));
            if ui.small_button("more").clicked() {
                unfolded.insert(key);
            }
        } else {
            ui.label(format!("«{whole}»"));
        }
        if ui.small_button("Open in source").clicked() {
            actions.push(Action::OpenSource(main.source_id, Some(quote.span)));
            actions.push(Action::SelectCoding(Some(main.coding_id)));
        }
    });
}
