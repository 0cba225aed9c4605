//! The project's analyser as the index sees it. Each word of a comment is indexed twice at the
//! same position: by its stem (what a plain search word matches, as codebook phrases do) and as
//! `=` plus its folded form (what `=word` and `word*` match, as codebook `words` do).
//! Clause and sentence breaks leave a one-position gap, so that a phrase never matches across
//! them, just as codebook phrases do not.
use std::sync::Arc;

use tantivy::tokenizer::{PreTokenizedStream, PreTokenizedString, Token, Tokenizer};

use crate::text::{Analysis, Analyzer};

/// The name the tokenizer is registered under, on every open: tantivy does not store analysers.
pub const TOKENIZER_NAME: &str = "verbatim";

/// Marks the exact (folded) form of a word, as opposed to its stem.
pub const EXACT_MARK: char = '=';

/// Words longer than this (bytes) are not indexed: no one searches for them, and tantivy
/// refuses terms beyond 64 KiB.
pub const MAX_WORD_BYTES: usize = 200;

/// The index tokens of an analysed text, in position order.
pub fn index_tokens(analysis: &Analysis<'_>) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(analysis.tokens.len() * 2);
    let mut position = 0usize;
    for (i, token) in analysis.tokens.iter().enumerate() {
        if i > 0 {
            position += if token.clause_break_before { 2 } else { 1 };
        }
        let norm = analysis.norm(i);
        if norm.len() > MAX_WORD_BYTES {
            continue;
        }
        tokens.push(Token {
            offset_from: token.start,
            offset_to: token.end,
            position,
            text: analysis.stem(i).to_string(),
            position_length: 1,
        });
        let mut exact = String::with_capacity(norm.len() + 1);
        exact.push(EXACT_MARK);
        exact.push_str(norm);
        tokens.push(Token {
            offset_from: token.start,
            offset_to: token.end,
            position,
            text: exact,
            position_length: 1,
        });
    }
    tokens
}

/// The analysed text as tantivy indexes it, without analysing it again.
pub fn pre_tokenized(analysis: &Analysis<'_>) -> PreTokenizedString {
    PreTokenizedString {
        text: String::new(),
        tokens: index_tokens(analysis),
    }
}

/// The analyser registered with tantivy, for anything that asks tantivy to tokenise text.
#[derive(Clone)]
pub struct VerbatimTokenizer {
    analyzer: Arc<Analyzer>,
}

impl VerbatimTokenizer {
    pub fn new(analyzer: Arc<Analyzer>) -> Self {
        VerbatimTokenizer { analyzer }
    }
}

impl Tokenizer for VerbatimTokenizer {
    type TokenStream<'a> = PreTokenizedStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PreTokenizedStream {
        let analysis = self.analyzer.analyze(text);
        PreTokenizedStream::from(PreTokenizedString {
            text: text.to_string(),
            tokens: index_tokens(&analysis),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    #[test]
    fn stems_and_exact_forms_share_positions_and_spans() {
        let analyzer = Analyzer::english();
        let text = "Funding cuts, again";
        let tokens = index_tokens(&analyzer.analyze(text));
        let seen: Vec<(&str, usize, &str)> = tokens
            .iter()
            .map(|t| {
                (
                    t.text.as_str(),
                    t.position,
                    &text[t.offset_from..t.offset_to],
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                ("fund", 0, "Funding"),
                ("=funding", 0, "Funding"),
                ("cut", 1, "cuts"),
                ("=cuts", 1, "cuts"),
                // the comma is a clause break: one position is left empty
                ("again", 3, "again"),
                ("=again", 3, "again"),
            ]
        );
    }

    #[test]
    fn the_registered_tokenizer_gives_the_indexed_tokens() {
        let analyzer = Arc::new(Analyzer::english());
        let text = "Yet another top-down imposition. It hasn't been thought through!";
        let expected = index_tokens(&analyzer.analyze(text));
        let mut tokenizer = VerbatimTokenizer::new(analyzer);
        let mut stream = tokenizer.token_stream(text);
        let mut streamed = Vec::new();
        while stream.advance() {
            streamed.push(stream.token().clone());
        }
        assert_eq!(streamed, expected);
    }

    #[test]
    fn very_long_words_are_left_out() {
        let analyzer = Analyzer::english();
        let text = format!("short {}", "a".repeat(MAX_WORD_BYTES + 1));
        assert_eq!(index_tokens(&analyzer.analyze(&text)).len(), 2);
    }
}
