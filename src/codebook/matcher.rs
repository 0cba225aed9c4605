//! The compiled matcher: every distinct element of every rule sits in a hash index, so finding
//! what a token matches costs a few lookups whatever the number of rules; only the rules whose
//! first element a token matched are then tried.
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use regex::{Regex, RegexSet, RegexSetBuilder};
use rustc_hash::FxHashMap;

use super::pattern::Element;
use crate::text::{is_negator, Analysis, TokenKind};

pub type ElementId = u32;

/// How a rule matches, in element ids.
#[derive(Debug, Clone)]
pub enum Body {
    Sequence(Vec<ElementId>),
    Near {
        first: Vec<ElementId>,
        second: Vec<ElementId>,
        distance: usize,
        ordered: bool,
    },
    Regex,
}

/// A raw match of a rule, before negation and exclusions are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawMatch {
    pub rule: usize,
    pub first_token: usize,
    pub end_token: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Default)]
pub struct Matcher {
    /// Names this matcher in the per-thread memo of [`Matcher::token_elements`]; 0 until
    /// [`Matcher::finish`], and a matcher still taking rules is never memoised.
    id: u64,
    elements: Vec<Element>,
    interned: FxHashMap<Element, ElementId>,
    exact: FxHashMap<Box<str>, Vec<ElementId>>,
    stem: FxHashMap<Box<str>, Vec<ElementId>>,
    prefix: FxHashMap<Box<str>, Vec<ElementId>>,
    suffix: FxHashMap<Box<str>, Vec<ElementId>>,
    prefix_lengths: Vec<usize>,
    suffix_lengths: Vec<usize>,
    negator: Option<ElementId>,
    /// Per element: the rules to try where a token matches it.
    triggers: Vec<Vec<usize>>,
    bodies: Vec<Body>,
    regexes: Vec<Regex>,
    regex_rules: Vec<usize>,
    regex_set: Option<RegexSet>,
}

/// Which elements each token of one analysis matches, as offsets into one flat list.
pub struct TokenElements {
    offsets: Vec<u32>,
    ids: Vec<ElementId>,
}

impl TokenElements {
    pub fn has(&self, token: usize, element: ElementId) -> bool {
        let range = self.offsets[token] as usize..self.offsets[token + 1] as usize;
        self.ids[range].contains(&element)
    }

    fn of(&self, token: usize) -> &[ElementId] {
        &self.ids[self.offsets[token] as usize..self.offsets[token + 1] as usize]
    }
}

impl Matcher {
    /// The id of an element, adding it to the indexes the first time.
    pub fn intern(&mut self, element: Element) -> ElementId {
        if let Some(&id) = self.interned.get(&element) {
            return id;
        }
        let id = self.elements.len() as ElementId;
        match &element {
            Element::Exact(word) => self.exact.entry(word.as_str().into()).or_default().push(id),
            Element::Stem(stem) => self.stem.entry(stem.as_str().into()).or_default().push(id),
            Element::Glob(glob) => {
                if glob.prefix.chars().count() >= 2 {
                    self.prefix
                        .entry(glob.prefix.as_str().into())
                        .or_default()
                        .push(id);
                    insert_sorted(&mut self.prefix_lengths, glob.prefix.len());
                } else {
                    self.suffix
                        .entry(glob.suffix.as_str().into())
                        .or_default()
                        .push(id);
                    insert_sorted(&mut self.suffix_lengths, glob.suffix.len());
                }
            }
            Element::Negator => self.negator = Some(id),
        }
        self.interned.insert(element.clone(), id);
        self.elements.push(element);
        self.triggers.push(Vec::new());
        id
    }

    pub fn intern_all(&mut self, elements: Vec<Element>) -> Vec<ElementId> {
        elements.into_iter().map(|e| self.intern(e)).collect()
    }

    /// Adds a rule's body; `rule` must be the next rule index.
    pub fn add_rule(&mut self, body: Body) {
        let rule = self.bodies.len();
        match &body {
            Body::Sequence(seq) => self.triggers[seq[0] as usize].push(rule),
            Body::Near { first, .. } => self.triggers[first[0] as usize].push(rule),
            Body::Regex => {}
        }
        self.bodies.push(body);
    }

    pub fn add_regex(&mut self, regex: Regex) -> usize {
        self.regexes.push(regex);
        self.regex_rules.push(self.bodies.len());
        self.regexes.len() - 1
    }

    /// Builds the regex set once all rules are in.
    pub fn finish(&mut self) {
        self.id = NEXT_MATCHER_ID.fetch_add(1, Ordering::Relaxed);
        if !self.regexes.is_empty() {
            let patterns = self.regexes.iter().map(|r| r.as_str());
            let set = RegexSetBuilder::new(patterns)
                .case_insensitive(true)
                .build();
            self.regex_set = Some(set.expect("each regex compiled alone"));
        }
    }

    /// Which elements each token matches.
    ///
    /// What a token matches depends only on its text (its folded form, stem and kind follow
    /// from it), and survey vocabulary repeats, so the answer is memoised per thread by the
    /// analysis's word ids: an index a token instead of a hash lookup per index and glob prefix
    /// length.
    pub fn token_elements(&self, analysis: &Analysis<'_>) -> TokenElements {
        let mut offsets = Vec::with_capacity(analysis.tokens.len() + 1);
        let mut ids = Vec::with_capacity(analysis.tokens.len());
        offsets.push(0);
        if self.id == 0 {
            for i in 0..analysis.tokens.len() {
                self.word_elements(analysis, i, &mut ids);
                offsets.push(ids.len() as u32);
            }
            return TokenElements { offsets, ids };
        }
        ELEMENT_MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            let memo = &mut *memo;
            let owner = (self.id, analysis.word_space());
            if memo.owner != owner {
                memo.owner = owner;
                memo.words.clear();
                memo.ids.clear();
            }
            for i in 0..analysis.tokens.len() {
                let word = analysis.word(i) as usize;
                if word >= memo.words.len() {
                    memo.words.resize(word + 1, UNKNOWN);
                }
                let mut range = memo.words[word];
                if range == UNKNOWN {
                    let start = memo.ids.len() as u32;
                    self.word_elements(analysis, i, &mut memo.ids);
                    range = (start, memo.ids.len() as u32);
                    memo.words[word] = range;
                }
                ids.extend_from_slice(&memo.ids[range.0 as usize..range.1 as usize]);
                offsets.push(ids.len() as u32);
            }
        });
        TokenElements { offsets, ids }
    }

    /// The elements token `i` matches, appended to `ids`.
    fn word_elements(&self, analysis: &Analysis<'_>, i: usize, ids: &mut Vec<ElementId>) {
        let token = &analysis.tokens[i];
        let norm = analysis.norm(i);
        if let Some(found) = self.exact.get(norm) {
            ids.extend_from_slice(found);
        }
        if token.kind == TokenKind::Word {
            if let Some(found) = self.stem.get(analysis.stem(i)) {
                ids.extend_from_slice(found);
            }
            if let Some(negator) = self.negator {
                if is_negator(norm) {
                    ids.push(negator);
                }
            }
        } else if let Some(found) = self.stem.get(norm) {
            ids.extend_from_slice(found);
        }
        self.glob_elements(norm, ids);
    }

    fn glob_elements(&self, norm: &str, ids: &mut Vec<ElementId>) {
        for &length in &self.prefix_lengths {
            if length > norm.len() {
                break;
            }
            if !norm.is_char_boundary(length) {
                continue;
            }
            if let Some(found) = self.prefix.get(&norm[..length]) {
                ids.extend(found.iter().filter(|&&id| self.glob_matches(id, norm)));
            }
        }
        for &length in &self.suffix_lengths {
            if length > norm.len() {
                break;
            }
            let at = norm.len() - length;
            if !norm.is_char_boundary(at) {
                continue;
            }
            if let Some(found) = self.suffix.get(&norm[at..]) {
                ids.extend(found.iter().filter(|&&id| self.glob_matches(id, norm)));
            }
        }
    }

    fn glob_matches(&self, id: ElementId, norm: &str) -> bool {
        match &self.elements[id as usize] {
            Element::Glob(glob) => glob.matches(norm),
            _ => false,
        }
    }

    /// Whether `sequence` matches the tokens starting at `at`, within one clause.
    pub fn sequence_at(
        &self,
        analysis: &Analysis<'_>,
        elements: &TokenElements,
        sequence: &[ElementId],
        at: usize,
    ) -> bool {
        if at + sequence.len() > analysis.tokens.len() {
            return false;
        }
        sequence.iter().enumerate().all(|(k, &element)| {
            let token = at + k;
            (k == 0 || !analysis.tokens[token].clause_break_before) && elements.has(token, element)
        })
    }

    /// [`Matcher::sequence_at`] for a rule tried because its first element matched token `at`:
    /// only the rest of the sequence is checked.
    fn rest_at(
        &self,
        analysis: &Analysis<'_>,
        elements: &TokenElements,
        sequence: &[ElementId],
        at: usize,
    ) -> bool {
        at + sequence.len() <= analysis.tokens.len()
            && sequence.iter().enumerate().skip(1).all(|(k, &element)| {
                let token = at + k;
                !analysis.tokens[token].clause_break_before && elements.has(token, element)
            })
    }

    /// Every match of every rule, in token order.
    pub fn raw_matches(&self, analysis: &Analysis<'_>, elements: &TokenElements) -> Vec<RawMatch> {
        let mut matches = Vec::new();
        for token in 0..analysis.tokens.len() {
            for &element in elements.of(token) {
                for &rule in &self.triggers[element as usize] {
                    self.try_rule(analysis, elements, rule, token, &mut matches);
                }
            }
        }
        self.regex_matches(analysis, &mut matches);
        matches.sort_by_key(|m| (m.start, m.end, m.rule));
        matches.dedup();
        matches
    }

    fn try_rule(
        &self,
        analysis: &Analysis<'_>,
        elements: &TokenElements,
        rule: usize,
        at: usize,
        out: &mut Vec<RawMatch>,
    ) {
        match &self.bodies[rule] {
            Body::Sequence(sequence) => {
                if self.rest_at(analysis, elements, sequence, at) {
                    out.push(raw(analysis, rule, at, at + sequence.len()));
                }
            }
            Body::Near {
                first,
                second,
                distance,
                ordered,
            } => {
                if !self.rest_at(analysis, elements, first, at) {
                    return;
                }
                let first_end = at + first.len();
                if let Some(other) = self.nearest(
                    analysis, elements, second, at, first_end, *distance, *ordered,
                ) {
                    let (lo, hi) = (at.min(other), first_end.max(other + second.len()));
                    out.push(raw(analysis, rule, lo, hi));
                }
            }
            Body::Regex => {}
        }
    }

    /// The start of the occurrence of `sequence` nearest to tokens `start..end`, in the same
    /// sentence, with at most `distance` tokens between.
    #[allow(clippy::too_many_arguments)]
    fn nearest(
        &self,
        analysis: &Analysis<'_>,
        elements: &TokenElements,
        sequence: &[ElementId],
        start: usize,
        end: usize,
        distance: usize,
        ordered: bool,
    ) -> Option<usize> {
        let sentence = analysis.tokens[start].sentence;
        let len = sequence.len();
        let same_sentence = |at: usize| {
            at + len <= analysis.tokens.len()
                && analysis.tokens[at].sentence == sentence
                && analysis.tokens[at + len - 1].sentence == sentence
        };
        for gap in 0..=distance {
            let after = end + gap;
            if same_sentence(after) && self.sequence_at(analysis, elements, sequence, after) {
                return Some(after);
            }
            if !ordered && start >= gap + len {
                let before = start - gap - len;
                if same_sentence(before) && self.sequence_at(analysis, elements, sequence, before) {
                    return Some(before);
                }
            }
        }
        None
    }

    fn regex_matches(&self, analysis: &Analysis<'_>, out: &mut Vec<RawMatch>) {
        let Some(set) = &self.regex_set else {
            return;
        };
        for k in set.matches(analysis.text).iter() {
            for found in self.regexes[k].find_iter(analysis.text) {
                let tokens = &analysis.tokens;
                let first = tokens.partition_point(|t| t.end <= found.start());
                let end = tokens.partition_point(|t| t.start < found.end());
                out.push(RawMatch {
                    rule: self.regex_rules[k],
                    first_token: first,
                    end_token: end.max(first),
                    start: found.start(),
                    end: found.end(),
                });
            }
        }
    }
}

fn raw(analysis: &Analysis<'_>, rule: usize, first_token: usize, end_token: usize) -> RawMatch {
    RawMatch {
        rule,
        first_token,
        end_token,
        start: analysis.tokens[first_token].start,
        end: analysis.tokens[end_token - 1].end,
    }
}

static NEXT_MATCHER_ID: AtomicU64 = AtomicU64::new(1);

/// Per thread: the elements each word matches, for one matcher and one space of word ids at a
/// time (the analyser's table bounds the number of ids).
#[derive(Default)]
struct ElementMemo {
    owner: (u64, u64),
    /// By word id: its range in `ids`, or [`UNKNOWN`].
    words: Vec<(u32, u32)>,
    ids: Vec<ElementId>,
}

const UNKNOWN: (u32, u32) = (u32::MAX, 0);

thread_local! {
    static ELEMENT_MEMO: RefCell<ElementMemo> = RefCell::new(ElementMemo::default());
}

fn insert_sorted(lengths: &mut Vec<usize>, length: usize) {
    if let Err(at) = lengths.binary_search(&length) {
        lengths.insert(at, length);
    }
}
