//! Bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252; binary refused.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::text::normalize_newlines;

#[derive(Debug, Clone, PartialEq)]
pub struct DecodedText {
    /// With `\n` line breaks only and no BOM.
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes a text file's bytes, or says why they are not text.
pub fn decode_text(bytes: &[u8]) -> Result<DecodedText, String> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (utf8(rest)?, "UTF-8")
    } else if bytes.starts_with(b"\xFF\xFE") {
        (
            UTF_16LE.decode_with_bom_removal(bytes).0.into_owned(),
            "UTF-16LE",
        )
    } else if bytes.starts_with(b"\xFE\xFF") {
        (
            UTF_16BE.decode_with_bom_removal(bytes).0.into_owned(),
            "UTF-16BE",
        )
    } else if looks_binary(bytes) {
        return Err(
            "looks like a binary file, not text (it contains NUL or control bytes); export it as plain text first"
                .into(),
        );
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), "UTF-8"),
            Err(_) => (WINDOWS_1252.decode(bytes).0.into_owned(), "Windows-1252"),
        }
    };
    if looks_binary(text.as_bytes()) {
        return Err("decodes to control characters, not text; is it really a text file?".into());
    }
    Ok(DecodedText {
        text: normalize_newlines(&text),
        encoding,
    })
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec())
        .map_err(|e| format!("starts with a UTF-8 mark but is not valid UTF-8 ({e})"))
}

/// NUL bytes, or more than 1 % control characters other than tab, CR, LF and form feed.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.contains(&0) {
        return true;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    control * 100 > sample.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        assert_eq!(
            decode_text("blåbær\r\n".as_bytes()).unwrap().text,
            "blåbær\n"
        );
        let bom = [b"\xEF\xBB\xBF".as_slice(), "æ".as_bytes()].concat();
        assert_eq!(decode_text(&bom).unwrap().text, "æ");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("gå".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let d = decode_text(&utf16).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("gå", "UTF-16LE"));
        let cp1252 = decode_text(b"bl\xe5b\xe6r").unwrap();
        assert_eq!(
            (cp1252.text.as_str(), cp1252.encoding),
            ("blåbær", "Windows-1252")
        );
        assert!(decode_text(b"PK\x03\x04\x00\x00binary").is_err());
    }
}
