//! Interchange: importing Word, OpenDocument, PDF, transcripts and REFI-QDA; exporting coded
//! excerpts (CSV, XLSX, JSON, Markdown, HTML), the codebook and the whole project (.qdpx, .qdc),
//! with every REFI-QDA document validated against the schemas in tests/fixtures/refi-qda/.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use sitat::export::{self, ExportFormat};
use sitat::import::{self, ImportOptions, SpeakerMap};
use sitat::model::*;
use sitat::{CodingFilter, NewCoding, NewSource, Project};

const SCHEMAS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/refi-qda/");

fn validate(xml: &[u8], schema: &str, dir: &Path) {
    let file = dir.join(format!("validate-{schema}.xml"));
    std::fs::write(&file, xml).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(format!("{SCHEMAS}{schema}"))
        .arg(&file)
        .output()
        .expect("xmllint (Debian package libxml2-utils) must be installed");
    assert!(
        out.status.success(),
        "{schema} validation failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(xml)
    );
}

fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (name, bytes)
        })
        .collect()
}

fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn import_one(project: &mut Project, path: &Path) -> sitat::Result<import::ImportReport> {
    import::import_paths(project, &[path.to_path_buf()], &ImportOptions::default())
}

/// The fixture with codings (stances, memos), speaker turns, memos and typed attributes.
fn rich_project() -> common::Fixture {
    let mut f = common::fixture();
    let p = &mut f.project;
    let mut ks = p.actor(f.ks).unwrap();
    ks.attributes.extend([
        Attribute {
            name: "members".into(),
            value: AttributeValue::Integer(356),
        },
        Attribute {
            name: "founded".into(),
            value: AttributeValue::Date("1972-01-01".into()),
        },
        Attribute {
            name: "employer".into(),
            value: AttributeValue::Boolean(true),
        },
    ]);
    p.apply(sitat::Command::UpdateActor {
        before: p.actor(f.ks).unwrap(),
        after: ks,
    })
    .unwrap();
    let mut new = NewSource::new(
        SourceKind::Interview,
        "Gruppeintervju",
        "I: Hva betyr tillit?\nR: At vi får bruke skjønn 😀.\nI: Og FFO?\nC: Rettigheter først.",
    );
    new.metadata = vec![("date".into(), "2024-03-01".into())];
    new.turns = vec![
        (CharSpan::new(21, 49), f.eide),
        (CharSpan::new(61, 82), f.crowo),
    ];
    let group = p.add_source(new).unwrap();
    let mut skjonn = NewCoding::new(f.interview, CharSpan::new(0, 22), f.axis);
    skjonn.stance = Some(2);
    skjonn.memo = "Sterkt for skjønn.\nTo linjer.".into();
    // "Rettigheter først", after the emoji.
    let mut rules = NewCoding::new(group, CharSpan::new(64, 81), f.axis);
    rules.stance = Some(-1);
    let ids = p
        .code_many(
            "seed",
            vec![
                skjonn,
                rules,
                NewCoding::new(f.literature, CharSpan::new(0, 6), f.plain),
                NewCoding::new(group, CharSpan::new(24, 48), f.plain),
            ],
        )
        .unwrap();
    p.add_memo(MemoTarget::Project, "Prosjekt", "Om prosjektet.")
        .unwrap();
    p.add_memo(MemoTarget::Source(f.interview), "Kilde", "Om kilden æøå.")
        .unwrap();
    p.add_memo(MemoTarget::Theme(f.plain), "Tema", "Om temaet.")
        .unwrap();
    p.add_memo(MemoTarget::Coding(ids[0]), "Koding", "Om kodingen.")
        .unwrap();
    f
}

/// Everything that must survive a round trip, by name rather than id.
fn portable_dump(p: &Project) -> String {
    let mut out = String::new();
    let persons = p.persons().unwrap();
    let actors = p.actors().unwrap();
    let themes = p.themes().unwrap();
    let coders = p.coders().unwrap();
    let person_name = |id: Option<PersonId>| {
        id.and_then(|id| persons.iter().find(|x| x.id == id))
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    let theme_name = |id: Option<ThemeId>| {
        id.and_then(|id| themes.iter().find(|x| x.id == id))
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    for a in &actors {
        out.push_str(&format!(
            "actor {} / {} / {:?}\n",
            a.name, a.full_name, a.attributes
        ));
    }
    for x in &persons {
        let actor = actors.iter().find(|a| a.id == x.actor_id).unwrap();
        out.push_str(&format!(
            "person {} of {} ({})\n",
            x.name, actor.name, x.title
        ));
    }
    for t in &themes {
        out.push_str(&format!(
            "theme {} {} {:?} {:?} parent={}\n",
            t.name,
            t.color,
            t.description,
            t.poles,
            theme_name(t.parent_id)
        ));
    }
    for s in p.all_sources().unwrap() {
        out.push_str(&format!(
            "source {} {} {:?} person={} meta={:?}\n",
            s.kind,
            s.title,
            s.text,
            person_name(s.person_id),
            s.metadata
        ));
        for t in p.speaker_turns(s.id).unwrap() {
            out.push_str(&format!(
                "  turn {} {}\n",
                t.span,
                person_name(Some(t.person_id))
            ));
        }
        let mut codings = p.codings_of_source(s.id).unwrap();
        codings.sort_by_key(|c| (c.span, c.theme_id));
        for c in codings {
            let coder = coders.iter().find(|k| k.id == c.coder_id).unwrap();
            let memos: Vec<String> = p
                .memos_of(MemoTarget::Coding(c.id))
                .unwrap()
                .into_iter()
                .map(|m| format!("{}: {}", m.title, m.text))
                .collect();
            out.push_str(&format!(
                "  coding {} {} {:?} {:?} by {} memos={memos:?}\n",
                c.span,
                theme_name(Some(c.theme_id)),
                c.stance,
                c.memo,
                coder.name
            ));
        }
        for m in p.memos_of(MemoTarget::Source(s.id)).unwrap() {
            out.push_str(&format!("  memo {}: {}\n", m.title, m.text));
        }
    }
    for t in &themes {
        for m in p.memos_of(MemoTarget::Theme(t.id)).unwrap() {
            out.push_str(&format!("theme memo {} {}: {}\n", t.name, m.title, m.text));
        }
    }
    for m in p.memos_of(MemoTarget::Project).unwrap() {
        out.push_str(&format!("project memo {}: {}\n", m.title, m.text));
    }
    out
}

#[test]
fn qdpx_is_valid_stable_and_round_trips() {
    let f = rich_project();
    let dir = f.tmp.dir.path();
    let qdpx = dir.join("prosjekt.qdpx");
    let report = export::export(
        &f.project,
        ExportFormat::Qdpx,
        &CodingFilter::default(),
        &qdpx,
    )
    .unwrap();
    assert_eq!((report.sources, report.excerpts), (3, 4));
    let entries = zip_entries(&qdpx);
    let (_, qde) = entries.iter().find(|(n, _)| n == "project.qde").unwrap();
    validate(qde, "Project.xsd", dir);
    let qde_text = String::from_utf8(qde.clone()).unwrap();
    assert!(qde_text.contains("[Sitat stance: +2 Skjønn]"), "{qde_text}");
    assert!(qde_text.contains("[Sitat axis: Regler ↔ Skjønn]"));
    let texts: Vec<&(String, Vec<u8>)> = entries
        .iter()
        .filter(|(n, _)| n.starts_with("sources/"))
        .collect();
    assert_eq!(texts.len(), 3);
    for (name, bytes) in &texts {
        assert!(name.ends_with(".txt"));
        assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM in {name}");
        let guid = &name["sources/".len()..name.len() - 4];
        assert!(qde_text.contains(&format!("internal://{guid}.txt")));
    }
    // Code points, not bytes: the selection after the emoji ends at 22.
    assert!(qde_text.contains("startPosition=\"0\" endPosition=\"22\""));

    // Stable GUIDs: a second export is byte-identical.
    let again = dir.join("igjen.qdpx");
    export::export(
        &f.project,
        ExportFormat::Qdpx,
        &CodingFilter::default(),
        &again,
    )
    .unwrap();
    assert_eq!(zip_entries(&again), entries);

    // Round trip into a new project.
    let copy_path = dir.join("kopi.sitat");
    let mut copy = Project::create(&copy_path).unwrap();
    let imported = import_one(&mut copy, &qdpx).unwrap();
    assert!(
        imported.not_imported.is_empty(),
        "{:?}",
        imported.not_imported
    );
    assert_eq!(imported.codings, 4);
    assert_eq!(imported.turns, 2);
    assert_eq!(portable_dump(&copy), portable_dump(&f.project));
    assert!(copy.check().unwrap().is_empty());
    // One import, one undo.
    copy.undo().unwrap();
    assert!(copy.all_sources().unwrap().is_empty() && copy.themes().unwrap().is_empty());
}

/// The `guid` and `targetGUID` values of a document.
fn guids_in(qde: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for marker in ["guid=\"", "GUID=\""] {
        for (i, _) in qde.match_indices(marker) {
            let rest = &qde[i + marker.len()..];
            out.push(&rest[..rest.find('"').unwrap()]);
        }
    }
    out
}

#[test]
fn qdpx_for_each_tool_round_trips_with_the_same_quotes() {
    let f = rich_project();
    let dir = f.tmp.dir.path();
    let quotes = |p: &Project| -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = p
            .excerpts(&CodingFilter::default())
            .unwrap()
            .into_iter()
            .map(|e| (e.theme_name.clone(), e.quote.clone()))
            .collect();
        q.sort();
        q
    };
    // The coding and the turn after the emoji of the group interview, as each tool counts
    // them (worked out by hand: 😀 is two UTF-16 units; three \n before them become \r\n).
    for (format, coding, turn, reading) in [
        (ExportFormat::Qdpx, (64, 81), (61, 82), None),
        (
            ExportFormat::QdpxNvivo,
            (65, 82),
            (62, 83),
            Some("UTF-16 units"),
        ),
        (ExportFormat::QdpxMaxqda, (67, 84), (64, 85), None),
    ] {
        let qdpx = dir.join(format!("{format}.qdpx"));
        let report = export::export(&f.project, format, &CodingFilter::default(), &qdpx).unwrap();
        assert!(
            report.summary().contains(format.name()),
            "{}",
            report.summary()
        );
        let entries = zip_entries(&qdpx);
        let (_, qde) = entries.iter().find(|(n, _)| n == "project.qde").unwrap();
        validate(qde, "Project.xsd", dir);
        let qde = String::from_utf8(qde.clone()).unwrap();
        for (start, end) in [coding, turn] {
            assert!(
                qde.contains(&format!("startPosition=\"{start}\" endPosition=\"{end}\"")),
                "{format}: {start}..{end} in\n{qde}"
            );
        }
        let guids = guids_in(&qde);
        assert!(guids.len() > 20);
        for guid in guids {
            assert_eq!(guid, guid.to_lowercase(), "{format}: GUIDs in lower case");
        }
        let mut crlf_texts = 0;
        for (name, bytes) in entries.iter().filter(|(n, _)| n.starts_with("sources/")) {
            let text = String::from_utf8(bytes.clone()).unwrap();
            if format == ExportFormat::QdpxMaxqda {
                assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
                crlf_texts += usize::from(text.contains("\r\n"));
            } else {
                assert!(!text.contains('\r'), "{name}: {text:?}");
            }
        }
        assert_eq!(crlf_texts > 0, format == ExportFormat::QdpxMaxqda);

        let mut copy = Project::create(dir.join(format!("{format}.sitat"))).unwrap();
        let imported = import_one(&mut copy, &qdpx).unwrap();
        assert!(
            imported.not_imported.is_empty(),
            "{:?}",
            imported.not_imported
        );
        assert_eq!(quotes(&copy), quotes(&f.project), "{format}");
        assert_eq!(portable_dump(&copy), portable_dump(&f.project), "{format}");
        let text = imported.to_text();
        match reading {
            Some(reading) => assert!(text.contains(reading), "{format}: {text}"),
            None => assert!(!text.contains("UTF-16"), "{format}: {text}"),
        }
    }
    let rettigheter = quotes(&f.project)
        .into_iter()
        .any(|(_, q)| q == "Rettigheter først");
    assert!(rettigheter);
}

#[test]
fn qdc_codebook_is_valid_and_imports() {
    let f = rich_project();
    let dir = f.tmp.dir.path();
    let qdc = dir.join("kodebok.qdc");
    let report = export::export(
        &f.project,
        ExportFormat::Qdc,
        &CodingFilter::default(),
        &qdc,
    )
    .unwrap();
    assert_eq!(report.themes, 2);
    let bytes = std::fs::read(&qdc).unwrap();
    validate(&bytes, "Codebook.xsd", dir);
    assert!(!String::from_utf8_lossy(&bytes).contains("<Sets"));

    let mut empty = Project::create(dir.join("tom.sitat")).unwrap();
    let err = export::export(
        &empty,
        ExportFormat::Qdc,
        &CodingFilter::default(),
        &dir.join("x.qdc"),
    )
    .unwrap_err();
    assert!(err.to_string().contains("codebook is empty"), "{err}");
    assert!(!dir.join("x.qdc").exists());
    let report = import_one(&mut empty, &qdc).unwrap();
    assert_eq!(report.themes, 2);
    let axis = empty.theme_by_name("Regler ↔ Skjønn").unwrap();
    assert_eq!(axis.poles.unwrap().negative, "Regler");
    assert_eq!(
        empty.theme_by_name("Brukermedvirkning").unwrap().color,
        "#336699"
    );
}

const FOREIGN_QDE: &str = r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Fra ATLAS" origin="ATLAS.ti">
  <Users><User guid="{AAAAAAAA-0000-0000-0000-000000000001}" name="Kari"/></Users>
  <CodeBook><Codes>
    <Code guid="BBBBBBBB-0000-0000-0000-000000000001" name="Tillit" isCodable="true" color="#F0A">
      <Description>Om tillit.</Description>
      <Code guid="BBBBBBBB-0000-0000-0000-000000000002" name="Mistillit" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables><Variable guid="CCCCCCCC-0000-0000-0000-000000000001" name="Alder" typeOfVariable="Integer"/></Variables>
  <Cases>
    <Case guid="DDDDDDDD-0000-0000-0000-000000000001" name="Informant 1">
      <VariableValue><VariableRef targetGUID="CCCCCCCC-0000-0000-0000-000000000001"/><IntegerValue>54</IntegerValue></VariableValue>
      <SourceRef targetGUID="EEEEEEEE-0000-0000-0000-000000000001"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="EEEEEEEE-0000-0000-0000-000000000001" name="Intervju 1" plainTextPath="internal://EEEEEEEE-0000-0000-0000-000000000001.txt">
      <PlainTextSelection guid="FFFFFFFF-0000-0000-0000-000000000001" startPosition="START" endPosition="END" creatingUser="AAAAAAAA-0000-0000-0000-000000000001">
        <Description>Et notat.</Description>
        <Coding guid="FFFFFFFF-0000-0000-0000-000000000002" creatingUser="AAAAAAAA-0000-0000-0000-000000000001" creationDateTime="2023-05-01T12:00:00Z">
          <CodeRef targetGUID="{bbbbbbbb-0000-0000-0000-000000000002}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <AudioSource guid="EEEEEEEE-0000-0000-0000-000000000002" name="Opptak" path="internal://x.mp3"/>
    <PDFSource guid="EEEEEEEE-0000-0000-0000-000000000003" name="Rapport" path="internal://r.pdf">
      <PDFSelection guid="EEEEEEEE-0000-0000-0000-000000000004" page="1" firstX="1" firstY="2" secondX="3" secondY="4"/>
    </PDFSource>
  </Sources>
</Project>
"##;

const FOREIGN_TEXT: &str = "Første linje.\r\nVi har mistillit til systemet.\r\nSlutt.";

/// A .qdpx as other tools write it: `<Name>.qde`, `Sources/`, a BOM, `\r\n`; positions counting
/// `\r\n` as one character (`one`) or as two.
fn foreign_qdpx(path: &Path, one: bool) {
    let (start, end) = if one { (21, 30) } else { (22, 31) };
    let qde = FOREIGN_QDE
        .replace("START", &start.to_string())
        .replace("END", &end.to_string());
    let mut text = b"\xEF\xBB\xBF".to_vec();
    text.extend_from_slice(FOREIGN_TEXT.as_bytes());
    write_zip(
        path,
        &[
            ("Fra ATLAS.qde", qde.as_bytes()),
            ("Sources/EEEEEEEE-0000-0000-0000-000000000001.txt", &text),
            ("Sources/x.mp3", b"ID3 not really audio"),
        ],
    );
}

#[test]
fn foreign_qdpx_imports_leniently() {
    for one in [true, false] {
        let tmp = common::temp_path("ny.sitat");
        let qdpx = tmp.dir.path().join("atlas.qdpx");
        foreign_qdpx(&qdpx, one);
        let mut p = Project::create(&tmp.path).unwrap();
        let report = import_one(&mut p, &qdpx).unwrap();
        let excerpts = p.excerpts(&CodingFilter::default()).unwrap();
        assert_eq!(excerpts.len(), 1, "{report:?}");
        let e = &excerpts[0];
        assert_eq!(e.quote, "mistillit", "counting \\r\\n as one: {one}");
        assert_eq!(e.theme_name, "Mistillit");
        assert_eq!(e.coding.memo, "Et notat.");
        assert_eq!(e.coder_name, "Kari");
        assert_eq!(e.person_name.as_deref(), Some("Informant 1"));
        let source = p.source(e.coding.source_id).unwrap();
        assert!(
            source.text.starts_with("Første linje.\nVi har"),
            "no BOM, \\n only"
        );
        let tillit = p.theme_by_name("Tillit").unwrap();
        assert_eq!(tillit.color, "#ff00aa");
        assert_eq!(
            p.theme_by_name("Mistillit").unwrap().parent_id,
            Some(tillit.id)
        );
        let actor = p.actor_by_name("Informant 1").unwrap();
        assert_eq!(actor.attribute("Alder"), Some(&AttributeValue::Integer(54)));
        let lost = report.not_imported.join("\n");
        assert!(lost.contains("1 audio source"), "{lost}");
        assert!(lost.contains("area selection"), "{lost}");
        assert!(report.to_text().contains("not imported"));
    }
}

#[test]
fn zip_slip_and_zip_bombs_are_refused() {
    let tmp = common::temp_path("p.sitat");
    let mut p = Project::create(&tmp.path).unwrap();
    let slip = tmp.dir.path().join("slip.qdpx");
    write_zip(
        &slip,
        &[
            ("project.qde", FOREIGN_QDE.as_bytes()),
            ("../../evil.txt", b"x"),
        ],
    );
    let err = import_one(&mut p, &slip).unwrap_err().to_string();
    assert!(err.contains("zip-slip"), "{err}");

    let bomb = tmp.dir.path().join("bomb.docx");
    let zeros = vec![0u8; 8 * 1024 * 1024];
    write_zip(&bomb, &[("word/document.xml", &zeros)]);
    let err = import_one(&mut p, &bomb).unwrap_err().to_string();
    assert!(err.contains("zip bomb"), "{err}");
    assert!(p.all_sources().unwrap().is_empty());
}

fn docx_bytes(paragraphs: &[(&str, &str)]) -> Vec<u8> {
    let mut body = String::new();
    for (style, text) in paragraphs {
        body.push_str("<w:p>");
        if !style.is_empty() {
            body.push_str(&format!("<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>"));
        }
        for (i, part) in text.split('\t').enumerate() {
            if i > 0 {
                body.push_str("<w:r><w:tab/></w:r>");
            }
            body.push_str(&format!(
                "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                part.replace('&', "&amp;").replace('<', "&lt;")
            ));
        }
        body.push_str("<w:del><w:r><w:delText>slettet</w:delText></w:r></w:del></w:p>");
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.docx");
    write_zip(
        &path,
        &[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", document.as_bytes()),
        ],
    );
    std::fs::read(path).unwrap()
}

#[test]
fn docx_and_odt_import_paragraphs_and_headings() {
    let mut f = common::fixture();
    let dir = f.tmp.dir.path().to_path_buf();
    let docx = dir.join("Intervju Eide.docx");
    std::fs::write(
        &docx,
        docx_bytes(&[
            ("Heading1", "Intervju med KS"),
            ("", "I: Hva med skjønn?"),
            ("", "EIDE: Vi må få gå på skjønn & tillit.\tSlutt."),
            ("", "I: Takk."),
            ("", "EIDE: Bare hyggelig."),
        ]),
    )
    .unwrap();
    let mut options = ImportOptions::default();
    options.speakers.add("I", "Interviewer");
    let report = import::import_paths(&mut f.project, &[docx], &options).unwrap();
    let id = report.sources[0].0;
    let source = f.project.source(id).unwrap();
    assert_eq!(
        source.text,
        "Intervju med KS\n\nI: Hva med skjønn?\n\nEIDE: Vi må få gå på skjønn & tillit.\tSlutt.\n\nI: Takk.\n\nEIDE: Bare hyggelig."
    );
    assert_eq!(source.title, "Intervju Eide");
    assert_eq!(source.metadata_value("headings"), Some("1"));
    // EIDE resolves to Helge Eide by surname; I maps to a person the project lacks.
    assert_eq!(report.turns, 2);
    assert!(
        report.warnings.iter().any(|w| w.contains("no such person")),
        "{report:?}"
    );
    assert_eq!(report.unknown_speakers, vec!["I".to_string()]);

    let content = "<?xml version=\"1.0\"?><office:document-content \
        xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
        xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>\
        <text:h text:outline-level=\"1\">Tittel</text:h><text:p>En<text:s text:c=\"2\"/>to<text:tab/>tre</text:p>\
        </office:text></office:body></office:document-content>";
    let odt = dir.join("notat.odt");
    write_zip(
        &odt,
        &[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
        ],
    );
    let report = import_one(&mut f.project, &odt).unwrap();
    let source = f.project.source(report.sources[0].0).unwrap();
    assert_eq!(source.text, "Tittel\n\nEn  to\ttre");

    let fake = dir.join("fake.docx");
    std::fs::write(&fake, "just text").unwrap();
    let err = import_one(&mut f.project, &fake).unwrap_err().to_string();
    assert!(err.contains("not a Word document"), "{err}");
}

/// A minimal PDF: Helvetica (WinAnsi), one text line per `Td`, top to bottom.
fn pdf_bytes(pages: &[Vec<&str>], encrypt: bool) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    let n = pages.len();
    // 1 catalog, 2 pages, 3 font, then page i at 4 + 2i and its content at 5 + 2i.
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n} >>",
        kids.join(" ")
    ));
    objects.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    );
    for (i, lines) in pages.iter().enumerate() {
        let mut stream = String::new();
        for (j, line) in lines.iter().enumerate() {
            let y = 780 - 20 * j as i32;
            let escaped: String = line
                .chars()
                .map(|c| match c {
                    '(' | ')' | '\\' => format!("\\{c}"),
                    c if (c as u32) < 128 => c.to_string(),
                    c => format!("\\{:03o}", c as u32),
                })
                .collect();
            stream.push_str(&format!("BT /F1 11 Tf 72 {y} Td ({escaped}) Tj ET\n"));
        }
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{stream}endstream",
            stream.len()
        ));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).into_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").into_bytes());
    }
    let encrypt = if encrypt {
        " /Encrypt << /Filter /Standard >>"
    } else {
        ""
    };
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R{encrypt} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    out
}

#[test]
fn pdf_import_drops_running_lines_and_joins_hyphens() {
    let mut f = common::fixture();
    let dir = f.tmp.dir.path().to_path_buf();
    let pages = vec![
        vec![
            "Fafo-notat 2024:12",
            "Tillit handler om skj\u{f8}nns-",
            "ut\u{f8}velse i NAV.",
            "1",
        ],
        vec!["Fafo-notat 2024:12", "Andre side om reformen.", "2"],
        vec!["Fafo-notat 2024:12", "Tredje side.", "Side 3"],
    ];
    let pdf = dir.join("notat.pdf");
    std::fs::write(&pdf, pdf_bytes(&pages, false)).unwrap();
    let report = import_one(&mut f.project, &pdf).unwrap();
    let source = f.project.source(report.sources[0].0).unwrap();
    assert!(
        source.text.contains("skjønnsutøvelse i NAV."),
        "{:?}",
        source.text
    );
    assert!(
        source.text.contains("Andre side om reformen."),
        "{:?}",
        source.text
    );
    assert!(!source.text.contains("Fafo-notat"), "{:?}", source.text);
    assert!(
        !source.text.lines().any(|l| l.trim() == "2"),
        "{:?}",
        source.text
    );
    assert_eq!(source.metadata_value("pages"), Some("3"));

    let locked = dir.join("låst.pdf");
    std::fs::write(&locked, pdf_bytes(&pages, true)).unwrap();
    let err = import_one(&mut f.project, &locked).unwrap_err().to_string();
    assert!(err.contains("encrypted"), "{err}");
    let not_pdf = dir.join("tekst.pdf");
    std::fs::write(&not_pdf, "plain text").unwrap();
    let err = import_one(&mut f.project, &not_pdf)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a PDF"), "{err}");
    let pdf_as_txt = dir.join("feil.txt");
    std::fs::write(&pdf_as_txt, pdf_bytes(&pages, false)).unwrap();
    let err = import_one(&mut f.project, &pdf_as_txt)
        .unwrap_err()
        .to_string();
    assert!(err.contains("is a PDF file"), "{err}");
}

#[test]
fn transcript_turns_carry_person_and_actor() {
    let mut f = common::fixture();
    let dir = f.tmp.dir.path().to_path_buf();
    let text = "Intervju, mars 2024\n\n[00:00:05] I: Hva betyr tillitsreformen?\n[00:00:09] R: Vi må få gå på skjønn.\nDet er viktig.\n[00:01:10] I: Og brukerne?\n[00:01:15] R: De trenger rettigheter.\n[00:02:00] X: (avbrytelse)\n[00:02:01] X: Unnskyld.\n";
    let file = dir.join("transkripsjon.txt");
    std::fs::write(&file, text).unwrap();
    let map = dir.join("talere.csv");
    std::fs::write(&map, "speaker,person\nR,Helge Eide\n").unwrap();
    let options = ImportOptions {
        speakers: SpeakerMap::read_csv(&map).unwrap(),
        ..Default::default()
    };
    let report = import::import_paths(&mut f.project, &[file], &options).unwrap();
    assert_eq!(report.turns, 2);
    let mut unknown = report.unknown_speakers.clone();
    unknown.sort();
    assert_eq!(unknown, vec!["I".to_string(), "X".to_string()]);
    let id = report.sources[0].0;
    let turns = f.project.speaker_turns(id).unwrap();
    let source = f.project.source(id).unwrap();
    assert_eq!(
        sitat::text::slice_chars(&source.text, turns[0].span),
        Some("[00:00:09] R: Vi må få gå på skjønn.\nDet er viktig.")
    );
    let span = sitat::text::find_chars(&source.text, "gå på skjønn").unwrap();
    f.project.code(NewCoding::new(id, span, f.plain)).unwrap();
    let span = sitat::text::find_chars(&source.text, "tillitsreformen").unwrap();
    f.project.code(NewCoding::new(id, span, f.plain)).unwrap();
    let excerpts = f
        .project
        .excerpts(&CodingFilter {
            source_ids: vec![id],
            ..Default::default()
        })
        .unwrap();
    let said = excerpts.iter().find(|e| e.quote == "gå på skjønn").unwrap();
    assert_eq!(said.person_name.as_deref(), Some("Helge Eide"));
    assert_eq!(said.actor_name.as_deref(), Some("KS"));
    let asked = excerpts
        .iter()
        .find(|e| e.quote == "tillitsreformen")
        .unwrap();
    assert_eq!(asked.person_name, None);
}

/// What the GUI asks when a speaker is new: each file's labels with their first words, then a
/// map per file ("R" is another respondent in each interview) and persons created with the
/// import, all in one undo step.
#[test]
fn speakers_map_per_file_and_new_persons_come_with_the_import() {
    let mut f = common::fixture();
    let dir = f.tmp.dir.path().to_path_buf();
    let one = dir.join("intervju 1.txt");
    let two = dir.join("intervju 2.txt");
    std::fs::write(
        &one,
        "I: Hva tenker du?\r\nR: Vi må få gå på skjønn 😀\r\nI: Og så?\r\nR: Tillit.\r\n",
    )
    .unwrap();
    std::fs::write(
        &two,
        "I: Hva med brukerne?\nR: [00:01] De trenger rettigheter.\nI: Takk.\nR: Æ takker.\n",
    )
    .unwrap();
    let paths = vec![one.clone(), two.clone()];
    let asked = import::prepare_import(&f.project, &paths, &ImportOptions::default(), &|_| {})
        .unwrap()
        .report;
    let listed: Vec<_> = asked
        .speakers_to_map
        .iter()
        .map(|s| (s.file.clone(), s.label.as_str(), s.turns, s.sample.as_str()))
        .collect();
    assert_eq!(
        listed,
        vec![
            (one.clone(), "I", 2, "Hva tenker du?"),
            (one.clone(), "R", 2, "Vi må få gå på skjønn 😀"),
            (two.clone(), "I", 2, "Hva med brukerne?"),
            (two.clone(), "R", 2, "[00:01] De trenger rettigheter."),
        ]
    );

    let persons_before = f.project.persons().unwrap().len();
    let actors_before = f.project.actors().unwrap().len();
    let mut map_one = SpeakerMap::default();
    map_one.add("R", "Helge Eide");
    let mut map_two = SpeakerMap::default();
    map_two.add("R", "Åse Brukerrepresentant");
    let options = ImportOptions {
        file_speakers: vec![(one.clone(), map_one), (two.clone(), map_two)],
        new_persons: vec![import::NewPerson {
            name: "Åse Brukerrepresentant".into(),
            actor: import::ActorChoice::New("Brukerrådet".into()),
        }],
        ..Default::default()
    };
    let report = import::import_paths(&mut f.project, &paths, &options).unwrap();
    assert_eq!(report.turns, 4, "both files' R turns");
    assert_eq!(report.unknown_speakers, vec!["I".to_string()]);
    assert_eq!((report.persons, report.actors), (1, 1));
    let said = |source: SourceId| -> Vec<String> {
        let persons = f.project.persons().unwrap();
        f.project
            .speaker_turns(source)
            .unwrap()
            .iter()
            .map(|t| {
                persons
                    .iter()
                    .find(|p| p.id == t.person_id)
                    .unwrap()
                    .name
                    .clone()
            })
            .collect()
    };
    assert_eq!(said(report.sources[0].0), ["Helge Eide", "Helge Eide"]);
    assert_eq!(
        said(report.sources[1].0),
        ["Åse Brukerrepresentant", "Åse Brukerrepresentant"]
    );
    let source = f.project.source(report.sources[0].0).unwrap();
    let turn = f.project.speaker_turns(source.id).unwrap()[0].span;
    assert_eq!(
        sitat::text::slice_chars(&source.text, turn),
        Some("R: Vi må få gå på skjønn 😀")
    );
    // One undo takes back the sources, the new person and the new actor.
    f.project.undo().unwrap();
    assert_eq!(f.project.persons().unwrap().len(), persons_before);
    assert_eq!(f.project.actors().unwrap().len(), actors_before);

    let nameless = ImportOptions {
        new_persons: vec![import::NewPerson {
            name: "  ".into(),
            actor: import::ActorChoice::New("X".into()),
        }],
        ..Default::default()
    };
    let err = import::import_paths(&mut f.project, &paths, &nameless).unwrap_err();
    assert!(err.to_string().contains("needs a name"), "{err}");
}

#[test]
fn folders_import_in_one_step_and_bad_input_is_refused() {
    let mut f = common::fixture();
    let dir = f.tmp.dir.path().join("mappe");
    std::fs::create_dir_all(dir.join("under")).unwrap();
    std::fs::write(dir.join("a.txt"), "Første.").unwrap();
    std::fs::write(dir.join("under/b.md"), "# Andre").unwrap();
    std::fs::write(dir.join("bilde.jpg"), [0xFF, 0xD8]).unwrap();
    std::fs::write(dir.join(".skjult.txt"), "nei").unwrap();
    let before = f.project.all_sources().unwrap().len();
    let report = import_one(&mut f.project, &dir).unwrap();
    assert_eq!(report.sources.len(), 2);
    assert!(report.warnings.iter().any(|w| w.contains("bilde.jpg")));
    f.project.undo().unwrap();
    assert_eq!(f.project.all_sources().unwrap().len(), before);

    // One bad file imports nothing.
    std::fs::write(dir.join("tom.txt"), "").unwrap();
    let err = import_one(&mut f.project, &dir).unwrap_err().to_string();
    assert!(err.contains("tom.txt") && err.contains("empty"), "{err}");
    assert_eq!(f.project.all_sources().unwrap().len(), before);

    let big = f.tmp.dir.path().join("stor.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(import::MAX_IMPORT_BYTES + 1)
        .unwrap();
    let err = import_one(&mut f.project, &big).unwrap_err().to_string();
    assert!(err.contains("up to 50 MB"), "{err}");
    let err = import_one(&mut f.project, &PathBuf::from("/finnes/ikke.txt")).unwrap_err();
    assert!(err.to_string().contains("could not read"), "{err}");
}

#[test]
fn excerpt_exports_follow_the_filter() {
    let f = rich_project();
    let dir = f.tmp.dir.path();
    let all = CodingFilter::default();
    let ks_only = CodingFilter {
        actor_ids: vec![f.ks],
        ..Default::default()
    };

    let csv = dir.join("utdrag.csv");
    let report = export::export(&f.project, ExportFormat::Csv, &ks_only, &csv).unwrap();
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    assert_eq!(reader.records().count(), report.excerpts);
    assert_eq!(report.excerpts, 2);

    let json = dir.join("utdrag.json");
    export::export(&f.project, ExportFormat::Json, &all, &json).unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 4);

    let xlsx = dir.join("utdrag.xlsx");
    let report = export::export(&f.project, ExportFormat::Xlsx, &all, &xlsx).unwrap();
    assert_eq!(
        report.sheets,
        vec!["All excerpts", "Regler ↔ Skjønn", "Brukermedvirkning"]
    );
    let entries = zip_entries(&xlsx);
    let workbook = entries
        .iter()
        .find(|(n, _)| n == "xl/workbook.xml")
        .unwrap();
    assert!(String::from_utf8_lossy(&workbook.1).contains("Regler ↔ Skjønn"));
    let strings = entries
        .iter()
        .find(|(n, _)| n == "xl/sharedStrings.xml")
        .unwrap();
    let strings = String::from_utf8_lossy(&strings.1);
    for column in [
        "theme", "actor", "person", "source", "stance", "memo", "quote", "start", "end",
    ] {
        assert!(strings.contains(&format!(">{column}<")), "column {column}");
    }

    let md = dir.join("rapport.md");
    export::export(&f.project, ExportFormat::Markdown, &all, &md).unwrap();
    let md = std::fs::read_to_string(md).unwrap();
    let axis = md
        .find("## Regler ↔ Skjønn (2)")
        .expect("axis theme heading");
    let plain = md
        .find("## Brukermedvirkning (2)")
        .expect("plain theme heading");
    assert!(axis < plain, "codebook order");
    assert!(
        md.contains("### KS (1)") && md.contains("### FFO (1)"),
        "{md}"
    );
    assert!(
        md.contains(
            "— Helge Eide (KS), *Intervju*, interview, characters 0–22 · stance +2 (Skjønn)"
        ),
        "{md}"
    );
    assert!(md.contains("Memo: Sterkt for skjønn. To linjer."));

    let html = dir.join("rapport.html");
    export::export(&f.project, ExportFormat::Html, &ks_only, &html).unwrap();
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<cite>Intervju</cite>"));
    assert!(!html.contains("Grete Crowo"));

    let cb = dir.join("kodebok.csv");
    export::export(&f.project, ExportFormat::CodebookCsv, &all, &cb).unwrap();
    let cb = std::fs::read_to_string(cb).unwrap();
    assert!(cb.starts_with(
        "theme_id,name,parent,depth,color,description,negative_pole,positive_pole,codings"
    ));
    assert!(cb.contains("Regler ↔ Skjønn,,0,"), "{cb}");
    let cbm = dir.join("kodebok.md");
    export::export(&f.project, ExportFormat::CodebookMarkdown, &all, &cbm).unwrap();
    assert!(
        std::fs::read_to_string(cbm)
            .unwrap()
            .contains("axis: Regler ↔ Skjønn")
    );
}

#[test]
fn cli_imports_and_exports_every_format() {
    let tmp = common::temp_path("cli.sitat");
    let project = tmp.path.to_str().unwrap();
    let sitat = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_sitat"))
            .args(args)
            .env("SITAT_CODER", "cli")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert!(sitat(&["demo", project]).0);
    let dir = tmp.dir.path();
    let docx = dir.join("samtale.docx");
    std::fs::write(
        &docx,
        docx_bytes(&[
            ("", "I: Spørsmål?"),
            ("", "R: Svar."),
            ("", "I: Mer?"),
            ("", "R: Ja."),
        ]),
    )
    .unwrap();
    let (ok, out, err) = sitat(&[
        "import",
        project,
        docx.to_str().unwrap(),
        "--speaker",
        "R=Helge Eide",
        "--speaker",
        "I=Ingen Slik",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("imported samtale as source") && out.contains("2 speaker turns"),
        "{out}"
    );
    for format in [
        "csv",
        "xlsx",
        "json",
        "md",
        "html",
        "qdpx",
        "qdc",
        "codebook-csv",
        "codebook-md",
    ] {
        let file = dir.join(format!("ut.{format}"));
        let mut args = vec![
            "export",
            project,
            "--format",
            format,
            file.to_str().unwrap(),
        ];
        if format == "csv" {
            args.extend(["--actor", "KS", "--kind", "interview"]);
        }
        let (ok, out, err) = sitat(&args);
        assert!(ok, "{format}: {err}");
        assert!(out.starts_with("wrote "), "{out}");
        assert!(file.exists());
    }
    let entries = zip_entries(&dir.join("ut.qdpx"));
    validate(
        &entries.iter().find(|(n, _)| n == "project.qde").unwrap().1,
        "Project.xsd",
        dir,
    );
    validate(
        &std::fs::read(dir.join("ut.qdc")).unwrap(),
        "Codebook.xsd",
        dir,
    );
    let (ok, _, err) = sitat(&["export", project, "--format", "pdf", "x.pdf"]);
    assert!(!ok && err.contains("pdf"), "{err}");
    for tool in ["standard", "nvivo", "maxqda"] {
        let file = dir.join(format!("for-{tool}.qdpx"));
        let (ok, out, err) = sitat(&[
            "export",
            project,
            "--format",
            "qdpx",
            "--for",
            tool,
            file.to_str().unwrap(),
        ]);
        assert!(ok, "{tool}: {err}");
        assert!(out.starts_with("wrote qdpx"), "{out}");
        let entries = zip_entries(&file);
        let qde = &entries.iter().find(|(n, _)| n == "project.qde").unwrap().1;
        validate(qde, "Project.xsd", dir);
        let origin_names_tool = String::from_utf8_lossy(qde).contains(&format!(
            "(for {}",
            if tool == "nvivo" { "NVivo" } else { "MAXQDA" }
        ));
        assert_eq!(origin_names_tool, tool != "standard", "{tool}");
    }
    let (ok, _, err) = sitat(&[
        "export",
        project,
        "--format",
        "csv",
        "--for",
        "nvivo",
        dir.join("x.csv").to_str().unwrap(),
    ]);
    assert!(!ok && err.contains("--format qdpx"), "{err}");
}
