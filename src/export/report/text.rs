//! Plain-text reports for the terminal: aligned tables, one line per quote.

use super::format::{fixed2, mean_with_pole, stance_value};
use super::grid::{
    COOCCURRENCE_NOTE, Grid, cooccurrence_grid, matrix_grid, positions_grid, share_note,
};
use crate::analysis::{
    ActorPairDisagreements, ActorPosition, ActorThemeMatrix, AxisDisagreements, AxisPositions,
    CooccurrenceMatrix, StanceQuote,
};
use crate::text::one_line;

/// Pads cells to their column's width in characters (not bytes: names hold æøå).
pub(super) fn aligned(grid: &Grid, indent: &str) -> String {
    let all_rows = || std::iter::once(&grid.header).chain(&grid.rows);
    let widths: Vec<usize> = (0..grid.header.len())
        .map(|i| {
            all_rows()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in all_rows() {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, &width))| {
                if grid.numeric.get(i).copied().unwrap_or(false) {
                    format!("{cell:>width$}")
                } else {
                    format!("{cell:<width$}")
                }
            })
            .collect();
        out.push_str(indent);
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Characters of a quote shown on one terminal line.
const QUOTE_CHARS: usize = 160;

/// "+1.50 «quote» — Person (ACTOR), Source, characters [3, 40) · codings #12, #13"
fn quote_line(quote: &StanceQuote) -> String {
    let main = quote.main();
    let ids: Vec<String> = quote
        .codings
        .iter()
        .map(|c| format!("#{}", c.coding_id.0))
        .collect();
    let codings = if ids.len() == 1 { "coding" } else { "codings" };
    let whole = one_line(&quote.quote);
    // A terminal line: long quotes end in "…" (the JSON, Markdown and HTML reports hold them whole).
    let text: String = if whole.chars().count() > QUOTE_CHARS {
        whole.chars().take(QUOTE_CHARS).chain(['…']).collect()
    } else {
        whole
    };
    format!(
        "{} «{text}» — {}, {}, characters {} · {codings} {}",
        stance_value(quote.stance),
        main.speaker(),
        main.source_title,
        quote.span,
        ids.join(", ")
    )
}

fn axis_heading(name: &str, negative: &str, positive: &str) -> String {
    format!("{name}  (-2 = {negative}, +2 = {positive})\n")
}

/// "n = 3 quotes, mean +1.67, leans to Skjønn" or "no stance".
fn actor_line(actor: &ActorPosition, axis: &AxisPositions) -> String {
    match &actor.summary {
        Some(s) => format!(
            "{}: n = {}, mean {}",
            actor.actor_name,
            axis.counting.count(s.n),
            mean_with_pole(s.mean, &axis.poles.negative, &axis.poles.positive)
        ),
        None => format!("{}: no stance", actor.actor_name),
    }
}

/// Per axis: a table of each actor's stance statistics, then each actor's quotes with their stance.
pub fn positions_text(axes: &[AxisPositions]) -> String {
    if axes.is_empty() {
        return "no axis themes: give a theme two poles to place actors on it\n".into();
    }
    let mut out = String::new();
    for axis in axes {
        out.push_str(&axis_heading(
            &axis.theme_name,
            &axis.poles.negative,
            &axis.poles.positive,
        ));
        out.push_str(&aligned(&positions_grid(axis), "  "));
        for actor in &axis.actors {
            out.push_str(&format!("  {}\n", actor_line(actor, axis)));
            for quote in &actor.stances {
                out.push_str(&format!("    {}\n", quote_line(quote)));
            }
        }
        out.push('\n');
    }
    out
}

/// Themes down, actors across: "count (share)" per cell.
pub fn matrix_text(matrix: &ActorThemeMatrix) -> String {
    format!(
        "{}\n{}\n",
        aligned(&matrix_grid(matrix), ""),
        share_note(matrix.counting)
    )
}

/// Themes numbered down and across; the diagonal is each theme's number of codings.
pub fn cooccurrence_text(matrix: &CooccurrenceMatrix) -> String {
    format!(
        "{}\n{COOCCURRENCE_NOTE}\n",
        aligned(&cooccurrence_grid(matrix), "")
    )
}

/// "FFO (Regler/rettigheter) against KS (Skjønn): 3 pairs of opposing quotes, rows 1–3"
pub(crate) fn actor_pair_heading(
    axis: &AxisDisagreements,
    group: &ActorPairDisagreements,
) -> String {
    let shown = match group.pairs.len() {
        0 => "none on this page".to_string(),
        1 => format!("row {} shown", group.first_row()),
        len => format!(
            "rows {}–{} shown",
            group.first_row(),
            group.first_row() + len - 1
        ),
    };
    format!("{}, {shown}", group.heading(axis))
}

/// Per axis, per pair of actors: opposing quotes, strongest first; then actors on both sides.
pub fn disagreements_text(axes: &[AxisDisagreements]) -> String {
    if axes.is_empty() {
        return "no axis themes: give a theme two poles to find disagreements on it\n".into();
    }
    let mut out = String::new();
    for axis in axes {
        out.push_str(&axis_heading(
            &axis.theme_name,
            &axis.poles.negative,
            &axis.poles.positive,
        ));
        if axis.actor_pairs.is_empty() {
            out.push_str("  no actors oppose each other here\n");
        }
        for group in &axis.actor_pairs {
            out.push_str(&format!("  {}\n", actor_pair_heading(axis, group)));
            for (i, pair) in group.pairs.iter().enumerate() {
                out.push_str(&format!(
                    "  {}. strength {} (stance difference)\n",
                    group.first_row() + i,
                    fixed2(pair.strength)
                ));
                for quote in [&pair.negative, &pair.positive] {
                    out.push_str(&format!("     {}\n", quote_line(quote)));
                }
            }
        }
        out.push_str("  actors on both sides:\n");
        if axis.both_sides.is_empty() {
            out.push_str("    none\n");
        }
        for actor in &axis.both_sides {
            out.push_str(&format!(
                "    {}: {} toward {}, {} toward {}\n",
                actor.actor_name,
                axis.counting.count(actor.negative_total),
                axis.poles.negative,
                axis.counting.count(actor.positive_total),
                axis.poles.positive
            ));
            for quote in actor.negative.iter().chain(&actor.positive) {
                out.push_str(&format!("     {}\n", quote_line(quote)));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_by_characters_not_bytes() {
        let grid = Grid {
            header: vec!["ø".into(), "n".into()],
            rows: vec![vec!["ab".into(), "10".into()]],
            numeric: vec![false, true],
        };
        assert_eq!(aligned(&grid, ""), "ø    n\nab  10\n");
    }
}
