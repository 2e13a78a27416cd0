//! A parsed query (see `query`) compiled into a [`Plan`], and the matchers of its positive parts
//! that find each hit's exact span.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{BooleanQuery, FuzzyTermQuery, InvertedIndexRangeQuery, PhraseQuery, Query};

use super::catalog::Catalog;
use super::language::{Lang, MIN_COMPOUND_STEM, MIN_INFIX_STEM, Stemmers};
use super::plan::Plan;
use super::query::{Filter, Matcher, Node, bad};
use super::schema::{Fields, kind_code};
use super::vocabulary::Vocabulary;
use crate::error::Result;
use crate::model::SourceKind;

/// The score of a match found only inside a compound: below any exact or stemmed match.
const COMPOUND_SCORE: f32 = 0.01;

/// Turns a parsed query into a plan and the matchers of its positive parts.
pub struct Compiler<'a> {
    pub query: &'a str,
    pub fields: &'a Fields,
    pub stemmers: &'a Stemmers,
    pub vocabulary: &'a Vocabulary,
    pub catalog: &'a Catalog,
    pub matchers: Vec<Matcher>,
}

impl Compiler<'_> {
    pub fn compile(&mut self, node: &Node) -> Result<Plan> {
        self.node(node, false)
    }

    fn node(&mut self, node: &Node, negated: bool) -> Result<Plan> {
        let f = *self.fields;
        let exact = |w: &str| Term::from_field_text(f.exact, w);
        Ok(match node {
            Node::Word(word) => {
                let stems = [
                    self.stemmers.stem(Lang::Norwegian, word),
                    self.stemmers.stem(Lang::English, word),
                ];
                let mut clauses: Vec<Plan> = [Lang::Norwegian, Lang::English]
                    .into_iter()
                    .zip(&stems)
                    .map(|(lang, stem)| Plan::Scored(Term::from_field_text(f.stem(lang), stem)))
                    .collect();
                // Compounds: words that begin with a stem of 4+ letters, or hold one of 5+
                // anywhere, ranked below the word itself.
                let mut parts: Vec<(&str, bool)> = Vec::new();
                for (i, stem) in stems.iter().enumerate() {
                    let letters = stem.chars().count();
                    if letters >= MIN_COMPOUND_STEM && !stems[..i].contains(stem) {
                        parts.push((stem, letters >= MIN_INFIX_STEM));
                    }
                }
                let compounds = self.vocabulary.containing_any(&parts);
                if !compounds.words.is_empty() {
                    clauses.push(Plan::AnyOf {
                        terms: compounds.words.into_iter().map(exact).collect(),
                        postings: compounds.postings,
                        score: COMPOUND_SCORE,
                    });
                }
                if !negated {
                    self.matchers.push(Matcher::Word {
                        word: word.clone(),
                        stems,
                    });
                }
                Plan::any(clauses)
            }
            Node::Exact(word) => {
                if !negated {
                    self.matchers.push(Matcher::Exact(word.clone()));
                }
                Plan::Scored(exact(word))
            }
            Node::Phrase(words) => {
                if !negated {
                    self.matchers.push(Matcher::Phrase(words.clone()));
                }
                Plan::Phrase(words.iter().map(|w| exact(w)).collect())
            }
            Node::Prefix(p) => {
                if !negated {
                    self.matchers.push(Matcher::Prefix(p.clone()));
                }
                Plan::Matching(prefix(f.exact, p, true), 1.0)
            }
            Node::Fuzzy(w, d) => {
                if !negated {
                    self.matchers.push(Matcher::Fuzzy(w.clone(), *d));
                }
                Plan::Matching(Box::new(FuzzyTermQuery::new(exact(w), *d, true)), 1.0)
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
                Plan::Tantivy(Box::new(BooleanQuery::union(vec![
                    phrase(left, right),
                    phrase(right, left),
                ])))
            }
            Node::Filter(filter) => self.filter(filter)?,
            Node::And(children) => {
                let (mut must, mut not) = (Vec::new(), Vec::new());
                for child in children {
                    match child {
                        Node::Not(inner) => not.push(self.node(inner, !negated)?),
                        _ => must.push(self.node(child, negated)?),
                    }
                }
                if must.is_empty() {
                    must.push(Plan::All);
                }
                Plan::And { must, not }
            }
            Node::Or(children) => Plan::Or(
                children
                    .iter()
                    .map(|child| self.node(child, negated))
                    .collect::<Result<_>>()?,
            ),
            Node::Not(inner) => Plan::And {
                must: vec![Plan::All],
                not: vec![self.node(inner, !negated)?],
            },
        })
    }

    fn filter(&self, filter: &Filter) -> Result<Plan> {
        let f = self.fields;
        let ids: Vec<(tantivy::schema::Field, u64)> = match filter {
            Filter::Actor(name) => {
                let id = self.catalog.actor_named(name)?.0 as u64;
                return Ok(Plan::Actors(vec![Term::from_field_u64(f.actor, id)]));
            }
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
            Filter::Coder(name) => vec![(f.coder, self.catalog.coder_named(name)?.0 as u64)],
            Filter::Uncoded => vec![(f.coded, 0)],
        };
        Ok(Plan::AnyOf {
            terms: ids
                .into_iter()
                .map(|(field, v)| Term::from_field_u64(field, v))
                .collect(),
            postings: Vec::new(),
            score: 0.0,
        })
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
