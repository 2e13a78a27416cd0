//! The analysis views as Markdown: summary tables, and quotes as block quotes with their citation.

use super::format::{
    NONE, escape_markdown as esc, escape_markdown_line, fixed2, mean_or_none, percent_or_none, quotes_label, signed2,
    stance,
};
use crate::analysis::{
    ActorThemeMatrix, AxisDisagreements, AxisPositions, CitedQuote, ColumnGrouping,
    CooccurrenceMatrix, SideBySide,
};
use crate::text::one_line;

/// A table; cells are escaped here, `right[i]` right-aligns column `i`.
fn table(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
    let line = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| esc(&one_line(c))).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let rule: Vec<&str> = (0..header.len())
        .map(|i| if right.get(i).copied().unwrap_or(false) { "---:" } else { "---" })
        .collect();
    let mut out = line(header);
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for row in rows {
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
    out.push_str(&format!(">\n> {}\n\n", citation(quote)));
    out
}

/// A quote on one line, for lists.
fn inline_quote(quote: &CitedQuote) -> String {
    format!("«{}» {}", esc(&one_line(&quote.quote)), citation(quote))
}

const SHARE_RULE: &str = "Share of coded text = characters coded with the chosen themes / all \
characters the actor (or person) has coded; overlapping codings count each character once.";

/// The side-by-side view: a summary table of the columns' numbers, then each column's quotes.
pub fn compare_markdown(view: &SideBySide) -> String {
    let theme_names: Vec<String> = view.themes.iter().map(|t| t.name.clone()).collect();
    let mut out = format!("# Compare: {}\n\n", esc(&theme_names.join(", ")));
    let by = match view.grouping {
        ColumnGrouping::Actor => "actor",
        ColumnGrouping::Person => "person",
    };
    out.push_str(&format!("One column per {by}. {SHARE_RULE}\n\n"));
    let mut header = vec![String::new()];
    header.extend(view.columns.iter().map(|c| c.label.clone()));
    let rows = vec![
        row("quotes", view, |c| c.coverage.count.to_string()),
        row("share of coded text", view, |c| percent_or_none(c.coverage.share)),
        row("mean stance", view, |c| mean_or_none(c.mean_stance)),
    ];
    let right: Vec<bool> = (0..header.len()).map(|i| i > 0).collect();
    out.push_str(&table(&header, &rows, &right));
    for column in &view.columns {
        out.push_str(&format!("\n## {}\n\n", esc(&column.label)));
        out.push_str(&format!(
            "{} · {} of coded text · mean stance {}\n\n",
            quotes_label(column.coverage.count),
            percent_or_none(column.coverage.share),
            mean_or_none(column.mean_stance)
        ));
        if column.quotes.is_empty() {
            out.push_str("*No quotes on these themes.*\n");
        }
        for quote in &column.quotes {
            out.push_str(&block_quote(quote));
        }
    }
    out
}

fn row(
    label: &str,
    view: &SideBySide,
    value: impl Fn(&crate::analysis::Column) -> String,
) -> Vec<String> {
    std::iter::once(label.to_string())
        .chain(view.columns.iter().map(value))
        .collect()
}

/// Per axis: the poles, a table of each actor's stance statistics, then every stance quote.
pub fn positions_markdown(axes: &[AxisPositions]) -> String {
    let mut out = String::from("# Positions on the axis themes\n");
    for axis in axes {
        out.push_str(&format!(
            "\n## {}\n\n−2 = {}, +2 = {}\n\n",
            esc(&axis.theme_name),
            esc(&axis.poles.negative),
            esc(&axis.poles.positive)
        ));
        let header = ["actor", "n", "mean", "min", "max", "sd"].map(String::from);
        let rows: Vec<Vec<String>> = axis
            .actors
            .iter()
            .map(|a| match &a.summary {
                Some(s) => vec![
                    a.actor_name.clone(),
                    s.n.to_string(),
                    signed2(s.mean),
                    stance(s.min),
                    stance(s.max),
                    fixed2(s.std_dev),
                ],
                None => vec![
                    a.actor_name.clone(),
                    "0".into(),
                    NONE.into(),
                    NONE.into(),
                    NONE.into(),
                    NONE.into(),
                ],
            })
            .collect();
        out.push_str(&table(&header, &rows, &[false, true, true, true, true, true]));
        out.push('\n');
        for quote in axis.actors.iter().flat_map(|a| &a.stances) {
            out.push_str(&format!("- {}\n", inline_quote(quote)));
        }
    }
    out
}

/// Themes down, actors across: "count (share)" per cell.
pub fn matrix_markdown(matrix: &ActorThemeMatrix, cooccurrence: Option<&CooccurrenceMatrix>) -> String {
    let mut out = String::from("# Actors × themes\n\n");
    let mut header = vec!["theme".to_string()];
    header.extend(matrix.actors.iter().map(|a| a.actor_name.clone()));
    let rows: Vec<Vec<String>> = matrix
        .themes
        .iter()
        .enumerate()
        .map(|(t, theme)| {
            std::iter::once(theme.theme_name.clone())
                .chain(matrix.cells.iter().map(|cells| match cells.get(t) {
                    Some(c) if c.count > 0 => format!("{} ({})", c.count, percent_or_none(c.share)),
                    _ => "0".into(),
                }))
                .collect()
        })
        .collect();
    let right: Vec<bool> = (0..header.len()).map(|i| i > 0).collect();
    out.push_str(&table(&header, &rows, &right));
    out.push_str("\nCount = codings; share = characters coded with the theme / all characters the actor has coded (overlaps counted once).\n");
    if let Some(co) = cooccurrence {
        out.push_str("\n# Themes × themes: co-occurrence\n\n");
        let mut header = vec![String::new(), "theme".to_string()];
        header.extend((1..=co.themes.len()).map(|i| i.to_string()));
        let rows: Vec<Vec<String>> = co
            .themes
            .iter()
            .zip(&co.counts)
            .enumerate()
            .map(|(i, (theme, counts))| {
                [(i + 1).to_string(), theme.theme_name.clone()]
                    .into_iter()
                    .chain(counts.iter().map(usize::to_string))
                    .collect()
            })
            .collect();
        let right: Vec<bool> = (0..header.len()).map(|i| i != 1).collect();
        out.push_str(&table(&header, &rows, &right));
        out.push_str("\nCell = pairs of codings in the same source whose spans overlap; diagonal = codings on the theme.\n");
    }
    out
}

/// Per axis: opposing quotes of different actors (strongest first) and actors on both sides.
pub fn disagreements_markdown(axes: &[AxisDisagreements]) -> String {
    let mut out = String::from("# Disagreements on the axis themes\n");
    for axis in axes {
        out.push_str(&format!(
            "\n## {}\n\n−2 = {}, +2 = {}\n\n### Opposing quotes, strongest first\n\n",
            esc(&axis.theme_name),
            esc(&axis.poles.negative),
            esc(&axis.poles.positive)
        ));
        if axis.opposing_pairs.is_empty() {
            out.push_str("*None.*\n");
        }
        for (i, pair) in axis.opposing_pairs.iter().enumerate() {
            out.push_str(&format!("{}. Distance {}\n", i + 1, pair.strength));
            for quote in [&pair.negative, &pair.positive] {
                out.push_str(&format!("   - {}\n", inline_quote(quote)));
            }
        }
        out.push_str("\n### Actors on both sides\n\n");
        if axis.both_sides.is_empty() {
            out.push_str("*None.*\n");
        }
        for actor in &axis.both_sides {
            out.push_str(&format!("- **{}**\n", esc(&actor.actor_name)));
            for quote in actor.negative.iter().chain(&actor.positive) {
                out.push_str(&format!("  - {}\n", inline_quote(quote)));
            }
        }
    }
    out
}
