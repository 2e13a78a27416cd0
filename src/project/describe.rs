//! Names a change for people — the Undo and Redo menu items, the history, the audit log — by
//! the names of what it touches and a short quote of the text, never by ids or offsets:
//! `code «Har regler at i…» → Brukermedvirkning`.

use rusqlite::Connection;

use crate::command::Command;
use crate::model::{Coding, Memo, MemoTarget, PersonId, Source, SourceId, Theme, ThemeId};
use crate::store;
use crate::text;

/// A quote in a label is cut after this many characters.
const QUOTE_CHARS: usize = 18;

/// The one-line description of `command`, read before it is applied: names come from the
/// command itself first (a theme added in the same step), else from the project.
pub(crate) fn describe(conn: &Connection, command: &Command) -> String {
    Names { conn, command }.describe(command)
}

struct Names<'a> {
    conn: &'a Connection,
    /// The whole change, for names of things it adds or removes itself.
    command: &'a Command,
}

impl Names<'_> {
    fn describe(&self, command: &Command) -> String {
        use Command::*;
        match command {
            AddActor(a) => format!("add actor {}", a.name),
            RemoveActor(a) => format!("delete actor {}", a.name),
            UpdateActor { before, after } if before.name != after.name => {
                format!("rename actor {} to {}", before.name, after.name)
            }
            UpdateActor { after, .. } => format!("edit actor {}", after.name),
            AddPerson(p) => format!("add person {}", p.name),
            RemovePerson(p) => format!("delete person {}", p.name),
            UpdatePerson { before, after } if before.name != after.name => {
                format!("rename person {} to {}", before.name, after.name)
            }
            UpdatePerson { after, .. } => format!("edit person {}", after.name),
            AddCoder(c) => format!("add coder {}", c.name),
            RemoveCoder(c) => format!("remove coder {}", c.name),
            AddTheme(t) => format!("add theme {}", t.name),
            RemoveTheme(t) => format!("delete theme {}", t.name),
            UpdateTheme { before, after } => self.theme_change(before, after),
            AddSource(r) => format!("add source «{}»", r.source.title),
            RemoveSource(r) => format!("delete source «{}»", r.source.title),
            UpdateSource { before, after } => self.source_change(before, after),
            AddCoding(c) => format!("code {}", self.coding(c)),
            RemoveCoding(c) => format!("remove coding {}", self.coding(c)),
            UpdateCoding { before, after } => self.coding_change(before, after),
            AddMemo(m) => format!("add memo {}", self.memo(m)),
            RemoveMemo(m) => format!("delete memo {}", self.memo(m)),
            UpdateMemo { after, .. } => format!("edit memo {}", self.memo(after)),
            Batch { label, commands } => match main_command(commands) {
                Some(main) => self.describe(main),
                None => label.clone(),
            },
        }
    }

    /// `«Har regler at i…» → Brukermedvirkning`.
    fn coding(&self, coding: &Coding) -> String {
        format!(
            "{} → {}",
            self.quote(coding),
            self.theme_name(coding.theme_id)
        )
    }

    fn quote(&self, coding: &Coding) -> String {
        let in_command = self.source_in_command(coding.source_id).map(|s| {
            text::slice_chars(&s.text, coding.span)
                .unwrap_or_default()
                .chars()
                .take(QUOTE_CHARS * 4)
                .collect::<String>()
        });
        let text = in_command.or_else(|| {
            store::source_quote(self.conn, coding.source_id, coding.span, QUOTE_CHARS * 4).ok()
        });
        match text {
            Some(text) => format!("«{}»", text::short_quote(&text, QUOTE_CHARS)),
            None => "a passage".to_string(),
        }
    }

    fn theme_name(&self, id: ThemeId) -> String {
        self.theme_in_command(id)
            .map(|t| t.name.clone())
            .or_else(|| store::theme(self.conn, id).ok().map(|t| t.name))
            .unwrap_or_else(|| "a deleted theme".to_string())
    }

    fn source_title(&self, id: SourceId) -> String {
        self.source_in_command(id)
            .map(|s| s.title.clone())
            .or_else(|| store::source_title(self.conn, id).ok())
            .map_or_else(|| "a deleted source".to_string(), |t| format!("«{t}»"))
    }

    fn person_name(&self, id: PersonId) -> String {
        store::person(self.conn, id).map_or_else(|_| "someone".to_string(), |p| p.name)
    }

    /// `«title» on Brukermedvirkning`, `«title» on the project` …
    fn memo(&self, memo: &Memo) -> String {
        let on = match memo.target {
            MemoTarget::Project => "the project".to_string(),
            MemoTarget::Source(id) => self.source_title(id),
            MemoTarget::Theme(id) => format!("theme {}", self.theme_name(id)),
            MemoTarget::Coding(id) => match self.coding_by_id(id) {
                Some(coding) => format!("coding {}", self.coding(&coding)),
                None => "a deleted coding".to_string(),
            },
        };
        format!("«{}» on {on}", text::short_quote(&memo.title, QUOTE_CHARS))
    }

    fn theme_change(&self, before: &Theme, after: &Theme) -> String {
        let name = &after.name;
        if before.name != after.name {
            return format!("rename theme {} to {name}", before.name);
        }
        if before.parent_id != after.parent_id {
            return match after.parent_id {
                Some(parent) => format!("move theme {name} under {}", self.theme_name(parent)),
                None => format!("move theme {name} to the top level"),
            };
        }
        if before.color != after.color {
            return format!("recolour theme {name}");
        }
        format!("edit theme {name}")
    }

    fn source_change(&self, before: &Source, after: &Source) -> String {
        let title = format!("«{}»", after.title);
        let changes = [
            before.title != after.title,
            before.kind != after.kind,
            before.person_id != after.person_id,
            before.metadata != after.metadata,
        ];
        if changes.iter().filter(|c| **c).count() > 1 {
            return format!("edit source {title}");
        }
        if before.title != after.title {
            format!("rename source «{}» to {title}", before.title)
        } else if before.kind != after.kind {
            format!("make {title} a source of kind {}", after.kind)
        } else if before.person_id != after.person_id {
            match after.person_id {
                Some(person) => format!("attribute {title} to {}", self.person_name(person)),
                None => format!("attribute {title} to nobody in particular"),
            }
        } else if before.metadata != after.metadata {
            format!("edit the details of {title}")
        } else {
            format!("edit source {title}")
        }
    }

    fn coding_change(&self, before: &Coding, after: &Coding) -> String {
        if before.theme_id != after.theme_id {
            return format!(
                "recode {} from {} to {}",
                self.quote(after),
                self.theme_name(before.theme_id),
                self.theme_name(after.theme_id)
            );
        }
        let coding = self.coding(after);
        if before.stance != after.stance {
            return match after.stance {
                Some(stance) => format!("set stance {stance} on {coding}"),
                None => format!("clear the stance of {coding}"),
            };
        }
        if before.memo != after.memo {
            return format!("edit the memo of {coding}");
        }
        if before.span != after.span {
            return format!("resize coding {coding}");
        }
        format!("edit coding {coding}")
    }

    fn theme_in_command(&self, id: ThemeId) -> Option<&Theme> {
        find(self.command, &mut |c| match c {
            Command::AddTheme(t) | Command::RemoveTheme(t) if t.id == id => Some(t),
            _ => None,
        })
    }

    fn source_in_command(&self, id: SourceId) -> Option<&Source> {
        find(self.command, &mut |c| match c {
            Command::AddSource(r) | Command::RemoveSource(r) if r.source.id == id => {
                Some(&r.source)
            }
            _ => None,
        })
    }

    fn coding_by_id(&self, id: crate::model::CodingId) -> Option<Coding> {
        find(self.command, &mut |c| match c {
            Command::AddCoding(x) | Command::RemoveCoding(x) if x.id == id => Some(x),
            _ => None,
        })
        .cloned()
        .or_else(|| store::coding(self.conn, id).ok().flatten())
    }
}

/// The first command in `command` (a batch searched depth first) for which `pick` says yes.
fn find<'a, T: ?Sized>(
    command: &'a Command,
    pick: &mut impl FnMut(&'a Command) -> Option<&'a T>,
) -> Option<&'a T> {
    if let Some(found) = pick(command) {
        return Some(found);
    }
    match command {
        Command::Batch { commands, .. } => commands.iter().find_map(|c| find(c, pick)),
        _ => None,
    }
}

/// The one command a batch is about, when the rest only comes with it: the coder added with a
/// first coding, the memos removed with a coding.
fn main_command(commands: &[Command]) -> Option<&Command> {
    let mut main = commands.iter().filter(|c| {
        !matches!(
            c,
            Command::AddCoder(_)
                | Command::RemoveMemo(Memo {
                    target: MemoTarget::Coding(_),
                    ..
                })
        )
    });
    let first = main.next()?;
    main.next().is_none().then_some(first)
}
