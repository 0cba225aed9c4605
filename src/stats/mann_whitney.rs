//! Mann–Whitney U test (Wilcoxon rank-sum) of whether one sample tends to be higher than another,
//! from raw values or from counts per ordinal level.

use statrs::distribution::{ContinuousCDF, Normal};

/// The U test's result, oriented on the first sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannWhitney {
    /// U of the first sample: the number of (first, second) pairs where the first is higher,
    /// ties counting one half.
    pub u: f64,
    /// Normal approximation of U with tie and continuity corrections; positive when the first
    /// sample tends higher.
    pub z: f64,
    /// Two-sided p-value of `z`.
    pub p_value: f64,
    /// 2U/(n1·n2) − 1, from −1 (every first value lower) to 1 (every first value higher).
    pub rank_biserial: f64,
    pub n1: usize,
    pub n2: usize,
}

/// Mann–Whitney U test of two samples; O(n log n).
///
/// `None` when either sample is empty, every value ties (no ordering to test), or a value is NaN.
pub fn mann_whitney(first: &[f64], second: &[f64]) -> Option<MannWhitney> {
    if first.iter().chain(second).any(|v| v.is_nan()) {
        return None;
    }
    let mut pooled: Vec<(f64, bool)> = first
        .iter()
        .map(|&v| (v, true))
        .chain(second.iter().map(|&v| (v, false)))
        .collect();
    pooled.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut ranks = RankSums::default();
    for group in pooled.chunk_by(|a, b| a.0 == b.0) {
        let from_first = group.iter().filter(|(_, is_first)| *is_first).count();
        ranks.add_tie_group(from_first as f64, (group.len() - from_first) as f64);
    }
    ranks.finish(first.len(), second.len())
}

/// The same test as [`mann_whitney`] from the number of answers at each ordinal level, lowest
/// level first, in O(levels): every answer at a level shares that level's average rank, so the
/// counts are all the test needs.
///
/// # Panics
/// When the two slices differ in length.
pub fn mann_whitney_counts(first: &[u64], second: &[u64]) -> Option<MannWhitney> {
    assert_eq!(
        first.len(),
        second.len(),
        "mann_whitney_counts needs the same levels for both samples"
    );
    let mut ranks = RankSums::default();
    for (&f, &s) in first.iter().zip(second) {
        if f + s > 0 {
            ranks.add_tie_group(f as f64, s as f64);
        }
    }
    let n1 = first.iter().sum::<u64>() as usize;
    let n2 = second.iter().sum::<u64>() as usize;
    ranks.finish(n1, n2)
}

/// What the test needs from the pooled ranking, gathered one group of tied values at a time in
/// increasing order.
#[derive(Default)]
struct RankSums {
    ranked_so_far: f64,
    first_rank_sum: f64,
    /// Σ (t³ − t) over tie groups of size t, which shrinks the variance of U.
    tie_term: f64,
}

impl RankSums {
    fn add_tie_group(&mut self, from_first: f64, from_second: f64) {
        let size = from_first + from_second;
        let average_rank = self.ranked_so_far + (size + 1.0) / 2.0;
        self.first_rank_sum += from_first * average_rank;
        self.tie_term += size * size * size - size;
        self.ranked_so_far += size;
    }

    fn finish(&self, n1: usize, n2: usize) -> Option<MannWhitney> {
        if n1 == 0 || n2 == 0 {
            return None;
        }
        let (n1f, n2f) = (n1 as f64, n2 as f64);
        let n = n1f + n2f;
        let u = self.first_rank_sum - n1f * (n1f + 1.0) / 2.0;
        let pairs = n1f * n2f;
        let variance = pairs / 12.0 * ((n + 1.0) - self.tie_term / (n * (n - 1.0)));
        if variance <= 0.0 {
            return None;
        }
        let deviation = u - pairs / 2.0;
        // The continuity correction moves U half a step towards its mean, never past it.
        let corrected = (deviation.abs() - 0.5).max(0.0).copysign(deviation);
        let z = corrected / variance.sqrt();
        let p_value = (2.0 * Normal::standard().sf(z.abs())).min(1.0);
        Some(MannWhitney {
            u,
            z,
            p_value,
            rank_biserial: 2.0 * u / pairs - 1.0,
            n1,
            n2,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(actual: f64, expected: f64, relative: f64) {
        assert!(
            (actual - expected).abs() <= relative * expected.abs(),
            "{actual} vs {expected}"
        );
    }

    // U and p: scipy.stats.mannwhitneyu(first, second, use_continuity=True,
    // alternative='two-sided', method='asymptotic') (scipy 1.17). scipy does not return z, so
    // z is numpy's sign(U − n1n2/2)·(|U − n1n2/2| − 0.5)/σ with the tie-corrected σ, and
    // 2·scipy.stats.norm.sf(|z|) reproduces scipy's p-value to the last digit.

    #[test]
    fn without_ties() {
        let result = mann_whitney(&[1.2, 3.4, 2.2, 5.0, 4.1], &[0.5, 1.1, 2.0, 0.9]).unwrap();
        assert_eq!(result.u, 19.0);
        assert_close(result.z, 2.082_066_281_365_701, 1e-9);
        assert_close(result.p_value, 0.037_336_415_920_662_88, 1e-6);
        // 2·19/(5·4) − 1: the first sample is higher in 19 of 20 pairs.
        assert_close(result.rank_biserial, 0.9, 1e-12);
        assert_eq!((result.n1, result.n2), (5, 4));
    }

    #[test]
    fn with_ties() {
        let first = [1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 5.0];
        let second = [2.0, 3.0, 3.0, 4.0, 4.0, 5.0, 5.0, 5.0, 6.0];
        let result = mann_whitney(&first, &second).unwrap();
        assert_eq!(result.u, 17.5);
        assert_close(result.z, -1.773_845_980_625_715, 1e-9);
        assert_close(result.p_value, 0.076_088_630_102_649_56, 1e-6);
        // 2·17.5/72 − 1 = −37/72: the second sample tends higher.
        assert_close(result.rank_biserial, -37.0 / 72.0, 1e-12);
    }

    #[test]
    fn mostly_tied() {
        let result = mann_whitney(&[3.0, 3.0, 3.0], &[3.0, 3.0, 4.0]).unwrap();
        assert_eq!(result.u, 3.0);
        assert_close(result.z, -2.0 / 3.0, 1e-9);
        assert_close(result.p_value, 0.504_985_075_093_845_8, 1e-6);
    }

    #[test]
    fn continuity_correction_never_crosses_the_mean() {
        // U = 2 = n1·n2/2 exactly: no evidence either way.
        let result = mann_whitney(&[1.0, 4.0], &[2.0, 3.0]).unwrap();
        assert_eq!(result.z, 0.0);
        assert_eq!(result.p_value, 1.0);
        assert_eq!(result.rank_biserial, 0.0);
    }

    #[test]
    fn nothing_to_test() {
        assert!(mann_whitney(&[], &[1.0]).is_none());
        assert!(mann_whitney(&[1.0], &[]).is_none());
        assert!(mann_whitney(&[2.0, 2.0], &[2.0]).is_none());
        assert!(mann_whitney(&[1.0, f64::NAN], &[2.0]).is_none());
        assert!(mann_whitney_counts(&[0, 0], &[1, 2]).is_none());
        assert!(mann_whitney_counts(&[0, 3, 0], &[0, 2, 0]).is_none());
    }

    #[test]
    fn counts_match_scipy() {
        // Levels 1..5 with counts [3, 5, 0, 7, 2] and [6, 4, 3, 2, 0]: scipy (as above) on
        // numpy.repeat(numpy.arange(1, 6), counts) gives U = 177, p = 0.05542139734363041.
        let result = mann_whitney_counts(&[3, 5, 0, 7, 2], &[6, 4, 3, 2, 0]).unwrap();
        assert_eq!(result.u, 177.0);
        assert_close(result.z, 1.915_557_863_041_540_6, 1e-9);
        assert_close(result.p_value, 0.055_421_397_343_630_41, 1e-6);
        assert_eq!((result.n1, result.n2), (17, 15));
    }

    fn expand(counts: &[u64]) -> Vec<f64> {
        counts
            .iter()
            .enumerate()
            .flat_map(|(level, &count)| std::iter::repeat_n(level as f64, count as usize))
            .collect()
    }

    #[test]
    fn counts_agree_with_values() {
        let cases: [(&[u64], &[u64]); 5] = [
            (&[3, 5, 0, 7, 2], &[6, 4, 3, 2, 0]),
            (&[0, 0, 10], &[1, 0, 9]),
            (&[1, 1], &[1, 1]),
            (&[120, 340, 560, 410, 95], &[200, 310, 480, 390, 60]),
            (&[0, 7, 0, 0, 1], &[4, 0, 0, 2, 0]),
        ];
        for (first, second) in cases {
            let from_counts = mann_whitney_counts(first, second).unwrap();
            let from_values = mann_whitney(&expand(first), &expand(second)).unwrap();
            assert_eq!(from_counts.u, from_values.u);
            assert_eq!(
                (from_counts.n1, from_counts.n2),
                (from_values.n1, from_values.n2)
            );
            assert_close(from_counts.z, from_values.z, 1e-12);
            assert_close(from_counts.p_value, from_values.p_value, 1e-12);
            assert_close(from_counts.rank_biserial, from_values.rank_biserial, 1e-12);
        }
    }

    #[test]
    fn counts_scale_to_millions() {
        // Doubling every count keeps the shift the same: U scales by 4, the effect size stays.
        let small = mann_whitney_counts(&[1_000_000, 2_000_000], &[2_000_000, 1_000_000]).unwrap();
        let large = mann_whitney_counts(&[2_000_000, 4_000_000], &[4_000_000, 2_000_000]).unwrap();
        assert_close(large.u, 4.0 * small.u, 1e-12);
        assert_close(large.rank_biserial, small.rank_biserial, 1e-12);
        assert!(small.z > 0.0 && large.z > small.z);
    }
}
