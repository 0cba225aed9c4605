//! Statistics over coded comments: pure functions over counts and values, no I/O.
//!
//! - `contingency`: is a code independent of a respondent group? Pearson's chi-square with
//!   Cramér's V, adjusted residuals and Cochran's small-count warning; Fisher's exact test for
//!   2 x 2 tables.
//! - `multiple`: Benjamini–Hochberg adjustment when a crosstab runs many such tests at once.
//! - `mann_whitney`: does one group answer an ordinal question higher than another? From raw
//!   values or from counts per level.
//! - `mean`: means with Student t intervals, weighted by Kish's effective sample size, and an
//!   accumulator to stream and merge them.
//! - `cooccurrence`: Jaccard and lift of two codes.
//! - `rank`: average ranks and Spearman's rho.
//! - `agreement`: how far two codings agree: precision, recall, F1, Cohen's kappa and
//!   Krippendorff's alpha (any number of coders, nominal or set-valued).
//! - `keyness`: is a term over-represented in a group of comments? Log-likelihood G² with the
//!   log ratio as effect size.
//!
//! Distributions come from `statrs`; undefined results are `None` or NaN: odd values never
//! panic, only mismatched shapes and a confidence level outside (0, 1) do.
mod agreement;
mod contingency;
mod cooccurrence;
mod keyness;
mod mann_whitney;
mod mean;
mod multiple;
mod rank;

pub use agreement::{
    cohen_kappa, jaccard_distance, krippendorff_alpha, nominal_distance, BinaryTable,
};
pub use contingency::{chi_square, fisher_exact_2x2, ChiSquare};
pub use cooccurrence::{jaccard, lift};
pub use keyness::{g2_2x2, log_ratio, Keyness};
pub use mann_whitney::{mann_whitney, mann_whitney_counts, MannWhitney};
pub use mean::{mean_interval, weighted_mean_interval, MeanAccumulator, MeanInterval};
pub use multiple::benjamini_hochberg;
pub use rank::{ranks, spearman};
