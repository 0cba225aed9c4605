//! Properties of the analyser that every later stage relies on, on arbitrary text.
use proptest::prelude::*;
use verbatim::text::{fold, Analysis, Analyzer};

/// Text mixing the awkward cases: accents, curly quotes, emoji, RTL, CJK, combining marks,
/// line breaks and punctuation.
fn survey_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "top",
        "down",
        "Café",
        "hasn’t",
        "don't",
        "NHS",
        "3.5bn",
        "1,000",
        "A&E",
        "👍",
        "🇬🇧",
        "مرحبا",
        "שלום",
        "漢字",
        "e\u{301}",
        "ﬁne",
        "Straße",
        " ",
        "  ",
        ". ",
        ".",
        "!",
        "?",
        ",",
        ";",
        "\n",
        "\n\n",
        "- ",
        "• ",
        "(",
        ")",
        "\"",
        "“",
        "”",
        "'",
        "’",
        "…",
        "...",
        "\u{200d}",
        "\u{feff}",
        "\t",
        "Dr.",
        "x",
        "1.",
        "a",
        "I",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn offsets_fall_on_char_boundaries_and_slice_back(text in survey_text()) {
        let analyzer = Analyzer::english();
        let analysis = analyzer.analyze(&text);
        let mut previous_end = 0;
        for (i, token) in analysis.tokens.iter().enumerate() {
            prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
            prop_assert!(token.start < token.end && token.start >= previous_end);
            let original = &text[token.start..token.end];
            prop_assert_eq!(analysis.original(i), original);
            prop_assert_eq!(analysis.norm(i), fold(original));
            // Forms are shared between tokens and with the text itself: each still reads as its own.
            prop_assert_eq!(analysis.stem(i), analyzer.stem_of(original));
            let differing = Some(analysis.stem(i)).filter(|stem| *stem != analysis.norm(i));
            prop_assert_eq!(analysis.differing_stem(i), differing);
            previous_end = token.end;
        }
    }

    #[test]
    fn sentences_cover_their_tokens_in_order(text in survey_text()) {
        let analysis = Analyzer::english().analyze(&text);
        let mut next_token = 0;
        for (s, sentence) in analysis.sentences.iter().enumerate() {
            prop_assert_eq!(sentence.first_token, next_token);
            prop_assert!(sentence.end_token > sentence.first_token);
            prop_assert!(text.is_char_boundary(sentence.start) && text.is_char_boundary(sentence.end));
            for t in sentence.tokens() {
                let token = &analysis.tokens[t];
                prop_assert_eq!(token.sentence as usize, s);
                prop_assert!(token.start >= sentence.start && token.end <= sentence.end);
            }
            next_token = sentence.end_token;
        }
        prop_assert_eq!(next_token, analysis.tokens.len());
    }

    #[test]
    fn exclamation_and_question_marks_stand_only_in_closing_punctuation(text in survey_text()) {
        // The sentiment scorer reads `!` and `?` from the closing punctuation alone.
        let analysis = Analyzer::english().analyze(&text);
        for s in 0..analysis.sentences.len() {
            let closing = analysis.closing_punctuation(s);
            prop_assert!(analysis.sentence_text(s).ends_with(closing));
            prop_assert_eq!(
                closing.matches(['!', '?']).count(),
                analysis.sentence_text(s).matches(['!', '?']).count()
            );
        }
    }

    #[test]
    fn analysing_into_a_reused_analysis_matches_a_fresh_one(
        texts in prop::collection::vec(survey_text(), 1..6)
    ) {
        let analyzer = Analyzer::english();
        let mut reused = Analysis::default();
        for text in &texts {
            analyzer.analyze_into(text, &mut reused);
            let fresh = analyzer.analyze(text);
            prop_assert_eq!(&reused.tokens, &fresh.tokens);
            prop_assert_eq!(&reused.sentences, &fresh.sentences);
            prop_assert!(reused.word_ids().eq(fresh.word_ids()));
            for i in 0..fresh.tokens.len() {
                prop_assert_eq!(reused.norm(i), fresh.norm(i));
                prop_assert_eq!(reused.stem(i), fresh.stem(i));
            }
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        let analysis = Analyzer::english().analyze(&text);
        for token in &analysis.tokens {
            prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
        }
    }

    #[test]
    fn folding_is_idempotent(text in survey_text()) {
        let folded = fold(&text);
        prop_assert_eq!(fold(&folded), folded.clone());
    }
}
