//! Independence in contingency tables: Pearson's chi-square test with its cell diagnostics, and
//! Fisher's exact test for 2 x 2 tables.

use statrs::distribution::{ChiSquared, ContinuousCDF};
use statrs::function::factorial::ln_factorial;

/// Pearson's chi-square test of independence on an r x c table, with what a reader needs to
/// judge it: effect size, which cells drive it, and whether the approximation can be trusted.
#[derive(Debug, Clone, PartialEq)]
pub struct ChiSquare {
    pub statistic: f64,
    /// (non-empty rows − 1) · (non-empty columns − 1).
    pub df: usize,
    pub p_value: f64,
    /// Cramér's V over the non-empty rows and columns, 0 (independent) to 1.
    pub cramers_v: f64,
    /// Expected counts under independence, the table's shape; 0 in an empty row or column.
    pub expected: Vec<Vec<f64>>,
    /// Haberman's adjusted standardised residuals, roughly standard normal under independence;
    /// NaN in an empty row or column.
    pub adjusted_residuals: Vec<Vec<f64>>,
    /// Smallest expected count among the cells of non-empty rows and columns.
    pub min_expected: f64,
    /// Cells of non-empty rows and columns whose expected count is below 5.
    pub small_expected_cells: usize,
    /// Cochran's rule is broken: some expected count is below 1, or more than 20% are below 5.
    pub approximation_unsafe: bool,
}

/// Pearson's chi-square test of independence (no continuity correction) on a table of counts,
/// `observed[row][column]`, which may be weighted.
///
/// Rows and columns whose total is 0 say nothing about independence, so they are left out of
/// the degrees of freedom, Cramér's V and the small-cell counts; the matrices keep the table's
/// shape. With weights the p-value treats the weighted total as the sample size, which is only
/// right for frequency weights.
///
/// `None` when fewer than 2 rows or 2 columns are non-empty, or a count is negative or not
/// finite.
///
/// # Panics
/// When the rows are not all the same length.
pub fn chi_square(observed: &[Vec<f64>]) -> Option<ChiSquare> {
    let columns = observed.first().map_or(0, Vec::len);
    assert!(
        observed.iter().all(|row| row.len() == columns),
        "chi_square needs a rectangular table"
    );
    if observed
        .iter()
        .flatten()
        .any(|&o| !(o.is_finite() && o >= 0.0))
    {
        return None;
    }
    let row_totals: Vec<f64> = observed.iter().map(|row| row.iter().sum()).collect();
    let column_totals: Vec<f64> = (0..columns)
        .map(|j| observed.iter().map(|row| row[j]).sum())
        .collect();
    let total: f64 = row_totals.iter().sum();
    let live_rows = row_totals.iter().filter(|&&t| t > 0.0).count();
    let live_columns = column_totals.iter().filter(|&&t| t > 0.0).count();
    if live_rows < 2 || live_columns < 2 {
        return None;
    }

    let mut statistic = 0.0;
    let mut min_expected = f64::INFINITY;
    let mut small_expected_cells = 0;
    let mut expected = Vec::with_capacity(observed.len());
    let mut adjusted_residuals = Vec::with_capacity(observed.len());
    for (row, &row_total) in observed.iter().zip(&row_totals) {
        let mut expected_row = Vec::with_capacity(columns);
        let mut residual_row = Vec::with_capacity(columns);
        for (&o, &column_total) in row.iter().zip(&column_totals) {
            let e = row_total * column_total / total;
            expected_row.push(e);
            if row_total == 0.0 || column_total == 0.0 {
                residual_row.push(f64::NAN);
                continue;
            }
            statistic += (o - e) * (o - e) / e;
            min_expected = min_expected.min(e);
            if e < 5.0 {
                small_expected_cells += 1;
            }
            let variance = e * (1.0 - row_total / total) * (1.0 - column_total / total);
            residual_row.push((o - e) / variance.sqrt());
        }
        expected.push(expected_row);
        adjusted_residuals.push(residual_row);
    }

    let df = (live_rows - 1) * (live_columns - 1);
    let p_value = ChiSquared::new(df as f64)
        .expect("df is at least 1")
        .sf(statistic);
    let cramers_v = (statistic / (total * (live_rows.min(live_columns) - 1) as f64)).sqrt();
    let live_cells = live_rows * live_columns;
    let approximation_unsafe = min_expected < 1.0 || small_expected_cells * 5 > live_cells;
    Some(ChiSquare {
        statistic,
        df,
        p_value,
        cramers_v,
        expected,
        adjusted_residuals,
        min_expected,
        small_expected_cells,
        approximation_unsafe,
    })
}

/// Relative tolerance under which another table counts as exactly as likely as the observed
/// one: R's `fisher.test` uses the same, so that tables tied in exact arithmetic are not split
/// by rounding.
const EQUALLY_LIKELY: f64 = 1e-7;

/// Tables this much less likely than both the mode and the observed table (e^-60 ≈ 1e-26) add
/// nothing visible to the p-value, even summed over billions of them, so the walk into each tail
/// stops there.
const NEGLIGIBLE_LN_RATIO: f64 = -60.0;

/// Below e^-745 an f64 is 0, so tables less likely than that relative to the mode cannot move
/// the sums however far the walk goes.
const LN_UNDERFLOW: f64 = -745.0;

/// Two-sided p-value of Fisher's exact test on the 2 x 2 table `[[a, b], [c, d]]`: the
/// probability, with all margins fixed, of a table at most as likely as the observed one.
///
/// Works with log probabilities relative to the most likely table, so counts in the millions
/// neither overflow nor underflow, and walks out from there only as far as the tails still
/// matter, so its cost grows with the spread of the distribution rather than with the counts.
pub fn fisher_exact_2x2(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let first_row = a + b;
    let first_column = a + c;
    let second_column = b + d;
    let total = first_row + c + d;
    // With the margins fixed, the table is determined by its top-left cell x.
    let lowest = first_row.saturating_sub(second_column);
    let highest = first_row.min(first_column);
    // ln P(x) up to a constant that cancels in every ratio used below.
    let ln_weight = |x: u64| {
        -(ln_factorial(x)
            + ln_factorial(first_row - x)
            + ln_factorial(first_column - x)
            + ln_factorial(second_column + x - first_row))
    };
    // P(x) is unimodal, so from the mode each tail only falls.
    let mode = ((first_row as u128 + 1) * (first_column as u128 + 1) / (total as u128 + 2)) as u64;
    let mode = mode.clamp(lowest, highest);
    let ln_mode = ln_weight(mode);
    let ln_observed = ln_weight(a) - ln_mode;
    let as_likely = ln_observed + EQUALLY_LIKELY.ln_1p();
    // Past the observed table on its own side every term counts, so the walk must reach it
    // before stopping; the cutoff being below it guarantees that.
    let cutoff = ln_observed.max(LN_UNDERFLOW) + NEGLIGIBLE_LN_RATIO;

    // Probabilities relative to the mode: the sum over all tables normalises them.
    let mut as_extreme = 0.0;
    let mut everything = 0.0;
    let mut add = |x: u64| {
        let ln_ratio = ln_weight(x) - ln_mode;
        let ratio = ln_ratio.exp();
        everything += ratio;
        if ln_ratio <= as_likely {
            as_extreme += ratio;
        }
        ln_ratio
    };
    add(mode);
    for x in (lowest..mode).rev() {
        if add(x) < cutoff {
            break;
        }
    }
    for x in mode + 1..=highest {
        if add(x) < cutoff {
            break;
        }
    }
    (as_extreme / everything).min(1.0)
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

    fn assert_matrix_close(actual: &[Vec<f64>], expected: &[&[f64]], relative: f64) {
        assert_eq!(actual.len(), expected.len());
        for (a, e) in actual.iter().zip(expected) {
            assert_eq!(a.len(), e.len());
            for (&a, &e) in a.iter().zip(e.iter()) {
                if e.is_nan() {
                    assert!(a.is_nan(), "{actual:?}");
                } else {
                    assert_close(a, e, relative);
                }
            }
        }
    }

    fn table(rows: &[&[f64]]) -> Vec<Vec<f64>> {
        rows.iter().map(|row| row.to_vec()).collect()
    }

    // Expected values below come from scipy 1.17:
    //   r = scipy.stats.chi2_contingency(t, correction=False) for statistic, dof, p, expected;
    //   scipy.stats.contingency.association(t, method='cramer', correction=False) for V;
    //   adjusted residuals from numpy: (t − E) / sqrt(E·(1 − rows/N)·(1 − cols/N)).

    #[test]
    fn two_by_two() {
        let result = chi_square(&table(&[&[12.0, 5.0], &[7.0, 9.0]])).unwrap();
        assert_close(result.statistic, 2.430_575_519_681_557_5, 1e-9);
        assert_eq!(result.df, 1);
        assert_close(result.p_value, 0.118_989_205_532_145, 1e-6);
        assert_close(result.cramers_v, 0.271_392_342_608_839_77, 1e-9);
        assert_matrix_close(
            &result.expected,
            &[
                &[9.787_878_787_878_787, 7.212_121_212_121_212],
                &[9.212_121_212_121_213, 6.787_878_787_878_788],
            ],
            1e-12,
        );
        let r = 1.559_030_313_907_192_4;
        assert_matrix_close(&result.adjusted_residuals, &[&[r, -r], &[-r, r]], 1e-9);
        assert_close(result.min_expected, 6.787_878_787_878_788, 1e-12);
        assert_eq!(result.small_expected_cells, 0);
        assert!(!result.approximation_unsafe);
    }

    #[test]
    fn agresti_party_identification_by_gender() {
        // Agresti, An Introduction to Categorical Data Analysis (2nd ed.), Table 2.5: females
        // and males by Democrat / Independent / Republican. The book gives X² = 30.1 on 2 df
        // and adjusted residuals 4.50, 0.70, −5.32; scipy (as above) gives the digits.
        let result = chi_square(&table(&[&[762.0, 327.0, 468.0], &[484.0, 239.0, 477.0]])).unwrap();
        assert_close(result.statistic, 30.070_149_095_754_672, 1e-9);
        assert_eq!(result.df, 2);
        assert_close(result.p_value, 2.953_589_183_211_759_5e-7, 1e-6);
        assert_close(result.cramers_v, 0.104_435_802_356_467_77, 1e-9);
        assert_matrix_close(
            &result.adjusted_residuals,
            &[
                &[
                    4.502_053_521_086_705,
                    0.699_451_732_984_429_6,
                    -5.315_945_542_704_929,
                ],
                &[
                    -4.502_053_521_086_704_5,
                    -0.699_451_732_984_429_6,
                    5.315_945_542_704_929,
                ],
            ],
            1e-9,
        );
    }

    #[test]
    fn three_by_four() {
        let result = chi_square(&table(&[
            &[20.0, 15.0, 30.0, 5.0],
            &[10.0, 25.0, 12.0, 8.0],
            &[6.0, 9.0, 14.0, 21.0],
        ]))
        .unwrap();
        assert_close(result.statistic, 36.800_871_863_897_07, 1e-9);
        assert_eq!(result.df, 6);
        assert_close(result.p_value, 1.925_473_489_901_792_7e-6, 1e-6);
        assert_close(result.cramers_v, 0.324_261_234_473_939_34, 1e-9);
        assert_matrix_close(
            &result.expected,
            &[
                &[14.4, 19.6, 22.4, 13.6],
                &[11.314_285_714_285_715, 15.4, 17.6, 10.685_714_285_714_285],
                &[10.285_714_285_714_286, 14.0, 16.0, 9.714_285_714_285_714],
            ],
            1e-12,
        );
        assert_matrix_close(
            &result.adjusted_residuals,
            &[
                &[
                    2.137_680_423_089_551_4,
                    -1.580_840_022_781_118_8,
                    2.513_966_589_118_575_6,
                    -3.353_998_313_418_414_6,
                ],
                &[
                    -0.529_439_381_028_419_8,
                    3.481_553_119_113_956_4,
                    -1.954_814_888_364_583_3,
                    -1.105_340_033_394_09,
                ],
                &[
                    -1.774_114_431_029_884_2,
                    -1.863_389_981_249_824_7,
                    -0.717_430_053_979_439_3,
                    4.773_062_275_698_165,
                ],
            ],
            1e-9,
        );
        assert_close(result.min_expected, 9.714_285_714_285_714, 1e-12);
        assert!(!result.approximation_unsafe);
    }

    #[test]
    fn empty_row_is_left_out_but_keeps_its_place() {
        // Same as [[10, 20, 30], [15, 5, 10]], for which scipy (as above) gives X² = 11.25,
        // dof 2, p = 0.0036065631360157305, V = 0.3535533905932738.
        let result = chi_square(&table(&[
            &[10.0, 20.0, 30.0],
            &[0.0, 0.0, 0.0],
            &[15.0, 5.0, 10.0],
        ]))
        .unwrap();
        assert_close(result.statistic, 11.25, 1e-12);
        assert_eq!(result.df, 2);
        assert_close(result.p_value, 0.003_606_563_136_015_730_5, 1e-6);
        assert_close(result.cramers_v, 0.353_553_390_593_273_8, 1e-9);
        let nan = f64::NAN;
        assert_matrix_close(
            &result.expected,
            &[
                &[
                    16.666_666_666_666_668,
                    16.666_666_666_666_668,
                    26.666_666_666_666_668,
                ],
                &[0.0, 0.0, 0.0],
                &[
                    8.333_333_333_333_334,
                    8.333_333_333_333_334,
                    13.333_333_333_333_334,
                ],
            ],
            1e-12,
        );
        assert_matrix_close(
            &result.adjusted_residuals,
            &[
                &[-3.328_201_177_351_375_3, 1.664_100_588_675_686_8, 1.5],
                &[nan, nan, nan],
                &[3.328_201_177_351_374_4, -1.664_100_588_675_687_7, -1.5],
            ],
            1e-9,
        );
        // The empty row's zeros are not "small expected cells".
        assert_eq!(result.small_expected_cells, 0);
        assert_close(result.min_expected, 8.333_333_333_333_334, 1e-12);
    }

    #[test]
    fn empty_column_is_left_out_too() {
        let with_gap = chi_square(&table(&[&[12.0, 0.0, 5.0], &[7.0, 0.0, 9.0]])).unwrap();
        let without = chi_square(&table(&[&[12.0, 5.0], &[7.0, 9.0]])).unwrap();
        assert_eq!(with_gap.statistic, without.statistic);
        assert_eq!(with_gap.df, 1);
        assert_eq!(with_gap.p_value, without.p_value);
        assert_eq!(with_gap.cramers_v, without.cramers_v);
        assert!(with_gap.adjusted_residuals[0][1].is_nan());
        assert_eq!(with_gap.expected[1][1], 0.0);
    }

    #[test]
    fn small_expected_counts_break_cochran() {
        // scipy (as above) on [[3, 0, 1], [1, 4, 0]]: X² = 5.9625, dof 2,
        // p = 0.050729382487939886; expected counts 1.78, 1.78, 0.44 / 2.22, 2.22, 0.56.
        let result = chi_square(&table(&[&[3.0, 0.0, 1.0], &[1.0, 4.0, 0.0]])).unwrap();
        assert_close(result.statistic, 5.9625, 1e-12);
        assert_close(result.p_value, 0.050_729_382_487_939_886, 1e-6);
        assert_close(result.min_expected, 0.444_444_444_444_444_4, 1e-12);
        assert_eq!(result.small_expected_cells, 6);
        assert!(result.approximation_unsafe);
        // One expected count of 4 under 5 (21·41/261 = 3.3) is 25% > 20%: unsafe.
        let quarter = chi_square(&table(&[&[20.0, 1.0], &[200.0, 40.0]])).unwrap();
        assert_eq!(quarter.small_expected_cells, 1);
        assert!(quarter.min_expected >= 1.0);
        assert!(quarter.approximation_unsafe);
        // Two of 10 (40·20/640 = 1.25 twice) is exactly 20%: still acceptable.
        let fifth = chi_square(&table(&[
            &[188.0, 187.0, 188.0, 19.0, 18.0],
            &[12.0, 13.0, 12.0, 1.0, 2.0],
        ]))
        .unwrap();
        assert_eq!(fifth.small_expected_cells, 2);
        assert_close(fifth.min_expected, 1.25, 1e-12);
        assert!(!fifth.approximation_unsafe);
    }

    #[test]
    fn no_test_without_two_rows_and_two_columns() {
        assert!(chi_square(&[]).is_none());
        assert!(chi_square(&table(&[&[1.0, 2.0]])).is_none());
        assert!(chi_square(&table(&[&[1.0, 2.0], &[0.0, 0.0]])).is_none());
        assert!(chi_square(&table(&[&[1.0, 0.0], &[3.0, 0.0]])).is_none());
        assert!(chi_square(&table(&[&[1.0, -2.0], &[3.0, 4.0]])).is_none());
        assert!(chi_square(&table(&[&[1.0, f64::NAN], &[3.0, 4.0]])).is_none());
    }

    #[test]
    fn fisher_tea_tasting() {
        // Fisher's lady tasting tea: [[3, 1], [1, 3]] has P = 16/70 and the tables at most as
        // likely sum to 34/70 = 0.4857 (Fisher 1935; R's fisher.test gives p-value = 0.4857;
        // scipy.stats.fisher_exact([[3, 1], [1, 3]]).pvalue gives 0.48571428571428565).
        assert_close(fisher_exact_2x2(3, 1, 1, 3), 34.0 / 70.0, 1e-12);
    }

    #[test]
    fn fisher_matches_scipy() {
        // scipy.stats.fisher_exact(t, alternative='two-sided').pvalue for each t.
        assert_close(fisher_exact_2x2(2, 7, 8, 2), 0.023_014_137_565_221_16, 1e-6);
        assert_close(
            fisher_exact_2x2(10, 0, 0, 10),
            1.082_508_822_446_903e-5,
            1e-6,
        );
        assert_close(
            fisher_exact_2x2(1200, 800, 900, 1100),
            2.427_252_282_049_400_5e-21,
            1e-6,
        );
        assert_close(
            fisher_exact_2x2(100_000, 2, 99_000, 30),
            1.159_867_453_392_776_4e-7,
            1e-6,
        );
        assert_close(
            fisher_exact_2x2(5_000_000, 4_990_000, 4_995_000, 5_002_000),
            1.432_131_969_801_118_8e-4,
            1e-6,
        );
        assert_close(
            fisher_exact_2x2(50_000_000, 49_990_000, 49_995_000, 50_002_000),
            0.229_316_817_648_789_42,
            1e-6,
        );
        assert_eq!(fisher_exact_2x2(0, 5, 0, 7), 1.0);
    }

    #[test]
    fn fisher_far_beyond_f64_is_zero() {
        // Perfect separation of ten million: the exact p-value is 2/C(1e7, 5e6), about
        // 10^-3000000, which no f64 holds; the walk still stops some 40 standard deviations
        // (about 32,000 tables) each side of the mode.
        assert_eq!(fisher_exact_2x2(5_000_000, 0, 0, 5_000_000), 0.0);
    }

    #[test]
    fn fisher_is_symmetric_and_a_probability() {
        for (a, b, c, d) in [
            (3, 1, 1, 3),
            (2, 7, 8, 2),
            (0, 0, 0, 0),
            (5, 0, 0, 0),
            (1, 2, 3, 40),
        ] {
            let p = fisher_exact_2x2(a, b, c, d);
            assert!((0.0..=1.0).contains(&p), "{p}");
            // Transposing or swapping the rows describes the same table.
            assert_close(fisher_exact_2x2(a, c, b, d), p, 1e-12);
            assert_close(fisher_exact_2x2(c, d, a, b), p, 1e-12);
        }
    }
}
