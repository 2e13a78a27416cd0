//! Words as tantivy's `SimpleTokenizer` splits them (runs of alphanumeric chars), lower-cased
//! as its `LowerCaser` lowers them, for reading words outside tantivy (queries, hits, the
//! language guess): ASCII and the Latin-1 letters are read by their bytes, not Unicode's tables,
//! and the tests hold the words to tantivy's tokens.

/// `char::is_alphanumeric`, without its tables for ASCII and U+00C0–U+00FF (all letters but ×
/// and ÷).
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    match c {
        '\0'..='\x7f' => c.is_ascii_alphanumeric(),
        '\u{c0}'..='\u{ff}' => c != '×' && c != '÷',
        _ => c.is_alphanumeric(),
    }
}

/// Pushes `c` lower-cased as `char::to_lowercase` does.
#[inline]
pub fn push_lowercase(c: char, out: &mut String) {
    match c {
        '\0'..='\x7f' => out.push(c.to_ascii_lowercase()),
        _ => match latin1_lowercase(c) {
            Some(lower) => out.push(lower),
            None => out.extend(c.to_lowercase()),
        },
    }
}

/// `c` lower-cased as `char::to_lowercase` does, for the Latin-1 letters U+00C0–U+00FF (and ×,
/// ÷): the capitals (U+00C0–U+00DE but ×) lower to the char 0x20 after, the rest stay. `None`
/// for any other char.
#[inline]
pub fn latin1_lowercase(c: char) -> Option<char> {
    match c {
        '\u{c0}'..='\u{de}' if c != '×' => Some(char::from(c as u8 + 0x20)),
        '\u{c0}'..='\u{ff}' => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    fn words_as_read(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        crate::index::language::for_each_word(text, |w, lower| {
            // Code point offsets too, which tantivy's tokens do not have.
            assert_eq!(w.char_start, text[..w.byte_start].chars().count());
            assert_eq!(w.char_end, text[..w.byte_end].chars().count());
            out.push((lower.to_string(), w.byte_start, w.byte_end, w.position));
        });
        out
    }

    #[test]
    fn words_are_tantivys_simple_tokens_lower_cased() {
        let mut tantivy = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .build();
        // Every char up to U+2FFF and some beyond: alone, inside words, between words.
        let chars = (0u32..0x3000)
            .chain([0x1E9E, 0x130, 0x1F600, 0x10400, 0x1D7CE])
            .filter_map(char::from_u32);
        for c in chars {
            for text in [
                c.to_string(),
                format!("Æble{c}øST"),
                format!("ab {c} CD"),
                format!("{c}Å, «Økt» tillit–{c}\r\n9Ω"),
            ] {
                let expected = tokens(&mut tantivy, &text);
                assert_eq!(words_as_read(&text), expected, "{text:?}");
            }
        }
        let long =
            "Brukermedvirkning i NAV-kontoret: «Tillit» og SKJØNN.\r\n\r\nÅ gå 😀 2022 ".repeat(50);
        assert_eq!(words_as_read(&long), tokens(&mut tantivy, &long));
    }
}
