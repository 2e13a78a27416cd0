//! The views' numbers as CSV (one row per actor, axis or cell; two decimals; empty when a value
//! does not exist) and whole views as JSON.

use std::io::Write;

use serde::Serialize;

use super::format::fixed2;
use crate::analysis::{
    ActorThemeMatrix, AxisDisagreements, AxisPositions, CooccurrenceMatrix, SideBySide, StanceQuote,
};
use crate::error::{Error, Result};

fn csv_error(e: impl std::fmt::Display) -> Error {
    Error::Export(format!("CSV: {e}"))
}

pub(super) fn write_csv(
    out: &mut dyn Write,
    header: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(header).map_err(csv_error)?;
    for row in rows {
        writer.write_record(&row).map_err(csv_error)?;
    }
    writer.flush().map_err(csv_error)
}

fn share_pct(share: Option<f64>) -> String {
    share.map(|s| fixed2(s * 100.0)).unwrap_or_default()
}

/// One row per column of the side-by-side view: its header numbers.
pub fn write_compare_csv(out: &mut dyn Write, view: &SideBySide) -> Result<()> {
    let rows = view
        .columns
        .iter()
        .map(|c| {
            vec![
                c.label.clone(),
                c.actor_name.clone(),
                c.person_name.clone().unwrap_or_default(),
                c.coverage.count.to_string(),
                c.coverage.quotes.to_string(),
                c.coverage.theme_chars.to_string(),
                c.coverage.coded_chars.to_string(),
                share_pct(c.coverage.share),
                c.mean_stance.map(fixed2).unwrap_or_default(),
                c.stance_n.to_string(),
            ]
        })
        .collect();
    write_csv(
        out,
        &[
            "column",
            "actor",
            "person",
            "codings",
            "quotes",
            "theme_chars",
            "coded_chars",
            "share_pct",
            "mean_stance",
            "stance_n",
        ],
        rows,
    )
}

/// One row per axis and actor; an actor without stances has n = 0 and empty statistics. `unit`
/// says what n counts (quotes, or codings when counting per coding).
pub fn write_positions_csv(out: &mut dyn Write, axes: &[AxisPositions]) -> Result<()> {
    let mut rows = Vec::new();
    for axis in axes {
        for actor in &axis.actors {
            let summary = actor.summary.as_ref();
            rows.push(vec![
                axis.theme_name.clone(),
                axis.poles.negative.clone(),
                axis.poles.positive.clone(),
                actor.actor_name.clone(),
                summary.map_or(0, |s| s.n).to_string(),
                axis.counting.noun().to_string(),
                summary.map(|s| fixed2(s.mean)).unwrap_or_default(),
                summary.map(|s| fixed2(s.min)).unwrap_or_default(),
                summary.map(|s| fixed2(s.max)).unwrap_or_default(),
                summary.map(|s| fixed2(s.std_dev)).unwrap_or_default(),
                actor.codings_without_stance.to_string(),
            ]);
        }
    }
    write_csv(
        out,
        &[
            "axis",
            "negative_pole",
            "positive_pole",
            "actor",
            "n",
            "unit",
            "mean",
            "min",
            "max",
            "std_dev",
            "codings_without_stance",
        ],
        rows,
    )
}

/// Long ("tidy") form: one row per actor and theme, so every measure of a cell has its column.
pub fn write_matrix_csv(out: &mut dyn Write, matrix: &ActorThemeMatrix) -> Result<()> {
    let mut rows = Vec::new();
    for (actor, cells) in matrix.actors.iter().zip(&matrix.cells) {
        for (theme, cell) in matrix.themes.iter().zip(cells) {
            rows.push(vec![
                actor.actor_name.clone(),
                theme.theme_name.clone(),
                cell.count.to_string(),
                cell.quotes.to_string(),
                cell.theme_chars.to_string(),
                cell.coded_chars.to_string(),
                share_pct(cell.share),
            ]);
        }
    }
    write_csv(
        out,
        &[
            "actor",
            "theme",
            "codings",
            "quotes",
            "theme_chars",
            "coded_chars",
            "share_pct",
        ],
        rows,
    )
}

/// The square matrix as it is: a header of theme names, then one row per theme.
pub fn write_cooccurrence_csv(out: &mut dyn Write, matrix: &CooccurrenceMatrix) -> Result<()> {
    let mut header = vec!["theme"];
    header.extend(matrix.themes.iter().map(|t| t.theme_name.as_str()));
    let rows = matrix
        .themes
        .iter()
        .zip(&matrix.counts)
        .map(|(theme, counts)| {
            std::iter::once(theme.theme_name.clone())
                .chain(counts.iter().map(usize::to_string))
                .collect()
        })
        .collect();
    write_csv(out, &header, rows)
}

/// One row per pair of opposing quotes shown: axis, the two actors, the row's rank in its pair of
/// actors, the strength, and each quote's stance, speaker, source, span, coding ids and text.
pub fn write_disagreements_csv(out: &mut dyn Write, axes: &[AxisDisagreements]) -> Result<()> {
    let side = |q: &StanceQuote| {
        let main = q.main();
        let ids: Vec<String> = q
            .codings
            .iter()
            .map(|c| c.coding_id.0.to_string())
            .collect();
        [
            fixed2(q.stance),
            main.speaker(),
            main.source_title.clone(),
            q.span.start.to_string(),
            q.span.end.to_string(),
            ids.join(" "),
            q.quote.clone(),
        ]
    };
    let mut rows = Vec::new();
    for axis in axes {
        for group in &axis.actor_pairs {
            for (i, pair) in group.pairs.iter().enumerate() {
                let mut row = vec![
                    axis.theme_name.clone(),
                    axis.counting.noun().to_string(),
                    group.negative_actor_name.clone(),
                    group.positive_actor_name.clone(),
                    (group.first_row() + i).to_string(),
                    group.total_pairs.to_string(),
                    fixed2(pair.strength),
                ];
                row.extend(side(&pair.negative));
                row.extend(side(&pair.positive));
                rows.push(row);
            }
        }
    }
    let mut header: Vec<String> = [
        "axis",
        "unit",
        "negative_actor",
        "positive_actor",
        "row",
        "rows_in_all",
        "strength",
    ]
    .map(String::from)
    .to_vec();
    for prefix in ["negative", "positive"] {
        for field in [
            "stance", "speaker", "source", "start", "end", "codings", "quote",
        ] {
            header.push(format!("{prefix}_{field}"));
        }
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    write_csv(out, &header, rows)
}

/// Any view as pretty JSON with a final newline. Missing values are `null`, never 0.
pub fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, view: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, view)
        .map_err(|e| Error::Export(format!("JSON: {e}")))?;
    writeln!(out).map_err(|e| Error::Export(format!("JSON: {e}")))
}
