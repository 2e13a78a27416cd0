//! Coded excerpts as an Excel workbook (rust_xlsxwriter): one sheet with every excerpt, then one
//! sheet per theme. Columns: theme, actor, person, source, stance, memo, quote, start, end.

use std::collections::HashSet;
use std::io::Write;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::error::{Error, Result};
use crate::model::CodedExcerpt;

pub const XLSX_COLUMNS: [&str; 9] = [
    "theme", "actor", "person", "source", "stance", "memo", "quote", "start", "end",
];
/// The name of the sheet with every excerpt.
pub const ALL_SHEET: &str = "All excerpts";
/// Excel keeps at most this many characters in a cell.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Excel's last row (1,048,576) less the header.
pub const MAX_ROWS: usize = 1_048_575;

fn xlsx_err(e: XlsxError) -> Error {
    Error::Export(format!("XLSX: {e}"))
}

/// Makes `name` a valid sheet name that `taken` (lower-cased names) does not hold: none of
/// `[]:*?/\`, no apostrophe at either end, 1–31 characters, not "History", unique ignoring case.
pub fn sheet_name(name: &str, taken: &HashSet<String>) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut base: String = cleaned.trim().trim_matches('\'').trim().to_string();
    if base.is_empty() || base.eq_ignore_ascii_case("history") {
        base = format!("{base} theme").trim().to_string();
    }
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>().trim_end().to_string();
    let mut candidate = cut(&base, 31);
    let mut n = 2;
    while taken.contains(&candidate.to_lowercase()) {
        let suffix = format!(" ({n})");
        candidate = format!("{}{suffix}", cut(&base, 31 - suffix.chars().count()));
        n += 1;
    }
    candidate
}

fn cell_text(s: &str, truncated: &mut usize) -> String {
    if s.len() <= MAX_CELL_CHARS || s.chars().count() <= MAX_CELL_CHARS {
        return s.to_string();
    }
    *truncated += 1;
    let mut out: String = s.chars().take(MAX_CELL_CHARS - 1).collect();
    out.push('…');
    out
}

fn write_sheet(
    sheet: &mut Worksheet,
    rows: &[&CodedExcerpt],
    header: &Format,
    truncated: &mut usize,
) -> std::result::Result<(), XlsxError> {
    for (col, title) in XLSX_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, header)?;
    }
    for (i, e) in rows.iter().take(MAX_ROWS).enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &e.theme_name)?;
        if let Some(actor) = &e.actor_name {
            sheet.write_string(row, 1, actor)?;
        }
        if let Some(person) = &e.person_name {
            sheet.write_string(row, 2, person)?;
        }
        sheet.write_string(row, 3, &e.source_title)?;
        if let Some(stance) = e.coding.stance {
            sheet.write_number(row, 4, stance.value() as f64)?;
        }
        if !e.coding.memo.is_empty() {
            sheet.write_string(row, 5, cell_text(&e.coding.memo, truncated))?;
        }
        sheet.write_string(row, 6, cell_text(&e.quote, truncated))?;
        sheet.write_number(row, 7, e.coding.span.start as f64)?;
        sheet.write_number(row, 8, e.coding.span.end as f64)?;
    }
    let last = rows.len().min(MAX_ROWS) as u32;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last, XLSX_COLUMNS.len() as u16 - 1)?;
    for (col, width) in [18.0, 10.0, 18.0, 24.0, 7.0, 30.0, 80.0, 8.0, 8.0]
        .into_iter()
        .enumerate()
    {
        sheet.set_column_width(col as u16, width)?;
    }
    Ok(())
}

/// What the workbook holds; `warnings` tells of truncated cells and rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct XlsxSummary {
    pub sheets: Vec<String>,
    pub warnings: Vec<String>,
}

/// Writes the workbook: the sheet with every excerpt, then one per theme in codebook order.
pub fn write_excerpts_xlsx<W: Write + Send>(
    out: W,
    excerpts: &[CodedExcerpt],
    progress: &dyn Fn(f32),
) -> Result<XlsxSummary> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold();
    let mut truncated = 0;
    let mut summary = XlsxSummary::default();
    let mut taken = HashSet::new();

    let all: Vec<&CodedExcerpt> = excerpts.iter().collect();
    let sheet = workbook.add_worksheet();
    sheet.set_name(ALL_SHEET).map_err(xlsx_err)?;
    write_sheet(sheet, &all, &header, &mut truncated).map_err(xlsx_err)?;
    taken.insert(ALL_SHEET.to_lowercase());
    summary.sheets.push(ALL_SHEET.to_string());
    progress(0.3);

    // Excerpts come in codebook order, so each theme's rows are one run.
    let mut groups: Vec<(&str, Vec<&CodedExcerpt>)> = Vec::new();
    for e in excerpts {
        match groups
            .iter_mut()
            .rev()
            .find(|(_, rows)| rows[0].coding.theme_id == e.coding.theme_id)
        {
            Some((_, rows)) => rows.push(e),
            None => groups.push((e.theme_name.as_str(), vec![e])),
        }
    }
    let n = groups.len().max(1);
    for (i, (theme, rows)) in groups.iter().enumerate() {
        let name = sheet_name(theme, &taken);
        taken.insert(name.to_lowercase());
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name).map_err(xlsx_err)?;
        write_sheet(sheet, rows, &header, &mut truncated).map_err(xlsx_err)?;
        summary.sheets.push(name);
        progress(0.3 + 0.4 * (i + 1) as f32 / n as f32);
    }
    workbook.save_to_writer(out).map_err(xlsx_err)?;
    progress(1.0);
    if truncated > 0 {
        summary.warnings.push(match truncated {
            1 => format!("1 cell longer than Excel's {MAX_CELL_CHARS} characters was cut short"),
            n => {
                format!("{n} cells longer than Excel's {MAX_CELL_CHARS} characters were cut short")
            }
        });
    }
    if excerpts.len() > MAX_ROWS {
        summary.warnings.push(format!(
            "only the first {MAX_ROWS} of {} excerpts fit on a sheet",
            excerpts.len()
        ));
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_excel_rules() {
        let mut taken = HashSet::new();
        taken.insert("all excerpts".to_string());
        assert_eq!(
            sheet_name("Regler/rettigheter ↔ Skjønn?", &taken),
            "Regler_rettigheter ↔ Skjønn_"
        );
        assert_eq!(sheet_name("'History'", &taken), "History theme");
        assert_eq!(sheet_name("", &taken), "theme");
        let long = "x".repeat(40);
        assert_eq!(sheet_name(&long, &taken).chars().count(), 31);
        taken.insert("x".repeat(31));
        let second = sheet_name(&long, &taken);
        assert!(
            second.ends_with(" (2)") && second.chars().count() == 31,
            "{second}"
        );
        assert_eq!(sheet_name("ALL EXCERPTS", &taken), "ALL EXCERPTS (2)");
    }
}
