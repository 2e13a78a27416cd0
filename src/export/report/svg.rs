//! The position map: one horizontal axis per axis theme from −2 to +2, labelled with its poles,
//! and per actor a dot at its mean stance, a whisker from its min to its max, and its n in
//! quotes.

use std::fmt::Write;

use super::format::{escape_html as esc, signed2, stance, stance_value};
use crate::analysis::{ActorPosition, AxisPositions, Counting};
use crate::model::Stance;
use crate::project::THEME_PALETTE;

const WIDTH: f64 = 760.0;
/// Actor names end here (right-aligned).
const LABEL_RIGHT: f64 = 140.0;
const AXIS_LEFT: f64 = 160.0;
const AXIS_RIGHT: f64 = 580.0;
const STATS_LEFT: f64 = 600.0;
/// Title, pole labels and tick labels above the first actor row.
const AXIS_HEADER: f64 = 64.0;
const ROW: f64 = 24.0;
const AXIS_GAP: f64 = 20.0;

/// The x coordinate of a stance (−2 at the left end of the axis, +2 at the right).
fn x_of(stance: f64) -> f64 {
    let (min, max) = (Stance::MIN as f64, Stance::MAX as f64);
    AXIS_LEFT + (stance.clamp(min, max) - min) / (max - min) * (AXIS_RIGHT - AXIS_LEFT)
}

/// A self-contained `<svg>` element (no scripts, no external references), for inlining in HTML.
pub fn position_map_svg(axes: &[AxisPositions]) -> String {
    let height: f64 = axes
        .iter()
        .map(|a| AXIS_HEADER + ROW * a.actors.len() as f64 + AXIS_GAP)
        .sum::<f64>()
        .max(ROW);
    let mut svg = String::new();
    // `write!` into a String cannot fail; the results are ignored for that reason.
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="position-map" role="img" aria-label="Position map: each actor's mean stance per axis theme, with its range" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">"#
    );
    let mut top = 0.0;
    for axis in axes {
        draw_axis(&mut svg, axis, top);
        top += AXIS_HEADER + ROW * axis.actors.len() as f64 + AXIS_GAP;
    }
    svg.push_str("</svg>");
    svg
}

fn draw_axis(svg: &mut String, axis: &AxisPositions, top: f64) {
    let rows_top = top + AXIS_HEADER;
    let rows_bottom = rows_top + ROW * axis.actors.len() as f64;
    let _ = write!(
        svg,
        r#"<g class="axis"><text x="0" y="{:.1}" font-weight="bold" font-size="14">{}</text>"#,
        top + 16.0,
        esc(&axis.theme_name)
    );
    let _ = write!(
        svg,
        r#"<text x="{AXIS_LEFT}" y="{:.1}" text-anchor="start">← {}</text><text x="{AXIS_RIGHT}" y="{:.1}" text-anchor="end">{} →</text>"#,
        top + 36.0,
        esc(&axis.poles.negative),
        top + 36.0,
        esc(&axis.poles.positive)
    );
    for value in Stance::MIN..=Stance::MAX {
        let x = x_of(value as f64);
        let dash = if value == 0 {
            ""
        } else {
            r#" stroke-dasharray="2 3""#
        };
        let _ = write!(
            svg,
            r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#666">{}</text><line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{rows_bottom:.1}" stroke="#ccc"{dash}/>"##,
            top + 54.0,
            stance(value),
            rows_top - 4.0
        );
    }
    for (i, actor) in axis.actors.iter().enumerate() {
        let colour = THEME_PALETTE[i % THEME_PALETTE.len()];
        draw_actor(
            svg,
            actor,
            (&axis.theme_name, axis.counting),
            rows_top + ROW * i as f64 + ROW / 2.0,
            colour,
        );
    }
    svg.push_str("</g>");
}

fn draw_actor(
    svg: &mut String,
    actor: &ActorPosition,
    (axis_name, counting): (&str, Counting),
    y: f64,
    colour: &str,
) {
    let name = esc(&actor.actor_name);
    let _ = write!(
        svg,
        r##"<text x="{LABEL_RIGHT}" y="{:.1}" text-anchor="end">{name}</text><line x1="{AXIS_LEFT}" y1="{y:.1}" x2="{AXIS_RIGHT}" y2="{y:.1}" stroke="#eee"/>"##,
        y + 4.0
    );
    let Some(summary) = actor.summary else {
        let _ = write!(
            svg,
            r##"<text x="{STATS_LEFT}" y="{:.1}" fill="#999" font-style="italic">no stance</text>"##,
            y + 4.0
        );
        return;
    };
    let (x_min, x_max, x_mean) = (x_of(summary.min), x_of(summary.max), x_of(summary.mean));
    let n = counting.count(summary.n);
    let _ = write!(
        svg,
        r#"<g class="actor" stroke="{colour}" fill="{colour}"><title>{name} on {}: mean {}, min {}, max {}, n = {}</title><line x1="{x_min:.1}" y1="{y:.1}" x2="{x_max:.1}" y2="{y:.1}" stroke-width="2"/><line x1="{x_min:.1}" y1="{:.1}" x2="{x_min:.1}" y2="{:.1}" stroke-width="2"/><line x1="{x_max:.1}" y1="{:.1}" x2="{x_max:.1}" y2="{:.1}" stroke-width="2"/><circle cx="{x_mean:.1}" cy="{y:.1}" r="5"/></g>"#,
        esc(axis_name),
        signed2(summary.mean),
        stance_value(summary.min),
        stance_value(summary.max),
        n,
        y - 5.0,
        y + 5.0,
        y - 5.0,
        y + 5.0
    );
    let _ = write!(
        svg,
        r#"<text x="{STATS_LEFT}" y="{:.1}">n = {} · mean {}</text>"#,
        y + 4.0,
        n,
        signed2(summary.mean)
    );
}
