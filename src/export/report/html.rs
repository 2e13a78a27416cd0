//! The analysis views as self-contained HTML pages: inline CSS and SVG, no scripts, no external
//! references, every piece of project text escaped.

use super::format::{
    escape_html as esc, fixed2, mean_or_none, mean_with_pole, percent_or_none, stance, stance_value,
};
use super::grid::{
    COOCCURRENCE_NOTE, Grid, compare_grid, compare_note, cooccurrence_grid, matrix_grid,
    positions_grid, share_note,
};
use super::svg::position_map_svg;
use super::text::actor_pair_heading;
use crate::analysis::{
    ActorThemeMatrix, AxisDisagreements, AxisPositions, CitedQuote, CooccurrenceMatrix, SideBySide,
    StanceQuote,
};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}\
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}\
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}\
td.n,th.n{text-align:right}.none{color:#999}\
.columns{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(16em,1fr);gap:1em;overflow-x:auto}\
.column{border:1px solid #ddd;border-radius:6px;padding:.6em}.column h2{margin-top:0}.numbers{color:#555;font-size:.9em}\
blockquote{margin:.8em 0;padding:.2em .8em;border-left:4px solid #bbb;white-space:pre-wrap}\
cite{display:block;font-size:.85em;color:#555;font-style:normal;margin-top:.3em;white-space:normal}\
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}.note{color:#555;font-size:.9em}\
.memo{font-size:.85em;color:#444;background:#f6f6f0;padding:.2em .4em;margin-top:.3em;white-space:normal}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"nb\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n{body}</body>\n</html>\n",
        esc(title),
        esc(title)
    )
}

/// A table; cells are escaped here.
fn table(grid: &Grid) -> String {
    let class = |i: usize| match grid.numeric.get(i) {
        Some(true) => " class=\"n\"",
        _ => "",
    };
    let row = |cells: &[String], tag: &str| {
        let cells: String = cells
            .iter()
            .enumerate()
            .map(|(i, cell)| format!("<{tag}{}>{}</{tag}>", class(i), esc(cell)))
            .collect();
        format!("<tr>{cells}</tr>\n")
    };
    let mut out = String::from("<table>\n");
    out.push_str(&row(&grid.header, "th"));
    for cells in &grid.rows {
        out.push_str(&row(cells, "td"));
    }
    out.push_str("</table>\n");
    out
}

fn note(text: &str) -> String {
    format!("<p class=\"note\">{}.</p>\n", esc(text))
}

fn axis_heading(name: &str, negative: &str, positive: &str) -> String {
    format!(
        "<h2>{}</h2>\n<p class=\"note\">−2 = {}, +2 = {}</p>\n",
        esc(name),
        esc(negative),
        esc(positive)
    )
}

/// The quote (line breaks kept) and its full citation: speaker, source title, span, theme, stance.
fn quote_html(quote: &CitedQuote) -> String {
    let stance_part = quote
        .stance
        .map(|s| format!(" · stance {}", stance(s)))
        .unwrap_or_default();
    let memo = if quote.memo.trim().is_empty() {
        String::new()
    } else {
        format!("<div class=\"memo\">Memo: {}</div>", esc(quote.memo.trim()))
    };
    format!(
        "<blockquote>{}<cite>— {}, <i>{}</i>, characters {} · {}{} · coding #{}</cite>{memo}</blockquote>\n",
        esc(quote.quote.trim()),
        esc(&quote.speaker()),
        esc(&quote.source_title),
        quote.span,
        esc(&quote.theme_name),
        stance_part,
        quote.coding_id.0
    )
}

/// A quote with its stance: its text, the citation of its main coding, all its codings' ids.
fn stance_quote_html(quote: &StanceQuote) -> String {
    let main = quote.main();
    let ids: Vec<String> = quote
        .codings
        .iter()
        .map(|c| format!("#{}", c.coding_id.0))
        .collect();
    format!(
        "<blockquote>{}<cite>— {}, <i>{}</i>, characters {} · stance {} · coding {}</cite></blockquote>\n",
        esc(quote.quote.trim()),
        esc(&main.speaker()),
        esc(&main.source_title),
        quote.span,
        stance_value(quote.stance),
        ids.join(", ")
    )
}

/// The side-by-side view: a summary table, the position map of any chosen axis themes
/// (`axes`, may be empty), then the columns next to each other with their quotes.
pub fn compare_html(view: &SideBySide, axes: &[AxisPositions]) -> String {
    let theme_names: Vec<&str> = view.themes.iter().map(|t| t.name.as_str()).collect();
    let mut body = note(&compare_note(view));
    body.push_str(&table(&compare_grid(view)));
    if !axes.is_empty() {
        body.push_str("<h2>Position map</h2>\n");
        body.push_str(&position_map_svg(axes));
        body.push('\n');
    }
    body.push_str("<div class=\"columns\">\n");
    for column in &view.columns {
        body.push_str(&format!(
            "<section class=\"column\">\n<h2>{}</h2>\n<p class=\"numbers\">{} · {} of coded text · mean stance {}</p>\n",
            esc(&column.label),
            view.counting.count(column.coverage.counted(view.counting)),
            percent_or_none(column.coverage.share),
            mean_or_none(column.mean_stance)
        ));
        if column.quotes.is_empty() {
            body.push_str("<p class=\"none\">No quotes on these themes.</p>\n");
        }
        for quote in &column.quotes {
            body.push_str(&quote_html(quote));
        }
        body.push_str("</section>\n");
    }
    body.push_str("</div>\n");
    page(&format!("Compare: {}", theme_names.join(", ")), &body)
}

/// The position map, then per axis a table of stance statistics and every stance quote.
pub fn positions_html(axes: &[AxisPositions]) -> String {
    let mut body = position_map_svg(axes);
    body.push('\n');
    for axis in axes {
        body.push_str(&axis_heading(
            &axis.theme_name,
            &axis.poles.negative,
            &axis.poles.positive,
        ));
        body.push_str(&table(&positions_grid(axis)));
        for actor in &axis.actors {
            let line = match &actor.summary {
                Some(s) => format!(
                    "n = {}, mean {}",
                    axis.counting.count(s.n),
                    mean_with_pole(s.mean, &axis.poles.negative, &axis.poles.positive)
                ),
                None => "no stance".into(),
            };
            body.push_str(&format!(
                "<h3>{}</h3>\n<p class=\"numbers\">{}</p>\n",
                esc(&actor.actor_name),
                esc(&line)
            ));
            for quote in &actor.stances {
                body.push_str(&stance_quote_html(quote));
            }
        }
    }
    page("Positions on the axis themes", &body)
}

/// Actors × themes ("count (share)" per cell), and the co-occurrence matrix when given.
pub fn matrix_html(matrix: &ActorThemeMatrix, cooccurrence: Option<&CooccurrenceMatrix>) -> String {
    let mut body = table(&matrix_grid(matrix));
    body.push_str(&note(&share_note(matrix.counting)));
    if let Some(cooccurrence) = cooccurrence {
        body.push_str("<h2>Themes × themes: co-occurrence</h2>\n");
        body.push_str(&table(&cooccurrence_grid(cooccurrence)));
        body.push_str(&note(COOCCURRENCE_NOTE));
    }
    page("Actors × themes", &body)
}

/// Per axis, per pair of actors: opposing quotes side by side (strongest first), then actors on
/// both sides.
pub fn disagreements_html(axes: &[AxisDisagreements]) -> String {
    let mut body = String::new();
    for axis in axes {
        body.push_str(&axis_heading(
            &axis.theme_name,
            &axis.poles.negative,
            &axis.poles.positive,
        ));
        if axis.actor_pairs.is_empty() {
            body.push_str("<p class=\"none\">No actors oppose each other here.</p>\n");
        }
        for group in &axis.actor_pairs {
            body.push_str(&format!(
                "<h3>{}</h3>\n",
                esc(&actor_pair_heading(axis, group))
            ));
            for (i, pair) in group.pairs.iter().enumerate() {
                body.push_str(&format!(
                    "<p class=\"numbers\">{}. Strength {} (stance difference)</p>\n<div class=\"pair\">\n{}{}</div>\n",
                    group.first_row() + i,
                    fixed2(pair.strength),
                    stance_quote_html(&pair.negative),
                    stance_quote_html(&pair.positive)
                ));
            }
        }
        body.push_str("<h3>Actors on both sides</h3>\n");
        if axis.both_sides.is_empty() {
            body.push_str("<p class=\"none\">None.</p>\n");
        }
        for actor in &axis.both_sides {
            body.push_str(&format!(
                "<h4>{}: {} toward {}, {} toward {}</h4>\n<div class=\"pair\">\n<div>\n",
                esc(&actor.actor_name),
                axis.counting.count(actor.negative_total),
                esc(&axis.poles.negative),
                axis.counting.count(actor.positive_total),
                esc(&axis.poles.positive)
            ));
            for quote in &actor.negative {
                body.push_str(&stance_quote_html(quote));
            }
            body.push_str("</div>\n<div>\n");
            for quote in &actor.positive {
                body.push_str(&stance_quote_html(quote));
            }
            body.push_str("</div>\n</div>\n");
        }
    }
    page("Disagreements on the axis themes", &body)
}
