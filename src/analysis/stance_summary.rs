//! Descriptive statistics of a set of stances.

use serde::Serialize;

/// n, mean, range and spread of one actor's stances on one axis. There is no summary of zero
/// stances: callers hold `Option<StanceSummary>`, so "no stance" never reads as a mean of 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StanceSummary {
    pub n: usize,
    pub mean: f64,
    pub min: i64,
    pub max: i64,
    /// Population standard deviation (divides by n): it describes these stances, it does not
    /// estimate a wider population, and it is 0 for a single stance rather than undefined.
    pub std_dev: f64,
}

impl StanceSummary {
    /// `None` for no stances.
    pub fn of(stances: &[i64]) -> Option<StanceSummary> {
        let min = *stances.iter().min()?;
        let max = *stances.iter().max()?;
        let n = stances.len();
        let mean = stances.iter().sum::<i64>() as f64 / n as f64;
        let variance = stances
            .iter()
            .map(|&s| (s as f64 - mean).powi(2))
            .sum::<f64>()
            / n as f64;
        Some(StanceSummary {
            n,
            mean,
            min,
            max,
            std_dev: variance.sqrt(),
        })
    }
}
