//! "Export this view…": the comparison tabs (Compare, Positions, Matrix, Disagreements) as HTML,
//! Markdown or CSV, rendered from what the tab shows and saved where the user picks.

use super::actions::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewFormat {
    Html,
    Markdown,
    Csv,
}

impl ViewFormat {
    pub const ALL: [ViewFormat; 3] = [ViewFormat::Html, ViewFormat::Markdown, ViewFormat::Csv];

    fn name(self) -> &'static str {
        match self {
            ViewFormat::Html => "HTML",
            ViewFormat::Markdown => "Markdown",
            ViewFormat::Csv => "CSV",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ViewFormat::Html => "html",
            ViewFormat::Markdown => "md",
            ViewFormat::Csv => "csv",
        }
    }
}

/// The "Export this view…" menu. `slug` names the file ("positions"), `title` the view;
/// `render` builds the file's bytes in the chosen format. An error is shown in the menu.
pub fn export_menu_ui(
    ui: &mut egui::Ui,
    title: &str,
    slug: &str,
    actions: &mut Vec<Action>,
    mut render: impl FnMut(ViewFormat) -> crate::Result<Vec<u8>>,
) {
    ui.menu_button("Export this view…", |ui| {
        for format in ViewFormat::ALL {
            if ui
                .button(format!("{} (.{})", format.name(), format.extension()))
                .clicked()
            {
                match render(format) {
                    Ok(content) => actions.push(Action::SaveViewExport {
                        label: format!("{title} ({})", format.name()),
                        file_name: format!("{slug}.{}", format.extension()),
                        content,
                    }),
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                    }
                }
                ui.close();
            }
        }
    });
}
