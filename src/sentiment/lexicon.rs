//! The valence lexicon: VADER's human-rated words, the survey overlay that a researcher edits,
//! multi-word phrases, and whole answers that mean "nothing to add".
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{bail, Context, Result};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use super::rules::{
    BOOSTERS, BOOSTER_PHRASES, CONCESSIONS, CONTRASTS_AFTER, IDIOMS, NEGATIVE_SUPERLATIVES,
};
use crate::text::{fold, token_spans};

const VADER_LEXICON: &str = include_str!("../../lexicons/sentiment/vader_lexicon.txt");
const SURVEY_OVERLAY: &str = include_str!("../../lexicons/sentiment/survey.toml");

/// A phrase with its own valence, in folded words.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub words: Vec<String>,
    /// The words as [`Lexicon::word_numbers`] numbers them: the scorer matches these.
    pub(super) word_numbers: Vec<u32>,
    pub valence: f32,
    pub text: String,
}

pub struct Lexicon {
    /// Names this lexicon's contents in the per-thread word memo of the scorer; renewed by
    /// every change.
    pub(super) id: u64,
    pub(super) words: FxHashMap<Box<str>, f32>,
    pub(super) boosters: FxHashMap<Box<str>, f32>,
    /// Every word of a phrase or a whole answer, numbered from 1: a number a token's memo
    /// keeps compares where a folded form would be compared as a string.
    pub(super) word_numbers: FxHashMap<Box<str>, u32>,
    /// Phrases by the number of their first word, longest first.
    pub(super) phrases: Vec<Vec<Phrase>>,
    /// The second words of the phrases: a phrase is only looked up where one follows.
    pub(super) second_words: FxHashSet<Box<str>>,
    /// Whole answers ("nothing", "n a") by the numbers of their folded words.
    pub(super) answers: FxHashMap<Box<[u32]>, f32>,
    /// The first words of the whole answers: a short comment that starts otherwise is none.
    pub(super) answer_starts: FxHashSet<Box<str>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Overlay {
    #[serde(default)]
    words: std::collections::BTreeMap<String, f32>,
    #[serde(default)]
    phrases: std::collections::BTreeMap<String, f32>,
    #[serde(default)]
    neutral_answers: std::collections::BTreeMap<String, f32>,
}

/// The folded words of a phrase as the analyser would see them.
pub fn words_of(text: &str) -> Vec<String> {
    token_spans(text).map(|span| fold(&text[span])).collect()
}

impl Lexicon {
    /// VADER's lexicon with the bundled survey overlay.
    pub fn bundled() -> Lexicon {
        let mut lexicon = Lexicon::vader();
        lexicon
            .add_overlay(SURVEY_OVERLAY, "lexicons/sentiment/survey.toml")
            .expect("the bundled overlay is valid (tests hold it)");
        lexicon
    }

    /// VADER's lexicon, boosters and idioms alone.
    pub fn vader() -> Lexicon {
        // Sized once for the 7,500 entries rather than grown (and rehashed) a dozen times.
        let entries = memchr::memchr_iter(b'\n', VADER_LEXICON.as_bytes()).count() + 1;
        let mut words = FxHashMap::with_capacity_and_hasher(entries, Default::default());
        for line in VADER_LEXICON.lines() {
            let mut fields = line.split('\t');
            if let (Some(token), Some(valence)) = (fields.next(), fields.next()) {
                if let Ok(valence) = valence.trim().parse::<f32>() {
                    words.insert(fold(token).into_boxed_str(), valence);
                }
            }
        }
        let boosters = BOOSTERS.iter().map(|&(w, b)| (w.into(), b)).collect();
        let mut lexicon = Lexicon {
            id: next_id(),
            words,
            boosters,
            word_numbers: FxHashMap::default(),
            // Number 0 is no phrase word.
            phrases: vec![Vec::new()],
            second_words: FxHashSet::default(),
            answers: FxHashMap::default(),
            answer_starts: FxHashSet::default(),
        };
        for &(text, valence) in IDIOMS {
            lexicon.add_phrase(text, valence);
        }
        lexicon
    }

    /// Adds an overlay file's entries; they override what is there.
    pub fn add_overlay_file(&mut self, path: &Path) -> Result<()> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        self.add_overlay(&text, &path.display().to_string())
    }

    fn add_overlay(&mut self, text: &str, name: &str) -> Result<()> {
        self.id = next_id();
        let overlay: Overlay = toml::from_str(text).map_err(|err| {
            let line = err
                .span()
                .map_or(0, |s| text[..s.start].matches('\n').count() + 1);
            anyhow::anyhow!("{name}:{line}: {}", err.message())
        })?;
        for (word, valence) in overlay.words {
            check_valence(name, &word, valence)?;
            let words = words_of(&word);
            if words.len() != 1 {
                bail!("{name}: [words] entry {word:?} is not one word: put it under [phrases]");
            }
            self.words
                .insert(words[0].clone().into_boxed_str(), valence);
        }
        for (phrase, valence) in overlay.phrases {
            check_valence(name, &phrase, valence)?;
            self.add_phrase(&phrase, valence);
        }
        for (answer, valence) in overlay.neutral_answers {
            check_valence(name, &answer, valence)?;
            let words = words_of(&answer);
            if let Some(first) = words.first() {
                self.answer_starts.insert(first.as_str().into());
            }
            let numbers: Vec<u32> = words.iter().map(|w| self.word_number(w)).collect();
            self.answers.insert(numbers.into(), valence);
        }
        Ok(())
    }

    /// What the scorer needs to know of one folded word, in one go.
    pub(super) fn facts(&self, word: &str) -> WordFacts {
        let word_number = self.word_numbers.get(word).copied().unwrap_or(0);
        let phrases = &self.phrases[word_number as usize];
        let valence = self.valence(word);
        let booster = self.booster(word);
        let flag = |on: bool, flag: u16| if on { flag } else { 0 };
        let flags = flag(valence.is_some(), facts::VALENCE)
            | flag(booster.is_some(), facts::BOOSTER)
            | flag(!phrases.is_empty(), facts::STARTS_PHRASE)
            | flag(
                phrases.iter().any(|p| p.words.len() == 1),
                facts::ONE_WORD_PHRASE,
            )
            | flag(self.second_words.contains(word), facts::SECOND_OF_PHRASE)
            | flag(CONTRASTS_AFTER.contains(&word), facts::CONTRAST_AFTER)
            | flag(CONCESSIONS.contains(&word), facts::CONCESSION)
            | flag(
                BOOSTER_PHRASES
                    .iter()
                    .any(|(phrase, _)| phrase.rsplit(' ').next() == Some(word)),
                facts::ENDS_BOOSTER_PHRASE,
            )
            | flag(
                BOOSTER_PHRASES
                    .iter()
                    .any(|(phrase, _)| phrase.split(' ').next() == Some(word)),
                facts::STARTS_BOOSTER_PHRASE,
            )
            | flag(word == "no", facts::NO)
            | flag(word == "never", facts::NEVER)
            | flag(word == "least", facts::LEAST)
            | flag(matches!(word, "at" | "very"), facts::AT_OR_VERY)
            | flag(matches!(word, "so" | "this"), facts::SO_OR_THIS)
            | flag(
                NEGATIVE_SUPERLATIVES.contains(&word),
                facts::NEGATIVE_SUPERLATIVE,
            )
            | flag(self.answer_starts.contains(word), facts::ANSWER_START);
        WordFacts {
            valence: valence.unwrap_or(0.0),
            booster: booster.unwrap_or(0.0),
            word_number,
            flags,
        }
    }

    fn add_phrase(&mut self, text: &str, valence: f32) {
        self.id = next_id();
        let words = words_of(text);
        if words.is_empty() {
            return;
        }
        if let Some(second) = words.get(1) {
            self.second_words.insert(second.clone().into_boxed_str());
        }
        let word_numbers: Vec<u32> = words.iter().map(|w| self.word_number(w)).collect();
        let entry = &mut self.phrases[word_numbers[0] as usize];
        entry.retain(|p| p.words != words);
        entry.push(Phrase {
            words,
            word_numbers,
            valence,
            text: text.to_string(),
        });
        entry.sort_by(|a, b| {
            b.words
                .len()
                .cmp(&a.words.len())
                .then_with(|| a.text.cmp(&b.text))
        });
    }

    /// The number of a word of a phrase or whole answer, given it here if it has none yet.
    fn word_number(&mut self, word: &str) -> u32 {
        if let Some(&number) = self.word_numbers.get(word) {
            return number;
        }
        let number = self.phrases.len() as u32;
        self.phrases.push(Vec::new());
        self.word_numbers.insert(word.into(), number);
        number
    }

    pub fn valence(&self, word: &str) -> Option<f32> {
        self.words.get(word).copied()
    }

    pub fn booster(&self, word: &str) -> Option<f32> {
        self.boosters.get(word).copied()
    }

    pub fn booster_phrases(&self) -> &'static [(&'static str, f32)] {
        BOOSTER_PHRASES
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// One word's entries in the lexicon and rule lists, in 16 bytes: the scorer keeps one per
/// distinct word and reads one for every sentiment word, so the fewer cache lines they take,
/// the fewer of those reads wait.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct WordFacts {
    valence: f32,
    booster: f32,
    /// The word's number among the words of phrases and whole answers
    /// ([`Lexicon::word_numbers`]); 0 if none.
    pub word_number: u32,
    flags: u16,
}

mod facts {
    pub const VALENCE: u16 = 1;
    pub const BOOSTER: u16 = 1 << 1;
    pub const STARTS_PHRASE: u16 = 1 << 2;
    pub const ONE_WORD_PHRASE: u16 = 1 << 3;
    pub const SECOND_OF_PHRASE: u16 = 1 << 4;
    pub const CONTRAST_AFTER: u16 = 1 << 5;
    pub const CONCESSION: u16 = 1 << 6;
    pub const ENDS_BOOSTER_PHRASE: u16 = 1 << 7;
    pub const STARTS_BOOSTER_PHRASE: u16 = 1 << 8;
    pub const NO: u16 = 1 << 9;
    pub const NEVER: u16 = 1 << 10;
    pub const LEAST: u16 = 1 << 11;
    pub const AT_OR_VERY: u16 = 1 << 12;
    pub const SO_OR_THIS: u16 = 1 << 13;
    pub const NEGATIVE_SUPERLATIVE: u16 = 1 << 14;
    pub const ANSWER_START: u16 = 1 << 15;
}

impl WordFacts {
    #[inline]
    fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    #[inline]
    pub fn valence(&self) -> Option<f32> {
        self.has(facts::VALENCE).then_some(self.valence)
    }

    #[inline]
    pub fn booster(&self) -> Option<f32> {
        self.has(facts::BOOSTER).then_some(self.booster)
    }

    /// Some phrase of the lexicon starts with the word.
    #[inline]
    pub fn starts_phrase(&self) -> bool {
        self.has(facts::STARTS_PHRASE)
    }

    #[inline]
    pub fn starts_one_word_phrase(&self) -> bool {
        self.has(facts::ONE_WORD_PHRASE)
    }

    /// The word is the second of some phrase.
    #[inline]
    pub fn second_of_phrase(&self) -> bool {
        self.has(facts::SECOND_OF_PHRASE)
    }

    #[inline]
    pub fn contrast_after(&self) -> bool {
        self.has(facts::CONTRAST_AFTER)
    }

    #[inline]
    pub fn concession(&self) -> bool {
        self.has(facts::CONCESSION)
    }

    /// The word is the last of a booster phrase ("kind of").
    #[inline]
    pub fn ends_booster_phrase(&self) -> bool {
        self.has(facts::ENDS_BOOSTER_PHRASE)
    }

    #[inline]
    pub fn starts_booster_phrase(&self) -> bool {
        self.has(facts::STARTS_BOOSTER_PHRASE)
    }

    // The words that rules name, so that a rule compares flags rather than strings.

    #[inline]
    pub fn no(&self) -> bool {
        self.has(facts::NO)
    }

    #[inline]
    pub fn never(&self) -> bool {
        self.has(facts::NEVER)
    }

    #[inline]
    pub fn least(&self) -> bool {
        self.has(facts::LEAST)
    }

    #[inline]
    pub fn at_or_very(&self) -> bool {
        self.has(facts::AT_OR_VERY)
    }

    #[inline]
    pub fn so_or_this(&self) -> bool {
        self.has(facts::SO_OR_THIS)
    }

    /// "worst": negated, no compliment (see `negate`).
    #[inline]
    pub fn negative_superlative(&self) -> bool {
        self.has(facts::NEGATIVE_SUPERLATIVE)
    }

    /// The first word of some whole answer ("nothing", "n/a").
    #[inline]
    pub fn answer_start(&self) -> bool {
        self.has(facts::ANSWER_START)
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

fn check_valence(name: &str, entry: &str, valence: f32) -> Result<()> {
    if !(-4.0..=4.0).contains(&valence) {
        bail!("{name}: {entry:?} = {valence}: valences run from -4 to +4");
    }
    Ok(())
}
