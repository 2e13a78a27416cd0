//! Background work: import (with the speaker question) and export run on worker threads with
//! their own connection, their last step here, on the UI thread; the search index is lent to
//! its own workers by `SearchIndexKeeper`.

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
                    app.speaker_dialog = Some(SpeakerDialog::new(paths, options, prepared));
                    return Ok(format!(
                        "{}: say who is speaking to finish the import.",
                        super::super::words::plural(
                            new_speakers,
                            "new speaker label",
                            "new speaker labels"
                        )
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
                .map(super::super::words::capitalised),
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
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
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
    pub(super) fn poll_jobs(&mut self) {
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
    }

    /// Takes back the search index from its worker and lends it out again when the project
    /// changed (see `SearchIndexKeeper`); never waits for it.
    pub(super) fn poll_search_index(&mut self, ctx: &egui::Context) {
        let revision = self.project.revision().unwrap_or(-1);
        let searching = self.tab == CentralTab::Search;
        match self.index.poll(ctx, revision, searching) {
            Some(IndexNews::Info(text)) => self.info(text),
            Some(IndexNews::Error(text)) => self.error(text),
            None => {}
        }
    }
}
