//! What a query compiles to: a tree of term lookups and set operations that `evaluate` runs one
//! term at a time (phrases by their words' positions, see `phrase`), with tantivy's own queries
//! only for NEAR and for what needs a range of terms (prefixes, fuzzy words).
//!
//! Why not a tantivy query throughout: its scorers find the union of a word's stems and
//! compounds document by document, and the top documents by a heap fed one document at a time,
//! which for a common word is most of its search. Its scores are kept: each term is
//! scored by tantivy's BM25, so `Plan::to_query` gives a tantivy query with the same matches
//! and scores (the tests compare the two).

use tantivy::Term;
use tantivy::query::Query;

use super::vocabulary::SegmentPostings;
#[cfg(test)]
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, TermQuery};
#[cfg(test)]
use tantivy::schema::IndexRecordOption;

pub enum Plan {
    /// Documents with the term, scored by BM25 (a stem, an exact word).
    Scored(Term),
    /// Documents with any of the terms (all of one field), all with one score (compounds,
    /// filters); `postings` has where the segments that have them keep their postings, where
    /// known (compounds).
    AnyOf {
        terms: Vec<Term>,
        postings: SegmentPostings,
        score: f32,
    },
    /// Documents attributed to any of these actors (terms of the actor field), all scoring
    /// 0: read from the segment's actor sets, which searches keep in memory, not from postings.
    Actors(Vec<Term>),
    /// Documents with the words, in this order, adjacent; scored by BM25 over the number of
    /// times they are (as tantivy's phrase query).
    Phrase(Vec<Term>),
    /// A tantivy query, run as it is (NEAR).
    Tantivy(Box<dyn Query>),
    /// The documents a tantivy query matches, all with one score: a query tantivy scores so
    /// anyway (prefixes and fuzzy words, whose scorers give each match the same score).
    Matching(Box<dyn Query>, f32),
    /// Every document, scoring 1 (as tantivy's `AllQuery`).
    All,
    /// Documents in every `must` and in no `not`; the scores of `must` added up.
    And { must: Vec<Plan>, not: Vec<Plan> },
    /// Documents in any; the scores of those matching added up.
    Or(Vec<Plan>),
}

impl Plan {
    /// One plan, or the union of several.
    pub fn any(mut plans: Vec<Plan>) -> Plan {
        if plans.len() == 1 {
            plans.pop().expect("one")
        } else {
            Plan::Or(plans)
        }
    }

    /// The same query as a tantivy query: the reference `evaluate` is tested against.
    #[cfg(test)]
    pub fn to_query(&self) -> Box<dyn Query> {
        match self {
            Plan::Scored(term) => {
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs))
            }
            Plan::AnyOf { terms, score, .. } => any_term(terms, *score),
            Plan::Actors(terms) => any_term(terms, 0.0),
            Plan::Phrase(terms) => Box::new(tantivy::query::PhraseQuery::new(terms.clone())),
            Plan::Tantivy(query) => query.box_clone(),
            Plan::Matching(query, score) => {
                Box::new(ConstScoreQuery::new(query.box_clone(), *score))
            }
            Plan::All => Box::new(AllQuery),
            Plan::And { must, not } => Box::new(BooleanQuery::new(
                must.iter()
                    .map(|p| (Occur::Must, p.to_query()))
                    .chain(not.iter().map(|p| (Occur::MustNot, p.to_query())))
                    .collect(),
            )),
            Plan::Or(any) => Box::new(BooleanQuery::new(
                any.iter().map(|p| (Occur::Should, p.to_query())).collect(),
            )),
        }
    }
}

/// Documents with any of `terms`, all scoring `score`, as a tantivy query.
#[cfg(test)]
fn any_term(terms: &[Term], score: f32) -> Box<dyn Query> {
    let terms = terms
        .iter()
        .map(|t| Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic)) as Box<dyn Query>)
        .collect();
    Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::union(terms)),
        score,
    ))
}
