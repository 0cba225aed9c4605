//! Candidate terms of a set of comments, as a codebook could write them: exact words, stems and
//! phrases of 2 or 3 words (consecutive tokens of one clause, matched by stem, as a codebook
//! phrase matches). For each term: the comments that contain it (document frequency), its most
//! common written form, and its keyness between a group of comments and the rest.
//!
//! Terms come from the project's one analyser, so a term found here is a rule that finds the
//! same tokens when pasted into a codebook. For English, function words ("the", "was", "of")
//! are not terms on their own and a phrase may not start or end with one; negators and words
//! like "nothing" or "everything" are kept, since survey answers turn on them.
use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::stats::Keyness;
use crate::text::{Analysis, Analyzer, TokenKind};

/// The kind of a term, as the codebook list it belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    /// An exact (folded) word form: `words = [...]`.
    Word,
    /// Every word with a stem: `stems = [...]`.
    Stem,
    /// Consecutive words matched by stem: `phrases = [...]`.
    Phrase,
}

impl TermKind {
    pub fn name(self) -> &'static str {
        match self {
            TermKind::Word => "word",
            TermKind::Stem => "stem",
            TermKind::Phrase => "phrase",
        }
    }

    /// The codebook list of this kind of rule.
    pub fn list(self) -> &'static str {
        match self {
            TermKind::Word => "words",
            TermKind::Stem => "stems",
            TermKind::Phrase => "phrases",
        }
    }
}

/// Which terms to collect.
#[derive(Debug, Clone, Copy)]
pub struct TermOptions {
    pub words: bool,
    pub stems: bool,
    /// Longest phrase in words: 1 for none, 2 or 3.
    pub max_phrase: usize,
}

impl Default for TermOptions {
    fn default() -> Self {
        TermOptions {
            words: true,
            stems: true,
            max_phrase: 3,
        }
    }
}

/// One term of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub kind: TermKind,
    /// What identifies it: the folded word, the stem, or the stems of a phrase joined by spaces.
    pub key: String,
    /// Its most common folded form in the comments ("waiting times" for the phrase of stems
    /// "wait time"), the form to write in a codebook; ties go to the alphabetically first.
    pub surface: String,
    /// The stems it matches, joined by spaces: a word's stem, or the key of a stem or phrase.
    pub stem: String,
    /// Comments that contain it.
    pub df: u32,
}

impl Term {
    /// How a codebook writes this term: the surface, which for a stem or phrase matches every
    /// form with the same stems.
    pub fn pattern(&self) -> &str {
        &self.surface
    }
}

/// The terms of a list of comments, and which comment has which.
#[derive(Debug, Clone)]
pub struct TermIndex {
    /// Sorted by kind, then key.
    pub terms: Vec<Term>,
    /// Per comment, the ids (indexes in `terms`) of the distinct terms it contains, sorted.
    pub docs: Vec<Vec<u32>>,
}

/// The keys of one comment's terms with the written form of each occurrence.
type DocTerms = Vec<((TermKind, String), String)>;

impl TermIndex {
    /// Collects the terms of `texts`, analysed in parallel; the result does not depend on the
    /// number of threads.
    pub fn build(analyzer: &Analyzer, texts: &[&str], options: TermOptions) -> TermIndex {
        let english = analyzer.language() == "english";
        let per_doc: Vec<DocTerms> = texts
            .par_iter()
            .with_min_len(64)
            .map(|text| doc_terms(&analyzer.analyze(text), options, english))
            .collect();
        let mut ids: FxHashMap<(TermKind, String), usize> = FxHashMap::default();
        let mut surfaces: Vec<FxHashMap<String, u32>> = Vec::new();
        let mut df: Vec<u32> = Vec::new();
        let mut keys: Vec<(TermKind, String)> = Vec::new();
        let mut docs: Vec<Vec<u32>> = Vec::with_capacity(per_doc.len());
        for terms in per_doc {
            let mut doc: Vec<u32> = Vec::with_capacity(terms.len());
            for (key, surface) in terms {
                let id = match ids.get(&key) {
                    Some(&id) => id,
                    None => {
                        let id = keys.len();
                        ids.insert(key.clone(), id);
                        keys.push(key);
                        surfaces.push(FxHashMap::default());
                        df.push(0);
                        id
                    }
                };
                *surfaces[id].entry(surface).or_default() += 1;
                doc.push(id as u32);
            }
            doc.sort_unstable();
            doc.dedup();
            for &id in &doc {
                df[id as usize] += 1;
            }
            docs.push(doc);
        }
        // Renumber by (kind, key), so that ids do not depend on the order comments came in.
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
        let mut new_id = vec![0u32; keys.len()];
        for (new, &old) in order.iter().enumerate() {
            new_id[old] = new as u32;
        }
        let terms = order
            .iter()
            .map(|&old| {
                let (kind, key) = keys[old].clone();
                let surface = surfaces[old]
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(s, _)| s.clone())
                    .unwrap_or_default();
                let stem = match kind {
                    TermKind::Word => analyzer.stem_of(&key),
                    TermKind::Stem | TermKind::Phrase => key.clone(),
                };
                Term {
                    kind,
                    key,
                    surface,
                    stem,
                    df: df[old],
                }
            })
            .collect();
        for doc in &mut docs {
            for id in doc.iter_mut() {
                *id = new_id[*id as usize];
            }
            doc.sort_unstable();
        }
        TermIndex { terms, docs }
    }

    /// The id of a term, if any comment has it.
    pub fn find(&self, kind: TermKind, key: &str) -> Option<u32> {
        self.terms
            .binary_search_by(|t| (t.kind, t.key.as_str()).cmp(&(kind, key)))
            .ok()
            .map(|i| i as u32)
    }

    /// Per term, the comments of `in_group` that contain it.
    pub fn group_counts(&self, in_group: &[bool]) -> Vec<u32> {
        let mut counts = vec![0u32; self.terms.len()];
        for (doc, _) in self.docs.iter().zip(in_group).filter(|(_, &g)| g) {
            for &id in doc {
                counts[id as usize] += 1;
            }
        }
        counts
    }

    /// The keyness of every term between the comments of `in_group` and the others, restricted
    /// to `universe` (a comment outside it counts on neither side).
    pub fn keyness(&self, in_group: &[bool], universe: Option<&[bool]>) -> Vec<Keyness> {
        let inside = |d: usize| universe.is_none_or(|u| u[d]);
        let group: Vec<bool> = (0..self.docs.len())
            .map(|d| in_group[d] && inside(d))
            .collect();
        let rest: Vec<bool> = (0..self.docs.len())
            .map(|d| !in_group[d] && inside(d))
            .collect();
        let group_size = group.iter().filter(|&&g| g).count() as u64;
        let rest_size = rest.iter().filter(|&&r| r).count() as u64;
        let group_counts = self.group_counts(&group);
        let rest_counts = self.group_counts(&rest);
        (0..self.terms.len())
            .map(|t| {
                Keyness::new(
                    u64::from(group_counts[t]),
                    group_size,
                    u64::from(rest_counts[t]),
                    rest_size,
                )
            })
            .collect()
    }
}

/// The over-represented terms among `keyness`: positive G² of at least `min_g2`, at least
/// `min_count` comments of the group, highest G² first (ties by kind and key).
pub fn ranked(index: &TermIndex, keyness: &[Keyness], min_count: u64, min_g2: f64) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..index.terms.len() as u32)
        .filter(|&t| {
            let k = &keyness[t as usize];
            k.g2 >= min_g2 && k.g2 > 0.0 && k.group_hits >= min_count
        })
        .collect();
    ids.sort_by(|&a, &b| {
        keyness[b as usize]
            .g2
            .total_cmp(&keyness[a as usize].g2)
            .then(a.cmp(&b))
    });
    ids
}

fn doc_terms(analysis: &Analysis<'_>, options: TermOptions, english: bool) -> DocTerms {
    let mut out = Vec::new();
    let n = analysis.tokens.len();
    let usable = |i: usize| {
        analysis.tokens[i].kind == TokenKind::Word && analysis.norm(i).chars().count() > 1
    };
    let content = |i: usize| usable(i) && !(english && is_stopword(analysis.norm(i)));
    for i in 0..n {
        if content(i) {
            let norm = analysis.norm(i);
            if options.words {
                out.push(((TermKind::Word, norm.to_string()), norm.to_string()));
            }
            if options.stems {
                out.push((
                    (TermKind::Stem, analysis.stem(i).to_string()),
                    norm.to_string(),
                ));
            }
        }
        if !usable(i) || !content(i) {
            continue;
        }
        // Phrases start and end with a content word; inner words may be function words.
        let mut key = analysis.stem(i).to_string();
        let mut surface = analysis.norm(i).to_string();
        for j in i + 1..n.min(i + options.max_phrase) {
            if analysis.tokens[j].clause_break_before || !usable(j) {
                break;
            }
            key.push(' ');
            key.push_str(analysis.stem(j));
            surface.push(' ');
            surface.push_str(analysis.norm(j));
            if content(j) {
                out.push(((TermKind::Phrase, key.clone()), surface.clone()));
            }
        }
    }
    out
}

/// English function words: articles, pronouns, auxiliaries, prepositions and conjunctions.
/// Negators, quantifiers ("nothing", "everything", "all", "more") and evaluative words are not
/// here: in survey answers they carry the meaning.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "am",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "during",
    "each",
    "for",
    "from",
    "had",
    "has",
    "have",
    "having",
    "he",
    "he'd",
    "he's",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "itself",
    "let's",
    "may",
    "me",
    "might",
    "must",
    "my",
    "myself",
    "of",
    "on",
    "or",
    "our",
    "ours",
    "ourselves",
    "shall",
    "she",
    "she'd",
    "she's",
    "should",
    "so",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they'd",
    "they're",
    "they've",
    "this",
    "those",
    "through",
    "to",
    "until",
    "upon",
    "us",
    "was",
    "we",
    "we'd",
    "we're",
    "we've",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "you'd",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
];

/// Whether a folded word is an English function word.
pub fn is_stopword(norm: &str) -> bool {
    STOPWORDS.binary_search(&norm).is_ok()
}

/// The first occurrence of `term` in `analysis`, as a byte span of the text.
pub fn find_in(analysis: &Analysis<'_>, term: &Term) -> Option<(usize, usize)> {
    let n = analysis.tokens.len();
    match term.kind {
        TermKind::Word => (0..n)
            .find(|&i| analysis.norm(i) == term.key)
            .map(|i| (analysis.tokens[i].start, analysis.tokens[i].end)),
        TermKind::Stem => (0..n)
            .find(|&i| analysis.stem(i) == term.key)
            .map(|i| (analysis.tokens[i].start, analysis.tokens[i].end)),
        TermKind::Phrase => {
            let stems: Vec<&str> = term.key.split(' ').collect();
            (0..n.saturating_sub(stems.len() - 1))
                .find(|&i| {
                    stems.iter().enumerate().all(|(k, s)| {
                        analysis.stem(i + k) == *s
                            && (k == 0 || !analysis.tokens[i + k].clause_break_before)
                    })
                })
                .map(|i| {
                    (
                        analysis.tokens[i].start,
                        analysis.tokens[i + stems.len() - 1].end,
                    )
                })
        }
    }
}

/// A keyword-in-context line: up to `width` characters either side of `start..end`, on one
/// line, with `…` where the text was cut.
pub fn context(text: &str, start: usize, end: usize, width: usize) -> String {
    let before: String = {
        let chars: Vec<char> = text[..start].chars().rev().take(width + 1).collect();
        let cut = chars.len() > width;
        let mut s: String = chars
            .into_iter()
            .take(width)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if cut {
            s.insert(0, '…');
        }
        s
    };
    let after: String = {
        let mut chars = text[end..].chars();
        let mut s: String = chars.by_ref().take(width).collect();
        if chars.next().is_some() {
            s.push('…');
        }
        s
    };
    one_line(&format!("{before}{}{after}", &text[start..end]))
}

/// The text with every run of whitespace or control characters made one space, trimmed.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Up to `limit` comments of `group` that contain `term`, shortest first (ties by order), as
/// context lines around the term's first occurrence.
pub fn examples(
    analyzer: &Analyzer,
    index: &TermIndex,
    texts: &[&str],
    group: &[bool],
    term: u32,
    limit: usize,
    width: usize,
) -> Vec<String> {
    let mut candidates: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (d, doc) in index.docs.iter().enumerate() {
        if group[d] && doc.binary_search(&term).is_ok() {
            candidates.insert((texts[d].len(), d), d);
        }
    }
    let term = &index.terms[term as usize];
    let mut out = Vec::new();
    for &d in candidates.values() {
        let analysis = analyzer.analyze(texts[d]);
        if let Some((start, end)) = find_in(&analysis, term) {
            let line = context(texts[d], start, end, width);
            if !out.contains(&line) {
                out.push(line);
            }
        }
        if out.len() == limit {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stopword("the") && !is_stopword("nothing") && !is_stopword("not"));
    }

    #[test]
    fn terms_are_words_stems_and_phrases_within_a_clause() {
        let analyzer = Analyzer::english();
        let texts = [
            "Waiting times were long, staff lovely.",
            "The waiting time is too long",
        ];
        let index = TermIndex::build(&analyzer, &texts, TermOptions::default());
        let stem = index.find(TermKind::Stem, "wait").unwrap();
        assert_eq!(index.terms[stem as usize].df, 2);
        assert_eq!(index.terms[stem as usize].surface, "waiting");
        let phrase = index.find(TermKind::Phrase, "wait time").unwrap();
        assert_eq!(index.terms[phrase as usize].df, 2);
        // "long, staff" crosses a clause break; "the waiting" starts with a function word.
        assert!(index.find(TermKind::Phrase, "long staff").is_none());
        assert!(index.find(TermKind::Phrase, "the wait").is_none());
        assert!(index.find(TermKind::Word, "the").is_none());
        // A function word may sit inside a phrase.
        assert!(index.find(TermKind::Phrase, "time is too").is_some());
        assert!(index.find(TermKind::Word, "waiting").is_some());
    }

    #[test]
    fn ids_do_not_depend_on_comment_order() {
        let analyzer = Analyzer::english();
        let a = TermIndex::build(&analyzer, &["b c d", "a b"], TermOptions::default());
        let b = TermIndex::build(&analyzer, &["a b", "b c d"], TermOptions::default());
        assert_eq!(a.terms, b.terms);
        assert_eq!(a.docs[0], b.docs[1]);
    }

    #[test]
    fn contexts_are_cut_on_characters_and_one_line() {
        let text = "Café staff\nwere so kind to us — thank you";
        let start = text.find("kind").unwrap();
        assert_eq!(context(text, start, start + 4, 8), "…were so kind to us —…");
        assert_eq!(context("kind", 0, 4, 8), "kind");
    }
}
