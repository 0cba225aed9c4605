//! The project's analyser as the index sees it. Each word of a comment is indexed as `=` plus
//! its folded form (what `=word` and `word*` match, as codebook `words` do), and where its stem
//! differs, by its stem too, at the same position. A plain search word matches its stem: the
//! stem terms of inflected words and the exact term of the word that is its own stem (see
//! [`stem_alternatives`]). Most words (69% of a generated survey's) are their own stem, so this
//! holds one term for them where indexing the stem of every word held two.
//! Clause and sentence breaks leave a one-position gap, so that a phrase never matches across
//! them, just as codebook phrases do not.
//!
//! A comment is analysed once, on the coding thread: the document carries its words encoded by
//! [`encode_words`], and the registered tokenizer reads them back on tantivy's indexing thread
//! instead of analysing the text again. Any other text (a query, a snippet) is analysed.
use std::ops::Range;
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::text::{Analysis, Analyzer};

/// The name the tokenizer is registered under, on every open: tantivy does not store analysers.
pub const TOKENIZER_NAME: &str = "verbatim";

/// Marks the exact (folded) form of a word, as opposed to its stem.
pub const EXACT_MARK: char = '=';

/// Words longer than this (bytes) are not indexed: no one searches for them, and tantivy
/// refuses terms beyond 64 KiB.
pub const MAX_WORD_BYTES: usize = 200;

/// Whether a word is indexed: not beyond [`MAX_WORD_BYTES`], as written or stemmed.
fn is_indexed(norm: &str, stem: &str) -> bool {
    norm.len() <= MAX_WORD_BYTES && stem.len() <= MAX_WORD_BYTES
}

/// Which terms index a word. An index keeps the layout it was built with, so that a build that
/// reads only the older layout never meets the newer one in an index it appends to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermLayout {
    /// Index format 3: the exact form of every word, and the stem where it differs.
    ExactAndDifferingStem,
    /// Index formats 1 and 2: the stem and the exact form of every word.
    StemAndExact,
}

impl TermLayout {
    fn stem_of_every_word(self) -> bool {
        self == TermLayout::StemAndExact
    }
}

/// Starts a text field value that holds analysed words rather than text.
const PRE_ANALYSED: char = '\u{2}';

/// The first byte of a word's record: which parts follow. Records are read by length, not
/// searched for an end mark: a byte scan per record was a third of reading them back.
const FOLLOWS_CLAUSE_BREAK: u8 = 1;
const SKIPPED: u8 = 2;
const STEM_DIFFERS: u8 = 4;
/// A length below this is one byte; from it on, this byte and the rest in a second one. Every
/// byte of a length stays below 0x80, so the encoded words are valid UTF-8.
const LONG_LENGTH: u8 = 0x7f;
const _: () = assert!(MAX_WORD_BYTES < 2 * LONG_LENGTH as usize);

fn push_form(out: &mut String, form: &str) {
    let len = form.len();
    if len < usize::from(LONG_LENGTH) {
        out.push(char::from(len as u8));
    } else {
        out.push(char::from(LONG_LENGTH));
        out.push(char::from((len - usize::from(LONG_LENGTH)) as u8));
    }
    out.push_str(form);
}

/// Writes the words of `analysis` into `out` in the form the registered tokenizer reads back as
/// exactly the tokens of [`index_tokens`] (without character offsets, which postings do not
/// keep): per word a flags byte, then its folded form and, where it differs, its stem, each
/// after its length.
pub fn encode_words(analysis: &Analysis<'_>, out: &mut String) {
    out.clear();
    out.push(PRE_ANALYSED);
    for (i, token) in analysis.tokens.iter().enumerate() {
        let mut flags = 0u8;
        if i > 0 && token.clause_break_before {
            flags |= FOLLOWS_CLAUSE_BREAK;
        }
        let norm = analysis.norm(i);
        let stem = analysis.differing_stem(i);
        if !is_indexed(norm, stem.unwrap_or(norm)) {
            out.push(char::from(flags | SKIPPED));
            continue;
        }
        if stem.is_some() {
            flags |= STEM_DIFFERS;
        }
        out.push(char::from(flags));
        push_form(out, norm);
        if let Some(stem) = stem {
            push_form(out, stem);
        }
    }
}

/// One indexed word: where it is, its stem and folded form, and its span in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexWord<'a> {
    pub position: usize,
    pub stem: &'a str,
    pub norm: &'a str,
    pub span: Range<usize>,
}

impl IndexWord<'_> {
    /// Whether index term `term` (a stem, or `=` and a folded form) is one of this word's.
    pub fn is_matched_by(&self, term: &str) -> bool {
        term == self.stem || term.strip_prefix(EXACT_MARK) == Some(self.norm)
    }
}

/// The words of an analysed text that the index holds, with their positions.
pub fn index_words<'a>(analysis: &'a Analysis<'_>) -> Vec<IndexWord<'a>> {
    let mut words = Vec::with_capacity(analysis.tokens.len());
    let mut position = 0usize;
    for (i, token) in analysis.tokens.iter().enumerate() {
        if i > 0 {
            position += if token.clause_break_before { 2 } else { 1 };
        }
        let (norm, stem) = (analysis.norm(i), analysis.stem(i));
        if !is_indexed(norm, stem) {
            continue;
        }
        words.push(IndexWord {
            position,
            stem,
            norm,
            span: token.start..token.end,
        });
    }
    words
}

/// The exact term of a folded form.
pub fn exact_term(norm: &str) -> String {
    let mut exact = String::with_capacity(norm.len() + 1);
    exact.push(EXACT_MARK);
    exact.push_str(norm);
    exact
}

/// The terms a plain search for `stem` matches at one position: the stem term (inflected words,
/// and every word in an index of the older layout), and the exact term of the word spelt as the
/// stem when that word is its own stem ("top" for `top`; not "agre" for `agre`, from "agreed").
pub fn stem_alternatives(analyzer: &Analyzer, stem: &str) -> Vec<String> {
    let mut terms = vec![stem.to_string()];
    let analysis = analyzer.analyze(stem);
    if analysis.tokens.len() == 1 && analysis.norm(0) == stem && analysis.stem(0) == stem {
        terms.push(exact_term(stem));
    }
    terms
}

/// The index tokens of an analysed text, in position order, as an index of the current layout
/// holds them: a word's stem (where it differs from its folded form), then its exact form.
pub fn index_tokens(analysis: &Analysis<'_>) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(analysis.tokens.len() * 2);
    for word in index_words(analysis) {
        let token = |text: String| Token {
            offset_from: word.span.start,
            offset_to: word.span.end,
            position: word.position,
            text,
            position_length: 1,
        };
        if word.stem != word.norm {
            tokens.push(token(word.stem.to_string()));
        }
        tokens.push(token(exact_term(word.norm)));
    }
    tokens
}

/// The analyser registered with tantivy: the index analyses each comment with it.
#[derive(Clone)]
pub struct VerbatimTokenizer {
    analyzer: Arc<Analyzer>,
    layout: TermLayout,
}

impl VerbatimTokenizer {
    pub fn new(analyzer: Arc<Analyzer>, layout: TermLayout) -> Self {
        VerbatimTokenizer { analyzer, layout }
    }
}

impl Tokenizer for VerbatimTokenizer {
    type TokenStream<'a> = VerbatimTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VerbatimTokenStream<'a> {
        let stem_of_every_word = self.layout.stem_of_every_word();
        match text.strip_prefix(PRE_ANALYSED) {
            Some(words) => VerbatimTokenStream::Encoded(EncodedTokenStream {
                rest: words,
                exact_next: None,
                stem_of_every_word,
                started: false,
                position: 0,
                token: Token::default(),
            }),
            None => VerbatimTokenStream::Analysed(AnalysedTokenStream {
                analysis: self.analyzer.analyze(text),
                word: 0,
                exact_next: false,
                stem_of_every_word,
                position: 0,
                token: Token::default(),
            }),
        }
    }
}

/// The tokens of [`index_tokens`], one at a time into one reused token: from text, or from
/// words encoded by [`encode_words`].
pub enum VerbatimTokenStream<'a> {
    Analysed(AnalysedTokenStream<'a>),
    Encoded(EncodedTokenStream<'a>),
}

impl TokenStream for VerbatimTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self {
            VerbatimTokenStream::Analysed(stream) => stream.advance(),
            VerbatimTokenStream::Encoded(stream) => stream.advance(),
        }
    }

    fn token(&self) -> &Token {
        match self {
            VerbatimTokenStream::Analysed(stream) => &stream.token,
            VerbatimTokenStream::Encoded(stream) => &stream.token,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self {
            VerbatimTokenStream::Analysed(stream) => &mut stream.token,
            VerbatimTokenStream::Encoded(stream) => &mut stream.token,
        }
    }
}

fn set_exact(token: &mut Token, norm: &str) {
    token.text.clear();
    token.text.push(EXACT_MARK);
    token.text.push_str(norm);
}

/// Reads back the records of [`encode_words`].
pub struct EncodedTokenStream<'a> {
    rest: &'a str,
    /// The folded form of the word whose stem was given last, to come next.
    exact_next: Option<&'a str>,
    stem_of_every_word: bool,
    started: bool,
    position: usize,
    token: Token,
}

impl<'a> EncodedTokenStream<'a> {
    /// The next length-prefixed form of `rest`; `None` (and nothing left) if the value was not
    /// written by [`encode_words`].
    fn form(&mut self) -> Option<&'a str> {
        let bytes = self.rest.as_bytes();
        let (len, from) = match *bytes.first()? {
            LONG_LENGTH => (usize::from(LONG_LENGTH) + usize::from(*bytes.get(1)?), 2),
            short => (usize::from(short), 1),
        };
        let form = self.rest.get(from..from + len);
        self.rest = self.rest.get(from + len..).unwrap_or("");
        form
    }

    fn advance(&mut self) -> bool {
        if let Some(norm) = self.exact_next.take() {
            set_exact(&mut self.token, norm);
            return true;
        }
        while let Some(&flags) = self.rest.as_bytes().first() {
            let Some(rest) = self.rest.get(1..) else {
                return false;
            };
            self.rest = rest;
            if self.started {
                self.position += 1 + usize::from(flags & FOLLOWS_CLAUSE_BREAK != 0);
            }
            self.started = true;
            if flags & SKIPPED != 0 {
                continue;
            }
            let Some(norm) = self.form() else {
                return false;
            };
            let stem = if flags & STEM_DIFFERS != 0 {
                let Some(stem) = self.form() else {
                    return false;
                };
                Some(stem)
            } else if self.stem_of_every_word {
                Some(norm)
            } else {
                None
            };
            self.token.position = self.position;
            match stem {
                Some(stem) => {
                    self.token.text.clear();
                    self.token.text.push_str(stem);
                    self.exact_next = Some(norm);
                }
                None => set_exact(&mut self.token, norm),
            }
            return true;
        }
        false
    }
}

/// The tokens of [`index_tokens`] from text.
pub struct AnalysedTokenStream<'a> {
    analysis: Analysis<'a>,
    /// The word whose tokens come next.
    word: usize,
    /// The stem of `word` was given; its exact form comes next.
    exact_next: bool,
    stem_of_every_word: bool,
    position: usize,
    token: Token,
}

impl AnalysedTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.exact_next {
            set_exact(&mut self.token, self.analysis.norm(self.word));
            self.exact_next = false;
            self.word += 1;
            return true;
        }
        while self.word < self.analysis.tokens.len() {
            let i = self.word;
            let token = &self.analysis.tokens[i];
            if i > 0 {
                self.position += if token.clause_break_before { 2 } else { 1 };
            }
            let (norm, stem) = (self.analysis.norm(i), self.analysis.stem(i));
            if !is_indexed(norm, stem) {
                self.word += 1;
                continue;
            }
            self.token.offset_from = token.start;
            self.token.offset_to = token.end;
            self.token.position = self.position;
            if stem != norm || self.stem_of_every_word {
                self.token.text.clear();
                self.token.text.push_str(stem);
                self.exact_next = true;
            } else {
                set_exact(&mut self.token, norm);
                self.word += 1;
            }
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                // the comma is a clause break: one position is left empty; a word that is its
                // own stem has one term
                ("=again", 3, "again"),
            ]
        );
    }

    #[test]
    fn the_registered_tokenizer_gives_the_indexed_tokens() {
        let analyzer = Arc::new(Analyzer::english());
        let text = "Yet another top-down imposition. It hasn't been thought through!";
        let expected = index_tokens(&analyzer.analyze(text));
        let mut tokenizer = VerbatimTokenizer::new(analyzer, TermLayout::ExactAndDifferingStem);
        let mut stream = tokenizer.token_stream(text);
        let mut streamed = Vec::new();
        while stream.advance() {
            streamed.push(stream.token().clone());
        }
        assert_eq!(streamed, expected);
    }

    fn streamed(text: &str) -> Vec<(String, usize)> {
        streamed_in(text, TermLayout::ExactAndDifferingStem)
    }

    fn streamed_in(text: &str, layout: TermLayout) -> Vec<(String, usize)> {
        let mut tokenizer = VerbatimTokenizer::new(Arc::new(Analyzer::english()), layout);
        let mut stream = tokenizer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push((stream.token().text.clone(), stream.token().position));
        }
        tokens
    }

    /// Index tokens as (text, position).
    type Positioned = Vec<(String, usize)>;

    /// The index tokens of `text`, and what the registered tokenizer reads back from its
    /// encoded words.
    fn indexed_and_read_back(analyzer: &Analyzer, text: &str) -> (Positioned, Positioned) {
        let analysis = analyzer.analyze(text);
        let expected = index_tokens(&analysis)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect();
        let mut encoded = String::new();
        encode_words(&analysis, &mut encoded);
        (expected, streamed(&encoded))
    }

    #[test]
    fn encoded_words_read_back_as_the_indexed_tokens() {
        let analyzer = Analyzer::english();
        let long = "x".repeat(MAX_WORD_BYTES + 1);
        for text in [
            "Yet another top-down imposition. It hasn't been thought through!",
            "Funding cuts, again; and AGAIN.",
            &format!("{long} first, then {long}. Last"),
            &format!("a, {long}; b"),
            "",
            "…",
            "Café naïve coöperation, Ελληνικά",
            // lengths around the one-byte limit, and the longest indexed word
            &format!(
                "{} {}s {} {}",
                "a".repeat(126),
                "b".repeat(126),
                "c".repeat(127),
                "d".repeat(MAX_WORD_BYTES)
            ),
        ] {
            let (expected, read_back) = indexed_and_read_back(&analyzer, text);
            assert_eq!(read_back, expected, "{text:?}");
            assert_eq!(streamed(text), expected, "{text:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// Any text, with clause breaks and words long enough to be skipped mixed in: what the
        /// indexing thread reads back byte by byte is what analysing the text gives.
        #[test]
        fn encoded_words_read_back_for_any_text(
            text in "(\\PC{0,12}|[,;.!?] |x{201}){0,12}"
        ) {
            let (expected, read_back) = indexed_and_read_back(&Analyzer::english(), &text);
            proptest::prop_assert_eq!(read_back, expected);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// A value that only starts like encoded words (a comment beginning with U+0002) ends
        /// the stream early; it never panics.
        #[test]
        fn values_not_written_by_the_encoder_do_not_panic(rest in "[\\x00-\\x10\\x7fa-zé€]{0,40}") {
            let value = format!("{PRE_ANALYSED}{rest}");
            let tokens = streamed(&value);
            proptest::prop_assert!(tokens.len() <= value.len());
        }
    }

    #[test]
    fn very_long_words_are_left_out() {
        let analyzer = Analyzer::english();
        let text = format!("short {} ends", "a".repeat(MAX_WORD_BYTES + 1));
        let analysis = analyzer.analyze(&text);
        let positions: Vec<usize> = index_words(&analysis).iter().map(|w| w.position).collect();
        assert_eq!(positions, vec![0, 2]);
        let texts: Vec<String> = index_tokens(&analysis)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(texts, vec!["=short", "end", "=ends"]);
    }

    #[test]
    fn an_index_of_the_older_layout_gets_the_stem_of_every_word() {
        let text = "Funding cuts, again";
        let expected: Positioned = [
            ("fund", 0),
            ("=funding", 0),
            ("cut", 1),
            ("=cuts", 1),
            ("again", 3),
            ("=again", 3),
        ]
        .into_iter()
        .map(|(t, p)| (t.to_string(), p))
        .collect();
        assert_eq!(streamed_in(text, TermLayout::StemAndExact), expected);
        let analysis = Analyzer::english().analyze(text);
        let mut encoded = String::new();
        encode_words(&analysis, &mut encoded);
        assert_eq!(streamed_in(&encoded, TermLayout::StemAndExact), expected);
    }

    #[test]
    fn a_stem_search_takes_the_exact_term_only_of_a_word_that_is_its_own_stem() {
        let analyzer = Analyzer::english();
        assert_eq!(stem_alternatives(&analyzer, "top"), vec!["top", "=top"]);
        assert_eq!(stem_alternatives(&analyzer, "fund"), vec!["fund", "=fund"]);
        // "agreed" stems to "agre", but the word "agre" would stem to "agr"
        assert_eq!(analyzer.analyze("agreed").stem(0), "agre");
        assert_eq!(stem_alternatives(&analyzer, "agre"), vec!["agre"]);
    }
}
