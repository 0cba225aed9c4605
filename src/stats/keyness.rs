//! Keyness: is a term over-represented in one group of comments (a theme's) against the rest?
//!
//! Counts are comments (document frequencies), not occurrences: a term said five times in one
//! long comment is one comment's evidence. The test is Dunning's (1993) log-likelihood G² on the
//! 2 x 2 table (group or not) x (has the term or not); the effect size is Hardie's (2014) log
//! ratio, the binary log of the ratio of the two relative frequencies. G² says how sure, the log
//! ratio how much: a log ratio of 1 means twice as frequent in the group, 3 eight times.
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// How a term is distributed between a group and the rest.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Keyness {
    /// Comments of the group with the term.
    pub group_hits: u64,
    /// Comments of the group.
    pub group_size: u64,
    /// Comments outside the group with the term.
    pub rest_hits: u64,
    /// Comments outside the group.
    pub rest_size: u64,
    /// Log-likelihood G², signed: negative when the term is under-represented in the group.
    pub g2: f64,
    /// Upper tail of chi-square with 1 df at |G²|.
    pub p_value: f64,
    /// log₂ of (group_hits / group_size) / (rest_hits / rest_size), a zero count taken as 0.5.
    pub log_ratio: f64,
}

impl Keyness {
    /// Keyness of a term found in `group_hits` of `group_size` comments of the group and
    /// `rest_hits` of `rest_size` other comments.
    ///
    /// # Panics
    /// When a hit count exceeds its group's size.
    pub fn new(group_hits: u64, group_size: u64, rest_hits: u64, rest_size: u64) -> Keyness {
        assert!(
            group_hits <= group_size && rest_hits <= rest_size,
            "more comments with the term than comments"
        );
        let g2 = g2_2x2(
            group_hits as f64,
            (group_size - group_hits) as f64,
            rest_hits as f64,
            (rest_size - rest_hits) as f64,
        );
        let share = |hits: u64, size: u64| hits as f64 / size.max(1) as f64;
        let over = share(group_hits, group_size) >= share(rest_hits, rest_size);
        let p_value = if g2 > 0.0 {
            ChiSquared::new(1.0).map_or(f64::NAN, |d| d.sf(g2))
        } else {
            1.0
        };
        Keyness {
            group_hits,
            group_size,
            rest_hits,
            rest_size,
            g2: if over { g2 } else { -g2 },
            p_value,
            log_ratio: log_ratio(group_hits, group_size, rest_hits, rest_size),
        }
    }
}

/// The log-likelihood ratio statistic G² = 2 Σ O ln(O / E) of the 2 x 2 table
/// `[[a, b], [c, d]]` against independence (no continuity correction); 0 when a row or column
/// is empty. Cells of 0 contribute 0 (the limit of O ln O).
pub fn g2_2x2(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let n = a + b + c + d;
    let rows = [a + b, c + d];
    let columns = [a + c, b + d];
    if rows.contains(&0.0) || columns.contains(&0.0) {
        return 0.0;
    }
    let cells = [(a, 0, 0), (b, 0, 1), (c, 1, 0), (d, 1, 1)];
    let sum: f64 = cells
        .iter()
        .filter(|(o, _, _)| *o > 0.0)
        .map(|&(o, r, k)| o * (o * n / (rows[r] * columns[k])).ln())
        .sum();
    (2.0 * sum).max(0.0)
}

/// Hardie's log ratio: log₂ of the relative frequency in the group over that in the rest,
/// with a count of 0 taken as 0.5 so that the ratio stays finite.
pub fn log_ratio(group_hits: u64, group_size: u64, rest_hits: u64, rest_size: u64) -> f64 {
    let smoothed = |hits: u64| if hits == 0 { 0.5 } else { hits as f64 };
    let group = smoothed(group_hits) / group_size.max(1) as f64;
    let rest = smoothed(rest_hits) / rest_size.max(1) as f64;
    (group / rest).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values from scipy 1.17.1:
    /// `scipy.stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")`,
    /// which returns (G², p, dof, expected).
    #[test]
    fn g2_matches_scipy() {
        let cases = [
            (
                [20.0, 5.0, 10.0, 15.0],
                8.630462173553422,
                0.003305876912189962,
            ),
            (
                [120.0, 289.0, 300.0, 9491.0],
                324.96893259956573,
                1.198355684860197e-72,
            ),
            (
                [3.0, 97.0, 1.0, 899.0],
                9.603554327055782,
                0.0019420110569842585,
            ),
            (
                [0.0, 50.0, 40.0, 910.0],
                4.190052177576739,
                0.04066184576633023,
            ),
        ];
        for ([a, b, c, d], g2, p) in cases {
            let got = g2_2x2(a, b, c, d);
            assert!((got - g2).abs() < 1e-9 * g2, "{got} vs {g2}");
            let k = Keyness::new(a as u64, (a + b) as u64, c as u64, (c + d) as u64);
            assert!((k.g2.abs() - g2).abs() < 1e-9 * g2);
            assert!((k.p_value - p).abs() <= 1e-6 * p, "{} vs {p}", k.p_value);
        }
    }

    #[test]
    fn g2_by_hand() {
        // [[10, 10], [10, 10]]: independent, G² = 0. [[10, 0], [0, 10]]: every expected count
        // is 5, G² = 2 · 2 · 10 ln 2 = 40 ln 2.
        assert_eq!(g2_2x2(10.0, 10.0, 10.0, 10.0), 0.0);
        assert!((g2_2x2(10.0, 0.0, 0.0, 10.0) - 40.0 * 2f64.ln()).abs() < 1e-12);
        assert_eq!(g2_2x2(0.0, 0.0, 3.0, 4.0), 0.0);
    }

    #[test]
    fn under_represented_terms_have_negative_g2() {
        // 5% of the group against 25% of the rest.
        let k = Keyness::new(5, 100, 100, 400);
        assert!(k.g2 < 0.0);
        assert!(k.log_ratio < 0.0);
        let k = Keyness::new(25, 100, 20, 400);
        assert!(k.g2 > 0.0);
    }

    #[test]
    fn log_ratio_by_hand() {
        // 20 of 100 against 10 of 400: 0.2 / 0.025 = 8 = 2³.
        assert!((log_ratio(20, 100, 10, 400) - 3.0).abs() < 1e-12);
        // A term never seen in the rest: 0.5 / 400 stands in: 0.2 / 0.00125 = 160.
        assert!((log_ratio(20, 100, 0, 400) - 160f64.log2()).abs() < 1e-12);
        assert_eq!(log_ratio(10, 100, 10, 100), 0.0);
    }
}
