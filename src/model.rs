//! The domain as plain data: ids, sources, actors, persons, themes, codings. No I/O here.
//!
//! Offsets are Unicode code points everywhere in the model (see `text` for the byte edge).

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($name:ident, $label:literal) => {
        #[doc = concat!("Database id of a ", $label, ".")]
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            Serialize,
            Deserialize,
            Default,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "#{}", self.0)
            }
        }

        impl $name {
            /// The label used in error messages.
            pub const LABEL: &'static str = $label;
        }
    };
}

id_type!(SourceId, "source");
id_type!(ActorId, "actor");
id_type!(PersonId, "person");
id_type!(ThemeId, "theme");
id_type!(CodingId, "coding");
id_type!(CoderId, "coder");
id_type!(MemoId, "memo");
id_type!(TurnId, "speaker turn");

/// A half-open span `[start, end)` in Unicode code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CharSpan {
    pub start: usize,
    pub end: usize,
}

impl CharSpan {
    pub fn new(start: usize, end: usize) -> Self {
        CharSpan { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    pub fn overlaps(&self, other: &CharSpan) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn contains(&self, pos: usize) -> bool {
        self.start <= pos && pos < self.end
    }
}

impl fmt::Display for CharSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {})", self.start, self.end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A transcript or an excerpt of one.
    Interview,
    /// A passage of a text, with its citation.
    Literature,
    /// A bibliography entry.
    Reference,
    /// A researcher's own note imported as a source.
    Note,
}

impl SourceKind {
    pub const ALL: [SourceKind; 4] = [
        SourceKind::Interview,
        SourceKind::Literature,
        SourceKind::Reference,
        SourceKind::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Interview => "interview",
            SourceKind::Literature => "literature",
            SourceKind::Reference => "reference",
            SourceKind::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<SourceKind> {
        SourceKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Free-form metadata of a source (date, citation, section …), kept in insertion order.
pub type Metadata = Vec<(String, String)>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub id: SourceId,
    pub kind: SourceKind,
    pub title: String,
    pub text: String,
    /// The person the whole source is attributed to (speaker turns can refine it).
    pub person_id: Option<PersonId>,
    pub metadata: Metadata,
    pub created_at_ms: i64,
}

impl Source {
    pub fn char_len(&self) -> usize {
        self.text.chars().count()
    }
    pub fn metadata_value(&self, key: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A source without its text: what lists and trees need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceSummary {
    pub id: SourceId,
    pub kind: SourceKind,
    pub title: String,
    pub person_id: Option<PersonId>,
    /// The source person's actor; for a transcript without one, the actor of all its speaker
    /// turns when they are all one actor's.
    pub actor_id: Option<ActorId>,
    pub char_len: usize,
    pub coding_count: usize,
}

/// A span of a source spoken by one person (transcripts with speaker turns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerTurn {
    pub id: TurnId,
    pub source_id: SourceId,
    pub span: CharSpan,
    pub person_id: PersonId,
}

/// The value of a typed attribute (REFI-QDA's variable types).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum AttributeValue {
    Text(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    /// An ISO 8601 date, `YYYY-MM-DD`.
    Date(String),
}

impl AttributeValue {
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeValue::Text(_) => "text",
            AttributeValue::Integer(_) => "integer",
            AttributeValue::Float(_) => "float",
            AttributeValue::Boolean(_) => "boolean",
            AttributeValue::Date(_) => "date",
        }
    }

    pub fn to_text(&self) -> String {
        match self {
            AttributeValue::Text(s) | AttributeValue::Date(s) => s.clone(),
            AttributeValue::Integer(i) => i.to_string(),
            AttributeValue::Float(x) => x.to_string(),
            AttributeValue::Boolean(b) => b.to_string(),
        }
    }

    /// Reads a stored (type, text) pair back; unknown types fall back to text.
    pub fn from_stored(type_name: &str, text: &str) -> AttributeValue {
        match type_name {
            "integer" => text
                .parse()
                .map(AttributeValue::Integer)
                .unwrap_or_else(|_| AttributeValue::Text(text.into())),
            "float" => text
                .parse()
                .map(AttributeValue::Float)
                .unwrap_or_else(|_| AttributeValue::Text(text.into())),
            "boolean" => AttributeValue::Boolean(text == "true"),
            "date" => AttributeValue::Date(text.into()),
            _ => AttributeValue::Text(text.into()),
        }
    }
}

impl fmt::Display for AttributeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub value: AttributeValue,
}

/// An organisation or party whose positions are compared (KDD, LO, KS, FFO …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub id: ActorId,
    /// Short name shown in columns, e.g. "KS".
    pub name: String,
    /// Long name, e.g. "KS – Kommunesektorens organisasjon"; may be empty.
    pub full_name: String,
    pub attributes: Vec<Attribute>,
}

impl Actor {
    pub fn attribute(&self, name: &str) -> Option<&AttributeValue> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| &a.value)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub actor_id: ActorId,
    /// Role or title, e.g. "statssekretær"; may be empty.
    pub title: String,
}

/// The two labels of an axis theme. A stance below zero leans to `negative`, above to `positive`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poles {
    pub negative: String,
    pub positive: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub id: ThemeId,
    pub name: String,
    pub parent_id: Option<ThemeId>,
    /// `#rrggbb`.
    pub color: String,
    pub description: String,
    /// Present on axis themes only.
    pub poles: Option<Poles>,
    pub sort_order: i64,
}

impl Theme {
    pub fn is_axis(&self) -> bool {
        self.poles.is_some()
    }

    /// The colour as RGB bytes; a malformed colour is grey.
    pub fn rgb(&self) -> [u8; 3] {
        parse_hex_colour(&self.color).unwrap_or([128, 128, 128])
    }
}

/// Parses `#rrggbb` (the `#` optional).
pub fn parse_hex_colour(s: &str) -> Option<[u8; 3]> {
    let hex = s.trim().strip_prefix('#').unwrap_or(s.trim());
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// A position on an axis theme, −2…+2; negative leans to the first-named pole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Stance(i8);

impl Stance {
    pub const MIN: i64 = -2;
    pub const MAX: i64 = 2;

    pub fn new(value: i64) -> Option<Stance> {
        (Self::MIN..=Self::MAX)
            .contains(&value)
            .then_some(Stance(value as i8))
    }
    pub fn value(self) -> i64 {
        self.0 as i64
    }
}

impl fmt::Display for Stance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:+}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coder {
    pub id: CoderId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coding {
    pub id: CodingId,
    pub source_id: SourceId,
    pub theme_id: ThemeId,
    pub coder_id: CoderId,
    pub span: CharSpan,
    pub stance: Option<Stance>,
    /// Empty when there is no memo.
    pub memo: String,
    pub created_at_ms: i64,
}

/// What a memo is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum MemoTarget {
    Project,
    Source(SourceId),
    Theme(ThemeId),
    Coding(CodingId),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Memo {
    pub id: MemoId,
    pub target: MemoTarget,
    pub title: String,
    pub text: String,
    pub updated_at_ms: i64,
}

/// A coding with everything needed to show or export it: the quote and who said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodedExcerpt {
    pub coding: Coding,
    pub quote: String,
    pub theme_name: String,
    pub source_title: String,
    pub source_kind: SourceKind,
    pub person_id: Option<PersonId>,
    pub person_name: Option<String>,
    pub actor_id: Option<ActorId>,
    pub actor_name: Option<String>,
    pub coder_name: String,
}

/// A coded excerpt lent out by [`crate::Project::for_each_excerpt`]: the same as
/// [`CodedExcerpt`], with names and quote borrowed instead of copied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExcerptRef<'a> {
    pub coding: &'a Coding,
    pub quote: &'a str,
    pub theme_name: &'a str,
    pub source_title: &'a str,
    pub source_kind: SourceKind,
    pub person_id: Option<PersonId>,
    pub person_name: Option<&'a str>,
    pub actor_id: Option<ActorId>,
    pub actor_name: Option<&'a str>,
    pub coder_name: &'a str,
}

impl ExcerptRef<'_> {
    pub fn to_owned(&self) -> CodedExcerpt {
        CodedExcerpt {
            coding: self.coding.clone(),
            quote: self.quote.to_string(),
            theme_name: self.theme_name.to_string(),
            source_title: self.source_title.to_string(),
            source_kind: self.source_kind,
            person_id: self.person_id,
            person_name: self.person_name.map(str::to_string),
            actor_id: self.actor_id,
            actor_name: self.actor_name.map(str::to_string),
            coder_name: self.coder_name.to_string(),
        }
    }
}

impl CodedExcerpt {
    pub fn borrowed(&self) -> ExcerptRef<'_> {
        ExcerptRef {
            coding: &self.coding,
            quote: &self.quote,
            theme_name: &self.theme_name,
            source_title: &self.source_title,
            source_kind: self.source_kind,
            person_id: self.person_id,
            person_name: self.person_name.as_deref(),
            actor_id: self.actor_id,
            actor_name: self.actor_name.as_deref(),
            coder_name: &self.coder_name,
        }
    }
}
