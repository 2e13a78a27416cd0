//! Undo then redo of every command kind restores the exact earlier state, with audit rows.

mod common;

use common::{dump, fixture};
use sitat::model::*;
use sitat::text::find_chars;
use sitat::{Command, NewCoding, NewSource, NewTheme, Project};

/// Runs one change, then checks undo gives back the state before and redo the state after, and
/// that do, undo and redo each wrote an audit row.
fn round_trip(project: &mut Project, what: &str, change: impl FnOnce(&mut Project)) {
    let before = dump(project);
    let audit_before = project.audit(usize::MAX >> 1).unwrap().len();
    change(project);
    let after = dump(project);
    assert_ne!(before, after, "{what}: the change changed nothing");
    let undone = project.undo().unwrap();
    assert_eq!(dump(project), before, "{what}: undo");
    let redone = project.redo().unwrap();
    assert_eq!(undone, redone);
    assert_eq!(dump(project), after, "{what}: redo");
    let audit = project.audit(3).unwrap();
    assert_eq!(
        project.audit(usize::MAX >> 1).unwrap().len(),
        audit_before + 3,
        "{what}: audit rows"
    );
    let actions: Vec<&str> = audit.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["redo", "undo", "do"], "{what}");
    assert_eq!(audit[0].kind, redone.command.kind());
}

#[test]
fn every_command_kind_undoes_and_redoes_exactly() {
    let mut f = fixture();
    let (axis, plain, interview, eide, ks) = (f.axis, f.plain, f.interview, f.eide, f.ks);
    let p = &mut f.project;

    round_trip(p, "add actor", |p| {
        p.add_actor("LO", "Landsorganisasjonen", vec![]).unwrap();
    });
    round_trip(p, "update actor", |p| {
        let before = p.actor(ks).unwrap();
        let mut after = before.clone();
        after.full_name = "KS – Kommunesektorens organisasjon".into();
        after.attributes.push(Attribute {
            name: "members".into(),
            value: AttributeValue::Integer(356),
        });
        p.apply(Command::UpdateActor { before, after }).unwrap();
    });
    round_trip(p, "add person", |p| {
        p.add_person("Therese Håkonsen Karlseng", ks, "").unwrap();
    });
    round_trip(p, "update person", |p| {
        let before = p.person(eide).unwrap();
        let mut after = before.clone();
        after.title = "direktør".into();
        p.apply(Command::UpdatePerson { before, after }).unwrap();
    });
    round_trip(p, "add theme", |p| {
        p.add_theme(NewTheme {
            name: "Ressurser".into(),
            parent_id: Some(plain),
            ..Default::default()
        })
        .unwrap();
    });
    round_trip(p, "update theme", |p| {
        let mut theme = p.theme(axis).unwrap();
        theme.description = "Regler mot skjønn".into();
        theme.color = "#123456".into();
        p.update_theme(theme).unwrap();
    });
    round_trip(p, "add source with turns", |p| {
        let mut source = NewSource::new(SourceKind::Interview, "Samtale", "A: hei\nB: hå 😀");
        source.turns = vec![(CharSpan::new(0, 6), eide)];
        p.add_source(source).unwrap();
    });
    round_trip(p, "update source", |p| {
        let mut source = p.source(interview).unwrap();
        source.title = "Intervju med KS".into();
        source.metadata.push(("date".into(), "2022-06-01".into()));
        p.update_source(source).unwrap();
    });
    let span = find_chars(common::INTERVIEW_TEXT, "skjønn 😀").unwrap();
    round_trip(p, "code", |p| {
        let mut new = NewCoding::new(interview, span, axis);
        new.stance = Some(2);
        p.code(new).unwrap();
    });
    let coding = p.all_codings().unwrap()[0].id;
    round_trip(p, "set stance", |p| p.set_stance(coding, Some(-1)).unwrap());
    round_trip(p, "clear stance", |p| p.set_stance(coding, None).unwrap());
    round_trip(p, "coding memo", |p| {
        p.set_coding_memo(coding, "tydelig standpunkt").unwrap()
    });
    round_trip(p, "recode", |p| p.recode(coding, plain).unwrap());
    round_trip(p, "code many", |p| {
        p.code_many(
            "code hits",
            vec![
                NewCoding::new(interview, CharSpan::new(0, 2), plain),
                NewCoding::new(interview, CharSpan::new(3, 6), axis),
            ],
        )
        .unwrap();
    });
    round_trip(p, "code in vivo", |p| {
        p.code_in_vivo(
            interview,
            find_chars(common::INTERVIEW_TEXT, "førstelinja").unwrap(),
        )
        .unwrap();
    });
    round_trip(p, "add memo", |p| {
        p.add_memo(MemoTarget::Coding(coding), "Tanke", "æøå")
            .unwrap();
    });
    let memo = p.memos().unwrap()[0].id;
    round_trip(p, "update memo", |p| {
        p.update_memo(memo, "Tanke", "endret").unwrap()
    });
    round_trip(p, "remove coding with its memo", |p| {
        p.remove_coding(coding).unwrap()
    });
    let project_memo = p
        .add_memo(MemoTarget::Project, "Prosjekt", "notat")
        .unwrap();
    round_trip(p, "remove memo", |p| p.remove_memo(project_memo).unwrap());
    round_trip(p, "merge themes", |p| p.merge_themes(plain, axis).unwrap());
    round_trip(p, "remove theme with codings and children", |p| {
        p.remove_theme(axis).unwrap()
    });
    round_trip(p, "remove source with codings", |p| {
        p.remove_source(interview).unwrap()
    });
    let new_person = p.add_person("Ny", ks, "").unwrap();
    round_trip(p, "remove person", |p| {
        let person = p.person(new_person).unwrap();
        p.apply(Command::RemovePerson(person)).unwrap();
    });
    let new_actor = p.add_actor("NHO", "", vec![]).unwrap();
    round_trip(p, "remove actor", |p| {
        let actor = p.actor(new_actor).unwrap();
        p.apply(Command::RemoveActor(actor)).unwrap();
    });
}

#[test]
fn undo_of_everything_returns_to_an_empty_project_and_redo_replays_it() {
    let mut f = fixture();
    let full = dump(&f.project);
    let mut undone = 0;
    while f.project.can_undo() {
        f.project.undo().unwrap();
        undone += 1;
    }
    assert_eq!(dump(&f.project), "", "all undone");
    for _ in 0..undone {
        f.project.redo().unwrap();
    }
    assert_eq!(dump(&f.project), full);
    assert!(matches!(f.project.redo(), Err(sitat::Error::NothingToRedo)));
}

#[test]
fn a_new_change_clears_redo() {
    let mut f = fixture();
    f.project
        .code(NewCoding::new(f.interview, CharSpan::new(0, 2), f.plain))
        .unwrap();
    f.project.undo().unwrap();
    assert!(f.project.can_redo());
    f.project
        .code(NewCoding::new(f.interview, CharSpan::new(3, 5), f.plain))
        .unwrap();
    assert!(!f.project.can_redo());
}

/// The Undo and Redo items, the history and the command line name a change by what it touches
/// — a short quote, a theme's or a source's name — never by ids or character offsets.
#[test]
fn undo_labels_name_quotes_themes_and_sources_not_ids() {
    let mut f = fixture();
    let p = &mut f.project;
    let label = |p: &Project| p.undo_summary().unwrap();
    let text = common::INTERVIEW_TEXT;

    let span = find_chars(text, "Brukerne trenger rettigheter").unwrap();
    let coding = p.code(NewCoding::new(f.interview, span, f.plain)).unwrap();
    assert_eq!(label(p), "code «Brukerne trenger…» → Brukermedvirkning");
    let short = find_chars(text, "skjønn 😀").unwrap();
    let on_axis = p.code(NewCoding::new(f.interview, short, f.axis)).unwrap();
    assert_eq!(label(p), "code «skjønn 😀» → Regler ↔ Skjønn");
    p.set_stance(on_axis, Some(2)).unwrap();
    assert_eq!(label(p), "set stance +2 on «skjønn 😀» → Regler ↔ Skjønn");
    p.set_coding_memo(coding, "Viktig").unwrap();
    assert_eq!(
        label(p),
        "edit the memo of «Brukerne trenger…» → Brukermedvirkning"
    );
    p.add_memo(MemoTarget::Coding(coding), "Tanke om brukerne", "")
        .unwrap();
    assert_eq!(
        label(p),
        "add memo «Tanke om brukerne» on coding «Brukerne trenger…» → Brukermedvirkning"
    );

    let mut theme = p.theme(f.plain).unwrap();
    theme.name = "Medvirkning".into();
    p.update_theme(theme).unwrap();
    assert_eq!(label(p), "rename theme Brukermedvirkning to Medvirkning");
    // A coding removed with its memo is one step, named by the coding.
    p.remove_coding(coding).unwrap();
    assert_eq!(label(p), "remove coding «Brukerne trenger…» → Medvirkning");

    let mut source = p.source(f.interview).unwrap();
    source.title = "Intervju med KS".into();
    p.update_source(source.clone()).unwrap();
    assert_eq!(label(p), "rename source «Intervju» to «Intervju med KS»");
    source.person_id = Some(f.crowo);
    p.update_source(source.clone()).unwrap();
    assert_eq!(label(p), "attribute «Intervju med KS» to Grete Crowo");
    source.kind = SourceKind::Note;
    p.update_source(source.clone()).unwrap();
    assert_eq!(label(p), "make «Intervju med KS» a source of kind note");
    source.metadata = vec![("date".into(), "2024-03-01".into())];
    p.update_source(source).unwrap();
    assert_eq!(label(p), "edit the details of «Intervju med KS»");
    p.remove_source(f.interview).unwrap();
    assert_eq!(label(p), "delete source «Intervju med KS»");

    // Undo and redo report the change by the same name; the history says which was which.
    let undone = p.undo().unwrap();
    assert_eq!(undone.summary, "delete source «Intervju med KS»");
    assert_eq!(
        p.undo_summary().unwrap(),
        "edit the details of «Intervju med KS»"
    );
    assert_eq!(p.redo_summary().unwrap(), undone.summary);
    let audit = p.audit(1).unwrap();
    assert_eq!(
        (audit[0].action.as_str(), audit[0].summary.as_str()),
        ("undo", "delete source «Intervju med KS»")
    );
}
