//! Means with Student t confidence intervals, unweighted, weighted, or streamed.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// A mean, its spread and a confidence interval around it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanInterval {
    /// Sample size; with weights, Kish's effective sample size (Σw)²/Σw².
    pub n: f64,
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator; with weights, the reliability-weights
    /// correction); NaN when there is a single value.
    pub sd: f64,
    /// Interval bounds; NaN when n < 2 (with weights, fewer than two observations' worth).
    pub lower: f64,
    pub upper: f64,
}

/// Mean of `values` with its Student t interval at `confidence` (e.g. 0.95); `None` when empty.
///
/// # Panics
/// When `confidence` is not strictly between 0 and 1.
pub fn mean_interval(values: &[f64], confidence: f64) -> Option<MeanInterval> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    // Two passes: summing squares about the mean avoids the cancellation of Σx² − n·mean².
    let squares: f64 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
    let sd = (squares / (n - 1.0)).sqrt();
    Some(t_interval(n, mean, sd, confidence))
}

/// Weighted mean of `values` with a Student t interval on Kish's effective sample size, which
/// is what the spread of the weights leaves of the sample; `None` when the weights sum to 0 or
/// a weight is negative or not finite.
///
/// The standard deviation uses the reliability-weights correction Σw(x − mean)²/(Σw − Σw²/Σw),
/// which is unbiased whatever the scale of the weights and equals the usual n − 1 formula when
/// all weights are equal.
///
/// # Panics
/// When the slices differ in length or `confidence` is not strictly between 0 and 1.
pub fn weighted_mean_interval(
    values: &[f64],
    weights: &[f64],
    confidence: f64,
) -> Option<MeanInterval> {
    assert_eq!(
        values.len(),
        weights.len(),
        "weighted_mean_interval needs one weight per value"
    );
    if weights.iter().any(|&w| !(w.is_finite() && w >= 0.0)) {
        return None;
    }
    let weight_sum: f64 = weights.iter().sum();
    if weight_sum <= 0.0 {
        return None;
    }
    let weight_square_sum: f64 = weights.iter().map(|w| w * w).sum();
    let mean = values.iter().zip(weights).map(|(x, w)| w * x).sum::<f64>() / weight_sum;
    let squares: f64 = values
        .iter()
        .zip(weights)
        .map(|(x, w)| w * (x - mean) * (x - mean))
        .sum();
    Some(weighted_t_interval(
        weight_sum,
        weight_square_sum,
        mean,
        squares,
        confidence,
    ))
}

/// Streams (value, weight) pairs into a weighted mean interval in constant memory, and merges
/// partial results from parallel chunks.
///
/// Keeps Σw, Σw², the running mean and Σw(x − mean)² (West's weighted update, Chan's merge)
/// rather than Σwx and Σwx²: with millions of values far from 0, such as timestamps or incomes,
/// Σwx² − (Σwx)²/Σw cancels catastrophically, while these updates stay accurate.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MeanAccumulator {
    weight_sum: f64,
    weight_square_sum: f64,
    mean: f64,
    squares: f64,
}

impl MeanAccumulator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one value; a weight of 0 leaves the accumulator unchanged.
    ///
    /// # Panics
    /// In debug builds, when the weight is negative or not finite.
    pub fn add(&mut self, value: f64, weight: f64) {
        debug_assert!(
            weight.is_finite() && weight >= 0.0,
            "weights must be finite and non-negative, got {weight}"
        );
        if weight == 0.0 {
            return;
        }
        self.weight_sum += weight;
        self.weight_square_sum += weight * weight;
        let deviation = value - self.mean;
        self.mean += deviation * weight / self.weight_sum;
        self.squares += weight * deviation * (value - self.mean);
    }

    /// Combines with an accumulator of other values, as if they had all been added here.
    pub fn merge(&mut self, other: &MeanAccumulator) {
        if other.weight_sum == 0.0 {
            return;
        }
        if self.weight_sum == 0.0 {
            *self = *other;
            return;
        }
        let weight_sum = self.weight_sum + other.weight_sum;
        let deviation = other.mean - self.mean;
        self.mean += deviation * other.weight_sum / weight_sum;
        self.squares +=
            other.squares + deviation * deviation * self.weight_sum * other.weight_sum / weight_sum;
        self.weight_sum = weight_sum;
        self.weight_square_sum += other.weight_square_sum;
    }

    /// The same interval as [`weighted_mean_interval`] over everything added; `None` when
    /// nothing with a positive weight was.
    ///
    /// # Panics
    /// When `confidence` is not strictly between 0 and 1.
    pub fn finish(&self, confidence: f64) -> Option<MeanInterval> {
        (self.weight_sum > 0.0).then(|| {
            weighted_t_interval(
                self.weight_sum,
                self.weight_square_sum,
                self.mean,
                self.squares,
                confidence,
            )
        })
    }
}

fn weighted_t_interval(
    weight_sum: f64,
    weight_square_sum: f64,
    mean: f64,
    squares: f64,
    confidence: f64,
) -> MeanInterval {
    let effective_n = weight_sum * weight_sum / weight_square_sum;
    let sd = (squares / (weight_sum - weight_square_sum / weight_sum)).sqrt();
    t_interval(effective_n, mean, sd, confidence)
}

fn t_interval(n: f64, mean: f64, sd: f64, confidence: f64) -> MeanInterval {
    assert!(
        confidence > 0.0 && confidence < 1.0,
        "confidence must be strictly between 0 and 1, got {confidence}"
    );
    // Fewer than two observations' worth (a weighted sample dominated by one answer) bounds
    // nothing: the t quantile on under 1 df runs to astronomical values, which statrs cannot
    // compute reliably below about 0.2 df either.
    let (lower, upper) = if n >= 2.0 && sd.is_finite() {
        let half_width = t_quantile((1.0 + confidence) / 2.0, n - 1.0) * sd / n.sqrt();
        (mean - half_width, mean + half_width)
    } else {
        (f64::NAN, f64::NAN)
    };
    MeanInterval {
        n,
        mean,
        sd,
        lower,
        upper,
    }
}

/// From here on the Cornish–Fisher expansion is within 1e-14 of the exact quantile for any
/// usual confidence, while statrs is still within 1e-12 below it.
const CORNISH_FISHER_DF: f64 = 1000.0;

/// Quantile of Student's t with `df` degrees of freedom at probability `p` (above 0.5).
///
/// statrs's own inverse loses accuracy past about 1e4 df (3e-6 relative at 1e5) and does not
/// return at 1e9, which is where crosstabs over millions of comments live; there the expansion
/// of t around the normal quantile (Abramowitz & Stegun 26.7.5) is exact to rounding.
fn t_quantile(p: f64, df: f64) -> f64 {
    if df < CORNISH_FISHER_DF {
        return StudentsT::new(0.0, 1.0, df)
            .expect("df is positive")
            .inverse_cdf(p);
    }
    let x = Normal::standard().inverse_cdf(p);
    let x2 = x * x;
    let g1 = x * (x2 + 1.0) / 4.0;
    let g2 = x * ((5.0 * x2 + 16.0) * x2 + 3.0) / 96.0;
    let g3 = x * (((3.0 * x2 + 19.0) * x2 + 17.0) * x2 - 15.0) / 384.0;
    let g4 = x * ((((79.0 * x2 + 776.0) * x2 + 1482.0) * x2 - 1920.0) * x2 - 945.0) / 92160.0;
    x + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
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

    fn assert_same_interval(a: &MeanInterval, b: &MeanInterval, relative: f64) {
        assert_close(a.n, b.n, relative);
        assert_close(a.mean, b.mean, relative);
        assert_close(a.sd, b.sd, relative);
        assert_close(a.lower, b.lower, relative);
        assert_close(a.upper, b.upper, relative);
    }

    const VALUES: [f64; 7] = [4.0, 7.0, 5.0, 6.0, 9.0, 3.0, 5.5];

    #[test]
    fn matches_scipy_t_interval() {
        // numpy.mean and numpy.std(x, ddof=1) give 5.642857142857143 and 1.9730324738475904;
        // scipy.stats.t.interval(0.95, 6, loc=mean, scale=scipy.stats.sem(x)) gives
        // (3.818106448125766, 7.46760783758852), and at 0.90 (4.193757304953531,
        // 7.091956980760754).
        let result = mean_interval(&VALUES, 0.95).unwrap();
        assert_eq!(result.n, 7.0);
        assert_close(result.mean, 5.642_857_142_857_143, 1e-12);
        assert_close(result.sd, 1.973_032_473_847_590_4, 1e-12);
        assert_close(result.lower, 3.818_106_448_125_766, 1e-9);
        assert_close(result.upper, 7.467_607_837_588_52, 1e-9);
        let narrower = mean_interval(&VALUES, 0.90).unwrap();
        assert_close(narrower.lower, 4.193_757_304_953_531, 1e-9);
        assert_close(narrower.upper, 7.091_956_980_760_754, 1e-9);
    }

    #[test]
    fn two_values_use_one_degree_of_freedom() {
        // scipy.stats.t.interval(0.95, 1, loc=11, scale=scipy.stats.sem([10, 12])) gives
        // (-1.7062047361746941, 23.706204736174694): t(0.975, 1) = 12.706.
        let result = mean_interval(&[10.0, 12.0], 0.95).unwrap();
        assert_close(result.lower, -1.706_204_736_174_694_1, 1e-9);
        assert_close(result.upper, 23.706_204_736_174_694, 1e-9);
    }

    #[test]
    fn one_value_has_a_mean_but_no_interval() {
        assert!(mean_interval(&[], 0.95).is_none());
        let result = mean_interval(&[3.5], 0.95).unwrap();
        assert_eq!((result.n, result.mean), (1.0, 3.5));
        assert!(result.sd.is_nan() && result.lower.is_nan() && result.upper.is_nan());
    }

    #[test]
    fn weighted_by_hand() {
        // x = [2, 4, 6, 8], w = [1, 2, 3, 4]: Σw = 10, Σw² = 30, mean = 60/10 = 6,
        // Σw(x − 6)² = 16 + 8 + 0 + 16 = 40, variance = 40/(10 − 30/10) = 40/7,
        // n_eff = 10²/30 = 10/3, standard error = sqrt(40/7 / (10/3)) = sqrt(12/7);
        // t(0.975, 7/3 df) = 3.764123072082586 from scipy.stats.t.ppf(0.975, 7/3), so the interval
        // is 6 ∓ 3.764123072082586·sqrt(12/7) = (1.0716060277290955, 10.928393972270904).
        let result =
            weighted_mean_interval(&[2.0, 4.0, 6.0, 8.0], &[1.0, 2.0, 3.0, 4.0], 0.95).unwrap();
        assert_close(result.n, 10.0 / 3.0, 1e-12);
        assert_close(result.mean, 6.0, 1e-12);
        assert_close(result.sd, (40.0_f64 / 7.0).sqrt(), 1e-12);
        assert_close(result.lower, 1.071_606_027_729_095_5, 1e-9);
        assert_close(result.upper, 10.928_393_972_270_904, 1e-9);
    }

    #[test]
    fn equal_weights_are_no_weights() {
        let plain = mean_interval(&VALUES, 0.95).unwrap();
        for weight in [1.0, 0.25, 40.0] {
            let weighted = weighted_mean_interval(&VALUES, &[weight; 7], 0.95).unwrap();
            assert_same_interval(&weighted, &plain, 1e-12);
        }
    }

    #[test]
    fn weighted_edge_cases() {
        assert!(weighted_mean_interval(&[1.0], &[0.0], 0.95).is_none());
        assert!(weighted_mean_interval(&[1.0, 2.0], &[1.0, -1.0], 0.95).is_none());
        assert!(weighted_mean_interval(&[1.0, 2.0], &[1.0, f64::NAN], 0.95).is_none());
        // A zero weight drops its value entirely.
        let dropped = weighted_mean_interval(&[1.0, 100.0, 3.0], &[2.0, 0.0, 2.0], 0.95).unwrap();
        let kept = mean_interval(&[1.0, 3.0], 0.95).unwrap();
        assert_same_interval(&dropped, &kept, 1e-12);
        // All weight on one value: one observation's worth.
        let single = weighted_mean_interval(&[1.0, 5.0], &[0.0, 3.0], 0.95).unwrap();
        assert_eq!((single.n, single.mean), (1.0, 5.0));
        assert!(single.sd.is_nan() && single.lower.is_nan() && single.upper.is_nan());
    }

    #[test]
    fn accumulator_agrees_with_slices() {
        let values = [2.0, 4.0, 6.0, 8.0, 3.5, 7.25, 1.0];
        let weights = [1.0, 2.0, 3.0, 4.0, 0.5, 1.5, 0.0];
        let expected = weighted_mean_interval(&values, &weights, 0.95).unwrap();
        let mut streamed = MeanAccumulator::new();
        for (&x, &w) in values.iter().zip(&weights) {
            streamed.add(x, w);
        }
        assert_same_interval(&streamed.finish(0.95).unwrap(), &expected, 1e-12);

        // Split at every point, accumulated separately and merged, in both orders.
        for split in 0..=values.len() {
            let mut left = MeanAccumulator::new();
            let mut right = MeanAccumulator::new();
            for (i, (&x, &w)) in values.iter().zip(&weights).enumerate() {
                if i < split {
                    left.add(x, w);
                } else {
                    right.add(x, w);
                }
            }
            let mut left_then_right = left;
            left_then_right.merge(&right);
            assert_same_interval(&left_then_right.finish(0.95).unwrap(), &expected, 1e-12);
            right.merge(&left);
            assert_same_interval(&right.finish(0.95).unwrap(), &expected, 1e-12);
        }

        let mut unweighted = MeanAccumulator::new();
        VALUES.iter().for_each(|&x| unweighted.add(x, 1.0));
        let plain = mean_interval(&VALUES, 0.95).unwrap();
        assert_same_interval(&unweighted.finish(0.95).unwrap(), &plain, 1e-12);
        assert!(MeanAccumulator::new().finish(0.95).is_none());
    }

    #[test]
    fn t_quantiles_match_scipy_at_any_df() {
        // scipy.stats.t.ppf(p, df) for each p and df below; 999 and 1000 straddle the switch
        // from statrs to the Cornish–Fisher expansion.
        let dfs = [1.5, 7.0 / 3.0, 30.0, 999.0, 1000.0, 1e4, 1e6, 1e9];
        let expected: [(f64, [f64; 8]); 3] = [
            (
                0.95,
                [
                    3.705_180_820_096_75,
                    2.654_480_805_010_172_7,
                    1.697_260_886_593_957,
                    1.646_380_345_427_535,
                    1.646_378_817_285_464_3,
                    1.645_006_018_069_243,
                    1.644_855_150_722_040_4,
                    1.644_853_628_475_241_5,
                ],
            ),
            (
                0.975,
                [
                    6.016_663_104_427_929,
                    3.764_123_072_082_586,
                    2.042_272_456_301_237_8,
                    1.962_341_461_133_449_3,
                    1.962_339_080_826_408_3,
                    1.960_201_239_890_626,
                    1.959_966_356_814_107,
                    1.959_963_986_912_325,
                ],
            ),
            (
                0.995,
                [
                    17.820_310_514_462_804,
                    7.845_210_508_861_744_5,
                    2.749_995_653_567_225_4,
                    2.580_759_637_267_636_5,
                    2.580_754_698_065_951,
                    2.576_321_046_668_528_2,
                    2.575_834_220_105_334_4,
                    2.575_829_308_465_448_4,
                ],
            ),
        ];
        for (p, quantiles) in expected {
            for (&df, &quantile) in dfs.iter().zip(&quantiles) {
                assert_close(t_quantile(p, df), quantile, 1e-11);
            }
        }
    }

    #[test]
    fn under_two_effective_observations_has_no_interval() {
        // Weights [1, 0.2]: n_eff = 1.2²/1.04 ≈ 1.38, a spread but not two observations' worth.
        let result = weighted_mean_interval(&[1.0, 2.0], &[1.0, 0.2], 0.95).unwrap();
        assert_close(result.n, 1.44 / 1.04, 1e-12);
        assert!(result.sd.is_finite());
        assert!(result.lower.is_nan() && result.upper.is_nan());
    }

    #[test]
    fn accumulator_stays_accurate_far_from_zero() {
        // A million values 1e9 + {0, 1, 2, 3}: variance 1.25·n/(n − 1) around 1e9 + 1.5.
        // Σx² − (Σx)²/n would lose every digit here (Σx² ≈ 1e24, ulp ≈ 1e8).
        let values: Vec<f64> = (0..1_000_000).map(|i| 1e9 + (i % 4) as f64).collect();
        let mut streamed = MeanAccumulator::new();
        values.iter().for_each(|&x| streamed.add(x, 1.0));
        let result = streamed.finish(0.95).unwrap();
        let n: f64 = 1e6;
        assert_close(result.mean, 1e9 + 1.5, 1e-15);
        assert_close(result.sd, (1.25 * n / (n - 1.0)).sqrt(), 1e-9);
        assert_same_interval(&result, &mean_interval(&values, 0.95).unwrap(), 1e-9);

        // Without the offset the half-width can be read back exactly:
        // scipy.stats.t.ppf(0.975, 999999) = 1.9599663568164791.
        let near_zero: Vec<f64> = values.iter().map(|x| x - 1e9).collect();
        let result = mean_interval(&near_zero, 0.95).unwrap();
        let half_width = 1.959_966_356_816_479_1 * result.sd / n.sqrt();
        assert_close(result.upper - result.mean, half_width, 1e-12);
    }
}
