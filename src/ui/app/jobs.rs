//! Background work: import (with the speaker question), export and search indexing run on
//! worker threads with their own connection; their last step runs here, on the UI thread.

use super::*;

impl SitatApp {
    /// Reads the files on a worker thread (its own connection), then applies the import here as
    /// one undoable command. A cancelled import applies nothing. New speaker labels are asked
    /// about first (see `SpeakerDialog`), when `ask_speakers`.
    pub(super) fn start_import_job(
        &mut self,
        paths: Vec<PathBuf>,
        options: import::ImportOptions,
        ask_speakers: bool,
    ) -> crate::Result<()> {
        let path = self.project.path().to_path_buf();
        let label = match paths.as_slice() {
            [one] => format!(
                "Importing {}",
                one.file_name().and_then(|n| n.to_str()).unwrap_or("file")
            ),
            many => format!("Importing {} files", many.len()),
        };
        let job = Job::spawn(label, &self.ctx, move |progress| {
            let project = Project::open(&path)?;
            let prepared =
                import::prepare_import(&project, &paths, &options, &|f| progress.set(f))?;
            let cancelled = progress.cancelled();
            let finish: Finish = Box::new(move |app: &mut SitatApp| {
                if cancelled {
                    return Ok("Import cancelled: nothing was imported.".into());
                }
                let new_speakers = prepared.report.speakers_to_map.len();
                if ask_speakers && new_speakers > 0 {
                    if app.speaker_dialog.is_some() {
                        // One question at a time: the open one holds another import.
                        return Err(crate::Error::Gui(
                            "these files have new speakers too, and another import is still asking who is speaking: answer it, then import these files again".into(),
                        ));
                    }
                    app.speaker_dialog =
                        Some(SpeakerDialog::new(paths, options, prepared, &app.snapshot));
                    return Ok(format!(
                        "{new_speakers} new speaker label(s): say who is speaking to finish the import."
                    ));
                }
                app.apply_import(prepared)
            });
            Ok(finish)
        })?;
        self.jobs.push(job);
        Ok(())
    }

    pub(super) fn apply_import(
        &mut self,
        prepared: import::PreparedImport,
    ) -> crate::Result<String> {
        let report = prepared.apply(&mut self.project)?;
        if let Some((id, _)) = report.sources.first() {
            self.document.open(*id, None);
            self.tab = CentralTab::Document;
        }
        // The details as a list in a window; the status line says it in one sentence.
        let mut lines: Vec<String> = report
            .sources
            .iter()
            .map(|(_, title)| format!("Imported «{title}»"))
            .collect();
        lines.extend(
            report
                .to_text()
                .lines()
                .filter(|l| !l.starts_with("imported "))
                .map(capitalised),
        );
        self.import_report = Some(lines);
        Ok(match report.sources.as_slice() {
            [] => "Nothing was imported: see the import report.".to_string(),
            [(_, title)] => format!("Imported «{title}» (Undo takes it back)."),
            many => format!("Imported {} sources (Undo takes them back).", many.len()),
        })
    }

    /// The last import's report as a list, until closed.
    pub(super) fn import_report_ui(&mut self, ctx: &egui::Context) {
        let Some(lines) = &self.import_report else {
            return;
        };
        let mut open = true;
        egui::Window::new("Import report")
            .open(&mut open)
            .resizable(true)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(320.0)
                    .show(ui, |ui| {
                        for line in lines {
                            ui.label(format!("• {line}"));
                        }
                    });
            });
        if !open {
            self.import_report = None;
        }
    }

    /// Shows the speaker dialog while it is open and carries out its answer.
    pub(super) fn speaker_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = self.speaker_dialog.as_mut() else {
            return;
        };
        let Some(answer) = dialog.show(ctx, &self.snapshot) else {
            return;
        };
        self.speaker_dialog = None;
        let outcome = match answer {
            SpeakerAnswer::Import(paths, options) => self
                .start_import_job(paths, options, false)
                .map(|()| String::new()),
            SpeakerAnswer::ImportAsRead(prepared) => self.apply_import(prepared),
            SpeakerAnswer::Cancel => Ok("Import cancelled: nothing was imported.".into()),
        };
        match outcome {
            Ok(message) if !message.is_empty() => self.info(message),
            Ok(_) => {}
            Err(e) => self.error(e.to_string()),
        }
        ctx.request_repaint();
    }

    /// Exports on a worker thread with its own connection; the retrieve view's filters choose
    /// the excerpts.
    pub(super) fn start_export_job(
        &mut self,
        format: ExportFormat,
        out: PathBuf,
    ) -> crate::Result<()> {
        let path = self.project.path().to_path_buf();
        let filter = self.retrieve.filter();
        let label = format!("Exporting {}", format.label());
        let job = Job::spawn(label, &self.ctx, move |progress| {
            let project = Project::open(&path)?;
            let report = export::export_with_progress(&project, format, &filter, &out, &|f| {
                progress.set(f)
            })?;
            let finish: Finish =
                Box::new(move |_: &mut SitatApp| Ok(format!("Export done: {}", report.summary())));
            Ok(finish)
        })?;
        self.jobs.push(job);
        Ok(())
    }

    /// Runs finished jobs' last step here, on the UI thread, and reports it once.
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        let mut finished: Vec<crate::Result<Finish>> = Vec::new();
        self.jobs.retain(|job| match job.poll() {
            Polled::Running => true,
            Polled::Done(outcome) => {
                finished.push(outcome);
                false
            }
        });
        for outcome in finished {
            match outcome.and_then(|finish| finish(self)) {
                Ok(message) if !message.is_empty() => self.info(message),
                Ok(_) => {}
                Err(e) => self.error(e.to_string()),
            }
            self.refresh_snapshot();
        }
        if self.search_index.is_none() && !self.jobs.iter().any(|j| j.label == INDEX_JOB) {
            self.start_index_job(ctx);
        }
    }

    /// Opens or rebuilds the search index on a worker thread with its own connection.
    pub(super) fn start_index_job(&mut self, ctx: &egui::Context) {
        let path = self.project.path().to_path_buf();
        let job = Job::spawn(INDEX_JOB, ctx, move |progress| {
            let project = Project::open(&path)?;
            let index = SearchIndex::open_or_rebuild(&project, &|f| progress.set(f))?;
            let finish: Finish = Box::new(move |app: &mut SitatApp| {
                let note = index.open_report().damage_note().unwrap_or_default();
                // A project opened meanwhile gets its own index.
                if app.project.path() == path {
                    app.search_index = Some(index);
                }
                Ok(note)
            });
            Ok(finish)
        });
        match job {
            Ok(job) => self.jobs.push(job),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Brings the index up to the project after changes; costs one small query otherwise.
    pub(super) fn refresh_search_index(&mut self) {
        // A search found the index damaged: put it aside; the index job builds a new one.
        if self
            .search_index
            .as_ref()
            .is_some_and(SearchIndex::is_damaged)
            && let Some(index) = self.search_index.take()
        {
            match index.set_aside() {
                Ok(_) => self
                    .info("The search index was damaged; rebuilding it from the project…".into()),
                Err(e) => self.error(e.to_string()),
            }
            return;
        }
        let Some(index) = &mut self.search_index else {
            return;
        };
        let outcome = index.refresh(&self.project).and_then(|_| {
            if index.has_pending() && self.tab == CentralTab::Search {
                index.commit()?;
            }
            Ok(())
        });
        if let Err(e) = outcome {
            self.error(e.to_string());
        }
    }
}

fn capitalised(line: &str) -> String {
    let mut chars = line.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
