//! Where actors oppose each other on an axis — pairs of opposing quotes, grouped by pair of
//! actors, strongest first — and where one actor takes both sides.

use crate::analysis::{AxisDisagreements, StanceQuote, disagreements};
use crate::project::Project;
use crate::text;

use super::actions::Action;
use super::revision_cache::RevisionCache;
use super::snapshot::Snapshot;

#[derive(Default)]
pub struct DisagreementsView {
    cache: RevisionCache<Vec<AxisDisagreements>>,
}

fn quote_ui(ui: &mut egui::Ui, quote: &StanceQuote, actions: &mut Vec<Action>) {
    let main = quote.main();
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.weak(format!(
            "{} ({}) · stance {:+.2}",
            main.person_name.clone().unwrap_or_default(),
            main.actor_name.clone().unwrap_or_default(),
            quote.stance
        ));
        ui.label(format!("«{}»", text::one_line(&quote.quote)));
        if ui.small_button("Open in source").clicked() {
            actions.push(Action::OpenSource(main.source_id, Some(quote.span)));
            actions.push(Action::SelectCoding(Some(main.coding_id)));
        }
    });
}

impl DisagreementsView {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        let Some(axes) = self
            .cache
            .get(ui, snapshot.revision, || disagreements(project))
        else {
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("disagreements")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for axis in axes {
                    ui.heading(&axis.theme_name);
                    if axis.actor_pairs.is_empty() && axis.both_sides.is_empty() {
                        ui.weak("No actors take opposite stances here.");
                    }
                    for group in &axis.actor_pairs {
                        ui.strong(format!(
                            "{} against {}",
                            group.negative_actor_name, group.positive_actor_name
                        ));
                        for pair in &group.pairs {
                            ui.weak(format!("strength {:.2}", pair.strength));
                            ui.columns(2, |cols| {
                                cols[0]
                                    .with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                                        quote_ui(ui, &pair.negative, actions)
                                    });
                                cols[1]
                                    .with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                                        quote_ui(ui, &pair.positive, actions)
                                    });
                            });
                            ui.add_space(6.0);
                        }
                    }
                    for flag in &axis.both_sides {
                        ui.colored_label(
                            ui.visuals().warn_fg_color,
                            format!("{} takes both sides of this axis:", flag.actor_name),
                        );
                        for quote in flag.negative.iter().chain(&flag.positive) {
                            quote_ui(ui, quote, actions);
                        }
                    }
                    ui.separator();
                }
            });
    }
}
