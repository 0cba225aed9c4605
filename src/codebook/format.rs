//! The TOML file as written by a researcher: every key known, every pattern with its position so
//! that errors can name the line.
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodebookFile {
    pub codebook: Header,
    #[serde(default)]
    pub defaults: Settings,
    #[serde(default)]
    pub theme: Vec<Spanned<ThemeDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub description: String,
}

/// Settings that cascade: built-in defaults, then `[defaults]`, then the theme, then the rule.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub negation: Option<NegationPolicy>,
    pub negation_window: Option<usize>,
    pub threshold: Option<f64>,
    pub exclude_scope: Option<ExcludeScope>,
}

/// What a hit inside a negation scope does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NegationPolicy {
    Cancel,
    Flag,
    Ignore,
}

/// How far an exclusion reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExcludeScope {
    Overlap,
    Sentence,
    Comment,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeDef {
    pub id: Spanned<String>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
    #[serde(default)]
    pub threshold: Option<f64>,
    #[serde(default)]
    pub negation: Option<NegationPolicy>,
    #[serde(default)]
    pub negation_window: Option<usize>,
    #[serde(default)]
    pub exclude_scope: Option<ExcludeScope>,
    #[serde(default)]
    pub words: Vec<Spanned<String>>,
    #[serde(default)]
    pub stems: Vec<Spanned<String>>,
    #[serde(default)]
    pub globs: Vec<Spanned<String>>,
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    #[serde(default)]
    pub near: Vec<Spanned<String>>,
    #[serde(default)]
    pub regex: Vec<Spanned<String>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    #[serde(default)]
    pub examples: Vec<Spanned<String>>,
    #[serde(default)]
    pub counterexamples: Vec<Spanned<String>>,
    #[serde(default)]
    pub rule: Vec<Spanned<RuleDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    #[serde(default)]
    pub word: Option<Spanned<String>>,
    #[serde(default)]
    pub stem: Option<Spanned<String>>,
    #[serde(default)]
    pub glob: Option<Spanned<String>>,
    #[serde(default)]
    pub phrase: Option<Spanned<String>>,
    #[serde(default)]
    pub near: Option<Spanned<String>>,
    #[serde(default)]
    pub regex: Option<Spanned<String>>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub negation: Option<NegationPolicy>,
    #[serde(default)]
    pub negation_window: Option<usize>,
    #[serde(default)]
    pub exclude_scope: Option<ExcludeScope>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
}

impl ThemeDef {
    /// Whether the theme lists any pattern at all.
    pub fn has_patterns(&self) -> bool {
        !(self.words.is_empty()
            && self.stems.is_empty()
            && self.globs.is_empty()
            && self.phrases.is_empty()
            && self.near.is_empty()
            && self.regex.is_empty()
            && self.rule.is_empty())
    }
}
