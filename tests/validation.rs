//! Bad input is refused with a typed error and nothing is half-written.

mod common;

use common::{dump, fixture};
use sitat::model::*;
use sitat::{Error, NewCoding, NewTheme};

#[test]
fn bad_codings_are_refused_and_leave_no_trace() {
    let mut f = fixture();
    let before = dump(&f.project);
    let len = common::INTERVIEW_TEXT.chars().count();
    type Expectation = fn(&Error) -> bool;
    let cases: Vec<(NewCoding, Expectation)> = vec![
        (
            NewCoding::new(f.interview, CharSpan::new(len - 2, len + 1), f.plain),
            |e| matches!(e, Error::SpanOutOfRange { .. }),
        ),
        (
            NewCoding::new(f.interview, CharSpan::new(5, 3), f.plain),
            |e| matches!(e, Error::EmptySpan(_)),
        ),
        (
            NewCoding::new(f.interview, CharSpan::new(4, 4), f.plain),
            |e| matches!(e, Error::EmptySpan(_)),
        ),
        (
            NewCoding {
                stance: Some(1),
                ..NewCoding::new(f.interview, CharSpan::new(0, 3), f.plain)
            },
            |e| matches!(e, Error::StanceOnNonAxisTheme { .. }),
        ),
        (
            NewCoding {
                stance: Some(3),
                ..NewCoding::new(f.interview, CharSpan::new(0, 3), f.axis)
            },
            |e| matches!(e, Error::StanceOutOfRange(3)),
        ),
        (
            NewCoding::new(SourceId(999), CharSpan::new(0, 1), f.plain),
            |e| {
                matches!(
                    e,
                    Error::UnknownId {
                        what: "source",
                        id: 999
                    }
                )
            },
        ),
        (
            NewCoding::new(f.interview, CharSpan::new(0, 1), ThemeId(999)),
            |e| {
                matches!(
                    e,
                    Error::UnknownId {
                        what: "theme",
                        id: 999
                    }
                )
            },
        ),
    ];
    for (new, expected) in cases {
        let error = f.project.code(new.clone()).expect_err("refused");
        assert!(expected(&error), "{new:?} gave {error:?}");
        assert!(!error.to_string().is_empty());
    }
    assert_eq!(
        dump(&f.project),
        before,
        "nothing written, not even the coder"
    );
    // A stance on an axis theme at the bounds is fine.
    let mut ok = NewCoding::new(f.interview, CharSpan::new(len - 1, len), f.axis);
    ok.stance = Some(-2);
    f.project.code(ok).unwrap();
}

#[test]
fn bad_themes_are_refused() {
    let mut f = fixture();
    let before = dump(&f.project);
    let empty = f.project.add_theme(NewTheme::default()).expect_err("empty");
    assert!(matches!(empty, Error::EmptyThemeName));
    let blank = f
        .project
        .add_theme(NewTheme {
            name: "   ".into(),
            ..Default::default()
        })
        .expect_err("blank");
    assert!(matches!(blank, Error::EmptyThemeName));
    let duplicate = f
        .project
        .add_theme(NewTheme {
            name: "brukermedvirkning".into(),
            ..Default::default()
        })
        .expect_err("duplicate, case-insensitively");
    assert!(matches!(duplicate, Error::DuplicateThemeName(_)));
    let colour = f
        .project
        .add_theme(NewTheme {
            name: "Farge".into(),
            color: Some("red".into()),
            ..Default::default()
        })
        .expect_err("colour");
    assert!(matches!(colour, Error::BadColour(_)));
    assert_eq!(dump(&f.project), before);

    // A theme cannot become its own grandchild.
    let child = f
        .project
        .add_theme(NewTheme {
            name: "Barn".into(),
            parent_id: Some(f.plain),
            ..Default::default()
        })
        .unwrap();
    let mut parent = f.project.theme(f.plain).unwrap();
    parent.parent_id = Some(child);
    assert!(matches!(
        f.project.update_theme(parent),
        Err(Error::ThemeCycle(_))
    ));

    // An axis theme with stances cannot lose its poles.
    let mut coding = NewCoding::new(f.interview, CharSpan::new(0, 2), f.axis);
    coding.stance = Some(1);
    f.project.code(coding).unwrap();
    let mut axis = f.project.theme(f.axis).unwrap();
    axis.poles = None;
    assert!(matches!(
        f.project.update_theme(axis),
        Err(Error::StanceOnNonAxisTheme { .. })
    ));
}

#[test]
fn unknown_ids_and_names_are_typed_errors() {
    let mut f = fixture();
    assert!(matches!(
        f.project.source(SourceId(77)),
        Err(Error::UnknownId { .. })
    ));
    assert!(matches!(
        f.project.remove_coding(CodingId(77)),
        Err(Error::UnknownCoding(_))
    ));
    assert!(matches!(
        f.project.set_stance(CodingId(77), Some(1)),
        Err(Error::UnknownCoding(_))
    ));
    let person = f
        .project
        .add_person("X", ActorId(77), "")
        .expect_err("no such actor");
    assert!(matches!(person, Error::UnknownId { what: "actor", .. }));
    let theme = f.project.theme_by_name("Finnes ikke").expect_err("unknown");
    assert!(
        theme.to_string().contains("Brukermedvirkning"),
        "lists the themes: {theme}"
    );
    assert!(f.project.actor_by_name("ks").is_ok());
}

#[test]
fn check_finds_no_problems_in_a_healthy_project() {
    let f = fixture();
    assert_eq!(f.project.check().unwrap(), Vec::<String>::new());
}
