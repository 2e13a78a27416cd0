//! The analysers' tokenizer: words as tantivy's `SimpleTokenizer` splits them (runs of
//! alphanumeric chars), lower-cased as its `LowerCaser` lowers them, in one pass. The tokenizer
//! decodes every char and asks Unicode's tables about æ, ø and å, and the lower-caser takes its
//! slow way, char by char into a new string, for every word that is not ASCII; here ASCII and
//! the Latin-1 letters are read by their bytes, and the tests hold the tokens to tantivy's.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

#[derive(Clone, Default)]
pub struct LowerWords {
    token: Token,
}

pub struct LowerWordStream<'a> {
    text: &'a str,
    /// Where to look for the next word.
    at: usize,
    token: &'a mut Token,
}

impl Tokenizer for LowerWords {
    type TokenStream<'a> = LowerWordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> LowerWordStream<'a> {
        self.token.reset();
        LowerWordStream {
            text,
            at: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for LowerWordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        let start = loop {
            let Some(c) = char_at(self.text, i) else {
                self.at = i;
                return false;
            };
            if is_alphanumeric(c) {
                break i;
            }
            i += c.len_utf8();
        };
        // The word's end, then its text lower-cased: copied and lowered in place when ASCII.
        let mut ascii = true;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                let c = char_at(self.text, i).expect("inside the text");
                if !is_alphanumeric(c) {
                    break;
                }
                ascii = false;
                i += c.len_utf8();
            }
        }
        let word = &self.text[start..i];
        if ascii {
            self.token.text.push_str(word);
            self.token.text.make_ascii_lowercase();
        } else {
            for c in word.chars() {
                push_lowercase(c, &mut self.token.text);
            }
        }
        self.token.offset_from = start;
        self.token.offset_to = i;
        // The char at `i`, if any, is not part of a word: the next word starts after it.
        self.at = i;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The char starting at byte `i`.
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        Some(_) => text[i..].chars().next(),
        None => None,
    }
}

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
    use super::*;
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
        let mut ours = TextAnalyzer::from(LowerWords::default());
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
                assert_eq!(tokens(&mut ours, &text), expected, "{text:?}");
                // Querying and hit mapping read words the same way.
                assert_eq!(words_as_read(&text), expected, "{text:?}");
            }
        }
        let long =
            "Brukermedvirkning i NAV-kontoret: «Tillit» og SKJØNN.\r\n\r\nÅ gå 😀 2022 ".repeat(50);
        assert_eq!(tokens(&mut ours, &long), tokens(&mut tantivy, &long));
        assert_eq!(words_as_read(&long), tokens(&mut tantivy, &long));
    }
}
