//! Plain-text reports for the terminal: aligned tables, one line per quote.

use super::format::{NONE, stance};
use super::grid::{
    COOCCURRENCE_NOTE, Grid, SHARE_NOTE, cooccurrence_grid, matrix_grid, positions_grid,
};
use crate::analysis::{
    ActorThemeMatrix, AxisDisagreements, AxisPositions, CitedQuote, CooccurrenceMatrix,
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

fn stance_of(quote: &CitedQuote) -> String {
    quote.stance.map_or_else(|| NONE.to_string(), stance)
}

/// "+2 #12 «quote» — Person (ACTOR), Source, characters [3, 40)"
fn quote_line(quote: &CitedQuote) -> String {
    format!(
        "{} #{} «{}» — {}, {}",
        stance_of(quote),
        quote.coding_id.0,
        one_line(&quote.quote),
        quote.speaker(),
        quote.location()
    )
}

fn axis_heading(name: &str, negative: &str, positive: &str) -> String {
    format!("{name}  (-2 = {negative}, +2 = {positive})\n")
}

/// Per axis: a table of each actor's stance statistics, then each stance with its quote.
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
        for quote in axis.actors.iter().flat_map(|a| &a.stances) {
            out.push_str(&format!("    {}\n", quote_line(quote)));
        }
        out.push('\n');
    }
    out
}

/// Themes down, actors across: "count (share)" per cell.
pub fn matrix_text(matrix: &ActorThemeMatrix) -> String {
    format!("{}\n{SHARE_NOTE}\n", aligned(&matrix_grid(matrix), ""))
}

/// Themes numbered down and across; the diagonal is each theme's number of codings.
pub fn cooccurrence_text(matrix: &CooccurrenceMatrix) -> String {
    format!(
        "{}\n{COOCCURRENCE_NOTE}\n",
        aligned(&cooccurrence_grid(matrix), "")
    )
}

/// Per axis: opposing quotes of different actors, strongest first, then actors on both sides.
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
        out.push_str("  opposing quotes, strongest first:\n");
        if axis.opposing_pairs.is_empty() {
            out.push_str("    none\n");
        }
        for (i, pair) in axis.opposing_pairs.iter().enumerate() {
            out.push_str(&format!("  {}. distance {}\n", i + 1, pair.strength));
            for quote in [&pair.negative, &pair.positive] {
                out.push_str(&format!("     {}\n", quote_line(quote)));
            }
        }
        out.push_str("  actors on both sides:\n");
        if axis.both_sides.is_empty() {
            out.push_str("    none\n");
        }
        for actor in &axis.both_sides {
            out.push_str(&format!("    {}\n", actor.actor_name));
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
