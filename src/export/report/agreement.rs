//! The inter-coder agreement report (`crate::analysis::agreement`) as an aligned text table and
//! as CSV; JSON is the report serialised as it is, with full precision.

use std::io::Write;

use super::grid::Grid;
use super::tables::write_csv;
use super::text::aligned;
use crate::analysis::agreement::{AgreementReport, AgreementRow, GroupRow};
use crate::error::Result;

const EXPLANATION: &str = "\
Agreement: share of units both coders gave the same value (mean over pairs for more coders).
κ: Cohen's kappa, agreement beyond chance (two coders only). α: Krippendorff's alpha, nominal;
α stance: Krippendorff's alpha, interval, over each coder's mean stance per paragraph.
Paragraph: a unit per paragraph, 1 where a coding of the theme overlaps it. Character: a unit
per character except line breaks. \"Coded text only\": only text some coder coded (any theme),
so uncoded text does not inflate agreement. Scope: sources every chosen coder coded.
— means undefined (no variation, or nothing to compare).
";

fn figure(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.decimals$}"))
}

fn cells(row: &AgreementRow) -> Vec<String> {
    vec![
        row.theme.clone(),
        row.unit.label().to_string(),
        figure(row.percent_agreement, 1),
        figure(row.kappa, 3),
        figure(row.alpha, 3),
        figure(row.alpha_interval, 3),
        row.units.to_string(),
        figure(row.coded_text_only.percent_agreement, 1),
        figure(row.coded_text_only.kappa, 3),
        figure(row.coded_text_only.alpha, 3),
        row.coded_text_only.units.to_string(),
    ]
}

fn grid(rows: &[AgreementRow]) -> Grid {
    let header = [
        "theme",
        "unit",
        "agreement %",
        "κ",
        "α",
        "α stance",
        "units",
        "coded only: %",
        "κ",
        "α",
        "units",
    ];
    Grid {
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: rows.iter().map(cells).collect(),
        numeric: (0..header.len()).map(|i| i >= 2).collect(),
    }
}

fn group_grid(first: &str, rows: &[GroupRow]) -> Grid {
    let header = [
        first,
        "paragraphs: agreement %",
        "κ",
        "α",
        "units",
        "characters: agreement %",
        "κ",
        "α",
        "units",
    ];
    Grid {
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.name.clone(),
                    figure(r.paragraph.percent_agreement, 1),
                    figure(r.paragraph.kappa, 3),
                    figure(r.paragraph.alpha, 3),
                    r.paragraph.units.to_string(),
                    figure(r.character.percent_agreement, 1),
                    figure(r.character.kappa, 3),
                    figure(r.character.alpha, 3),
                    r.character.units.to_string(),
                ]
            })
            .collect(),
        numeric: (0..header.len()).map(|i| i >= 1).collect(),
    }
}

/// The report as text: the coders and scope, the themes (least agreement first), the overall
/// figures, and what each figure means.
pub fn agreement_text(report: &AgreementReport) -> String {
    let mut out = format!(
        "Coders: {} — {} source{} coded by every one of them\n\n",
        report.coders.join(", "),
        report.sources,
        if report.sources == 1 { "" } else { "s" }
    );
    out.push_str("By theme, least agreement first:\n");
    out.push_str(&aligned(&grid(&report.themes), "  "));
    out.push_str("\nAll themes pooled:\n");
    out.push_str(&aligned(&grid(&report.overall), "  "));
    if report.by_pair.len() > 1 {
        out.push_str("\nBy pair of coders, all themes pooled:\n");
        out.push_str(&aligned(&group_grid("coders", &report.by_pair), "  "));
    }
    out.push_str("\nBy source, all themes pooled, least agreement first:\n");
    out.push_str(&aligned(&group_grid("source", &report.by_source), "  "));
    out.push('\n');
    out.push_str(EXPLANATION);
    out
}

/// One CSV row per theme and unit level, then the overall rows; empty cells where undefined.
pub fn write_agreement_csv(out: &mut dyn Write, report: &AgreementReport) -> Result<()> {
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let rows = report
        .themes
        .iter()
        .chain(&report.overall)
        .map(|row| {
            vec![
                row.theme.clone(),
                row.unit.label().to_string(),
                number(row.percent_agreement),
                number(row.kappa),
                number(row.alpha),
                number(row.alpha_interval),
                row.units.to_string(),
                number(row.coded_text_only.percent_agreement),
                number(row.coded_text_only.kappa),
                number(row.coded_text_only.alpha),
                row.coded_text_only.units.to_string(),
            ]
        })
        .collect();
    write_csv(
        out,
        &[
            "theme",
            "unit",
            "percent_agreement",
            "kappa",
            "alpha",
            "alpha_interval",
            "units",
            "coded_percent_agreement",
            "coded_kappa",
            "coded_alpha",
            "coded_units",
        ],
        rows,
    )
}
