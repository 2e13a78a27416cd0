//! The query language and the text analysis that indexing, querying and hit mapping share:
//! parsing and its errors, words and code points, stems, the language guess, edit distance,
//! passages and KWIC lines.

use sitat::Error;
use sitat::index::language::{Lang, Stemmers, edit_distance, for_each_word, guess_language};
use sitat::index::query::{Filter, Node, parse};
use sitat::index::schema::{PASSAGE_MAX, passages};
use sitat::index::{KWIC_CONTEXT, kwic};
use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

#[test]
fn parses_the_language() {
    assert_eq!(parse("skjønn").unwrap(), Node::Word("skjønn".into()));
    assert_eq!(
        parse("a OR b -c").unwrap(),
        Node::Or(vec![
            Node::Word("a".into()),
            Node::And(vec![
                Node::Word("b".into()),
                Node::Not(Box::new(Node::Word("c".into())))
            ])
        ])
    );
    assert_eq!(
        parse("\"mer tillit\" skjønn* tilit~ actor:KS theme:\"Regler ↔ Skjønn\" uncoded").unwrap(),
        Node::And(vec![
            Node::Phrase(vec!["mer".into(), "tillit".into()]),
            Node::Prefix("skjønn".into()),
            Node::Fuzzy("tilit".into(), 1),
            Node::Filter(Filter::Actor("KS".into())),
            Node::Filter(Filter::Theme("Regler ↔ Skjønn".into())),
            Node::Filter(Filter::Uncoded),
        ])
    );
    assert_eq!(
        parse("skjønn NEAR/3 regler").unwrap(),
        Node::Near {
            left: "skjønn".into(),
            right: "regler".into(),
            distance: 3
        }
    );
    for bad_query in [
        "",
        "   ",
        "\"open",
        "(a",
        "a)",
        "a OR",
        "NOT",
        "foo:bar",
        "actor:",
        "a*~",
        "x~3",
        "a NEAR/x b",
        "()",
        "- ",
        "*",
        "a AND",
        "AND a",
        "\"\"",
        "s*",
    ] {
        assert!(
            matches!(parse(bad_query), Err(Error::BadQuery { .. })),
            "{bad_query:?} should be a bad query"
        );
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let nested = |depth: usize| format!("{}tillit{}", "(".repeat(depth), ")".repeat(depth));
    assert_eq!(parse(&nested(64)).unwrap(), Node::Word("tillit".into()));
    let nots = format!("{}tillit", "NOT ".repeat(63));
    assert!(parse(&format!("({nots})")).is_ok());
    for deep in [
        nested(65),
        nested(100_000),
        format!("{}tillit", "-".repeat(100_000)),
        format!("{}tillit", "NOT ".repeat(65)),
    ] {
        let Err(Error::BadQuery { reason, .. }) = parse(&deep) else {
            panic!("{}… should be a bad query", &deep[..20]);
        };
        assert!(reason.contains("nest more than 64 deep"), "{reason}");
    }
}

#[test]
fn words_keep_norwegian_letters_and_count_code_points() {
    let mut seen = Vec::new();
    for_each_word("Gå på 😀 SKJØNN, ga!", |w, lower| {
        seen.push((lower.to_string(), w.char_start, w.char_end, w.position))
    });
    assert_eq!(
        seen,
        vec![
            ("gå".into(), 0, 2, 0),
            ("på".into(), 3, 5, 1),
            ("skjønn".into(), 8, 14, 2),
            ("ga".into(), 16, 18, 3),
        ]
    );
}

#[test]
fn stems_and_languages() {
    let s = Stemmers::default();
    assert_ne!(s.stem(Lang::Norwegian, "gå"), s.stem(Lang::Norwegian, "ga"));
    assert_eq!(
        s.stem(Lang::Norwegian, "rettigheter"),
        s.stem(Lang::Norwegian, "rettighetene")
    );
    assert_eq!(
        guess_language("This is the trust reform and it works"),
        Lang::English
    );
    assert_eq!(guess_language("Det er tillit og skjønn"), Lang::Norwegian);
    assert_eq!(edit_distance("skjønn", "skjønm", 1), Some(1));
    assert_eq!(edit_distance("skjønn", "skjnøn", 1), Some(1));
    assert_eq!(edit_distance("skjønn", "skj", 2), None);
}

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
    for_each_word(text, |w, lower| {
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

#[test]
fn kwic_collapses_white_space_and_counts_a_run_as_one() {
    let body = "a\r\n\r\nb  c økt\t handlingsrom 😀 d\n\ne";
    let start = body.find("økt").unwrap();
    let end = body.find(" 😀").unwrap();
    let k = kwic(body, start, end);
    assert_eq!(k.left, "a b c ");
    assert_eq!(k.hit, "økt handlingsrom");
    assert_eq!(k.right, " 😀 d e");

    let long = format!("{} X {}", "æ ".repeat(40), " ø".repeat(40));
    let x = long.find('X').unwrap();
    let k = kwic(&long, x, x + 1);
    assert_eq!(k.left.chars().count(), KWIC_CONTEXT);
    assert_eq!(k.right.chars().count(), KWIC_CONTEXT);
    assert!(k.left.ends_with("æ ") && k.right.starts_with(" ø"));

    // Runs of white space of every kind count as one char, at the edge of a side too.
    let mixed = "Æ\u{a0}\u{a0}ø å\r\n\r\n😀 – \u{2003}x\u{3000}y\u{85}z\u{1680}w  ".repeat(9);
    let at = mixed.char_indices().nth(150).unwrap().0;
    let k = kwic(&mixed, at, at);
    assert_eq!(
        k.left.chars().count() + k.right.chars().count(),
        2 * KWIC_CONTEXT
    );
    assert!(!k.left.contains("  ") && !k.right.contains("  ") && !k.left.contains('\n'));
}

#[test]
fn long_paragraphs_are_cut_at_sentence_ends() {
    let sentence = "Dette er en setning om tillit og skjønn i kommunene. ";
    let text = sentence.repeat(100);
    let spans = passages(&text);
    assert!(spans.len() > 1);
    for w in spans.windows(2) {
        assert!(w[0].end <= w[1].start);
    }
    for s in &spans {
        assert!(s.len() <= PASSAGE_MAX);
        let t = sitat::text::slice_chars(&text, *s).unwrap();
        assert!(t.starts_with("Dette"), "{t:?}");
    }
}
