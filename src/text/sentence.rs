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
pub struct Before<'a> {
    /// Folded form.
    pub norm: &'a str,
    pub is_number: bool,
    /// The token is the first of its sentence (a list number like "1." starts a line).
    pub starts_sentence: bool,
}

/// Abbreviations after which a full stop does not end the sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "cllr", "st", "rev", "hon", "sir", "eg", "ie", "etc", "vs",
    "cf", "approx", "dept", "govt", "inc", "ltd", "co", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    "fig", "no", "nos", "vol", "pp", "para", "ref", "tel", "ext",
];

const BULLETS: &[char] = &[
    '•', '▪', '◦', '‣', '●', '○', '■', '□', '➢', '►', '–', '—', '-', '*',
];

/// Classifies the gap text between the token `before` and the next token, whose first character
/// is `next_first`.
pub fn classify(gap: &str, before: &Before<'_>, next_first: char) -> Gap {
    if gap == " " {
        // Most gaps are one space: nothing ends there.
        return Gap {
            sentence_break: false,
            clause_break: false,
        };
    }
    let sentence_break = ends_sentence(gap, before, next_first);
    Gap {
        sentence_break,
        clause_break: sentence_break || has_clause_punctuation(gap),
    }
}

fn ends_sentence(gap: &str, before: &Before<'_>, next_first: char) -> bool {
    if gap.contains(['!', '?', '•', '▪', '◦', '‣', '●', '■', '►', '➢']) {
        return true;
    }
    if line_break_ends_sentence(gap, next_first) {
        return true;
    }
    let ellipsis = gap.contains('…') || gap.contains("..");
    if ellipsis {
        return next_first.is_uppercase();
    }
    if !gap.contains('.') {
        return false;
    }
    if gap.starts_with(['.', ')']) && before.is_number && before.starts_sentence {
        return false; // "1. First point": a list number, not the end of a sentence
    }
    if is_abbreviation(before.norm, next_first) {
        return false;
    }
    let spaced = gap.chars().any(char::is_whitespace);
    spaced || !next_first.is_lowercase()
}

fn is_abbreviation(norm: &str, next_first: char) -> bool {
    if norm == "no" || norm == "nos" {
        return next_first.is_ascii_digit(); // "No. 5", but "there was no. Then"
    }
    let mut chars = norm.chars();
    let single_letter =
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic());
    single_letter || ABBREVIATIONS.contains(&norm)
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

fn has_clause_punctuation(gap: &str) -> bool {
    if gap.contains([
        ',', ';', ':', '(', ')', '[', ']', '"', '“', '”', '«', '»', '—', '–',
    ]) {
        return true;
    }
    // A hyphen with a space beside it is a dash; "top-down" has no gap at all.
    gap.contains(" -") || gap.contains("- ")
}

/// How many bytes at the start of a gap close the sentence before it: terminal punctuation and
/// closing quotes or brackets.
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

    fn word(norm: &str) -> Before<'_> {
        Before {
            norm,
            is_number: false,
            starts_sentence: false,
        }
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
        let number = Before {
            norm: "1",
            is_number: true,
            starts_sentence: true,
        };
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
}
