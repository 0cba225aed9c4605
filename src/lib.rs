//! verbatim: code, score and search the free-text answers of surveys.
pub mod batch;
pub mod codebook;
pub mod crosstab;
pub mod eval;
pub mod generate;
pub mod index;
pub mod labels;
pub mod learn;
pub mod query;
pub mod sentiment;
pub mod split;
pub mod stats;
pub mod suggest;
pub mod survey;
pub mod terms;
pub mod text;
