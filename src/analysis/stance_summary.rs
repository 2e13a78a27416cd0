//! Descriptive statistics of a set of stances.

use serde::Serialize;

/// n, mean, range and spread of one actor's stances on one axis, one stance per quote (a quote's
/// stance is the mean of its codings', so it can lie between the whole steps). There is no summary
/// of zero stances: callers hold `Option<StanceSummary>`, so "no stance" never reads as a mean of 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StanceSummary {
    /// How many quotes (or codings, when counting per coding) the stances come from.
    pub n: usize,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    /// Population standard deviation (divides by n): it describes these stances, it does not
    /// estimate a wider population, and it is 0 for a single stance rather than undefined.
    pub std_dev: f64,
}

impl StanceSummary {
    /// `None` for no stances.
    pub fn of(stances: &[f64]) -> Option<StanceSummary> {
        let min = stances.iter().copied().reduce(f64::min)?;
        let max = stances.iter().copied().reduce(f64::max)?;
        let n = stances.len();
        let mean = stances.iter().sum::<f64>() / n as f64;
        let variance = stances.iter().map(|&s| (s - mean).powi(2)).sum::<f64>() / n as f64;
        Some(StanceSummary {
            n,
            mean,
            min,
            max,
            std_dev: variance.sqrt(),
        })
    }
}
