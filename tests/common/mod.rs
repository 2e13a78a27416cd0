//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use sitat::model::*;
use sitat::{NewSource, NewTheme, Project};

#[cfg(feature = "gui")]
pub mod ui;

/// A temporary folder that lives as long as the value.
pub struct TempProject {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn temp_path(name: &str) -> TempProject {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    TempProject { dir, path }
}

/// Every row the public API can see, as text: two equal dumps mean two equal projects.
pub fn dump(project: &Project) -> String {
    let mut out = String::new();
    for s in project.all_sources().unwrap() {
        out.push_str(&format!("{s:?}\n"));
        for t in project.speaker_turns(s.id).unwrap() {
            out.push_str(&format!("  {t:?}\n"));
        }
    }
    for a in project.actors().unwrap() {
        out.push_str(&format!("{a:?}\n"));
    }
    for p in project.persons().unwrap() {
        out.push_str(&format!("{p:?}\n"));
    }
    for t in project.themes().unwrap() {
        out.push_str(&format!("{t:?}\n"));
    }
    for c in project.coders().unwrap() {
        out.push_str(&format!("{c:?}\n"));
    }
    for c in project.all_codings().unwrap() {
        out.push_str(&format!("{c:?}\n"));
    }
    let mut memos = project.memos().unwrap();
    memos.sort_by_key(|m| m.id);
    for m in memos {
        out.push_str(&format!("{m:?}\n"));
    }
    out
}

/// A small project: two actors, three persons, an axis theme and a plain one, two sources.
pub struct Fixture {
    pub tmp: TempProject,
    pub project: Project,
    pub ks: ActorId,
    pub ffo: ActorId,
    pub eide: PersonId,
    pub crowo: PersonId,
    pub axis: ThemeId,
    pub plain: ThemeId,
    pub interview: SourceId,
    pub literature: SourceId,
}

pub const INTERVIEW_TEXT: &str =
    "Vi må få gå på skjønn 😀 i førstelinja.\nBrukerne trenger rettigheter, ikke vilkårlighet.";

pub fn fixture() -> Fixture {
    let tmp = temp_path("fixture.sitat");
    let mut project = Project::create(&tmp.path).unwrap();
    project.set_coder("tester");
    let ks = project
        .add_actor(
            "KS",
            "Kommunesektorens organisasjon",
            vec![Attribute {
                name: "role".into(),
                value: AttributeValue::Text("employer organisation".into()),
            }],
        )
        .unwrap();
    let ffo = project.add_actor("FFO", "", vec![]).unwrap();
    let eide = project
        .add_person("Helge Eide", ks, "områdedirektør")
        .unwrap();
    let crowo = project.add_person("Grete Crowo", ffo, "").unwrap();
    let axis = project
        .add_theme(NewTheme {
            name: "Regler ↔ Skjønn".into(),
            poles: Some(Poles {
                negative: "Regler".into(),
                positive: "Skjønn".into(),
            }),
            ..Default::default()
        })
        .unwrap();
    let plain = project
        .add_theme(NewTheme {
            name: "Brukermedvirkning".into(),
            color: Some("#336699".into()),
            ..Default::default()
        })
        .unwrap();
    let mut interview = NewSource::new(SourceKind::Interview, "Intervju", INTERVIEW_TEXT);
    interview.person_id = Some(eide);
    let interview = project.add_source(interview).unwrap();
    let literature = project
        .add_source(NewSource::new(
            SourceKind::Literature,
            "Kapittel 2",
            "Tillit i begge retninger: æøå.",
        ))
        .unwrap();
    Fixture {
        tmp,
        project,
        ks,
        ffo,
        eide,
        crowo,
        axis,
        plain,
        interview,
        literature,
    }
}
