//! Statistics over coded comments.
mod cooccurrence;
mod multiple;
mod rank;

pub use cooccurrence::{jaccard, lift};
pub use multiple::benjamini_hochberg;
pub use rank::{ranks, spearman};
