//! The index schema and the documents built from the store: one document per paragraph (long
//! paragraphs are cut into passages at sentence ends) with its source, start, kind, language,
//! persons and actors. Codings are not indexed: filters on them read the store (see `codings`).
//!
//! Text is analysed by tantivy with the analysers registered here (see `language` for the word
//! rules they share with querying and hit mapping): `exact` holds the lower-cased words with
//! positions (quoted words, phrases, NEAR, prefix and fuzzy search). Nothing is stored: a hit's
//! paragraph is cut from its source's text by the byte range in the `byte_start`/`byte_end`
//! columns (see `texts`). `stem_nb` / `stem_en` hold the Norwegian or English stems (the
//! paragraph's language picks one). Compounds are found through the distinct words of `exact`
//! (see `vocabulary`).

use std::collections::HashMap;

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};
use tantivy::{Index, TantivyDocument, Term};

use super::language::{self, Lang};
use crate::model::{ActorId, CharSpan, PersonId, Source, SourceKind, SpeakerTurn};

/// Bumped when the schema, the analysis or the order of documents changes: an index of another
/// format is rebuilt. 7: each paragraph's end; codings no longer indexed.
pub const FORMAT: u32 = 7;

/// Paragraphs longer than this (code points) are cut into passages at a sentence end.
const PASSAGE_TARGET: usize = 1500;
/// … and at any white space past this length.
pub const PASSAGE_MAX: usize = 4000;

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub source_id: Field,
    pub start: Field,
    pub end: Field,
    pub byte_start: Field,
    pub byte_end: Field,
    pub kind: Field,
    pub lang: Field,
    pub person: Field,
    pub actor: Field,
    pub exact: Field,
    pub stem_nb: Field,
    pub stem_en: Field,
}

impl Fields {
    pub fn stem(&self, lang: Lang) -> Field {
        match lang {
            Lang::Norwegian => self.stem_nb,
            Lang::English => self.stem_en,
        }
    }
}

/// Names of the fields read as columns, as in the schema.
pub const SOURCE_FIELD: &str = "source_id";
pub const START_FIELD: &str = "start";
pub const END_FIELD: &str = "end";
pub const BYTE_START_FIELD: &str = "byte_start";
pub const BYTE_END_FIELD: &str = "byte_end";
pub const KIND_FIELD: &str = "kind";
pub const LANG_FIELD: &str = "lang";
pub const PERSON_FIELD: &str = "person";
pub const ACTOR_FIELD: &str = "actor";
const EXACT_ANALYZER: &str = "sitat_exact";
const NORWEGIAN_ANALYZER: &str = "sitat_nb";
const ENGLISH_ANALYZER: &str = "sitat_en";

pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = || NumericOptions::default().set_indexed().set_fast();
    let text = |analyzer: &str, option: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(option),
        )
    };
    let fast = || NumericOptions::default().set_fast();
    let fields = Fields {
        source_id: b.add_u64_field(SOURCE_FIELD, id()),
        start: b.add_u64_field(START_FIELD, fast()),
        end: b.add_u64_field(END_FIELD, fast()),
        byte_start: b.add_u64_field(BYTE_START_FIELD, fast()),
        byte_end: b.add_u64_field(BYTE_END_FIELD, fast()),
        kind: b.add_u64_field(KIND_FIELD, id()),
        lang: b.add_u64_field(LANG_FIELD, fast()),
        person: b.add_u64_field(PERSON_FIELD, id()),
        actor: b.add_u64_field(ACTOR_FIELD, id()),
        exact: b.add_text_field(
            "exact",
            text(EXACT_ANALYZER, IndexRecordOption::WithFreqsAndPositions),
        ),
        stem_nb: b.add_text_field(
            "stem_nb",
            text(NORWEGIAN_ANALYZER, IndexRecordOption::WithFreqs),
        ),
        stem_en: b.add_text_field(
            "stem_en",
            text(ENGLISH_ANALYZER, IndexRecordOption::WithFreqs),
        ),
    };
    (b.build(), fields)
}

/// Registers the analysers with an index (they are not stored in it: call after every open).
pub fn register_analyzers(index: &Index) {
    let tokenizers = index.tokenizers();
    let words = || TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser);
    tokenizers.register(EXACT_ANALYZER, words().build());
    for (name, language) in [
        (NORWEGIAN_ANALYZER, Language::Norwegian),
        (ENGLISH_ANALYZER, Language::English),
    ] {
        tokenizers.register(name, words().filter(Stemmer::new(language)).build());
    }
}

/// The fields of an opened index, or `None` when its schema is not this build's.
pub fn fields_of(schema: &Schema) -> Option<Fields> {
    let (ours, fields) = build_schema();
    (ours == *schema).then_some(fields)
}

pub fn kind_code(kind: SourceKind) -> u64 {
    SourceKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u64
}

/// The kind of a [`kind_code`] (the first kind for a code no kind has).
pub fn kind_of_code(code: u64) -> SourceKind {
    SourceKind::ALL
        .get(code as usize)
        .copied()
        .unwrap_or(SourceKind::ALL[0])
}

pub fn source_term(fields: &Fields, id: crate::model::SourceId) -> Term {
    Term::from_field_u64(fields.source_id, id.0 as u64)
}

/// Splits a source into the spans of its passages: paragraphs, cut when very long.
pub fn passages(text: &str) -> Vec<CharSpan> {
    let paragraphs = crate::text::paragraph_spans(text);
    if paragraphs.iter().all(|p| p.len() <= PASSAGE_TARGET) {
        return paragraphs;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for p in paragraphs {
        let mut start = p.start;
        while p.end - start > PASSAGE_TARGET {
            let mut cut = None;
            for i in start + PASSAGE_TARGET..p.end.min(start + PASSAGE_MAX) {
                if matches!(chars[i - 1], '.' | '!' | '?') && chars[i].is_whitespace() {
                    cut = Some(i);
                    break;
                }
            }
            let cut = cut.or_else(|| {
                (start + PASSAGE_TARGET..p.end.min(start + PASSAGE_MAX))
                    .rev()
                    .find(|&i| chars[i].is_whitespace())
            });
            let Some(cut) = cut else { break };
            out.push(CharSpan::new(start, cut));
            start = cut;
            while start < p.end && chars[start].is_whitespace() {
                start += 1;
            }
        }
        if start < p.end {
            out.push(CharSpan::new(start, p.end));
        }
    }
    out
}

/// Everything about a source that its documents carry, besides its text.
pub struct SourceContext<'a> {
    pub source: &'a Source,
    pub turns: &'a [SpeakerTurn],
    pub actor_of: &'a HashMap<PersonId, ActorId>,
}

/// The documents of one source, one per passage.
pub fn source_documents(fields: &Fields, ctx: &SourceContext<'_>) -> Vec<TantivyDocument> {
    let text = &ctx.source.text;
    let index = crate::text::CharIndex::new(text);
    let mut docs = Vec::new();
    for span in passages(text) {
        let Some(range) = index.byte_range(span) else {
            continue;
        };
        let mut doc = TantivyDocument::default();
        doc.add_u64(fields.source_id, ctx.source.id.0 as u64);
        doc.add_u64(fields.start, span.start as u64);
        doc.add_u64(fields.end, span.end as u64);
        doc.add_u64(fields.byte_start, range.start as u64);
        doc.add_u64(fields.byte_end, range.end as u64);
        let body = &text[range];
        doc.add_u64(fields.kind, kind_code(ctx.source.kind));
        let lang = language::guess_language(body);
        doc.add_u64(fields.lang, lang as u64);

        let mut persons: Vec<PersonId> = ctx
            .turns
            .iter()
            .filter(|t| t.span.overlaps(&span))
            .map(|t| t.person_id)
            .collect();
        if persons.is_empty() {
            persons.extend(ctx.source.person_id);
        }
        persons.sort();
        persons.dedup();
        let mut actors: Vec<ActorId> = persons
            .iter()
            .filter_map(|p| ctx.actor_of.get(p).copied())
            .collect();
        actors.sort();
        actors.dedup();
        for p in &persons {
            doc.add_u64(fields.person, p.0 as u64);
        }
        for a in &actors {
            doc.add_u64(fields.actor, a.0 as u64);
        }
        doc.add_text(fields.exact, body);
        doc.add_text(fields.stem(lang), body);
        docs.push(doc);
    }
    docs
}
