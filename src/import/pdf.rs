//! PDF text: the text layer of each page (pdf-extract), with repeated running headers and
//! footers and page numbers dropped and line-end hyphens joined (`text::dehyphenate`).

use std::collections::HashMap;
use std::path::Path;

use super::MAX_SOURCE_CHARS;
use crate::error::{Error, Result};
use crate::quiet_panic::catch_quietly;
use crate::text::{dehyphenate, normalize_newlines};

#[derive(Debug, Clone, PartialEq)]
pub struct PdfText {
    pub text: String,
    pub pages: usize,
    /// Header, footer and page-number lines removed.
    pub dropped_lines: usize,
}

/// Lines this close to the top or bottom of a page are candidates for headers and footers.
const EDGE_LINES: usize = 3;

pub fn read_pdf(path: &Path, bytes: &[u8]) -> Result<PdfText> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(Error::bad_input(
            path,
            "is not a PDF file (no %PDF header); the file may be misnamed or damaged",
        ));
    }
    if is_encrypted(bytes) {
        return Err(Error::bad_input(
            path,
            "is an encrypted (password-protected) PDF; remove the protection or export the text first",
        ));
    }
    let pages = extract_pages(path, bytes)?;
    let page_count = pages.len();
    let (text, dropped_lines) = clean_pages(&pages);
    if text.trim().is_empty() {
        return Err(Error::bad_input(
            path,
            "has no text layer (a scanned PDF?); run it through OCR first",
        ));
    }
    Ok(PdfText {
        text,
        pages: page_count,
        dropped_lines,
    })
}

/// The text of each page, within the limits of `pdf_limits` and [`MAX_SOURCE_CHARS`].
fn extract_pages(path: &Path, bytes: &[u8]) -> Result<Vec<String>> {
    // pdf-extract (and the PDF parser under it) panics on some malformed files: that is an
    // error, reported once, not a crash and not a message on the terminal.
    let malformed = || {
        Error::bad_input(
            path,
            "could not be read: the PDF is malformed (its text extractor gave up)",
        )
    };
    let doc = catch_quietly(|| pdf_extract::Document::load_mem(bytes))
        .map_err(|_| malformed())?
        .map_err(|e| Error::bad_input(path, format!("could not be read as PDF: {e}")))?;
    super::pdf_limits::check(&doc).map_err(|why| Error::bad_input(path, why))?;
    let page_count = doc.get_pages().len() as u32;
    let mut text = CappedText::default();
    let mut pages = Vec::new();
    for page in 1..=page_count {
        let done = catch_quietly(|| {
            let mut output = pdf_extract::PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut output, page)
        })
        .map_err(|_| malformed())?;
        if text.over {
            return Err(Error::bad_input(
                path,
                format!(
                    "holds more than {} million characters of text; Sitat imports documents up to that size — split it into parts",
                    MAX_SOURCE_CHARS / 1_000_000
                ),
            ));
        }
        if let Err(e) = done {
            if pages.is_empty() {
                return Err(Error::bad_input(
                    path,
                    format!("could not be read as PDF: {e}"),
                ));
            }
            break;
        }
        pages.push(std::mem::take(&mut text.page));
    }
    Ok(pages)
}

/// Collects a page's text and stops the extractor once the document passes the limit.
#[derive(Default)]
struct CappedText {
    page: String,
    chars: usize,
    over: bool,
}

impl std::fmt::Write for CappedText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.chars += s.chars().count();
        if self.chars > MAX_SOURCE_CHARS {
            self.over = true;
            return Err(std::fmt::Error);
        }
        self.page.push_str(s);
        Ok(())
    }
}

impl<'a> pdf_extract::ConvertToFmt for &'a mut CappedText {
    type Writer = &'a mut CappedText;
    fn convert(self) -> Self::Writer {
        self
    }
}

/// An `/Encrypt` entry in a trailer (or cross-reference stream) marks an encrypted PDF.
fn is_encrypted(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

/// A line with its digits masked, so "Side 3" and "Side 4" count as the same running line.
fn shape(line: &str) -> String {
    line.trim()
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "12", "- 12 -", "Page 3", "Side 3 av 10", "3/10", "iv".
pub fn is_page_number(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    let l = l.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    if l.is_empty() {
        return false;
    }
    let l = ["page", "side", "s."]
        .iter()
        .find_map(|p| l.strip_prefix(p))
        .unwrap_or(l)
        .trim();
    let words: Vec<&str> = l
        .split(|c: char| c.is_whitespace() || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    let numeric = |w: &str| w.chars().all(|c| c.is_ascii_digit()) && w.len() <= 5;
    let roman = |w: &str| w.len() <= 6 && w.chars().all(|c| "ivxlc".contains(c));
    match words.as_slice() {
        [n] => numeric(n) || roman(n),
        [a, sep, b] => numeric(a) && numeric(b) && ["av", "of", "von", "de"].contains(sep),
        [a, b] => numeric(a) && numeric(b),
        _ => false,
    }
}

/// Joins pages, dropping page numbers and lines that recur at the top or bottom of at least
/// half of the pages (at least two); returns the text and how many lines were dropped.
pub fn clean_pages(pages: &[String]) -> (String, usize) {
    let pages: Vec<Vec<String>> = pages
        .iter()
        .map(|p| normalize_newlines(p).lines().map(str::to_string).collect())
        .collect();
    let edges = |lines: &[String]| -> Vec<usize> {
        let non_blank: Vec<usize> = (0..lines.len())
            .filter(|&i| !lines[i].trim().is_empty())
            .collect();
        let mut idx: Vec<usize> = non_blank.iter().take(EDGE_LINES).copied().collect();
        idx.extend(non_blank.iter().rev().take(EDGE_LINES).copied());
        idx.sort_unstable();
        idx.dedup();
        idx
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for lines in &pages {
        let mut seen: Vec<String> = edges(lines).iter().map(|&i| shape(&lines[i])).collect();
        seen.sort();
        seen.dedup();
        for s in seen {
            *counts.entry(s).or_default() += 1;
        }
    }
    let threshold = (pages.len().div_ceil(2)).max(2);
    let mut dropped = 0;
    let mut out = String::new();
    for lines in &pages {
        let edge = edges(lines);
        let mut page = String::new();
        for (i, line) in lines.iter().enumerate() {
            let running = edge.contains(&i)
                && (is_page_number(line)
                    || counts.get(&shape(line)).copied().unwrap_or(0) >= threshold);
            if running {
                dropped += 1;
                continue;
            }
            page.push_str(line.trim_end());
            page.push('\n');
        }
        let page = page.trim_matches('\n');
        if page.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(page);
    }
    (
        collapse_blank_lines(&dehyphenate(&close_hyphen_gaps(&out))),
        dropped,
    )
}

/// Text extractors put blank lines where the line gap is wide; a word broken by a hyphen across
/// such a gap ("skjønns-", "", "utøvelse") is joined up again so `dehyphenate` can mend it.
fn close_hyphen_gaps(s: &str) -> String {
    let lines: Vec<&str> = s.split('\n').collect();
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        out.push(lines[i]);
        let trimmed = lines[i].trim_end();
        let broken = trimmed.ends_with('-')
            && trimmed[..trimmed.len() - 1]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic);
        if broken {
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim().is_empty() {
                j += 1;
            }
            let continues = lines
                .get(j)
                .and_then(|l| l.trim_start().chars().next())
                .is_some_and(char::is_lowercase);
            if j > i + 1 && continues {
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out.join("\n")
}

/// At most one blank line in a row; no blank lines at the ends.
fn collapse_blank_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_run = 0;
    for line in s.lines() {
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line.trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_running_lines_and_joins_hyphens() {
        let pages = vec![
            "Fafo-rapport 2024:12\n\nTillit er et skjønns-\nspørsmål.\n\n1".to_string(),
            "Fafo-rapport 2024:12\n\nAndre side av saken.\n\n- 2 -".to_string(),
            "Fafo-rapport 2024:12\n\nTredje side.\n\nSide 3 av 3".to_string(),
        ];
        let (text, dropped) = clean_pages(&pages);
        assert_eq!(
            text,
            "Tillit er et skjønnsspørsmål.\nAndre side av saken.\nTredje side."
        );
        assert_eq!(dropped, 6);
        assert!(is_page_number("Page 4 of 12") && is_page_number("xii"));
        assert!(!is_page_number("1990 var et år"));
    }
}
