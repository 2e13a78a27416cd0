//! Importing files and folders: plain text and Markdown, Word (.docx), OpenDocument (.odt),
//! PDF, and REFI-QDA projects (.qdpx) and codebooks (.qdc). Every file is read and checked
//! first; then everything goes into the project as one command (one transaction, one undo).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::transcript::{SpeakerMap, detect_turns, resolve_speaker, speaker_label};
use super::{ImportReport, MAX_IMPORT_BYTES, UnknownSpeaker, decode_text, docx, pdf, refi};
use crate::command::Command;
use crate::error::{Error, Result};
use crate::model::*;
use crate::project::{NewSource, NewTheme, Project};
use crate::store::IdAllocator;

/// A .qdpx may carry audio and video that Sitat skips without unpacking; the archive itself may
/// be this large.
pub const MAX_PROJECT_ARCHIVE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// The file name endings `import_paths` reads.
pub const IMPORT_EXTENSIONS: [&str; 9] = [
    "txt", "text", "md", "markdown", "docx", "odt", "pdf", "qdpx", "qdc",
];

/// How files are brought in.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The kind of the new sources (REFI-QDA sources carry their own when Sitat wrote them).
    pub kind: SourceKind,
    /// Attribute every new text source as a whole to this person.
    pub person_id: Option<PersonId>,
    /// Speaker labels → person names, for transcripts.
    pub speakers: SpeakerMap,
    /// Look for speaker turns in text, Word, OpenDocument and PDF files.
    pub detect_turns: bool,
    /// Speaker labels → person names for one file, ahead of `speakers`: an "R" is another
    /// respondent in each interview.
    pub file_speakers: Vec<(PathBuf, SpeakerMap)>,
    /// Persons created before the files are read, so that speaker maps can name them; part of
    /// the import's one undo step.
    pub new_persons: Vec<NewPerson>,
    /// REFI-QDA: rebuild the tree of a codebook whose every code is named `Group::Code` (as
    /// ATLAS.ti flattens code groups).
    pub rebuild_code_groups: bool,
}

/// A person to create with an import (the GUI asks for them when a speaker is new).
#[derive(Debug, Clone, PartialEq)]
pub struct NewPerson {
    pub name: String,
    pub actor: ActorChoice,
}

/// An actor that exists, or one to create with this name.
#[derive(Debug, Clone, PartialEq)]
pub enum ActorChoice {
    Existing(ActorId),
    New(String),
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            kind: SourceKind::Interview,
            person_id: None,
            speakers: SpeakerMap::default(),
            detect_turns: true,
            file_speakers: Vec::new(),
            new_persons: Vec::new(),
            rebuild_code_groups: true,
        }
    }
}

/// Imports files and folders (read recursively) as one undoable step; see [`import_paths_with_progress`].
pub fn import_paths(
    project: &mut Project,
    paths: &[PathBuf],
    options: &ImportOptions,
) -> Result<ImportReport> {
    import_paths_with_progress(project, paths, options, &|_| {})
}

/// Imports files and folders; `progress` hears 0.0…1.0 as files are read. One bad file imports
/// nothing: the error names it and says why.
pub fn import_paths_with_progress(
    project: &mut Project,
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: &dyn Fn(f32),
) -> Result<ImportReport> {
    let prepared = prepare_import(project, paths, options, progress)?;
    let report = prepared.apply(project)?;
    progress(1.0);
    Ok(report)
}

/// An import read and checked, not yet applied: the slow part (reading and parsing files) can
/// run on a worker thread with its own connection, and the one command is then applied where
/// the user's undo history lives.
pub struct PreparedImport {
    label: String,
    commands: Vec<Command>,
    /// The ids as they were before the batch took any: where its own ids begin.
    start: IdAllocator,
    pub report: ImportReport,
}

/// Reads every file into one batch of commands, with ids taken from `project` as it is now.
pub fn prepare_import(
    project: &Project,
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: &dyn Fn(f32),
) -> Result<PreparedImport> {
    let mut skipped = Vec::new();
    let files = expand_paths(paths, &mut skipped)?;
    if let Some(person) = options.person_id {
        project.person(person)?;
    }
    let mut batch = ImportBatch::new(project)?;
    batch.report.warnings.extend(skipped);
    for new in &options.new_persons {
        batch.new_person(new)?;
    }
    progress(0.0);
    for (i, file) in files.iter().enumerate() {
        batch.read_file(file, options)?;
        progress((i + 1) as f32 / files.len() as f32 * 0.95);
    }
    let ImportBatch {
        commands,
        report,
        start,
        ..
    } = batch;
    let label = match files.as_slice() {
        [one] => format!(
            "import {}",
            one.file_name().and_then(|n| n.to_str()).unwrap_or("file")
        ),
        many => format!("import {} files", many.len()),
    };
    Ok(PreparedImport {
        label,
        commands,
        start,
        report,
    })
}

impl PreparedImport {
    /// Applies the import as one undoable command (nothing when there was nothing to import).
    /// Rows another process added since it was prepared keep their ids; the import's move past
    /// them, and the report says the ids the sources got.
    pub fn apply(mut self, project: &mut Project) -> Result<ImportReport> {
        if !self.commands.is_empty() {
            let shift = project.apply_allocated(
                Command::Batch {
                    label: self.label,
                    commands: self.commands,
                },
                &self.start,
            )?;
            for (id, _) in &mut self.report.sources {
                *id = shift.source(*id);
            }
        }
        Ok(self.report)
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Files named, and the importable files inside folders named (sorted, hidden ones skipped).
fn expand_paths(paths: &[PathBuf], skipped: &mut Vec<String>) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            let before = files.len();
            walk(path, &mut files, skipped)?;
            if files.len() == before {
                return Err(Error::bad_input(
                    path,
                    format!(
                        "holds no file Sitat can import (it reads .{})",
                        IMPORT_EXTENSIONS.join(", .")
                    ),
                ));
            }
        } else {
            files.push(path.clone());
        }
    }
    if files.is_empty() {
        return Err(Error::bad_input(
            "(no files)",
            "name at least one file or folder to import",
        ));
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, skipped: &mut Vec<String>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') || n.starts_with("~$"));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, files, skipped)?;
        } else if IMPORT_EXTENSIONS.contains(&extension(&path).as_str()) {
            files.push(path);
        } else {
            skipped.push(format!(
                "{}: skipped, not a format Sitat imports",
                path.display()
            ));
        }
    }
    Ok(())
}

/// What a file's first bytes say it is, when that is not text.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("a PDF file (.pdf)")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some("a ZIP container (a .docx, .odt or .qdpx?)")
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        Some("an old Office 97–2003 document (.doc)")
    } else if bytes.starts_with(b"{\\rtf") {
        Some("a Rich Text document (.rtf)")
    } else {
        None
    }
}

fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > limit {
        return Err(Error::bad_input(
            path,
            format!(
                "is {} MB; Sitat imports files up to {} MB, because it reads a document whole into memory — split it into parts",
                meta.len() / (1024 * 1024),
                limit / (1024 * 1024)
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    if bytes.is_empty() {
        return Err(Error::bad_input(
            path,
            "is empty: there is nothing to import",
        ));
    }
    Ok(bytes)
}

/// The commands of one import, built against the project as it is plus what the import adds.
pub(crate) struct ImportBatch<'p> {
    pub project: &'p Project,
    pub ids: IdAllocator,
    /// `ids` before the batch took any.
    start: IdAllocator,
    pub commands: Vec<Command>,
    pub report: ImportReport,
    persons: Vec<Person>,
    theme_names: HashMap<String, ThemeId>,
    actor_names: HashMap<String, ActorId>,
    person_names: HashMap<String, PersonId>,
    coder_names: HashMap<String, CoderId>,
}

impl<'p> ImportBatch<'p> {
    pub fn new(project: &'p Project) -> Result<ImportBatch<'p>> {
        let persons = project.persons()?;
        let ids = project.ids()?;
        Ok(ImportBatch {
            project,
            start: ids.clone(),
            ids,
            commands: Vec::new(),
            report: ImportReport::default(),
            theme_names: project
                .themes()?
                .into_iter()
                .map(|t| (t.name.to_lowercase(), t.id))
                .collect(),
            actor_names: project
                .actors()?
                .into_iter()
                .map(|a| (a.name.to_lowercase(), a.id))
                .collect(),
            person_names: persons
                .iter()
                .map(|p| (p.name.to_lowercase(), p.id))
                .collect(),
            coder_names: project
                .coders()?
                .into_iter()
                .map(|c| (c.name.to_lowercase(), c.id))
                .collect(),
            persons,
        })
    }

    pub fn theme_named(&self, name: &str) -> Option<ThemeId> {
        self.theme_names.get(&name.trim().to_lowercase()).copied()
    }

    /// Adds a theme; a name taken already gets a number ("Tillit (2)").
    pub fn add_theme(&mut self, mut new: NewTheme) -> Result<ThemeId> {
        let base = if new.name.trim().is_empty() {
            "(unnamed code)".to_string()
        } else {
            new.name.trim().to_string()
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.theme_names.contains_key(&name.to_lowercase()) {
            name = format!("{base} ({n})");
            n += 1;
        }
        if name != base {
            self.report.warnings.push(format!(
                "code \"{base}\" exists already; imported as \"{name}\""
            ));
        }
        new.name = name.clone();
        let (id, command) = self.project.add_theme_command(&mut self.ids, new)?;
        self.commands.push(command);
        self.theme_names.insert(name.to_lowercase(), id);
        self.report.themes += 1;
        Ok(id)
    }

    pub fn actor_named(&self, name: &str) -> Option<ActorId> {
        self.actor_names.get(&name.trim().to_lowercase()).copied()
    }

    pub fn add_actor(
        &mut self,
        name: &str,
        full_name: &str,
        attributes: Vec<Attribute>,
    ) -> ActorId {
        let id = self.ids.actor();
        self.commands.push(Command::AddActor(Actor {
            id,
            name: name.trim().to_string(),
            full_name: full_name.trim().to_string(),
            attributes,
        }));
        self.actor_names.insert(name.trim().to_lowercase(), id);
        self.report.actors += 1;
        id
    }

    /// Creates a person asked for with the import, and its actor if new; a name the project
    /// has already is that person.
    fn new_person(&mut self, new: &NewPerson) -> Result<PersonId> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(Error::bad_input(
                "(new person)",
                "a new person needs a name",
            ));
        }
        if let Some(id) = self.person_named(name) {
            return Ok(id);
        }
        let actor_id = match &new.actor {
            ActorChoice::Existing(id) => self.project.actor(*id)?.id,
            ActorChoice::New(actor) if actor.trim().is_empty() => {
                return Err(Error::bad_input(
                    name,
                    "the new person's new actor needs a name",
                ));
            }
            ActorChoice::New(actor) => match self.actor_named(actor) {
                Some(id) => id,
                None => self.add_actor(actor, "", Vec::new()),
            },
        };
        Ok(self.add_person(name, actor_id, ""))
    }

    pub fn person_named(&self, name: &str) -> Option<PersonId> {
        self.person_names.get(&name.trim().to_lowercase()).copied()
    }

    pub fn add_person(&mut self, name: &str, actor_id: ActorId, title: &str) -> PersonId {
        let id = self.ids.person();
        let person = Person {
            id,
            name: name.trim().to_string(),
            actor_id,
            title: title.trim().to_string(),
        };
        self.persons.push(person.clone());
        self.commands.push(Command::AddPerson(person));
        self.person_names.insert(name.trim().to_lowercase(), id);
        self.report.persons += 1;
        id
    }

    /// The coder of that name, created if new.
    pub fn coder(&mut self, name: &str) -> CoderId {
        let name = if name.trim().is_empty() {
            self.project.coder_name().to_string()
        } else {
            name.trim().to_string()
        };
        if let Some(id) = self.coder_names.get(&name.to_lowercase()) {
            return *id;
        }
        let id = self.ids.coder();
        self.commands.push(Command::AddCoder(Coder {
            id,
            name: name.clone(),
        }));
        self.coder_names.insert(name.to_lowercase(), id);
        id
    }

    pub fn add_source(&mut self, new: NewSource) -> SourceId {
        let title = new.title.clone();
        self.report.turns += new.turns.len();
        let (id, command) = Project::add_source_command(&mut self.ids, new);
        self.commands.push(command);
        self.report.sources.push((id, title));
        id
    }

    fn read_file(&mut self, path: &Path, options: &ImportOptions) -> Result<()> {
        let ext = extension(path);
        let (text, mut metadata) = match ext.as_str() {
            "txt" | "text" | "md" | "markdown" => {
                let bytes = read_limited(path, MAX_IMPORT_BYTES)?;
                if let Some(what) = sniff(&bytes) {
                    return Err(Error::bad_input(
                        path,
                        format!(
                            "is {what}, not text, though it is named .{ext}; rename it or export it as plain text"
                        ),
                    ));
                }
                let decoded = decode_text(&bytes).map_err(|r| Error::bad_input(path, r))?;
                if decoded.encoding != "UTF-8" {
                    self.report.warnings.push(format!(
                        "{}: read as {}",
                        path.display(),
                        decoded.encoding
                    ));
                }
                let format = if ext.starts_with('m') {
                    "markdown"
                } else {
                    "text"
                };
                (
                    decoded.text,
                    vec![
                        ("format".to_string(), format.to_string()),
                        ("encoding".to_string(), decoded.encoding.to_string()),
                    ],
                )
            }
            "docx" | "odt" => {
                let bytes = read_limited(path, MAX_IMPORT_BYTES)?;
                if let Some(what) = sniff(&bytes).filter(|_| !bytes.starts_with(b"PK")) {
                    return Err(Error::bad_input(
                        path,
                        format!(
                            "is {what}, though it is named .{ext}; open it in a word processor and save it as .docx"
                        ),
                    ));
                }
                let doc = if ext == "docx" {
                    docx::read_docx(path, bytes)?
                } else {
                    docx::read_odt(path, bytes)?
                };
                (
                    doc.text,
                    vec![
                        ("format".to_string(), ext.clone()),
                        ("headings".to_string(), doc.headings.to_string()),
                    ],
                )
            }
            "pdf" => {
                let bytes = read_limited(path, MAX_IMPORT_BYTES)?;
                let pdf = pdf::read_pdf(path, &bytes)?;
                if pdf.dropped_lines > 0 {
                    self.report.warnings.push(format!(
                        "{}: dropped {} running header, footer and page-number lines",
                        path.display(),
                        pdf.dropped_lines
                    ));
                }
                (
                    pdf.text,
                    vec![
                        ("format".to_string(), "pdf".to_string()),
                        ("pages".to_string(), pdf.pages.to_string()),
                    ],
                )
            }
            "qdpx" => {
                let size = std::fs::metadata(path)
                    .map_err(|e| Error::io(path, e))?
                    .len();
                if size > MAX_PROJECT_ARCHIVE_BYTES {
                    return Err(Error::bad_input(
                        path,
                        format!(
                            "is {} MB; Sitat opens REFI-QDA projects up to {} MB",
                            size / (1024 * 1024),
                            MAX_PROJECT_ARCHIVE_BYTES / (1024 * 1024)
                        ),
                    ));
                }
                return refi::read_qdpx(self, path, options);
            }
            "qdc" => {
                let bytes = read_limited(path, MAX_IMPORT_BYTES)?;
                return refi::read_qdc(self, path, &bytes, options);
            }
            "doc" | "rtf" | "pages" | "wpd" => {
                return Err(Error::bad_input(
                    path,
                    format!(
                        "Sitat cannot read .{ext} files; save the document as .docx, .odt, .pdf or .txt"
                    ),
                ));
            }
            _ => {
                return Err(Error::bad_input(
                    path,
                    format!(
                        "Sitat cannot import .{ext} files; it reads .{}",
                        IMPORT_EXTENSIONS.join(", .")
                    ),
                ));
            }
        };
        if text.trim().is_empty() {
            return Err(Error::bad_input(
                path,
                "is empty: there is no text to import",
            ));
        }
        // Bytes first: a text has at least a quarter as many characters as bytes.
        if text.len() > super::MAX_SOURCE_CHARS && text.chars().count() > super::MAX_SOURCE_CHARS {
            return Err(Error::bad_input(
                path,
                format!(
                    "holds more than {} million characters of text; Sitat imports documents up to that size — split it into parts",
                    super::MAX_SOURCE_CHARS / 1_000_000
                ),
            ));
        }
        metadata.insert(0, ("file".to_string(), path.display().to_string()));
        let title = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("untitled")
            .to_string();
        let mut new = NewSource::new(options.kind, title, text);
        new.metadata = metadata;
        new.person_id = options.person_id;
        if options.detect_turns {
            let mut speakers = SpeakerMap::default();
            for (file, map) in &options.file_speakers {
                if file == path {
                    speakers.entries.extend(map.entries.iter().cloned());
                }
            }
            speakers
                .entries
                .extend(options.speakers.entries.iter().cloned());
            self.attach_turns(path, &mut new, &speakers);
        }
        self.add_source(new);
        Ok(())
    }

    /// Finds speaker turns and maps each label to a person; unknown labels are reported.
    fn attach_turns(&mut self, path: &Path, new: &mut NewSource, speakers: &SpeakerMap) {
        let persons = &self.persons;
        let known = |label: &str| {
            speakers.person_for(label).is_some()
                || resolve_speaker(label, speakers, persons).is_some()
        };
        let turns = detect_turns(&new.text, &known);
        // label → (turns, the first turn's words)
        let mut unknown: BTreeMap<String, (usize, String)> = BTreeMap::new();
        let mut missing = BTreeSet::new();
        for turn in turns {
            match resolve_speaker(&turn.label, speakers, persons) {
                Some(person) => new.turns.push((turn.span, person.id)),
                None => {
                    if let Some(name) = speakers.person_for(&turn.label) {
                        missing.insert(name.to_string());
                    }
                    let first = unknown
                        .entry(turn.label)
                        .or_insert_with(|| (0, turn_sample(&new.text, turn.span)));
                    first.0 += 1;
                }
            }
        }
        for name in missing {
            self.report.warnings.push(format!(
                "{}: the speaker map names \"{name}\", but the project has no such person; add the person and import again",
                path.display()
            ));
        }
        // Listed once as unknown speakers (the report's text); the workbench asks about them,
        // the command line says how to map them.
        if !unknown.is_empty() {
            for (label, (turns, sample)) in unknown {
                if !self.report.unknown_speakers.contains(&label) {
                    self.report.unknown_speakers.push(label.clone());
                }
                self.report.speakers_to_map.push(UnknownSpeaker {
                    file: path.to_path_buf(),
                    label,
                    turns,
                    sample,
                });
            }
        }
    }
}

/// The first words of a turn, after its label: at most 100 characters, on one line.
fn turn_sample(text: &str, span: CharSpan) -> String {
    let turn: String = text
        .chars()
        .skip(span.start)
        .take(span.len().min(300))
        .collect();
    // After the label (and any time stamp before it).
    let after = speaker_label(&turn).map_or(0, |(_, after)| after);
    let words = turn
        .chars()
        .skip(after)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match words.char_indices().nth(100) {
        Some((cut, _)) => format!("{}…", &words[..cut]),
        None => words,
    }
}

impl ImportReport {
    /// The report as lines for the terminal.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for (id, title) in &self.sources {
            text.push_str(&format!("imported {title} as source {}\n", id.0));
        }
        let counts = [
            (self.turns, "speaker turn"),
            (self.actors, "actor"),
            (self.persons, "person"),
            (self.themes, "theme"),
            (self.codings, "coding"),
            (self.memos, "memo"),
        ];
        let made: Vec<String> = counts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}{}", if *n == 1 { "" } else { "s" }))
            .collect();
        if !made.is_empty() {
            text.push_str(&format!("with {}\n", made.join(", ")));
        }
        if self.sources.is_empty() && made.is_empty() {
            text.push_str("nothing was imported\n");
        }
        let mut undecided = 0;
        for reading in &self.position_readings {
            if reading.choice.decided {
                text.push_str(&format!(
                    "positions in \"{}\" read as {}: {} of {} moved\n",
                    reading.source,
                    reading.choice.describe(),
                    reading.choice.moved,
                    reading.choice.positions
                ));
            } else {
                undecided += 1;
            }
        }
        if undecided > 0 {
            text.push_str(&format!(
                "positions in {undecided} source{} read as code points (no \\r\\n and no character beyond the BMP: nothing to decide)\n",
                if undecided == 1 { "" } else { "s" }
            ));
        }
        if !self.unknown_speakers.is_empty() {
            text.push_str(&format!(
                "unknown speakers (turns not attributed): {}\n",
                self.unknown_speakers.join(", ")
            ));
        }
        for what in &self.not_imported {
            text.push_str(&format!("not imported: {what}\n"));
        }
        for warning in &self.warnings {
            text.push_str(&format!("note: {warning}\n"));
        }
        text
    }
}
