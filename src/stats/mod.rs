//! Statistics over coded comments.
mod contingency;
mod cooccurrence;
mod mann_whitney;
mod mean;
mod multiple;
mod rank;

pub use contingency::{chi_square, fisher_exact_2x2, ChiSquare};
pub use cooccurrence::{jaccard, lift};
pub use mann_whitney::{mann_whitney, mann_whitney_counts, MannWhitney};
pub use mean::{mean_interval, weighted_mean_interval, MeanAccumulator, MeanInterval};
pub use multiple::benjamini_hochberg;
pub use rank::{ranks, spearman};
