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
