//! Sentiment of survey comments: a rule-based valence scorer in the family of VADER, per
//! sentence, per comment and per theme, built on the project's one analyser.
mod lexicon;
mod rules;
mod score;

use std::path::Path;
use std::sync::LazyLock;

use anyhow::Result;

pub use lexicon::Lexicon;
pub use score::{normalize, Contribution, SentenceScore, Sentiment};

use crate::codebook::{Codebook, Coding};
use crate::text::Analysis;

static BUNDLED: LazyLock<Lexicon> = LazyLock::new(Lexicon::bundled);

/// Scores analysed texts with a lexicon.
pub struct SentimentScorer {
    lexicon: Option<Lexicon>,
}

impl SentimentScorer {
    /// VADER's lexicon with the bundled survey overlay (lexicons/sentiment/survey.toml).
    pub fn bundled() -> SentimentScorer {
        SentimentScorer { lexicon: None }
    }

    /// The bundled lexicon plus a researcher's overlay file, whose entries win.
    pub fn with_overlay(path: &Path) -> Result<SentimentScorer> {
        let mut lexicon = Lexicon::bundled();
        lexicon.add_overlay_file(path)?;
        Ok(SentimentScorer {
            lexicon: Some(lexicon),
        })
    }

    /// VADER's lexicon and rules without the survey overlay: the baseline it is measured against.
    pub fn vader_lexicon_only() -> SentimentScorer {
        SentimentScorer {
            lexicon: Some(Lexicon::vader()),
        }
    }

    fn lexicon(&self) -> &Lexicon {
        self.lexicon.as_ref().unwrap_or(&BUNDLED)
    }

    pub fn score(&self, analysis: &Analysis<'_>) -> Sentiment {
        let mut sentiment = Sentiment::default();
        self.score_into(analysis, &mut sentiment);
        sentiment
    }

    /// [`SentimentScorer::score`] into `sentiment`, reusing its buffer of sentence scores: the
    /// way to score comment after comment.
    pub fn score_into(&self, analysis: &Analysis<'_>, sentiment: &mut Sentiment) {
        score::score(self.lexicon(), analysis, None, sentiment);
    }

    /// The score with every word that moved it and the rules that applied.
    pub fn explain(&self, analysis: &Analysis<'_>) -> (Sentiment, Vec<Contribution>) {
        let mut trace = Vec::new();
        let mut sentiment = Sentiment::default();
        score::score(self.lexicon(), analysis, Some(&mut trace), &mut sentiment);
        (sentiment, trace)
    }
}

/// Per theme, in codebook order: the mean compound of the sentences that carry the evidence of
/// the theme or of its descendants; `None` where the theme is not coded.
pub fn theme_sentiment(
    codebook: &Codebook,
    analysis: &Analysis<'_>,
    coding: &Coding,
    sentiment: &Sentiment,
) -> Vec<Option<f32>> {
    ThemeSentiments::default()
        .compute(codebook, analysis, coding, sentiment)
        .to_vec()
}

/// [`theme_sentiment`] of comment after comment, into buffers reused from one to the next.
#[derive(Default)]
pub struct ThemeSentiments {
    means: Vec<ThemeMean>,
    values: Vec<Option<f32>>,
}

impl ThemeSentiments {
    pub fn compute(
        &mut self,
        codebook: &Codebook,
        analysis: &Analysis<'_>,
        coding: &Coding,
        sentiment: &Sentiment,
    ) -> &[Option<f32>] {
        // One walk over the evidence: each hit counts for its theme and every ancestor, in
        // text order, so each theme's sum adds the same values in the same order as a walk per
        // theme.
        let themes = &mut self.means;
        themes.clear();
        themes.resize(codebook.themes.len(), ThemeMean::default());
        for hit in coding.evidence() {
            let Some(token) = analysis.tokens.get(hit.first_token) else {
                continue;
            };
            let mut theme = Some(hit.theme);
            while let Some(t) = theme {
                let mean = &mut themes[t];
                // Evidence comes in text order, so a repeated sentence is always the last one.
                if mean.last_sentence != Some(token.sentence) {
                    mean.last_sentence = Some(token.sentence);
                    mean.sum += sentiment.sentences[token.sentence as usize].compound;
                    mean.count += 1;
                }
                theme = codebook.themes[t].parent;
            }
        }
        self.values.clear();
        self.values.extend(
            themes.iter().zip(&coding.coded).map(|(mean, &coded)| {
                (coded && mean.count > 0).then(|| mean.sum / mean.count as f32)
            }),
        );
        &self.values
    }

    /// No sentiment for any of `themes` themes.
    pub fn none(&mut self, themes: usize) -> &[Option<f32>] {
        self.values.clear();
        self.values.resize(themes, None);
        &self.values
    }
}

/// The sentences counted so far for one theme.
#[derive(Clone, Copy)]
struct ThemeMean {
    sum: f32,
    count: usize,
    last_sentence: Option<u32>,
}

impl Default for ThemeMean {
    fn default() -> ThemeMean {
        // -0.0, as `Iterator::sum` starts: a sum of negative zeros stays negative.
        ThemeMean {
            sum: -0.0,
            count: 0,
            last_sentence: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Analyzer;

    fn compound(text: &str) -> f32 {
        SentimentScorer::bundled()
            .score(&Analyzer::english().analyze(text))
            .compound
    }

    #[test]
    fn plain_negation_intensifiers_and_contrast() {
        assert!(compound("The staff were good") > 0.3);
        assert!(compound("The staff were not good") < 0.0);
        assert!(compound("The staff were very good") > compound("The staff were good"));
        assert!(compound("The staff were good!!!") > compound("The staff were good"));
        assert!(compound("The food was good but the staff were rude") < 0.0);
        assert!(compound("Although the food was bad, the staff were lovely") > 0.0);
    }

    #[test]
    fn vader_failures_on_survey_answers_are_fixed() {
        assert!(compound("no complaints") > 0.0);
        assert!(compound("Nothing.") >= 0.0);
        assert!(compound("not the worst") <= 0.0);
    }

    #[test]
    fn repeated_words_weigh_by_position_in_the_contrast_rule() {
        // Each word is weighed by its own position; VADER finds a value's first occurrence
        // (list.index), which misweighs a repeated value.
        let scorer = SentimentScorer::bundled();
        let analysis = Analyzer::english().analyze("good but good");
        let (_, trace) = scorer.explain(&analysis);
        assert_eq!(trace.len(), 2);
        assert!((trace[0].valence - 1.9 * 0.5).abs() < 1e-5, "{trace:?}");
        assert!((trace[1].valence - 1.9 * 1.5).abs() < 1e-5, "{trace:?}");
    }
}
