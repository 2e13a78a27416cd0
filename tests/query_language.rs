//! The query language and the word analysis that indexing, querying and hit mapping share:
//! parsing and its errors, words and code points, stems, the language guess, edit distance.

use sitat::Error;
use sitat::index::language::{Lang, Stemmers, edit_distance, for_each_word, guess_language};
use sitat::index::query::{Filter, Node, parse};

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
