//! How far the coders agree, theme by theme, and where two of them differ, with the quotes side
//! by side and a button to settle each difference (one undoable command each).

use crate::analysis::agreement::{
    AgreementOptions, AgreementReport, AgreementRow, Difference, DifferingCoding, GroupRow,
    Resolution, agreement, differences,
};
use crate::model::{CoderId, ThemeId};
use crate::project::Project;
use crate::text;

use super::actions::Action;
use super::snapshot::Snapshot;
use super::theme_picker::ThemeCombo;

/// Differences listed per page: each is a pair of quotes, and a project can have thousands.
const PAGE: usize = 40;

/// The two halves of the tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Part {
    #[default]
    Figures,
    Differences,
}

#[derive(Default)]
pub struct AgreementView {
    part: Part,
    /// The coders to compare; empty until first drawn, then every coder with codings.
    chosen: Vec<CoderId>,
    /// The pair whose differences are listed.
    pair: Option<(CoderId, CoderId)>,
    /// Only this theme's differences (all themes when `None`).
    theme: Option<ThemeId>,
    page: usize,
    report: Option<(Key, Result<AgreementReport, String>)>,
    differences: Option<(Key, Result<Vec<Difference>, String>)>,
}

/// What a computed result depends on.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    revision: i64,
    coders: Vec<CoderId>,
    theme: Option<ThemeId>,
}

const FIGURES_HELP: &str = "Agreement: the share of units both coders gave the same value (the mean over pairs for more than two). \
κ: Cohen's kappa, agreement beyond chance (two coders only). α: Krippendorff's alpha, nominal. \
α stance: Krippendorff's alpha, interval, over each coder's mean stance per paragraph (axis themes). \
Paragraph: one unit per paragraph, 1 where a coding of the theme overlaps it. Character: one unit per character except line breaks. \
Coded only: only text some coder coded with any theme, so uncoded text does not inflate agreement. \
Sources in scope: those every chosen coder coded. — means undefined.";

fn figure(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.decimals$}"))
}

impl AgreementView {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        let coders_with_codings: Vec<_> = snapshot
            .coders
            .iter()
            .filter(|c| snapshot.coder_counts.get(&c.id).copied().unwrap_or(0) > 0)
            .collect();
        if coders_with_codings.len() < 2 {
            ui.label(
                "Agreement needs the codings of two or more coders. Code the same sources as a \
                 second coder (set your name in Settings), or bring a colleague's project in with \
                 File → Merge project….",
            );
            return;
        }
        if self.chosen.is_empty() {
            self.chosen = coders_with_codings.iter().map(|c| c.id).collect();
        }
        ui.horizontal_wrapped(|ui| {
            ui.label("Coders:");
            for coder in &coders_with_codings {
                let mut on = self.chosen.contains(&coder.id);
                if ui.checkbox(&mut on, &coder.name).changed() {
                    if on {
                        self.chosen.push(coder.id);
                    } else {
                        self.chosen.retain(|c| *c != coder.id);
                    }
                    self.page = 0;
                }
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.selectable_value(&mut self.part, Part::Figures, "Agreement figures");
            ui.selectable_value(&mut self.part, Part::Differences, "Where two coders differ");
        });
        ui.separator();
        if self.chosen.len() < 2 {
            ui.weak("Choose two or more coders.");
            return;
        }
        if self.part == Part::Differences {
            egui::ScrollArea::vertical()
                .id_salt("differences")
                .auto_shrink([false, false])
                .show(ui, |ui| self.differences_ui(ui, project, snapshot, actions));
            return;
        }
        let key = Key {
            revision: snapshot.revision,
            coders: self.chosen.clone(),
            theme: None,
        };
        if self.report.as_ref().map(|(k, _)| k) != Some(&key) {
            let options = AgreementOptions {
                coder_ids: self.chosen.clone(),
                theme_ids: Vec::new(),
            };
            let report = agreement(project, &options).map_err(|e| e.to_string());
            self.report = Some((key, report));
        }
        egui::ScrollArea::both()
            .id_salt("agreement")
            .auto_shrink([false, false])
            .show(ui, |ui| match &self.report {
                Some((_, Ok(report))) => figures_ui(ui, report),
                Some((_, Err(e))) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                None => {}
            });
    }

    fn differences_ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        actions: &mut Vec<Action>,
    ) {
        let name = |id: CoderId| {
            snapshot
                .coders
                .iter()
                .find(|c| c.id == id)
                .map_or_else(String::new, |c| c.name.clone())
        };
        let (mut a, mut b) = self
            .pair
            .filter(|(a, b)| self.chosen.contains(a) && self.chosen.contains(b) && a != b)
            .unwrap_or((self.chosen[0], self.chosen[1]));
        ui.horizontal_wrapped(|ui| {
            for (label, which) in [("Compare", &mut a), ("with", &mut b)] {
                ui.label(label);
                egui::ComboBox::from_id_salt(("coder", label))
                    .selected_text(name(*which))
                    .show_ui(ui, |ui| {
                        for id in &self.chosen {
                            ui.selectable_value(which, *id, name(*id));
                        }
                    });
            }
            ui.label("on");
            ThemeCombo {
                id_salt: "differences theme",
                label: "",
                none: Some("every theme"),
                unset: "every theme",
            }
            .show(ui, &mut self.theme, snapshot, |_| true);
        });
        if (a, b) != self.pair.unwrap_or((a, b)) || self.pair.is_none() {
            self.page = 0;
        }
        self.pair = Some((a, b));
        if a == b {
            ui.weak("Choose two different coders.");
            return;
        }
        let key = Key {
            revision: snapshot.revision,
            coders: vec![a, b],
            theme: self.theme,
        };
        if self.differences.as_ref().map(|(k, _)| k) != Some(&key) {
            let found = differences(project, a, b, self.theme).map_err(|e| e.to_string());
            self.differences = Some((key, found));
        }
        let found = match &self.differences {
            Some((_, Ok(found))) => found,
            Some((_, Err(e))) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return;
            }
            None => return,
        };
        if found.is_empty() {
            ui.label(format!(
                "{} and {} coded {} the same way.",
                name(a),
                name(b),
                self.theme
                    .and_then(|t| snapshot.theme(t))
                    .map_or_else(|| "every theme".to_string(), |t| t.name.clone())
            ));
            return;
        }
        let pages = found.len().div_ceil(PAGE);
        self.page = self.page.min(pages - 1);
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{} difference{} between {} and {}",
                found.len(),
                if found.len() == 1 { "" } else { "s" },
                name(a),
                name(b)
            ));
            if pages > 1 {
                if ui
                    .add_enabled(self.page > 0, egui::Button::new("◀ Previous"))
                    .clicked()
                {
                    self.page -= 1;
                }
                ui.label(format!("page {} of {pages}", self.page + 1));
                if ui
                    .add_enabled(self.page + 1 < pages, egui::Button::new("Next ▶"))
                    .clicked()
                {
                    self.page += 1;
                }
            }
        });
        for difference in found.iter().skip(self.page * PAGE).take(PAGE) {
            difference_ui(
                ui,
                snapshot,
                difference,
                (a, b),
                (&name(a), &name(b)),
                actions,
            );
        }
    }
}

fn figures_ui(ui: &mut egui::Ui, report: &AgreementReport) {
    ui.horizontal_wrapped(|ui| {
        ui.heading("Agreement");
        ui.weak("(hover a heading for what it means)")
            .on_hover_text(FIGURES_HELP);
    });
    ui.label(format!(
        "{} — {} source{} coded by every one of them. Least agreement first.",
        report.coders.join(", "),
        report.sources,
        if report.sources == 1 { "" } else { "s" }
    ));
    egui::Grid::new("agreement figures")
        .striped(true)
        .num_columns(10)
        .show(ui, |ui| {
            for header in [
                "Theme",
                "Unit",
                "Agreement",
                "κ",
                "α",
                "α stance",
                "Units",
                "Coded only: agreement",
                "κ",
                "α",
            ] {
                ui.strong(header).on_hover_text(FIGURES_HELP);
            }
            ui.end_row();
            for row in report.themes.iter().chain(&report.overall) {
                row_ui(ui, row);
            }
        });
    if report.by_pair.len() > 1 {
        ui.add_space(8.0);
        ui.strong("By pair of coders, all themes pooled");
        groups_ui(ui, "agreement by pair", "Coders", &report.by_pair);
    }
    ui.add_space(8.0);
    ui.strong("By source, all themes pooled, least agreement first");
    groups_ui(ui, "agreement by source", "Source", &report.by_source);
}

fn groups_ui(ui: &mut egui::Ui, id: &str, first: &str, rows: &[GroupRow]) {
    egui::Grid::new(id)
        .striped(true)
        .num_columns(7)
        .show(ui, |ui| {
            for header in [
                first,
                "Paragraphs: agreement",
                "κ",
                "α",
                "Characters: agreement",
                "κ",
                "α",
            ] {
                ui.strong(header).on_hover_text(FIGURES_HELP);
            }
            ui.end_row();
            for row in rows {
                ui.label(&row.name);
                for figures in [&row.paragraph, &row.character] {
                    ui.label(format!("{} %", figure(figures.percent_agreement, 1)));
                    ui.label(figure(figures.kappa, 3));
                    ui.label(figure(figures.alpha, 3));
                }
                ui.end_row();
            }
        });
}

fn row_ui(ui: &mut egui::Ui, row: &AgreementRow) {
    ui.label(&row.theme);
    ui.label(row.unit.label());
    ui.label(format!("{} %", figure(row.percent_agreement, 1)));
    ui.label(figure(row.kappa, 3));
    ui.label(figure(row.alpha, 3));
    ui.label(figure(row.alpha_interval, 3));
    ui.label(row.units.to_string());
    ui.label(format!(
        "{} %",
        figure(row.coded_text_only.percent_agreement, 1)
    ));
    ui.label(figure(row.coded_text_only.kappa, 3));
    ui.label(figure(row.coded_text_only.alpha, 3));
    ui.end_row();
}

fn difference_ui(
    ui: &mut egui::Ui,
    snapshot: &Snapshot,
    difference: &Difference,
    (a, b): (CoderId, CoderId),
    (a_name, b_name): (&str, &str),
    actions: &mut Vec<Action>,
) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        let theme = snapshot
            .theme(difference.theme_id)
            .map_or("", |t| t.name.as_str());
        let what = difference
            .what()
            .replace("the first coder", a_name)
            .replace("the second coder", b_name);
        ui.horizontal_wrapped(|ui| {
            ui.strong(&difference.source_title);
            ui.label(format!("· {theme} · {what}"));
        });
        ui.columns(2, |columns| {
            codings_ui(&mut columns[0], a_name, &difference.a);
            codings_ui(&mut columns[1], b_name, &difference.b);
        });
        ui.horizontal_wrapped(|ui| {
            let resolve = |resolution| Action::ResolveDifference {
                difference: Box::new(difference.clone()),
                a,
                b,
                resolution,
                summary: match resolution {
                    Resolution::AcceptA => format!("kept {a_name}'s coding"),
                    Resolution::AcceptB => format!("kept {b_name}'s coding"),
                    Resolution::KeepBoth => format!("kept both {a_name}'s and {b_name}'s codings"),
                },
            };
            if ui
                .button(format!("Accept {a_name}'s"))
                .on_hover_text(format!(
                    "{b_name}'s codings here become copies of {a_name}'s"
                ))
                .clicked()
            {
                actions.push(resolve(Resolution::AcceptA));
            }
            if ui
                .button(format!("Accept {b_name}'s"))
                .on_hover_text(format!(
                    "{a_name}'s codings here become copies of {b_name}'s"
                ))
                .clicked()
            {
                actions.push(resolve(Resolution::AcceptB));
            }
            if ui
                .button("Keep both")
                .on_hover_text("Each coder gets a copy of the other's codings here")
                .clicked()
            {
                actions.push(resolve(Resolution::KeepBoth));
            }
            if ui.button("Open in source").clicked() {
                actions.push(Action::OpenSource(
                    difference.source_id,
                    Some(difference.span),
                ));
            }
        });
    });
}

fn codings_ui(ui: &mut egui::Ui, coder: &str, codings: &[DifferingCoding]) {
    ui.strong(coder);
    if codings.is_empty() {
        ui.weak("(did not code this)");
    }
    for coding in codings {
        let stance = coding
            .coding
            .stance
            .map(|s| format!(" · stance {:+}", s.value()))
            .unwrap_or_default();
        ui.label(format!("«{}»{stance}", text::one_line(&coding.quote)));
        if !coding.coding.memo.trim().is_empty() {
            ui.weak(format!("Memo: {}", text::one_line(&coding.coding.memo)));
        }
    }
}
