//! The summary tables of each view as rows of formatted cells, laid out by the text, Markdown and
//! HTML renderers alike so the three never disagree on a number.

use super::format::{NONE, fixed2, mean_or_none, percent_or_none, signed2};
use crate::analysis::{
    ActorThemeMatrix, AxisPositions, Column, ColumnGrouping, CooccurrenceMatrix, Counting,
    Coverage, SideBySide,
};

/// A table of formatted cells. `numeric[i]` says column `i` holds numbers (right-aligned).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub numeric: Vec<bool>,
}

impl Grid {
    /// The first column holds labels, every other column numbers.
    fn labelled(header: Vec<String>, rows: Vec<Vec<String>>) -> Grid {
        let numeric = (0..header.len()).map(|i| i > 0).collect();
        Grid {
            header,
            rows,
            numeric,
        }
    }
}

/// The header numbers of the side-by-side view: one column per actor or person.
pub(crate) fn compare_grid(view: &SideBySide) -> Grid {
    let mut header = vec![String::new()];
    header.extend(view.columns.iter().map(|c| c.label.clone()));
    let counting = view.counting;
    let row = |label: &str, value: &dyn Fn(&Column) -> String| {
        std::iter::once(label.to_string())
            .chain(view.columns.iter().map(value))
            .collect()
    };
    let noun = format!("{}s", counting.noun());
    Grid::labelled(
        header,
        vec![
            row(&noun, &|c| c.coverage.counted(counting).to_string()),
            row("share of coded text", &|c| {
                percent_or_none(c.coverage.share)
            }),
            row("mean stance", &|c| mean_or_none(c.mean_stance)),
            row(&format!("{noun} with a stance"), &|c| {
                c.stance_n.to_string()
            }),
        ],
    )
}

/// What the columns are and how their share is counted, as one sentence of plain text.
pub(crate) fn compare_note(view: &SideBySide) -> String {
    let by = match view.grouping {
        ColumnGrouping::Actor => "actor",
        ColumnGrouping::Person => "person",
    };
    let unit = match view.counting {
        Counting::Quotes => {
            "Quotes: codings of one speaker that overlap, nest or lie in one paragraph count as \
             one quote, whose stance is the mean of theirs"
        }
        Counting::Codings => "Counted per coding: every coding counts on its own",
    };
    format!(
        "One column per {by}. {unit}. Share of coded text = characters coded with the chosen \
         themes / all characters the {by} has coded; overlapping codings count each character \
         once. Mean stance: −2 leans fully to the first pole, +2 to the second"
    )
}

/// One row per actor: n (in quotes, or codings), mean, min, max, standard deviation, and codings
/// without a stance.
pub(crate) fn positions_grid(axis: &AxisPositions) -> Grid {
    let n = format!("n ({}s)", axis.counting.noun());
    let header = [
        "actor",
        n.as_str(),
        "mean",
        "min",
        "max",
        "sd",
        "codings without stance",
    ]
    .map(String::from)
    .to_vec();
    let rows = axis
        .actors
        .iter()
        .map(|actor| {
            let numbers = match &actor.summary {
                Some(s) => [
                    s.n.to_string(),
                    signed2(s.mean),
                    signed2(s.min),
                    signed2(s.max),
                    fixed2(s.std_dev),
                ],
                None => [
                    "0".into(),
                    NONE.into(),
                    NONE.into(),
                    NONE.into(),
                    NONE.into(),
                ],
            };
            std::iter::once(actor.actor_name.clone())
                .chain(numbers)
                .chain([actor.codings_without_stance.to_string()])
                .collect()
        })
        .collect();
    Grid::labelled(header, rows)
}

/// "count (share)", or "0" for a theme the actor never coded.
fn matrix_cell(cell: &Coverage, counting: Counting) -> String {
    if cell.count == 0 {
        "0".into()
    } else {
        format!(
            "{} ({})",
            cell.counted(counting),
            percent_or_none(cell.share)
        )
    }
}

/// Themes down, actors across (theme names are long, actor names short), and a last row with
/// each actor's coded characters.
pub(crate) fn matrix_grid(matrix: &ActorThemeMatrix) -> Grid {
    let mut header = vec!["theme".to_string()];
    header.extend(matrix.actors.iter().map(|a| a.actor_name.clone()));
    let mut rows: Vec<Vec<String>> = matrix
        .themes
        .iter()
        .enumerate()
        .map(|(t, theme)| {
            std::iter::once(theme.theme_name.clone())
                .chain(matrix.cells.iter().map(|cells| {
                    cells
                        .get(t)
                        .map_or_else(|| "0".into(), |c| matrix_cell(c, matrix.counting))
                }))
                .collect()
        })
        .collect();
    rows.push(
        std::iter::once("coded characters".to_string())
            .chain(matrix.actors.iter().map(|a| a.coded_chars.to_string()))
            .collect(),
    );
    Grid::labelled(header, rows)
}

/// Themes numbered down and across, so that long theme names appear once.
pub(crate) fn cooccurrence_grid(matrix: &CooccurrenceMatrix) -> Grid {
    let mut header = vec![String::new(), "theme".to_string()];
    header.extend((1..=matrix.themes.len()).map(|i| i.to_string()));
    let rows = matrix
        .themes
        .iter()
        .zip(&matrix.counts)
        .enumerate()
        .map(|(i, (theme, counts))| {
            [(i + 1).to_string(), theme.theme_name.clone()]
                .into_iter()
                .chain(counts.iter().map(usize::to_string))
                .collect()
        })
        .collect();
    let numeric = (0..header.len()).map(|i| i != 1).collect();
    Grid {
        header,
        rows,
        numeric,
    }
}

/// What a cell of the actors × themes matrix holds.
pub(crate) fn share_note(counting: Counting) -> String {
    let count = match counting {
        Counting::Quotes => {
            "count = quotes (an actor's codings on the theme that overlap, nest or lie in one \
             paragraph count once)"
        }
        Counting::Codings => "count = codings",
    };
    format!(
        "{count}; share = characters coded with the theme / all characters the actor has coded \
         (overlapping codings count each character once)"
    )
}

pub(crate) const COOCCURRENCE_NOTE: &str = "cell = pairs of codings in the same source whose spans \
overlap (touching spans do not); diagonal = codings on the theme";
