//! The one text analyser, used by the codebook, sentiment and the index alike: normalise,
//! tokenise with byte offsets into the original text, stem, and split sentences.
//!
//! ```
//! use verbatim::text::Analyzer;
//! let analyzer = Analyzer::english();
//! let analysis = analyzer.analyze("Top-down, again.We weren’t asked!");
//! assert_eq!(analysis.sentences.len(), 2);
//! assert_eq!(analysis.norm(4), "weren't");
//! assert_eq!(analysis.original(4), "weren’t");
//! ```
mod negation;
mod normalize;
mod sentence;
mod stem;
mod token;
mod tokenize;
mod word_keys;
mod words;

use std::sync::OnceLock;

pub use negation::{
    is_answer_no, is_contrast, is_negator, is_pseudo_negation, may_cancel_negation,
};
pub use normalize::{fold, fold_into};
pub use stem::{CachedStemmer, LANGUAGES};
pub use token::{Sentence, Token, TokenKind};
pub use tokenize::{is_token_char, token_spans};

use words::Entry;

/// An analyser for one stemming language.
pub struct Analyzer {
    stemmer: CachedStemmer,
}

/// The analysis of one text. Borrows the text so that every offset slices back into it. The
/// default is the analysis of no text, to analyse into with [`Analyzer::analyze_into`].
#[derive(Debug, Clone, Default)]
pub struct Analysis<'t> {
    pub text: &'t str,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    /// The folded forms that differ from the token as written, and the stems that differ from
    /// the folded form, each gathered the first time one is asked for: the codebook and the
    /// sentiment scorer memoise by word id and ask only for a word they have not met, so most
    /// analyses never gather them.
    norms: OnceLock<Forms>,
    stems: OnceLock<Forms>,
    /// Per token: its id in the analysing thread's word table, see [`Analysis::word`], and the
    /// facts of its word every token needs.
    words: Vec<Entry>,
    word_space: u64,
    /// The stemming language of the analyser, as an index into [`LANGUAGES`].
    language: usize,
}

impl Analyzer {
    /// An analyser for a stemming language named as in [`LANGUAGES`].
    pub fn new(language: &str) -> Option<Analyzer> {
        CachedStemmer::for_language(language).map(|stemmer| Analyzer { stemmer })
    }

    pub fn english() -> Analyzer {
        Analyzer::new("english").expect("english is a stemming language")
    }

    pub fn language(&self) -> &'static str {
        self.stemmer.language()
    }

    /// The folded form and stem of one word as a rule author writes it.
    pub fn stem_of(&self, word: &str) -> String {
        self.stemmer.stem(&fold(word))
    }

    pub fn analyze<'t>(&self, text: &'t str) -> Analysis<'t> {
        let mut buffers = words::spare_buffers();
        let words::Buffers {
            tokens,
            sentences,
            words,
        } = &mut buffers;
        let word_space = self.analyze_buffers(text, tokens, sentences, words);
        // Built where it is returned: moving a finished analysis cost a copy of it a text.
        Analysis {
            text,
            tokens: buffers.tokens,
            sentences: buffers.sentences,
            norms: OnceLock::new(),
            stems: OnceLock::new(),
            words: buffers.words,
            word_space,
            language: self.stemmer.language_index(),
        }
    }

    /// Analyses `text` into `analysis`, in place of the text it held, reusing its buffers: a
    /// caller that analyses text after text (`code`, `sentiment`) saves taking buffers from the
    /// thread's spares and handing them back for each one (about 140 instructions a text, 3% of
    /// analysing and scoring a typical comment).
    ///
    /// ```
    /// use verbatim::text::{Analysis, Analyzer};
    /// let analyzer = Analyzer::english();
    /// let texts = ["Not listened to.", "Good. Very good!"];
    /// let mut analysis = Analysis::default();
    /// for text in texts {
    ///     analyzer.analyze_into(text, &mut analysis);
    ///     assert_eq!(analysis.tokens, analyzer.analyze(text).tokens);
    /// }
    /// assert_eq!(analysis.sentences.len(), 2);
    /// ```
    pub fn analyze_into<'t>(&self, text: &'t str, analysis: &mut Analysis<'t>) {
        analysis.clear();
        analysis.text = text;
        analysis.language = self.stemmer.language_index();
        let Analysis {
            tokens,
            sentences,
            words,
            ..
        } = analysis;
        analysis.word_space = self.analyze_buffers(text, tokens, sentences, words);
    }

    /// Fills the empty buffers with the tokens, sentences and word entries of `text`; the space
    /// of the word ids.
    fn analyze_buffers(
        &self,
        text: &str,
        tokens: &mut Vec<Token>,
        sentences: &mut Vec<Sentence>,
        words: &mut Vec<Entry>,
    ) -> u64 {
        tokens.reserve(text.len() / 5);
        words.reserve(text.len() / 5);
        words::with_table(self.stemmer.language_index(), |table| {
            self.analyze_tokens(text, tokens, sentences, words, table);
            table.space
        })
    }

    fn analyze_tokens(
        &self,
        text: &str,
        tokens: &mut Vec<Token>,
        sentences: &mut Vec<Sentence>,
        words: &mut Vec<Entry>,
        table: &mut words::WordTable,
    ) {
        let mut sentence_start_token = 0;
        // The end and entry of the previous token, kept at hand: read back from `tokens`,
        // which every push writes, they cost a reload a token.
        let mut previous: Option<(usize, Entry)> = None;
        for span in token_spans(text) {
            let entry = table.entry(text, span.clone(), &self.stemmer);

            let mut sentence_break = false;
            let mut clause_break = false;
            // Most gaps are one space, which ends nothing (`sentence::classify` agrees).
            let one_space = |end: usize| span.start == end + 1 && text.as_bytes()[end] == b' ';
            if let Some((previous_end, previous_entry)) =
                previous.filter(|&(end, _)| !one_space(end))
            {
                let gap = &text[previous_end..span.start];
                let before = sentence::Before {
                    abbreviation: previous_entry.abbreviation(),
                    is_number: previous_entry.kind() == TokenKind::Number,
                    starts_sentence: tokens.len() - 1 == sentence_start_token,
                };
                let next_first = text[span.start..].chars().next().unwrap_or(' ');
                let classified = sentence::classify(gap, &before, next_first);
                sentence_break = classified.sentence_break;
                clause_break = classified.clause_break;
            }
            if sentence_break {
                let end_token = tokens.len();
                close_sentence(text, tokens, sentences, sentence_start_token, end_token);
                sentence_start_token = end_token;
            }
            tokens.push(Token {
                start: span.start,
                end: span.end,
                sentence: sentences.len() as u32,
                kind: entry.kind(),
                clause_break_before: clause_break,
                all_caps: entry.all_caps(),
            });
            words.push(entry);
            previous = Some((span.end, entry));
        }
        let end_token = tokens.len();
        if end_token > sentence_start_token {
            close_sentence(text, tokens, sentences, sentence_start_token, end_token);
        }
    }
}

/// Adds the sentence of tokens `first_token..end_token`, with the closing punctuation after
/// its last token.
fn close_sentence(
    text: &str,
    tokens: &[Token],
    sentences: &mut Vec<Sentence>,
    first_token: usize,
    end_token: usize,
) {
    let last = &tokens[end_token - 1];
    let rest = match tokens.get(end_token) {
        Some(next) => &text[last.end..next.start],
        None => &text[last.end..],
    };
    sentences.push(Sentence {
        start: tokens[first_token].start,
        end: last.end + sentence::closing_len(rest),
        first_token,
        end_token,
    });
}

/// A form of every token (folded form or stem) where it differs from another form the analysis
/// has at hand (the token as written, the folded form): per token, a range of `text`, or
/// [`NOT_DIFFERENT`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Forms {
    text: String,
    ranges: Vec<std::ops::Range<u32>>,
}

const NOT_DIFFERENT: std::ops::Range<u32> = u32::MAX..u32::MAX;

impl Forms {
    fn clear(&mut self) {
        self.text.clear();
        self.ranges.clear();
    }

    fn push(&mut self, form: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(form);
        self.ranges.push(start..self.text.len() as u32);
    }

    fn of(&self, i: usize) -> &str {
        let range = &self.ranges[i];
        &self.text[range.start as usize..range.end as usize]
    }
}

/// Two or more letters and none of them lower case: "NEVER", "NHS".
fn is_all_caps(original: &str) -> bool {
    let mut letters = 0;
    for c in original.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2
}

/// An analysis hands its buffers back to its thread for the next one: allocating and freeing
/// five buffers a comment cost as much as analysing a short comment.
impl Drop for Analysis<'_> {
    fn drop(&mut self) {
        words::keep_buffers(words::Buffers {
            tokens: std::mem::take(&mut self.tokens),
            sentences: std::mem::take(&mut self.sentences),
            words: std::mem::take(&mut self.words),
        });
        if let Some(norms) = self.norms.take() {
            words::keep_forms(norms);
        }
        if let Some(stems) = self.stems.take() {
            words::keep_forms(stems);
        }
    }
}

impl<'t> Analysis<'t> {
    /// Empties the analysis for the next text; the forms gathered for this one go back to the
    /// thread's spares.
    fn clear(&mut self) {
        self.tokens.clear();
        self.sentences.clear();
        self.words.clear();
        if let Some(norms) = self.norms.take() {
            words::keep_forms(norms);
        }
        if let Some(stems) = self.stems.take() {
            words::keep_forms(stems);
        }
    }

    /// An id of token `i`'s text as written, the same for every occurrence of that text in the
    /// analyses of one [`Analysis::word_space`]; what analysis derives from a token (and
    /// what a codebook or lexicon makes of it) depends only on it, so it can key a memo.
    pub fn word(&self, i: usize) -> u32 {
        self.words[i].id
    }

    /// [`Analysis::word`] of every token, in order.
    pub fn word_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().map(|word| word.id)
    }

    /// Names the set of ids [`Analysis::word`] gives: two analyses with the same space share
    /// ids; a memo of ids from another space must not be used.
    pub fn word_space(&self) -> u64 {
        self.word_space
    }

    /// The folded form of token `i`.
    #[inline]
    pub fn norm(&self, i: usize) -> &str {
        if self.words[i].norm_is_original() {
            &self.text[self.tokens[i].span()]
        } else {
            self.norms().of(i)
        }
    }

    /// The stem of token `i`.
    #[inline]
    pub fn stem(&self, i: usize) -> &str {
        self.differing_stem(i).unwrap_or_else(|| self.norm(i))
    }

    /// The stem of token `i` where it differs from its folded form (the word table keeps no
    /// stem equal to the folded form, so this needs no comparison).
    #[inline]
    pub fn differing_stem(&self, i: usize) -> Option<&str> {
        if !self.words[i].has_stem() {
            return None;
        }
        Some(self.stems().of(i))
    }

    /// The folded forms of every token that folding changes, gathered on first use as
    /// [`Analysis::stems`] are.
    fn norms(&self) -> &Forms {
        self.norms.get_or_init(|| {
            let mut norms = words::spare_forms();
            let gathered = words::with_table_of_space(self.language, self.word_space, |table| {
                for entry in &self.words {
                    if entry.norm_is_original() {
                        norms.ranges.push(NOT_DIFFERENT);
                    } else {
                        norms.push(&table.words[entry.id as usize].norm);
                    }
                }
            });
            if gathered.is_none() {
                for (i, entry) in self.words.iter().enumerate() {
                    if entry.norm_is_original() {
                        norms.ranges.push(NOT_DIFFERENT);
                    } else {
                        let start = norms.text.len() as u32;
                        fold_into(self.original(i), &mut norms.text);
                        norms.ranges.push(start..norms.text.len() as u32);
                    }
                }
            }
            norms
        })
    }

    /// The stems of every token, gathered on first use: from the word table that gave the
    /// ids while this thread still holds it, else (another thread, or a table started afresh)
    /// by stemming again, which gives the same stems.
    fn stems(&self) -> &Forms {
        self.stems.get_or_init(|| {
            let mut stems = words::spare_forms();
            let gathered = words::with_table_of_space(self.language, self.word_space, |table| {
                for entry in &self.words {
                    match table.words[entry.id as usize].stem.as_deref() {
                        Some(stem) if entry.has_stem() => stems.push(stem),
                        _ => stems.ranges.push(NOT_DIFFERENT),
                    }
                }
            });
            if gathered.is_none() {
                let stemmer = CachedStemmer::of_index(self.language);
                for (i, entry) in self.words.iter().enumerate() {
                    if entry.has_stem() {
                        let start = stems.text.len() as u32;
                        stemmer.stem_into(self.norm(i), &mut stems.text);
                        stems.ranges.push(start..stems.text.len() as u32);
                    } else {
                        stems.ranges.push(NOT_DIFFERENT);
                    }
                }
            }
            stems
        })
    }

    /// Token `i` as the respondent wrote it.
    pub fn original(&self, i: usize) -> &'t str {
        &self.text[self.tokens[i].span()]
    }

    /// The text of sentence `s`, closing punctuation included.
    pub fn sentence_text(&self, s: usize) -> &'t str {
        let sentence = &self.sentences[s];
        &self.text[sentence.start..sentence.end]
    }

    /// The closing punctuation of sentence `s`: what its text holds after its last token. A `!`
    /// or `?` between two tokens ends a sentence, and no token holds one, so this is the only
    /// place in a sentence's text where either can stand.
    pub fn closing_punctuation(&self, s: usize) -> &'t str {
        let sentence = &self.sentences[s];
        let last = &self.tokens[sentence.end_token - 1];
        &self.text[last.end..sentence.end]
    }

    /// Token `i` is a negator word ([`is_negator`]), whether or not it negates here.
    #[inline]
    pub fn is_negator_at(&self, i: usize) -> bool {
        self.words[i].negator()
    }

    /// The negator that puts token `i` in its scope: one of the `window` tokens before it, in
    /// the same clause, with no contrast word between. "not only" is not a negator.
    pub fn negator_before(&self, i: usize, window: usize) -> Option<usize> {
        let mut j = i;
        while j > 0 && i - j < window {
            if self.tokens[j].clause_break_before {
                return None;
            }
            j -= 1;
            if self.words[j].contrast() {
                return None;
            }
            if self.words[j].negator() {
                if !self.words[j + 1].may_cancel_negation() {
                    return Some(j);
                }
                let word = self.norm(j);
                let next = self.norm(j + 1);
                let first_of_sentence = self
                    .sentences
                    .get(self.tokens[j].sentence as usize)
                    .map(|s| s.first_token);
                let answer = first_of_sentence == Some(j) && is_answer_no(word, next);
                if !is_pseudo_negation(word, next) && !answer {
                    return Some(j);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<String> {
        let analyzer = Analyzer::english();
        let analysis = analyzer.analyze(text);
        (0..analysis.sentences.len())
            .map(|s| analysis.sentence_text(s).to_string())
            .collect()
    }

    #[test]
    fn offsets_slice_back_to_the_original() {
        let text = "Yet another top down imposition that hasn’t been thought through";
        let analysis = Analyzer::english().analyze(text);
        assert_eq!(analysis.tokens.len(), 10);
        assert_eq!(analysis.original(6), "hasn’t");
        assert_eq!(analysis.norm(6), "hasn't");
        assert_eq!(analysis.tokens[6].span(), 37..45);
    }

    #[test]
    fn stems_are_computed_per_word() {
        let analysis = Analyzer::english().analyze("Councillors engaged");
        assert_eq!(analysis.stem(0), "councillor");
        assert_eq!(analysis.stem(1), "engag");
    }

    #[test]
    fn forms_asked_on_another_thread_are_the_same() {
        let text = "Councillors WEREN’T engaged; the STP's plans were imposed";
        let analyzer = Analyzer::english();
        let forms = |analysis: &Analysis| -> Vec<(String, String)> {
            (0..analysis.tokens.len())
                .map(|i| (analysis.norm(i).to_string(), analysis.stem(i).to_string()))
                .collect()
        };
        let sent_away = analyzer.analyze(text);
        let from_elsewhere =
            std::thread::scope(|scope| scope.spawn(|| forms(&sent_away)).join().unwrap());
        let from_here = forms(&analyzer.analyze(text));
        assert_eq!(from_elsewhere, from_here);
        let pair = |norm: &str, stem: &str| (norm.to_string(), stem.to_string());
        assert_eq!(from_here[0], pair("councillors", "councillor"));
        assert_eq!(from_here[1], pair("weren't", "weren't"));
        assert_eq!(from_here[2], pair("engaged", "engag"));
        assert_eq!(from_here[4], pair("stp's", "stp"));
        assert_eq!(from_here[7], pair("imposed", "impos"));
    }

    #[test]
    fn analysing_into_a_used_analysis_forgets_the_text_before() {
        let analyzer = Analyzer::english();
        let mut analysis = Analysis::default();
        analyzer.analyze_into("Councillors WEREN’T engaged. At all!", &mut analysis);
        assert_eq!(analysis.norm(1), "weren't");
        assert_eq!(analysis.stem(0), "councillor");
        analyzer.analyze_into("Staff listened", &mut analysis);
        let fresh = analyzer.analyze("Staff listened");
        assert_eq!(analysis.tokens, fresh.tokens);
        assert_eq!(analysis.sentences, fresh.sentences);
        assert_eq!(
            analysis.word_ids().collect::<Vec<_>>(),
            fresh.word_ids().collect::<Vec<_>>()
        );
        assert_eq!((analysis.norm(0), analysis.stem(1)), ("staff", "listen"));
        assert_eq!(analysis.sentence_text(0), "Staff listened");
    }

    #[test]
    fn splits_real_survey_sentences() {
        assert_eq!(
            sentences("Put on hold.We had no say. See local.gov.uk for Dr. Patel's view"),
            [
                "Put on hold.",
                "We had no say.",
                "See local.gov.uk for Dr. Patel's view"
            ]
        );
        assert_eq!(
            sentences("Problems:\n- no funding\n- no staff\nOverall poor"),
            ["Problems:", "no funding", "no staff", "Overall poor"]
        );
        assert_eq!(
            sentences("Why weren't we asked?! (Nobody knows.)"),
            ["Why weren't we asked?!", "Nobody knows.)"]
        );
        assert_eq!(
            sentences("the plan was\nwritten without us"),
            ["the plan was\nwritten without us"]
        );
        assert_eq!(
            sentences("1. First point\n2. Second point"),
            ["1. First point", "2. Second point"]
        );
    }

    #[test]
    fn exclamation_and_question_marks_stand_only_in_closing_punctuation() {
        let texts = [
            "Why?!Really",
            "a ! b ? c",
            "wow!!! great?? ok",
            "“Great!” he said",
            "(Really?) yes - no?!. Fine",
            "Good service! Staff: kind?\nYes",
            "A&E?? 3.5! don't!",
        ];
        let analyzer = Analyzer::english();
        for text in texts {
            let analysis = analyzer.analyze(text);
            let mut marks_closing = 0;
            for s in 0..analysis.sentences.len() {
                let closing = analysis.closing_punctuation(s);
                assert!(analysis.sentence_text(s).ends_with(closing), "{text:?}");
                marks_closing += closing.matches(['!', '?']).count();
            }
            let marks_in_sentences: usize = (0..analysis.sentences.len())
                .map(|s| analysis.sentence_text(s).matches(['!', '?']).count())
                .sum();
            assert_eq!(marks_closing, marks_in_sentences, "{text:?}");
        }
        let analysis = analyzer.analyze("wow!!! great?? ok");
        assert_eq!(analysis.closing_punctuation(0), "!!!");
        assert_eq!(analysis.closing_punctuation(1), "??");
        assert_eq!(analysis.closing_punctuation(2), "");
    }

    #[test]
    fn empty_and_punctuation_only_text_has_no_tokens() {
        let analysis = Analyzer::english().analyze("  ...!! ");
        assert!(analysis.tokens.is_empty() && analysis.sentences.is_empty());
    }

    #[test]
    fn a_token_text_has_one_word_id_per_space() {
        let analyzer = Analyzer::english();
        let a = analyzer.analyze("Staff staff STAFF");
        let b = analyzer.analyze("the staff");
        assert_eq!(a.word_space(), b.word_space());
        assert_eq!(a.word(1), b.word(1));
        assert_ne!(a.word(0), a.word(1)); // as written: "Staff" is folded to the same norm
        assert_eq!(a.norm(0), a.norm(1));
        assert!(a.tokens[2].all_caps && !a.tokens[0].all_caps);
    }

    #[test]
    fn all_caps_marks_emphasis() {
        let analysis = Analyzer::english().analyze("NEVER asked, I said");
        assert!(analysis.tokens[0].all_caps);
        assert!(!analysis.tokens[1].all_caps);
        assert!(!analysis.tokens[2].all_caps); // a single letter is not emphasis
    }

    #[test]
    fn negation_scope_stops_at_clause_breaks_and_contrasts() {
        let analyzer = Analyzer::english();
        let a = analyzer.analyze("we were not excluded");
        assert_eq!(a.negator_before(3, 3), Some(2));
        let a = analyzer.analyze("not at all, excluded");
        assert_eq!(a.negator_before(3, 3), None);
        let a = analyzer.analyze("no money but excluded");
        assert_eq!(a.negator_before(3, 3), None);
        let a = analyzer.analyze("not only excluded");
        assert_eq!(a.negator_before(2, 3), None);
        let a = analyzer.analyze("No everything was great");
        assert_eq!(a.negator_before(3, 3), None); // an answer, not a negation
        let a = analyzer.analyze("never once were we really excluded");
        assert_eq!(a.negator_before(5, 3), None); // beyond the window
    }
}
