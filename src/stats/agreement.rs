//! Agreement between two codings of the same comments: precision, recall and F1 of one against
//! the other, Cohen's kappa, and Krippendorff's alpha for any number of coders and any distance
//! between values (nominal, or set-valued for multi-label coding).
//!
//! Undefined results are `None`: precision when nothing was coded, kappa and alpha when the
//! codings show no variation at all (every comment has the same value), which makes chance
//! agreement total.
use std::collections::BTreeMap;

/// The 2 x 2 table of one code in two codings: `a` the coding under test, `b` the reference.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BinaryTable {
    /// Coded in both.
    pub tp: u64,
    /// Coded in `a` only.
    pub fp: u64,
    /// Coded in `b` only.
    pub fn_: u64,
    /// Coded in neither.
    pub tn: u64,
}

impl BinaryTable {
    /// Adds one comment: whether `a` and `b` coded it.
    pub fn add(&mut self, a: bool, b: bool) {
        match (a, b) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    pub fn total(&self) -> u64 {
        self.tp + self.fp + self.fn_ + self.tn
    }

    /// Comments the reference codes: `tp + fn`.
    pub fn support(&self) -> u64 {
        self.tp + self.fn_
    }

    /// Comments the coding under test codes: `tp + fp`.
    pub fn predicted(&self) -> u64 {
        self.tp + self.fp
    }

    /// `tp / (tp + fp)`; `None` when `a` coded nothing.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }

    /// `tp / (tp + fn)`; `None` when `b` coded nothing.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// `2 tp / (2 tp + fp + fn)`, the harmonic mean of precision and recall (0 when either is
    /// 0 or undefined); `None` when neither coding codes anything.
    pub fn f1(&self) -> Option<f64> {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }

    /// Cohen's kappa of the 2 x 2 table.
    pub fn kappa(&self) -> Option<f64> {
        cohen_kappa(&[
            vec![self.tp as f64, self.fp as f64],
            vec![self.fn_ as f64, self.tn as f64],
        ])
    }

    /// Krippendorff's alpha (nominal) of two coders coding every comment 0 or 1: in closed
    /// form, `1 − (n − 1) · (fp + fn) / (n₀ · n₁)` with `n = 2 · total` values, `n₁` of them 1.
    /// The same as [`krippendorff_alpha`] on the pairs, without building them.
    pub fn alpha(&self) -> Option<f64> {
        let n = 2.0 * self.total() as f64;
        let ones = (2 * self.tp + self.fp + self.fn_) as f64;
        let zeros = (2 * self.tn + self.fp + self.fn_) as f64;
        if ones == 0.0 || zeros == 0.0 {
            return None;
        }
        Some(1.0 - (n - 1.0) * (self.fp + self.fn_) as f64 / (zeros * ones))
    }

    /// The sum of two tables (micro-averaging pools them).
    pub fn merged(&self, other: &BinaryTable) -> BinaryTable {
        BinaryTable {
            tp: self.tp + other.tp,
            fp: self.fp + other.fp,
            fn_: self.fn_ + other.fn_,
            tn: self.tn + other.tn,
        }
    }
}

fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// Cohen's kappa of a square confusion table, `table[i][j]` = comments coder 1 put in category
/// `i` and coder 2 in category `j`: `(p_o − p_e) / (1 − p_e)`, observed against chance
/// agreement from the two coders' marginals.
///
/// `None` when the table is empty or chance agreement is 1 (both coders used one category).
///
/// # Panics
/// When the table is not square.
pub fn cohen_kappa(table: &[Vec<f64>]) -> Option<f64> {
    let k = table.len();
    assert!(
        table.iter().all(|row| row.len() == k),
        "cohen_kappa needs a square table"
    );
    let total: f64 = table.iter().flatten().sum();
    if total <= 0.0 {
        return None;
    }
    let observed = (0..k).map(|i| table[i][i]).sum::<f64>() / total;
    let chance = (0..k)
        .map(|i| {
            let row: f64 = table[i].iter().sum();
            let column: f64 = table.iter().map(|r| r[i]).sum();
            row * column
        })
        .sum::<f64>()
        / (total * total);
    if (1.0 - chance).abs() < 1e-15 {
        return None;
    }
    Some((observed - chance) / (1.0 - chance))
}

/// Krippendorff's alpha, `1 − D_o / D_e`, for units (comments) each coded by any number of
/// coders: `units[u]` holds the values the coders gave unit `u`, missing codings left out.
/// `distance(a, b)` is Krippendorff's δ² between two values (0 for equal values): 0/1 for
/// nominal data, or for instance a Jaccard distance between label sets.
///
/// Following Krippendorff (2011), "Computing Krippendorff's alpha-reliability": only pairable
/// values count (units with at least two values), `n` of them;
/// `D_o = (1/n) Σ_u Σ_{i≠j} δ²(v_ui, v_uj) / (m_u − 1)` and
/// `D_e = Σ_{c,k} n_c n_k δ²(c, k) / (n (n − 1))` over the pooled values.
///
/// `None` when there are fewer than two pairable values or no variation (`D_e = 0`).
pub fn krippendorff_alpha<V: Ord + Clone>(
    units: &[Vec<V>],
    distance: impl Fn(&V, &V) -> f64,
) -> Option<f64> {
    let mut pooled: BTreeMap<&V, f64> = BTreeMap::new();
    let mut n = 0.0;
    let mut observed = 0.0;
    for values in units.iter().filter(|u| u.len() >= 2) {
        let m = values.len() as f64;
        n += m;
        let mut within = 0.0;
        for (i, a) in values.iter().enumerate() {
            *pooled.entry(a).or_default() += 1.0;
            for (j, b) in values.iter().enumerate() {
                if i != j {
                    within += distance(a, b);
                }
            }
        }
        observed += within / (m - 1.0);
    }
    if n < 2.0 {
        return None;
    }
    observed /= n;
    let counts: Vec<(&V, f64)> = pooled.into_iter().collect();
    let mut expected = 0.0;
    for (i, (a, na)) in counts.iter().enumerate() {
        for (b, nb) in &counts[i + 1..] {
            expected += 2.0 * na * nb * distance(a, b);
        }
    }
    expected /= n * (n - 1.0);
    if expected <= 0.0 {
        return None;
    }
    Some(1.0 - observed / expected)
}

/// The nominal distance: 0 for equal values, 1 otherwise.
pub fn nominal_distance<V: PartialEq>(a: &V, b: &V) -> f64 {
    if a == b {
        0.0
    } else {
        1.0
    }
}

/// The Jaccard distance between two sorted, deduplicated label sets, `1 − |a ∩ b| / |a ∪ b|`;
/// 0 between two empty sets. On single labels it is the nominal distance, so alpha with it
/// reduces to nominal alpha when every comment has one label.
pub fn jaccard_distance<T: Ord>(a: &[T], b: &[T]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let either = a.len() + b.len() - both;
    if either == 0 {
        0.0
    } else {
        1.0 - both as f64 / either as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn precision_recall_f1_by_hand() {
        // 6 right, 2 coded wrongly, 4 missed: P = 6/8, R = 6/10, F1 = 12/18.
        let t = BinaryTable {
            tp: 6,
            fp: 2,
            fn_: 4,
            tn: 88,
        };
        assert_eq!(t.precision(), Some(0.75));
        assert_eq!(t.recall(), Some(0.6));
        assert!(close(t.f1().unwrap(), 2.0 / 3.0));
        assert_eq!(t.support(), 10);
        assert_eq!(t.predicted(), 8);
        let none = BinaryTable {
            tn: 5,
            ..BinaryTable::default()
        };
        assert_eq!(none.precision(), None);
        assert_eq!(none.f1(), None);
        let missed = BinaryTable {
            fn_: 3,
            tn: 5,
            ..BinaryTable::default()
        };
        assert_eq!(missed.precision(), None);
        assert_eq!(missed.f1(), Some(0.0));
    }

    #[test]
    fn kappa_of_the_textbook_2x2() {
        // Wikipedia, "Cohen's kappa", first example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.
        // p_o = 0.7, p_e = 0.5·0.6 + 0.5·0.4 = 0.5, kappa = 0.4.
        let t = BinaryTable {
            tp: 20,
            fp: 5,
            fn_: 10,
            tn: 15,
        };
        assert!(close(t.kappa().unwrap(), 0.4));
        // Perfect agreement, and a table where both coders say "no" to everything.
        let perfect = BinaryTable {
            tp: 3,
            tn: 7,
            ..BinaryTable::default()
        };
        assert!(close(perfect.kappa().unwrap(), 1.0));
        let constant = BinaryTable {
            tn: 7,
            ..BinaryTable::default()
        };
        assert_eq!(constant.kappa(), None);
    }

    #[test]
    fn kappa_of_a_three_category_table() {
        // Coder 1: x x x y y z z x y z x y; coder 2: x x y y y z x x y y x z. Rows (5, 4, 3),
        // columns (5, 5, 2), 8 of 12 on the diagonal: p_o = 8/12, p_e = 51/144,
        // kappa = 0.4838709677419355 = sklearn.metrics.cohen_kappa_score(a, b) (1.9.1).
        let table = vec![
            vec![4.0, 1.0, 0.0],
            vec![0.0, 3.0, 1.0],
            vec![1.0, 1.0, 1.0],
        ];
        let (po, pe) = (8.0 / 12.0, 51.0 / 144.0);
        let kappa = cohen_kappa(&table).unwrap();
        assert!(close(kappa, (po - pe) / (1.0 - pe)));
        assert!(close(kappa, 0.4838709677419355));
    }

    #[test]
    fn alpha_matches_krippendorffs_nominal_example() {
        // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
        // observers, twelve units, missing values; nominal alpha = 0.743. The exact value
        // 0.743421052631579 is `krippendorff.alpha(reliability_data=data,
        // level_of_measurement="nominal")` of the `krippendorff` 0.8 package (PyPI).
        let observers: [[Option<u8>; 12]; 4] = [
            [
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(1),
                Some(4),
                Some(1),
                Some(2),
                None,
                None,
                None,
            ],
            [
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(2),
                Some(4),
                Some(1),
                Some(2),
                Some(5),
                None,
                Some(3),
            ],
            [
                None,
                Some(3),
                Some(3),
                Some(3),
                Some(2),
                Some(3),
                Some(4),
                Some(2),
                Some(2),
                Some(5),
                Some(1),
                None,
            ],
            [
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(4),
                Some(4),
                Some(1),
                Some(2),
                Some(5),
                Some(1),
                None,
            ],
        ];
        let units: Vec<Vec<u8>> = (0..12)
            .map(|u| observers.iter().filter_map(|o| o[u]).collect())
            .collect();
        let alpha = krippendorff_alpha(&units, nominal_distance).unwrap();
        assert!((alpha - 0.743421052631579).abs() < 1e-12, "{alpha}");
    }

    #[test]
    fn alpha_matches_krippendorffs_binary_example() {
        // Krippendorff (2011), section A: two observers, ten units, binary; alpha = 0.095
        // (0.09523809523809534 from the `krippendorff` package).
        let a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
        let b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
        let units: Vec<Vec<u8>> = a.iter().zip(&b).map(|(&x, &y)| vec![x, y]).collect();
        let alpha = krippendorff_alpha(&units, nominal_distance).unwrap();
        assert!((alpha - 0.09523809523809534).abs() < 1e-12, "{alpha}");
        // The closed form of the 2 x 2 table agrees: 1 both, 5 neither, 4 disagreements.
        let mut table = BinaryTable::default();
        for (&x, &y) in a.iter().zip(&b) {
            table.add(x == 1, y == 1);
        }
        assert!(close(table.alpha().unwrap(), alpha));
        assert!(close(
            table.alpha().unwrap(),
            1.0 - 19.0 * 4.0 / (14.0 * 6.0)
        ));
    }

    #[test]
    fn alpha_is_undefined_without_variation() {
        let units = vec![vec![1, 1], vec![1, 1], vec![1]];
        assert_eq!(krippendorff_alpha(&units, nominal_distance), None);
        assert_eq!(krippendorff_alpha::<u8>(&[], nominal_distance), None);
    }

    #[test]
    fn set_valued_alpha_reduces_to_nominal_on_single_labels() {
        let a = ["x", "y", "x", "z", "y", "x"];
        let b = ["x", "y", "y", "z", "y", "z"];
        let nominal: Vec<Vec<&str>> = a.iter().zip(&b).map(|(x, y)| vec![*x, *y]).collect();
        let sets: Vec<Vec<Vec<&str>>> = a
            .iter()
            .zip(&b)
            .map(|(x, y)| vec![vec![*x], vec![*y]])
            .collect();
        let expected = krippendorff_alpha(&nominal, nominal_distance).unwrap();
        let got = krippendorff_alpha(&sets, |p: &Vec<&str>, q: &Vec<&str>| jaccard_distance(p, q))
            .unwrap();
        assert!(close(expected, got));
    }

    #[test]
    fn jaccard_distance_by_hand() {
        assert_eq!(jaccard_distance(&["a", "b"], &["b", "c"]), 1.0 - 1.0 / 3.0);
        assert_eq!(jaccard_distance::<&str>(&[], &[]), 0.0);
        assert_eq!(jaccard_distance(&["a"], &[]), 1.0);
        assert_eq!(jaccard_distance(&["a", "b"], &["a", "b"]), 0.0);
    }
}
