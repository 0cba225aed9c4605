//! A query error that points at where the query went wrong.
use std::fmt;

/// What is wrong with a query, and where: a byte range of the query text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub query: String,
    pub start: usize,
    pub end: usize,
    pub message: String,
}

impl QueryError {
    pub fn new(query: &str, span: std::ops::Range<usize>, message: impl Into<String>) -> Self {
        let start = span.start.min(query.len());
        QueryError {
            query: query.to_string(),
            start,
            end: span.end.clamp(start, query.len()),
            message: message.into(),
        }
    }

    /// The position as people count it: characters from 1.
    pub fn column(&self) -> usize {
        self.query
            .get(..self.start)
            .map_or(self.start, |before| before.chars().count())
            + 1
    }
}

impl fmt::Display for QueryError {
    /// The message, then the query with a caret line under the faulty part.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let one_line: String = self
            .query
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let width = self
            .query
            .get(self.start..self.end)
            .map_or(1, |s| s.chars().count().max(1));
        writeln!(
            f,
            "bad query at position {}: {}",
            self.column(),
            self.message
        )?;
        writeln!(f, "  {one_line}")?;
        write!(
            f,
            "  {}{}",
            " ".repeat(self.column() - 1),
            "^".repeat(width)
        )
    }
}

impl std::error::Error for QueryError {}
