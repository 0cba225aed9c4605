//! verbatim: code, score and search the free-text answers of surveys.
pub mod codebook;
pub mod survey;
pub mod text;
