//! Deterministic splits of comments by a hash of their key, so that a train/test split or a
//! cross-validation fold is the same on every machine, in every run, whatever the row order:
//! a comment's side depends on its own key only.
//!
//! The hash is SHA-256 of the key's UTF-8 bytes (with a purpose prefix for folds), read as a
//! big-endian integer from its first 8 bytes and scaled to [0, 1).
use sha2::{Digest, Sha256};

/// A number in [0, 1) fixed by `text`.
pub fn unit_hash(text: &str) -> f64 {
    let digest = Sha256::digest(text.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    // 53 bits, so that the value is exact in an f64 and strictly below 1.
    (u64::from_be_bytes(first) >> 11) as f64 / (1u64 << 53) as f64
}

/// Whether the comment with `key` is in the test set of a split that puts `test_share` of
/// comments there: `unit_hash(key) < test_share`.
pub fn in_test(key: &str, test_share: f64) -> bool {
    unit_hash(key) < test_share
}

/// The cross-validation fold (0..k) of the comment with `key`. Folds hash the key with a prefix,
/// so they do not line up with a train/test split made by [`in_test`].
pub fn fold(key: &str, k: usize) -> usize {
    let u = unit_hash(&format!("verbatim fold\u{0}{key}"));
    ((u * k as f64) as usize).min(k.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fixed() {
        // SHA-256("0") = 5feceb66ffc86f38...; 0x5feceb66ffc86f38 >> 11 / 2^53.
        let expected = (0x5fec_eb66_ffc8_6f38u64 >> 11) as f64 / (1u64 << 53) as f64;
        assert_eq!(unit_hash("0"), expected);
        assert!((unit_hash("0") - 0.3747).abs() < 1e-4);
    }

    #[test]
    fn shares_and_folds_are_about_right() {
        let keys: Vec<String> = (0..10_000).map(|i| i.to_string()).collect();
        let test = keys.iter().filter(|k| in_test(k, 0.2)).count();
        assert!((1_850..2_150).contains(&test), "{test}");
        let mut sizes = [0; 5];
        for key in &keys {
            sizes[fold(key, 5)] += 1;
        }
        assert!(
            sizes.iter().all(|&s| (1_850..2_150).contains(&s)),
            "{sizes:?}"
        );
        assert!(!in_test("x", 0.0));
        assert!(in_test("x", 1.0));
    }
}
