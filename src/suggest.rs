//! Suggestions to grow a codebook: the words, stems and phrases over-represented in a group of
//! comments (a theme's, a gold label's, or those no theme caught) against the other comments,
//! that the codebook does not match yet, each with its counts and example contexts, written as
//! codebook lines ready to paste.
use std::collections::BTreeSet;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use crate::codebook::Codebook;
use crate::learn::quote;
use crate::stats::Keyness;
use crate::terms::{examples, ranked, TermIndex, TermKind, TermOptions};
use crate::text::Analyzer;

#[derive(Debug, Clone, Copy)]
pub struct SuggestOptions {
    /// Suggestions per group.
    pub top: usize,
    /// A term must be in at least this many comments of the group...
    pub min_count: u64,
    /// ...and over-represented with at least this G² (10.83: p < 0.001).
    pub min_g2: f64,
    /// Example contexts per term, and their width in characters either side.
    pub examples: usize,
    pub width: usize,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            top: 20,
            min_count: 3,
            min_g2: 10.83,
            examples: 2,
            width: 30,
        }
    }
}

/// One suggested rule.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub kind: TermKind,
    /// As a codebook writes it.
    pub term: String,
    #[serde(flatten)]
    pub keyness: Keyness,
    pub examples: Vec<String>,
    /// Other themes of the codebook whose rules already match it.
    pub other_themes: Vec<String>,
}

/// The suggestions for one group of comments.
#[derive(Debug, Clone, Serialize)]
pub struct GroupSuggestions {
    /// What the group is: `label "Access"`, `theme "access"`, `no theme`.
    pub group: String,
    /// The codebook theme the lines are for, if there is one.
    pub theme: Option<String>,
    /// The label to give a new theme.
    pub label: Option<String>,
    pub comments: u64,
    pub total: u64,
    /// Over-represented terms left out because the theme (or, for uncoded comments, any theme)
    /// already matches them.
    pub already_matched: u64,
    pub suggestions: Vec<Suggestion>,
}

/// Comments analysed once for any number of groups.
pub struct Corpus<'a> {
    pub analyzer: &'a Analyzer,
    pub texts: Vec<&'a str>,
    pub index: TermIndex,
}

impl<'a> Corpus<'a> {
    pub fn new(analyzer: &'a Analyzer, texts: Vec<&'a str>) -> Corpus<'a> {
        let index = TermIndex::build(analyzer, &texts, TermOptions::default());
        Corpus {
            analyzer,
            texts,
            index,
        }
    }

    /// Codes every comment with `codebook`: per comment, whether each theme is coded.
    pub fn code(&self, codebook: &Codebook) -> Vec<Vec<bool>> {
        self.texts
            .par_iter()
            .map(|t| codebook.code(t).coded)
            .collect()
    }

    /// Suggestions for the comments of `in_group`. With a codebook, terms that rules of `theme`
    /// or of its descendants already match (of any theme, when `theme` is `None`) are left out.
    pub fn suggest(
        &self,
        in_group: &[bool],
        codebook: Option<&Codebook>,
        theme: Option<usize>,
        options: &SuggestOptions,
    ) -> (u64, Vec<Suggestion>) {
        let keyness = self.index.keyness(in_group, None);
        let mut stems_used: BTreeSet<String> = BTreeSet::new();
        let mut already = 0u64;
        let mut out = Vec::new();
        for t in ranked(&self.index, &keyness, options.min_count, options.min_g2) {
            if out.len() >= options.top {
                break;
            }
            let term = &self.index.terms[t as usize];
            let mut other_themes = Vec::new();
            if let Some(codebook) = codebook {
                let coding = codebook.code(&term.surface);
                let mut matched: BTreeSet<usize> = coding.hits.iter().map(|h| h.theme).collect();
                let covered = match theme {
                    // The theme's own rules or a child's: a coded child codes its parent.
                    Some(theme) => {
                        let within: Vec<usize> = matched
                            .iter()
                            .copied()
                            .filter(|&t| is_within(codebook, t, theme))
                            .collect();
                        matched.retain(|t| !within.contains(t));
                        !within.is_empty()
                    }
                    None => !matched.is_empty(),
                };
                if covered {
                    already += 1;
                    continue;
                }
                other_themes = matched
                    .into_iter()
                    .map(|i| codebook.themes[i].id.clone())
                    .collect();
            }
            if term.kind != TermKind::Phrase && !stems_used.insert(term.stem.clone()) {
                continue;
            }
            out.push(Suggestion {
                kind: term.kind,
                term: term.surface.clone(),
                keyness: keyness[t as usize],
                examples: examples(
                    self.analyzer,
                    &self.index,
                    &self.texts,
                    in_group,
                    t,
                    options.examples,
                    options.width,
                ),
                other_themes,
            });
        }
        (already, out)
    }
}

/// Whether theme `t` is `ancestor` or one of its descendants.
fn is_within(codebook: &Codebook, mut t: usize, ancestor: usize) -> bool {
    loop {
        if t == ancestor {
            return true;
        }
        match codebook.themes[t].parent {
            Some(parent) => t = parent,
            None => return false,
        }
    }
}

/// Percent with one decimal.
fn share(part: u64, whole: u64) -> String {
    format!("{:.1}%", 100.0 * part as f64 / whole.max(1) as f64)
}

/// The suggestions as codebook TOML: per group, a comment header, then `words`, `stems` and
/// `phrases` lists with one term a line, its counts and examples in comments. A group without a
/// theme in the codebook gets a whole `[[theme]]` table.
pub fn to_toml(groups: &[GroupSuggestions], codebook_file: Option<&str>) -> String {
    let mut out = String::new();
    for (g, group) in groups.iter().enumerate() {
        if g > 0 {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "# {}: {} of {} comments ({}).",
            group.group,
            group.comments,
            group.total,
            share(group.comments, group.total)
        );
        let _ = writeln!(
            out,
            "# Terms over-represented in them against the other comments (log-likelihood G2),"
        );
        match (&group.theme, codebook_file) {
            (Some(theme), Some(file)) => {
                let _ = writeln!(
                    out,
                    "# that no rule of theme \"{theme}\" in {file} matches yet ({} left out as \
                     matched). Paste the lines you accept into its table.",
                    group.already_matched
                );
            }
            (None, Some(file)) if group.label.is_none() => {
                let _ = writeln!(
                    out,
                    "# that no rule of {file} matches yet ({} left out as matched): what the \
                     codebook misses. Paste a line into the theme it belongs to.",
                    group.already_matched
                );
            }
            _ => {
                let _ = writeln!(out, "# strongest first.");
            }
        }
        if group.suggestions.is_empty() {
            let _ = writeln!(out, "# No term passes the test.");
            continue;
        }
        if group.theme.is_none() {
            if let Some(label) = &group.label {
                let _ = writeln!(out, "[[theme]]");
                let _ = writeln!(out, "id = {}", quote(&crate::labels::slug(label)));
                let _ = writeln!(out, "label = {}", quote(label));
            }
        }
        for kind in [TermKind::Word, TermKind::Stem, TermKind::Phrase] {
            let items: Vec<&Suggestion> = group
                .suggestions
                .iter()
                .filter(|s| s.kind == kind)
                .collect();
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{} = [", kind.list());
            for s in items {
                let k = &s.keyness;
                let entry = format!("    {},", quote(&s.term));
                let _ = writeln!(
                    out,
                    "{entry:<28} # {} of {} ({}) vs {} of {} ({}); G2 {:.1}; log2 ratio {:.2}",
                    k.group_hits,
                    k.group_size,
                    share(k.group_hits, k.group_size),
                    k.rest_hits,
                    k.rest_size,
                    share(k.rest_hits, k.rest_size),
                    k.g2,
                    k.log_ratio
                );
                if !s.other_themes.is_empty() {
                    let _ = writeln!(
                        out,
                        "{:<28} #   already matched by theme {}",
                        "",
                        s.other_themes.join(", ")
                    );
                }
                for example in &s.examples {
                    let _ = writeln!(out, "{:<28} #   \"{example}\"", "");
                }
            }
            let _ = writeln!(out, "]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_leave_out_what_the_theme_matches() {
        let analyzer = Analyzer::english();
        let mut texts = Vec::new();
        let mut group = Vec::new();
        for i in 0..20 {
            texts.push(if i % 2 == 0 {
                "The car park was full, parking impossible"
            } else {
                "No parking spaces near the car park"
            });
            group.push(true);
            texts.push("The nurses were kind and the food was fine");
            group.push(false);
        }
        let corpus = Corpus::new(&analyzer, texts);
        let codebook = Codebook::from_source(
            "[codebook]\nname='t'\nversion='1'\n[[theme]]\nid='parking'\nstems=['parking']\n",
            "t.toml",
        )
        .unwrap();
        let (already, suggestions) =
            corpus.suggest(&group, Some(&codebook), Some(0), &SuggestOptions::default());
        assert!(already >= 1);
        let terms: Vec<&str> = suggestions.iter().map(|s| s.term.as_str()).collect();
        // "parking", and "car park" whose "park" has the stem of "parking", are matched.
        assert!(!terms.contains(&"parking"), "{terms:?}");
        assert!(!terms.contains(&"car park"), "{terms:?}");
        let car = suggestions.iter().find(|s| s.term == "car").unwrap();
        assert_eq!(car.keyness.group_hits, 20);
        assert_eq!(car.keyness.rest_hits, 0);
        assert_eq!(car.examples.len(), 2);
        let toml = to_toml(
            &[GroupSuggestions {
                group: "theme \"parking\"".into(),
                theme: Some("parking".into()),
                label: None,
                comments: 20,
                total: 40,
                already_matched: already,
                suggestions,
            }],
            Some("t.toml"),
        );
        // The lists parse as TOML.
        let parsed: toml::Table = toml::from_str(&toml).unwrap();
        assert!(parsed["words"]
            .as_array()
            .unwrap()
            .contains(&toml::Value::String("car".into())));
    }
}
