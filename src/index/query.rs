//! The query language (documented in README.md, "Search"): parsed into a small tree, then
//! compiled into a tantivy query plus the matchers that find each hit's exact span.
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

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, FuzzyTermQuery, InvertedIndexRangeQuery, Occur,
    PhraseQuery, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;

use super::analysis::{self, Lang, MIN_COMPOUND_STEM, MIN_INFIX_STEM, Stemmers};
use super::catalog::Catalog;
use super::schema::{Fields, kind_code};
use super::vocabulary::Vocabulary;
use crate::error::{Error, Result};
use crate::model::SourceKind;

/// The score of a match found only inside a compound: below any exact or stemmed match.
const COMPOUND_SCORE: f32 = 0.01;
/// NEAR without a number.
const DEFAULT_NEAR: u32 = 5;

/// A filter on the paragraph's attributes.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Actor(String),
    Person(String),
    Kind(String),
    Theme(String),
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
        /// Its Norwegian and English stem (indexed by [`Lang`]); stems of
        /// [`MIN_COMPOUND_STEM`]+ letters are also looked for inside compounds.
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

fn bad(query: &str, reason: impl Into<String>) -> Error {
    Error::BadQuery {
        query: query.to_string(),
        reason: reason.into(),
    }
}

const FILTERS: &str = "actor:, person:, kind:, theme: and uncoded";

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
                if !matches!(name.as_str(), "actor" | "person" | "kind" | "theme") {
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
}

impl Parser<'_> {
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
            return Ok(Node::Not(Box::new(self.unary()?)));
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
                let inner = self.or()?;
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
                _ => Filter::Theme(value),
            })),
            Tok::Quoted(text) => {
                let mut words = analysis::words_of(&text);
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
        let mut words = analysis::words_of(body);
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
    };
    let node = parser.or()?;
    if let Some((tok, at)) = parser.toks.get(parser.pos) {
        let what = if *tok == Tok::Close {
            "an unmatched )".to_string()
        } else {
            "unexpected text".to_string()
        };
        return Err(bad(query, format!("{what} at character {}", at + 1)));
    }
    Ok(node)
}

/// Turns a parsed query into a tantivy query and the matchers of its positive parts.
pub struct Compiler<'a> {
    pub query: &'a str,
    pub fields: &'a Fields,
    pub stemmers: &'a Stemmers,
    pub vocabulary: &'a Vocabulary,
    pub catalog: &'a Catalog,
    pub matchers: Vec<Matcher>,
}

impl Compiler<'_> {
    pub fn compile(&mut self, node: &Node) -> Result<Box<dyn Query>> {
        self.node(node, false)
    }

    fn node(&mut self, node: &Node, negated: bool) -> Result<Box<dyn Query>> {
        let f = *self.fields;
        let exact = |w: &str| Term::from_field_text(f.exact, w);
        Ok(match node {
            Node::Word(word) => {
                let stems = [
                    self.stemmers.stem(Lang::Norwegian, word),
                    self.stemmers.stem(Lang::English, word),
                ];
                let mut clauses: Vec<Box<dyn Query>> = Vec::new();
                for (lang, stem) in [Lang::Norwegian, Lang::English].into_iter().zip(&stems) {
                    clauses.push(Box::new(TermQuery::new(
                        Term::from_field_text(f.stem(lang), stem),
                        IndexRecordOption::WithFreqs,
                    )));
                }
                // Compounds: words that begin with a stem of 4+ letters, or hold one of 5+
                // anywhere, ranked below the word itself.
                let mut compounds: Vec<&str> = Vec::new();
                for (i, stem) in stems.iter().enumerate() {
                    let letters = stem.chars().count();
                    if letters >= MIN_COMPOUND_STEM && !stems[..i].contains(stem) {
                        let anywhere = letters >= MIN_INFIX_STEM;
                        compounds.extend(self.vocabulary.containing(stem, anywhere));
                    }
                }
                compounds.sort_unstable();
                compounds.dedup();
                if !compounds.is_empty() {
                    // A union of term queries: tantivy's TermSetQuery builds an automaton per
                    // query, several times slower for the few dozen words a stem is part of.
                    let terms = compounds
                        .into_iter()
                        .map(|w| {
                            Box::new(TermQuery::new(
                                Term::from_field_text(f.exact, w),
                                IndexRecordOption::Basic,
                            )) as Box<dyn Query>
                        })
                        .collect();
                    clauses.push(Box::new(ConstScoreQuery::new(
                        Box::new(BooleanQuery::union(terms)),
                        COMPOUND_SCORE,
                    )));
                }
                if !negated {
                    self.matchers.push(Matcher::Word {
                        word: word.clone(),
                        stems,
                    });
                }
                one_or_union(clauses)
            }
            Node::Exact(word) => {
                if !negated {
                    self.matchers.push(Matcher::Exact(word.clone()));
                }
                Box::new(TermQuery::new(exact(word), IndexRecordOption::WithFreqs))
            }
            Node::Phrase(words) => {
                if !negated {
                    self.matchers.push(Matcher::Phrase(words.clone()));
                }
                Box::new(PhraseQuery::new(words.iter().map(|w| exact(w)).collect()))
            }
            Node::Prefix(p) => {
                if !negated {
                    self.matchers.push(Matcher::Prefix(p.clone()));
                }
                prefix(f.exact, p, true)
            }
            Node::Fuzzy(w, d) => {
                if !negated {
                    self.matchers.push(Matcher::Fuzzy(w.clone(), *d));
                }
                Box::new(FuzzyTermQuery::new(exact(w), *d, true))
            }
            Node::Near {
                left,
                right,
                distance,
            } => {
                if !negated {
                    self.matchers
                        .push(Matcher::Near(left.clone(), right.clone(), *distance));
                }
                let phrase = |a: &str, b: &str| -> Box<dyn Query> {
                    Box::new(PhraseQuery::new_with_offset_and_slop(
                        vec![(0, exact(a)), (1, exact(b))],
                        *distance,
                    ))
                };
                Box::new(BooleanQuery::union(vec![
                    phrase(left, right),
                    phrase(right, left),
                ]))
            }
            Node::Filter(filter) => self.filter(filter)?,
            Node::And(children) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for child in children {
                    match child {
                        Node::Not(inner) => {
                            clauses.push((Occur::MustNot, self.node(inner, !negated)?))
                        }
                        _ => clauses.push((Occur::Must, self.node(child, negated)?)),
                    }
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Or(children) => {
                let mut clauses = Vec::new();
                for child in children {
                    clauses.push((Occur::Should, self.node(child, negated)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.node(inner, !negated)?),
            ])),
        })
    }

    fn filter(&self, filter: &Filter) -> Result<Box<dyn Query>> {
        let f = self.fields;
        let ids: Vec<(tantivy::schema::Field, u64)> = match filter {
            Filter::Actor(name) => vec![(f.actor, self.catalog.actor_named(name)?.0 as u64)],
            Filter::Person(name) => vec![(f.person, self.catalog.person_named(name)?.0 as u64)],
            Filter::Kind(name) => {
                let kind = SourceKind::parse(name).ok_or_else(|| {
                    bad(
                        self.query,
                        format!(
                            "kind:{name} is not a source kind: use interview, literature, reference or note"
                        ),
                    )
                })?;
                vec![(f.kind, kind_code(kind))]
            }
            Filter::Theme(name) => self
                .catalog
                .theme_named(name)?
                .into_iter()
                .map(|id| (f.theme, id.0 as u64))
                .collect(),
            Filter::Uncoded => vec![(f.coded, 0)],
        };
        let terms: Vec<Box<dyn Query>> = ids
            .into_iter()
            .map(|(field, v)| {
                Box::new(TermQuery::new(
                    Term::from_field_u64(field, v),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect();
        Ok(Box::new(ConstScoreQuery::new(one_or_union(terms), 0.0)))
    }
}

fn one_or_union(mut clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if clauses.len() == 1 {
        clauses.pop().expect("one")
    } else {
        Box::new(BooleanQuery::union(clauses))
    }
}

/// The terms of `field` that begin with `prefix` (and, unless `with_itself`, are longer): a
/// range of the term dictionary, far cheaper to set up than a regex automaton.
fn prefix(field: tantivy::schema::Field, prefix: &str, with_itself: bool) -> Box<dyn Query> {
    let lower = Term::from_field_text(field, prefix);
    let lower = if with_itself {
        Bound::Included(lower)
    } else {
        Bound::Excluded(lower)
    };
    let mut end = prefix.as_bytes().to_vec();
    while end.last() == Some(&0xff) {
        end.pop();
    }
    let upper = match end.last_mut() {
        Some(last) => {
            *last += 1;
            let mut term = Term::from_field_text(field, "");
            term.append_bytes(&end);
            Bound::Excluded(term)
        }
        None => Bound::Unbounded,
    };
    Box::new(InvertedIndexRangeQuery::new(lower, upper))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_language() {
        assert_eq!(parse("skjønn").unwrap(), Node::Word("skjønn".into()));
        assert_eq!(
            parse("a OR b -c").unwrap(),
            Node::Or(vec![
                Node::Word("a".into()),
                Node::And(vec![
                    Node::Word("b".into()),
                    Node::Not(Box::new(Node::Word("c".into())))
                ])
            ])
        );
        assert_eq!(
            parse("\"mer tillit\" skjønn* tilit~ actor:KS theme:\"Regler ↔ Skjønn\" uncoded")
                .unwrap(),
            Node::And(vec![
                Node::Phrase(vec!["mer".into(), "tillit".into()]),
                Node::Prefix("skjønn".into()),
                Node::Fuzzy("tilit".into(), 1),
                Node::Filter(Filter::Actor("KS".into())),
                Node::Filter(Filter::Theme("Regler ↔ Skjønn".into())),
                Node::Filter(Filter::Uncoded),
            ])
        );
        assert_eq!(
            parse("skjønn NEAR/3 regler").unwrap(),
            Node::Near {
                left: "skjønn".into(),
                right: "regler".into(),
                distance: 3
            }
        );
        for bad_query in [
            "",
            "   ",
            "\"open",
            "(a",
            "a)",
            "a OR",
            "NOT",
            "foo:bar",
            "actor:",
            "a*~",
            "x~3",
            "a NEAR/x b",
            "()",
            "- ",
            "*",
            "a AND",
            "AND a",
            "\"\"",
            "s*",
        ] {
            assert!(
                matches!(parse(bad_query), Err(Error::BadQuery { .. })),
                "{bad_query:?} should be a bad query"
            );
        }
    }
}
