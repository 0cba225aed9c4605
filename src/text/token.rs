//! The one token type that flows through every stage: offsets into the original text, and
//! what the stages need to know of it at a glance.
use std::ops::Range;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Contains at least one letter.
    Word,
    /// Digits only, possibly with inner `.` or `,` (`3.5`, `1,000`).
    Number,
}

/// A token of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offsets into the original text: `&text[start..end]` is what the respondent wrote.
    pub start: usize,
    pub end: usize,
    /// Index of the sentence the token belongs to.
    pub sentence: u32,
    pub kind: TokenKind,
    /// Clause punctuation (`, ; : ( )`, a dash) or a sentence boundary stands between the
    /// previous token and this one: negation scope and phrases do not reach across it.
    pub clause_break_before: bool,
    /// Written in capitals (two or more letters, none lower case): emphasis for sentiment.
    pub all_caps: bool,
}

impl Token {
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A sentence: its byte span (first token to the end of its closing punctuation) and its tokens.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// Tokens `first_token..end_token` of the analysis.
    pub first_token: usize,
    pub end_token: usize,
}

impl Sentence {
    pub fn tokens(&self) -> Range<usize> {
        self.first_token..self.end_token
    }
}
