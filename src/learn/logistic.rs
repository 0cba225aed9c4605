//! L2-regularised logistic regression on binary features, by Newton's method (iteratively
//! reweighted least squares) with a Cholesky solve: exact, deterministic and quick for the few
//! hundred features of one theme. The intercept is not penalised.

/// A fitted model: `P(label) = 1 / (1 + exp(-(intercept + Σ weights[j] x_j)))`.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub intercept: f64,
    pub weights: Vec<f64>,
    pub iterations: usize,
}

/// Fits a model to `rows` (per example, the indexes of its features that are 1, each below
/// `features`) and `labels`, minimising the log loss plus `l2 / 2 · Σ w²`.
pub fn fit(rows: &[Vec<u32>], labels: &[bool], features: usize, l2: f64) -> Model {
    assert_eq!(rows.len(), labels.len(), "one label per row");
    let d = features + 1; // the intercept is parameter 0
    let mut beta = vec![0.0f64; d];
    let positives = labels.iter().filter(|&&y| y).count() as f64;
    let n = labels.len() as f64;
    if n > 0.0 {
        // Start from the base rate, clamped away from 0 and 1.
        let rate = ((positives + 0.5) / (n + 1.0)).clamp(1e-6, 1.0 - 1e-6);
        beta[0] = (rate / (1.0 - rate)).ln();
    }
    let mut iterations = 0;
    let mut loss = objective(rows, labels, &beta, l2);
    for _ in 0..50 {
        iterations += 1;
        let mut gradient = vec![0.0f64; d];
        let mut hessian = vec![0.0f64; d * d];
        for (row, &y) in rows.iter().zip(labels) {
            let p = sigmoid(linear(row, &beta));
            let residual = p - if y { 1.0 } else { 0.0 };
            let w = (p * (1.0 - p)).max(1e-12);
            gradient[0] += residual;
            hessian[0] += w;
            for (k, &a) in row.iter().enumerate() {
                let a = a as usize + 1;
                gradient[a] += residual;
                hessian[a] += w; // row 0, column a (the lower triangle is filled below)
                hessian[a * d + a] += w;
                for &b in &row[..k] {
                    hessian[a * d + b as usize + 1] += w;
                }
            }
        }
        for j in 1..d {
            gradient[j] += l2 * beta[j];
            hessian[j * d + j] += l2;
        }
        // Symmetric: copy the column-0 sums into row 0's mirror and fill the upper triangle.
        for a in 1..d {
            hessian[a * d] = hessian[a];
            for b in 0..a {
                hessian[b * d + a] = hessian[a * d + b];
            }
        }
        let Some(step) = solve(&mut hessian, &gradient, d) else {
            break;
        };
        // Newton step, halved while the objective does not fall.
        let mut scale = 1.0;
        let mut next: Vec<f64>;
        let mut next_loss;
        loop {
            next = beta.iter().zip(&step).map(|(b, s)| b - scale * s).collect();
            next_loss = objective(rows, labels, &next, l2);
            if next_loss <= loss + 1e-12 || scale < 1e-4 {
                break;
            }
            scale /= 2.0;
        }
        let change = step.iter().fold(0.0f64, |m, s| m.max((scale * s).abs()));
        beta = next;
        let improvement = loss - next_loss;
        loss = next_loss;
        if change < 1e-7 || improvement.abs() < 1e-10 * (1.0 + loss.abs()) {
            break;
        }
    }
    Model {
        intercept: beta[0],
        weights: beta[1..].to_vec(),
        iterations,
    }
}

fn linear(row: &[u32], beta: &[f64]) -> f64 {
    beta[0] + row.iter().map(|&j| beta[j as usize + 1]).sum::<f64>()
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Log loss plus the penalty.
fn objective(rows: &[Vec<u32>], labels: &[bool], beta: &[f64], l2: f64) -> f64 {
    let mut loss = 0.0;
    for (row, &y) in rows.iter().zip(labels) {
        let z = linear(row, beta);
        // log(1 + e^z) - y z, computed without overflow.
        let softplus = if z > 0.0 {
            z + (-z).exp().ln_1p()
        } else {
            z.exp().ln_1p()
        };
        loss += softplus - if y { z } else { 0.0 };
    }
    loss + 0.5 * l2 * beta[1..].iter().map(|b| b * b).sum::<f64>()
}

/// Solves `a x = b` for a symmetric positive definite `a` (row-major, `n` x `n`) by Cholesky;
/// `a` is overwritten. `None` when `a` is not positive definite.
fn solve(a: &mut [f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    for j in 0..n {
        let mut diagonal = a[j * n + j];
        for k in 0..j {
            diagonal -= a[j * n + k] * a[j * n + k];
        }
        if diagonal <= 0.0 || !diagonal.is_finite() {
            return None;
        }
        let diagonal = diagonal.sqrt();
        a[j * n + j] = diagonal;
        for i in j + 1..n {
            let mut sum = a[i * n + j];
            for k in 0..j {
                sum -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = sum / diagonal;
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        let mut sum = b[i];
        for k in 0..i {
            sum -= a[i * n + k] * y[k];
        }
        y[i] = sum / a[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let mut sum = y[i];
        for k in i + 1..n {
            sum -= a[k * n + i] * x[k];
        }
        x[i] = sum / a[i * n + i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_sklearn_on_a_small_problem() {
        // Two binary features, 10 examples. sklearn 1.9.1:
        // LogisticRegression(C=1.0, tol=1e-10, max_iter=10000).fit(X, y) with X, y below gives
        // intercept_ -0.2138898712880186 and coef_ [0.9376274786490044, -0.6395200158944145]
        // (lbfgs, L2 penalty 1/(2C)·|w|², intercept unpenalised: the objective fitted here).
        let x: [[u8; 2]; 10] = [
            [1, 0],
            [1, 0],
            [1, 1],
            [1, 0],
            [0, 1],
            [0, 1],
            [0, 0],
            [0, 0],
            [1, 1],
            [0, 0],
        ];
        let y = [
            true, true, false, true, false, false, false, true, true, false,
        ];
        let rows: Vec<Vec<u32>> = x
            .iter()
            .map(|r| (0..2).filter(|&j| r[j] == 1).map(|j| j as u32).collect())
            .collect();
        let model = fit(&rows, &y, 2, 1.0);
        assert!(
            (model.intercept - -0.2138898712880186).abs() < 1e-6,
            "{model:?}"
        );
        assert!(
            (model.weights[0] - 0.9376274786490044).abs() < 1e-6,
            "{model:?}"
        );
        assert!(
            (model.weights[1] - -0.6395200158944145).abs() < 1e-6,
            "{model:?}"
        );
    }

    #[test]
    fn separable_data_stays_finite_under_the_penalty() {
        // Two comments with the feature, both positive; two without, both negative. The
        // gradient vanishes at b = -w/2 and w = 2 sigmoid(-w/2): w = 0.80212 (by fixed-point
        // iteration), a finite optimum although the data are separable.
        let rows = vec![vec![0], vec![0], vec![], vec![]];
        let y = [true, true, false, false];
        let model = fit(&rows, &y, 1, 1.0);
        let w = model.weights[0];
        assert!((w - 2.0 * sigmoid(-w / 2.0)).abs() < 1e-9, "{model:?}");
        assert!((model.intercept + w / 2.0).abs() < 1e-9, "{model:?}");
        assert!((w - 0.80212).abs() < 1e-4, "{model:?}");
    }

    #[test]
    fn cholesky_solves_a_known_system() {
        // [[4, 2], [2, 3]] x = [2, 1] has x = [0.5, 0].
        let mut a = vec![4.0, 2.0, 2.0, 3.0];
        let x = solve(&mut a, &[2.0, 1.0], 2).unwrap();
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12);
        let mut singular = vec![1.0, 1.0, 1.0, 1.0];
        assert_eq!(solve(&mut singular, &[1.0, 1.0], 2), None);
    }
}
