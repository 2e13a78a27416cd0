//! The tool a `.qdpx` is written for: how its positions count and how its texts end their
//! lines. The standard counts code points; NVivo reads positions as UTF-16 units (an emoji
//! counts two); MAXQDA expects `\r\n` line endings in plain-text sources.

/// Who will read an exported `.qdpx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QdpxTarget {
    /// As the standard says: code points, texts as stored (`\n`). ATLAS.ti, QualCoder …
    #[default]
    Standard,
    /// Positions in UTF-16 code units.
    Nvivo,
    /// `\r\n` line endings in the source texts, positions counting each as two code points.
    Maxqda,
}

impl QdpxTarget {
    pub const ALL: [QdpxTarget; 3] = [QdpxTarget::Standard, QdpxTarget::Nvivo, QdpxTarget::Maxqda];

    /// The name the CLI takes after `--for`.
    pub fn name(self) -> &'static str {
        match self {
            QdpxTarget::Standard => "standard",
            QdpxTarget::Nvivo => "nvivo",
            QdpxTarget::Maxqda => "maxqda",
        }
    }

    /// The `origin` attribute: which program wrote the file, and for whom.
    pub fn origin(self) -> String {
        let sitat = concat!("Sitat ", env!("CARGO_PKG_VERSION"));
        match self {
            QdpxTarget::Standard => sitat.to_string(),
            QdpxTarget::Nvivo => format!("{sitat} (for NVivo: positions in UTF-16 units)"),
            QdpxTarget::Maxqda => format!("{sitat} (for MAXQDA: CRLF line endings)"),
        }
    }

    /// A source's text as this target's file holds it.
    pub fn text(self, text: &str) -> String {
        match self {
            QdpxTarget::Maxqda => text.replace('\n', "\r\n"),
            QdpxTarget::Standard | QdpxTarget::Nvivo => text.to_string(),
        }
    }

    /// Positions in `text` (code points) as this target counts them: `None` when they are the
    /// same, else a table from each code point position (0..=length) to the target's.
    pub fn positions(self, text: &str) -> Option<Vec<usize>> {
        let width = |c: char| match self {
            QdpxTarget::Standard => 1,
            QdpxTarget::Nvivo => c.len_utf16(),
            QdpxTarget::Maxqda => 1 + usize::from(c == '\n'),
        };
        if self == QdpxTarget::Standard || text.chars().all(|c| width(c) == 1) {
            return None;
        }
        let mut table = Vec::with_capacity(text.len() + 1);
        let mut at = 0;
        for c in text.chars() {
            table.push(at);
            at += width(c);
        }
        table.push(at);
        Some(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_per_target() {
        let text = "a😀\nb";
        assert_eq!(QdpxTarget::Standard.positions(text), None);
        assert_eq!(QdpxTarget::Nvivo.positions(text), Some(vec![0, 1, 3, 4, 5]));
        assert_eq!(
            QdpxTarget::Maxqda.positions(text),
            Some(vec![0, 1, 2, 4, 5])
        );
        assert_eq!(QdpxTarget::Nvivo.positions("æøå\n"), None);
        assert_eq!(QdpxTarget::Maxqda.text(text), "a😀\r\nb");
    }
}
