//! Coded excerpts as flat rows (one per coding) in CSV (RFC 4180, UTF-8) or JSON.

use std::io::Write;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{CodedExcerpt, ExcerptRef};

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

/// Writes the rows of [`ExcerptRow`] straight from the excerpts, without copying their text.
pub fn write_excerpts_csv(out: &mut dyn Write, excerpts: &[CodedExcerpt]) -> Result<()> {
    let mut csv = ExcerptCsv::new(out);
    for e in excerpts {
        csv.write(&e.borrowed())?;
    }
    csv.finish()
}

/// A CSV of excerpts written one at a time, as [`crate::Project::for_each_excerpt`] lends them,
/// so that no excerpt is copied. The header comes before the first row: no rows,
/// no header, as serde would write it.
pub struct ExcerptCsv<'w> {
    writer: csv::Writer<&'w mut dyn Write>,
    rows: usize,
    numbers: [String; 5],
}

fn csv_error(e: csv::Error) -> Error {
    Error::Export(format!("CSV: {e}"))
}

impl<'w> ExcerptCsv<'w> {
    pub fn new(out: &'w mut dyn Write) -> ExcerptCsv<'w> {
        ExcerptCsv {
            writer: csv::WriterBuilder::new()
                .buffer_capacity(1 << 16)
                .from_writer(out),
            rows: 0,
            numbers: Default::default(),
        }
    }

    pub fn write(&mut self, e: &ExcerptRef<'_>) -> Result<()> {
        use std::fmt::Write as _;
        if self.rows == 0 {
            self.writer.write_record(CSV_COLUMNS).map_err(csv_error)?;
        }
        self.rows += 1;
        let [id, source_id, start, end, stance] = &mut self.numbers;
        for buf in [
            &mut *id,
            &mut *source_id,
            &mut *start,
            &mut *end,
            &mut *stance,
        ] {
            buf.clear();
        }
        let _ = write!(id, "{}", e.coding.id.0);
        let _ = write!(source_id, "{}", e.coding.source_id.0);
        let _ = write!(start, "{}", e.coding.span.start);
        let _ = write!(end, "{}", e.coding.span.end);
        if let Some(s) = e.coding.stance {
            let _ = write!(stance, "{}", s.value());
        }
        self.writer
            .write_record([
                id.as_str(),
                e.theme_name,
                e.actor_name.unwrap_or(""),
                e.person_name.unwrap_or(""),
                source_id,
                e.source_title,
                e.source_kind.as_str(),
                start,
                end,
                stance,
                e.coder_name,
                &e.coding.memo,
                e.quote,
            ])
            .map_err(csv_error)
    }

    /// Flushes what is buffered.
    pub fn finish(mut self) -> Result<()> {
        self.writer
            .flush()
            .map_err(|e| Error::Export(format!("CSV: {e}")))
    }
}

pub fn write_excerpts_json(out: &mut dyn Write, excerpts: &[CodedExcerpt]) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, &excerpt_rows(excerpts))
        .map_err(|e| Error::Export(format!("JSON: {e}")))?;
    writeln!(out).map_err(|e| Error::Export(e.to_string()))?;
    Ok(())
}
