//! Trimming a comment to the sentences that carry a theme: the quote stays verbatim, with an
//! ellipsis wherever text was left out.
use std::ops::Range;

use crate::text::Analysis;

pub const ELLIPSIS: &str = "…";

/// The part of a comment that a quote shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trimmed {
    pub text: String,
    /// Whether anything was left out.
    pub cut: bool,
    /// The byte ranges of the comment that the quote keeps, in order.
    pub kept: Vec<Range<usize>>,
}

/// Keeps the sentences of `analysis` that overlap an `evidence` span, then, while the quote is
/// shorter than `max_words`, nothing more; a comment whose sentences are all kept is returned
/// whole. When the evidence sentences alone exceed `max_words`, the first ones that fit are kept
/// (always at least one).
pub fn trim(analysis: &Analysis<'_>, evidence: &[Range<usize>], max_words: usize) -> Trimmed {
    let text = analysis.text;
    let sentences = &analysis.sentences;
    // One range covering the whole text, not the text's offsets.
    #[allow(clippy::single_range_in_vec_init)]
    let whole = || Trimmed {
        text: text.trim().to_string(),
        cut: false,
        kept: vec![0..text.len()],
    };
    if sentences.len() <= 1 || evidence.is_empty() {
        return whole();
    }
    let mut keep: Vec<usize> = sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| evidence.iter().any(|e| e.start < s.end && s.start < e.end))
        .map(|(i, _)| i)
        .collect();
    if keep.is_empty() {
        return whole();
    }
    let mut words = 0;
    let mut fitted = Vec::new();
    for &s in &keep {
        let n = sentences[s].end_token - sentences[s].first_token;
        if !fitted.is_empty() && words + n > max_words {
            break;
        }
        words += n;
        fitted.push(s);
    }
    keep = fitted;
    if keep.len() == sentences.len() {
        return whole();
    }
    // Consecutive sentences are one run, with the text between them as written.
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut last: Option<usize> = None;
    for &s in &keep {
        let span = sentences[s].start..sentences[s].end;
        match (last, runs.last_mut()) {
            (Some(previous), Some(run)) if previous + 1 == s => run.end = span.end,
            _ => runs.push(span),
        }
        last = Some(s);
    }
    let mut out = String::new();
    if keep[0] > 0 {
        out.push_str(ELLIPSIS);
        out.push(' ');
    }
    for (i, run) in runs.iter().enumerate() {
        if i > 0 {
            out.push_str(&format!(" {ELLIPSIS} "));
        }
        out.push_str(text[run.clone()].trim());
    }
    if *keep.last().expect("at least one sentence kept") + 1 < sentences.len() {
        out.push(' ');
        out.push_str(ELLIPSIS);
    }
    Trimmed {
        text: out,
        cut: true,
        kept: runs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Analyzer;

    fn span_of(text: &str, needle: &str) -> Range<usize> {
        let start = text.find(needle).expect("needle in text");
        start..start + needle.len()
    }

    #[test]
    fn keeps_the_sentences_with_evidence_and_marks_cuts() {
        let text = "We met twice. Councillors were shut out of the planning. \
                    The money is not there. Still hopeful.";
        let analyzer = Analyzer::english();
        let analysis = analyzer.analyze(text);
        let t = trim(&analysis, &[span_of(text, "shut out")], 60);
        assert_eq!(t.text, "… Councillors were shut out of the planning. …");
        assert!(t.cut);
        let t = trim(
            &analysis,
            &[span_of(text, "shut out"), span_of(text, "money")],
            60,
        );
        assert_eq!(
            t.text,
            "… Councillors were shut out of the planning. The money is not there. …"
        );
        let t = trim(
            &analysis,
            &[span_of(text, "met"), span_of(text, "hopeful")],
            60,
        );
        assert_eq!(t.text, "We met twice. … Still hopeful.");
    }

    #[test]
    fn a_single_sentence_or_every_sentence_is_the_whole_comment() {
        let analyzer = Analyzer::english();
        let text = "  yet another top down imposition  ";
        let t = trim(&analyzer.analyze(text), &[span_of(text, "top down")], 60);
        assert_eq!(t.text, "yet another top down imposition");
        assert!(!t.cut);
        let text = "Top down. Again.";
        let analysis = analyzer.analyze(text);
        let t = trim(
            &analysis,
            &[span_of(text, "Top"), span_of(text, "Again")],
            60,
        );
        assert_eq!((t.text.as_str(), t.cut), ("Top down. Again.", false));
    }

    #[test]
    fn long_evidence_keeps_the_first_sentences_that_fit() {
        let analyzer = Analyzer::english();
        let text = "One two three four five. Six seven eight nine ten. Eleven twelve.";
        let analysis = analyzer.analyze(text);
        let all = [
            span_of(text, "One"),
            span_of(text, "Six"),
            span_of(text, "Eleven"),
        ];
        let t = trim(&analysis, &all, 7);
        assert_eq!(t.text, "One two three four five. …");
        let t = trim(&analysis, &all[1..], 1);
        assert_eq!(
            t.text, "… Six seven eight nine ten. …",
            "at least one sentence"
        );
    }
}
