//! Plain-text reports for the terminal: aligned tables, one line per quote.

use super::format::{NONE, fixed2, mean_or_none, percent_or_none, signed2, stance};
use crate::analysis::{
    ActorThemeMatrix, AxisDisagreements, AxisPositions, CitedQuote, CooccurrenceMatrix,
};
use crate::text::one_line;

/// Pads cells to their column's width (in characters); `right[i]` right-aligns column `i`.
fn aligned(rows: &[Vec<String>], right: &[bool], indent: &str) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let width = widths[i];
                if right.get(i).copied().unwrap_or(false) {
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

fn quote_line(quote: &CitedQuote) -> String {
    format!(
        "#{} «{}» — {}, {}",
        quote.coding_id.0,
        one_line(&quote.quote),
        quote.speaker(),
        quote.location()
    )
}

fn axis_heading(name: &str, negative: &str, positive: &str) -> String {
    format!("{name}  (-2 = {negative}, +2 = {positive})\n")
}

/// Per axis: a table of n, mean, min, max and standard deviation per actor, then each stance.
pub fn positions_text(axes: &[AxisPositions]) -> String {
    let mut out = String::new();
    for axis in axes {
        out.push_str(&axis_heading(
            &axis.theme_name,
            &axis.poles.negative,
            &axis.poles.positive,
        ));
        let mut rows = vec![
            ["actor", "n", "mean", "min", "max", "sd", "without stance"]
                .map(String::from)
                .to_vec(),
        ];
        for actor in &axis.actors {
            let cells = match &actor.summary {
                Some(s) => vec![
                    s.n.to_string(),
                    signed2(s.mean),
                    stance(s.min),
                    stance(s.max),
                    fixed2(s.std_dev),
                ],
                None => vec!["0".into(), NONE.into(), NONE.into(), NONE.into(), NONE.into()],
            };
            let mut row = vec![actor.actor_name.clone()];
            row.extend(cells);
            row.push(actor.codings_without_stance.to_string());
            rows.push(row);
        }
        out.push_str(&aligned(&rows, &[false, true, true, true, true, true, true], "  "));
        for actor in &axis.actors {
            for quote in &actor.stances {
                let value = quote.stance.map_or_else(|| NONE.to_string(), stance);
                out.push_str(&format!("    {} {value}  {}\n", actor.actor_name, quote_line(quote)));
            }
        }
        out.push('\n');
    }
    if axes.is_empty() {
        out.push_str("no axis themes: give a theme two poles to place actors on it\n");
    }
    out
}

/// Themes down, actors across (theme names are long, actor names short): "count (share)".
pub fn matrix_text(matrix: &ActorThemeMatrix) -> String {
    let mut header = vec!["theme".to_string()];
    header.extend(matrix.actors.iter().map(|a| a.actor_name.clone()));
    let mut rows = vec![header];
    for (t, theme) in matrix.themes.iter().enumerate() {
        let mut row = vec![theme.theme_name.clone()];
        for cells in &matrix.cells {
            row.push(match cells.get(t) {
                Some(cell) if cell.count > 0 => {
                    format!("{} ({})", cell.count, percent_or_none(cell.share))
                }
                _ => "0".into(),
            });
        }
        rows.push(row);
    }
    let mut total = vec!["coded characters".to_string()];
    total.extend(matrix.actors.iter().map(|a| a.coded_chars.to_string()));
    rows.push(total);
    let right: Vec<bool> = (0..=matrix.actors.len()).map(|i| i > 0).collect();
    let mut out = aligned(&rows, &right, "");
    out.push_str(
        "\ncount = codings; share = characters coded with the theme / all characters the actor \
         has coded (overlaps counted once)\n",
    );
    out
}

/// Themes numbered down and across; the diagonal is each theme's number of codings.
pub fn cooccurrence_text(matrix: &CooccurrenceMatrix) -> String {
    let mut header = vec![String::new(), "theme".to_string()];
    header.extend((1..=matrix.themes.len()).map(|i| i.to_string()));
    let mut rows = vec![header];
    for (i, (theme, counts)) in matrix.themes.iter().zip(&matrix.counts).enumerate() {
        let mut row = vec![(i + 1).to_string(), theme.theme_name.clone()];
        row.extend(counts.iter().map(usize::to_string));
        rows.push(row);
    }
    let right: Vec<bool> = (0..matrix.themes.len() + 2).map(|i| i != 1).collect();
    let mut out = aligned(&rows, &right, "");
    out.push_str(
        "\ncell = pairs of codings in the same source whose spans overlap; diagonal = codings \
         on the theme\n",
    );
    out
}

/// Per axis: opposing quotes of different actors, strongest first, then actors on both sides.
pub fn disagreements_text(axes: &[AxisDisagreements]) -> String {
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
                out.push_str(&format!("     {} {}\n", stance_of(quote), quote_line(quote)));
            }
        }
        out.push_str("  actors on both sides:\n");
        if axis.both_sides.is_empty() {
            out.push_str("    none\n");
        }
        for actor in &axis.both_sides {
            out.push_str(&format!("    {}\n", actor.actor_name));
            for quote in actor.negative.iter().chain(&actor.positive) {
                out.push_str(&format!("     {} {}\n", stance_of(quote), quote_line(quote)));
            }
        }
        out.push('\n');
    }
    if axes.is_empty() {
        out.push_str("no axis themes: give a theme two poles to find disagreements on it\n");
    }
    out
}

fn stance_of(quote: &CitedQuote) -> String {
    quote.stance.map_or_else(|| NONE.to_string(), stance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_by_characters_not_bytes() {
        let rows = vec![
            vec!["ø".to_string(), "1".to_string()],
            vec!["ab".to_string(), "10".to_string()],
        ];
        assert_eq!(aligned(&rows, &[false, true], ""), "ø    1\nab  10\n");
    }
}
