//! Where sentences and clauses end, decided from the characters between two tokens.
//!
//! Survey answers are typed fast: "on hold.We had", bullets, one answer per line, lower-case
//! starts. A full stop ends a sentence unless it closes an abbreviation or an initial, or sits
//! inside a dotted name ("local.gov.uk"); `!`, `?` and bullets always end one; a line break ends
//! one when a blank line, a bullet, a list number or a capital follows.

/// What separates two neighbouring tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub sentence_break: bool,
    pub clause_break: bool,
}

/// The token before a gap, as the splitter needs to see it.
pub struct Before {
    /// Whether a full stop after it may close an abbreviation.
    pub abbreviation: Abbreviation,
    pub is_number: bool,
    /// The token is the first of its sentence (a list number like "1." starts a line).
    pub starts_sentence: bool,
}

#[cfg(test)]
impl Before {
    /// The token with folded form `norm`.
    pub fn new(norm: &str, is_number: bool, starts_sentence: bool) -> Before {
        Before {
            abbreviation: Abbreviation::of(norm),
            is_number,
            starts_sentence,
        }
    }
}

/// What a word is to a full stop after it: the word table keeps it per word, so that a gap
/// need not compare the word with a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abbreviation {
    Not,
    /// An initial ("J.") or a listed abbreviation ("Dr.").
    Always,
    /// "No." and "Nos." before a number ("No. 5"), but not "there was no. Then".
    BeforeDigit,
}

impl Abbreviation {
    pub fn of(norm: &str) -> Abbreviation {
        if norm == "no" || norm == "nos" {
            return Abbreviation::BeforeDigit;
        }
        let mut chars = norm.chars();
        let single_letter =
            matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic());
        if single_letter || is_listed_abbreviation(norm) {
            Abbreviation::Always
        } else {
            Abbreviation::Not
        }
    }

    /// The full stop after the word closes an abbreviation when the next token starts with
    /// `next_first`.
    fn applies(self, next_first: char) -> bool {
        match self {
            Abbreviation::Not => false,
            Abbreviation::Always => true,
            Abbreviation::BeforeDigit => next_first.is_ascii_digit(),
        }
    }
}

const BULLETS: &[char] = &[
    '•', '▪', '◦', '‣', '●', '○', '■', '□', '➢', '►', '–', '—', '-', '*',
];

/// Classifies the gap text between the token `before` and the next token, whose first character
/// is `next_first`.
pub fn classify(gap: &str, before: &Before, next_first: char) -> Gap {
    // The commonest gaps, decided as the scan below would decide them, without the scan.
    match gap {
        " " => {
            return Gap {
                sentence_break: false,
                clause_break: false,
            }
        }
        ", " => {
            return Gap {
                sentence_break: false,
                clause_break: true,
            }
        }
        ". " => {
            let list_number = before.is_number && before.starts_sentence;
            let sentence_break = !list_number && !before.abbreviation.applies(next_first);
            return Gap {
                sentence_break,
                clause_break: sentence_break,
            };
        }
        _ => {}
    }
    let marks = GapMarks::scan(gap);
    let sentence_break = ends_sentence(gap, &marks, before, next_first);
    Gap {
        sentence_break,
        clause_break: sentence_break || marks.clause,
    }
}

/// What a gap holds, found in one pass over it: every gap between two tokens is classified,
/// so asking the same text one question at a time cost more than the tokenising.
#[derive(Default)]
struct GapMarks {
    /// `!`, `?` or a bullet other than a dash: ends a sentence wherever it stands.
    terminal: bool,
    newline: bool,
    /// `…` or two full stops in a row.
    ellipsis: bool,
    full_stop: bool,
    whitespace: bool,
    /// Clause punctuation, or a hyphen with a space beside it (a dash; "top-down" has no gap).
    clause: bool,
}

impl GapMarks {
    fn scan(gap: &str) -> GapMarks {
        let mut marks = GapMarks::default();
        let mut previous = '\0';
        for c in gap.chars() {
            match c {
                '!' | '?' | '•' | '▪' | '◦' | '‣' | '●' | '■' | '►' | '➢' => {
                    marks.terminal = true
                }
                '\n' => marks.newline = true,
                '…' => marks.ellipsis = true,
                '.' => {
                    marks.ellipsis |= previous == '.';
                    marks.full_stop = true;
                }
                ',' | ';' | ':' | '(' | ')' | '[' | ']' | '"' | '“' | '”' | '«' | '»' | '—'
                | '–' => marks.clause = true,
                '-' => marks.clause |= previous == ' ',
                ' ' => marks.clause |= previous == '-',
                _ => {}
            }
            marks.whitespace |= c.is_whitespace();
            previous = c;
        }
        marks
    }
}

fn ends_sentence(gap: &str, marks: &GapMarks, before: &Before, next_first: char) -> bool {
    if marks.terminal {
        return true;
    }
    if marks.newline && line_break_ends_sentence(gap, next_first) {
        return true;
    }
    if marks.ellipsis {
        return next_first.is_uppercase();
    }
    if !marks.full_stop {
        return false;
    }
    if gap.starts_with(['.', ')']) && before.is_number && before.starts_sentence {
        return false; // "1. First point": a list number, not the end of a sentence
    }
    if before.abbreviation.applies(next_first) {
        return false;
    }
    marks.whitespace || !next_first.is_lowercase()
}

/// Abbreviations after which a full stop does not end the sentence.
fn is_listed_abbreviation(norm: &str) -> bool {
    matches!(
        norm,
        "mr" | "mrs"
            | "ms"
            | "dr"
            | "prof"
            | "cllr"
            | "st"
            | "rev"
            | "hon"
            | "sir"
            | "eg"
            | "ie"
            | "etc"
            | "vs"
            | "cf"
            | "approx"
            | "dept"
            | "govt"
            | "inc"
            | "ltd"
            | "co"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
            | "mon"
            | "tue"
            | "wed"
            | "thu"
            | "fri"
            | "sat"
            | "sun"
            | "fig"
            | "no"
            | "nos"
            | "vol"
            | "pp"
            | "para"
            | "ref"
            | "tel"
            | "ext"
    )
}

fn line_break_ends_sentence(gap: &str, next_first: char) -> bool {
    let Some(first_newline) = gap.find('\n') else {
        return false;
    };
    let after = &gap[first_newline + 1..];
    if after.contains('\n') {
        return true; // a blank line
    }
    let line_start = after.trim_start();
    if line_start.starts_with(BULLETS) {
        return true;
    }
    next_first.is_uppercase() || next_first.is_ascii_digit()
}

/// How many bytes at the start of a gap close the sentence before it: terminal punctuation and
/// closing quotes or brackets.
#[inline]
pub fn closing_len(gap: &str) -> usize {
    gap.char_indices()
        .find(|&(_, c)| {
            !matches!(
                c,
                '.' | '!' | '?' | '…' | ':' | ';' | '"' | '\'' | '”' | '’' | ')' | ']'
            )
        })
        .map_or(gap.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_gaps_are_decided_as_the_scan_decides_them() {
        for gap in [" ", ", ", ". "] {
            for norm in ["staff", "dr", "no", "5", "a"] {
                for next_first in ['T', 't', '5', '"'] {
                    for (is_number, starts_sentence) in
                        [(false, false), (true, true), (true, false), (false, true)]
                    {
                        let before = Before::new(norm, is_number, starts_sentence);
                        let marks = GapMarks::scan(gap);
                        let sentence_break = ends_sentence(gap, &marks, &before, next_first);
                        let scanned = (sentence_break, sentence_break || marks.clause);
                        let gap_class = classify(gap, &before, next_first);
                        let shortcut = (gap_class.sentence_break, gap_class.clause_break);
                        assert_eq!(
                            shortcut, scanned,
                            "{gap:?} after {norm:?} before {next_first:?}"
                        );
                    }
                }
            }
        }
    }

    fn word(norm: &str) -> Before {
        Before::new(norm, false, false)
    }

    #[test]
    fn full_stop_without_space_before_capital_ends_sentence() {
        assert!(classify(".", &word("hold"), 'W').sentence_break);
    }

    #[test]
    fn dotted_names_do_not_end_sentences() {
        assert!(!classify(".", &word("local"), 'g').sentence_break);
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert!(!classify(". ", &word("dr"), 'P').sentence_break);
        assert!(!classify(". ", &word("j"), 'S').sentence_break);
        assert!(!classify(". ", &word("no"), '5').sentence_break);
        assert!(classify(". ", &word("no"), 'T').sentence_break);
    }

    #[test]
    fn lower_case_start_after_full_stop_and_space_still_ends_sentence() {
        assert!(classify(". ", &word("plan"), 't').sentence_break);
    }

    #[test]
    fn line_breaks_end_sentences_before_bullets_and_capitals_only() {
        assert!(classify("\n- ", &word("plan"), 'm').sentence_break);
        assert!(classify("\n", &word("plan"), 'M').sentence_break);
        assert!(classify("\n\n", &word("plan"), 'm').sentence_break);
        assert!(!classify("\n", &word("the"), 'p').sentence_break);
    }

    #[test]
    fn list_numbers_do_not_end_sentences() {
        let number = Before::new("1", true, true);
        assert!(!classify(". ", &number, 'F').sentence_break);
    }

    #[test]
    fn commas_and_dashes_break_clauses_not_sentences() {
        let gap = classify(", ", &word("excluded"), 'b');
        assert!(gap.clause_break && !gap.sentence_break);
        assert!(classify(" - ", &word("excluded"), 'b').clause_break);
        assert!(!classify(" ", &word("excluded"), 'b').clause_break);
    }

    #[test]
    fn closing_punctuation_belongs_to_the_sentence() {
        assert_eq!(closing_len(".” Then"), 4);
        assert_eq!(closing_len(" next"), 0);
    }

    /// The classifier as it was written before the one-pass scan: one question at a time.
    fn reference(gap: &str, before: &Before, next_first: char) -> Gap {
        let ends = || {
            if gap.contains(['!', '?', '•', '▪', '◦', '‣', '●', '■', '►', '➢']) {
                return true;
            }
            if line_break_ends_sentence(gap, next_first) {
                return true;
            }
            if gap.contains('…') || gap.contains("..") {
                return next_first.is_uppercase();
            }
            if !gap.contains('.') {
                return false;
            }
            if gap.starts_with(['.', ')']) && before.is_number && before.starts_sentence {
                return false;
            }
            if before.abbreviation.applies(next_first) {
                return false;
            }
            gap.chars().any(char::is_whitespace) || !next_first.is_lowercase()
        };
        let clause = gap.contains([
            ',', ';', ':', '(', ')', '[', ']', '"', '“', '”', '«', '»', '—', '–',
        ]) || gap.contains(" -")
            || gap.contains("- ");
        let sentence_break = gap != " " && ends();
        Gap {
            sentence_break,
            clause_break: gap != " " && (sentence_break || clause),
        }
    }

    proptest::proptest! {
        #[test]
        fn one_pass_scan_agrees_with_asking_one_question_at_a_time(
            gap in "[ .!?,;:()\\-\n\t\"…•–—“*a]{1,6}",
            norm in "(no|dr|plan|j|1)",
            is_number: bool,
            starts_sentence: bool,
            next_first in "[aT5 ]",
        ) {
            let before = Before::new(&norm, is_number, starts_sentence);
            let next_first = next_first.chars().next().unwrap();
            proptest::prop_assert_eq!(
                classify(&gap, &before, next_first),
                reference(&gap, &before, next_first)
            );
        }
    }
}
