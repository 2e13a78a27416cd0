//! Coded excerpts as flat rows (one per coding) in CSV (RFC 4180, UTF-8) or JSON.

use std::io::Write;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::CodedExcerpt;

/// One coded excerpt, flattened for spreadsheets and scripts. Spans are code points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExcerptRow {
    pub coding_id: i64,
    pub theme: String,
    pub actor: String,
    pub person: String,
    pub source_id: i64,
    pub source: String,
    pub kind: String,
    pub start: usize,
    pub end: usize,
    pub stance: Option<i64>,
    pub coder: String,
    pub memo: String,
    pub quote: String,
}

pub fn excerpt_rows(excerpts: &[CodedExcerpt]) -> Vec<ExcerptRow> {
    excerpts
        .iter()
        .map(|e| ExcerptRow {
            coding_id: e.coding.id.0,
            theme: e.theme_name.clone(),
            actor: e.actor_name.clone().unwrap_or_default(),
            person: e.person_name.clone().unwrap_or_default(),
            source_id: e.coding.source_id.0,
            source: e.source_title.clone(),
            kind: e.source_kind.as_str().to_string(),
            start: e.coding.span.start,
            end: e.coding.span.end,
            stance: e.coding.stance.map(|s| s.value()),
            coder: e.coder_name.clone(),
            memo: e.coding.memo.clone(),
            quote: e.quote.clone(),
        })
        .collect()
}

/// The CSV columns, in [`ExcerptRow`]'s field order.
pub const CSV_COLUMNS: [&str; 13] = [
    "coding_id",
    "theme",
    "actor",
    "person",
    "source_id",
    "source",
    "kind",
    "start",
    "end",
    "stance",
    "coder",
    "memo",
    "quote",
];

/// Writes the rows of [`ExcerptRow`] straight from the excerpts, without copying their text
/// (100,000 excerpts are a benchmark case).
pub fn write_excerpts_csv(out: &mut dyn Write, excerpts: &[CodedExcerpt]) -> Result<()> {
    let csv_err = |e: csv::Error| Error::Export(format!("CSV: {e}"));
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(out);
    if excerpts.is_empty() {
        // As serde would: no rows, no header.
        return writer
            .flush()
            .map_err(|e| Error::Export(format!("CSV: {e}")));
    }
    writer.write_record(CSV_COLUMNS).map_err(csv_err)?;
    let (mut id, mut source_id, mut start, mut end, mut stance) = (
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    );
    for e in excerpts {
        use std::fmt::Write as _;
        for buf in [&mut id, &mut source_id, &mut start, &mut end, &mut stance] {
            buf.clear();
        }
        let _ = write!(id, "{}", e.coding.id.0);
        let _ = write!(source_id, "{}", e.coding.source_id.0);
        let _ = write!(start, "{}", e.coding.span.start);
        let _ = write!(end, "{}", e.coding.span.end);
        if let Some(s) = e.coding.stance {
            let _ = write!(stance, "{}", s.value());
        }
        writer
            .write_record([
                id.as_str(),
                &e.theme_name,
                e.actor_name.as_deref().unwrap_or(""),
                e.person_name.as_deref().unwrap_or(""),
                &source_id,
                &e.source_title,
                e.source_kind.as_str(),
                &start,
                &end,
                &stance,
                &e.coder_name,
                &e.coding.memo,
                &e.quote,
            ])
            .map_err(csv_err)?;
    }
    writer
        .flush()
        .map_err(|e| Error::Export(format!("CSV: {e}")))?;
    Ok(())
}

pub fn write_excerpts_json(out: &mut dyn Write, excerpts: &[CodedExcerpt]) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, &excerpt_rows(excerpts))
        .map_err(|e| Error::Export(format!("JSON: {e}")))?;
    writeln!(out).map_err(|e| Error::Export(e.to_string()))?;
    Ok(())
}
