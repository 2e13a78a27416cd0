//! Coded excerpts as a report to read: Markdown or self-contained HTML, grouped by theme (in
//! codebook order), then by actor, each quote with its citation — who said it, in which source,
//! where (code points), with stance, coder and memo.

use std::collections::BTreeMap;

use crate::export::report::{escape_html, escape_markdown};
use crate::model::{CodedExcerpt, Theme, ThemeId};

/// The actor heading for text attributed to no one.
pub const NO_ACTOR: &str = "(no actor)";

/// An actor's heading and its excerpts.
type ActorGroup<'a> = (String, Vec<&'a CodedExcerpt>);
/// A theme with its actors.
type ThemeGroup<'a> = (ThemeId, &'a str, Vec<ActorGroup<'a>>);
/// Actors keyed so that "(no actor)" sorts last.
type ActorMap<'a> = BTreeMap<(bool, String), Vec<&'a CodedExcerpt>>;

/// Themes in codebook order, each with its actors (alphabetical, "(no actor)" last).
fn grouped(excerpts: &[CodedExcerpt]) -> Vec<ThemeGroup<'_>> {
    let mut themes: Vec<(ThemeId, &str, ActorMap)> = Vec::new();
    for e in excerpts {
        let index = match themes
            .iter()
            .rposition(|(id, _, _)| *id == e.coding.theme_id)
        {
            Some(i) => i,
            None => {
                themes.push((e.coding.theme_id, e.theme_name.as_str(), BTreeMap::new()));
                themes.len() - 1
            }
        };
        let actor = e.actor_name.clone();
        let key = (
            actor.is_none(),
            actor.unwrap_or_else(|| NO_ACTOR.to_string()),
        );
        themes[index].2.entry(key).or_default().push(e);
    }
    themes
        .into_iter()
        .map(|(id, name, actors)| {
            (
                id,
                name,
                actors.into_iter().map(|((_, a), rows)| (a, rows)).collect(),
            )
        })
        .collect()
}

fn stance_text(e: &CodedExcerpt, themes: &[Theme]) -> Option<String> {
    let stance = e.coding.stance?;
    let value = stance.value();
    let pole = themes
        .iter()
        .find(|t| t.id == e.coding.theme_id)
        .and_then(|t| t.poles.as_ref())
        .map(|p| match value {
            v if v < 0 => format!(" ({})", p.negative),
            v if v > 0 => format!(" ({})", p.positive),
            _ => String::new(),
        })
        .unwrap_or_default();
    Some(format!("stance {stance}{pole}"))
}

/// The citation of an excerpt: "Helge Eide (KS), «Intervju», characters 12–45".
fn citation_parts(e: &CodedExcerpt) -> (String, String, String) {
    let speaker = match (&e.person_name, &e.actor_name) {
        (Some(p), Some(a)) => format!("{p} ({a})"),
        (Some(p), None) => p.clone(),
        (None, Some(a)) => a.clone(),
        (None, None) => String::new(),
    };
    let place = format!(
        "{}, characters {}–{}",
        e.source_kind, e.coding.span.start, e.coding.span.end
    );
    (speaker, e.source_title.clone(), place)
}

fn summary_line(excerpts: &[CodedExcerpt]) -> String {
    let themes = grouped(excerpts).len();
    format!(
        "{} excerpt{} in {} theme{}",
        excerpts.len(),
        if excerpts.len() == 1 { "" } else { "s" },
        themes,
        if themes == 1 { "" } else { "s" }
    )
}

pub fn excerpts_markdown(title: &str, excerpts: &[CodedExcerpt], themes: &[Theme]) -> String {
    let mut out = format!(
        "# {}\n\n{}\n",
        escape_markdown(title),
        summary_line(excerpts)
    );
    for (theme_id, theme_name, actors) in grouped(excerpts) {
        let count: usize = actors.iter().map(|(_, rows)| rows.len()).sum();
        out.push_str(&format!("\n## {} ({count})\n", escape_markdown(theme_name)));
        if let Some(theme) = themes.iter().find(|t| t.id == theme_id)
            && !theme.description.trim().is_empty()
        {
            out.push_str(&format!(
                "\n{}\n",
                escape_markdown(theme.description.trim())
            ));
        }
        for (actor, rows) in actors {
            out.push_str(&format!(
                "\n### {} ({})\n",
                escape_markdown(&actor),
                rows.len()
            ));
            for e in rows {
                out.push('\n');
                for line in e.quote.trim().lines() {
                    if line.trim().is_empty() {
                        out.push_str(">\n");
                    } else {
                        out.push_str(&format!("> {}\n", escape_markdown(line)));
                    }
                }
                let (speaker, source, place) = citation_parts(e);
                let mut cite = String::from(">\n> —");
                if !speaker.is_empty() {
                    cite.push_str(&format!(" {},", escape_markdown(&speaker)));
                }
                cite.push_str(&format!(" *{}*, {place}", escape_markdown(&source)));
                if let Some(stance) = stance_text(e, themes) {
                    cite.push_str(&format!(" · {}", escape_markdown(&stance)));
                }
                cite.push_str(&format!(" · coded by {}", escape_markdown(&e.coder_name)));
                out.push_str(&cite);
                out.push('\n');
                if !e.coding.memo.trim().is_empty() {
                    out.push_str(&format!(
                        "\nMemo: {}\n",
                        escape_markdown(&e.coding.memo.trim().replace('\n', " "))
                    ));
                }
            }
        }
    }
    out
}

pub fn excerpts_html(title: &str, excerpts: &[CodedExcerpt], themes: &[Theme]) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"no\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape_html(title)));
    out.push_str(
        "<style>\nbody{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}\n\
         h2{border-bottom:2px solid #ccc;padding-bottom:.2rem;margin-top:2.5rem}\n\
         h2 .swatch{display:inline-block;width:.9em;height:.9em;border-radius:.2em;margin-right:.4em;vertical-align:baseline}\n\
         blockquote{margin:1rem 0;padding:.2rem 1rem;border-left:4px solid #bbb;background:#f7f7f7}\n\
         blockquote p{margin:.4rem 0;white-space:pre-wrap}\n\
         .cite{font-size:.9em;color:#555}\n.memo{font-size:.9em;font-style:italic;color:#444}\n</style>\n</head>\n<body>\n",
    );
    out.push_str(&format!(
        "<h1>{}</h1>\n<p>{}</p>\n",
        escape_html(title),
        escape_html(&summary_line(excerpts))
    ));
    for (theme_id, theme_name, actors) in grouped(excerpts) {
        let theme = themes.iter().find(|t| t.id == theme_id);
        let count: usize = actors.iter().map(|(_, rows)| rows.len()).sum();
        let swatch = theme
            .map(|t| {
                let [r, g, b] = t.rgb();
                format!(
                    "<span class=\"swatch\" style=\"background:#{r:02x}{g:02x}{b:02x}\"></span>"
                )
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "<section>\n<h2>{swatch}{} ({count})</h2>\n",
            escape_html(theme_name)
        ));
        if let Some(t) = theme
            && !t.description.trim().is_empty()
        {
            out.push_str(&format!("<p>{}</p>\n", escape_html(t.description.trim())));
        }
        for (actor, rows) in actors {
            out.push_str(&format!(
                "<h3>{} ({})</h3>\n",
                escape_html(&actor),
                rows.len()
            ));
            for e in rows {
                out.push_str("<blockquote>\n");
                for para in e.quote.trim().split("\n\n") {
                    out.push_str(&format!("<p>{}</p>\n", escape_html(para.trim())));
                }
                let (speaker, source, place) = citation_parts(e);
                let mut cite = String::from("<p class=\"cite\">—");
                if !speaker.is_empty() {
                    cite.push_str(&format!(" {},", escape_html(&speaker)));
                }
                cite.push_str(&format!(
                    " <cite>{}</cite>, {}",
                    escape_html(&source),
                    escape_html(&place)
                ));
                if let Some(stance) = stance_text(e, themes) {
                    cite.push_str(&format!(" · {}", escape_html(&stance)));
                }
                cite.push_str(&format!(" · coded by {}</p>\n", escape_html(&e.coder_name)));
                out.push_str(&cite);
                if !e.coding.memo.trim().is_empty() {
                    out.push_str(&format!(
                        "<p class=\"memo\">Memo: {}</p>\n",
                        escape_html(e.coding.memo.trim())
                    ));
                }
                out.push_str("</blockquote>\n");
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
