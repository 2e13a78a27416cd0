//! REFI-QDA projects as NVivo, ATLAS.ti, MAXQDA and QualCoder write them (synthetic fixtures in
//! tests/fixtures/refi-tools/, made for these tests with each tool's quirks): every quote must
//! land on the words the fixture meant, and the report must say what was not imported and how
//! each source's positions were read.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use sitat::export::{self, ExportFormat};
use sitat::import::{self, ImportOptions, ImportReport};
use sitat::model::*;
use sitat::{CodingFilter, NewCoding, NewSource, NewTheme, Project};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/refi-tools/");

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_below(&path, out);
        } else if path.file_name().unwrap() != ".gitattributes" {
            out.push(path);
        }
    }
}

/// The fixture folder `name` packed as a .qdpx, entries named as in the folder.
fn qdpx_of(name: &str, into: &Path) -> PathBuf {
    let dir = Path::new(FIXTURES).join(name);
    let mut files = Vec::new();
    files_below(&dir, &mut files);
    files.sort();
    let out = into.join(format!("{name}.qdpx"));
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&out).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for file in files {
        let entry = file.strip_prefix(&dir).unwrap().to_str().unwrap();
        zip.start_file(entry.replace('\\', "/"), options).unwrap();
        zip.write_all(&std::fs::read(&file).unwrap()).unwrap();
    }
    zip.finish().unwrap();
    out
}

fn import_with(project: &mut Project, file: &Path, options: &ImportOptions) -> ImportReport {
    import::import_paths(project, &[file.to_path_buf()], options).unwrap()
}

/// A theme's path from the top of the tree: "Holdning/Positiv".
fn theme_path(themes: &[Theme], id: ThemeId) -> String {
    let theme = themes.iter().find(|t| t.id == id).unwrap();
    match theme.parent_id {
        Some(parent) => format!("{}/{}", theme_path(themes, parent), theme.name),
        None => theme.name.clone(),
    }
}

/// Every coding as (theme path, quote), sorted.
fn quotes(project: &Project) -> Vec<(String, String)> {
    let themes = project.themes().unwrap();
    let mut out: Vec<(String, String)> = project
        .excerpts(&CodingFilter::default())
        .unwrap()
        .into_iter()
        .map(|e| (theme_path(&themes, e.coding.theme_id), e.quote))
        .collect();
    out.sort();
    out
}

fn expected(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = pairs
        .iter()
        .map(|(t, q)| (t.to_string(), q.to_string()))
        .collect();
    out.sort();
    out
}

fn reading_of<'r>(report: &'r ImportReport, source: &str) -> &'r import::refi::ReadingChoice {
    &report
        .position_readings
        .iter()
        .find(|r| r.source == source)
        .unwrap_or_else(|| panic!("no reading for {source}: {report:?}"))
        .choice
}

#[test]
fn nvivo_windows_utf16_positions_with_emoji_crlf_and_bom() {
    let tmp = common::temp_path("nvivo.sitat");
    let qdpx = qdpx_of("nvivo-windows", tmp.dir.path());
    let mut p = Project::create(&tmp.path).unwrap();
    let report = import_with(&mut p, &qdpx, &ImportOptions::default());
    assert_eq!(
        quotes(&p),
        expected(&[
            ("Holdning/Positiv", "Elsker den nye ordningen"),
            ("Tema/Skjønn", "bruke skjønn"),
            ("Tema/Skjønn", "𝔘nntak"),
            ("Holdning/Negativ", "rapporteringen er like tung"),
            // Ends at the last UTF-16 unit of the text.
            ("Holdning/Negativ", "Slutt på tilliten?"),
            ("Holdning/Positiv", "Mer tid til elevene"),
            ("Tema/Tillit", "De stoler på oss nå."),
            ("Tema/Tillit", "bare æøå"),
        ]),
        "{}",
        report.to_text()
    );
    assert!(report.not_imported.is_empty(), "{:?}", report.not_imported);
    let utf16 = import::refi::PositionReading::NVIVO;
    let tweets = reading_of(&report, "Tweets");
    assert_eq!(
        (tweets.reading, tweets.moved, tweets.positions),
        (utf16, 8, 10)
    );
    let interview = reading_of(&report, "Intervju med lærer");
    assert_eq!((interview.reading, interview.moved), (utf16, 4));
    assert!(!reading_of(&report, "Notat").decided);
    let text = report.to_text();
    assert!(
        text.contains(
            "positions in \"Tweets\" read as UTF-16 units, a line break \\r\\n as two: 8 of 10 moved"
        ),
        "{text}"
    );
    assert!(
        text.contains("positions in 1 source read as code points"),
        "{text}"
    );
    // The case holding a source is its speaker; the coder is kept.
    let excerpts = p.excerpts(&CodingFilter::default()).unwrap();
    let tillit = excerpts
        .iter()
        .find(|e| e.quote.starts_with("De stoler"))
        .unwrap();
    assert_eq!(tillit.person_name.as_deref(), Some("Lærer 1"));
    assert!(excerpts.iter().all(|e| e.coder_name == "Ingrid"));
    let source = p.source(tillit.coding.source_id).unwrap();
    assert!(source.text.starts_with("Intervjuer: Hva") && !source.text.contains('\r'));
    assert!(p.check().unwrap().is_empty());
}

#[test]
fn nvivo_mac_lower_case_sources_folder_and_a_text_not_exported() {
    let tmp = common::temp_path("mac.sitat");
    let qdpx = qdpx_of("nvivo-mac", tmp.dir.path());
    let mut p = Project::create(&tmp.path).unwrap();
    let report = import_with(&mut p, &qdpx, &ImportOptions::default());
    assert_eq!(quotes(&p), expected(&[("Positiv", "nå er det bedre.")]));
    assert_eq!(report.sources.len(), 1);
    assert_eq!(
        report.not_imported,
        vec![
            "source \"Ikke eksportert\": its text is empty (the tool did not export it); its 2 codings are lost with it"
                .to_string()
        ]
    );
}

#[test]
fn atlas_ti_crlf_as_one_and_group_names_rebuilt_as_a_tree() {
    let tmp = common::temp_path("atlas.sitat");
    let qdpx = qdpx_of("atlas", tmp.dir.path());
    let mut p = Project::create(&tmp.path).unwrap();
    let report = import_with(&mut p, &qdpx, &ImportOptions::default());
    let long = "Dokumentasjonskravene tar fortsatt for mye tid";
    assert_eq!(
        quotes(&p),
        expected(&[
            ("Tema/Tillit", "mer tillit fra ledelsen"),
            ("Holdning/Positiv", "mer tillit fra ledelsen"),
            ("Tema/Dokumentasjon", long),
            ("Holdning/Negativ", long),
            ("Holdning/Negativ", "Travel"),
        ]),
        "{}",
        report.to_text()
    );
    assert_eq!(report.themes, 6, "two groups, four codes");
    assert!(report.not_imported.is_empty(), "{:?}", report.not_imported);
    let reading = reading_of(&report, "Sykepleier 3");
    assert_eq!(reading.reading, import::refi::PositionReading::CRLF_AS_ONE);
    assert!(report.to_text().contains("a line break \\r\\n as one"));
    assert!(
        report
            .to_text()
            .contains("rebuilt as a tree under 2 group themes")
    );
    // The selection's Description is the memo of both its codings.
    let excerpts = p.excerpts(&CodingFilter::default()).unwrap();
    let memos: Vec<&str> = excerpts
        .iter()
        .filter(|e| e.quote == long)
        .map(|e| e.coding.memo.as_str())
        .collect();
    assert_eq!(memos, ["Klager på skjemaveldet."; 2]);
    assert_eq!(p.theme_by_name("Positiv").unwrap().color, "#00aa00");

    // Asked to keep the names flat.
    let mut flat = Project::create(tmp.dir.path().join("flat.sitat")).unwrap();
    let options = ImportOptions {
        rebuild_code_groups: false,
        ..Default::default()
    };
    import_with(&mut flat, &qdpx, &options);
    let names: Vec<String> = flat.themes().unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(names.len(), 4);
    assert!(names.iter().all(|n| n.contains("::")), "{names:?}");
    assert!(quotes(&flat).contains(&("Holdning::Negativ".to_string(), "Travel".to_string())));
}

#[test]
fn atlas_ti_codebook_with_old_schema_location() {
    let tmp = common::temp_path("qdc.sitat");
    let mut p = Project::create(&tmp.path).unwrap();
    let qdc = Path::new(FIXTURES).join("atlas-codebook.qdc");
    let report = import_with(&mut p, &qdc, &ImportOptions::default());
    assert_eq!(report.themes, 5);
    let themes = p.themes().unwrap();
    let mut paths: Vec<String> = themes.iter().map(|t| theme_path(&themes, t.id)).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "Holdning",
            "Holdning/Negativ",
            "Holdning/Positiv",
            "Tema",
            "Tema/Tillit"
        ]
    );
    assert_eq!(
        p.theme_by_name("Tillit").unwrap().description,
        "Tillit mellom ledelse og ansatte."
    );
    // The same codebook again joins the themes by their paths.
    let again = import_with(&mut p, &qdc, &ImportOptions::default());
    assert_eq!(again.themes, 0);
    assert!(
        again
            .warnings
            .iter()
            .any(|w| w
                == "code \"Holdning/Positiv\" joined the existing theme \"Positiv\" (same path)"),
        "{:?}",
        again.warnings
    );
}

#[test]
fn maxqda_upper_case_guids_descriptions_without_codings_and_smaller_losses() {
    let tmp = common::temp_path("maxqda.sitat");
    let qdpx = qdpx_of("maxqda", tmp.dir.path());
    let mut p = Project::create(&tmp.path).unwrap();
    let report = import_with(&mut p, &qdpx, &ImportOptions::default());
    assert_eq!(
        quotes(&p),
        expected(&[
            ("Positiv", "mer handlingsrom"),
            ("Negativ", "for mye rapportering"),
            ("Positiv", "Lederne stoler mer på oss"),
            ("Negativ", "færre skjema"),
        ]),
        "{}",
        report.to_text()
    );
    // CRLF counted as two, as the standard says: decided, nothing moved.
    let reading = reading_of(&report, "Fokusgruppe mai");
    assert_eq!(reading.reading, import::refi::PositionReading::STANDARD);
    assert!(reading.decided && reading.moved == 0);
    // Duplicate names kept; the untitled source named after its file.
    let titles: Vec<String> = p.sources().unwrap().into_iter().map(|s| s.title).collect();
    assert_eq!(titles, ["Intervju", "Intervju", "Fokusgruppe mai"]);
    // The missing text, with its codings counted.
    assert_eq!(
        report.not_imported,
        vec![
            "source \"Borte\": its text internal://ABCDEF00-0000-4000-8000-000000000033.txt is not in the archive; its 3 codings are lost with it"
                .to_string()
        ]
    );
    // A selection's Description without a Coding: a memo on its source.
    let first = report.sources[0].0;
    let memos = p.memos_of(MemoTarget::Source(first)).unwrap();
    assert_eq!(memos.len(), 1);
    assert_eq!(memos[0].title, "On “Den gir oss mer handlingsrom.”");
    assert_eq!(memos[0].text, "Viktig sitat om handlingsrom.");
    // A Note's Description kept before its text.
    let project_memos = p.memos_of(MemoTarget::Project).unwrap();
    assert_eq!(project_memos.len(), 1);
    assert_eq!(
        project_memos[0].text,
        "Oppsummering: reformen i praksis.\n\nFørste runde ferdig."
    );
    assert_eq!(report.memos, 2);
    // A Case without a name, speaker of the second interview.
    let second = p
        .excerpts(&CodingFilter::default())
        .unwrap()
        .into_iter()
        .find(|e| e.quote.starts_with("Lederne"))
        .unwrap();
    assert_eq!(second.person_name.as_deref(), Some("(unnamed case)"));
    assert_eq!(second.coder_name, "FORSKER");
    assert!(p.check().unwrap().is_empty());
}

#[test]
fn codes_of_the_same_name_under_different_parents_stay_apart() {
    let tmp = common::temp_path("same.sitat");
    let qdpx = qdpx_of("same-names", tmp.dir.path());
    let mut p = Project::create(&tmp.path).unwrap();
    let report = import_with(&mut p, &qdpx, &ImportOptions::default());
    let meant = expected(&[
        ("Teachers/Positive", "Teachers are pleased"),
        ("Students/Positive (Students)", "Students are pleased too"),
        ("Teachers/Negative", "Teachers complain about time"),
    ]);
    assert_eq!(quotes(&p), meant, "{}", report.to_text());
    assert_eq!(report.themes, 5);
    assert!(
        !report.warnings.iter().any(|w| w.contains("joined")),
        "{:?}",
        report.warnings
    );
    assert!(report.warnings.contains(
        &"code \"Students/Positive\" imported as \"Positive (Students)\": a theme named \"Positive\" exists already and theme names are unique"
            .to_string()
    ));

    // Imported again, each code finds its own theme by its path.
    let again = import_with(&mut p, &qdpx, &ImportOptions::default());
    assert_eq!(again.themes, 0, "{:?}", again.warnings);
    let mut twice: Vec<(String, String)> =
        meant.iter().flat_map(|m| [m.clone(), m.clone()]).collect();
    twice.sort();
    assert_eq!(quotes(&p), twice);
    assert!(again.warnings.contains(
        &"code \"Students/Positive\" joined the existing theme \"Positive (Students)\" (same path)"
            .to_string()
    ));
}

#[test]
fn origin_is_a_hint_not_proof() {
    // A library rewrote an NVivo file to code points and kept its origin.
    let text = "Glad 😀 i dag. Trist 😢 i går.";
    let qde = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Omskrevet" origin="NVivo 12 (Windows)">
  <CodeBook><Codes><Code guid="1" name="Følelse" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="2" name="Dagbok">
      <PlainTextContent>{text}</PlainTextContent>
      <PlainTextSelection guid="3" startPosition="14" endPosition="19"><Coding guid="4"><CodeRef targetGUID="1"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="5" startPosition="22" endPosition="28"><Coding guid="6"><CodeRef targetGUID="1"/></Coding></PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"#
    );
    let tmp = common::temp_path("hint.sitat");
    let qdpx = tmp.dir.path().join("omskrevet.qdpx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&qdpx).unwrap());
    zip.start_file("project.qde", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(qde.as_bytes()).unwrap();
    zip.finish().unwrap();
    let mut p = Project::create(&tmp.path).unwrap();
    let report = import_with(&mut p, &qdpx, &ImportOptions::default());
    assert_eq!(
        quotes(&p),
        expected(&[("Følelse", "Trist"), ("Følelse", "i går.")])
    );
    assert_eq!(
        reading_of(&report, "Dagbok").reading,
        import::refi::PositionReading::STANDARD
    );
}

#[test]
fn an_empty_project_says_so() {
    let tmp = common::temp_path("tom.sitat");
    let qdpx = tmp.dir.path().join("tom.qdpx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&qdpx).unwrap());
    zip.start_file("project.qde", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="Tom" origin="NVivo"><Sources/></Project>"#,
    )
    .unwrap();
    zip.finish().unwrap();
    let mut p = Project::create(&tmp.path).unwrap();
    let text = import_with(&mut p, &qdpx, &ImportOptions::default()).to_text();
    assert!(text.contains("nothing was imported"), "{text}");
    assert!(
        text.contains("the project is empty (no sources, codes, cases or notes)"),
        "{text}"
    );
}

#[test]
fn sitat_exports_match_their_own_themes_by_guid_and_write_one_case_per_actor() {
    let tmp = common::temp_path("egen.sitat");
    let mut p = Project::create(&tmp.path).unwrap();
    p.set_coder("tester");
    let ffo = p
        .add_actor("FFO", "Funksjonshemmedes fellesorganisasjon", vec![])
        .unwrap();
    let itself = p.add_person("FFO", ffo, "talsperson").unwrap();
    let kari = p.add_person("Kari Nordmann", ffo, "").unwrap();
    let theme = p
        .add_theme(NewTheme {
            name: "Rettigheter".into(),
            ..Default::default()
        })
        .unwrap();
    let mut statement = NewSource::new(
        SourceKind::Literature,
        "Uttalelse",
        "Vi krever rettigheter 💪.",
    );
    statement.person_id = Some(itself);
    let statement = p.add_source(statement).unwrap();
    let mut talk = NewSource::new(SourceKind::Interview, "Samtale", "Rettigheter først.");
    talk.person_id = Some(kari);
    p.add_source(talk).unwrap();
    p.code(NewCoding::new(statement, CharSpan::new(10, 21), theme))
        .unwrap();

    let qdpx = tmp.dir.path().join("egen.qdpx");
    export::export(&p, ExportFormat::QdpxNvivo, &CodingFilter::default(), &qdpx).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&qdpx).unwrap()).unwrap();
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("project.qde").unwrap(), &mut qde).unwrap();
    let cases: Vec<&str> = qde
        .match_indices("<Case ")
        .map(|(i, _)| &qde[i..])
        .collect();
    assert_eq!(cases.len(), 2, "{qde}");
    assert!(cases[0].contains("name=\"FFO\"") && qde.contains("actor and person"));
    assert!(cases[1].contains("name=\"Kari Nordmann\""));

    // Into a new project: the actor, its own voice and its member.
    let mut copy = Project::create(tmp.dir.path().join("kopi.sitat")).unwrap();
    import_with(&mut copy, &qdpx, &ImportOptions::default());
    let mut persons: Vec<(String, String, String)> = copy
        .persons()
        .unwrap()
        .into_iter()
        .map(|x| (x.name, copy.actor(x.actor_id).unwrap().name, x.title))
        .collect();
    persons.sort();
    assert_eq!(
        persons,
        [
            ("FFO".into(), "FFO".into(), "talsperson".into()),
            ("Kari Nordmann".into(), "FFO".into(), String::new())
        ]
    );
    assert_eq!(copy.actors().unwrap().len(), 1);
    assert_eq!(quotes(&copy), expected(&[("Rettigheter", "rettigheter")]));
    let uttalelse = copy
        .sources()
        .unwrap()
        .into_iter()
        .find(|s| s.title == "Uttalelse")
        .unwrap();
    assert_eq!(
        uttalelse.person_id.map(|id| copy.person(id).unwrap().name),
        Some("FFO".to_string())
    );

    // Back into the project it came from: the code is its own theme, found by GUID.
    let back = import_with(&mut p, &qdpx, &ImportOptions::default());
    assert_eq!(back.themes, 0);
    assert!(
        back.warnings.contains(
            &"code \"Rettigheter\" joined the existing theme \"Rettigheter\" (same GUID)"
                .to_string()
        ),
        "{:?}",
        back.warnings
    );
}

#[test]
fn a_sitat_export_with_selections_cutting_words_comes_back_on_the_same_text() {
    // A sloppy drag selects part of a word after an emoji: read as UTF-16 units, one selection
    // boundary would land on a word edge, but Sitat wrote code points and says so.
    let tmp = common::temp_path("sloppy.sitat");
    let mut p = Project::create(&tmp.path).unwrap();
    let theme = p
        .add_theme(NewTheme {
            name: "Tillit".into(),
            ..Default::default()
        })
        .unwrap();
    let text = "Glad 😀 i dag. Brukerne trenger tillit og tid.";
    let source = p
        .add_source(NewSource::new(SourceKind::Interview, "Dagbok", text))
        .unwrap();
    // "rukerne tre": cuts two words.
    p.code(NewCoding::new(source, CharSpan::new(15, 26), theme))
        .unwrap();
    let qdpx = tmp.dir.path().join("sloppy.qdpx");
    export::export(&p, ExportFormat::Qdpx, &CodingFilter::default(), &qdpx).unwrap();
    let back_path = tmp.dir.path().join("back.sitat");
    let mut back = Project::create(&back_path).unwrap();
    import_with(&mut back, &qdpx, &ImportOptions::default());
    assert_eq!(quotes(&back), expected(&[("Tillit", "rukerne tre")]));
}
