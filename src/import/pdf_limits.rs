//! Limits a PDF must keep before its text is extracted: the bytes its page contents unpack to
//! and the number of drawing operations in them. A small file can unpack to gigabytes or hold
//! millions of operations, and the text extractor keeps all of a stream's operations in memory
//! at once, so both are counted here first, with unpacking stopped at the limit.

use std::io::Read;

use pdf_extract::{Document, Object, ObjectId, Stream};

/// At most this many bytes unpacked from all page contents and forms together.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;
/// At most this many operations in all page contents and forms together (a dense page of text
/// has a few thousand).
pub const MAX_OPERATIONS: usize = 1_000_000;

/// `Err` says, for the researcher, which limit the file passes.
pub fn check(doc: &Document) -> Result<(), String> {
    let mut streams: Vec<ObjectId> = Vec::new();
    for page_id in doc.get_pages().values() {
        check_parents(doc, *page_id)?;
        streams.extend(doc.get_page_contents(*page_id));
    }
    for (id, object) in &doc.objects {
        if let Object::Stream(stream) = object
            && stream
                .dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|n| n == b"Form")
        {
            streams.push(*id);
        }
    }
    streams.sort_unstable();
    streams.dedup();
    let mut inflated = 0u64;
    let mut operations = 0usize;
    for id in streams {
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            continue;
        };
        let budget = MAX_INFLATED_BYTES - inflated;
        let Some(content) = unpack(stream, budget) else {
            continue;
        };
        inflated += content.len() as u64;
        if inflated >= MAX_INFLATED_BYTES {
            return Err(format!(
                "unpacks its pages to more than {} MB; no document needs that much, so Sitat refuses it (damaged, or a decompression bomb)",
                MAX_INFLATED_BYTES / (1024 * 1024)
            ));
        }
        operations += count_operations(&content, MAX_OPERATIONS - operations + 1);
        if operations > MAX_OPERATIONS {
            return Err(format!(
                "draws its pages with more than {} million operations; Sitat refuses it, as reading it would take minutes and gigabytes (damaged, or made to exhaust memory)",
                MAX_OPERATIONS / 1_000_000
            ));
        }
    }
    Ok(())
}

/// A page's chain of /Parent links must end: the extractor follows it for inherited resources
/// and would recurse forever on a loop.
fn check_parents(doc: &Document, page: ObjectId) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    let mut id = page;
    while seen.insert(id) {
        if seen.len() > 256 {
            break;
        }
        let Ok(dict) = doc.get_dictionary(id) else {
            return Ok(());
        };
        match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => id = parent,
            Err(_) => return Ok(()),
        }
    }
    Err(
        "has a page tree that loops back on itself: the file is damaged, so Sitat does not read it"
            .into(),
    )
}

/// The stream's content unpacked, at most `budget` bytes (more means over the limit); `None`
/// for a filter Sitat does not unpack itself (the extractor decides about those).
fn unpack(stream: &Stream, budget: u64) -> Option<Vec<u8>> {
    let filters: Vec<&[u8]> = match stream.dict.get(b"Filter") {
        Err(_) => Vec::new(),
        Ok(Object::Name(name)) => vec![name.as_slice()],
        Ok(Object::Array(names)) => names.iter().filter_map(|n| n.as_name().ok()).collect(),
        Ok(_) => return None,
    };
    // Room for the whole budget at once: only the pages written to take memory, and the
    // buffer never doubles past the limit while it grows.
    let mut out = Vec::with_capacity(budget as usize);
    match filters.as_slice() {
        [] => out.extend_from_slice(&stream.content[..stream.content.len().min(budget as usize)]),
        [b"FlateDecode"] => {
            // A damaged stream stops where it breaks: what came before still counts.
            let _ = flate2::read::ZlibDecoder::new(stream.content.as_slice())
                .take(budget)
                .read_to_end(&mut out);
        }
        _ => return None,
    }
    Some(out)
}

/// Operations in a content stream (its operators: the bare words between the operands), counted
/// up to `limit`.
pub fn count_operations(content: &[u8], limit: usize) -> usize {
    let mut count = 0;
    let mut i = 0;
    let n = content.len();
    while i < n && count < limit {
        let b = content[i];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0' => i += 1,
            b'%' => {
                while i < n && content[i] != b'\n' && content[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => i = skip_string(content, i),
            b'<' | b'>' | b'[' | b']' | b'{' | b'}' => i += 1,
            b'/' => {
                i += 1;
                while i < n && is_regular(content[i]) {
                    i += 1;
                }
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                while i < n && is_regular(content[i]) {
                    i += 1;
                }
            }
            _ => {
                let start = i;
                while i < n && is_regular(content[i]) {
                    i += 1;
                }
                count += 1;
                // An inline image's bytes run from "ID" to "EI": skip them unread.
                if &content[start..i] == b"ID" {
                    while i + 2 < n && !(content[i] == b'E' && content[i + 1] == b'I') {
                        i += 1;
                    }
                    i += 2;
                }
            }
        }
    }
    count
}

/// Not white space and not a delimiter.
fn is_regular(b: u8) -> bool {
    !matches!(
        b,
        b' ' | b'\t'
            | b'\r'
            | b'\n'
            | b'\x0c'
            | b'\0'
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'/'
            | b'%'
    )
}

/// The index after a literal string starting at `start` (balanced parentheses, `\` escapes).
fn skip_string(content: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < content.len() {
        match content[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::count_operations;

    #[test]
    fn operators_are_counted_not_operands() {
        let content = b"BT /F1 12 Tf 72 712 Td (Hei (sa) \\) han) Tj [(a) -20 (b)] TJ ET % Tj\nq 1 0 0 1 0 0 cm Q";
        // BT Tf Td Tj TJ ET q cm Q
        assert_eq!(count_operations(content, usize::MAX), 9);
        assert_eq!(count_operations(content, 4), 4);
        assert_eq!(count_operations(b"BI /W 1 ID \x00EX\xffEI Q", 10), 3);
    }
}
