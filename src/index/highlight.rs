//! What to mark in a hit, found by analysing its text the way the index did: the words and
//! phrases the query asked for, and the evidence of the themes it asked for, at the very spans
//! the codebook matched.
use std::collections::BTreeSet;
use std::ops::Range;

use super::document::StoredComment;
use super::tokenizer::index_words;
use crate::text::Analyzer;

#[derive(Debug, Clone, Default)]
pub struct Highlighter {
    /// Index terms (stems, or `=` exact forms) wanted on their own.
    pub terms: BTreeSet<String>,
    /// Folded words wanted exactly (`=word`).
    pub exact: BTreeSet<String>,
    /// Folded prefixes (`word*`).
    pub prefixes: BTreeSet<String>,
    /// Phrases: index terms at relative positions.
    pub phrases: Vec<Vec<(usize, String)>>,
    /// Themes whose evidence is wanted.
    pub themes: BTreeSet<String>,
}

impl Highlighter {
    /// A word (one term) or a phrase (several), as [`super::compile`] resolved it.
    pub fn add_sequence(&mut self, terms: &[(usize, String)]) {
        match terms {
            [] => {}
            [(_, term)] => {
                self.terms.insert(term.clone());
            }
            _ => {
                let first = terms[0].0;
                self.phrases
                    .push(terms.iter().map(|(p, t)| (p - first, t.clone())).collect());
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
            && self.exact.is_empty()
            && self.prefixes.is_empty()
            && self.phrases.is_empty()
            && self.themes.is_empty()
    }
}

/// The byte spans of `comment.text` to mark, sorted and merged.
pub fn highlights(
    highlighter: &Highlighter,
    analyzer: &Analyzer,
    comment: &StoredComment,
) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    if highlighter.is_empty() {
        return spans;
    }
    let text = comment.text.as_str();
    let analysis = analyzer.analyze(text);
    let words = index_words(&analysis);
    for word in &words {
        if highlighter
            .terms
            .iter()
            .any(|term| word.is_matched_by(term))
            || highlighter.exact.contains(word.norm)
            || highlighter
                .prefixes
                .iter()
                .any(|p| word.norm.starts_with(p.as_str()))
        {
            spans.push(word.span.clone());
        }
    }
    for phrase in &highlighter.phrases {
        for start in 0..words.len() {
            let base = words[start].position;
            let mut end = None;
            let mut k = start;
            let matched = phrase.iter().all(|(offset, term)| {
                let position = base + offset;
                while k < words.len() && words[k].position < position {
                    k += 1;
                }
                let hit = words
                    .get(k)
                    .is_some_and(|w| w.position == position && w.is_matched_by(term));
                if hit {
                    end = Some(words[k].span.end);
                }
                hit
            });
            if let (true, Some(end)) = (matched, end) {
                spans.push(words[start].span.start..end);
            }
        }
    }
    for evidence in &comment.evidence {
        if highlighter.themes.contains(&evidence.theme) && evidence.end <= text.len() {
            spans.push(evidence.start..evidence.end);
        }
    }
    merge(spans)
}

fn merge(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|s| (s.start, s.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// A window of a comment around its first highlight, with the highlights inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Snippet {
    pub text: String,
    /// Byte spans within `text`.
    pub highlights: Vec<Range<usize>>,
}

pub const ELLIPSIS: &str = "…";

/// At most about `max_chars` characters of `text` around its first highlight, cut at word
/// boundaries, with an ellipsis where text was left out. White space runs become one space.
pub fn snippet(text: &str, spans: &[Range<usize>], max_chars: usize) -> Snippet {
    let total = text.chars().count();
    let (mut start, mut end) = (0, text.len());
    if total > max_chars {
        let anchor = spans.first().map_or(0, |s| s.start);
        let before = max_chars / 3;
        start = text[..anchor]
            .char_indices()
            .rev()
            .take(before)
            .last()
            .map_or(anchor, |(i, _)| i);
        if start > 0 {
            // Start at a word: skip forward to just after the first space.
            if let Some(space) = text[start..anchor].find(char::is_whitespace) {
                start += space;
            }
        }
        end = text[start..]
            .char_indices()
            .nth(max_chars)
            .map_or(text.len(), |(i, _)| start + i);
        if end < text.len() {
            if let Some(space) = text[start..end].rfind(char::is_whitespace) {
                if start + space > anchor {
                    end = start + space;
                }
            }
        }
    }
    let mut out = String::new();
    let mut highlights = Vec::new();
    if start > 0 {
        out.push_str(ELLIPSIS);
    }
    let mut open: Option<usize> = None;
    let mut previous_space = false;
    for (i, c) in text[start..end].char_indices() {
        let at = start + i;
        for span in spans {
            if span.start == at && span.end <= end {
                open = Some(out.len());
            }
        }
        if c.is_whitespace() {
            if !previous_space {
                out.push(' ');
            }
            previous_space = true;
        } else {
            out.push(c);
            previous_space = false;
        }
        if let Some(from) = open {
            if spans
                .iter()
                .any(|s| s.end == at + c.len_utf8() && s.start >= start)
            {
                highlights.push(from..out.len());
                open = None;
            }
        }
    }
    let trimmed_end = out.trim_end().len();
    out.truncate(trimmed_end);
    if end < text.len() {
        out.push_str(ELLIPSIS);
    }
    highlights.retain(|h| h.end <= out.len());
    Snippet {
        text: out,
        highlights,
    }
}

/// A run of a text, marked (a highlight) or not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Segment<'a> {
    pub text: &'a str,
    pub marked: bool,
}

/// `text` cut at the edges of `spans` (sorted, not overlapping, on character boundaries), so
/// that a renderer marks the highlights without handling byte offsets itself.
pub fn segments<'a>(text: &'a str, spans: &[Range<usize>]) -> Vec<Segment<'a>> {
    let mut out = Vec::with_capacity(2 * spans.len() + 1);
    let mut at = 0;
    for span in spans {
        let (start, end) = (span.start.max(at), span.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        if start > at {
            out.push(Segment {
                text: &text[at..start],
                marked: false,
            });
        }
        out.push(Segment {
            text: &text[start..end],
            marked: true,
        });
        at = end;
    }
    if at < text.len() {
        out.push(Segment {
            text: &text[at..],
            marked: false,
        });
    }
    out
}

/// A keyword-in-context line: the match with `width` characters of context either side.
#[derive(Debug, Clone, PartialEq)]
pub struct KwicLine {
    pub left: String,
    pub matched: String,
    pub right: String,
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One line per highlight of `text`; `left` is padded so that matches align.
pub fn kwic_lines(text: &str, spans: &[Range<usize>], width: usize) -> Vec<KwicLine> {
    spans
        .iter()
        .map(|span| {
            let left = one_line(&text[..span.start]);
            let left_chars = left.chars().count();
            let mut left: String = left
                .chars()
                .skip(left_chars.saturating_sub(width))
                .collect();
            if text[..span.start].ends_with(char::is_whitespace) {
                left.push(' ');
                if left.chars().count() > width {
                    left = left.chars().skip(1).collect();
                }
            }
            let right_text = &text[span.end..];
            let mut right = String::new();
            if right_text.starts_with(char::is_whitespace) {
                right.push(' ');
            }
            right.push_str(&one_line(right_text));
            let right: String = right.chars().take(width).collect();
            KwicLine {
                left: format!("{left:>width$}"),
                matched: one_line(&text[span.clone()]),
                right,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::StoredEvidence;

    fn comment(text: &str) -> StoredComment {
        StoredComment {
            id: "r1".into(),
            question: "q".into(),
            line: 2,
            file: "f.csv".into(),
            text: text.into(),
            themes: vec!["top_down".into()],
            evidence: vec![StoredEvidence {
                theme: "top_down".into(),
                rule: "top_down:1".into(),
                start: 12,
                end: 20,
                negated: false,
            }],
            sentiment: None,
            theme_sentiment: Vec::new(),
            answers: Vec::new(),
            attributes: Vec::new(),
        }
    }

    fn marked(text: &str, spans: &[Range<usize>]) -> Vec<String> {
        spans.iter().map(|s| text[s.clone()].to_string()).collect()
    }

    #[test]
    fn words_by_stem_phrases_and_theme_evidence() {
        let analyzer = Analyzer::english();
        let c = comment("Yet another top-down imposition, funded badly; top down again.");
        let mut h = Highlighter::default();
        h.terms.insert("fund".into());
        h.phrases
            .push(vec![(0, "top".to_string()), (1, "down".to_string())]);
        let spans = highlights(&h, &analyzer, &c);
        assert_eq!(
            marked(&c.text, &spans),
            vec!["top-down", "funded", "top down"]
        );
        let mut h = Highlighter::default();
        h.themes.insert("top_down".into());
        assert_eq!(
            marked(&c.text, &highlights(&h, &analyzer, &c)),
            vec!["top-down"]
        );
    }

    #[test]
    fn a_phrase_does_not_match_across_a_comma() {
        let analyzer = Analyzer::english();
        let c = comment("we went top, down the road");
        let mut h = Highlighter::default();
        h.phrases
            .push(vec![(0, "top".to_string()), (1, "down".to_string())]);
        assert!(highlights(&h, &analyzer, &c).is_empty());
    }

    #[test]
    fn snippets_cut_long_text_around_the_first_match() {
        let text = format!(
            "{} the funding gap is huge {}",
            "word ".repeat(100),
            "tail ".repeat(100)
        );
        let at = text.find("funding").unwrap();
        let s = snippet(&text, std::slice::from_ref(&(at..at + 7)), 60);
        assert!(
            s.text.starts_with(ELLIPSIS) && s.text.ends_with(ELLIPSIS),
            "{}",
            s.text
        );
        assert_eq!(&s.text[s.highlights[0].clone()], "funding");
        assert!(s.text.chars().count() <= 62);
        let short = snippet("a  funding\ngap", std::slice::from_ref(&(3..10)), 60);
        assert_eq!(short.text, "a funding gap");
        assert_eq!(&short.text[short.highlights[0].clone()], "funding");
    }

    #[test]
    fn segments_alternate_plain_and_marked_text() {
        let text = "top-down, and funded";
        let parts = segments(text, &[0..8, 14..20]);
        let shown: Vec<(&str, bool)> = parts.iter().map(|s| (s.text, s.marked)).collect();
        assert_eq!(
            shown,
            vec![("top-down", true), (", and ", false), ("funded", true)]
        );
        assert_eq!(segments("abc", &[]).len(), 1);
        assert!(segments("", &[]).is_empty());
    }

    #[test]
    fn kwic_aligns_matches() {
        let text = "The STP is full of jargon and more jargon.";
        let lines = kwic_lines(text, &[19..25, 35..41], 10);
        assert_eq!(lines[0].left, "s full of ");
        assert_eq!(lines[0].matched, "jargon");
        assert_eq!(lines[0].right, " and more ");
        assert_eq!(lines[1].left.chars().count(), 10);
    }
}
