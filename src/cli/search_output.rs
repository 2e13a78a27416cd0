//! Search results as text, KWIC lines, CSV or JSON (for `sitat search`).

use std::io::Write;

use crate::error::{Error, Result};
use crate::index::{KWIC_CONTEXT, SearchResults};

fn io(e: std::io::Error) -> Error {
    Error::io("standard output", e)
}

/// One line per hit: source, span, actor, person and the hit in its context.
pub fn write_text(out: &mut dyn Write, results: &SearchResults, kwic: bool) -> Result<()> {
    if results.paragraphs == 0 {
        return writeln!(out, "0 hits; no paragraph matches {:?}", results.query).map_err(io);
    }
    for hit in &results.hits {
        let who = match (results.actor_name(hit), results.person_name(hit)) {
            (Some(a), Some(p)) => format!("{a}, {p}"),
            (Some(a), None) => a.to_string(),
            (None, Some(p)) => p.to_string(),
            (None, None) => hit.kind.to_string(),
        };
        let line = results.kwic(hit);
        if kwic {
            let pad = KWIC_CONTEXT.saturating_sub(line.left.chars().count());
            writeln!(
                out,
                "{}{} [{}] {:<width$}  | #{} {} {}",
                " ".repeat(pad),
                line.left,
                line.hit,
                line.right,
                hit.source_id.0,
                hit.span,
                who,
                width = KWIC_CONTEXT
            )
            .map_err(io)?;
        } else {
            writeln!(
                out,
                "#{} {} {} ({}): {}[{}]{}",
                hit.source_id.0,
                results.source_title(hit),
                hit.span,
                who,
                line.left,
                line.hit,
                line.right
            )
            .map_err(io)?;
        }
    }
    let per_actor: Vec<String> = results
        .actor_counts
        .iter()
        .map(|c| format!("{} {}", c.name, c.paragraphs))
        .collect();
    writeln!(
        out,
        "{} hit{} shown{}; {} matching paragraph{} ({})",
        results.hits.len(),
        if results.hits.len() == 1 { "" } else { "s" },
        if results.truncated {
            " (more: raise --limit)"
        } else {
            ""
        },
        results.paragraphs,
        if results.paragraphs == 1 { "" } else { "s" },
        per_actor.join(", ")
    )
    .map_err(io)
}

pub fn write_csv(out: &mut dyn Write, results: &SearchResults) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    // A failed write stays an I/O error (a reader that closed the pipe is not a failure).
    let csv_err = |e: csv::Error| match e.kind() {
        csv::ErrorKind::Io(failed) => io(std::io::Error::new(failed.kind(), failed.to_string())),
        _ => Error::Export(e.to_string()),
    };
    w.write_record([
        "source_id",
        "source",
        "kind",
        "actor",
        "person",
        "start",
        "end",
        "score",
        "left",
        "hit",
        "right",
    ])
    .map_err(csv_err)?;
    for h in &results.hits {
        let line = results.kwic(h);
        w.write_record([
            h.source_id.0.to_string(),
            results.source_title(h).to_string(),
            h.kind.to_string(),
            results.actor_name(h).unwrap_or_default().to_string(),
            results.person_name(h).unwrap_or_default().to_string(),
            h.span.start.to_string(),
            h.span.end.to_string(),
            format!("{:.3}", h.score),
            line.left,
            results.text(h).to_string(),
            line.right,
        ])
        .map_err(csv_err)?;
    }
    w.flush().map_err(io)
}

/// The results as JSON, each hit with its KWIC line.
pub fn write_json(out: &mut dyn Write, results: &SearchResults) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, results).map_err(|e| match e.io_error_kind() {
        Some(kind) => io(std::io::Error::new(kind, e.to_string())),
        None => Error::Export(e.to_string()),
    })?;
    writeln!(out).map_err(io)
}
