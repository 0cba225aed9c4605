//! Codebook errors that name the file, the line and the rule, all of them at once.
use std::fmt;

/// One problem in a codebook file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the file; 0 when the problem is not tied to a line.
    pub line: usize,
    /// Where in the codebook: `theme "exclusion", phrases "shut out"`.
    pub context: String,
    pub message: String,
}

/// Everything wrong with a codebook file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodebookError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for CodebookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        writeln!(
            f,
            "{} has {count} problem{}:",
            self.file,
            if count == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "  {}", self.file)?;
            if problem.line > 0 {
                write!(f, ":{}", problem.line)?;
            }
            if problem.context.is_empty() {
                writeln!(f, ": {}", problem.message)?;
            } else {
                writeln!(f, ": {}: {}", problem.context, problem.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for CodebookError {}

/// 1-based line of a byte offset in `source`.
pub fn line_of(source: &str, offset: usize) -> usize {
    let offset = offset.min(source.len());
    source.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
