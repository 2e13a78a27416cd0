//! A parsed query (see `query`) compiled into a tantivy query, and the matchers of its positive
//! parts that find each hit's exact span.
//!
//! Words are scored by tantivy's BM25 (a word by its Norwegian and English stems, a quoted word
//! or a phrase by its exact words); what matches only inside compounds, prefixes and fuzzy
//! words score a constant, and filters nothing.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, FuzzyTermQuery, InvertedIndexRangeQuery, Occur,
    PhraseQuery, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;

use std::sync::Arc;

use super::catalog::{Catalog, named};
use super::codings::CodingFilters;
use super::language::{Lang, MIN_COMPOUND_STEM, MIN_INFIX_STEM, Stemmers};
use super::paragraphs::SegmentParagraphs;
use super::query::{Filter, Matcher, Node, bad};
use super::schema::{Fields, kind_code};
use super::segment_cache::PerSegment;
use super::vocabulary::Vocabulary;
use crate::error::Result;
use crate::model::{Coding, SourceKind};
use crate::project::Project;

/// The score of a match found only inside a compound: below any exact or stemmed match.
const COMPOUND_SCORE: f32 = 0.01;

/// Turns a parsed query into a tantivy query and the matchers of its positive parts.
pub struct Compiler<'a> {
    pub query: &'a str,
    pub fields: &'a Fields,
    pub stemmers: &'a Stemmers,
    pub vocabulary: &'a Vocabulary,
    pub catalog: &'a Catalog,
    /// Where filters on codings find them (see `codings`).
    pub project: &'a Project,
    pub coding_filters: &'a CodingFilters,
    pub paragraphs: &'a Arc<PerSegment<SegmentParagraphs>>,
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
                let mut clauses: Vec<Box<dyn Query>> = [Lang::Norwegian, Lang::English]
                    .into_iter()
                    .zip(&stems)
                    .map(|(lang, stem)| scored(Term::from_field_text(f.stem(lang), stem)))
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
                if !compounds.is_empty() {
                    let terms = compounds.into_iter().map(exact).collect();
                    clauses.push(any_term(terms, COMPOUND_SCORE));
                }
                if !negated {
                    self.matchers.push(Matcher::Word {
                        word: word.clone(),
                        stems,
                    });
                }
                any(clauses)
            }
            Node::Exact(word) => {
                if !negated {
                    self.matchers.push(Matcher::Exact(word.clone()));
                }
                scored(exact(word))
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
                Box::new(ConstScoreQuery::new(prefix(f.exact, p, true), 1.0))
            }
            Node::Fuzzy(w, d) => {
                if !negated {
                    self.matchers.push(Matcher::Fuzzy(w.clone(), *d));
                }
                let fuzzy = FuzzyTermQuery::new(exact(w), *d, true);
                Box::new(ConstScoreQuery::new(Box::new(fuzzy), 1.0))
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
                let mut clauses = Vec::new();
                for child in children {
                    clauses.push(match child {
                        Node::Not(inner) => (Occur::MustNot, self.node(inner, !negated)?),
                        _ => (Occur::Must, self.node(child, negated)?),
                    });
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Or(children) => Box::new(BooleanQuery::union(
                children
                    .iter()
                    .map(|child| self.node(child, negated))
                    .collect::<Result<_>>()?,
            )),
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, self.node(inner, !negated)?),
            ])),
        })
    }

    fn filter(&self, filter: &Filter) -> Result<Box<dyn Query>> {
        let f = self.fields;
        let ids: Vec<(tantivy::schema::Field, u64)> = match filter {
            Filter::Actor(name) => {
                let actors = &self.catalog.actors;
                let id = named("actor", name, actors, |a| [&*a.name, &*a.full_name])?.id;
                vec![(f.actor, id.0 as u64)]
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
            Filter::Theme(name) => {
                let themes = self.catalog.theme_named(name)?;
                return self.coded(filter, move |c| themes.contains(&c.theme_id), false);
            }
            Filter::Coder(name) => {
                let id = named("coder", name, &self.catalog.coders, |c| [c.name.as_str()])?.id;
                return self.coded(filter, move |c| c.coder_id == id, false);
            }
            // `uncoded`: the paragraphs no coding at all overlaps.
            Filter::Uncoded => return self.coded(filter, |_| true, true),
        };
        let terms = (ids.into_iter())
            .map(|(field, v)| Term::from_field_u64(field, v))
            .collect();
        Ok(any_term(terms, 0.0))
    }

    /// The paragraphs that the codings `keep` accepts overlap (or, when `negated`, that none
    /// does); `filter` is what `keep` was made from.
    fn coded(
        &self,
        filter: &Filter,
        keep: impl Fn(&Coding) -> bool,
        negated: bool,
    ) -> Result<Box<dyn Query>> {
        let key = (self.catalog.revision, filter.clone());
        (self.coding_filters).query(self.project, key, keep, negated, self.paragraphs)
    }
}

/// Documents with `term`, scored by BM25.
fn scored(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

/// One query, or the union of several (their scores added up).
fn any(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        queries.pop().expect("one")
    } else {
        Box::new(BooleanQuery::union(queries))
    }
}

/// Documents with any of `terms`, all scoring `score`.
fn any_term(terms: Vec<Term>, score: f32) -> Box<dyn Query> {
    let terms = (terms.into_iter())
        .map(|t| Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>)
        .collect();
    Box::new(ConstScoreQuery::new(any(terms), score))
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
