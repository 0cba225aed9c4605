//! One file per command.
pub mod codebook;
pub mod explain;
pub mod schema;
