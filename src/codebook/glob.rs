//! Globs over one folded token: `*` any run of characters, `?` exactly one.

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Glob {
    pattern: Vec<char>,
    /// The literal characters before the first wildcard: the key of the prefix index.
    pub prefix: String,
    /// The literal characters after the last wildcard: the key of the suffix index.
    pub suffix: String,
}

impl Glob {
    /// Parses a folded glob; the error says what is wrong with it.
    pub fn new(pattern: &str) -> Result<Glob, String> {
        if !pattern.contains(['*', '?']) {
            return Err("a glob needs a `*` or `?`; without one, list it under `words`".into());
        }
        if let Some(c) = pattern
            .chars()
            .find(|&c| !(c == '*' || c == '?' || c == '\'' || super::super::text::is_token_char(c)))
        {
            return Err(format!(
                "`{c}` cannot occur inside a token; a glob matches one word (use a phrase for several)"
            ));
        }
        let prefix: String = pattern
            .chars()
            .take_while(|&c| c != '*' && c != '?')
            .collect();
        let suffix_rev: String = pattern
            .chars()
            .rev()
            .take_while(|&c| c != '*' && c != '?')
            .collect();
        let suffix: String = suffix_rev.chars().rev().collect();
        if prefix.chars().count() < 2 && suffix.chars().count() < 2 {
            return Err(
                "a glob needs at least two literal letters at its start or its end (`exclud*`, `*isation`)"
                    .into(),
            );
        }
        Ok(Glob {
            pattern: pattern.chars().collect(),
            prefix,
            suffix,
        })
    }

    pub fn matches(&self, word: &str) -> bool {
        let word: Vec<char> = word.chars().collect();
        wildcard_match(&self.pattern, &word)
    }
}

/// Iterative wildcard matching with one backtrack point: linear in practice.
fn wildcard_match(pattern: &[char], word: &[char]) -> bool {
    let (mut p, mut w) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while w < word.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == word[w]) {
            p += 1;
            w += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, w));
            p += 1;
        } else if let Some((star_p, star_w)) = star {
            p = star_p + 1;
            w = star_w + 1;
            star = Some((star_p, star_w + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_suffix_and_single_character_wildcards() {
        let exclud = Glob::new("exclud*").unwrap();
        assert!(exclud.matches("excluded") && exclud.matches("exclude"));
        assert!(!exclud.matches("exclusion"));
        let isation = Glob::new("*isation").unwrap();
        assert!(isation.matches("organisation") && !isation.matches("organization"));
        let either = Glob::new("organi?ation*").unwrap();
        assert!(either.matches("organisations") && either.matches("organization"));
        assert!(!either.matches("organiation"));
        assert_eq!(either.prefix, "organi");
        assert_eq!(either.suffix, "");
    }

    #[test]
    fn too_broad_or_multi_word_globs_are_errors() {
        assert!(Glob::new("*").unwrap_err().contains("two literal letters"));
        assert!(Glob::new("a*").is_err());
        assert!(Glob::new("top down*").unwrap_err().contains("phrase"));
        assert!(Glob::new("exclude").unwrap_err().contains("words"));
    }
}
