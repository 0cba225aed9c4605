//! Splits a query into its lexical pieces, each with its byte span.
use std::ops::Range;

use super::QueryError;

#[derive(Debug, Clone, PartialEq)]
pub enum Lexeme {
    Open,
    Close,
    /// `-` straight before a term: NOT.
    Minus,
    /// A "quoted phrase", without its quotes.
    Quoted(String),
    /// A run of other characters: a word, `AND`/`OR`/`NOT`, or `field:value`.
    Bare(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    pub lexeme: Lexeme,
    pub span: Range<usize>,
    /// No white space separates this lexeme from the previous one (`field:"value"`).
    pub glued: bool,
}

fn is_bare(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '(' | ')' | '"')
}

pub fn lex(query: &str) -> Result<Vec<Spanned>, QueryError> {
    let mut out = Vec::new();
    let mut chars = query.char_indices().peekable();
    let mut previous_end = usize::MAX;
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let glued = start == previous_end;
        let (lexeme, end) = match c {
            '(' => (Lexeme::Open, start + 1),
            ')' => (Lexeme::Close, start + 1),
            '"' => {
                let mut text = String::new();
                let mut end = None;
                while let Some((i, c)) = chars.next() {
                    match c {
                        '"' => {
                            end = Some(i + 1);
                            break;
                        }
                        '\\' if chars.peek().is_some_and(|&(_, next)| next == '"') => {
                            text.push('"');
                            chars.next();
                        }
                        _ => text.push(c),
                    }
                }
                let Some(end) = end else {
                    return Err(QueryError::new(
                        query,
                        start..query.len(),
                        "this quote is never closed: add a closing \"",
                    ));
                };
                (Lexeme::Quoted(text), end)
            }
            '-' if chars
                .peek()
                .is_some_and(|&(_, next)| next == '(' || next == '"')
                || chars
                    .peek()
                    .is_some_and(|&(_, next)| is_bare(next) && next != '-') =>
            {
                (Lexeme::Minus, start + 1)
            }
            _ => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, next)) = chars.peek() {
                    if !is_bare(next) {
                        break;
                    }
                    end = i + next.len_utf8();
                    chars.next();
                }
                (Lexeme::Bare(query[start..end].to_string()), end)
            }
        };
        out.push(Spanned {
            lexeme,
            span: start..end,
            glued,
        });
        previous_end = end;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexemes(query: &str) -> Vec<Lexeme> {
        lex(query).unwrap().into_iter().map(|s| s.lexeme).collect()
    }

    #[test]
    fn splits_words_phrases_and_parentheses() {
        assert_eq!(
            lexemes(r#"theme:exclusion ("top down" OR -jargon)"#),
            vec![
                Lexeme::Bare("theme:exclusion".into()),
                Lexeme::Open,
                Lexeme::Quoted("top down".into()),
                Lexeme::Bare("OR".into()),
                Lexeme::Minus,
                Lexeme::Bare("jargon".into()),
                Lexeme::Close,
            ]
        );
    }

    #[test]
    fn a_value_in_quotes_is_glued_to_its_field() {
        let lexed = lex(r#"confidence:"not very confident""#).unwrap();
        assert_eq!(lexed.len(), 2);
        assert!(lexed[1].glued);
        assert_eq!(lexed[1].span, 11..31);
    }

    #[test]
    fn negative_numbers_stay_in_their_term() {
        assert_eq!(
            lexemes("sentiment<-0.3"),
            vec![Lexeme::Bare("sentiment<-0.3".into())]
        );
    }

    #[test]
    fn an_unclosed_quote_points_at_the_quote() {
        let error = lex(r#"jargon "top down"#).unwrap_err();
        assert_eq!(error.start, 7);
    }
}
