//! From the parsed file to a [`Codebook`]: validation that collects every problem with its line,
//! then the matcher.
use regex::RegexBuilder;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::error::{line_of, CodebookError, Problem};
use super::format::{CodebookFile, ExcludeScope, NegationPolicy, RuleDef, Settings, ThemeDef};
use super::matcher::{Body, Matcher};
use super::pattern::{parse_glob, parse_near, parse_sequence, parse_stem, parse_word};
use super::{Codebook, Rule, RuleKind, Theme};
use crate::text::Analyzer;

const DEFAULT_NEGATION_WINDOW: usize = 3;

struct Compiler<'s> {
    source: &'s str,
    problems: Vec<Problem>,
}

impl Compiler<'_> {
    fn problem(&mut self, offset: usize, context: String, message: impl Into<String>) {
        self.problems.push(Problem {
            line: line_of(self.source, offset),
            context,
            message: message.into(),
        });
    }
}

pub fn compile(source: &str, file: &str) -> Result<Codebook, CodebookError> {
    let fail = |problems| CodebookError {
        file: file.to_string(),
        problems,
    };
    let parsed: CodebookFile = toml::from_str(source).map_err(|err| {
        fail(vec![Problem {
            line: err.span().map_or(0, |span| line_of(source, span.start)),
            context: String::new(),
            message: err.message().trim().to_string(),
        }])
    })?;
    let mut compiler = Compiler {
        source,
        problems: Vec::new(),
    };
    let language = parsed.codebook.language.as_deref().unwrap_or("english");
    let Some(analyzer) = Analyzer::new(language) else {
        let known: Vec<&str> = crate::text::LANGUAGES
            .iter()
            .map(|(name, _)| *name)
            .collect();
        let offset = source.find("language").unwrap_or(0);
        compiler.problem(
            offset,
            "[codebook] language".into(),
            format!(
                "unknown language \"{language}\"; one of: {}",
                known.join(", ")
            ),
        );
        return Err(fail(compiler.problems));
    };

    let themes = compile_themes(&mut compiler, &parsed);
    let mut matcher = Matcher::default();
    let mut rules = Vec::new();
    for (index, def) in parsed.theme.iter().enumerate() {
        let settings = cascade(&parsed.defaults, def.get_ref());
        compile_rules(
            &mut compiler,
            &analyzer,
            &mut matcher,
            &mut rules,
            index,
            def,
            &settings,
        );
    }
    for (theme, def) in themes.iter().zip(&parsed.theme) {
        if !def.get_ref().has_patterns() && theme.children.is_empty() {
            compiler.problems.push(Problem {
                line: theme.line,
                context: format!("theme \"{}\"", theme.id),
                message: "has no rules and no child themes, so it can never be coded".into(),
            });
        }
    }
    if parsed.theme.is_empty() {
        compiler.problems.push(Problem {
            line: 0,
            context: String::new(),
            message: "no themes: add a [[theme]] table".into(),
        });
    }
    if !compiler.problems.is_empty() {
        compiler.problems.sort_by_key(|p| p.line);
        return Err(fail(compiler.problems));
    }
    matcher.finish();
    let deepest_first = deepest_first(&themes);
    Ok(Codebook {
        source: file.to_string(),
        name: parsed.codebook.name,
        version: parsed.codebook.version,
        description: parsed.codebook.description,
        hash: hash(source),
        themes,
        rules,
        analyzer,
        matcher,
        deepest_first,
    })
}

fn hash(source: &str) -> String {
    let digest = Sha256::digest(source.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

fn cascade(defaults: &Settings, theme: &ThemeDef) -> Settings {
    Settings {
        negation: theme.negation.or(defaults.negation),
        negation_window: theme.negation_window.or(defaults.negation_window),
        threshold: theme.threshold.or(defaults.threshold),
        exclude_scope: theme.exclude_scope.or(defaults.exclude_scope),
    }
}

fn compile_themes(compiler: &mut Compiler<'_>, parsed: &CodebookFile) -> Vec<Theme> {
    let mut themes: Vec<Theme> = Vec::new();
    for def in &parsed.theme {
        let theme = def.get_ref();
        let id = theme.id.get_ref();
        let offset = theme.id.span().start;
        let context = format!("theme \"{id}\"");
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            compiler.problem(
                offset,
                context.clone(),
                "an id uses only letters, digits, `_` and `-`",
            );
        }
        if themes.iter().any(|t| t.id == *id) {
            compiler.problem(
                offset,
                context.clone(),
                "this id is used by an earlier theme",
            );
        }
        let threshold = theme.threshold.or(parsed.defaults.threshold).unwrap_or(1.0);
        if !(threshold > 0.0 && threshold.is_finite()) {
            compiler.problem(offset, context, "threshold must be a positive number");
        }
        let lines = |texts: &Vec<Spanned<String>>| {
            texts
                .iter()
                .map(|t| {
                    (
                        t.get_ref().clone(),
                        line_of(compiler.source, t.span().start),
                    )
                })
                .collect()
        };
        themes.push(Theme {
            id: id.clone(),
            label: theme.label.clone().unwrap_or_else(|| id.clone()),
            description: theme.description.clone(),
            parent: None,
            children: Vec::new(),
            threshold,
            line: line_of(compiler.source, def.span().start),
            examples: lines(&theme.examples),
            counterexamples: lines(&theme.counterexamples),
        });
    }
    for (index, def) in parsed.theme.iter().enumerate() {
        let Some(parent) = &def.get_ref().parent else {
            continue;
        };
        let context = format!("theme \"{}\", parent", themes[index].id);
        match themes.iter().position(|t| t.id == *parent.get_ref()) {
            Some(p) if p == index => compiler.problem(
                parent.span().start,
                context,
                "a theme cannot be its own parent",
            ),
            Some(p) => {
                themes[index].parent = Some(p);
                themes[p].children.push(index);
            }
            None => {
                let known: Vec<&str> = themes.iter().map(|t| t.id.as_str()).collect();
                compiler.problem(
                    parent.span().start,
                    context,
                    format!(
                        "no theme \"{}\"; themes are: {}",
                        parent.get_ref(),
                        known.join(", ")
                    ),
                );
            }
        }
    }
    for index in 0..themes.len() {
        let mut seen = vec![index];
        let mut at = themes[index].parent;
        while let Some(parent) = at {
            if seen.contains(&parent) {
                let offset = parsed.theme[index].get_ref().id.span().start;
                let context = format!("theme \"{}\", parent", themes[index].id);
                compiler.problem(offset, context, "parents form a cycle");
                themes[index].parent = None;
                break;
            }
            seen.push(parent);
            at = themes[parent].parent;
        }
    }
    themes
}

fn deepest_first(themes: &[Theme]) -> Vec<usize> {
    let depth = |mut index: usize| {
        let mut depth = 0;
        while let Some(parent) = themes[index].parent {
            depth += 1;
            index = parent;
        }
        depth
    };
    let mut order: Vec<usize> = (0..themes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(depth(i)));
    order
}

/// A pattern to compile: where it came from and with what settings.
struct Source<'d> {
    kind: RuleKind,
    pattern: &'d Spanned<String>,
    id: Option<&'d str>,
    weight: f64,
    settings: Settings,
    exclude: Vec<&'d Spanned<String>>,
}

fn compile_rules(
    compiler: &mut Compiler<'_>,
    analyzer: &Analyzer,
    matcher: &mut Matcher,
    rules: &mut Vec<Rule>,
    theme_index: usize,
    def: &Spanned<ThemeDef>,
    settings: &Settings,
) {
    let theme = def.get_ref();
    let theme_id = theme.id.get_ref();
    let mut sources = Vec::new();
    let lists = [
        (RuleKind::Word, &theme.words),
        (RuleKind::Stem, &theme.stems),
        (RuleKind::Glob, &theme.globs),
        (RuleKind::Phrase, &theme.phrases),
        (RuleKind::Near, &theme.near),
        (RuleKind::Regex, &theme.regex),
    ];
    for (kind, patterns) in lists {
        for pattern in patterns {
            sources.push(Source {
                kind,
                pattern,
                id: None,
                weight: 1.0,
                settings: settings.clone(),
                exclude: theme.exclude.iter().collect(),
            });
        }
    }
    for rule in &theme.rule {
        if let Some(source) = rule_source(compiler, theme_id, rule, settings, &theme.exclude) {
            sources.push(source);
        }
    }
    for source in sources {
        let context = format!(
            "theme \"{theme_id}\", {} \"{}\"",
            source.kind.name(),
            source.pattern.get_ref()
        );
        let offset = source.pattern.span().start;
        let id = match source.id {
            Some(id) => id.to_string(),
            None => format!(
                "{theme_id}/{}:{}",
                source.kind.name(),
                source.pattern.get_ref()
            ),
        };
        if rules.iter().any(|r| r.id == id) {
            compiler.problem(offset, context, "listed twice in this theme");
            continue;
        }
        let body = match compile_body(analyzer, matcher, source.kind, source.pattern.get_ref()) {
            Ok(body) => body,
            Err(message) => {
                compiler.problem(offset, context, message);
                continue;
            }
        };
        let mut exclusions = Vec::new();
        for exclude in &source.exclude {
            match parse_sequence(analyzer, exclude.get_ref()) {
                Ok(sequence) => {
                    exclusions.push((exclude.get_ref().clone(), matcher.intern_all(sequence)));
                }
                Err(message) => compiler.problem(
                    exclude.span().start,
                    format!("theme \"{theme_id}\", exclude \"{}\"", exclude.get_ref()),
                    message,
                ),
            }
        }
        if !(source.weight != 0.0 && source.weight.is_finite()) {
            compiler.problem(
                offset,
                context,
                "weight must be a number other than 0 (negative: evidence against the theme)",
            );
            continue;
        }
        matcher.add_rule(body);
        rules.push(Rule {
            id,
            theme: theme_index,
            kind: source.kind,
            pattern: source.pattern.get_ref().clone(),
            weight: source.weight,
            negation: source.settings.negation.unwrap_or(NegationPolicy::Cancel),
            negation_window: source
                .settings
                .negation_window
                .unwrap_or(DEFAULT_NEGATION_WINDOW),
            exclude_scope: source
                .settings
                .exclude_scope
                .unwrap_or(ExcludeScope::Overlap),
            exclusions,
            line: line_of(compiler.source, offset),
        });
    }
}

fn rule_source<'d>(
    compiler: &mut Compiler<'_>,
    theme_id: &str,
    rule: &'d Spanned<RuleDef>,
    settings: &Settings,
    theme_exclude: &'d [Spanned<String>],
) -> Option<Source<'d>> {
    let def = rule.get_ref();
    let given: Vec<(RuleKind, &Spanned<String>)> = [
        (RuleKind::Word, &def.word),
        (RuleKind::Stem, &def.stem),
        (RuleKind::Glob, &def.glob),
        (RuleKind::Phrase, &def.phrase),
        (RuleKind::Near, &def.near),
        (RuleKind::Regex, &def.regex),
    ]
    .into_iter()
    .filter_map(|(kind, pattern)| pattern.as_ref().map(|p| (kind, p)))
    .collect();
    let [(kind, pattern)] = given.as_slice() else {
        compiler.problem(
            rule.span().start,
            format!("theme \"{theme_id}\", [[theme.rule]]"),
            "a rule has exactly one of word, stem, glob, phrase, near, regex",
        );
        return None;
    };
    Some(Source {
        kind: *kind,
        pattern,
        id: def.id.as_deref(),
        weight: def.weight.unwrap_or(1.0),
        settings: Settings {
            negation: def.negation.or(settings.negation),
            negation_window: def.negation_window.or(settings.negation_window),
            threshold: settings.threshold,
            exclude_scope: def.exclude_scope.or(settings.exclude_scope),
        },
        exclude: theme_exclude.iter().chain(&def.exclude).collect(),
    })
}

fn compile_body(
    analyzer: &Analyzer,
    matcher: &mut Matcher,
    kind: RuleKind,
    pattern: &str,
) -> Result<Body, String> {
    let body = match kind {
        RuleKind::Word => Body::Sequence(vec![matcher.intern(parse_word(pattern)?)]),
        RuleKind::Stem => Body::Sequence(vec![matcher.intern(parse_stem(analyzer, pattern)?)]),
        RuleKind::Glob => Body::Sequence(vec![matcher.intern(parse_glob(pattern)?)]),
        RuleKind::Phrase => Body::Sequence(matcher.intern_all(parse_sequence(analyzer, pattern)?)),
        RuleKind::Near => {
            let near = parse_near(analyzer, pattern)?;
            Body::Near {
                first: matcher.intern_all(near.first),
                second: matcher.intern_all(near.second),
                distance: near.distance,
                ordered: near.ordered,
            }
        }
        RuleKind::Regex => {
            let regex = RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
                .map_err(|err| {
                    let reason = err.to_string();
                    let reason = reason
                        .lines()
                        .last()
                        .unwrap_or_default()
                        .trim_start_matches("error: ")
                        .to_string();
                    format!("not a valid regex: {reason}")
                })?;
            {
                matcher.add_regex(regex);
                Body::Regex
            }
        }
    };
    Ok(body)
}
