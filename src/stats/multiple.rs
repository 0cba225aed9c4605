//! Multiple comparisons: Benjamini–Hochberg false discovery rate adjustment.

/// Benjamini–Hochberg adjusted p-values (step-up, monotone, capped at 1), in input order.
///
/// NaN p-values stay NaN and do not count among the m tests, as with R's `p.adjust`: a cell
/// whose test was undefined was never a test, so it should not make the others look stricter.
pub fn benjamini_hochberg(p_values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p_values.len())
        .filter(|&i| !p_values[i].is_nan())
        .collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let m = order.len() as f64;
    let mut adjusted = vec![f64::NAN; p_values.len()];
    // Walking down from the largest p keeps a running minimum, which is what makes the adjusted
    // values monotone in the raw ones (the "step-up").
    let mut running_min = 1.0_f64;
    for (position, &i) in order.iter().enumerate().rev() {
        let rank = (position + 1) as f64;
        running_min = running_min.min(p_values[i] * m / rank);
        adjusted[i] = running_min;
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(actual: &[f64], expected: &[f64]) {
        assert_eq!(actual.len(), expected.len());
        for (a, e) in actual.iter().zip(expected) {
            if e.is_nan() {
                assert!(a.is_nan(), "{actual:?} vs {expected:?}");
            } else {
                assert!(
                    (a - e).abs() <= 1e-12 * e.abs(),
                    "{actual:?} vs {expected:?}"
                );
            }
        }
    }

    #[test]
    fn matches_scipy_with_ties_and_step_up() {
        // scipy.stats.false_discovery_control([0.01, 0.04, 0.03, 0.005, 0.5, 0.04, 0.2],
        // method='bh') gives [0.035, 0.056, 0.056, 0.035, 0.5, 0.056, 0.23333333333333336]
        // (R's p.adjust(..., "BH") agrees). 0.03 would be 0.07 on its own: the step-up lowers it.
        let adjusted = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005, 0.5, 0.04, 0.2]);
        assert_close(
            &adjusted,
            &[
                0.035,
                0.056,
                0.056,
                0.035,
                0.5,
                0.056,
                0.233_333_333_333_333_36,
            ],
        );
    }

    #[test]
    fn nan_stays_nan_and_is_not_counted() {
        // Same as the NaN-free subset: scipy.stats.false_discovery_control([0.02, 0.9, 0.001,
        // 0.03], method='bh') gives [0.04, 0.9, 0.004, 0.04]; R's p.adjust with NA agrees.
        let adjusted = benjamini_hochberg(&[0.02, f64::NAN, 0.9, 0.001, f64::NAN, 0.03]);
        assert_close(&adjusted, &[0.04, f64::NAN, 0.9, 0.004, f64::NAN, 0.04]);
    }

    #[test]
    fn capped_at_one_and_empty() {
        // m·p/rank = 2·0.8/1 = 1.6 for the smaller one, capped by the step-up at 0.9, then 1.
        assert_close(&benjamini_hochberg(&[0.8, 0.9]), &[0.9, 0.9]);
        assert_close(&benjamini_hochberg(&[0.6, 0.7, 0.99]), &[0.99, 0.99, 0.99]);
        assert!(benjamini_hochberg(&[]).is_empty());
        assert_close(&benjamini_hochberg(&[f64::NAN]), &[f64::NAN]);
    }
}
