//! A learned codebook as TOML a researcher can read and edit: one `[[theme]]` per label, its
//! rules one per line with their weights and the counts they were chosen on.
use std::fmt::Write as _;

use super::select::Candidate;

/// What the file says about itself.
pub struct Header<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub language: &'a str,
    pub description: &'a str,
    /// Comment lines for the top of the file, without `#`.
    pub notes: &'a [String],
}

/// One theme to write.
pub struct ThemeOut<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub description: &'a str,
    pub threshold: f64,
    pub rules: &'a [Candidate],
    pub examples: &'a [String],
}

/// A TOML string literal.
pub fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The codebook's text. `annotate` adds each rule's counts as a comment.
pub fn render(header: &Header<'_>, themes: &[ThemeOut<'_>], annotate: bool) -> String {
    let mut out = String::new();
    for note in header.notes {
        if note.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {note}");
        }
    }
    if !header.notes.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "[codebook]");
    let _ = writeln!(out, "name = {}", quote(header.name));
    let _ = writeln!(out, "version = {}", quote(header.version));
    let _ = writeln!(out, "language = {}", quote(header.language));
    let _ = writeln!(out, "description = {}", quote(header.description));
    out.push('\n');
    let _ = writeln!(out, "[defaults]");
    let _ = writeln!(
        out,
        "negation = \"ignore\"    # a learned rule is evidence of its topic, negated or not"
    );
    for theme in themes {
        out.push('\n');
        let _ = writeln!(out, "[[theme]]");
        let _ = writeln!(out, "id = {}", quote(theme.id));
        let _ = writeln!(out, "label = {}", quote(theme.label));
        let _ = writeln!(out, "description = {}", quote(theme.description));
        let _ = writeln!(out, "threshold = {:.2}", theme.threshold);
        let _ = writeln!(out, "rule = [");
        for rule in theme.rules {
            let line = format!(
                "    {{ {} = {}, weight = {:.2} }},",
                rule.kind.name(),
                quote(&rule.pattern),
                rule.weight
            );
            if annotate {
                let k = &rule.keyness;
                let _ = writeln!(
                    out,
                    "{line:<52} # {} of {} in the label, {} of {} others; G2 {:.1}",
                    k.group_hits, k.group_size, k.rest_hits, k.rest_size, k.g2
                );
            } else {
                let _ = writeln!(out, "{line}");
            }
        }
        let _ = writeln!(out, "]");
        if !theme.examples.is_empty() {
            let examples: Vec<String> = theme.examples.iter().map(|e| quote(e)).collect();
            let _ = writeln!(out, "examples = [");
            for example in examples {
                let _ = writeln!(out, "    {example},");
            }
            let _ = writeln!(out, "]");
        }
    }
    out
}
