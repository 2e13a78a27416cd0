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

pub fn write_excerpts_csv(out: &mut dyn Write, excerpts: &[CodedExcerpt]) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    for row in excerpt_rows(excerpts) {
        writer
            .serialize(row)
            .map_err(|e| Error::Export(format!("CSV: {e}")))?;
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
