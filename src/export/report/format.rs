//! Number formatting and escaping shared by every report format.

/// Two decimals, and never "-0.00" (a mean of −0.001 is 0 to the reader).
pub fn fixed2(x: f64) -> String {
    let text = format!("{x:.2}");
    if text == "-0.00" { "0.00".into() } else { text }
}

/// Two decimals with an explicit sign ("+0.67", "-1.33"); zero is "0.00".
pub fn signed2(x: f64) -> String {
    let text = fixed2(x);
    if text == "0.00" || text.starts_with('-') {
        text
    } else {
        format!("+{text}")
    }
}

/// A stance as the coder chose it: "+2", "-1", "0".
pub(crate) fn stance(value: i64) -> String {
    if value > 0 {
        format!("+{value}")
    } else {
        value.to_string()
    }
}

/// A mean stance with the pole it leans to: "+1.00, leans to Skjønn", "0.00, in the middle".
pub fn mean_with_pole(mean: f64, negative: &str, positive: &str) -> String {
    let number = signed2(mean);
    if number == "0.00" {
        format!("{number}, in the middle")
    } else if mean < 0.0 {
        format!("{number}, leans to {negative}")
    } else {
        format!("{number}, leans to {positive}")
    }
}

/// A quote's stance: whole steps as the coder chose them ("+2", "-1"), a quote's mean of
/// several codings with two decimals ("-1.50").
pub fn stance_value(value: f64) -> String {
    if value.fract() == 0.0 {
        stance(value as i64)
    } else {
        signed2(value)
    }
}

/// What a cell shows for a value that does not exist (no stance, no coded text).
pub(crate) const NONE: &str = "–";

pub(crate) fn mean_or_none(mean: Option<f64>) -> String {
    mean.map_or_else(|| NONE.to_string(), signed2)
}

/// A share as a percentage with two decimals ("12.50 %").
pub(crate) fn percent_or_none(share: Option<f64>) -> String {
    share.map_or_else(|| NONE.to_string(), |s| format!("{} %", fixed2(s * 100.0)))
}

/// Text for HTML (elements and attribute values alike) and SVG.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text inside a Markdown line or table cell: HTML is neutralised, and inline markup and table
/// pipes are backslash-escaped.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A whole line of text for Markdown: [`escape_markdown`], and a start that would open a list
/// ("- ", "+ ", "1. ", "1) ") escaped too.
pub(crate) fn escape_markdown_line(line: &str) -> String {
    let mut out = escape_markdown(line);
    if out.starts_with(['-', '+']) {
        out.insert(0, '\\');
    }
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}
