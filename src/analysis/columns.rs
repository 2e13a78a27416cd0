//! Side-by-side columns: for chosen themes, one column per actor (or per person) with its quotes.

use serde::Serialize;

use super::cited::CitedQuote;
use super::coverage::Coverage;
use super::quotes::{Counting, SourceTexts, group_into_quotes, stance_quotes};
use super::scope::{chosen_actors, chosen_themes};
use super::stance_summary::StanceSummary;
use crate::error::Result;
use crate::filter::CodingFilter;
use crate::model::{Actor, ActorId, CodedExcerpt, CoderId, Person, PersonId, Theme, ThemeId};
use crate::project::Project;

/// What a column stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnGrouping {
    /// One column per actor.
    #[default]
    Actor,
    /// One column per person, the persons of each chosen actor in turn.
    Person,
}

/// Which columns to build.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompareOptions {
    /// A coding matches when its theme is one of these; empty means every theme.
    pub theme_ids: Vec<ThemeId>,
    /// The actors to show, in this order; empty means every actor in `Project::actors()` order.
    pub actor_ids: Vec<ActorId>,
    pub grouping: ColumnGrouping,
    /// What the count and the mean stance are taken over: quotes (the default) or codings.
    pub counting: Counting,
    /// Only these coders' codings (shares included); empty means every coder's.
    pub coder_ids: Vec<CoderId>,
}

/// The side-by-side view: the chosen themes and one column per actor or person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideBySide {
    pub themes: Vec<Theme>,
    pub grouping: ColumnGrouping,
    pub counting: Counting,
    pub columns: Vec<Column>,
}

/// One actor's (or person's) quotes on the chosen themes, with its header numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// "KS" for an actor column, "Name (KS)" for a person column.
    pub label: String,
    pub actor_id: ActorId,
    pub actor_name: String,
    pub person_id: Option<PersonId>,
    pub person_name: Option<String>,
    /// Count and share of coded text (see [`Coverage`] for the exact rule).
    #[serde(flatten)]
    pub coverage: Coverage,
    /// The mean of the stances of the column's quotes (one stance per quote and axis theme, the
    /// mean of its codings'; pooled when several axis themes are chosen); `None` when none of
    /// them has a stance.
    pub mean_stance: Option<f64>,
    /// How many quote stances (or coding stances, counting per coding) the mean is taken over.
    pub stance_n: usize,
    /// In codebook order, then source and position.
    pub quotes: Vec<CitedQuote>,
    /// `quotes` grouped into quotes (codings that overlap, nest or lie in one paragraph; one
    /// group per coding when counting per coding): indices into `quotes`, in source and position
    /// order.
    pub quote_groups: Vec<Vec<usize>>,
}

/// Builds the columns. Unknown theme or actor ids are an error.
pub fn side_by_side(project: &Project, options: &CompareOptions) -> Result<SideBySide> {
    let themes = chosen_themes(project, &options.theme_ids)?;
    let actors = chosen_actors(project, &options.actor_ids)?;
    // Every coding, not just the chosen themes': the share needs each speaker's whole coded text.
    let excerpts = project.excerpts(&CodingFilter {
        coder_ids: options.coder_ids.clone(),
        ..Default::default()
    })?;
    let texts = SourceTexts::load(project, excerpts.iter().map(|e| e.coding.source_id))?;
    let theme_ids: Vec<ThemeId> = themes.iter().map(|t| t.id).collect();
    let build = |actor: &Actor, person: Option<&Person>| {
        Speaker {
            actor,
            person,
            excerpts: &excerpts,
            theme_ids: &theme_ids,
            texts: &texts,
            counting: options.counting,
        }
        .column()
    };
    let columns = match options.grouping {
        ColumnGrouping::Actor => actors.iter().map(|actor| build(actor, None)).collect(),
        ColumnGrouping::Person => {
            let persons = project.persons()?;
            actors
                .iter()
                .flat_map(|actor| {
                    persons
                        .iter()
                        .filter(move |p| p.actor_id == actor.id)
                        .map(move |person| (actor, person))
                })
                .map(|(actor, person)| build(actor, Some(person)))
                .collect()
        }
    };
    Ok(SideBySide {
        themes,
        grouping: options.grouping,
        counting: options.counting,
        columns,
    })
}

/// What one column is built from.
struct Speaker<'a> {
    actor: &'a Actor,
    person: Option<&'a Person>,
    excerpts: &'a [CodedExcerpt],
    theme_ids: &'a [ThemeId],
    texts: &'a SourceTexts,
    counting: Counting,
}

impl Speaker<'_> {
    fn column(&self) -> Column {
        let (actor, person) = (self.actor, self.person);
        let own: Vec<&CodedExcerpt> = self
            .excerpts
            .iter()
            .filter(|e| match person {
                Some(person) => e.person_id == Some(person.id),
                None => e.actor_id == Some(actor.id),
            })
            .collect();
        let on_theme = |theme_id: ThemeId| self.theme_ids.contains(&theme_id);
        let quotes: Vec<CitedQuote> = own
            .iter()
            .filter(|e| on_theme(e.coding.theme_id))
            .map(|e| CitedQuote::from(*e))
            .collect();
        // One stance per quote and axis theme: a quote is grouped within one theme.
        let stances: Vec<f64> = self
            .theme_ids
            .iter()
            .flat_map(|&theme_id| {
                let on_this: Vec<CitedQuote> = quotes
                    .iter()
                    .filter(|q| q.theme_id == theme_id && q.stance.is_some())
                    .cloned()
                    .collect();
                stance_quotes(on_this, self.texts, self.counting)
            })
            .map(|q| q.stance)
            .collect();
        let spans: Vec<_> = quotes.iter().map(|q| (q.source_id, q.span)).collect();
        let quote_groups = group_into_quotes(&spans, self.texts, self.counting);
        Column {
            label: match person {
                Some(person) => format!("{} ({})", person.name, actor.name),
                None => actor.name.clone(),
            },
            actor_id: actor.id,
            actor_name: actor.name.clone(),
            person_id: person.map(|p| p.id),
            person_name: person.map(|p| p.name.clone()),
            coverage: Coverage::of(&own, on_theme, self.texts),
            mean_stance: StanceSummary::of(&stances).map(|s| s.mean),
            stance_n: stances.len(),
            quotes,
            quote_groups,
        }
    }
}
