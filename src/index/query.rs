//! The query language (documented in README.md, "Search"): parsed into a small tree, which
//! `compile` turns into a tantivy query plus the matchers that find each hit's exact span.
//!
//! ```text
//! query   := or
//! or      := and ("OR" and)*
//! and     := unary (["AND"] unary)*
//! unary   := ("NOT" | "-") unary | near
//! near    := primary ("NEAR" | "NEAR/n" primary)*
//! primary := "(" or ")" | word | word* | word~ | word~2 | "quoted words"
//!          | actor:NAME | person:NAME | kind:KIND | theme:NAME | uncoded   (NAME may be "quoted")
//! ```

use super::language;
use crate::error::{Error, Result};

/// NEAR without a number.
const DEFAULT_NEAR: u32 = 5;
/// Parentheses and NOTs nested deeper are refused: each level is a recursion in parsing,
/// compiling and tantivy's evaluation, and thousands would overflow the stack.
const MAX_NESTING: usize = 64;

/// A filter on the paragraph's attributes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Filter {
    Actor(String),
    Person(String),
    Kind(String),
    Theme(String),
    /// Paragraphs one of this coder's codings overlaps.
    Coder(String),
    Uncoded,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A plain word: stemmed, and found inside compounds.
    Word(String),
    /// `"word"`: this exact word form only.
    Exact(String),
    /// `"several words"`: exact words, adjacent, in order.
    Phrase(Vec<String>),
    Prefix(String),
    Fuzzy(String, u8),
    Near {
        left: String,
        right: String,
        distance: u32,
    },
    Filter(Filter),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

/// How a hit is recognised in a paragraph's words (the positive parts of the query).
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    Word {
        word: String,
        /// Its Norwegian and English stem (indexed by [`language::Lang`]); stems of
        /// [`language::MIN_COMPOUND_STEM`]+ letters are also looked for inside compounds.
        stems: [String; 2],
    },
    Exact(String),
    Prefix(String),
    Fuzzy(String, u8),
    Phrase(Vec<String>),
    Near(String, String, u32),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    Near(u32),
    Uncoded,
    Word(String),
    Quoted(String),
    Filter(String, String),
}

pub(super) fn bad(query: &str, reason: impl Into<String>) -> Error {
    Error::BadQuery {
        query: query.to_string(),
        reason: reason.into(),
    }
}

const FILTERS: &str = "actor:, person:, kind:, theme:, coder: and uncoded";

fn lex(query: &str) -> Result<Vec<(Tok, usize)>> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let read_quoted = |i: &mut usize| -> Result<String> {
        let open = *i;
        *i += 1;
        let start = *i;
        while *i < chars.len() && chars[*i] != '"' {
            *i += 1;
        }
        if *i >= chars.len() {
            return Err(bad(
                query,
                format!("the quote at character {} is never closed", open + 1),
            ));
        }
        let s: String = chars[start..*i].iter().collect();
        *i += 1;
        Ok(s)
    };
    while i < chars.len() {
        let c = chars[i];
        let at = i;
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push((Tok::Open, at));
            i += 1;
        } else if c == ')' {
            out.push((Tok::Close, at));
            i += 1;
        } else if c == '"' {
            out.push((Tok::Quoted(read_quoted(&mut i)?), at));
        } else if c == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            out.push((Tok::Not, at));
            i += 1;
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | '"')
                && (chars[i] != ':' || i == start)
            {
                i += 1;
            }
            let chunk: String = chars[start..i].iter().collect();
            if i < chars.len() && chars[i] == ':' {
                // A filter: name:value or name:"quoted value".
                i += 1;
                let value = if i < chars.len() && chars[i] == '"' {
                    read_quoted(&mut i)?
                } else {
                    let vs = i;
                    while i < chars.len()
                        && !chars[i].is_whitespace()
                        && !matches!(chars[i], '(' | ')')
                    {
                        i += 1;
                    }
                    chars[vs..i].iter().collect()
                };
                let name = chunk.to_lowercase();
                if !matches!(
                    name.as_str(),
                    "actor" | "person" | "kind" | "theme" | "coder"
                ) {
                    return Err(bad(
                        query,
                        format!("unknown filter {chunk:?}: the filters are {FILTERS}"),
                    ));
                }
                if value.trim().is_empty() {
                    return Err(bad(
                        query,
                        format!("{name}: needs a value, e.g. {name}:\"…\""),
                    ));
                }
                out.push((Tok::Filter(name, value.trim().to_string()), at));
                continue;
            }
            let tok = match chunk.as_str() {
                "AND" | "&&" => Tok::And,
                "OR" | "||" => Tok::Or,
                "NOT" => Tok::Not,
                "uncoded" | "UNCODED" => Tok::Uncoded,
                "NEAR" => Tok::Near(DEFAULT_NEAR),
                _ if chunk.starts_with("NEAR/") => {
                    let n = chunk["NEAR/".len()..].parse::<u32>().map_err(|_| {
                        bad(
                            query,
                            format!("{chunk} needs a number of words, e.g. NEAR/5"),
                        )
                    })?;
                    if n > 100 {
                        return Err(bad(query, "NEAR/n takes at most 100 words"));
                    }
                    Tok::Near(n)
                }
                _ => Tok::Word(chunk),
            };
            out.push((tok, at));
        }
    }
    Ok(out)
}

struct Parser<'q> {
    query: &'q str,
    toks: Vec<(Tok, usize)>,
    pos: usize,
    /// Parentheses and NOTs open around the token at `pos`.
    depth: usize,
}

impl Parser<'_> {
    /// `parse` one level deeper, or the error that the query nests too deep.
    fn nested(&mut self, parse: impl FnOnce(&mut Self) -> Result<Node>) -> Result<Node> {
        if self.depth == MAX_NESTING {
            let why = format!("parentheses and NOTs nest more than {MAX_NESTING} deep");
            return Err(bad(
                self.query,
                format!("{why} ({}): write it flatter", self.at()),
            ));
        }
        self.depth += 1;
        let node = parse(self);
        self.depth -= 1;
        node
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn at(&self) -> String {
        match self.toks.get(self.pos) {
            Some((_, c)) => format!("at character {}", c + 1),
            None => "at the end".into(),
        }
    }

    fn or(&mut self) -> Result<Node> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::Close | Tok::Or)) {
                return Err(bad(
                    self.query,
                    format!("OR needs something to search on both sides ({})", self.at()),
                ));
            }
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one")
        } else {
            Node::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Node> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Close | Tok::Or) => break,
                Some(Tok::And) => {
                    if parts.is_empty() {
                        return Err(bad(
                            self.query,
                            format!("AND needs something on its left ({})", self.at()),
                        ));
                    }
                    self.pos += 1;
                    if matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And)) {
                        return Err(bad(
                            self.query,
                            format!("AND needs something on its right ({})", self.at()),
                        ));
                    }
                }
                Some(_) => parts.push(self.unary()?),
            }
        }
        match parts.len() {
            0 => Err(bad(
                self.query,
                format!("expected a word or a filter {}", self.at()),
            )),
            1 => Ok(parts.pop().expect("one")),
            _ => Ok(Node::And(parts)),
        }
    }

    fn unary(&mut self) -> Result<Node> {
        if self.peek() == Some(&Tok::Not) {
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And)) {
                return Err(bad(
                    self.query,
                    format!("NOT (or -) needs a word after it ({})", self.at()),
                ));
            }
            return Ok(Node::Not(Box::new(self.nested(Self::unary)?)));
        }
        self.near()
    }

    fn near(&mut self) -> Result<Node> {
        let first = self.primary()?;
        let Some(Tok::Near(_)) = self.peek() else {
            return Ok(first);
        };
        let mut pairs = Vec::new();
        let mut left = self.near_operand(first)?;
        while let Some(Tok::Near(distance)) = self.peek().cloned() {
            self.pos += 1;
            if self.peek().is_none() {
                return Err(bad(self.query, "NEAR needs a word on both sides"));
            }
            let right_node = self.primary()?;
            let right = self.near_operand(right_node)?;
            pairs.push(Node::Near {
                left: left.clone(),
                right: right.clone(),
                distance,
            });
            left = right;
        }
        Ok(if pairs.len() == 1 {
            pairs.pop().expect("one")
        } else {
            Node::And(pairs)
        })
    }

    fn near_operand(&self, node: Node) -> Result<String> {
        match node {
            Node::Word(w) | Node::Exact(w) => Ok(w),
            _ => Err(bad(
                self.query,
                "NEAR joins two single words, e.g. skjønn NEAR/5 rettigheter",
            )),
        }
    }

    fn primary(&mut self) -> Result<Node> {
        let Some((tok, at)) = self.toks.get(self.pos).cloned() else {
            return Err(bad(self.query, "the query ends too early"));
        };
        self.pos += 1;
        match tok {
            Tok::Open => {
                if self.peek() == Some(&Tok::Close) {
                    return Err(bad(
                        self.query,
                        format!("empty parentheses at character {}", at + 1),
                    ));
                }
                let inner = self.nested(Self::or)?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(bad(
                        self.query,
                        format!("the parenthesis at character {} is never closed", at + 1),
                    ));
                }
                self.pos += 1;
                Ok(inner)
            }
            Tok::Close => Err(bad(
                self.query,
                format!("unexpected ) at character {}", at + 1),
            )),
            Tok::Uncoded => Ok(Node::Filter(Filter::Uncoded)),
            Tok::Filter(name, value) => Ok(Node::Filter(match name.as_str() {
                "actor" => Filter::Actor(value),
                "person" => Filter::Person(value),
                "kind" => Filter::Kind(value),
                "coder" => Filter::Coder(value),
                _ => Filter::Theme(value),
            })),
            Tok::Quoted(text) => {
                let mut words = language::words_of(&text);
                match words.len() {
                    0 => Err(bad(
                        self.query,
                        format!(
                            "the quotes at character {} hold no word to search for",
                            at + 1
                        ),
                    )),
                    1 => Ok(Node::Exact(words.pop().expect("one"))),
                    _ => Ok(Node::Phrase(words)),
                }
            }
            Tok::Word(chunk) => self.word(&chunk, at),
            Tok::And | Tok::Or | Tok::Not | Tok::Near(_) => Err(bad(
                self.query,
                format!("expected a word at character {}", at + 1),
            )),
        }
    }

    fn word(&self, chunk: &str, at: usize) -> Result<Node> {
        let (body, fuzzy) = match chunk.rfind('~') {
            Some(i) if i > 0 => {
                let n = &chunk[i + 1..];
                let d =
                    if n.is_empty() {
                        1
                    } else {
                        n.parse::<u8>().ok().filter(|d| (1..=2).contains(d)).ok_or_else(|| {
                        bad(
                            self.query,
                            format!(
                                "{chunk:?}: a fuzzy word takes ~ (one edit) or ~2 (two edits)"
                            ),
                        )
                    })?
                    };
                (&chunk[..i], Some(d))
            }
            _ => (chunk, None),
        };
        let (body, prefix) = match body.strip_suffix('*') {
            Some(b) => (b, true),
            None => (body, false),
        };
        let mut words = language::words_of(body);
        if words.is_empty() {
            return Err(bad(
                self.query,
                format!(
                    "{chunk:?} at character {} has no letters or digits to search for",
                    at + 1
                ),
            ));
        }
        if prefix && fuzzy.is_some() {
            return Err(bad(
                self.query,
                format!("{chunk:?}: a word is either a prefix (*) or fuzzy (~), not both"),
            ));
        }
        if words.len() > 1 {
            if prefix || fuzzy.is_some() {
                return Err(bad(
                    self.query,
                    format!("{chunk:?}: * and ~ apply to a single word"),
                ));
            }
            return Ok(Node::Phrase(words));
        }
        let word = words.pop().expect("one");
        if prefix {
            if word.chars().count() < 2 {
                return Err(bad(
                    self.query,
                    format!("{chunk:?}: a prefix needs at least 2 letters"),
                ));
            }
            return Ok(Node::Prefix(word));
        }
        if let Some(d) = fuzzy {
            if word.chars().count() <= usize::from(d) + 1 {
                return Err(bad(
                    self.query,
                    format!("{chunk:?}: the word is too short for {d} edit(s)"),
                ));
            }
            return Ok(Node::Fuzzy(word, d));
        }
        Ok(Node::Word(word))
    }
}

/// Parses a query; a bad query is an [`Error::BadQuery`] that says what is wrong and where.
pub fn parse(query: &str) -> Result<Node> {
    if query.trim().is_empty() {
        return Err(bad(query, "the query is empty: type a word to search for"));
    }
    let toks = lex(query)?;
    let mut parser = Parser {
        query,
        toks,
        pos: 0,
        depth: 0,
    };
    let node = parser.or()?;
    if let Some((tok, at)) = parser.toks.get(parser.pos) {
        let what = match tok {
            Tok::Close => "an unmatched )",
            _ => "unexpected text",
        };
        return Err(bad(query, format!("{what} at character {}", at + 1)));
    }
    Ok(node)
}
