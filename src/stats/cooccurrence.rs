//! How strongly two codes go together, from their (possibly weighted) counts.

/// Jaccard similarity: comments with both codes over comments with either, `both / (a + b − both)`.
/// NaN when neither code occurs.
pub fn jaccard(both: f64, a: f64, b: f64) -> f64 {
    let either = a + b - both;
    if either > 0.0 {
        both / either
    } else {
        f64::NAN
    }
}

/// Lift: how many times more often the codes co-occur than if they were independent,
/// `both · n / (a · b)`. NaN when either code never occurs or `n` is 0.
pub fn lift(both: f64, a: f64, b: f64, n: f64) -> f64 {
    if a > 0.0 && b > 0.0 && n > 0.0 {
        both * n / (a * b)
    } else {
        f64::NAN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaccard_by_hand() {
        // 10 with both, 30 with a, 20 with b: 10 / (30 + 20 − 10) = 0.25.
        assert_eq!(jaccard(10.0, 30.0, 20.0), 0.25);
        assert_eq!(jaccard(5.0, 5.0, 5.0), 1.0);
        assert_eq!(jaccard(0.0, 5.0, 5.0), 0.0);
        assert!(jaccard(0.0, 0.0, 0.0).is_nan());
    }

    #[test]
    fn lift_by_hand() {
        // 10 with both, 30 with a, 20 with b out of 200: 10·200 / (30·20) = 10/3.
        assert!((lift(10.0, 30.0, 20.0, 200.0) - 10.0 / 3.0).abs() < 1e-15);
        // Independent: P(a)·P(b)·n = 0.5·0.2·100 = 10 together gives exactly 1.
        assert_eq!(lift(10.0, 50.0, 20.0, 100.0), 1.0);
        assert!(lift(0.0, 0.0, 20.0, 100.0).is_nan());
        assert!(lift(0.0, 10.0, 20.0, 0.0).is_nan());
    }
}
