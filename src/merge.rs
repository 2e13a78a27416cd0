//! Merging a colleague's project into this one, as one undoable step.
//!
//! What is the same thing in both projects:
//! - a **source** is the same when its text is the same, whatever its title or id;
//! - a **theme** is the same when it has the same REFI-QDA GUID (two copies of one project
//!   share them), else the same whole path from the top of the codebook (case-insensitive);
//! - **actors**, **persons** and **coders** are the same when their names are (case-insensitive).
//!
//! Everything else of the other project is added: its sources, themes, actors, persons and
//! coders that this project lacks, every coding under its own coder, every memo. A coding or
//! memo that this project already holds exactly is not added twice, so merging the same project
//! again adds nothing. Differences that cannot both be kept — a theme recoloured or described
//! differently, a person attributed to another actor, a title that another source has with other
//! text — are listed in the report; this project's version is kept and nothing is dropped
//! silently.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::command::{Command, SourceRecord};
use crate::error::{Error, Result};
use crate::model::{
    Actor, ActorId, Coder, CoderId, Coding, Memo, MemoTarget, Person, PersonId, Source, SourceId,
    SpeakerTurn, Theme, ThemeId,
};
use crate::project::Project;
use crate::store::IdAllocator;

/// What a merge brought over, and what it could not reconcile.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MergeReport {
    /// The other project's file.
    pub from: String,
    pub sources_matched: usize,
    pub sources_added: usize,
    pub themes_matched: usize,
    pub themes_added: usize,
    pub actors_added: usize,
    pub persons_added: usize,
    pub coders_added: usize,
    pub codings_added: usize,
    /// Codings this project already had (same source, span, theme and coder).
    pub codings_already_here: usize,
    pub memos_added: usize,
    pub memos_already_here: usize,
    /// Differences kept as this project has them, one line each.
    pub conflicts: Vec<String>,
}

impl MergeReport {
    /// The report as lines a researcher can read.
    pub fn to_text(&self) -> String {
        let mut out = format!("Merged {}:\n", self.from);
        let mut line = |what: String| {
            out.push_str("  ");
            out.push_str(&what);
            out.push('\n');
        };
        line(format!(
            "{} added, {} already here",
            plural(self.sources_added, "source"),
            self.sources_matched
        ));
        line(format!(
            "{} added, {} matched",
            plural(self.themes_added, "theme"),
            self.themes_matched
        ));
        line(format!(
            "{} added, {} already here",
            plural(self.codings_added, "coding"),
            self.codings_already_here
        ));
        line(format!(
            "{} added, {} already here",
            plural(self.memos_added, "memo"),
            self.memos_already_here
        ));
        line(format!(
            "{}, {}, {} added",
            plural(self.actors_added, "actor"),
            plural(self.persons_added, "person"),
            plural(self.coders_added, "coder")
        ));
        if self.conflicts.is_empty() {
            out.push_str("No conflicts.\n");
        } else {
            out.push_str(&format!(
                "{} kept as this project has them:\n",
                plural(self.conflicts.len(), "difference")
            ));
            for conflict in &self.conflicts {
                out.push_str(&format!("  - {conflict}\n"));
            }
        }
        out
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Merges the project at `other` (a `.sitat` project, or a REFI-QDA `.qdpx` project read into
/// a temporary project first) into `project`, as one undoable step.
pub fn merge_path(project: &mut Project, other: &Path) -> Result<MergeReport> {
    let is_qdpx = other
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qdpx"));
    if !other.exists() {
        return Err(Error::bad_input(
            other,
            "there is no such file: check the path of the project to merge",
        ));
    }
    if same_file(project.path(), other) {
        return Err(Error::bad_input(
            other,
            "this is the project itself: choose a colleague's copy to merge",
        ));
    }
    let mut report = if is_qdpx {
        let dir = tempfile_dir()?;
        let temporary = dir.join("merged.sitat");
        let mut read = Project::create(&temporary)?;
        crate::import::import_paths(
            &mut read,
            &[other.to_path_buf()],
            &crate::import::ImportOptions::default(),
        )?;
        let report = merge(project, &read);
        drop(read);
        let _ = std::fs::remove_dir_all(&dir);
        report?
    } else {
        // Work on a copy: opening a project may migrate it, and the colleague's file is theirs.
        let dir = tempfile_dir()?;
        let copy = dir.join("merged.sitat");
        std::fs::copy(other, &copy).map_err(|e| Error::io(other, e))?;
        // Changes not yet moved into the file itself, while the colleague's workbench is open.
        let wal = std::path::PathBuf::from(format!("{}-wal", other.display()));
        if wal.exists() {
            std::fs::copy(&wal, dir.join("merged.sitat-wal")).map_err(|e| Error::io(&wal, e))?;
        }
        let report = Project::open(&copy).and_then(|read| merge(project, &read));
        let _ = std::fs::remove_dir_all(&dir);
        report?
    };
    report.from = other.display().to_string();
    Ok(report)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "sitat-merge-{}-{}",
        std::process::id(),
        crate::project::now_ms()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
    Ok(dir)
}

/// Everything of the other project, read once before the write transaction.
struct Theirs {
    sources: Vec<(Source, Vec<SpeakerTurn>)>,
    themes: Vec<Theme>,
    theme_guids: HashMap<ThemeId, String>,
    actors: Vec<Actor>,
    persons: Vec<Person>,
    coders: Vec<Coder>,
    codings: Vec<Coding>,
    memos: Vec<Memo>,
}

impl Theirs {
    fn read(other: &Project) -> Result<Theirs> {
        let guids = other.guids()?;
        let themes = other.themes()?;
        let mut sources = Vec::new();
        for source in other.all_sources()? {
            let turns = other.speaker_turns(source.id)?;
            sources.push((source, turns));
        }
        Ok(Theirs {
            theme_guids: themes
                .iter()
                .map(|t| (t.id, guids.of("theme", t.id.0)))
                .collect(),
            themes,
            sources,
            actors: other.actors()?,
            persons: other.persons()?,
            coders: other.coders()?,
            codings: other.all_codings()?,
            memos: other.memos()?,
        })
    }
}

/// Merges `other` into `project` as one step of history (see the module's documentation).
pub fn merge(project: &mut Project, other: &Project) -> Result<MergeReport> {
    let theirs = Theirs::read(other)?;
    project.apply_with(|ours, ids| {
        let mut plan = Plan::new(ours, ids)?;
        plan.actors(&theirs)?;
        plan.persons(&theirs)?;
        plan.coders(&theirs);
        plan.themes(&theirs)?;
        plan.sources(&theirs)?;
        plan.codings(&theirs)?;
        plan.memos(&theirs)?;
        let Plan {
            report, commands, ..
        } = plan;
        let command = (!commands.is_empty()).then(|| Command::Batch {
            label: format!("merge {}", other.path().display()),
            commands,
        });
        Ok((report, command))
    })
}

/// The commands of a merge being built, with the other project's ids mapped to ours.
struct Plan<'a> {
    ids: &'a mut IdAllocator,
    ours: Ours,
    actors: HashMap<ActorId, ActorId>,
    persons: HashMap<PersonId, PersonId>,
    coders: HashMap<CoderId, CoderId>,
    themes: HashMap<ThemeId, ThemeId>,
    sources: HashMap<SourceId, SourceId>,
    codings: HashMap<crate::model::CodingId, crate::model::CodingId>,
    commands: Vec<Command>,
    report: MergeReport,
}

/// This project as it is inside the write transaction.
struct Ours {
    actors: Vec<Actor>,
    persons: Vec<Person>,
    coders: Vec<Coder>,
    themes: Vec<Theme>,
    theme_guids: HashMap<String, ThemeId>,
    sources: Vec<Source>,
    codings: Vec<Coding>,
    memos: Vec<Memo>,
}

fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// A theme's path from the top of the codebook, lower case.
fn path_of(themes: &[Theme], theme: &Theme) -> Vec<String> {
    let mut path = vec![theme.name.trim().to_lowercase()];
    let mut parent = theme.parent_id;
    while let Some(p) = parent.and_then(|p| themes.iter().find(|t| t.id == p))
        && path.len() <= themes.len()
    {
        path.push(p.name.trim().to_lowercase());
        parent = p.parent_id;
    }
    path.reverse();
    path
}

impl<'a> Plan<'a> {
    fn new(project: &Project, ids: &'a mut IdAllocator) -> Result<Plan<'a>> {
        let guids = project.guids()?;
        let themes = project.themes()?;
        Ok(Plan {
            ids,
            ours: Ours {
                actors: project.actors()?,
                persons: project.persons()?,
                coders: project.coders()?,
                theme_guids: themes
                    .iter()
                    .map(|t| (guids.of("theme", t.id.0), t.id))
                    .collect(),
                themes,
                sources: project.all_sources()?,
                codings: project.all_codings()?,
                memos: project.memos()?,
            },
            actors: HashMap::new(),
            persons: HashMap::new(),
            coders: HashMap::new(),
            themes: HashMap::new(),
            sources: HashMap::new(),
            codings: HashMap::new(),
            commands: Vec::new(),
            report: MergeReport::default(),
        })
    }

    fn actors(&mut self, theirs: &Theirs) -> Result<()> {
        for actor in &theirs.actors {
            let id = match self
                .ours
                .actors
                .iter()
                .find(|a| same_name(&a.name, &actor.name))
            {
                Some(mine) => {
                    if !actor.full_name.trim().is_empty()
                        && !mine.full_name.trim().is_empty()
                        && mine.full_name.trim() != actor.full_name.trim()
                    {
                        self.report.conflicts.push(format!(
                            "actor {}: full name \"{}\" there, \"{}\" here",
                            mine.name, actor.full_name, mine.full_name
                        ));
                    }
                    mine.id
                }
                None => {
                    let added = Actor {
                        id: self.ids.actor(),
                        ..actor.clone()
                    };
                    self.ours.actors.push(added.clone());
                    self.commands.push(Command::AddActor(added.clone()));
                    self.report.actors_added += 1;
                    added.id
                }
            };
            self.actors.insert(actor.id, id);
        }
        Ok(())
    }

    fn persons(&mut self, theirs: &Theirs) -> Result<()> {
        for person in &theirs.persons {
            let actor_id = mapped(&self.actors, person.actor_id)?;
            let id = match self
                .ours
                .persons
                .iter()
                .find(|p| same_name(&p.name, &person.name))
            {
                Some(mine) => {
                    if mine.actor_id != actor_id {
                        let name = |id: ActorId| {
                            self.ours
                                .actors
                                .iter()
                                .find(|a| a.id == id)
                                .map_or_else(String::new, |a| a.name.clone())
                        };
                        self.report.conflicts.push(format!(
                            "person {}: speaks for {} there, for {} here",
                            mine.name,
                            name(actor_id),
                            name(mine.actor_id)
                        ));
                    }
                    mine.id
                }
                None => {
                    let added = Person {
                        id: self.ids.person(),
                        actor_id,
                        ..person.clone()
                    };
                    self.ours.persons.push(added.clone());
                    self.commands.push(Command::AddPerson(added.clone()));
                    self.report.persons_added += 1;
                    added.id
                }
            };
            self.persons.insert(person.id, id);
        }
        Ok(())
    }

    fn coders(&mut self, theirs: &Theirs) {
        for coder in &theirs.coders {
            let id = match self
                .ours
                .coders
                .iter()
                .find(|c| same_name(&c.name, &coder.name))
            {
                Some(mine) => mine.id,
                None => {
                    let added = Coder {
                        id: self.ids.coder(),
                        name: coder.name.trim().to_string(),
                    };
                    self.ours.coders.push(added.clone());
                    self.commands.push(Command::AddCoder(added.clone()));
                    self.report.coders_added += 1;
                    added.id
                }
            };
            self.coders.insert(coder.id, id);
        }
    }

    fn themes(&mut self, theirs: &Theirs) -> Result<()> {
        // Parents before children, so that a new theme's parent is already mapped.
        let mut pending: Vec<&Theme> = theirs.themes.iter().collect();
        while !pending.is_empty() {
            let before = pending.len();
            let mut later = Vec::new();
            for theme in pending {
                match theme.parent_id {
                    Some(parent) if !self.themes.contains_key(&parent) => later.push(theme),
                    _ => self.theme(theirs, theme)?,
                }
            }
            if later.len() == before {
                // A damaged tree (a cycle): bring the rest over at the top.
                for theme in later {
                    let mut top = theme.clone();
                    top.parent_id = None;
                    self.theme(theirs, &top)?;
                }
                break;
            }
            pending = later;
        }
        Ok(())
    }

    fn theme(&mut self, theirs: &Theirs, theme: &Theme) -> Result<()> {
        let by_guid = theirs
            .theme_guids
            .get(&theme.id)
            .and_then(|g| self.ours.theme_guids.get(g))
            // Namespaces are made per project, so only copies of one project share GUIDs.
            .copied();
        let path = path_of(&theirs.themes, theme);
        let matched = by_guid.or_else(|| {
            self.ours
                .themes
                .iter()
                .find(|t| path_of(&self.ours.themes, t) == path)
                .map(|t| t.id)
        });
        let id = match matched {
            Some(id) => {
                self.report.themes_matched += 1;
                let mine = self
                    .ours
                    .themes
                    .iter()
                    .find(|t| t.id == id)
                    .expect("matched theme");
                let mut differences = Vec::new();
                if !mine.color.eq_ignore_ascii_case(&theme.color) {
                    differences.push(format!("colour {} there, {} here", theme.color, mine.color));
                }
                if mine.description.trim() != theme.description.trim()
                    && !theme.description.trim().is_empty()
                {
                    differences.push("another description there".to_string());
                }
                if mine.poles != theme.poles {
                    differences.push("other poles there".to_string());
                }
                if !differences.is_empty() {
                    self.report.conflicts.push(format!(
                        "theme {}: {}",
                        mine.name,
                        differences.join("; ")
                    ));
                }
                id
            }
            None => {
                let mut name = theme.name.trim().to_string();
                if self.ours.themes.iter().any(|t| same_name(&t.name, &name)) {
                    let parent = theme
                        .parent_id
                        .and_then(|p| theirs.themes.iter().find(|t| t.id == p))
                        .map_or("merged", |t| t.name.trim());
                    let first = format!("{name} ({parent})");
                    name = first.clone();
                    let mut n = 2;
                    while self.ours.themes.iter().any(|t| same_name(&t.name, &name)) {
                        name = format!("{first} ({n})");
                        n += 1;
                    }
                    self.report.conflicts.push(format!(
                        "theme {} at another place in the codebook came over as \"{name}\"",
                        theme.name
                    ));
                }
                let added = Theme {
                    id: self.ids.theme(),
                    name,
                    parent_id: theme
                        .parent_id
                        .map(|p| mapped(&self.themes, p))
                        .transpose()?,
                    sort_order: self.ours.themes.len() as i64,
                    ..theme.clone()
                };
                self.ours.themes.push(added.clone());
                self.commands.push(Command::AddTheme(added.clone()));
                self.report.themes_added += 1;
                added.id
            }
        };
        self.themes.insert(theme.id, id);
        Ok(())
    }

    fn sources(&mut self, theirs: &Theirs) -> Result<()> {
        let mut by_text: HashMap<&str, SourceId> = HashMap::new();
        for source in &self.ours.sources {
            by_text.entry(source.text.as_str()).or_insert(source.id);
        }
        let mut added_records = Vec::new();
        for (source, turns) in &theirs.sources {
            if let Some(id) = by_text.get(source.text.as_str()) {
                self.sources.insert(source.id, *id);
                self.report.sources_matched += 1;
                continue;
            }
            if let Some(namesake) = self
                .ours
                .sources
                .iter()
                .find(|s| same_name(&s.title, &source.title))
            {
                self.report.conflicts.push(format!(
                    "source \"{}\" has other text there ({} characters) than here ({}): added as a source of its own",
                    source.title,
                    source.char_len(),
                    namesake.char_len()
                ));
            }
            let id = self.ids.source();
            let record = SourceRecord {
                source: Source {
                    id,
                    person_id: source
                        .person_id
                        .map(|p| mapped(&self.persons, p))
                        .transpose()?,
                    ..source.clone()
                },
                turns: turns
                    .iter()
                    .map(|turn| {
                        Ok(SpeakerTurn {
                            id: self.ids.turn(),
                            source_id: id,
                            person_id: mapped(&self.persons, turn.person_id)?,
                            span: turn.span,
                        })
                    })
                    .collect::<Result<_>>()?,
            };
            self.sources.insert(source.id, id);
            added_records.push(record);
        }
        for record in added_records {
            self.ours.sources.push(record.source.clone());
            self.commands.push(Command::AddSource(record));
            self.report.sources_added += 1;
        }
        Ok(())
    }

    fn codings(&mut self, theirs: &Theirs) -> Result<()> {
        for coding in &theirs.codings {
            let mapped = Coding {
                source_id: mapped(&self.sources, coding.source_id)?,
                theme_id: mapped(&self.themes, coding.theme_id)?,
                coder_id: mapped(&self.coders, coding.coder_id)?,
                ..coding.clone()
            };
            let existing = self.ours.codings.iter().find(|k| {
                k.source_id == mapped.source_id
                    && k.span == mapped.span
                    && k.theme_id == mapped.theme_id
                    && k.coder_id == mapped.coder_id
            });
            if let Some(existing) = existing {
                if existing.stance != mapped.stance {
                    self.report.conflicts.push(format!(
                        "a coding of {} at {} has stance {} there, {} here",
                        theme_name(&self.ours.themes, mapped.theme_id),
                        mapped.span,
                        stance_text(mapped.stance),
                        stance_text(existing.stance)
                    ));
                }
                self.codings.insert(coding.id, existing.id);
                self.report.codings_already_here += 1;
                continue;
            }
            let added = Coding {
                id: self.ids.coding(),
                ..mapped
            };
            self.codings.insert(coding.id, added.id);
            self.ours.codings.push(added.clone());
            self.commands.push(Command::AddCoding(added));
            self.report.codings_added += 1;
        }
        Ok(())
    }

    fn memos(&mut self, theirs: &Theirs) -> Result<()> {
        for memo in &theirs.memos {
            let target = match memo.target {
                MemoTarget::Project => Some(MemoTarget::Project),
                MemoTarget::Source(id) => self.sources.get(&id).copied().map(MemoTarget::Source),
                MemoTarget::Theme(id) => self.themes.get(&id).copied().map(MemoTarget::Theme),
                MemoTarget::Coding(id) => self.codings.get(&id).copied().map(MemoTarget::Coding),
            };
            let Some(target) = target else {
                self.report.conflicts.push(format!(
                    "memo \"{}\" is attached to something the other project no longer has: added to the project",
                    memo.title
                ));
                self.add_memo(memo, MemoTarget::Project);
                continue;
            };
            let here = self.ours.memos.iter().any(|m| {
                m.target == target && m.title.trim() == memo.title.trim() && m.text == memo.text
            });
            if here {
                self.report.memos_already_here += 1;
            } else {
                self.add_memo(memo, target);
            }
        }
        Ok(())
    }

    fn add_memo(&mut self, memo: &Memo, target: MemoTarget) {
        let added = Memo {
            id: self.ids.memo(),
            target,
            ..memo.clone()
        };
        self.ours.memos.push(added.clone());
        self.commands.push(Command::AddMemo(added));
        self.report.memos_added += 1;
    }
}

/// Our id for one of the other project's: every row it refers to was mapped first, so a miss
/// means the other file is damaged (a reference to a row it does not hold).
fn mapped<Id>(map: &HashMap<Id, Id>, id: Id) -> Result<Id>
where
    Id: Copy + Eq + std::hash::Hash + std::fmt::Debug,
{
    map.get(&id).copied().ok_or_else(|| {
        Error::Check(format!(
            "the project to merge is damaged: it refers to {id:?}, which it does not hold; \
             run `sitat check` on it"
        ))
    })
}

fn theme_name(themes: &[Theme], id: ThemeId) -> String {
    themes
        .iter()
        .find(|t| t.id == id)
        .map_or_else(String::new, |t| t.name.clone())
}

fn stance_text(stance: Option<crate::model::Stance>) -> String {
    stance.map_or_else(|| "none".to_string(), |s| format!("{:+}", s.value()))
}
