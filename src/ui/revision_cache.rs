//! A value computed from the project (positions, matrices, disagreements), kept until the
//! project's revision changes: views draw every frame, the analysis runs once per change.

pub struct RevisionCache<T> {
    value: Option<(i64, T)>,
}

// Not derived: that would ask `T: Default`.
impl<T> Default for RevisionCache<T> {
    fn default() -> Self {
        RevisionCache { value: None }
    }
}

impl<T> RevisionCache<T> {
    /// The value for `revision`, computed again only when the project has changed. An error is
    /// shown in `ui` and gives `None`.
    pub fn get(
        &mut self,
        ui: &mut egui::Ui,
        revision: i64,
        compute: impl FnOnce() -> crate::Result<T>,
    ) -> Option<&T> {
        if self.value.as_ref().map(|(r, _)| *r) != Some(revision) {
            match compute() {
                Ok(value) => self.value = Some((revision, value)),
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                    return None;
                }
            }
        }
        self.value.as_ref().map(|(_, value)| value)
    }

    /// The value last computed, with its revision, without computing anything.
    pub fn value(&self) -> Option<&(i64, T)> {
        self.value.as_ref()
    }
}
