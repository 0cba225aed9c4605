//! Statistics over coded comments.
mod multiple;
mod rank;

pub use multiple::benjamini_hochberg;
pub use rank::{ranks, spearman};
