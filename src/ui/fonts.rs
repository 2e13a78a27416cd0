//! egui's default fonts lack arrows such as "↔", which axis themes use, and emoji, which
//! transcripts use: add a small subset of DejaVu Sans (assets/, Bitstream Vera licence) and
//! Noto Emoji (from epaint_default_fonts, OFL) as fallbacks.

use std::sync::Arc;

const SYMBOLS: &[u8] = include_bytes!("../../assets/DejaVuSans-symbols.ttf");

pub fn install(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu-symbols".into(),
        Arc::new(egui::FontData::from_static(SYMBOLS)),
    );
    fonts.font_data.insert(
        "noto-emoji".into(),
        Arc::new(egui::FontData::from_static(
            epaint_default_fonts::NOTO_EMOJI_REGULAR,
        )),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let list = fonts.families.entry(family).or_default();
        list.push("dejavu-symbols".into());
        list.push("noto-emoji".into());
    }
    ctx.set_fonts(fonts);
}
