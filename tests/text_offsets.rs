//! Code point ⇄ byte offsets on Norwegian letters, emoji, combining marks and CRLF.

mod common;

use sitat::model::CharSpan;
use sitat::text::{CharIndex, byte_to_char, char_to_byte, find_chars, slice_chars};
use sitat::{CodingFilter, NewCoding};

const SAMPLES: &[&str] = &[
    "blåbærsyltetøy på brødskiva",
    "Æ Ø Å æ ø å",
    "tillit 😀 og 👩‍👩‍👧 familie",
    "e\u{301}n kafe\u{301} (combining accents)",
    "linje én\r\nlinje to\r\n\r\nslutt",
    "",
];

#[test]
fn char_and_byte_offsets_round_trip() {
    for text in SAMPLES {
        let index = CharIndex::new(text);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        assert_eq!(index.char_len(), chars.len(), "{text:?}");
        for (char_idx, (byte, _)) in chars.iter().enumerate() {
            assert_eq!(
                char_to_byte(text, char_idx),
                Some(*byte),
                "{text:?} @{char_idx}"
            );
            assert_eq!(index.byte_of(char_idx), Some(*byte));
            assert_eq!(byte_to_char(text, *byte), Some(char_idx));
            assert_eq!(index.char_of(*byte), Some(char_idx));
        }
        assert_eq!(char_to_byte(text, chars.len()), Some(text.len()));
        assert_eq!(char_to_byte(text, chars.len() + 1), None);
        assert_eq!(index.byte_of(chars.len() + 1), None);
    }
}

#[test]
fn offsets_inside_a_character_are_refused() {
    let text = "gå 😀";
    assert_eq!(byte_to_char(text, 2), None, "inside å");
    assert_eq!(byte_to_char(text, 5), None, "inside the emoji");
    assert_eq!(CharIndex::new(text).char_of(6), None);
}

#[test]
fn char_index_matches_naive_conversion_on_long_text() {
    let text = "Skjønnsutøvelse 😀 i førstelinja.\r\n".repeat(300);
    let index = CharIndex::new(&text);
    for char_idx in (0..index.char_len()).step_by(7) {
        assert_eq!(index.byte_of(char_idx), char_to_byte(&text, char_idx));
    }
}

#[test]
fn spans_are_code_points() {
    let text = "😀 æøå\r\nslutt";
    assert_eq!(slice_chars(text, CharSpan::new(2, 5)), Some("æøå"));
    assert_eq!(slice_chars(text, CharSpan::new(5, 7)), Some("\r\n"));
    assert_eq!(slice_chars(text, CharSpan::new(7, 12)), Some("slutt"));
    assert_eq!(slice_chars(text, CharSpan::new(7, 13)), None);
    assert_eq!(find_chars(text, "slutt"), Some(CharSpan::new(7, 12)));
}

#[test]
fn a_codings_text_is_the_slice_of_its_source() {
    let mut f = common::fixture();
    let text = common::INTERVIEW_TEXT;
    let mut spans = Vec::new();
    for needle in ["skjønn 😀", "førstelinja", "rettigheter, ikke vilkårlighet"] {
        spans.push(find_chars(text, needle).unwrap());
    }
    spans.push(CharSpan::new(0, text.chars().count()));
    for span in &spans {
        f.project
            .code(NewCoding::new(f.interview, *span, f.plain))
            .unwrap();
    }
    let excerpts = f.project.excerpts(&CodingFilter::theme(f.plain)).unwrap();
    assert_eq!(excerpts.len(), spans.len());
    for e in excerpts {
        assert_eq!(e.quote, slice_chars(text, e.coding.span).unwrap());
    }
}
