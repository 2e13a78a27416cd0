//! Where two coders coded a theme differently, and resolving each difference in one step.
//!
//! A coder's codings of a theme in a source are grouped with the other coder's into clusters of
//! codings that overlap (directly or through one another). A cluster is a difference unless both
//! coders hold the same spans with the same stances in it: one coded and the other did not, their
//! spans differ, or their stances do. Resolving a difference makes the two coders' codings in the
//! cluster equal, as one undoable command:
//! - **accept A**: B's codings in the cluster are replaced by copies of A's (span, stance, memo);
//! - **accept B**: the other way round;
//! - **keep both**: each coder gets a copy of the other's codings it lacks, so both readings stand.

use serde::Serialize;

use crate::command::Command;
use crate::error::{Error, Result};
use crate::model::{CharSpan, Coder, CoderId, Coding, SourceId, ThemeId};
use crate::project::Project;
use crate::store::IdAllocator;

/// One coding in a difference, with its quote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DifferingCoding {
    pub coding: Coding,
    pub quote: String,
}

/// A cluster of overlapping codings of one theme in which two coders differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub source_id: SourceId,
    pub source_title: String,
    pub theme_id: ThemeId,
    /// From the first start to the last end of the cluster's codings.
    pub span: CharSpan,
    pub a: Vec<DifferingCoding>,
    pub b: Vec<DifferingCoding>,
}

impl Difference {
    /// What differs, in a few words.
    pub fn what(&self) -> &'static str {
        match (self.a.is_empty(), self.b.is_empty()) {
            (false, true) => "only the first coder coded this",
            (true, false) => "only the second coder coded this",
            _ if spans(&self.a) == spans(&self.b) => "same text, other stance",
            _ => "different extent",
        }
    }
}

fn spans(codings: &[DifferingCoding]) -> Vec<CharSpan> {
    let mut spans: Vec<CharSpan> = codings.iter().map(|c| c.coding.span).collect();
    spans.sort_by_key(|s| (s.start, s.end));
    spans
}

/// What a coder's coding says, for comparing two coders' clusters.
fn reading(codings: &[&Coding]) -> Vec<(usize, usize, Option<i64>)> {
    let mut out: Vec<_> = codings
        .iter()
        .map(|c| (c.span.start, c.span.end, c.stance.map(|s| s.value())))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The differences between coders `a` and `b` on `theme_id` (or on every theme), in source and
/// text order.
pub fn differences(
    project: &Project,
    a: CoderId,
    b: CoderId,
    theme_id: Option<ThemeId>,
) -> Result<Vec<Difference>> {
    let codings: Vec<Coding> = project
        .all_codings()?
        .into_iter()
        .filter(|c| {
            (c.coder_id == a || c.coder_id == b) && theme_id.is_none_or(|t| c.theme_id == t)
        })
        .collect();
    let mut groups: std::collections::BTreeMap<(SourceId, ThemeId), Vec<&Coding>> =
        std::collections::BTreeMap::new();
    for coding in &codings {
        groups
            .entry((coding.source_id, coding.theme_id))
            .or_default()
            .push(coding);
    }
    let mut out = Vec::new();
    let mut titles = std::collections::HashMap::new();
    for ((source_id, theme_id), mut group) in groups {
        group.sort_by_key(|c| (c.span.start, c.span.end, c.id));
        let mut cluster: Vec<&Coding> = Vec::new();
        let mut cluster_end = 0;
        let mut clusters = Vec::new();
        for coding in group {
            if !cluster.is_empty() && coding.span.start >= cluster_end {
                clusters.push(std::mem::take(&mut cluster));
            }
            cluster_end = if cluster.is_empty() {
                coding.span.end
            } else {
                cluster_end.max(coding.span.end)
            };
            cluster.push(coding);
        }
        if !cluster.is_empty() {
            clusters.push(cluster);
        }
        for cluster in clusters {
            let of = |coder: CoderId| -> Vec<&Coding> {
                cluster
                    .iter()
                    .copied()
                    .filter(|c| c.coder_id == coder)
                    .collect()
            };
            let (mine, theirs) = (of(a), of(b));
            if reading(&mine) == reading(&theirs) {
                continue;
            }
            let source = match titles.entry(source_id) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(new) => {
                    new.insert(project.source(source_id)?)
                }
            };
            let source = &*source;
            let quoted = |codings: Vec<&Coding>| {
                codings
                    .into_iter()
                    .map(|c| DifferingCoding {
                        coding: c.clone(),
                        quote: crate::text::slice_chars(&source.text, c.span)
                            .unwrap_or_default()
                            .to_string(),
                    })
                    .collect::<Vec<_>>()
            };
            let span = CharSpan::new(
                cluster.iter().map(|c| c.span.start).min().unwrap_or(0),
                cluster.iter().map(|c| c.span.end).max().unwrap_or(0),
            );
            out.push(Difference {
                source_id,
                source_title: source.title.clone(),
                theme_id,
                span,
                a: quoted(mine),
                b: quoted(theirs),
            });
        }
    }
    out.sort_by_key(|d| (d.source_id, d.span.start, d.theme_id));
    Ok(out)
}

/// How to settle a difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    AcceptA,
    AcceptB,
    KeepBoth,
}

impl Resolution {
    pub fn label(self) -> &'static str {
        match self {
            Resolution::AcceptA => "accept the first coder's",
            Resolution::AcceptB => "accept the second coder's",
            Resolution::KeepBoth => "keep both",
        }
    }
}

/// Settles `difference` between coders `a` and `b` as one undoable command. Refuses when the
/// codings changed since the difference was found (another window or process).
pub fn resolve(
    project: &mut Project,
    difference: &Difference,
    a: CoderId,
    b: CoderId,
    resolution: Resolution,
) -> Result<()> {
    project.apply_with(|project, ids| {
        for coding in difference.a.iter().chain(&difference.b) {
            if project.coding(coding.coding.id).ok().as_ref() != Some(&coding.coding) {
                return Err(Error::Conflict {
                    expected: format!("coding {} as it was shown", coding.coding.id.0),
                });
            }
        }
        let coders = project.coders()?;
        let name = |id: CoderId| -> String {
            coders
                .iter()
                .find(|c: &&Coder| c.id == id)
                .map_or_else(String::new, |c| c.name.clone())
        };
        let mut commands = Vec::new();
        let copy = |from: &[DifferingCoding], to: CoderId, ids: &mut IdAllocator| {
            from.iter()
                .map(|c| {
                    Command::AddCoding(Coding {
                        id: ids.coding(),
                        coder_id: to,
                        created_at_ms: crate::project::now_ms(),
                        ..c.coding.clone()
                    })
                })
                .collect::<Vec<_>>()
        };
        let remove = |from: &[DifferingCoding]| {
            from.iter()
                .map(|c| Command::RemoveCoding(c.coding.clone()))
                .collect::<Vec<_>>()
        };
        let missing = |from: &[DifferingCoding], have: &[DifferingCoding]| {
            from.iter()
                .filter(|c| {
                    !have.iter().any(|h| {
                        h.coding.span == c.coding.span && h.coding.stance == c.coding.stance
                    })
                })
                .cloned()
                .collect::<Vec<_>>()
        };
        let label = match resolution {
            Resolution::AcceptA => {
                commands.extend(remove(&difference.b));
                commands.extend(copy(&difference.a, b, ids));
                format!("accept {}'s coding over {}'s", name(a), name(b))
            }
            Resolution::AcceptB => {
                commands.extend(remove(&difference.a));
                commands.extend(copy(&difference.b, a, ids));
                format!("accept {}'s coding over {}'s", name(b), name(a))
            }
            Resolution::KeepBoth => {
                commands.extend(copy(&missing(&difference.b, &difference.a), a, ids));
                commands.extend(copy(&missing(&difference.a, &difference.b), b, ids));
                format!("keep both {}'s and {}'s codings", name(a), name(b))
            }
        };
        Ok(((), Some(Command::Batch { label, commands })))
    })
}
