//! REFI-QDA (QDA-XML 1.0) export: the whole project as a `.qdpx` archive (`project.qde` plus
//! `sources/<GUID>.txt`), and the codebook as a `.qdc`. Both validate against the schemas in
//! `tests/fixtures/refi-qda/`.
//!
//! Mapping: themes → Codes (colour, description; hierarchy kept), coders → Users, actors and
//! persons → Cases with Variables, sources → TextSources with their text in UTF-8 without BOM,
//! each coding → a PlainTextSelection (code-point positions) holding one Coding, speaker turns →
//! PlainTextSelections without a Coding that the person's Case refers to, memos → Notes.
//!
//! What the standard has no slot for travels in documented text (see README, "Import and
//! export"): the stance and memo of a coding in the selection's Description, whose first line is
//! `[Sitat stance: +2 Skjønn]`; the poles of an axis theme as the last line of the Code's
//! Description, `[Sitat axis: Regler ↔ Skjønn]`.
//!
//! Positions are code points unless the file is written for NVivo (UTF-16 units); texts keep
//! their `\n` unless written for MAXQDA (`\r\n`): see [`QdpxTarget`].
//!
//! An actor is one Case; its persons are Cases whose `Actor` variable names it. A person with
//! the actor's own name (an organisation speaking as itself) is not a Case of its own: the
//! actor's Case, of type `actor and person`, refers to its sources.
//!
//! GUIDs are stable: the project's own ([`Project::guids`]), so two exports of the same project
//! use the same GUIDs.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::import::xml::{escape_attr, escape_text};
use crate::model::*;
use crate::project::{Guids, Project};
use crate::time::format_rfc3339;

mod target;
pub use target::QdpxTarget;

pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";
pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";

/// The first line of a selection's Description that carries a stance.
pub const STANCE_PREFIX: &str = "[Sitat stance: ";
/// The last line of a Code's Description that carries an axis theme's poles.
pub const AXIS_PREFIX: &str = "[Sitat axis: ";
/// Between the two poles in [`AXIS_PREFIX`] lines.
pub const POLE_SEPARATOR: &str = " ↔ ";

/// The Description of a Code: the theme's description, and its poles on an axis theme.
pub fn code_description(theme: &Theme) -> String {
    let mut out = theme.description.trim_end().to_string();
    if let Some(poles) = &theme.poles {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&format!(
            "{AXIS_PREFIX}{}{POLE_SEPARATOR}{}]",
            poles.negative, poles.positive
        ));
    }
    out
}

/// The Description of a coding's selection: a stance line (axis themes), then the memo.
pub fn selection_description(coding: &Coding, theme: Option<&Theme>) -> String {
    let mut out = String::new();
    if let Some(stance) = coding.stance {
        let pole = theme
            .and_then(|t| t.poles.as_ref())
            .map(|p| match stance.value() {
                v if v < 0 => format!(" {}", p.negative),
                v if v > 0 => format!(" {}", p.positive),
                _ => String::new(),
            });
        out.push_str(&format!(
            "{STANCE_PREFIX}{stance}{}]",
            pole.unwrap_or_default()
        ));
        if !coding.memo.is_empty() {
            out.push('\n');
        }
    }
    out.push_str(&coding.memo);
    out
}

fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape_attr(value, out);
    out.push('"');
}

fn element_text(out: &mut String, indent: &str, name: &str, text: &str) {
    out.push_str(indent);
    out.push('<');
    out.push_str(name);
    out.push('>');
    escape_text(text, out);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// Writes the code tree; `notes` adds NoteRefs (project files only, not codebooks).
fn write_codes(
    out: &mut String,
    themes: &[Theme],
    guids: &Guids,
    notes: Option<&HashMap<MemoTarget, Vec<String>>>,
) {
    let ids: Vec<ThemeId> = themes.iter().map(|t| t.id).collect();
    let is_root = |t: &Theme| t.parent_id.is_none_or(|p| !ids.contains(&p));
    for theme in themes.iter().filter(|t| is_root(t)) {
        write_code(out, theme, themes, guids, notes, 2);
    }
}

fn write_code(
    out: &mut String,
    theme: &Theme,
    themes: &[Theme],
    guids: &Guids,
    notes: Option<&HashMap<MemoTarget, Vec<String>>>,
    depth: usize,
) {
    let indent = "  ".repeat(depth + 1);
    out.push_str(&indent);
    out.push_str("<Code");
    attr(out, "guid", &guids.of("theme", theme.id.0));
    attr(out, "name", &theme.name);
    attr(out, "isCodable", "true");
    if let Some([r, g, b]) = parse_hex_colour(&theme.color) {
        attr(out, "color", &format!("#{r:02x}{g:02x}{b:02x}"));
    }
    let description = code_description(theme);
    let note_refs = notes
        .and_then(|n| n.get(&MemoTarget::Theme(theme.id)))
        .cloned()
        .unwrap_or_default();
    let children: Vec<&Theme> = themes
        .iter()
        .filter(|t| t.parent_id == Some(theme.id) && t.id != theme.id)
        .collect();
    if description.is_empty() && note_refs.is_empty() && children.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    let inner = "  ".repeat(depth + 2);
    if !description.is_empty() {
        element_text(out, &inner, "Description", &description);
    }
    for guid in note_refs {
        out.push_str(&format!("{inner}<NoteRef targetGUID=\"{guid}\"/>\n"));
    }
    for child in children {
        write_code(out, child, themes, guids, notes, depth + 1);
    }
    out.push_str(&indent);
    out.push_str("</Code>\n");
}

/// The codebook as a `.qdc` document (Codebook.xsd); refuses an empty codebook, which the
/// schema cannot express.
pub fn codebook_qdc(project: &Project) -> Result<String> {
    let themes = project.themes()?;
    if themes.is_empty() {
        return Err(Error::Export(
            "the codebook is empty: add a theme before exporting it".into(),
        ));
    }
    let guids = project.guids()?;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<CodeBook xmlns=\"{CODEBOOK_NS}\" origin=\"Sitat {}\">\n  <Codes>\n",
        env!("CARGO_PKG_VERSION")
    ));
    write_codes(&mut out, &themes, &guids, None);
    out.push_str("  </Codes>\n</CodeBook>\n");
    Ok(out)
}

/// A variable definition: its name and REFI-QDA type.
struct Variables {
    /// name → type ("Text", "Integer" …), in first-use order.
    order: Vec<String>,
    types: HashMap<String, &'static str>,
}

impl Variables {
    fn new() -> Self {
        Variables {
            order: Vec::new(),
            types: HashMap::new(),
        }
    }
    fn use_var(&mut self, name: &str, kind: &'static str) {
        match self.types.get(name) {
            None => {
                self.order.push(name.to_string());
                self.types.insert(name.to_string(), kind);
            }
            Some(existing) if *existing != kind => {
                self.types.insert(name.to_string(), "Text");
            }
            Some(_) => {}
        }
    }
}

fn refi_value(value: &AttributeValue) -> (&'static str, String) {
    match value {
        AttributeValue::Text(s) => ("Text", s.clone()),
        AttributeValue::Integer(i) => ("Integer", i.to_string()),
        AttributeValue::Float(x) if x.is_finite() => ("Float", format!("{x}")),
        AttributeValue::Float(x) => ("Text", x.to_string()),
        AttributeValue::Boolean(b) => ("Boolean", b.to_string()),
        AttributeValue::Date(d) if is_iso_date(d) => ("Date", d.clone()),
        AttributeValue::Date(d) => ("Text", d.clone()),
    }
}

fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && d.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn write_value(
    out: &mut String,
    indent: &str,
    guids: &Guids,
    vars: &Variables,
    name: &str,
    value: &AttributeValue,
) {
    let (kind, text) = refi_value(value);
    let declared = vars.types.get(name).copied().unwrap_or("Text");
    let kind = if declared == kind { kind } else { "Text" };
    let element = match kind {
        "Integer" => "IntegerValue",
        "Float" => "FloatValue",
        "Boolean" => "BooleanValue",
        "Date" => "DateValue",
        _ => "TextValue",
    };
    out.push_str(&format!("{indent}<VariableValue>\n"));
    out.push_str(&format!(
        "{indent}  <VariableRef targetGUID=\"{}\"/>\n",
        guids.named("variable", name)
    ));
    element_text(out, &format!("{indent}  "), element, &text);
    out.push_str(&format!("{indent}</VariableValue>\n"));
}

/// Names of the Variables Sitat writes for its own structure.
pub mod vars {
    /// `actor`, `person`, or `actor and person` (an actor that speaks as itself).
    pub const CASE_TYPE: &str = "Case type";
    pub const FULL_NAME: &str = "Full name";
    pub const ACTOR: &str = "Actor";
    pub const TITLE: &str = "Title";
    pub const SOURCE_KIND: &str = "Source kind";
}

/// What went into a `.qdpx`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefiCounts {
    pub sources: usize,
    pub codes: usize,
    pub codings: usize,
    pub cases: usize,
    pub notes: usize,
}

/// A file of the archive: its path (`sources/<GUID>.txt`) and text.
pub type SourceFile = (String, String);

/// The `project.qde` document and the source files (`sources/<GUID>.txt`, text) it refers to.
pub fn project_qde(
    project: &Project,
    target: QdpxTarget,
    progress: &dyn Fn(f32),
) -> Result<(String, Vec<SourceFile>, RefiCounts)> {
    let guids = project.guids()?;
    let themes = project.themes()?;
    let actors = project.actors()?;
    let persons = project.persons()?;
    let coders = project.coders()?;
    let sources = project.all_sources()?;
    let memos = project.memos()?;
    let mut codings_by_source: BTreeMap<SourceId, Vec<Coding>> = BTreeMap::new();
    for coding in project.all_codings()? {
        codings_by_source
            .entry(coding.source_id)
            .or_default()
            .push(coding);
    }
    let theme_by_id: HashMap<ThemeId, &Theme> = themes.iter().map(|t| (t.id, t)).collect();
    let actor_by_id: HashMap<ActorId, &Actor> = actors.iter().map(|a| (a.id, a)).collect();
    let mut counts = RefiCounts::default();

    // Notes, and where they are referred from.
    let mut note_refs: HashMap<MemoTarget, Vec<String>> = HashMap::new();
    let mut memos = memos;
    memos.sort_by_key(|m| m.id);
    for memo in &memos {
        note_refs
            .entry(memo.target)
            .or_default()
            .push(guids.of("memo", memo.id.0));
    }

    // Variables used by cases and sources.
    let mut vars = Variables::new();
    if !actors.is_empty() {
        vars.use_var(vars::CASE_TYPE, "Text");
    }
    for actor in &actors {
        if !actor.full_name.is_empty() {
            vars.use_var(vars::FULL_NAME, "Text");
        }
        for a in &actor.attributes {
            vars.use_var(&a.name, refi_value(&a.value).0);
        }
    }
    for person in &persons {
        vars.use_var(vars::ACTOR, "Text");
        if !person.title.is_empty() {
            vars.use_var(vars::TITLE, "Text");
        }
    }
    for source in &sources {
        vars.use_var(vars::SOURCE_KIND, "Text");
        for (key, _) in &source.metadata {
            vars.use_var(key, "Text");
        }
    }

    let mut turns_by_person: BTreeMap<PersonId, Vec<String>> = BTreeMap::new();
    let mut turns_by_source: BTreeMap<SourceId, Vec<SpeakerTurn>> = BTreeMap::new();
    for source in &sources {
        for turn in project.speaker_turns(source.id)? {
            turns_by_person
                .entry(turn.person_id)
                .or_default()
                .push(guids.of("turn", turn.id.0));
            turns_by_source.entry(source.id).or_default().push(turn);
        }
    }

    let now = format_rfc3339(crate::project::now_ms());
    let name = super::project_title(project)?;
    let created = project
        .info("created_at")?
        .and_then(|c| c.parse::<i64>().ok())
        .map(format_rfc3339)
        .unwrap_or_else(|| now.clone());

    let mut out = String::with_capacity(1 << 16);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project");
    attr(&mut out, "xmlns", PROJECT_NS);
    attr(&mut out, "name", &name);
    attr(&mut out, "origin", &target.origin());
    attr(&mut out, "creationDateTime", &created);
    out.push_str(">\n");

    if !coders.is_empty() {
        out.push_str("  <Users>\n");
        for coder in &coders {
            out.push_str("    <User");
            attr(&mut out, "guid", &guids.of("coder", coder.id.0));
            attr(&mut out, "name", &coder.name);
            out.push_str("/>\n");
        }
        out.push_str("  </Users>\n");
    }
    if !themes.is_empty() {
        out.push_str("  <CodeBook>\n    <Codes>\n");
        write_codes(&mut out, &themes, &guids, Some(&note_refs));
        out.push_str("    </Codes>\n  </CodeBook>\n");
        counts.codes = themes.len();
    }
    if !vars.order.is_empty() {
        out.push_str("  <Variables>\n");
        for name in &vars.order {
            out.push_str("    <Variable");
            attr(&mut out, "guid", &guids.named("variable", name));
            attr(&mut out, "name", name);
            attr(&mut out, "typeOfVariable", vars.types[name]);
            out.push_str("/>\n");
        }
        out.push_str("  </Variables>\n");
    }
    if !actors.is_empty() {
        out.push_str("  <Cases>\n");
        let text = |s: &str| AttributeValue::Text(s.to_string());
        // A Case's variable value, at the indentation of a Case's children.
        let case_value = |out: &mut String, name: &str, value: &AttributeValue| {
            write_value(out, "      ", &guids, &vars, name, value)
        };
        // The person of each actor that carries the actor's own name.
        let itself = |actor: &Actor| {
            persons.iter().find(|p| {
                p.actor_id == actor.id && p.name.trim().eq_ignore_ascii_case(actor.name.trim())
            })
        };
        let refs = |out: &mut String, person: &Person| {
            for source in sources.iter().filter(|s| s.person_id == Some(person.id)) {
                out.push_str(&format!(
                    "      <SourceRef targetGUID=\"{}\"/>\n",
                    guids.of("source", source.id.0)
                ));
            }
            for guid in turns_by_person.get(&person.id).into_iter().flatten() {
                out.push_str(&format!("      <SelectionRef targetGUID=\"{guid}\"/>\n"));
            }
        };
        for actor in &actors {
            let speaker = itself(actor);
            out.push_str("    <Case");
            attr(&mut out, "guid", &guids.of("actor", actor.id.0));
            attr(&mut out, "name", &actor.name);
            out.push_str(">\n");
            let case_type = if speaker.is_some() {
                "actor and person"
            } else {
                "actor"
            };
            case_value(&mut out, vars::CASE_TYPE, &text(case_type));
            if !actor.full_name.is_empty() {
                case_value(&mut out, vars::FULL_NAME, &text(&actor.full_name));
            }
            if let Some(person) = speaker.filter(|p| !p.title.is_empty()) {
                case_value(&mut out, vars::TITLE, &text(&person.title));
            }
            for a in &actor.attributes {
                case_value(&mut out, &a.name, &a.value);
            }
            if let Some(person) = speaker {
                refs(&mut out, person);
            }
            out.push_str("    </Case>\n");
            counts.cases += 1;
        }
        let folded: Vec<PersonId> = actors.iter().filter_map(itself).map(|p| p.id).collect();
        for person in persons.iter().filter(|p| !folded.contains(&p.id)) {
            out.push_str("    <Case");
            attr(&mut out, "guid", &guids.of("person", person.id.0));
            attr(&mut out, "name", &person.name);
            out.push_str(">\n");
            case_value(&mut out, vars::CASE_TYPE, &text("person"));
            let actor_name = actor_by_id
                .get(&person.actor_id)
                .map(|a| a.name.as_str())
                .unwrap_or("");
            case_value(&mut out, vars::ACTOR, &text(actor_name));
            if !person.title.is_empty() {
                case_value(&mut out, vars::TITLE, &text(&person.title));
            }
            refs(&mut out, person);
            out.push_str("    </Case>\n");
            counts.cases += 1;
        }
        out.push_str("  </Cases>\n");
    }

    let mut files = Vec::with_capacity(sources.len());
    if !sources.is_empty() {
        out.push_str("  <Sources>\n");
        for (i, source) in sources.iter().enumerate() {
            let guid = guids.of("source", source.id.0);
            out.push_str("    <TextSource");
            attr(&mut out, "guid", &guid);
            attr(&mut out, "name", &source.title);
            attr(&mut out, "plainTextPath", &format!("internal://{guid}.txt"));
            attr(
                &mut out,
                "creationDateTime",
                &format_rfc3339(source.created_at_ms),
            );
            out.push_str(">\n");
            let table = target.positions(&source.text);
            let at = |p: usize| {
                table
                    .as_ref()
                    .map_or(p, |t| t[p.min(t.len() - 1)])
                    .to_string()
            };
            let mut selections: Vec<(usize, usize, i64, String)> = Vec::new();
            for coding in codings_by_source.get(&source.id).into_iter().flatten() {
                let mut s = String::new();
                s.push_str("      <PlainTextSelection");
                attr(&mut s, "guid", &guids.of("selection", coding.id.0));
                attr(&mut s, "startPosition", &at(coding.span.start));
                attr(&mut s, "endPosition", &at(coding.span.end));
                attr(
                    &mut s,
                    "creatingUser",
                    &guids.of("coder", coding.coder_id.0),
                );
                attr(
                    &mut s,
                    "creationDateTime",
                    &format_rfc3339(coding.created_at_ms),
                );
                s.push_str(">\n");
                let description =
                    selection_description(coding, theme_by_id.get(&coding.theme_id).copied());
                if !description.is_empty() {
                    element_text(&mut s, "        ", "Description", &description);
                }
                s.push_str("        <Coding");
                attr(&mut s, "guid", &guids.of("coding", coding.id.0));
                attr(
                    &mut s,
                    "creatingUser",
                    &guids.of("coder", coding.coder_id.0),
                );
                attr(
                    &mut s,
                    "creationDateTime",
                    &format_rfc3339(coding.created_at_ms),
                );
                s.push_str(">\n");
                s.push_str(&format!(
                    "          <CodeRef targetGUID=\"{}\"/>\n",
                    guids.of("theme", coding.theme_id.0)
                ));
                for note in note_refs
                    .get(&MemoTarget::Coding(coding.id))
                    .into_iter()
                    .flatten()
                {
                    s.push_str(&format!("          <NoteRef targetGUID=\"{note}\"/>\n"));
                }
                s.push_str("        </Coding>\n      </PlainTextSelection>\n");
                selections.push((coding.span.start, coding.span.end, coding.id.0, s));
                counts.codings += 1;
            }
            for turn in turns_by_source.get(&source.id).into_iter().flatten() {
                let person = persons.iter().find(|p| p.id == turn.person_id);
                let mut s = String::new();
                s.push_str("      <PlainTextSelection");
                attr(&mut s, "guid", &guids.of("turn", turn.id.0));
                attr(
                    &mut s,
                    "name",
                    &format!(
                        "Speaker turn: {}",
                        person.map(|p| p.name.as_str()).unwrap_or("?")
                    ),
                );
                attr(&mut s, "startPosition", &at(turn.span.start));
                attr(&mut s, "endPosition", &at(turn.span.end));
                s.push_str("/>\n");
                selections.push((turn.span.start, turn.span.end, -turn.id.0, s));
            }
            selections.sort_by_key(|(start, end, id, _)| (*start, *end, *id));
            for (_, _, _, s) in selections {
                out.push_str(&s);
            }
            for note in note_refs
                .get(&MemoTarget::Source(source.id))
                .into_iter()
                .flatten()
            {
                out.push_str(&format!("      <NoteRef targetGUID=\"{note}\"/>\n"));
            }
            write_value(
                &mut out,
                "      ",
                &guids,
                &vars,
                vars::SOURCE_KIND,
                &AttributeValue::Text(source.kind.as_str().to_string()),
            );
            for (key, value) in &source.metadata {
                write_value(
                    &mut out,
                    "      ",
                    &guids,
                    &vars,
                    key,
                    &AttributeValue::Text(value.clone()),
                );
            }
            out.push_str("    </TextSource>\n");
            files.push((format!("sources/{guid}.txt"), target.text(&source.text)));
            counts.sources += 1;
            progress((i + 1) as f32 / sources.len() as f32 * 0.8);
        }
        out.push_str("  </Sources>\n");
    }
    if !memos.is_empty() {
        out.push_str("  <Notes>\n");
        for memo in &memos {
            out.push_str("    <Note");
            attr(&mut out, "guid", &guids.of("memo", memo.id.0));
            attr(&mut out, "name", &memo.title);
            attr(
                &mut out,
                "creationDateTime",
                &format_rfc3339(memo.updated_at_ms),
            );
            attr(
                &mut out,
                "modifiedDateTime",
                &format_rfc3339(memo.updated_at_ms),
            );
            out.push_str(">\n");
            element_text(&mut out, "      ", "PlainTextContent", &memo.text);
            out.push_str("    </Note>\n");
            counts.notes += 1;
        }
        out.push_str("  </Notes>\n");
    }
    for note in note_refs.get(&MemoTarget::Project).into_iter().flatten() {
        out.push_str(&format!("  <NoteRef targetGUID=\"{note}\"/>\n"));
    }
    out.push_str("</Project>\n");
    Ok((out, files, counts))
}

/// Writes the whole project as a `.qdpx` archive for `target` to `out`.
pub fn write_qdpx(
    project: &Project,
    target: QdpxTarget,
    out: &mut dyn WriteSeek,
    progress: &dyn Fn(f32),
) -> Result<RefiCounts> {
    let (qde, files, counts) = project_qde(project, target, progress)?;
    let zip_err = |e: zip::result::ZipError| Error::Export(format!("QDPX: {e}"));
    let io_err = |e: std::io::Error| Error::Export(format!("QDPX: {e}"));
    let mut zip = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    zip.start_file("project.qde", options).map_err(zip_err)?;
    zip.write_all(qde.as_bytes()).map_err(io_err)?;
    for (i, (name, text)) in files.iter().enumerate() {
        zip.start_file(name.as_str(), options).map_err(zip_err)?;
        zip.write_all(text.as_bytes()).map_err(io_err)?;
        progress(0.8 + 0.2 * (i + 1) as f32 / files.len().max(1) as f32);
    }
    zip.finish().map_err(zip_err)?;
    Ok(counts)
}

/// Something a ZIP can be written to.
pub trait WriteSeek: Write + std::io::Seek {}
impl<T: Write + std::io::Seek> WriteSeek for T {}

/// Writes the codebook as a `.qdc` file at `path`.
pub fn write_qdc(project: &Project, out: &mut dyn Write) -> Result<usize> {
    let qdc = codebook_qdc(project)?;
    out.write_all(qdc.as_bytes())
        .map_err(|e| Error::Export(format!("QDC: {e}")))?;
    Ok(project.themes()?.len())
}

/// For tests and tools: is `path` a file Sitat can write an archive to?
pub fn ensure_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() && !parent.exists() => Err(Error::Export(
            format!("the folder {} does not exist", parent.display()),
        )),
        _ => Ok(()),
    }
}
