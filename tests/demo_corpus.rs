//! The embedded demo corpus: who said what, every excerpt coded, clean text, the bibliography.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use sitat::corpus::{demo_manifest, write_demo_project};
use sitat::model::SourceKind;
use sitat::{CodingFilter, Project};

fn demo() -> (common::TempProject, Project) {
    let tmp = common::temp_path("demo.sitat");
    let project = write_demo_project(&tmp.path).unwrap();
    (tmp, project)
}

fn fixture_rows(name: &str) -> Vec<Vec<String>> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn seven_persons_across_four_actors() {
    let (_tmp, project) = demo();
    let actors = project.actors().unwrap();
    let names: BTreeSet<_> = actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, BTreeSet::from(["FFO", "KDD", "KS", "LO"]));
    let persons = project.persons().unwrap();
    let by_actor: BTreeMap<String, BTreeSet<String>> =
        persons.iter().fold(BTreeMap::new(), |mut map, p| {
            let actor = actors.iter().find(|a| a.id == p.actor_id).unwrap();
            map.entry(actor.name.clone())
                .or_default()
                .insert(p.name.clone());
            map
        });
    let expected: BTreeMap<String, BTreeSet<String>> = [
        ("FFO", vec!["Grete Crowo", "Lilly Ann Elvestad"]),
        ("KDD", vec!["Gunn Karin Gjul"]),
        ("KS", vec!["Helge Eide", "Therese Håkonsen Karlseng"]),
        ("LO", vec!["Ragnar Bøe Elgsaas", "Roger Heimli"]),
    ]
    .into_iter()
    .map(|(a, ps)| (a.to_string(), ps.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(by_actor, expected);
    for actor in &actors {
        assert!(
            actor.attribute("role").is_some(),
            "{} has a role",
            actor.name
        );
    }
}

#[test]
fn every_interview_quote_is_present_and_attributed() {
    let (_tmp, project) = demo();
    let manifest = demo_manifest().unwrap();
    let persons = project.persons().unwrap();
    let sources = project.all_sources().unwrap();
    let rows = fixture_rows("demo_quote_checks.tsv");
    assert!(rows.len() >= 20, "the note has over 20 interview quotes");
    for row in rows {
        let (key, fragment) = (&row[0], &row[1]);
        let name = &manifest
            .persons
            .iter()
            .find(|p| &p.key == key)
            .unwrap()
            .name;
        let person = persons.iter().find(|p| &p.name == name).unwrap();
        let found = sources.iter().any(|s| {
            s.kind == SourceKind::Interview
                && s.person_id == Some(person.id)
                && s.text.contains(fragment.as_str())
        });
        assert!(found, "{fragment:?} is an interview source of {name}");
    }
    for source in sources.iter().filter(|s| s.kind == SourceKind::Interview) {
        assert!(source.person_id.is_some(), "{} is attributed", source.title);
    }
}

#[test]
fn every_interview_excerpt_is_coded_and_the_axes_carry_stances() {
    let (_tmp, project) = demo();
    for source in project.sources().unwrap() {
        if source.kind == SourceKind::Interview {
            assert!(source.coding_count > 0, "{} is coded", source.title);
        }
    }
    let axes: Vec<_> = project
        .themes()
        .unwrap()
        .into_iter()
        .filter(|t| t.is_axis())
        .collect();
    assert_eq!(axes.len(), 2);
    for axis in axes {
        let excerpts = project.excerpts(&CodingFilter::theme(axis.id)).unwrap();
        assert!(
            excerpts.iter().any(|e| e.coding.stance.is_some()),
            "{} has stances",
            axis.name
        );
    }
    assert!(project.theme_by_name("Brukermedvirkning").is_ok());
    assert_eq!(project.check().unwrap(), Vec::<String>::new());
}

#[test]
fn the_text_has_no_pdf_artefacts() {
    let (_tmp, project) = demo();
    let all: String = project
        .all_sources()
        .unwrap()
        .into_iter()
        .map(|s| s.text + "\n")
        .collect();
    for row in fixture_rows("demo_dehyphenation.tsv") {
        assert!(all.contains(&row[0]), "joined word {:?} present", row[0]);
    }
    for row in fixture_rows("demo_real_hyphens.tsv") {
        assert!(all.contains(&row[0]), "real hyphen kept in {:?}", row[0]);
    }
    for artefact in ["Fafo-notat 2020:10", "skis-\n", "ba-\nlansen", "  ,"] {
        assert!(!all.contains(artefact), "{artefact:?} was cleaned");
    }
    // A line-end hyphen followed by a lower-case word is a broken word, unless it is a
    // suspended compound ("rapporterings- og").
    let chars: Vec<char> = all.chars().collect();
    for i in 1..chars.len().saturating_sub(3) {
        if chars[i] == '-' && chars[i - 1].is_lowercase() && chars[i + 1] == '\n' {
            let next: String = chars[i + 2..]
                .iter()
                .take_while(|c| c.is_alphabetic())
                .collect();
            assert!(
                !next.starts_with(char::is_lowercase) || ["og", "eller"].contains(&next.as_str()),
                "broken word at …{}…",
                chars[i.saturating_sub(20)..(i + 20).min(chars.len())]
                    .iter()
                    .collect::<String>()
            );
        }
    }
}

#[test]
fn the_bibliography_is_present() {
    let (_tmp, project) = demo();
    let references: Vec<_> = project
        .all_sources()
        .unwrap()
        .into_iter()
        .filter(|s| s.kind == SourceKind::Reference)
        .collect();
    assert!(references.len() >= 15, "{} references", references.len());
    assert!(references.iter().any(|r| r.text.contains("Christensen")));
    let literature = project
        .sources()
        .unwrap()
        .into_iter()
        .filter(|s| s.kind == SourceKind::Literature)
        .count();
    assert!(
        literature >= 10,
        "the note's sections are literature passages"
    );
}
