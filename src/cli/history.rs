//! Subcommands on a project's history and copies: `undo`, `redo`, `history`, `backups`,
//! `restore`, `apply`.

use std::io::Write;
use std::path::Path;

use super::write_out;
use crate::backups;
use crate::error::{Error, Result};
use crate::project::Project;
use crate::text;

pub fn undo(project: &Path, out: &mut dyn Write) -> Result<()> {
    let undone = Project::open(project)?.undo()?;
    write_out(out, &format!("undid: {}\n", undone.summary))
}

pub fn redo(project: &Path, out: &mut dyn Write) -> Result<()> {
    let redone = Project::open(project)?.redo()?;
    write_out(out, &format!("redid: {}\n", redone.summary))
}

/// The newest `limit` changes, one a line: time (in the local time zone), who, what; and what undo would do next.
pub fn history(project: &Path, limit: usize, out: &mut dyn Write) -> Result<()> {
    let project = Project::open(project)?;
    let mut text = String::new();
    for row in project.audit(limit)? {
        let what = match row.action.as_str() {
            "undo" => format!("undo: {}", row.summary),
            "redo" => format!("redo: {}", row.summary),
            _ => row.summary.clone(),
        };
        let who = if row.coder.is_empty() {
            "-"
        } else {
            &row.coder
        };
        text.push_str(&format!(
            "{}\t{who}\t{}\n",
            crate::time::format_local(row.at_ms),
            text::one_line(&what)
        ));
    }
    match project.undo_summary() {
        Some(next) => text.push_str(&format!("`sitat undo` would take back: {next}\n")),
        None => text.push_str("nothing to undo\n"),
    }
    write_out(out, &text)
}

/// Takes a backup if asked, sets how many to keep, then lists them one a line: time (local),
/// size, sources, codings, file.
pub fn backups(project: &Path, now: bool, keep: Option<usize>, out: &mut dyn Write) -> Result<()> {
    let mut project = Project::open(project)?;
    if let Some(keep) = keep {
        project.set_info(backups::KEEP_KEY, &keep.max(1).to_string())?;
    }
    if now {
        let path = backups::back_up(&project, "")?;
        write_out(out, &format!("backed up to {}\n", path.display()))?;
    }
    let list = backups::list(project.path())?;
    let mut text = format!(
        "{} in {} (keeping {})\n",
        text::count(list.len(), "backup"),
        backups::dir_for(project.path()).display(),
        backups::keep(&project)
    );
    for b in &list {
        let ms = b
            .modified
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        text.push_str(&format!(
            "{}\t{:.1} MB\t{}\t{}\t{}\n",
            crate::time::format_local(ms),
            b.bytes as f64 / 1_048_576.0,
            text::count(b.sources.max(0) as usize, "source"),
            text::count(b.codings.max(0) as usize, "coding"),
            b.path.display()
        ));
    }
    write_out(out, &text)
}

pub fn restore(project: &Path, backup: &Path, out: &mut dyn Write) -> Result<()> {
    let mut project = Project::open(project)?;
    let before = backups::restore(&mut project, backup)?;
    write_out(
        out,
        &format!(
            "restored {}\nthe state before is in {}: `sitat restore` it to take this back\n",
            backup.display(),
            before.display()
        ),
    )
}

/// Applies each line of `commands` as one change, acknowledging each once it is durable.
pub fn apply(project: &Path, commands: &Path, out: &mut dyn Write) -> Result<()> {
    use std::io::BufRead;
    let mut project = Project::open(project)?;
    let reader: Box<dyn BufRead> = if commands == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(commands).map_err(|e| Error::io(commands, e))?;
        Box::new(std::io::BufReader::new(file))
    };
    for (index, line) in reader.lines().enumerate() {
        let number = index + 1;
        let line = line.map_err(|e| Error::io(commands, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let command: crate::Command = serde_json::from_str(&line).map_err(|e| {
            Error::bad_input(
                commands,
                format!("line {number} is not a Sitat command: {e}"),
            )
        })?;
        project
            .apply_with(|_, ids| {
                let mut command = command.clone();
                command.assign_new_ids(ids);
                Ok(((), Some(command)))
            })
            .map_err(|e| Error::bad_input(commands, format!("line {number}: {e}")))?;
        // The transaction has committed with synchronous=FULL: the change is on the disk.
        write_out(out, &format!("applied {number}\n"))?;
        out.flush().map_err(|e| Error::io("standard output", e))?;
    }
    Ok(())
}
