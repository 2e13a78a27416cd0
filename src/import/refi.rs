//! REFI-QDA import (`.qdpx` projects and `.qdc` codebooks written by Sitat, NVivo, ATLAS.ti,
//! MAXQDA, QualCoder …), read leniently: `project.qde` or `<Name>.qde`; `sources/` or
//! `Sources/`; a byte-order mark in the texts; GUIDs in either case, with or without braces;
//! positions in code points or UTF-16 units, counting `\r\n` as one or two (decided per source,
//! see `positions`). What Sitat has no place for — audio, video, pictures, PDF area
//! selections, sets, links, graphs — is listed in the report.

use std::collections::HashMap;
use std::path::Path;

use super::archive::SafeArchive;
use super::decode_text;
use super::files::ImportBatch;
use super::xml::{self, Element};
use super::{ImportOptions, SourceReading};
use crate::command::Command;
use crate::error::{Error, Result};
use crate::export::refi::vars;
use crate::model::*;
use crate::project::{NewSource, now_ms};
use crate::text::{normalize_newlines, one_line};

mod codes;
mod fields;
mod positions;
use codes::ThemeMatcher;
use fields::norm_guid;
pub use fields::{parse_code_description, parse_datetime, parse_selection_description};
pub use positions::{
    LineBreakCount, PositionMap, PositionReading, ReadingChoice, Units, choose_reading,
};

/// The Case type of an actor that speaks as itself (Sitat writes no separate person Case).
const ACTOR_AND_PERSON: &str = "actor and person";

struct CaseInfo {
    name: String,
    values: Vec<(String, AttributeValue)>,
    description: String,
    source_refs: Vec<String>,
    selection_refs: Vec<String>,
}

impl CaseInfo {
    fn text(&self, name: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.to_text())
    }
}

fn variable_values(
    element: &Element,
    variables: &HashMap<String, String>,
) -> Vec<(String, AttributeValue)> {
    let mut out = Vec::new();
    for vv in element.all("VariableValue") {
        let Some(name) = vv
            .first("VariableRef")
            .and_then(|r| r.attr("targetGUID"))
            .and_then(|g| variables.get(&norm_guid(g)))
        else {
            continue;
        };
        let Some(value) = vv.elements().find(|e| e.name != "VariableRef") else {
            continue;
        };
        let text = value.text();
        let value = match value.name.as_str() {
            "IntegerValue" => text
                .trim()
                .parse()
                .map(AttributeValue::Integer)
                .unwrap_or(AttributeValue::Text(text)),
            "FloatValue" => text
                .trim()
                .parse()
                .map(AttributeValue::Float)
                .unwrap_or(AttributeValue::Text(text)),
            "BooleanValue" => AttributeValue::Boolean(matches!(text.trim(), "true" | "1")),
            "DateValue" => AttributeValue::Date(text.trim().to_string()),
            _ => AttributeValue::Text(text),
        };
        out.push((name.clone(), value));
    }
    out
}

/// Everything of a .qde or .qdc read so far, keyed by GUID.
struct Reader<'a, 'p> {
    batch: &'a mut ImportBatch<'p>,
    archive: Option<SafeArchive>,
    /// The kind of sources that do not say theirs.
    kind: SourceKind,
    /// Variable GUID → name.
    variables: HashMap<String, String>,
    /// Source GUID → the person its Case says it is attributed to.
    person_of_source: HashMap<String, PersonId>,
    /// Selection GUID → the person whose turn it is.
    person_of_selection: HashMap<String, PersonId>,
    codes: HashMap<String, ThemeId>,
    axis: HashMap<ThemeId, bool>,
    users: HashMap<String, String>,
    /// Memo targets per Note GUID.
    note_targets: HashMap<String, Vec<MemoTarget>>,
    skipped: Vec<String>,
    /// Where codes land.
    themes: ThemeMatcher,
    /// The position reading the project's `origin` names, to break ties.
    position_hint: Option<PositionReading>,
    /// The origin names Sitat, whose hint comes first (see `PositionReading::written_by_sitat`).
    hint_from_sitat: bool,
}

impl<'a, 'p> Reader<'a, 'p> {
    fn new(
        batch: &'a mut ImportBatch<'p>,
        archive: Option<SafeArchive>,
        kind: SourceKind,
    ) -> Result<Reader<'a, 'p>> {
        Ok(Reader {
            themes: ThemeMatcher::new(batch.project)?,
            position_hint: None,
            hint_from_sitat: false,
            batch,
            archive,
            kind,
            variables: HashMap::new(),
            person_of_source: HashMap::new(),
            person_of_selection: HashMap::new(),
            codes: HashMap::new(),
            axis: HashMap::new(),
            users: HashMap::new(),
            note_targets: HashMap::new(),
            skipped: Vec::new(),
        })
    }

    /// Reads the codebook below `codes`, rebuilding `Group::Code` names as a tree when asked
    /// and every name is written so.
    fn read_codebook(&mut self, codes: &Element, options: &ImportOptions) -> Result<()> {
        self.themes.rebuild_groups =
            options.rebuild_code_groups && codes::every_name_grouped(codes);
        self.read_codes(codes, None, &[])?;
        if self.themes.rebuild_groups {
            self.batch.report.warnings.push(format!(
                "every code was named \"Group::Code\" (as ATLAS.ti writes code groups): rebuilt as a tree under {}",
                crate::text::count(self.themes.groups_made, "group theme")
            ));
        }
        Ok(())
    }

    fn skip(&mut self, what: String) {
        self.skipped.push(what);
    }

    fn note_refs(&mut self, element: &Element, target: MemoTarget) {
        for r in element.all("NoteRef") {
            if let Some(g) = r.attr("targetGUID") {
                self.note_targets
                    .entry(norm_guid(g))
                    .or_default()
                    .push(target);
            }
        }
    }

    /// Reads an entry the project points to: `internal://x` in sources/ (any case), else by
    /// its file name anywhere in the archive.
    fn embedded(&mut self, path_attr: &str) -> Option<Vec<u8>> {
        let archive = self.archive.as_mut()?;
        let file = path_attr
            .trim()
            .trim_start_matches("internal://")
            .trim_start_matches("relative://")
            .trim_start_matches("absolute://")
            .replace('\\', "/");
        let base = file.rsplit('/').next().unwrap_or(&file).to_string();
        let candidates = [
            format!("sources/{base}"),
            file.trim_start_matches('/').to_string(),
        ];
        let name = candidates
            .iter()
            .find_map(|c| archive.find(c).map(str::to_string))
            .or_else(|| {
                archive
                    .names()
                    .iter()
                    .find(|n| {
                        n.rsplit(['/', '\\'])
                            .next()
                            .is_some_and(|b| b.eq_ignore_ascii_case(&base))
                    })
                    .cloned()
            })?;
        archive.read(&name).ok()
    }

    /// The text of a source as the file holds it (byte-order mark removed); `None`, reported
    /// with the codings lost, when it is missing, unreadable or empty.
    fn load_text(&mut self, source: &Element, name: &str) -> Option<String> {
        let title = source_title(name, source.attr("plainTextPath"));
        let selections: Vec<&Element> = source.all("PlainTextSelection").collect();
        let codings_held = selections
            .iter()
            .map(|s| s.all("Coding").count())
            .sum::<usize>()
            + source.all("Coding").count();
        let lost = match codings_held {
            0 => String::new(),
            1 => "; its 1 coding is lost with it".to_string(),
            n => format!("; its {n} codings are lost with it"),
        };
        let raw = if let Some(content) = source.first("PlainTextContent") {
            content.text()
        } else if let Some(path) = source.attr("plainTextPath") {
            let Some(bytes) = self.embedded(path) else {
                self.skip(format!(
                    "source \"{title}\": its text {path} is not in the archive{lost}"
                ));
                return None;
            };
            let bytes = bytes
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(&bytes)
                .to_vec();
            match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => match decode_text(e.as_bytes()) {
                    Ok(d) => d.text,
                    Err(reason) => {
                        self.skip(format!("source \"{title}\": {reason}{lost}"));
                        return None;
                    }
                },
            }
        } else {
            self.skip(format!("source \"{title}\": it has no plain text{lost}"));
            return None;
        };
        let raw = raw.strip_prefix('\u{FEFF}').unwrap_or(&raw).to_string();
        if raw.trim().is_empty() {
            self.skip(format!(
                "source \"{title}\": its text is empty (the tool did not export it){lost}"
            ));
            return None;
        }
        Some(raw)
    }

    /// Adds a source whose text `raw` was loaded, its positions read as they fit best (ties go
    /// to the first of `tie_breakers`).
    fn read_source(
        &mut self,
        source: &Element,
        guid: &str,
        name: &str,
        raw: &str,
        tie_breakers: &[PositionReading],
    ) -> Result<()> {
        let title = source_title(name, source.attr("plainTextPath"));
        let selections: Vec<&Element> = source.all("PlainTextSelection").collect();
        let text = normalize_newlines(raw);
        let len = crate::text::char_count(&text);
        let pos = |e: &Element, a: &str| e.attr(a).and_then(|v| v.trim().parse::<usize>().ok());
        let (choice, map) = choose_reading(raw, &spans_of(source), tie_breakers);
        self.batch.report.position_readings.push(SourceReading {
            source: title.clone(),
            choice,
        });
        let to_model = |p: usize| map.to_text(p);

        let mut kind = self.kind;
        let mut metadata = Vec::new();
        for (name, value) in variable_values(source, &self.variables) {
            if name == vars::SOURCE_KIND {
                if let Some(k) = SourceKind::parse(&value.to_text()) {
                    kind = k;
                }
            } else {
                metadata.push((name, value.to_text()));
            }
        }
        if let Some(description) = source.first("Description").map(|d| d.text())
            && !description.trim().is_empty()
        {
            metadata.push(("description".to_string(), description));
        }
        let mut new = NewSource::new(kind, title.clone(), text);
        new.metadata = metadata;
        new.person_id = self.person_of_source.get(guid).copied();

        let mut codings: Vec<(NewCodingData, Vec<String>)> = Vec::new();
        // Selections that carry only a Description (MAXQDA's memos on a span).
        let mut span_memos: Vec<(CharSpan, String, Option<i64>)> = Vec::new();
        let mut bad_spans = 0;
        let mut bad_codings = 0;
        for sel in &selections {
            let span = match (pos(sel, "startPosition"), pos(sel, "endPosition")) {
                (Some(start), Some(end)) => match (to_model(start), to_model(end)) {
                    (Some(start), Some(end)) => Some(CharSpan::new(start, end)),
                    _ => None,
                },
                _ => None,
            };
            let Some(span) = span.filter(|s| !s.is_empty() && s.end <= len) else {
                bad_spans += 1;
                bad_codings += sel.all("Coding").count();
                continue;
            };
            let sel_guid = sel.attr("guid").map(norm_guid).unwrap_or_default();
            let sel_codings: Vec<&Element> = sel.all("Coding").collect();
            let description = sel
                .first("Description")
                .map(|d| d.text())
                .unwrap_or_default();
            if sel_codings.is_empty() {
                if let Some(person) = self.person_of_selection.get(&sel_guid) {
                    new.turns.push((span, *person));
                }
                if !description.trim().is_empty() {
                    let created = sel
                        .attr("modifiedDateTime")
                        .or(sel.attr("creationDateTime"))
                        .and_then(parse_datetime);
                    span_memos.push((span, description, created));
                }
                continue;
            }
            let (stance, memo) = parse_selection_description(&description);
            let sel_notes: Vec<String> = sel
                .all("NoteRef")
                .filter_map(|r| r.attr("targetGUID").map(norm_guid))
                .collect();
            for coding in sel_codings {
                let user = coding
                    .attr("creatingUser")
                    .or_else(|| sel.attr("creatingUser"))
                    .map(norm_guid);
                let created = coding
                    .attr("creationDateTime")
                    .or_else(|| sel.attr("creationDateTime"))
                    .and_then(parse_datetime);
                let mut notes: Vec<String> = coding
                    .all("NoteRef")
                    .filter_map(|r| r.attr("targetGUID").map(norm_guid))
                    .collect();
                notes.extend(sel_notes.iter().cloned());
                codings.push((
                    NewCodingData {
                        span,
                        code: coding
                            .first("CodeRef")
                            .and_then(|r| r.attr("targetGUID"))
                            .map(norm_guid),
                        user,
                        created,
                        stance,
                        memo: memo.clone(),
                    },
                    notes,
                ));
            }
        }
        // Codings of the whole source.
        for coding in source.all("Coding") {
            codings.push((
                NewCodingData {
                    span: CharSpan::new(0, len),
                    code: coding
                        .first("CodeRef")
                        .and_then(|r| r.attr("targetGUID"))
                        .map(norm_guid),
                    user: coding.attr("creatingUser").map(norm_guid),
                    created: coding.attr("creationDateTime").and_then(parse_datetime),
                    stance: None,
                    memo: String::new(),
                },
                coding
                    .all("NoteRef")
                    .filter_map(|r| r.attr("targetGUID").map(norm_guid))
                    .collect(),
            ));
        }
        if bad_spans > 0 {
            self.skip(format!(
                "source \"{title}\": {} outside the text or empty, with {}",
                crate::text::count(bad_spans, "selection"),
                crate::text::count(bad_codings, "coding")
            ));
        }
        let source_text = new.text.clone();
        let source_id = self.batch.add_source(new);
        self.note_refs(source, MemoTarget::Source(source_id));
        for (span, description, created) in span_memos {
            let quote = crate::text::slice_chars(&source_text, span).unwrap_or_default();
            let id = self.batch.ids.memo();
            self.batch.commands.push(Command::AddMemo(Memo {
                id,
                target: MemoTarget::Source(source_id),
                title: format!("On “{}”", preview(quote)),
                text: normalize_newlines(&description),
                updated_at_ms: created.unwrap_or_else(now_ms),
            }));
            self.batch.report.memos += 1;
        }

        let mut stances_dropped = 0;
        for (data, notes) in codings {
            let Some(theme_id) = data.code.as_ref().and_then(|g| self.codes.get(g)).copied() else {
                self.skip(format!(
                    "a coding in \"{title}\" refers to a code that is not in the codebook"
                ));
                continue;
            };
            let user_name = data
                .user
                .as_ref()
                .and_then(|u| self.users.get(u))
                .cloned()
                .unwrap_or_default();
            let coder_id = self.batch.coder(&user_name);
            let mut stance = data.stance.and_then(Stance::new);
            if stance.is_some() && !self.axis.get(&theme_id).copied().unwrap_or(false) {
                stance = None;
                stances_dropped += 1;
            }
            let id = self.batch.ids.coding();
            self.batch.commands.push(Command::AddCoding(Coding {
                id,
                source_id,
                theme_id,
                coder_id,
                span: data.span,
                stance,
                memo: data.memo,
                created_at_ms: data.created.unwrap_or_else(now_ms),
            }));
            self.batch.report.codings += 1;
            for note in notes {
                self.note_targets
                    .entry(note)
                    .or_default()
                    .push(MemoTarget::Coding(id));
            }
        }
        if stances_dropped > 0 {
            self.skip(format!(
                "{} in \"{title}\" on codes that are not axis themes",
                crate::text::count(stances_dropped, "stance")
            ));
        }
        Ok(())
    }
}

/// The positions of a source's selections as written.
fn spans_of(source: &Element) -> Vec<(usize, usize)> {
    let pos = |e: &Element, a: &str| e.attr(a).and_then(|v| v.trim().parse::<usize>().ok());
    source
        .all("PlainTextSelection")
        .filter_map(|s| Some((pos(s, "startPosition")?, pos(s, "endPosition")?)))
        .collect()
}

/// A source's title: its name, else the file name of its text, else "(untitled source)".
fn source_title(name: &str, plain_text_path: Option<&str>) -> String {
    if !name.trim().is_empty() {
        return name.trim().to_string();
    }
    let file = plain_text_path
        .map(|p| p.trim().rsplit(['/', '\\']).next().unwrap_or(p).to_string())
        .filter(|f| !f.is_empty());
    match file {
        Some(file) => match file.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() => stem.to_string(),
            _ => file,
        },
        None => "(untitled source)".to_string(),
    }
}

/// The start of a quote on one line, for a memo's title.
fn preview(quote: &str) -> String {
    let line = one_line(quote);
    let line = line.trim();
    match line.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", line[..cut].trim_end()),
        None => line.to_string(),
    }
}

struct NewCodingData {
    span: CharSpan,
    code: Option<String>,
    user: Option<String>,
    created: Option<i64>,
    stance: Option<i64>,
    memo: String,
}

/// Reads a `.qdpx` into the batch.
pub(crate) fn read_qdpx(
    batch: &mut ImportBatch,
    path: &Path,
    options: &ImportOptions,
) -> Result<()> {
    let mut archive = SafeArchive::open_file(path, "REFI-QDA project (.qdpx)")?;
    let qde = archive
        .find("project.qde")
        .map(str::to_string)
        .or_else(|| {
            let qdes: Vec<&String> = archive
                .names()
                .iter()
                .filter(|n| n.to_lowercase().ends_with(".qde"))
                .collect();
            qdes.iter()
                .find(|n| !n.contains('/'))
                .or(qdes.first())
                .map(|n| n.to_string())
        })
        .ok_or_else(|| {
            Error::bad_input(
                path,
                "is a ZIP file but holds no project.qde: not a REFI-QDA project",
            )
        })?;
    let bytes = archive.read(&qde)?;
    let root = xml::parse(&bytes).map_err(|e| Error::bad_input(path, format!("{qde} {e}")))?;
    if root.name != "Project" {
        return Err(Error::bad_input(
            path,
            format!(
                "{qde} is not a REFI-QDA project (its root element is <{}>)",
                root.name
            ),
        ));
    }
    let mut reader = Reader::new(batch, Some(archive), options.kind)?;
    reader.position_hint = root.attr("origin").and_then(PositionReading::hinted_by);
    reader.hint_from_sitat = root
        .attr("origin")
        .is_some_and(PositionReading::written_by_sitat);
    let holds = |e: Option<&Element>| e.is_some_and(|e| e.elements().next().is_some());
    if !holds(root.first("Sources"))
        && !holds(root.first("CodeBook").and_then(|c| c.first("Codes")))
        && !holds(root.first("Cases"))
        && !holds(root.first("Notes"))
    {
        reader.batch.report.warnings.push(format!(
            "{}: the project is empty (no sources, codes, cases or notes): nothing to import",
            path.display()
        ));
    }
    read_project(&mut reader, &root, options)?;
    let skipped = std::mem::take(&mut reader.skipped);
    reader.batch.report.not_imported.extend(skipped);
    Ok(())
}

fn read_project(r: &mut Reader, root: &Element, options: &ImportOptions) -> Result<()> {
    for user in root.first("Users").into_iter().flat_map(|u| u.all("User")) {
        if let Some(guid) = user.attr("guid") {
            let name = user
                .attr("name")
                .or(user.attr("id"))
                .unwrap_or("")
                .to_string();
            r.users.insert(norm_guid(guid), name);
        }
    }
    if let Some(codes) = root.first("CodeBook").and_then(|c| c.first("Codes")) {
        r.read_codebook(codes, options)?;
    }
    let variables: HashMap<String, String> = root
        .first("Variables")
        .into_iter()
        .flat_map(|v| v.all("Variable"))
        .filter_map(|v| Some((norm_guid(v.attr("guid")?), v.attr("name")?.to_string())))
        .collect();

    // Cases: actors first, then persons (who need their actor).
    r.variables = variables;
    let cases: Vec<CaseInfo> = root
        .first("Cases")
        .into_iter()
        .flat_map(|c| c.all("Case"))
        .map(|c| CaseInfo {
            name: c.attr("name").unwrap_or("").trim().to_string(),
            values: variable_values(c, &r.variables),
            description: c.first("Description").map(|d| d.text()).unwrap_or_default(),
            source_refs: c
                .all("SourceRef")
                .filter_map(|s| s.attr("targetGUID").map(norm_guid))
                .collect(),
            selection_refs: c
                .all("SelectionRef")
                .filter_map(|s| s.attr("targetGUID").map(norm_guid))
                .collect(),
        })
        .collect();
    let is_person = |c: &CaseInfo| match c.text(vars::CASE_TYPE).as_deref() {
        Some("person") => true,
        Some("actor") | Some(ACTOR_AND_PERSON) => false,
        _ => c.text(vars::ACTOR).is_some(),
    };
    let mut person_of_source: HashMap<String, PersonId> = HashMap::new();
    let mut person_of_selection: HashMap<String, PersonId> = HashMap::new();
    let mut link = |person: PersonId, case: &CaseInfo| {
        for s in &case.source_refs {
            person_of_source.entry(s.clone()).or_insert(person);
        }
        for s in &case.selection_refs {
            person_of_selection.entry(s.clone()).or_insert(person);
        }
    };
    for case in cases.iter().filter(|c| !is_person(c)) {
        let name = if case.name.is_empty() {
            "(unnamed case)"
        } else {
            &case.name
        };
        let case_type = case.text(vars::CASE_TYPE);
        let speaks = case_type.as_deref() == Some(ACTOR_AND_PERSON);
        let actor_id = match r.batch.actor_named(name) {
            Some(id) => id,
            None => {
                let full_name = case
                    .text(vars::FULL_NAME)
                    .unwrap_or_else(|| case.description.trim().to_string());
                let attributes = case
                    .values
                    .iter()
                    .filter(|(n, _)| {
                        n != vars::CASE_TYPE
                            && n != vars::FULL_NAME
                            && !(speaks && n == vars::TITLE)
                    })
                    .map(|(n, v)| Attribute {
                        name: n.clone(),
                        value: v.clone(),
                    })
                    .collect();
                r.batch.add_actor(name, &full_name, attributes)
            }
        };
        // An actor that speaks as itself, and a case of another tool that holds sources, stand
        // for a speaker of the same name too.
        let holds_sources = !case.source_refs.is_empty() || !case.selection_refs.is_empty();
        if speaks || (case_type.is_none() && holds_sources) {
            let title = if speaks {
                case.text(vars::TITLE).unwrap_or_default()
            } else {
                String::new()
            };
            let person = r
                .batch
                .person_named(name)
                .unwrap_or_else(|| r.batch.add_person(name, actor_id, &title));
            link(person, case);
        }
    }
    for case in cases.iter().filter(|c| is_person(c)) {
        let name = if case.name.is_empty() {
            "(unnamed person)"
        } else {
            &case.name
        };
        let person = match r.batch.person_named(name) {
            Some(id) => id,
            None => {
                let actor_name = case
                    .text(vars::ACTOR)
                    .filter(|a| !a.trim().is_empty())
                    .unwrap_or_else(|| "(no actor)".to_string());
                let actor_id = r
                    .batch
                    .actor_named(&actor_name)
                    .unwrap_or_else(|| r.batch.add_actor(&actor_name, "", Vec::new()));
                let title = case.text(vars::TITLE).unwrap_or_default();
                r.batch.add_person(name, actor_id, &title)
            }
        };
        link(person, case);
    }

    r.person_of_source = person_of_source;
    r.person_of_selection = person_of_selection;
    let mut not_imported: HashMap<&str, usize> = HashMap::new();
    // Texts first: how the positions of a source whose selections fit several readings equally
    // well were counted is what the other sources of the project say clearly.
    let mut texts: Vec<(&Element, String, String, String)> = Vec::new();
    if let Some(sources) = root.first("Sources") {
        for source in sources.elements() {
            let guid = source.attr("guid").map(norm_guid).unwrap_or_default();
            let name = source.attr("name").unwrap_or("").to_string();
            match source.name.as_str() {
                "TextSource" => {
                    if let Some(raw) = r.load_text(source, &name) {
                        texts.push((source, guid, name, raw));
                    }
                }
                "PDFSource" => {
                    let areas = source.all("PDFSelection").count();
                    if areas > 0 {
                        r.skip(format!(
                            "PDF \"{name}\": {} (Sitat codes text, not page areas)",
                            crate::text::count(areas, "area selection")
                        ));
                    }
                    match source.first("Representation") {
                        Some(text) => {
                            if let Some(raw) = r.load_text(text, &name) {
                                texts.push((text, guid, name, raw));
                            }
                        }
                        None => r.skip(format!("PDF \"{name}\": no text representation")),
                    }
                }
                "AudioSource" => *not_imported.entry("audio source").or_default() += 1,
                "VideoSource" => *not_imported.entry("video source").or_default() += 1,
                "PictureSource" => *not_imported.entry("picture source").or_default() += 1,
                other => r.skip(format!("a source of unknown kind <{other}>")),
            }
        }
    }
    let clear: Vec<PositionReading> = texts
        .iter()
        .filter_map(|(source, _, _, raw)| positions::clear_reading(raw, &spans_of(source)))
        .collect();
    let project = positions::project_reading(&clear);
    let tie_breakers: Vec<PositionReading> = if r.hint_from_sitat {
        r.position_hint.into_iter().chain(project).collect()
    } else {
        project.into_iter().chain(r.position_hint).collect()
    };
    for (source, guid, name, raw) in &texts {
        r.read_source(source, guid, name, raw, &tie_breakers)?;
    }
    let mut kinds: Vec<(&str, usize)> = not_imported.into_iter().collect();
    kinds.sort();
    for (kind, n) in kinds {
        r.skip(format!(
            "{}: Sitat imports text only",
            crate::text::count(n, kind)
        ));
    }
    for (element, what) in [("Sets", "Set"), ("Links", "Link"), ("Graphs", "Graph")] {
        let n = root
            .first(element)
            .map(|e| e.elements().count())
            .unwrap_or(0);
        if n > 0 {
            r.skip(format!(
                "{}: Sitat has no place for them",
                crate::text::count(n, what)
            ));
        }
    }
    r.note_refs(root, MemoTarget::Project);

    // Notes become memos on whatever referred to them (the project when nothing did).
    for note in root.first("Notes").into_iter().flat_map(|n| n.all("Note")) {
        let guid = note.attr("guid").map(norm_guid).unwrap_or_default();
        let text = match note.first("PlainTextContent") {
            Some(c) => c.text(),
            None => match note.attr("plainTextPath").and_then(|p| r.embedded(p)) {
                Some(bytes) => decode_text(&bytes).map(|d| d.text).unwrap_or_default(),
                None => String::new(),
            },
        };
        let text = normalize_newlines(text.strip_prefix('\u{FEFF}').unwrap_or(&text));
        // A Note's Description (a summary some tools keep beside the text) comes first.
        let description = note
            .first("Description")
            .map(|d| normalize_newlines(d.text().trim()))
            .unwrap_or_default();
        let text = match (description.is_empty(), text.trim().is_empty()) {
            (true, _) => text,
            (false, true) => description,
            (false, false) => format!("{description}\n\n{text}"),
        };
        let updated = note
            .attr("modifiedDateTime")
            .or(note.attr("creationDateTime"))
            .and_then(parse_datetime)
            .unwrap_or_else(now_ms);
        let targets = r
            .note_targets
            .get(&guid)
            .cloned()
            .unwrap_or_else(|| vec![MemoTarget::Project]);
        for target in targets {
            let id = r.batch.ids.memo();
            r.batch.commands.push(Command::AddMemo(Memo {
                id,
                target,
                title: note.attr("name").unwrap_or("").trim().to_string(),
                text: text.clone(),
                updated_at_ms: updated,
            }));
            r.batch.report.memos += 1;
        }
    }
    Ok(())
}

/// Reads a `.qdc` codebook into the batch.
pub(crate) fn read_qdc(
    batch: &mut ImportBatch,
    path: &Path,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<()> {
    let root = xml::parse(bytes).map_err(|e| Error::bad_input(path, e))?;
    if root.name != "CodeBook" {
        return Err(Error::bad_input(
            path,
            format!(
                "is not a REFI-QDA codebook (its root element is <{}>)",
                root.name
            ),
        ));
    }
    let mut reader = Reader::new(batch, None, SourceKind::Interview)?;
    match root.first("Codes") {
        Some(codes) => reader.read_codebook(codes, options)?,
        None => {
            return Err(Error::bad_input(
                path,
                "holds no <Codes>: the codebook is empty",
            ));
        }
    }
    if let Some(sets) = root.first("Sets") {
        let n = sets.all("Set").count();
        if n > 0 {
            reader.skip(format!(
                "{}: Sitat has no code sets",
                crate::text::count(n, "Set")
            ));
        }
    }
    let skipped = std::mem::take(&mut reader.skipped);
    reader.batch.report.not_imported.extend(skipped);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_round_trip() {
        assert_eq!(
            parse_selection_description("[Sitat stance: +2 Skjønn]\nmemo\nline"),
            (Some(2), "memo\nline".to_string())
        );
        assert_eq!(
            parse_selection_description("[Sitat stance: -1 Regler]"),
            (Some(-1), String::new())
        );
        assert_eq!(
            parse_selection_description("just a memo"),
            (None, "just a memo".into())
        );
        let (d, p) = parse_code_description("About rules.\n\n[Sitat axis: Regler ↔ Skjønn]");
        assert_eq!(d, "About rules.");
        assert_eq!(p.unwrap().positive, "Skjønn");
    }

    #[test]
    fn datetimes() {
        assert_eq!(parse_datetime("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_datetime("2000-02-29T00:00:00.5Z"),
            Some(951_782_400_500)
        );
        assert_eq!(parse_datetime("1970-01-01T01:00:00+01:00"), Some(0));
    }

    #[test]
    fn titles_of_untitled_sources() {
        assert_eq!(
            source_title(" Intervju ", Some("internal://a.txt")),
            "Intervju"
        );
        assert_eq!(
            source_title("", Some("relative:///data/Kari 2.txt")),
            "Kari 2"
        );
        assert_eq!(source_title("", Some("C:\\data\\Ola.txt")), "Ola");
        assert_eq!(source_title("", None), "(untitled source)");
    }

    #[test]
    fn guids_in_any_case() {
        assert_eq!(
            norm_guid("{AB12CD34-0000-0000-0000-00000000000F}"),
            norm_guid("ab12cd34-0000-0000-0000-00000000000f")
        );
    }
}
