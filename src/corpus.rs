//! Corpus manifests (corpus/manifest.json, documented in corpus/README.md): actors, persons,
//! themes, sources and a pre-coding, loaded into a project as one undoable step. The demo corpus
//! is embedded in the binary.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::command::Command;
use crate::error::{Error, Result};
use crate::model::*;
use crate::project::{NewCoding, NewSource, NewTheme, Project};
use crate::text::{find_chars, normalize_newlines};

include!(concat!(env!("OUT_DIR"), "/demo_corpus.rs"));

pub const MANIFEST_FORMAT: &str = "sitat-corpus/1";

#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub citation: String,
    #[serde(default)]
    pub coder: Option<String>,
    #[serde(default)]
    pub actors: Vec<ManifestActor>,
    #[serde(default)]
    pub persons: Vec<ManifestPerson>,
    #[serde(default)]
    pub themes: Vec<ManifestTheme>,
    #[serde(default)]
    pub sources: Vec<ManifestSource>,
    #[serde(default)]
    pub codings: Vec<ManifestCoding>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ManifestActor {
    /// Short name, used in columns and by persons: "KS".
    pub key: String,
    /// Full name: "KS – Kommunesektorens organisasjon".
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ManifestPerson {
    pub key: String,
    pub name: String,
    pub actor: String,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ManifestTheme {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub color: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub poles: Option<[String; 2]>,
    #[serde(default)]
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ManifestSource {
    pub key: String,
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub person: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub metadata: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ManifestCoding {
    pub source: String,
    pub theme: String,
    #[serde(default)]
    pub stance: Option<i64>,
    /// An exact substring of the source occurring once; absent = the whole source.
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub memo: Option<String>,
}

/// What loading a corpus created.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CorpusReport {
    pub actors: usize,
    pub persons: usize,
    pub themes: usize,
    pub sources: usize,
    pub codings: usize,
}

/// Where a manifest's `file` entries are read from.
pub trait CorpusFiles {
    fn read(&self, relative: &str) -> Result<String>;
}

/// The demo corpus compiled into the binary.
pub struct EmbeddedDemo;

impl CorpusFiles for EmbeddedDemo {
    fn read(&self, relative: &str) -> Result<String> {
        DEMO_FILES
            .iter()
            .find(|(path, _)| *path == relative)
            .map(|(_, text)| text.to_string())
            .ok_or_else(|| Error::Manifest(format!("the embedded demo has no file {relative:?}")))
    }
}

/// A corpus folder on disk.
pub struct CorpusDir(pub PathBuf);

impl CorpusFiles for CorpusDir {
    fn read(&self, relative: &str) -> Result<String> {
        if Path::new(relative).is_absolute() || relative.split(['/', '\\']).any(|p| p == "..") {
            return Err(Error::Manifest(format!(
                "file {relative:?} must be a path inside the corpus folder"
            )));
        }
        let path = self.0.join(relative);
        std::fs::read_to_string(&path).map_err(|e| Error::io(path, e))
    }
}

pub fn parse_manifest(json: &str) -> Result<Manifest> {
    let manifest: Manifest = serde_json::from_str(json)
        .map_err(|e| Error::Manifest(format!("manifest.json is not valid: {e}")))?;
    if manifest.format != MANIFEST_FORMAT {
        return Err(Error::Manifest(format!(
            "format is {:?}; this Sitat reads {MANIFEST_FORMAT:?}",
            manifest.format
        )));
    }
    Ok(manifest)
}

/// The embedded demo's manifest.
pub fn demo_manifest() -> Result<Manifest> {
    parse_manifest(&EmbeddedDemo.read("manifest.json")?)
}

/// Creates a project file holding the demo corpus.
pub fn write_demo_project(path: &Path) -> Result<Project> {
    let manifest = demo_manifest()?;
    Project::create_with(path, |project| {
        load_corpus(project, &manifest, &EmbeddedDemo).map(drop)
    })
}

/// The demo project in the user's data folder, built on first use.
pub fn open_or_build_demo() -> Result<Project> {
    let dir = directories::ProjectDirs::from("no", "Sitat", "Sitat")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("sitat"));
    std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
    let path = dir.join("demo.sitat");
    if path.exists() {
        Project::open(&path)
    } else {
        write_demo_project(&path)
    }
}

fn attribute_value(value: &serde_json::Value) -> AttributeValue {
    use serde_json::Value;
    match value {
        Value::Bool(b) => AttributeValue::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => AttributeValue::Integer(i),
            None => AttributeValue::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) if is_iso_date(s) => AttributeValue::Date(s.clone()),
        Value::String(s) => AttributeValue::Text(s.clone()),
        other => AttributeValue::Text(other.to_string()),
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn metadata_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn lookup<'a, T>(
    map: &'a HashMap<String, T>,
    key: &str,
    what: &str,
    context: &str,
) -> Result<&'a T> {
    map.get(key).ok_or_else(|| {
        Error::Manifest(format!(
            "{context} names {what} {key:?}, which the manifest does not define"
        ))
    })
}

/// Loads a corpus into a project as one undoable step; nothing is written if any part is wrong.
pub fn load_corpus(
    project: &mut Project,
    manifest: &Manifest,
    files: &dyn CorpusFiles,
) -> Result<CorpusReport> {
    let previous_coder = project.coder_name().to_string();
    if let Some(coder) = &manifest.coder {
        project.set_coder(coder.clone());
    }
    let result = build_and_apply(project, manifest, files);
    project.set_coder(previous_coder);
    result
}

fn build_and_apply(
    project: &mut Project,
    manifest: &Manifest,
    files: &dyn CorpusFiles,
) -> Result<CorpusReport> {
    let mut ids = project.ids()?;
    let start = ids.clone();
    let mut commands = Vec::new();
    let mut report = CorpusReport::default();

    let mut actors = HashMap::new();
    for a in &manifest.actors {
        let actor = Actor {
            id: ids.actor(),
            name: a.key.trim().to_string(),
            full_name: a.name.trim().to_string(),
            attributes: a
                .attributes
                .iter()
                .map(|(name, value)| Attribute {
                    name: name.clone(),
                    value: attribute_value(value),
                })
                .collect(),
        };
        actors.insert(a.key.clone(), actor.id);
        commands.push(Command::AddActor(actor));
    }
    report.actors = actors.len();

    let mut persons = HashMap::new();
    for p in &manifest.persons {
        let actor_id = *lookup(&actors, &p.actor, "actor", &format!("person {:?}", p.key))?;
        let person = Person {
            id: ids.person(),
            name: p.name.trim().to_string(),
            actor_id,
            title: p.title.clone().unwrap_or_default(),
        };
        persons.insert(p.key.clone(), person.id);
        commands.push(Command::AddPerson(person));
    }
    report.persons = persons.len();

    // Themes in two passes, so a child may come before its parent in the file.
    let mut themes: HashMap<String, ThemeId> = HashMap::new();
    let mut theme_commands = Vec::new();
    for t in &manifest.themes {
        let new = NewTheme {
            name: t.name.clone(),
            parent_id: None,
            color: t.color.clone(),
            description: t.description.trim().to_string(),
            poles: t
                .poles
                .clone()
                .map(|[negative, positive]| Poles { negative, positive }),
        };
        let (id, command) = project.add_theme_command(&mut ids, new)?;
        themes.insert(t.key.clone(), id);
        theme_commands.push(command);
    }
    for (t, command) in manifest.themes.iter().zip(theme_commands.iter_mut()) {
        if let (Some(parent), Command::AddTheme(theme)) = (&t.parent, command) {
            theme.parent_id = Some(*lookup(
                &themes,
                parent,
                "parent theme",
                &format!("theme {:?}", t.key),
            )?);
        }
    }
    report.themes = themes.len();
    commands.extend(theme_commands);

    let mut sources: HashMap<String, (SourceId, String)> = HashMap::new();
    for s in &manifest.sources {
        let kind = SourceKind::parse(&s.kind).ok_or_else(|| {
            Error::Manifest(format!(
                "source {:?} has kind {:?}; the kinds are interview, literature, reference, note",
                s.key, s.kind
            ))
        })?;
        let raw = match (&s.text, &s.file) {
            (Some(text), None) => text.clone(),
            (None, Some(file)) => files.read(file)?,
            _ => {
                return Err(Error::Manifest(format!(
                    "source {:?} needs exactly one of \"text\" and \"file\"",
                    s.key
                )));
            }
        };
        let text = normalize_newlines(raw.trim());
        let mut new = NewSource::new(kind, s.title.clone(), text.clone());
        new.person_id = match &s.person {
            Some(p) => Some(*lookup(
                &persons,
                p,
                "person",
                &format!("source {:?}", s.key),
            )?),
            None => None,
        };
        new.metadata.push(("key".into(), s.key.clone()));
        new.metadata.extend(
            s.metadata
                .iter()
                .map(|(k, v)| (k.clone(), metadata_text(v))),
        );
        let (id, command) = Project::add_source_command(&mut ids, new);
        if sources.insert(s.key.clone(), (id, text)).is_some() {
            return Err(Error::Manifest(format!(
                "source key {:?} is used twice",
                s.key
            )));
        }
        commands.push(command);
    }
    report.sources = sources.len();

    let (coder_id, coder_commands) = project.coder_commands(&mut ids)?;
    commands.extend(coder_commands);
    for (n, c) in manifest.codings.iter().enumerate() {
        let context = format!("coding {} (source {:?})", n + 1, c.source);
        let (source_id, text) = lookup(&sources, &c.source, "source", &context)?;
        let theme_id = *lookup(&themes, &c.theme, "theme", &context)?;
        let span = match &c.quote {
            None => CharSpan::new(0, text.chars().count()),
            Some(quote) => {
                let quote = normalize_newlines(quote);
                let span = find_chars(text, &quote).ok_or_else(|| {
                    Error::Manifest(format!("{context}: quote {quote:?} is not in the source"))
                })?;
                if text.matches(quote.as_str()).count() > 1 {
                    return Err(Error::Manifest(format!(
                        "{context}: quote {quote:?} occurs more than once; quote more of it"
                    )));
                }
                span
            }
        };
        let mut new = NewCoding::new(*source_id, span, theme_id);
        new.stance = c.stance;
        new.memo = c.memo.clone().unwrap_or_default();
        let coding = Project::coding_from(new, ids.coding(), coder_id)
            .map_err(|e| Error::Manifest(format!("{context}: {e}")))?;
        commands.push(Command::AddCoding(coding));
    }
    report.codings = manifest.codings.len();

    project.apply_allocated(
        Command::Batch {
            label: format!("load corpus {}", manifest.title),
            commands,
        },
        &start,
    )?;
    project.set_info("corpus_title", &manifest.title)?;
    project.set_info("corpus_citation", &manifest.citation)?;
    Ok(report)
}
