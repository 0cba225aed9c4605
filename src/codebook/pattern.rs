//! Rule patterns as written in a codebook, parsed into sequences of elements that match one token
//! each.
use super::glob::Glob;
use crate::text::{fold, token_spans, Analyzer};

/// What one token must be to match.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Element {
    /// The exact folded form.
    Exact(String),
    /// Any word with this stem.
    Stem(String),
    Glob(Glob),
    /// Any negator (`not`, `never`, `hasn't`...).
    Negator,
}

/// Consecutive tokens, one element each.
pub type Sequence = Vec<Element>;

/// Two sequences in one sentence with at most `distance` tokens between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Near {
    pub first: Sequence,
    pub second: Sequence,
    pub distance: usize,
    /// `BEFORE`: `first` must come first. `NEAR`: either order.
    pub ordered: bool,
}

/// One word of a `words` list: exactly one token, matched in its folded form.
pub fn parse_word(word: &str) -> Result<Element, String> {
    single_token(word, "word")?;
    Ok(Element::Exact(fold(word.trim())))
}

/// One word of a `stems` list, stemmed as the analyser stems text.
pub fn parse_stem(analyzer: &Analyzer, word: &str) -> Result<Element, String> {
    single_token(word, "stem")?;
    Ok(Element::Stem(analyzer.stem_of(word.trim())))
}

pub fn parse_glob(word: &str) -> Result<Element, String> {
    Ok(Element::Glob(Glob::new(&fold(word.trim()))?))
}

fn single_token(word: &str, what: &str) -> Result<(), String> {
    let trimmed = word.trim();
    let spans: Vec<_> = token_spans(trimmed).collect();
    match spans.as_slice() {
        [] => Err(format!("a {what} needs at least one letter or digit")),
        [only] if *only == (0..trimmed.len()) => Ok(()),
        [_] => Err(format!(
            "a {what} is one token; `{trimmed}` has characters that separate tokens"
        )),
        _ => Err(format!(
            "a {what} is one token; `{trimmed}` is {} tokens: list it under `phrases`",
            spans.len()
        )),
    }
}

/// A phrase: whitespace-separated elements. A plain word matches by stem (and a word the
/// analyser splits, like `top-down`, becomes several); `=word` matches the exact form; a word
/// with `*` or `?` is a glob; `<neg>` is any negator.
pub fn parse_sequence(analyzer: &Analyzer, phrase: &str) -> Result<Sequence, String> {
    let mut elements = Vec::new();
    for raw in phrase.split_whitespace() {
        if raw.eq_ignore_ascii_case("<neg>") {
            elements.push(Element::Negator);
        } else if let Some(exact) = raw.strip_prefix('=') {
            let words: Vec<&str> = token_spans(exact).map(|r| &exact[r]).collect();
            if words.is_empty() {
                return Err(format!("`{raw}`: `=` must be followed by a word"));
            }
            elements.extend(words.into_iter().map(|w| Element::Exact(fold(w))));
        } else if raw.contains(['*', '?']) {
            elements.push(parse_glob(raw).map_err(|e| format!("`{raw}`: {e}"))?);
        } else {
            let words: Vec<&str> = token_spans(raw).map(|r| &raw[r]).collect();
            elements.extend(
                words
                    .into_iter()
                    .map(|w| Element::Stem(analyzer.stem_of(w))),
            );
        }
    }
    if elements.is_empty() {
        return Err("the pattern has no words".into());
    }
    Ok(elements)
}

/// `A NEAR/n B` or `A BEFORE/n B`, where an operand is one element or a "quoted phrase".
pub fn parse_near(analyzer: &Analyzer, expression: &str) -> Result<Near, String> {
    let operator = expression
        .match_indices(" NEAR/")
        .chain(expression.match_indices(" BEFORE/"))
        .min_by_key(|(at, _)| *at);
    let Some((at, op)) = operator else {
        return Err("expected `A NEAR/n B` or `A BEFORE/n B` (operators in capitals)".into());
    };
    let ordered = op == " BEFORE/";
    let after_op = &expression[at + op.len()..];
    let digits: String = after_op.chars().take_while(char::is_ascii_digit).collect();
    let distance: usize = digits.parse().map_err(|_| {
        format!(
            "`{}` must be followed by a number of tokens, as in NEAR/5",
            op.trim()
        )
    })?;
    if distance > 50 {
        return Err(format!(
            "a distance of {distance} tokens is more than 50: use a theme with two rules instead"
        ));
    }
    let first = parse_operand(analyzer, &expression[..at])?;
    let second = parse_operand(analyzer, &after_op[digits.len()..])?;
    Ok(Near {
        first,
        second,
        distance,
        ordered,
    })
}

fn parse_operand(analyzer: &Analyzer, operand: &str) -> Result<Sequence, String> {
    let operand = operand.trim();
    if operand.is_empty() {
        return Err("an operand of NEAR/BEFORE is missing".into());
    }
    if let Some(inner) = operand.strip_prefix('"') {
        let inner = inner
            .strip_suffix('"')
            .ok_or_else(|| format!("unbalanced quote in `{operand}`"))?;
        return parse_sequence(analyzer, inner);
    }
    if operand.split_whitespace().count() > 1 {
        return Err(format!(
            "`{operand}` is several words: quote it as a phrase, \"{operand}\""
        ));
    }
    parse_sequence(analyzer, operand)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(word: &str) -> Element {
        Element::Stem(Analyzer::english().stem_of(word))
    }

    #[test]
    fn phrase_words_match_by_stem_unless_exact_or_glob() {
        let analyzer = Analyzer::english();
        let seq = parse_sequence(&analyzer, "<neg> =involved tick* boxes").unwrap();
        assert_eq!(seq[0], Element::Negator);
        assert_eq!(seq[1], Element::Exact("involved".into()));
        assert!(matches!(seq[2], Element::Glob(_)));
        assert_eq!(seq[3], stem("box"));
    }

    #[test]
    fn hyphenated_phrase_words_split_like_the_text() {
        let seq = parse_sequence(&Analyzer::english(), "top-down").unwrap();
        assert_eq!(seq, vec![stem("top"), stem("down")]);
    }

    #[test]
    fn near_parses_operands_and_distance() {
        let analyzer = Analyzer::english();
        let near = parse_near(&analyzer, "councillor* NEAR/5 \"not listened\"").unwrap();
        assert_eq!(near.distance, 5);
        assert!(!near.ordered);
        assert_eq!(near.second.len(), 2);
        let before = parse_near(&analyzer, "member BEFORE/3 ignor*").unwrap();
        assert!(before.ordered);
    }

    #[test]
    fn malformed_near_says_what_is_wrong() {
        let analyzer = Analyzer::english();
        assert!(parse_near(&analyzer, "a near/5 b")
            .unwrap_err()
            .contains("capitals"));
        assert!(parse_near(&analyzer, "cost NEAR/x b")
            .unwrap_err()
            .contains("number"));
        assert!(parse_near(&analyzer, "NEAR/3 cut").is_err());
        assert!(parse_near(&analyzer, "cost cutting NEAR/3 staff")
            .unwrap_err()
            .contains("quote"));
    }

    #[test]
    fn words_and_stems_are_single_tokens() {
        let analyzer = Analyzer::english();
        assert!(parse_word("top down").unwrap_err().contains("phrases"));
        assert!(parse_word("top-down").is_err());
        assert_eq!(
            parse_word("Hasn’t").unwrap(),
            Element::Exact("hasn't".into())
        );
        assert_eq!(
            parse_stem(&analyzer, "engaged").unwrap(),
            stem("engagement")
        );
    }
}
