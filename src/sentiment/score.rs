//! Scoring one analysed text: a valence per sentiment word, moved by the words around it, summed
//! per sentence and normalised to a compound score in [-1, 1].
//!
//! The family is VADER's (valence lexicon, boosters, capitals, negation, contrast, punctuation),
//! with the fixes that survey answers need: phrases like "no complaints" and "couldn't be better"
//! are scored whole, before negation can flip their parts; negation stays inside its clause;
//! a negated negative superlative ("not the worst") is no compliment; the contrast rule weighs
//! words by position (VADER's finds the first occurrence of a repeated value instead); and whole
//! answers like "Nothing." to "what could we improve?" are neutral.
use std::cell::{OnceCell, RefCell};

use serde::Serialize;

use super::lexicon::{Lexicon, WordFacts};
use super::rules::*;
use crate::text::Analysis;

/// What moved one word's valence, for `explain`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// Byte span of the word (or phrase) in the text.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The valence the lexicon gives it.
    pub lexicon: f32,
    /// The valence after every rule.
    pub valence: f32,
    /// The rules that applied, in order.
    pub rules: Vec<String>,
}

/// The scores of one sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceScore {
    pub start: usize,
    pub end: usize,
    pub compound: f32,
    /// Sum of valences with the punctuation boost, before normalisation.
    #[serde(skip)]
    pub sum: f32,
}

/// The sentiment of one comment.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Sentiment {
    pub compound: f32,
    pub positive: f32,
    pub neutral: f32,
    pub negative: f32,
    pub sentences: Vec<SentenceScore>,
}

pub fn normalize(sum: f32) -> f32 {
    (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0)
}

/// Scores `analysis` into `out`, whose sentence buffer is reused: a caller that scores comment
/// after comment allocates no buffer per comment.
pub(super) fn score(
    lexicon: &Lexicon,
    analysis: &Analysis<'_>,
    trace: Option<&mut Vec<Contribution>>,
    out: &mut Sentiment,
) {
    out.sentences.clear();
    let n = analysis.tokens.len();
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        let memo = &mut *memo;
        let owner = (lexicon.id, analysis.word_space());
        if memo.owner != owner {
            memo.owner = owner;
            memo.words.clear();
            memo.kinds.clear();
        }
        // Taken out of the memo for the loop, so that the loop keeps them in registers.
        let mut candidates = std::mem::take(&mut memo.candidates);
        let mut token_kinds = std::mem::take(&mut memo.token_kinds);
        // Never shrunk: every place the loop reads them has written first.
        if candidates.len() < n {
            candidates.resize(n, 0);
            token_kinds.resize(n, 0);
        }
        // Every token is written to the next free place, which moves on only for a candidate:
        // no branch on a word's kind, which is as unpredictable as the words.
        let mut found = 0;
        let mut all_kinds = 0;
        for ((i, word), token_kind) in analysis.word_ids().enumerate().zip(&mut token_kinds[..n]) {
            let word = word as usize;
            let mut kind = memo.kinds.get(word).copied().unwrap_or(0);
            if kind == 0 {
                kind = memo.learn(lexicon, analysis, i);
            }
            *token_kind = kind;
            candidates[found] = i;
            found += usize::from(kind & (VALENCE | STARTS_PHRASE) != 0);
            all_kinds |= kind;
        }
        let shifts = all_kinds & SHIFTS != 0;
        let first_kind = token_kinds[..n].first().copied().unwrap_or(0);
        let facts = Facts {
            by_word: &memo.words,
            kinds: &token_kinds[..n],
            analysis,
        };
        if first_kind & ANSWER_START != 0 {
            if let Some(valence) = whole_answer(lexicon, facts) {
                memo.candidates = candidates;
                memo.token_kinds = token_kinds;
                return whole_answer_sentiment(analysis, valence, trace, out);
            }
        }
        // All zeros between comments: only the scored tokens' valences are set, and they are
        // set back after, which costs less than zeroing every token's.
        if memo.valences.len() < n {
            memo.valences.resize(n, 0.0);
        }
        memo.scored.clear();
        score_words(
            lexicon,
            analysis,
            facts,
            Candidates {
                tokens: &candidates[..found],
                shifts,
            },
            Scratch {
                valences: &mut memo.valences[..n],
                scored: &mut memo.scored,
            },
            trace,
            out,
        );
        for &t in &memo.scored {
            memo.valences[t] = 0.0;
        }
        memo.candidates = candidates;
        memo.token_kinds = token_kinds;
    })
}

/// The sentiment of a whole answer with a valence of its own ("Nothing.", "N/A").
fn whole_answer_sentiment(
    analysis: &Analysis<'_>,
    valence: f32,
    trace: Option<&mut Vec<Contribution>>,
    out: &mut Sentiment,
) {
    let compound = normalize(valence);
    out.sentences
        .extend(analysis.sentences.iter().map(|s| SentenceScore {
            start: s.start,
            end: s.end,
            compound,
            sum: valence,
        }));
    if let Some(trace) = trace {
        trace.push(Contribution {
            start: 0,
            end: analysis.text.len(),
            text: analysis.text.to_string(),
            lexicon: valence,
            valence,
            rules: vec!["whole answer (neutral_answers)".into()],
        });
    }
    let (positive, neutral, negative) = shares(&[valence], &[0], 0.0);
    out.compound = compound;
    out.positive = positive;
    out.neutral = neutral;
    out.negative = negative;
}

/// Per thread: the lexicon facts of each word, by the analysis's word ids, for one lexicon and
/// one space of ids at a time, and buffers reused from comment to comment. An index a token
/// replaces the several hash lookups (phrases, boosters, valences) and list scans that the
/// rules made.
#[derive(Default)]
struct WordMemo {
    owner: (u64, u64),
    /// By word id: the word's facts, where its kind is known.
    words: Vec<WordFacts>,
    /// By word id: 0 where not looked up yet, else [`KNOWN`] and the flags the per-token pass
    /// reads, one byte a word.
    kinds: Vec<u8>,
    /// The tokens with a valence or starting a phrase: the only ones the rules look at.
    candidates: Vec<usize>,
    /// By token: its word's kind, read where the rules test a token.
    token_kinds: Vec<u8>,
    /// By token: every valence zero, but while a comment is scored.
    valences: Vec<f32>,
    scored: Vec<usize>,
}

impl WordMemo {
    /// Looks up the word of token `i` in the lexicon the first time the memo meets it; its
    /// kind. Kept out of line: it runs once per word, not per token.
    #[cold]
    #[inline(never)]
    fn learn(&mut self, lexicon: &Lexicon, analysis: &Analysis<'_>, i: usize) -> u8 {
        let word = analysis.word(i) as usize;
        if word >= self.kinds.len() {
            self.kinds.resize(word + 1, 0);
            self.words.resize(word + 1, WordFacts::default());
        }
        let facts = lexicon.facts(analysis.norm(i));
        let kind = kind_of(&facts);
        self.words[word] = facts;
        self.kinds[word] = kind;
        kind
    }
}

const KNOWN: u8 = 1;
/// A valence of its own.
const VALENCE: u8 = 2;
/// The first word of a lexicon phrase.
const STARTS_PHRASE: u8 = 4;
/// A contrast or concession word.
const SHIFTS: u8 = 8;
/// A booster, the last word of a booster phrase, or "least": changes the sentiment word after it.
const MODIFIES_NEXT: u8 = 16;
/// The second word of a lexicon phrase.
const SECOND_OF_PHRASE: u8 = 32;
/// A lexicon phrase of this one word.
const ONE_WORD_PHRASE: u8 = 64;
/// The first word of a whole answer with a valence of its own.
const ANSWER_START: u8 = 128;

/// The facts every token is tested for, in one byte: the memo's `kinds` stays small enough for
/// the fastest cache, where the full facts would not.
fn kind_of(facts: &WordFacts) -> u8 {
    let flag = |on: bool, flag: u8| if on { flag } else { 0 };
    KNOWN
        | flag(facts.valence().is_some(), VALENCE)
        | flag(facts.starts_phrase(), STARTS_PHRASE)
        | flag(facts.contrast_after() || facts.concession(), SHIFTS)
        | flag(
            facts.booster().is_some() || facts.ends_booster_phrase() || facts.least(),
            MODIFIES_NEXT,
        )
        | flag(facts.second_of_phrase(), SECOND_OF_PHRASE)
        | flag(facts.starts_one_word_phrase(), ONE_WORD_PHRASE)
        | flag(facts.answer_start(), ANSWER_START)
}

/// The facts of each token of one comment, by way of its word id.
#[derive(Clone, Copy)]
struct Facts<'a, 't> {
    by_word: &'a [WordFacts],
    /// By token: its word's kind, as the memo has it.
    kinds: &'a [u8],
    analysis: &'a Analysis<'t>,
}

impl Facts<'_, '_> {
    fn of(&self, i: usize) -> &WordFacts {
        &self.by_word[self.analysis.word(i) as usize]
    }

    /// Token `i` has every flag of `kind`.
    fn is(&self, i: usize, kind: u8) -> bool {
        self.kinds[i] & kind == kind
    }

    /// No word within `WINDOW` tokens before token `i` is a booster, "least" or a negator: no
    /// rule but capitals can change its valence.
    fn unmodified(&self, i: usize) -> bool {
        (i.saturating_sub(WINDOW)..i)
            .all(|j| !self.is(j, MODIFIES_NEXT) && !self.analysis.is_negator_at(j))
    }
}

/// The tokens of a comment with a valence or starting a phrase, and whether any word of it
/// shifts weights (a contrast or concession word).
struct Candidates<'a> {
    tokens: &'a [usize],
    shifts: bool,
}

/// A comment's per-token valences (zero but where a word or phrase was scored) and the tokens
/// that were scored, in order: sums and shares read those alone.
struct Scratch<'a> {
    valences: &'a mut [f32],
    scored: &'a mut Vec<usize>,
}

thread_local! {
    static MEMO: RefCell<WordMemo> = RefCell::new(WordMemo::default());
}

/// Scores the words of a comment that is not a whole answer, given each token's facts.
// Always inlined: as a call (which some unrelated edits made it) it cost ~75 more instructions
// a comment, passing its many arguments through memory.
#[inline(always)]
fn score_words(
    lexicon: &Lexicon,
    analysis: &Analysis<'_>,
    facts: Facts<'_, '_>,
    candidates: Candidates<'_>,
    scratch: Scratch<'_>,
    mut trace: Option<&mut Vec<Contribution>>,
    out: &mut Sentiment,
) {
    let Scratch { valences, scored } = scratch;
    let Candidates {
        tokens: candidates,
        shifts,
    } = candidates;
    let n = analysis.tokens.len();
    // Only `explain` needs to know where phrases end.
    let mut phrase_end = if trace.is_some() {
        vec![usize::MAX; n]
    } else {
        Vec::new()
    };
    // Counted only once a word in capitals is scored: most comments have none.
    let cap_differential = OnceCell::new();
    // Most words have no valence of their own and start no phrase: `valences` stays zero there.
    let mut next = 0;
    for &i in candidates {
        if i < next {
            // Inside a phrase already scored.
            continue;
        }
        if facts.is(i, STARTS_PHRASE) {
            if let Some(len) = phrase_at(
                lexicon,
                analysis,
                facts,
                i,
                valences,
                &mut phrase_end,
                trace.as_deref_mut(),
            ) {
                scored.push(i + len - 1);
                next = i + len;
                continue;
            }
        }
        if facts.is(i, VALENCE) {
            valences[i] = word_valence(
                lexicon,
                analysis,
                facts,
                i,
                &cap_differential,
                trace.as_deref_mut(),
            );
            scored.push(i);
        }
    }

    let sentences = &mut out.sentences;
    let mut total = 0.0;
    let mut amplifiers = 0.0;
    let mut next_scored = 0;
    for (s, sentence) in analysis.sentences.iter().enumerate() {
        let range = sentence.tokens();
        if shifts {
            // Only a comment with a contrast or concession word has weights to shift.
            contrast(analysis, facts, range.clone(), valences);
        }
        let mut sum = sentence_sum(valences, scored, &mut next_scored, range);
        // Only the closing punctuation can hold a `!` or `?`: a few bytes, not the sentence.
        let amplifier = punctuation(analysis.closing_punctuation(s));
        // Away from zero, chosen without a branch on the sign (as unpredictable as the
        // comments); zero, of either sign, stays as it is.
        let amplified = sum + amplifier.copysign(sum);
        sum = if sum != 0.0 { amplified } else { sum };
        amplifiers += amplifier;
        total += sum;
        sentences.push(SentenceScore {
            start: sentence.start,
            end: sentence.end,
            compound: normalize(sum),
            sum,
        });
    }
    if let Some(trace) = trace {
        for contribution in trace.iter_mut() {
            let token = analysis
                .tokens
                .partition_point(|t| t.end <= contribution.start);
            let last = analysis
                .tokens
                .partition_point(|t| t.start < contribution.end)
                .saturating_sub(1);
            let at = if phrase_end.get(token).copied() == Some(last) {
                last
            } else {
                token
            };
            if let Some(&v) = valences.get(at) {
                if (v - contribution.valence).abs() > 1e-6 {
                    contribution
                        .rules
                        .push(format!("contrast: weighed to {v:.3}"));
                    contribution.valence = v;
                }
            }
        }
    }
    let (positive, neutral, negative) = shares(valences, scored, amplifiers);
    out.compound = normalize(total);
    out.positive = positive;
    out.neutral = neutral;
    out.negative = negative;
}

/// Some words but not all are in capitals: only then do capitals emphasise (VADER's rule).
fn has_cap_differential(analysis: &Analysis<'_>, known: &OnceCell<bool>) -> bool {
    *known.get_or_init(|| {
        let caps = analysis.tokens.iter().filter(|t| t.all_caps).count();
        caps > 0 && caps < analysis.tokens.len()
    })
}

/// The most words a whole answer has.
const ANSWER_WORDS: usize = 8;

/// A whole answer that means "nothing to add" ("Nothing.", "N/A", "None"): its own valence.
fn whole_answer(lexicon: &Lexicon, facts: Facts<'_, '_>) -> Option<f32> {
    let n = facts.analysis.tokens.len();
    if n == 0 || n > ANSWER_WORDS {
        return None;
    }
    let mut numbers = [0u32; ANSWER_WORDS];
    for (i, number) in numbers.iter_mut().enumerate().take(n) {
        *number = facts.of(i).word_number;
        if *number == 0 {
            return None;
        }
    }
    lexicon.answers.get(&numbers[..n]).copied()
}

/// Scores a lexicon phrase starting at token `i`, if one matches inside the clause; returns its
/// length. The valence sits on the phrase's last token; the others are zero.
fn phrase_at(
    lexicon: &Lexicon,
    analysis: &Analysis<'_>,
    facts: Facts<'_, '_>,
    i: usize,
    valences: &mut [f32],
    phrase_end: &mut [usize],
    trace: Option<&mut Vec<Contribution>>,
) -> Option<usize> {
    // Most first words of a phrase are not followed by any phrase's second word ("the").
    let next_continues = i + 1 < analysis.tokens.len()
        && !analysis.tokens[i + 1].clause_break_before
        && facts.is(i + 1, SECOND_OF_PHRASE);
    if !next_continues && !facts.is(i, ONE_WORD_PHRASE) {
        return None;
    }
    let candidates = &lexicon.phrases[facts.of(i).word_number as usize];
    let phrase = candidates.iter().find(|phrase| {
        let len = phrase.word_numbers.len();
        i + len <= analysis.tokens.len()
            && phrase
                .word_numbers
                .iter()
                .enumerate()
                .skip(1)
                .all(|(k, &word)| {
                    let t = i + k;
                    !analysis.tokens[t].clause_break_before && facts.of(t).word_number == word
                })
    })?;
    let len = phrase.words.len();
    let last = i + len - 1;
    let mut valence = phrase.valence;
    let negator = analysis.negator_before(i, WINDOW);
    if negator.is_some() {
        valence = negate(valence, false);
    }
    valences[last] = valence;
    if let Some(trace) = trace {
        phrase_end[i] = last;
        let mut rules = vec![format!("phrase {:?}", phrase.text)];
        if let Some(negator) = negator {
            rules.push(format!("negated by {:?}", analysis.original(negator)));
        }
        trace.push(Contribution {
            start: analysis.tokens[i].start,
            end: analysis.tokens[last].end,
            text: analysis.text[analysis.tokens[i].start..analysis.tokens[last].end].to_string(),
            lexicon: phrase.valence,
            valence,
            rules,
        });
    }
    Some(len)
}

/// The valence of the word at token `i` after every rule. The explanation of the rules is
/// only put into words when there is a `trace` to take it.
fn word_valence(
    lexicon: &Lexicon,
    analysis: &Analysis<'_>,
    facts: Facts<'_, '_>,
    i: usize,
    cap_differential: &OnceCell<bool>,
    trace: Option<&mut Vec<Contribution>>,
) -> f32 {
    let Some(base) = facts.of(i).valence() else {
        return 0.0;
    };
    if facts.of(i).booster().is_some()
        || (facts.of(i).starts_booster_phrase() && is_booster_phrase_start(analysis, i))
    {
        return 0.0;
    }
    let tracing = trace.is_some();
    let mut rules = Vec::new();
    let mut valence = base;
    // "no" before another sentiment word is the negator of that word, not a sentiment itself.
    if facts.of(i).no() && i + 1 < analysis.tokens.len() && facts.is(i + 1, VALENCE) {
        valence = 0.0;
        if tracing {
            rules.push("\"no\" negates the next word instead".to_string());
        }
    }
    if analysis.tokens[i].all_caps
        && has_cap_differential(analysis, cap_differential)
        && valence != 0.0
    {
        valence += C_INCR.copysign(valence);
        if tracing {
            rules.push("capitals".into());
        }
    }
    // Most sentiment words stand alone: only a booster, "least" or a negator before one brings
    // the rules below into play.
    if !facts.unmodified(i) {
        for (distance, decay) in [(1, 1.0), (2, 0.95), (3, 0.9)] {
            if distance > i || analysis.tokens[i + 1 - distance].clause_break_before {
                break;
            }
            let j = i - distance;
            let (boost, name) = match booster_at(lexicon, facts, analysis, j) {
                Some(found) => found,
                None => continue,
            };
            if facts.is(j, VALENCE) || valence == 0.0 {
                continue;
            }
            let mut scalar = if valence < 0.0 { -boost } else { boost };
            if analysis.tokens[j].all_caps && has_cap_differential(analysis, cap_differential) {
                scalar += C_INCR.copysign(valence);
            }
            valence += scalar * decay;
            if tracing {
                rules.push(format!(
                    "{} {:?}",
                    if boost > 0.0 {
                        "intensified by"
                    } else {
                        "dampened by"
                    },
                    name.unwrap_or_else(|| analysis.norm(j))
                ));
            }
        }
        if let Some(negator) = analysis.negator_before(i, WINDOW) {
            let never_so =
                facts.of(negator).never() && (negator + 1..i).any(|k| facts.of(k).so_or_this());
            if never_so {
                valence *= NEVER_SO;
                if tracing {
                    rules.push("\"never so\": emphasis".into());
                }
            } else {
                valence = negate(valence, facts.of(i).negative_superlative());
                if tracing {
                    rules.push(format!("negated by {:?}", analysis.original(negator)));
                }
            }
        }
        if i >= 1 && facts.of(i - 1).least() {
            let at_least = i >= 2 && facts.of(i - 2).at_or_very();
            if !at_least {
                valence *= N_SCALAR;
                if tracing {
                    rules.push("\"least\"".into());
                }
            }
        }
    }
    if let Some(trace) = trace {
        let token = &analysis.tokens[i];
        trace.push(Contribution {
            start: token.start,
            end: token.end,
            text: analysis.original(i).to_string(),
            lexicon: base,
            valence,
            rules,
        });
    }
    valence
}

/// Negation flips a word's valence and shrinks it; a negated negative superlative becomes
/// neutral rather than praise.
fn negate(valence: f32, negative_superlative: bool) -> f32 {
    if negative_superlative && valence < 0.0 {
        0.0
    } else {
        valence * N_SCALAR
    }
}

/// The boost of the booster word, or two-word booster ending, at token `j`, and the booster
/// (the token's folded form where it is one word: asked for only by a trace).
fn booster_at(
    lexicon: &Lexicon,
    facts: Facts<'_, '_>,
    analysis: &Analysis<'_>,
    j: usize,
) -> Option<(f32, Option<&'static str>)> {
    if let Some(boost) = facts.of(j).booster() {
        return Some((boost, None));
    }
    if j >= 1 && facts.of(j).ends_booster_phrase() {
        let (first, second) = (analysis.norm(j - 1), analysis.norm(j));
        for &(phrase, boost) in lexicon.booster_phrases() {
            if phrase.split_once(' ') == Some((first, second)) {
                return Some((boost, Some(phrase)));
            }
        }
    }
    None
}

fn is_booster_phrase_start(analysis: &Analysis<'_>, i: usize) -> bool {
    i + 1 < analysis.tokens.len()
        && matches!(
            (analysis.norm(i), analysis.norm(i + 1)),
            ("kind", "of") | ("sort", "of") | ("just", "enough")
        )
}

/// Contrast inside one sentence: after "but" the words weigh 1.5 and before it 0.5 (the last
/// "but" counts); a concession clause ("although ...,") weighs 0.5 and the rest 1.5.
fn contrast(
    analysis: &Analysis<'_>,
    facts: Facts<'_, '_>,
    range: std::ops::Range<usize>,
    valences: &mut [f32],
) {
    // The one-byte kinds first: most words shift nothing, and their full facts are a cache
    // miss away.
    let after = range
        .clone()
        .rev()
        .find(|&t| facts.is(t, SHIFTS) && facts.of(t).contrast_after());
    if let Some(c) = after {
        if c > range.start {
            for t in range.clone() {
                if t < c {
                    valences[t] *= BEFORE_CONTRAST;
                } else if t > c {
                    valences[t] *= AFTER_CONTRAST;
                }
            }
            return;
        }
    }
    let Some(c) = range
        .clone()
        .find(|&t| facts.is(t, SHIFTS) && facts.of(t).concession())
    else {
        return;
    };
    let clause_end = (c + 1..range.end)
        .find(|&t| analysis.tokens[t].clause_break_before)
        .unwrap_or(range.end);
    if (c == range.start && clause_end == range.end) || c + 1 == clause_end {
        // The whole sentence is the concession, or a trailing "though" has no clause of its own.
        return;
    }
    for t in range {
        if (c..clause_end).contains(&t) {
            valences[t] *= BEFORE_CONTRAST;
        } else {
            valences[t] *= AFTER_CONTRAST;
        }
    }
}

/// VADER's emphasis from "!" (up to four) and from two or more "?".
fn punctuation(closing: &str) -> f32 {
    let (mut exclamations, mut questions) = (0usize, 0usize);
    for &b in closing.as_bytes() {
        exclamations += usize::from(b == b'!');
        questions += usize::from(b == b'?');
    }
    let exclamations = exclamations.min(4) as f32;
    let question_boost = match questions {
        0 | 1 => 0.0,
        2 | 3 => questions as f32 * QUESTION,
        _ => MANY_QUESTIONS,
    };
    exclamations * EXCLAMATION + question_boost
}

/// The sum of the valences of the sentence of tokens `range`, of which only the scored tokens
/// `scored[*next..]` inside it may be non-zero; moves `next` past them. Bit for bit what summing
/// all of the sentence's valences gives: `Iterator::sum` starts at -0.0, which one +0.0 (an
/// unscored token) turns into +0.0, and adding +0.0 at the end does the same.
fn sentence_sum(
    valences: &[f32],
    scored: &[usize],
    next: &mut usize,
    range: std::ops::Range<usize>,
) -> f32 {
    let first = *next;
    let mut sum = -0.0;
    while let Some(&t) = scored.get(*next) {
        if t >= range.end {
            break;
        }
        sum += valences[t];
        *next += 1;
    }
    if *next - first < range.len() {
        sum += 0.0;
    }
    sum
}

/// Positive, neutral and negative shares of the word valences, as VADER computes them; only the
/// `scored` tokens can have a valence.
fn shares(valences: &[f32], scored: &[usize], amplifier: f32) -> (f32, f32, f32) {
    let (mut positive, mut negative) = (0.0f32, 0.0f32);
    let mut signed = 0usize;
    // Without a branch on the sign: adding +0.0 leaves either sum as it is (neither is ever
    // -0.0).
    for &t in scored {
        let v = valences[t];
        positive += if v > 0.0 { v + 1.0 } else { 0.0 };
        negative += if v < 0.0 { v - 1.0 } else { 0.0 };
        signed += usize::from(v != 0.0);
    }
    // Counting one by one in f32 is exact this far.
    let neutral = (valences.len() - signed) as f32;
    if positive > negative.abs() {
        positive += amplifier;
    } else if positive < negative.abs() {
        negative -= amplifier;
    }
    let total = positive + negative.abs() + neutral;
    if total == 0.0 {
        return (0.0, 1.0, 0.0);
    }
    (positive / total, neutral / total, negative.abs() / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What summing every valence of the sentence gives, unscored zeros included.
    fn plain_sum(valences: &[f32], range: std::ops::Range<usize>) -> f32 {
        valences[range].iter().sum()
    }

    #[test]
    fn sentence_sums_match_summing_every_token_bit_for_bit() {
        // Sentences 0..3, 3..5 and 5..6; tokens 1, 3, 4 and 5 scored.
        let cases: [[f32; 6]; 4] = [
            [0.0, 1.5, 0.0, -2.0, 0.25, 3.0],
            [0.0, -0.0, 0.0, -0.0, -0.0, -0.0],
            [0.0, 0.0, 0.0, 1e-8, -1e-8, 0.0],
            [0.0, -0.5, 0.0, 0.0, 0.0, -0.0],
        ];
        let scored = [1, 3, 4, 5];
        for valences in cases {
            let mut next = 0;
            for range in [0..3, 3..5, 5..6] {
                let sum = sentence_sum(&valences, &scored, &mut next, range.clone());
                let expected = plain_sum(&valences, range.clone());
                assert_eq!(sum.to_bits(), expected.to_bits(), "{valences:?} {range:?}");
            }
            assert_eq!(next, scored.len());
        }
    }

    #[test]
    fn shares_count_signed_words_and_leave_the_rest_neutral() {
        let valences = [0.0, 1.5, 0.0, -2.0, 0.0];
        let (positive, neutral, negative) = shares(&valences, &[1, 3, 4], 0.0);
        // Positive 2.5, negative 3.0, neutral 3 tokens: of 8.5.
        assert_eq!(positive, 2.5 / 8.5);
        assert_eq!(neutral, 3.0 / 8.5);
        assert_eq!(negative, 3.0 / 8.5);
        // The amplifier goes to the larger side.
        let (_, _, negative) = shares(&valences, &[1, 3, 4], 0.5);
        assert_eq!(negative, 3.5 / 9.0);
    }
}
