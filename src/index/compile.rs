//! A parsed query (see `query`) compiled into a tantivy query, and the matchers of its positive
//! parts that find each hit's exact span.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, FuzzyTermQuery, InvertedIndexRangeQuery, Occur,
    PhraseQuery, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;

use super::analysis::{Lang, MIN_COMPOUND_STEM, MIN_INFIX_STEM, Stemmers};
use super::catalog::Catalog;
use super::query::{Filter, Matcher, Node, bad};
use super::schema::{Fields, kind_code};
use super::vocabulary::Vocabulary;
use crate::error::Result;
use crate::model::SourceKind;

/// The score of a match found only inside a compound: below any exact or stemmed match.
const COMPOUND_SCORE: f32 = 0.01;

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
