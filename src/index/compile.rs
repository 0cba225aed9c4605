//! Turns a parsed query into a tantivy query over a survey index: words through the same
//! analyser as the comments, themes to facets, closed questions to their levels, attributes to
//! the values the index holds. Every name or value that does not resolve is an error that
//! points at it and lists what would.
use std::ops::{Bound, Range};

use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexPhraseQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::fields::facet;
use super::highlight::Highlighter;
use super::manifest::ClosedSpec;
use super::tokenizer::{exact_term, index_words, stem_alternatives, EXACT_MARK};
use super::value_counts::distinct_values;
use super::SurveyIndex;
use crate::query::{parse, Expr, FieldTerm, Op, QueryError, TermKind, Value};
use crate::text::fold;

pub struct CompiledQuery {
    pub query: Box<dyn Query>,
    /// What to highlight in a hit: the wanted words, phrases and themes.
    pub highlighter: Highlighter,
    /// How filters were understood ("confidence <= Fairly confident: ..."), for the user.
    pub notes: Vec<String>,
    /// Whether wanted words give comments different scores; without them every hit scores
    /// the same, and relevance order is input order.
    pub scored: bool,
}

/// Parses `query` and resolves it against the index `searcher` reads.
pub fn compile(
    index: &SurveyIndex,
    searcher: &Searcher,
    query: &str,
) -> Result<CompiledQuery, QueryError> {
    let expr = parse(query)?;
    let mut compiler = Compiler {
        index,
        searcher,
        query,
        highlighter: Highlighter::default(),
        notes: Vec::new(),
    };
    let compiled = compiler.expr(&expr, true)?;
    let scored = expr
        .terms()
        .iter()
        .any(|(term, wanted)| *wanted && !matches!(term.kind, TermKind::Field(_)));
    Ok(CompiledQuery {
        query: compiled,
        highlighter: compiler.highlighter,
        notes: compiler.notes,
        scored,
    })
}

/// Field names as users type them: case and punctuation do not matter.
pub fn key(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                '_'
            }
        })
        .collect()
}

/// Words of a level or value, compared loosely.
fn loose(text: &str) -> String {
    fold(text)
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn filter(query: Box<dyn Query>) -> Box<dyn Query> {
    // Filters say which comments qualify, not how relevant they are.
    Box::new(ConstScoreQuery::new(query, 0.0))
}

fn list(items: impl IntoIterator<Item = impl AsRef<str>>, most: usize) -> String {
    let items: Vec<String> = items.into_iter().map(|s| s.as_ref().to_string()).collect();
    let shown: Vec<String> = items.iter().take(most).map(|s| format!("{s:?}")).collect();
    if items.len() > most {
        format!("{}, and {} more", shown.join(", "), items.len() - most)
    } else {
        shown.join(", ")
    }
}

struct Compiler<'a> {
    index: &'a SurveyIndex,
    searcher: &'a Searcher,
    query: &'a str,
    highlighter: Highlighter,
    notes: Vec<String>,
}

impl Compiler<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> QueryError {
        QueryError::new(self.query, span, message)
    }

    fn expr(&mut self, expr: &Expr, wanted: bool) -> Result<Box<dyn Query>, QueryError> {
        Ok(match expr {
            Expr::And(items) => {
                let mut clauses = Vec::new();
                for item in items {
                    match item {
                        Expr::Not(inner) => {
                            clauses.push((Occur::MustNot, self.expr(inner, !wanted)?));
                        }
                        _ => clauses.push((Occur::Must, self.expr(item, wanted)?)),
                    }
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    clauses.push((Occur::Must, filter(Box::new(AllQuery))));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Expr::Or(items) => {
                let mut clauses = Vec::new();
                for item in items {
                    clauses.push((Occur::Should, self.expr(item, wanted)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Expr::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, filter(Box::new(AllQuery))),
                (Occur::MustNot, self.expr(inner, !wanted)?),
            ])),
            Expr::Term(term) => match &term.kind {
                TermKind::Word(word) => self.words(word, term.span.clone(), wanted)?,
                TermKind::Phrase(phrase) => self.words(phrase, term.span.clone(), wanted)?,
                TermKind::Exact(word) => {
                    let norm = fold(word);
                    if norm.trim().is_empty() {
                        return Err(self.error(term.span.clone(), "nothing to search for"));
                    }
                    if wanted {
                        self.highlighter.exact.insert(norm.clone());
                    }
                    let text = format!("{EXACT_MARK}{norm}");
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.index.fields.text, &text),
                        IndexRecordOption::WithFreqs,
                    ))
                }
                TermKind::Prefix(prefix) => {
                    let norm = fold(prefix);
                    if wanted {
                        self.highlighter.prefixes.insert(norm.clone());
                    }
                    let pattern = format!("{EXACT_MARK}{}.*", regex::escape(&norm));
                    let regex = RegexQuery::from_pattern(&pattern, self.index.fields.text)
                        .map_err(|e| self.error(term.span.clone(), e.to_string()))?;
                    Box::new(regex)
                }
                TermKind::Field(field) => self.field(field, wanted)?,
            },
        })
    }

    /// A word or a phrase, analysed as comments are: one word is a term, several a phrase whose
    /// gaps (a comma) must be in the comment too. `=word` inside a phrase matches exactly.
    fn words(
        &mut self,
        text: &str,
        span: Range<usize>,
        wanted: bool,
    ) -> Result<Box<dyn Query>, QueryError> {
        let analysis = self.index.analyzer.analyze(text);
        let words = index_words(&analysis);
        if words.is_empty() {
            return Err(self.error(span, "no word to search for here"));
        }
        let field = self.index.fields.text;
        // Per position, the terms that match there: a stem is two terms where the word spelt as
        // the stem is its own stem (see `stem_alternatives`); those the index lacks are dropped.
        let mut chosen: Vec<(usize, String)> = Vec::new();
        let mut alternatives: Vec<(usize, Vec<Term>)> = Vec::new();
        for word in &words {
            let exact_wanted = word.span.start > 0 && text[..word.span.start].ends_with(EXACT_MARK);
            let texts = if exact_wanted {
                vec![exact_term(word.norm)]
            } else {
                stem_alternatives(&self.index.analyzer, word.stem)
            };
            chosen.push((word.position, texts[0].clone()));
            let mut terms: Vec<Term> = texts
                .iter()
                .map(|text| Term::from_field_text(field, text))
                .collect();
            let present = |term: &Term| self.searcher.doc_freq(term).is_ok_and(|n| n > 0);
            if terms.iter().any(present) {
                terms.retain(present);
            } else {
                // None is in the index: one is enough to match nothing.
                terms.truncate(1);
            }
            alternatives.push((word.position, terms));
        }
        if wanted {
            self.highlighter.add_sequence(&chosen);
        }
        if let [(_, terms)] = alternatives.as_slice() {
            let term_query = |term: &Term| -> Box<dyn Query> {
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs))
            };
            return Ok(match terms.as_slice() {
                [term] => term_query(term),
                _ => Box::new(BooleanQuery::new(
                    terms
                        .iter()
                        .map(|t| (Occur::Should, term_query(t)))
                        .collect(),
                )),
            });
        }
        if alternatives.iter().all(|(_, terms)| terms.len() == 1) {
            return Ok(Box::new(PhraseQuery::new_with_offset(
                alternatives
                    .into_iter()
                    .map(|(position, mut terms)| (position, terms.remove(0)))
                    .collect(),
            )));
        }
        // A phrase with a choice of terms somewhere: each position a pattern of its terms.
        let patterns = alternatives
            .into_iter()
            .map(|(position, terms)| {
                let pattern = terms
                    .iter()
                    .map(|term| regex::escape(term.value().as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join("|");
                (position, pattern)
            })
            .collect();
        Ok(Box::new(RegexPhraseQuery::new_with_offset(field, patterns)))
    }

    fn field(&mut self, term: &FieldTerm, wanted: bool) -> Result<Box<dyn Query>, QueryError> {
        let name = key(&term.field);
        let manifest = &self.index.manifest;
        match name.as_str() {
            "theme" => return self.theme(term, wanted),
            "question" => return self.question(term),
            "sentiment" => {
                return self.number(term, self.index.fields.sentiment);
            }
            "id" | "respondent" => {
                let value = self.one_value(term)?;
                let field = self.index.fields.respondent;
                let term = Term::from_field_text(field, value.trim());
                let indexed = self.searcher.schema().get_field_entry(field).is_indexed();
                return Ok(filter(if indexed {
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                } else {
                    Box::new(RangeQuery::new(
                        Bound::Included(term.clone()),
                        Bound::Included(term),
                    ))
                }));
            }
            _ => {}
        }
        if let Some(theme) = name
            .strip_prefix("sentiment_")
            .or(name.strip_prefix("sentiment."))
        {
            if let Some(t) = manifest.themes.iter().position(|t| key(&t.id) == theme) {
                return self.number(term, self.index.fields.theme_sentiment[t]);
            }
        }
        if let Some(q) = manifest
            .survey
            .closed
            .iter()
            .position(|c| key(&c.column) == name)
        {
            return self.closed(term, q);
        }
        if let Some(a) = manifest
            .survey
            .attributes
            .iter()
            .position(|a| key(a) == name)
        {
            return self.attribute(term, a);
        }
        let mut known: Vec<String> = vec!["theme".into(), "question".into(), "sentiment".into()];
        known.extend(manifest.survey.closed.iter().map(|c| c.column.clone()));
        known.extend(manifest.survey.attributes.iter().cloned());
        known.push("id".into());
        known.push("sentiment.THEME".into());
        Err(self.error(
            term.field_span.clone(),
            format!(
                "no field {:?} in this index; fields: {}",
                term.field,
                known.join(", ")
            ),
        ))
    }

    fn one_value<'t>(&self, term: &'t FieldTerm) -> Result<&'t str, QueryError> {
        match (&term.value, term.op) {
            (Value::One(value), Op::Eq) => Ok(value),
            (Value::Range(..), _) => Err(self.error(
                term.value_span.clone(),
                format!("{} takes one value, not a range", term.field),
            )),
            _ => Err(self.error(
                term.field_span.start..term.value_span.start,
                format!("{} can only be matched with ':', not compared", term.field),
            )),
        }
    }

    fn theme(&mut self, term: &FieldTerm, wanted: bool) -> Result<Box<dyn Query>, QueryError> {
        let value = self.one_value(term)?;
        let manifest = &self.index.manifest;
        let found = manifest
            .themes
            .iter()
            .position(|t| t.id.eq_ignore_ascii_case(value))
            .or_else(|| {
                manifest
                    .themes
                    .iter()
                    .position(|t| t.label.eq_ignore_ascii_case(value))
            });
        let Some(t) = found else {
            // Every coded comment carries the facet of its theme's top-level ancestor.
            let roots = manifest
                .themes
                .iter()
                .filter(|t| t.parent.is_none())
                .map(|t| -> Box<dyn Query> {
                    Box::new(TermQuery::new(
                        Term::from_facet(self.index.fields.theme, &facet(&t.facet)),
                        IndexRecordOption::Basic,
                    ))
                })
                .map(|q| (Occur::Should, q))
                .collect();
            let exists = BooleanQuery::new(roots);
            return match value.to_ascii_lowercase().as_str() {
                "none" => Ok(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, filter(Box::new(AllQuery))),
                    (Occur::MustNot, Box::new(exists)),
                ]))),
                "any" => Ok(filter(Box::new(exists))),
                _ => Err(self.error(
                    term.value_span.clone(),
                    format!(
                        "no theme {value:?} in codebook {:?}; themes: {} (or none, any)",
                        manifest.codebook.name,
                        list(manifest.themes.iter().map(|t| &t.id), 60)
                    ),
                )),
            };
        };
        if wanted {
            for d in manifest.theme_and_descendants(t) {
                self.highlighter
                    .themes
                    .insert(manifest.themes[d].id.clone());
            }
        }
        // A facet term matches the facet and every facet under it: children code parents.
        let term = Term::from_facet(self.index.fields.theme, &facet(&manifest.themes[t].facet));
        Ok(filter(Box::new(TermQuery::new(
            term,
            IndexRecordOption::Basic,
        ))))
    }

    fn question(&mut self, term: &FieldTerm) -> Result<Box<dyn Query>, QueryError> {
        let value = self.one_value(term)?;
        let open = &self.index.manifest.survey.open;
        let wanted = loose(value);
        let found = open
            .iter()
            .find(|q| key(&q.column) == key(value))
            .or_else(|| open.iter().find(|q| loose(&q.question) == wanted))
            .or_else(|| {
                let mut containing = open
                    .iter()
                    .filter(|q| !wanted.is_empty() && loose(&q.question).contains(&wanted));
                match (containing.next(), containing.next()) {
                    (Some(q), None) => Some(q),
                    _ => None,
                }
            });
        let Some(question) = found else {
            return Err(self.error(
                term.value_span.clone(),
                format!(
                    "no open question {value:?}; questions: {}",
                    list(
                        open.iter()
                            .map(|q| format!("{} ({})", q.column, q.question)),
                        20
                    )
                ),
            ));
        };
        Ok(filter(Box::new(TermQuery::new(
            Term::from_field_text(self.index.fields.question, &question.column),
            IndexRecordOption::Basic,
        ))))
    }

    fn parse_number(&self, text: &str, span: Range<usize>) -> Result<f64, QueryError> {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| self.error(span, format!("{text:?} is not a number")))
    }

    fn number(&mut self, term: &FieldTerm, field: Field) -> Result<Box<dyn Query>, QueryError> {
        let span = term.value_span.clone();
        let bound = |text: &str, included: bool| -> Result<Bound<Term>, QueryError> {
            if text.trim().is_empty() {
                return Ok(Bound::Unbounded);
            }
            let value = self.parse_number(text, span.clone())?;
            let term = Term::from_field_f64(field, value);
            Ok(if included {
                Bound::Included(term)
            } else {
                Bound::Excluded(term)
            })
        };
        let (low, high) = match (&term.value, term.op) {
            (Value::Range(low, high), _) => (bound(low, true)?, bound(high, true)?),
            (Value::One(value), Op::Lt) => (Bound::Unbounded, bound(value, false)?),
            (Value::One(value), Op::Le) => (Bound::Unbounded, bound(value, true)?),
            (Value::One(value), Op::Gt) => (bound(value, false)?, Bound::Unbounded),
            (Value::One(value), Op::Ge) => (bound(value, true)?, Bound::Unbounded),
            (Value::One(value), Op::Eq) => (bound(value, true)?, bound(value, true)?),
        };
        if self.index.manifest.sentiment.is_none() {
            return Err(self.error(
                term.field_span.clone(),
                "this index was built without sentiment (--no-sentiment)",
            ));
        }
        Ok(filter(Box::new(RangeQuery::new(low, high))))
    }

    fn closed(&mut self, term: &FieldTerm, q: usize) -> Result<Box<dyn Query>, QueryError> {
        let spec = &self.index.manifest.survey.closed[q];
        let fields = &self.index.fields;
        let level = |value: &str| -> Result<usize, QueryError> {
            resolve_level(spec, value)
                .map_err(|message| self.error(term.value_span.clone(), message))
        };
        if let (Value::One(value), Op::Eq) = (&term.value, term.op) {
            let l = level(value)?;
            return Ok(filter(Box::new(TermQuery::new(
                Term::from_field_text(fields.closed[q], &spec.levels[l]),
                IndexRecordOption::Basic,
            ))));
        }
        if !spec.ordered {
            return Err(self.error(
                term.field_span.start..term.value_span.end,
                format!(
                    "{} is not an ordered question, so it cannot be compared; match a level with {}:\"level\"",
                    spec.column, spec.column
                ),
            ));
        }
        let substantive = spec
            .levels
            .iter()
            .enumerate()
            .filter(|(i, _)| spec.is_substantive(*i))
            .count();
        let check = |l: usize| -> Result<usize, QueryError> {
            if spec.is_substantive(l) {
                Ok(l)
            } else {
                Err(self.error(
                    term.value_span.clone(),
                    format!(
                        "{:?} is not a point on the scale, so it cannot be compared",
                        spec.levels[l]
                    ),
                ))
            }
        };
        let (low, high) = match (&term.value, term.op) {
            (Value::Range(low, high), _) => (
                if low.is_empty() {
                    0
                } else {
                    check(level(low)?)?
                },
                if high.is_empty() {
                    substantive.saturating_sub(1)
                } else {
                    check(level(high)?)?
                },
            ),
            (Value::One(value), op) => {
                let l = check(level(value)?)?;
                match op {
                    Op::Lt if l == 0 => return Ok(Box::new(EmptyQuery)),
                    Op::Lt => (0, l - 1),
                    Op::Le => (0, l),
                    Op::Gt => (l + 1, substantive.saturating_sub(1)),
                    Op::Ge => (l, substantive.saturating_sub(1)),
                    Op::Eq => (l, l),
                }
            }
        };
        let chosen: Vec<&str> = spec
            .levels
            .iter()
            .enumerate()
            .filter(|(i, _)| (low..=high).contains(i))
            .map(|(_, l)| l.as_str())
            .collect();
        let operator = match (&term.value, term.op) {
            (Value::Range(low, high), _) => format!("in {low}..{high}"),
            (Value::One(value), op) => format!("{} {value}", op_symbol(op)),
        };
        self.notes.push(format!(
            "{} {operator}: {} (levels in questionnaire order: {})",
            spec.column,
            if chosen.is_empty() {
                "no level".to_string()
            } else {
                chosen.join(", ")
            },
            spec.levels[..substantive].join(" < ")
        ));
        if low > high {
            return Ok(Box::new(EmptyQuery));
        }
        let field = fields.closed_level[q];
        Ok(filter(Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_u64(field, low as u64)),
            Bound::Included(Term::from_field_u64(field, high as u64)),
        ))))
    }

    fn attribute(&mut self, term: &FieldTerm, a: usize) -> Result<Box<dyn Query>, QueryError> {
        let value = self.one_value(term)?;
        let field = self.index.fields.attributes[a];
        let values = distinct_values(self.searcher, field);
        let wanted = loose(value);
        let mut matching: Vec<&String> = values.iter().filter(|v| loose(v) == wanted).collect();
        if matching.is_empty() {
            let name = &self.index.manifest.survey.attributes[a];
            return Err(self.error(
                term.value_span.clone(),
                if values.is_empty() {
                    format!("no comment in the index has a value for {name}")
                } else {
                    format!(
                        "no comment has {name} {value:?}; values: {}",
                        list(&values, 25)
                    )
                },
            ));
        }
        matching.dedup();
        let clauses: Vec<(Occur, Box<dyn Query>)> = matching
            .into_iter()
            .map(|v| {
                let query: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(field, v),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, query)
            })
            .collect();
        Ok(filter(Box::new(BooleanQuery::new(clauses))))
    }
}

fn op_symbol(op: Op) -> &'static str {
    match op {
        Op::Eq => "=",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Gt => ">",
        Op::Ge => ">=",
    }
}

/// The level a user means: exact (ignoring case and spacing), else the one level that starts
/// with the words given ("fairly" is "Fairly confident").
pub fn resolve_level(spec: &ClosedSpec, value: &str) -> Result<usize, String> {
    if let Some(l) = spec.to_question().level_index(value) {
        return Ok(l);
    }
    let wanted = loose(value);
    let starting: Vec<usize> = (0..spec.levels.len())
        .filter(|&l| {
            let level = loose(&spec.levels[l]);
            !wanted.is_empty()
                && level.starts_with(&wanted)
                && level[wanted.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ' ')
        })
        .collect();
    match starting.as_slice() {
        [l] => Ok(*l),
        [] => Err(format!(
            "{:?} is not a level of {}; levels: {}",
            value,
            spec.column,
            list(&spec.levels, 30)
        )),
        several => Err(format!(
            "{:?} could be any of {} of {}: write more of the level",
            value,
            list(several.iter().map(|&l| &spec.levels[l]), 30),
            spec.column
        )),
    }
}
