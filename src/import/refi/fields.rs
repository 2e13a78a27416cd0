//! How REFI-QDA's values are read: GUIDs, the conventions Sitat writes into descriptions
//! (an axis theme's poles, a selection's stance), dates and colours.

use crate::export::refi::{AXIS_PREFIX, POLE_SEPARATOR, STANCE_PREFIX};
use crate::model::*;

/// A GUID as a key: braces dropped, lower case (tools write either case).
pub fn norm_guid(guid: &str) -> String {
    guid.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_lowercase()
}

/// Splits a Code's Description into the description and the poles of an axis theme.
pub fn parse_code_description(description: &str) -> (String, Option<Poles>) {
    let trimmed = description.trim_end();
    let (body, last) = match trimmed.rfind('\n') {
        Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
        None => ("", trimmed),
    };
    if let Some(inner) = last
        .trim()
        .strip_prefix(AXIS_PREFIX)
        .and_then(|r| r.strip_suffix(']'))
        && let Some((negative, positive)) = inner.split_once(POLE_SEPARATOR)
        && !negative.trim().is_empty()
        && !positive.trim().is_empty()
    {
        let poles = Poles {
            negative: negative.trim().to_string(),
            positive: positive.trim().to_string(),
        };
        return (body.trim_end().to_string(), Some(poles));
    }
    (description.to_string(), None)
}

/// Splits a selection's Description into a stance (−2…+2) and the memo.
pub fn parse_selection_description(description: &str) -> (Option<i64>, String) {
    let (first, rest) = match description.find('\n') {
        Some(i) => (&description[..i], &description[i + 1..]),
        None => (description, ""),
    };
    if let Some(inner) = first
        .trim()
        .strip_prefix(STANCE_PREFIX)
        .and_then(|r| r.strip_suffix(']'))
    {
        let number = inner.split_whitespace().next().unwrap_or("");
        if let Ok(value) = number.trim_start_matches('+').parse::<i64>()
            && Stance::new(value).is_some()
        {
            return (Some(value), rest.to_string());
        }
    }
    (None, description.to_string())
}

/// `2026-11-27T10:43:05Z`, with optional fraction and offset, as unix milliseconds.
pub fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    let num = |a: usize, b: usize| s.get(a..b)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, sec) = if s.len() >= 19 {
        (num(11, 13)?, num(14, 16)?, num(17, 19)?)
    } else {
        (0, 0, 0)
    };
    let mut rest = s.get(19..).unwrap_or("");
    let mut ms = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(|c| c.is_ascii_digit()).collect();
        rest = &frac[digits.len()..];
        ms = format!("{:0<3}", &digits[..digits.len().min(3)])
            .parse()
            .unwrap_or(0);
    }
    let offset_min = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let h: i64 = rest.get(1..3)?.parse().ok()?;
            let m: i64 = rest.get(4..6).and_then(|m| m.parse().ok()).unwrap_or(0);
            let total = h * 60 + m;
            if sign == '-' { -total } else { total }
        }
        _ => 0,
    };
    // Howard Hinnant's days-from-civil.
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60) * 1000) + ms)
}

pub fn colour(value: Option<&str>) -> Option<String> {
    let v = value?.trim();
    let hex = v.strip_prefix('#').unwrap_or(v);
    let full = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect::<String>(),
        6 => hex.to_string(),
        _ => return None,
    };
    parse_hex_colour(&full).map(|_| format!("#{}", full.to_lowercase()))
}
