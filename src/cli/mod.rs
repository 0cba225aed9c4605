//! One file per command.
pub mod schema;
