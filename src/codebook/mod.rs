//! The codebook: a hand-written TOML file of themes and lexical rules (see docs/CODEBOOK.md),
//! compiled into a matcher whose cost grows with the text, not with the number of rules.
mod coding;
mod compile;
mod error;
mod format;
mod glob;
mod matcher;
mod pattern;

use std::path::Path;

pub use coding::{Cancellation, Coding, Hit};
pub use error::{line_of, CodebookError, Problem};
pub use format::{ExcludeScope, NegationPolicy};

use crate::text::{Analysis, Analyzer};

/// A compiled codebook.
pub struct Codebook {
    /// The file it was read from, as given.
    pub source: String,
    pub name: String,
    pub version: String,
    pub description: String,
    /// First 16 hex digits of the SHA-256 of the file's bytes.
    pub hash: String,
    pub themes: Vec<Theme>,
    pub rules: Vec<Rule>,
    analyzer: Analyzer,
    matcher: matcher::Matcher,
    /// Theme indexes, children before their parents.
    deepest_first: Vec<usize>,
}

pub struct Theme {
    pub id: String,
    pub label: String,
    pub description: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub threshold: f64,
    pub line: usize,
    /// Texts that must code this theme, with their lines.
    pub examples: Vec<(String, usize)>,
    /// Texts that must not code this theme, with their lines.
    pub counterexamples: Vec<(String, usize)>,
}

/// The kinds of rule, as named in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    Word,
    Stem,
    Glob,
    Phrase,
    Near,
    Regex,
}

impl RuleKind {
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::Word => "word",
            RuleKind::Stem => "stem",
            RuleKind::Glob => "glob",
            RuleKind::Phrase => "phrase",
            RuleKind::Near => "near",
            RuleKind::Regex => "regex",
        }
    }
}

pub struct Rule {
    /// `exclusion/phrase:shut out`, or the id the file gives.
    pub id: String,
    pub theme: usize,
    pub kind: RuleKind,
    /// The pattern as written.
    pub pattern: String,
    pub weight: f64,
    pub negation: NegationPolicy,
    pub negation_window: usize,
    pub exclude_scope: ExcludeScope,
    /// Exclusion patterns as written, with their compiled sequences.
    pub(crate) exclusions: Vec<(String, Vec<matcher::ElementId>)>,
    pub line: usize,
}

impl Codebook {
    /// Reads and compiles a codebook file.
    pub fn from_path(path: &Path) -> Result<Codebook, CodebookError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|err| CodebookError {
            file: file.clone(),
            problems: vec![Problem {
                line: 0,
                context: String::new(),
                message: format!("cannot read the codebook: {err}"),
            }],
        })?;
        let source = String::from_utf8(bytes).map_err(|err| CodebookError {
            file: file.clone(),
            problems: vec![Problem {
                line: 0,
                context: String::new(),
                message: format!("not UTF-8 ({err}): save the codebook as UTF-8"),
            }],
        })?;
        Codebook::from_source(&source, &file)
    }

    /// Compiles a codebook from its text; `file` names it in errors.
    pub fn from_source(source: &str, file: &str) -> Result<Codebook, CodebookError> {
        compile::compile(source, file)
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Codes one text.
    pub fn code(&self, text: &str) -> Coding {
        self.code_analysis(&self.analyzer.analyze(text))
    }

    /// Codes a text already analysed with [`Codebook::analyzer`].
    pub fn code_analysis(&self, analysis: &Analysis<'_>) -> Coding {
        coding::code(self, analysis)
    }

    pub fn theme_index(&self, id: &str) -> Option<usize> {
        self.themes.iter().position(|t| t.id == id)
    }

    /// Runs every theme's examples and counterexamples; each failure is a problem on its line.
    pub fn check_examples(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (index, theme) in self.themes.iter().enumerate() {
            for (text, line) in &theme.examples {
                if !self.code(text).coded[index] {
                    problems.push(Problem {
                        line: *line,
                        context: format!("theme \"{}\", examples", theme.id),
                        message: format!(
                            "does not code this theme: \"{text}\" (run `verbatim explain` on it)"
                        ),
                    });
                }
            }
            for (text, line) in &theme.counterexamples {
                if self.code(text).coded[index] {
                    problems.push(Problem {
                        line: *line,
                        context: format!("theme \"{}\", counterexamples", theme.id),
                        message: format!(
                            "codes this theme: \"{text}\" (run `verbatim explain` on it)"
                        ),
                    });
                }
            }
        }
        problems
    }
}
