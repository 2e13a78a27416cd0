//! Word (.docx) and OpenDocument (.odt) text: paragraphs and headings read straight from the
//! XML in the ZIP container, one paragraph per block separated by a blank line.

use std::path::Path;

use super::archive::SafeArchive;
use super::xml::{self, Element, Node};
use crate::error::{Error, Result};

/// The text of a document and how many of its paragraphs were headings.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentText {
    pub text: String,
    pub headings: usize,
}

/// Reads the paragraphs of a .docx (word/document.xml), skipping deleted (tracked) text and
/// field codes; tabs and line breaks are kept.
pub fn read_docx(path: &Path, bytes: Vec<u8>) -> Result<DocumentText> {
    let mut archive = SafeArchive::open(path, bytes, "Word document (.docx)")?;
    let Some(name) = archive.find("word/document.xml").map(str::to_string) else {
        return Err(Error::bad_input(
            path,
            "is a ZIP file but not a Word document (.docx): it has no word/document.xml",
        ));
    };
    let root = xml::parse(&archive.read(&name)?)
        .map_err(|e| Error::bad_input(path, format!("word/document.xml {e}")))?;
    let mut paragraphs = Vec::new();
    let mut headings = 0;
    collect_docx(&root, &mut paragraphs, &mut headings);
    Ok(DocumentText {
        text: join(paragraphs),
        headings,
    })
}

fn collect_docx(element: &Element, paragraphs: &mut Vec<String>, headings: &mut usize) {
    for child in element.elements() {
        match child.name.as_str() {
            "p" => {
                let mut text = String::new();
                docx_runs(child, &mut text);
                let style = child
                    .first("pPr")
                    .and_then(|p| p.first("pStyle"))
                    .and_then(|s| s.attr("val"))
                    .unwrap_or("")
                    .to_lowercase();
                if ["heading", "title", "overskrift", "tittel"]
                    .iter()
                    .any(|h| style.starts_with(h))
                    && !text.trim().is_empty()
                {
                    *headings += 1;
                }
                paragraphs.push(text);
            }
            "del" | "instrText" | "delText" => {}
            _ => collect_docx(child, paragraphs, headings),
        }
    }
}

fn docx_runs(element: &Element, out: &mut String) {
    for child in element.elements() {
        match child.name.as_str() {
            "t" => out.push_str(&child.text()),
            "tab" if element.name == "r" => out.push('\t'),
            "br" | "cr" => out.push('\n'),
            "noBreakHyphen" => out.push('-'),
            "softHyphen" => out.push('\u{AD}'),
            "del" | "instrText" | "delText" | "pPr" | "rPr" => {}
            _ => docx_runs(child, out),
        }
    }
}

/// Reads the paragraphs and headings of an .odt (content.xml).
pub fn read_odt(path: &Path, bytes: Vec<u8>) -> Result<DocumentText> {
    let mut archive = SafeArchive::open(path, bytes, "OpenDocument text (.odt)")?;
    let Some(name) = archive.find("content.xml").map(str::to_string) else {
        return Err(Error::bad_input(
            path,
            "is a ZIP file but not an OpenDocument text (.odt): it has no content.xml",
        ));
    };
    let root = xml::parse(&archive.read(&name)?)
        .map_err(|e| Error::bad_input(path, format!("content.xml {e}")))?;
    let mut paragraphs = Vec::new();
    let mut headings = 0;
    collect_odt(&root, &mut paragraphs, &mut headings);
    Ok(DocumentText {
        text: join(paragraphs),
        headings,
    })
}

fn collect_odt(element: &Element, paragraphs: &mut Vec<String>, headings: &mut usize) {
    for child in element.elements() {
        match child.name.as_str() {
            "p" | "h" => {
                let mut text = String::new();
                odt_spans(child, &mut text);
                if child.name == "h" && !text.trim().is_empty() {
                    *headings += 1;
                }
                paragraphs.push(text);
            }
            "tracked-changes" | "annotation" | "note" => {}
            _ => collect_odt(child, paragraphs, headings),
        }
    }
}

fn odt_spans(element: &Element, out: &mut String) {
    for node in &element.children {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => match e.name.as_str() {
                "s" => {
                    let n = e.attr("c").and_then(|c| c.parse().ok()).unwrap_or(1usize);
                    out.extend(std::iter::repeat_n(' ', n.min(1000)));
                }
                "tab" => out.push('\t'),
                "line-break" => out.push('\n'),
                "annotation" | "note" => {}
                _ => odt_spans(e, out),
            },
        }
    }
}

/// Paragraphs joined by a blank line, blank paragraphs dropped.
fn join(paragraphs: Vec<String>) -> String {
    paragraphs
        .into_iter()
        .map(|p| p.trim_end().to_string())
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}
