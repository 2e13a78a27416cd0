//! An analysis computed off the frame: on a large project a view's analysis (compare, positions,
//! matrix, retrieve, memos) takes longer than a frame, so it runs on its own thread with its own
//! connection to the project, and the view shows the last result (or "computing…") until the new
//! one arrives. On a small project it is computed on the frame, where it costs less than one.
//! Results are kept per key (the project's revision and the view's choices): the analysis runs
//! once per change, not per frame.

use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::project::Project;

/// Projects with more codings than this have their analyses computed off the frame.
pub const OFF_FRAME_CODINGS: usize = 2_000;

type Outcome<T> = crate::Result<T>;

pub struct OffFrame<K, T> {
    /// The last result and the key it was computed for.
    shown: Option<(K, T)>,
    /// The key being computed and where its result will come.
    pending: Option<(K, Receiver<Outcome<T>>)>,
    /// The last computation's error, with its key.
    error: Option<(K, String)>,
    /// Counts the results taken in: a list drawn from them measures its rows again.
    generation: u64,
}

// Not derived: that would ask `K: Default, T: Default`.
impl<K, T> Default for OffFrame<K, T> {
    fn default() -> Self {
        OffFrame {
            shown: None,
            pending: None,
            error: None,
            generation: 0,
        }
    }
}

impl<K, T> OffFrame<K, T>
where
    K: PartialEq + Clone + Send + 'static,
    T: Send + 'static,
{
    /// Makes sure the value for `key` is shown or on its way: computed here when `on_frame`
    /// (a small project), else on a thread that opens the project again. Takes in a result
    /// that has arrived.
    pub fn request(
        &mut self,
        ctx: &egui::Context,
        project: &Project,
        on_frame: bool,
        key: K,
        compute: impl FnOnce(&Project) -> crate::Result<T> + Send + 'static,
    ) {
        self.poll();
        let known = self.shown.as_ref().is_some_and(|(k, _)| *k == key)
            || self.pending.as_ref().is_some_and(|(k, _)| *k == key)
            || self.error.as_ref().is_some_and(|(k, _)| *k == key);
        if known {
            return;
        }
        if on_frame {
            self.pending = None;
            self.take(key, compute(project));
            return;
        }
        let path = project.path().to_path_buf();
        let (send, receive) = channel();
        let repaint = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("sitat: analysis".into())
            .spawn(move || {
                let outcome = Project::open(&path).and_then(|project| compute(&project));
                // The view may have moved on and dropped the receiver: nothing to tell then.
                let _ = send.send(outcome);
                repaint.request_repaint();
            });
        match spawned {
            Ok(_) => self.pending = Some((key, receive)),
            Err(e) => self.error = Some((key, format!("could not start the analysis: {e}"))),
        }
    }

    fn take(&mut self, key: K, outcome: Outcome<T>) {
        match outcome {
            Ok(value) => {
                self.shown = Some((key, value));
                self.error = None;
                self.generation += 1;
            }
            Err(e) => self.error = Some((key, e.to_string())),
        }
    }

    /// Takes a result that has arrived.
    pub fn poll(&mut self) {
        let Some((_, receiver)) = &self.pending else {
            return;
        };
        let outcome = match receiver.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err(crate::Error::Gui(
                "the analysis stopped without a result".into(),
            )),
        };
        let (key, _) = self.pending.take().expect("pending");
        self.take(key, outcome);
    }

    /// The last result computed, which may be for an earlier key while the new one computes.
    pub fn value(&self) -> Option<&T> {
        self.shown.as_ref().map(|(_, value)| value)
    }

    /// Takes the last result out, for a caller that keeps it itself.
    pub fn take_value(&mut self) -> Option<T> {
        self.shown.take().map(|(_, value)| value)
    }

    /// A number that changes with every result taken in.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether a result is being computed off the frame.
    pub fn is_computing(&self) -> bool {
        self.pending.is_some()
    }

    /// The error of the last computation, if it failed.
    pub fn error(&self) -> Option<&str> {
        self.error.as_ref().map(|(_, e)| e.as_str())
    }

    /// Draws what a view shows above its result: a spinner and "computing…" while a result is
    /// on its way, the error if the last one failed.
    pub fn status_ui(&self, ui: &mut egui::Ui) {
        if self.is_computing() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.weak("computing…");
            });
        }
        if let Some(error) = self.error() {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
    }
}
