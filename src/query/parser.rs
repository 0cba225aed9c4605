//! The query grammar, by recursive descent:
//!
//! ```text
//! query   := or
//! or      := and ("OR" and)*
//! and     := unary (["AND"] unary)*        two terms side by side must both match
//! unary   := ("NOT" | "-") unary | primary
//! primary := "(" or ")" | term
//! term    := word | =word | prefix* | "phrase" | field op value
//! op      := ":" | "=" | "<" | "<=" | ">" | ">="
//! ```
use std::ops::Range;

use super::lexer::{lex, Lexeme, Spanned};
use super::QueryError;

/// Parentheses and NOTs nest at most this deep: a query is typed by a person, and the limit
/// keeps a hostile query from exhausting the stack.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Term(Term),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub kind: TermKind,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TermKind {
    /// A word, matched by its stem.
    Word(String),
    /// `=word`: this exact (folded) word only.
    Exact(String),
    /// `word*`: every word that starts with this.
    Prefix(String),
    /// A quoted phrase: these words in this order, within a clause.
    Phrase(String),
    Field(FieldTerm),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldTerm {
    pub field: String,
    pub field_span: Range<usize>,
    pub op: Op,
    pub value: Value,
    pub value_span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `:` or `=`
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    One(String),
    /// `low..high`, both ends included; either may be empty (open).
    Range(String, String),
}

impl Expr {
    /// Every term of the query with whether it is wanted (under an even number of NOTs).
    pub fn terms(&self) -> Vec<(&Term, bool)> {
        fn walk<'a>(expr: &'a Expr, wanted: bool, out: &mut Vec<(&'a Term, bool)>) {
            match expr {
                Expr::And(items) | Expr::Or(items) => {
                    items.iter().for_each(|e| walk(e, wanted, out));
                }
                Expr::Not(inner) => walk(inner, !wanted, out),
                Expr::Term(term) => out.push((term, wanted)),
            }
        }
        let mut out = Vec::new();
        walk(self, true, &mut out);
        out
    }
}

pub fn parse(query: &str) -> Result<Expr, QueryError> {
    let lexemes = lex(query)?;
    if lexemes.is_empty() {
        return Err(QueryError::new(
            query,
            0..query.len(),
            "the query is empty: type words, \"a phrase\" or a filter such as theme:funding",
        ));
    }
    let mut parser = Parser {
        query,
        lexemes,
        at: 0,
        depth: 0,
    };
    let expr = parser.or()?;
    if let Some(extra) = parser.lexemes.get(parser.at) {
        let message = match extra.lexeme {
            Lexeme::Close => "this ) has no matching (",
            _ => "unexpected text here",
        };
        return Err(parser.error(extra.span.clone(), message));
    }
    Ok(expr)
}

struct Parser<'q> {
    query: &'q str,
    lexemes: Vec<Spanned>,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> QueryError {
        QueryError::new(self.query, span, message)
    }

    fn peek(&self) -> Option<&Spanned> {
        self.lexemes.get(self.at)
    }

    fn peek_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(Spanned { lexeme: Lexeme::Bare(word), .. }) if word == keyword)
    }

    fn end_span(&self) -> Range<usize> {
        self.query.len()..self.query.len()
    }

    fn descend(&mut self, span: Range<usize>) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(
                span,
                format!("the query nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut items = vec![self.and()?];
        while self.peek_keyword("OR") {
            self.at += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut items = vec![self.unary()?];
        loop {
            if self.peek_keyword("AND") {
                self.at += 1;
                items.push(self.unary()?);
                continue;
            }
            match self.peek() {
                None => break,
                Some(next) if next.lexeme == Lexeme::Close => break,
                Some(_) if self.peek_keyword("OR") => break,
                Some(_) => items.push(self.unary()?),
            }
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Expr::And(items)
        })
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        let Some(next) = self.peek().cloned() else {
            return Err(self.error(
                self.end_span(),
                "the query ends where a word or filter was expected",
            ));
        };
        let negation = next.lexeme == Lexeme::Minus || self.peek_keyword("NOT");
        if negation {
            self.at += 1;
            self.descend(next.span.clone())?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        let next = self
            .peek()
            .cloned()
            .expect("unary checked there is a lexeme");
        self.at += 1;
        match next.lexeme {
            Lexeme::Open => {
                self.descend(next.span.clone())?;
                if self.peek().is_none() {
                    return Err(self.error(next.span, "this ( is never closed: add a )"));
                }
                if self.peek().is_some_and(|s| s.lexeme == Lexeme::Close) {
                    return Err(self.error(next.span.start..next.span.end + 1, "empty parentheses"));
                }
                let inner = self.or()?;
                self.depth -= 1;
                match self.peek() {
                    Some(Spanned {
                        lexeme: Lexeme::Close,
                        ..
                    }) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    _ => Err(self.error(next.span, "this ( is never closed: add a )")),
                }
            }
            Lexeme::Close => Err(self.error(next.span, "this ) has no matching (")),
            Lexeme::Minus => unreachable!("unary handles -"),
            Lexeme::Quoted(text) => {
                if text.trim().is_empty() {
                    return Err(self.error(next.span, "empty phrase"));
                }
                Ok(Expr::Term(Term {
                    kind: TermKind::Phrase(text),
                    span: next.span,
                }))
            }
            Lexeme::Bare(word) => self.bare(&word, next.span),
        }
    }

    fn bare(&mut self, word: &str, span: Range<usize>) -> Result<Expr, QueryError> {
        if matches!(word, "AND" | "OR") {
            return Err(self.error(span, format!("{word} needs a term on both sides")));
        }
        if let Some(exact) = word.strip_prefix('=') {
            if exact.is_empty() {
                return Err(self.error(span, "= must be followed by a word, as in =fund"));
            }
            return Ok(Expr::Term(Term {
                kind: TermKind::Exact(exact.to_string()),
                span,
            }));
        }
        if let Some(at) = word.find([':', '<', '>', '=']) {
            return self.field(word, span, at);
        }
        if let Some(prefix) = word.strip_suffix('*') {
            if prefix.is_empty() || prefix.contains('*') {
                return Err(self.error(span, "* ends a word prefix, as in fund*"));
            }
            return Ok(Expr::Term(Term {
                kind: TermKind::Prefix(prefix.to_string()),
                span,
            }));
        }
        Ok(Expr::Term(Term {
            kind: TermKind::Word(word.to_string()),
            span,
        }))
    }

    /// `field op value`, where the operator starts at byte `at` of `word`.
    fn field(&mut self, word: &str, span: Range<usize>, at: usize) -> Result<Expr, QueryError> {
        let field = &word[..at];
        let field_span = span.start..span.start + at;
        if field.is_empty() {
            return Err(self.error(
                span.start..span.start + 1,
                "a filter needs a field name before the operator, as in theme:funding",
            ));
        }
        let rest = &word[at..];
        let (op, op_len) = if rest.starts_with("<=") {
            (Op::Le, 2)
        } else if rest.starts_with(">=") {
            (Op::Ge, 2)
        } else if rest.starts_with('<') {
            (Op::Lt, 1)
        } else if rest.starts_with('>') {
            (Op::Gt, 1)
        } else {
            (Op::Eq, 1)
        };
        let value_start = span.start + at + op_len;
        let mut value_text = word[at + op_len..].to_string();
        let mut value_span = value_start..span.end;
        let mut quoted = false;
        let mut end = span.end;
        let open_range = value_text.ends_with("..");
        if value_text.is_empty() || open_range {
            if let Some(Spanned {
                lexeme: Lexeme::Quoted(text),
                span: quoted_span,
                glued: true,
            }) = self.peek().cloned()
            {
                self.at += 1;
                if open_range {
                    // `low.."high words"`: the quoted part is the high end.
                    value_text.push_str(&text);
                    value_span = value_span.start..quoted_span.end;
                } else {
                    value_text = text;
                    value_span = quoted_span.clone();
                    quoted = true;
                }
                end = quoted_span.end;
            } else if value_text.is_empty() {
                return Err(self.error(
                    span.start..span.end,
                    format!("{field} has no value: write {field}:value, or {field}:\"two words\""),
                ));
            }
        }
        let value = match value_text.split_once("..") {
            Some((low, high)) if !quoted => {
                if op != Op::Eq {
                    return Err(self.error(
                        value_span,
                        "a range low..high goes after ':', as in sentiment:-1..-0.3",
                    ));
                }
                if low.is_empty() && high.is_empty() {
                    return Err(self.error(value_span, "a range needs at least one end"));
                }
                Value::Range(low.to_string(), high.to_string())
            }
            _ => Value::One(value_text),
        };
        Ok(Expr::Term(Term {
            kind: TermKind::Field(FieldTerm {
                field: field.to_string(),
                field_span,
                op,
                value,
                value_span,
            }),
            span: span.start..end,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> TermKind {
        TermKind::Word(w.into())
    }

    fn kinds(expr: &Expr) -> Vec<TermKind> {
        expr.terms()
            .into_iter()
            .map(|(t, _)| t.kind.clone())
            .collect()
    }

    #[test]
    fn words_side_by_side_are_all_required() {
        let expr = parse("jargon opaque").unwrap();
        assert!(matches!(expr, Expr::And(ref items) if items.len() == 2));
        assert_eq!(kinds(&expr), vec![word("jargon"), word("opaque")]);
    }

    #[test]
    fn or_binds_looser_than_and() {
        let expr = parse("a b OR c").unwrap();
        let Expr::Or(items) = expr else {
            panic!("expected OR")
        };
        assert!(matches!(items[0], Expr::And(_)));
        assert!(matches!(items[1], Expr::Term(_)));
    }

    #[test]
    fn filters_and_comparisons() {
        let expr = parse(
            r#"theme:funding confidence:"not very confident" role:leader sentiment<-0.3 confidence<=fairly"#,
        )
        .unwrap();
        let fields: Vec<(String, Op, Value)> = expr
            .terms()
            .into_iter()
            .map(|(t, _)| match &t.kind {
                TermKind::Field(f) => (f.field.clone(), f.op, f.value.clone()),
                other => panic!("not a field: {other:?}"),
            })
            .collect();
        assert_eq!(
            fields,
            vec![
                ("theme".into(), Op::Eq, Value::One("funding".into())),
                (
                    "confidence".into(),
                    Op::Eq,
                    Value::One("not very confident".into())
                ),
                ("role".into(), Op::Eq, Value::One("leader".into())),
                ("sentiment".into(), Op::Lt, Value::One("-0.3".into())),
                ("confidence".into(), Op::Le, Value::One("fairly".into())),
            ]
        );
    }

    #[test]
    fn ranges_exact_words_prefixes_and_negation() {
        let expr = parse("sentiment:-1..-0.3 =fund fund* -jargon NOT (a OR b)").unwrap();
        let terms = expr.terms();
        assert!(matches!(&terms[0].0.kind, TermKind::Field(f)
            if f.value == Value::Range("-1".into(), "-0.3".into())));
        assert_eq!(terms[1].0.kind, TermKind::Exact("fund".into()));
        assert_eq!(terms[2].0.kind, TermKind::Prefix("fund".into()));
        assert_eq!((&terms[3].0.kind, terms[3].1), (&word("jargon"), false));
        assert!(!terms[4].1 && !terms[5].1);
    }

    #[test]
    fn errors_point_at_the_fault() {
        let cases = [
            ("(jargon", 0, "never closed"),
            ("jargon)", 6, "no matching"),
            ("jargon OR", 9, "ends where"),
            ("theme:", 0, "no value"),
            ("OR jargon", 0, "both sides"),
            ("()", 0, "empty parentheses"),
            ("\"\"", 0, "empty phrase"),
            (":x", 0, "field name"),
            ("   ", 0, "empty"),
        ];
        for (query, position, words) in cases {
            let error = parse(query).unwrap_err();
            assert_eq!(error.start, position, "{query}: {error}");
            assert!(error.message.contains(words), "{query}: {}", error.message);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let query = "(".repeat(10_000) + "a" + &")".repeat(10_000);
        assert!(parse(&query).unwrap_err().message.contains("nests deeper"));
        let nots = "NOT ".repeat(10_000) + "a";
        assert!(parse(&nots).is_err());
    }
}
