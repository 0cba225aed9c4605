//! The query language of `verbatim search`: words, "phrases", AND / OR / NOT, parentheses and
//! filters (`theme:funding`, `confidence<=fairly`, `sentiment<-0.3`). Parsing only: what a
//! field means is resolved against an index by [`crate::index`].
mod error;
mod lexer;
mod parser;

pub use error::QueryError;
pub use parser::{parse, Expr, FieldTerm, Op, Term, TermKind, Value};
