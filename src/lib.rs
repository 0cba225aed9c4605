//! verbatim: code, score and search the free-text answers of surveys.
pub mod batch;
pub mod codebook;
pub mod crosstab;
pub mod generate;
pub mod index;
pub mod markup;
pub mod query;
pub mod quotes;
pub mod report;
pub mod sentiment;
pub mod serve;
pub mod stats;
pub mod survey;
pub mod text;
