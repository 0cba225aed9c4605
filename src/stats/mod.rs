//! Statistics over coded comments.
mod rank;

pub use rank::{ranks, spearman};
