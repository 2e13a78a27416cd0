//! The analysis views as Markdown: summary tables, and quotes as block quotes with their citation.

use super::format::{
    escape_markdown as esc, escape_markdown_line, fixed2, mean_or_none, mean_with_pole,
    percent_or_none, stance, stance_value,
};
use super::grid::{
    COOCCURRENCE_NOTE, Grid, compare_grid, compare_note, cooccurrence_grid, matrix_grid,
    positions_grid, share_note,
};
use super::text::actor_pair_heading;
use crate::analysis::{
    ActorThemeMatrix, AxisDisagreements, AxisPositions, CitedQuote, CooccurrenceMatrix, SideBySide,
    StanceQuote,
};
use crate::text::one_line;

/// A pipe table; cells are escaped and kept on one line.
fn table(grid: &Grid) -> String {
    let line = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| esc(&one_line(c))).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let rule: Vec<&str> = (0..grid.header.len())
        .map(|i| match grid.numeric.get(i) {
            Some(true) => "---:",
            _ => "---",
        })
        .collect();
    let mut out = line(&grid.header);
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for row in &grid.rows {
        out.push_str(&line(row));
    }
    out
}

/// "— Person (KS), *Source*, characters [3, 40) · Theme · stance +1"
fn citation(quote: &CitedQuote) -> String {
    let stance_part = quote
        .stance
        .map(|s| format!(" · stance {}", stance(s)))
        .unwrap_or_default();
    format!(
        "— {}, *{}*, characters {} · {}{stance_part}",
        esc(&quote.speaker()),
        esc(&quote.source_title),
        quote.span,
        esc(&quote.theme_name)
    )
}

/// The quote line by line (its line breaks kept), then the citation.
fn block_quote(quote: &CitedQuote) -> String {
    let mut out = String::new();
    for line in quote.quote.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str(&format!("> {}\n", escape_markdown_line(line)));
    }
    out.push_str(&format!(">\n> {}\n", citation(quote)));
    if !quote.memo.trim().is_empty() {
        out.push_str(&format!(
            ">\n> *Memo:* {}\n",
            esc(&one_line(quote.memo.trim()))
        ));
    }
    out
}

/// A quote with its stance on one line, for lists: its text, then the citation of its main
/// coding and the ids of all its codings.
fn inline_stance_quote(quote: &StanceQuote) -> String {
    let main = quote.main();
    let ids: Vec<String> = quote
        .codings
        .iter()
        .map(|c| format!("#{}", c.coding_id.0))
        .collect();
    format!(
        "**{}** «{}» — {}, *{}*, characters {} · coding {}",
        stance_value(quote.stance),
        esc(&one_line(&quote.quote)),
        esc(&main.speaker()),
        esc(&main.source_title),
        quote.span,
        ids.join(", ")
    )
}

fn axis_heading(name: &str, negative: &str, positive: &str) -> String {
    format!(
        "\n## {}\n\n−2 = {}, +2 = {}\n\n",
        esc(name),
        esc(negative),
        esc(positive)
    )
}

/// The side-by-side view: a summary table of the columns' numbers, then each column's quotes.
pub fn compare_markdown(view: &SideBySide) -> String {
    let theme_names: Vec<&str> = view.themes.iter().map(|t| t.name.as_str()).collect();
    let mut out = format!(
        "# Compare: {}\n\n{}.\n\n",
        esc(&theme_names.join(", ")),
        esc(&compare_note(view))
    );
    out.push_str(&table(&compare_grid(view)));
    for column in &view.columns {
        out.push_str(&format!(
            "\n## {}\n\n{} · {} of coded text · mean stance {}\n",
            esc(&column.label),
            view.counting.count(column.coverage.counted(view.counting)),
            percent_or_none(column.coverage.share),
            mean_or_none(column.mean_stance)
        ));
        if column.quotes.is_empty() {
            out.push_str("\n*No quotes on these themes.*\n");
        }
        for quote in &column.quotes {
            out.push('\n');
            out.push_str(&block_quote(quote));
        }
    }
    out
}

/// Per axis: the poles, a table of each actor's stance statistics, then every stance quote.
pub fn positions_markdown(axes: &[AxisPositions]) -> String {
    let mut out = String::from("# Positions on the axis themes\n");
    for axis in axes {
        out.push_str(&axis_heading(
            &axis.theme_name,
            &axis.poles.negative,
            &axis.poles.positive,
        ));
        out.push_str(&table(&positions_grid(axis)));
        for actor in &axis.actors {
            match &actor.summary {
                Some(s) => out.push_str(&format!(
                    "\n**{}**: n = {}, mean {}\n\n",
                    esc(&actor.actor_name),
                    axis.counting.count(s.n),
                    esc(&mean_with_pole(
                        s.mean,
                        &axis.poles.negative,
                        &axis.poles.positive
                    ))
                )),
                None => out.push_str(&format!("\n**{}**: no stance\n", esc(&actor.actor_name))),
            }
            for quote in &actor.stances {
                out.push_str(&format!("- {}\n", inline_stance_quote(quote)));
            }
        }
    }
    out
}

/// Actors × themes ("count (share)" per cell), and the co-occurrence matrix when given.
pub fn matrix_markdown(
    matrix: &ActorThemeMatrix,
    cooccurrence: Option<&CooccurrenceMatrix>,
) -> String {
    let mut out = String::from("# Actors × themes\n\n");
    out.push_str(&table(&matrix_grid(matrix)));
    out.push_str(&format!("\n{}.\n", esc(&share_note(matrix.counting))));
    if let Some(cooccurrence) = cooccurrence {
        out.push_str("\n# Themes × themes: co-occurrence\n\n");
        out.push_str(&table(&cooccurrence_grid(cooccurrence)));
        out.push_str(&format!("\n{}.\n", esc(COOCCURRENCE_NOTE)));
    }
    out
}

/// Per axis, per pair of actors: opposing quotes (strongest first), then actors on both sides.
pub fn disagreements_markdown(axes: &[AxisDisagreements]) -> String {
    let mut out = String::from("# Disagreements on the axis themes\n");
    for axis in axes {
        out.push_str(&axis_heading(
            &axis.theme_name,
            &axis.poles.negative,
            &axis.poles.positive,
        ));
        if axis.actor_pairs.is_empty() {
            out.push_str("*No actors oppose each other here.*\n");
        }
        for group in &axis.actor_pairs {
            out.push_str(&format!(
                "\n### {}\n\n",
                esc(&actor_pair_heading(axis, group))
            ));
            for (i, pair) in group.pairs.iter().enumerate() {
                out.push_str(&format!(
                    "{}. Strength {} (stance difference)\n",
                    group.first_row() + i,
                    fixed2(pair.strength)
                ));
                for quote in [&pair.negative, &pair.positive] {
                    out.push_str(&format!("   - {}\n", inline_stance_quote(quote)));
                }
            }
        }
        out.push_str("\n### Actors on both sides\n\n");
        if axis.both_sides.is_empty() {
            out.push_str("*None.*\n");
        }
        for actor in &axis.both_sides {
            out.push_str(&format!(
                "- **{}**: {} toward {}, {} toward {}\n",
                esc(&actor.actor_name),
                axis.counting.count(actor.negative_total),
                esc(&axis.poles.negative),
                axis.counting.count(actor.positive_total),
                esc(&axis.poles.positive)
            ));
            for quote in actor.negative.iter().chain(&actor.positive) {
                out.push_str(&format!("  - {}\n", inline_stance_quote(quote)));
            }
        }
    }
    out
}
