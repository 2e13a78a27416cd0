//! Agreement statistics over a reliability data matrix: percent agreement, Cohen's κ and
//! Krippendorff's α (nominal and interval), with missing values.
//!
//! The matrix has one row per unit and one column per coder. Identical units may be folded into
//! one row with a weight (the character level has one unit per code point, but only as many
//! distinct rows as there are boundaries between codings); every figure below equals the figure
//! of the matrix with each row repeated `weight` times.
//!
//! Definitions (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"; Cohen 1960):
//! - α = 1 − D_o / D_e over the *pairable* values, those of units with at least two values.
//!   With n pairable values, m_u values in unit u and a difference function δ:
//!   D_o = (1/n) Σ_u 1/(m_u − 1) Σ_{i≠j in u} δ(v_i, v_j) and
//!   D_e = 1/(n(n − 1)) Σ_{c,k} n_c n_k δ(c, k), where n_c counts the pairable values equal to c.
//!   Nominal: δ = 0 when equal, else 1. Interval: δ = (c − k)².
//! - Percent agreement: the share of units coded by both coders of a pair that got the same
//!   value, averaged over all pairs of coders.
//! - Cohen's κ (two coders): (p_o − p_e) / (1 − p_e), p_e from each coder's own distribution.
//!
//! A figure that is undefined (no pairable units; no variation at all, so D_e = 0 or p_e = 1) is
//! `None`, never a made-up 0 or 1.

/// One row of the reliability data matrix: each coder's value (or none), occurring `weight` times.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub weight: f64,
    pub values: Vec<Option<f64>>,
}

impl Unit {
    pub fn new(values: Vec<Option<f64>>) -> Unit {
        Unit {
            weight: 1.0,
            values,
        }
    }

    fn present(&self) -> impl Iterator<Item = f64> + '_ {
        self.values.iter().flatten().copied()
    }
}

/// How two values differ, for Krippendorff's α.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Categories: any two different values differ equally.
    Nominal,
    /// Numbers on a scale with equal steps: the squared difference.
    Interval,
}

impl Metric {
    fn delta(self, a: f64, b: f64) -> f64 {
        match self {
            Metric::Nominal => {
                if a == b {
                    0.0
                } else {
                    1.0
                }
            }
            Metric::Interval => (a - b) * (a - b),
        }
    }
}

/// Krippendorff's α; `None` when fewer than two pairable values exist or no value differs.
pub fn krippendorff_alpha(units: &[Unit], metric: Metric) -> Option<f64> {
    let mut n = 0.0;
    let mut observed = 0.0;
    // Pairable values by distinct value: (value, weighted count).
    let mut counts: Vec<(f64, f64)> = Vec::new();
    for unit in units {
        let values: Vec<f64> = unit.present().collect();
        let m = values.len();
        if m < 2 || unit.weight <= 0.0 {
            continue;
        }
        n += unit.weight * m as f64;
        let mut within = 0.0;
        for (i, &a) in values.iter().enumerate() {
            for &b in &values[i + 1..] {
                within += 2.0 * metric.delta(a, b);
            }
        }
        observed += unit.weight * within / (m as f64 - 1.0);
        for value in values {
            match counts.iter_mut().find(|(v, _)| *v == value) {
                Some((_, count)) => *count += unit.weight,
                None => counts.push((value, unit.weight)),
            }
        }
    }
    if n < 2.0 {
        return None;
    }
    let mut expected = 0.0;
    for (i, &(c, n_c)) in counts.iter().enumerate() {
        for &(k, n_k) in &counts[i + 1..] {
            expected += 2.0 * n_c * n_k * metric.delta(c, k);
        }
    }
    let d_o = observed / n;
    let d_e = expected / (n * (n - 1.0));
    (d_e > 0.0).then(|| 1.0 - d_o / d_e)
}

/// Percent agreement (0–100): per pair of coders, the share of the units both coded on which they
/// agree; the mean over all pairs that share a unit. `None` when no pair shares a unit.
pub fn percent_agreement(units: &[Unit]) -> Option<f64> {
    let coders = units.first().map_or(0, |u| u.values.len());
    let mut shares = Vec::new();
    for a in 0..coders {
        for b in a + 1..coders {
            let (mut both, mut same) = (0.0, 0.0);
            for unit in units {
                if let (Some(x), Some(y)) = (unit.values[a], unit.values[b]) {
                    both += unit.weight;
                    if x == y {
                        same += unit.weight;
                    }
                }
            }
            if both > 0.0 {
                shares.push(same / both);
            }
        }
    }
    (!shares.is_empty()).then(|| 100.0 * shares.iter().sum::<f64>() / shares.len() as f64)
}

/// Cohen's κ for exactly two coders over the units both coded; `None` for any other number of
/// coders, without shared units, or when chance agreement is already total (p_e = 1).
pub fn cohen_kappa(units: &[Unit]) -> Option<f64> {
    if units.first().is_none_or(|u| u.values.len() != 2) {
        return None;
    }
    let mut total = 0.0;
    let mut agreed = 0.0;
    // Per category: (value, count by the first coder, count by the second).
    let mut marginals: Vec<(f64, f64, f64)> = Vec::new();
    let mut tally = |value: f64, first: f64, second: f64| match marginals
        .iter_mut()
        .find(|(v, _, _)| *v == value)
    {
        Some(entry) => {
            entry.1 += first;
            entry.2 += second;
        }
        None => marginals.push((value, first, second)),
    };
    for unit in units {
        if let (Some(x), Some(y)) = (unit.values[0], unit.values[1]) {
            total += unit.weight;
            if x == y {
                agreed += unit.weight;
            }
            tally(x, unit.weight, 0.0);
            tally(y, 0.0, unit.weight);
        }
    }
    if total <= 0.0 {
        return None;
    }
    let p_o = agreed / total;
    let p_e: f64 = marginals
        .iter()
        .map(|(_, a, b)| (a / total) * (b / total))
        .sum();
    (p_e < 1.0).then(|| (p_o - p_e) / (1.0 - p_e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows_by_coder: &[&[Option<f64>]]) -> Vec<Unit> {
        let units = rows_by_coder[0].len();
        (0..units)
            .map(|u| Unit::new(rows_by_coder.iter().map(|coder| coder[u]).collect()))
            .collect()
    }

    fn close(actual: Option<f64>, expected: f64, tolerance: f64) {
        let actual = actual.expect("a figure");
        assert!(
            (actual - expected).abs() < tolerance,
            "{actual} is not {expected} (±{tolerance})"
        );
    }

    const X: Option<f64> = None;
    fn v(x: f64) -> Option<f64> {
        Some(x)
    }

    /// Krippendorff (2011), section C: four observers, twelve units, missing values.
    /// Published: α nominal = 0.743, α interval = 0.849.
    fn krippendorff_four_observers() -> Vec<Unit> {
        let a = [
            v(1.),
            v(2.),
            v(3.),
            v(3.),
            v(2.),
            v(1.),
            v(4.),
            v(1.),
            v(2.),
            X,
            X,
            X,
        ];
        let b = [
            v(1.),
            v(2.),
            v(3.),
            v(3.),
            v(2.),
            v(2.),
            v(4.),
            v(1.),
            v(2.),
            v(5.),
            X,
            v(3.),
        ];
        let c = [
            X,
            v(3.),
            v(3.),
            v(3.),
            v(2.),
            v(3.),
            v(4.),
            v(2.),
            v(2.),
            v(5.),
            v(1.),
            X,
        ];
        let d = [
            v(1.),
            v(2.),
            v(3.),
            v(3.),
            v(2.),
            v(4.),
            v(4.),
            v(1.),
            v(2.),
            v(5.),
            v(1.),
            X,
        ];
        matrix(&[&a, &b, &c, &d])
    }

    #[test]
    fn krippendorff_published_nominal_example_with_missing_values() {
        close(
            krippendorff_alpha(&krippendorff_four_observers(), Metric::Nominal),
            0.743,
            0.0005,
        );
    }

    #[test]
    fn krippendorff_published_interval_example_with_missing_values() {
        close(
            krippendorff_alpha(&krippendorff_four_observers(), Metric::Interval),
            0.849,
            0.0005,
        );
    }

    /// Krippendorff (2011), section A: two observers, binary data, ten units: α = 0.095.
    #[test]
    fn krippendorff_published_binary_example() {
        let a = [0., 1., 0., 0., 0., 0., 0., 0., 1., 0.].map(Some);
        let b = [1., 1., 1., 0., 0., 1., 0., 0., 0., 0.].map(Some);
        let units = matrix(&[&a, &b]);
        close(krippendorff_alpha(&units, Metric::Nominal), 0.095, 0.0005);
        // Exact: D_o = 4/10 · … gives 1 − 9·(4/20)/(2·6·14/19)… computed by hand below.
        // n = 20, o(0,1) = o(1,0) = 4, n_0 = 14, n_1 = 6: α = 1 − 19·4/(14·6) = 0.095238…
        close(
            krippendorff_alpha(&units, Metric::Nominal),
            1.0 - 19.0 * 4.0 / 84.0,
            1e-12,
        );
        close(percent_agreement(&units), 60.0, 1e-12);
    }

    /// Cohen's κ, the textbook table: 50 items, yes/yes 20, yes/no 5, no/yes 10, no/no 15:
    /// p_o = 0.7, p_e = 0.5, κ = 0.4.
    #[test]
    fn cohen_kappa_textbook_example() {
        let mut units = Vec::new();
        for (a, b, count) in [(1., 1., 20.), (1., 0., 5.), (0., 1., 10.), (0., 0., 15.)] {
            units.push(Unit {
                weight: count,
                values: vec![Some(a), Some(b)],
            });
        }
        close(cohen_kappa(&units), 0.4, 1e-12);
        close(percent_agreement(&units), 70.0, 1e-12);
    }

    #[test]
    fn weights_equal_repeated_rows() {
        let folded = vec![
            Unit {
                weight: 3.0,
                values: vec![Some(1.0), Some(1.0), None],
            },
            Unit {
                weight: 2.0,
                values: vec![Some(0.0), Some(1.0), Some(1.0)],
            },
            Unit {
                weight: 4.0,
                values: vec![Some(0.0), Some(0.0), Some(0.0)],
            },
        ];
        let repeated: Vec<Unit> = folded
            .iter()
            .flat_map(|u| std::iter::repeat_n(Unit::new(u.values.clone()), u.weight as usize))
            .collect();
        for metric in [Metric::Nominal, Metric::Interval] {
            close(
                krippendorff_alpha(&folded, metric),
                krippendorff_alpha(&repeated, metric).unwrap(),
                1e-12,
            );
        }
        close(
            percent_agreement(&folded),
            percent_agreement(&repeated).unwrap(),
            1e-12,
        );
    }

    #[test]
    fn undefined_figures_are_none() {
        // Everyone agrees that nothing is coded: no variation, α and κ are undefined.
        let silent = matrix(&[&[Some(0.0); 4], &[Some(0.0); 4]]);
        assert_eq!(krippendorff_alpha(&silent, Metric::Nominal), None);
        assert_eq!(cohen_kappa(&silent), None);
        close(percent_agreement(&silent), 100.0, 1e-12);
        // No unit has two values: nothing is pairable.
        let apart = matrix(&[&[Some(1.0), None], &[None, Some(0.0)]]);
        assert_eq!(krippendorff_alpha(&apart, Metric::Nominal), None);
        assert_eq!(percent_agreement(&apart), None);
        assert_eq!(cohen_kappa(&apart), None);
        // κ is for two coders only.
        let three = matrix(&[&[Some(1.0)], &[Some(0.0)], &[Some(1.0)]]);
        assert_eq!(cohen_kappa(&three), None);
        assert_eq!(cohen_kappa(&[]), None);
    }

    #[test]
    fn perfect_agreement_with_variation_is_one() {
        let same = [Some(1.0), Some(0.0), Some(1.0), Some(0.0)];
        let units = matrix(&[&same, &same]);
        close(krippendorff_alpha(&units, Metric::Nominal), 1.0, 1e-12);
        close(cohen_kappa(&units), 1.0, 1e-12);
    }
}
