//! Long work (import, indexing, export) on named background threads, with progress and cancel.
//! A job's thread does the slow part and hands back a `Finish` that the app runs on the UI thread
//! — the only place the project is written — so the UI never blocks and the store keeps one
//! writer.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::app::SitatApp;

/// What the UI thread does with a finished job's result; returns the message for the status line.
pub type Finish = Box<dyn FnOnce(&mut SitatApp) -> crate::Result<String> + Send>;

/// Handed to the job's thread: report progress, notice a cancel.
#[derive(Clone)]
pub struct Progress {
    fraction: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    ctx: egui::Context,
}

impl Progress {
    /// 0.0…1.0; wakes the UI so the bar moves.
    pub fn set(&self, fraction: f32) {
        self.fraction
            .store(fraction.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
        self.ctx.request_repaint();
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// A job whose thread hands back a `T`: by default the `Finish` the app runs.
pub struct Job<T = Finish> {
    pub label: String,
    fraction: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    result: Receiver<crate::Result<T>>,
}

/// How a poll of a job came out.
pub enum Polled<T = Finish> {
    Running,
    Done(crate::Result<T>),
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread named after the job.
    pub fn spawn(
        label: impl Into<String>,
        ctx: &egui::Context,
        work: impl FnOnce(&Progress) -> crate::Result<T> + Send + 'static,
    ) -> crate::Result<Job<T>> {
        let label = label.into();
        let fraction = Arc::new(AtomicU32::new(0f32.to_bits()));
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Progress {
            fraction: fraction.clone(),
            cancel: cancel.clone(),
            ctx: ctx.clone(),
        };
        let (send, result) = channel();
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name(format!("sitat: {label}"))
            .spawn(move || {
                let outcome = work(&progress);
                let _ = send.send(outcome);
                ctx.request_repaint();
            })
            .map_err(|e| crate::Error::Gui(format!("could not start {label}: {e}")))?;
        Ok(Job {
            label,
            fraction,
            cancel,
            result,
        })
    }

    pub fn fraction(&self) -> f32 {
        f32::from_bits(self.fraction.load(Ordering::Relaxed))
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn poll(&self) -> Polled<T> {
        match self.result.try_recv() {
            Ok(outcome) => Polled::Done(outcome),
            Err(TryRecvError::Empty) => Polled::Running,
            Err(TryRecvError::Disconnected) => Polled::Done(Err(self.stopped())),
        }
    }

    /// Waits for the job's result.
    pub fn wait(self) -> crate::Result<T> {
        self.result.recv().unwrap_or_else(|_| Err(self.stopped()))
    }

    fn stopped(&self) -> crate::Error {
        crate::Error::Gui(format!("{} stopped without a result", self.label))
    }
}
