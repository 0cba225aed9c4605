//! Which label of the coded file counts as which gold label.
//!
//! A map file is TOML, one line per theme: `time_spent_waiting = "Access"`. Several themes may
//! map to one gold label (a comment then has the label when any of them is coded); a theme not
//! in the file is left out of the scores. Without a file, a coded label counts as the gold label
//! with the same name, or else the one whose [`slug`](crate::labels::slug) it is (the theme
//! `couldnt_be_improved` is the label "Couldn't be improved").
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use toml::Spanned;

use crate::codebook::line_of;
use crate::labels::slug;

/// Coded label → gold label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    pub pairs: BTreeMap<String, String>,
    /// The file it was read from; `None` when made by [`Mapping::by_name`].
    pub file: Option<String>,
}

impl Mapping {
    /// Reads a map file.
    pub fn from_path(path: &Path) -> Result<Mapping> {
        let file = path.display().to_string();
        let source = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the map file {file}"))?;
        Mapping::from_source(&source, &file)
    }

    /// Parses a map file's text; `file` names it in errors.
    pub fn from_source(source: &str, file: &str) -> Result<Mapping> {
        let parsed: BTreeMap<String, Spanned<String>> = toml::from_str(source).map_err(|err| {
            let line = err.span().map_or(0, |s| line_of(source, s.start));
            anyhow::anyhow!(
                "{file}:{line}: {} (a map file has one line per theme: theme_id = \"Gold label\")",
                err.message().trim()
            )
        })?;
        let mut pairs = BTreeMap::new();
        for (theme, label) in parsed {
            if label.get_ref().trim().is_empty() {
                bail!(
                    "{file}:{}: theme \"{theme}\" maps to a blank label",
                    line_of(source, label.span().start)
                );
            }
            pairs.insert(theme, label.get_ref().trim().to_string());
        }
        if pairs.is_empty() {
            bail!("{file} maps no theme: write one line per theme, theme_id = \"Gold label\"");
        }
        Ok(Mapping {
            pairs,
            file: Some(file.to_string()),
        })
    }

    /// The mapping by name: each coded label to the gold label of the same name, else to the
    /// one gold label whose slug it is. Coded labels that match none are not mapped.
    pub fn by_name(coded: &[String], gold: &[String]) -> Mapping {
        let mut by_slug: BTreeMap<String, Vec<&String>> = BTreeMap::new();
        for label in gold {
            by_slug.entry(slug(label)).or_default().push(label);
        }
        let mut pairs = BTreeMap::new();
        for label in coded {
            if gold.contains(label) {
                pairs.insert(label.clone(), label.clone());
            } else if let Some([only]) = by_slug.get(label).map(Vec::as_slice) {
                pairs.insert(label.clone(), (*only).clone());
            }
        }
        Mapping { pairs, file: None }
    }

    /// The gold label a coded label counts as.
    pub fn get(&self, coded: &str) -> Option<&str> {
        self.pairs.get(coded).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_name_matches_names_then_slugs() {
        let coded: Vec<String> = [
            "access",
            "Staff",
            "time_spent_waiting",
            "couldnt_be_improved",
        ]
        .map(String::from)
        .to_vec();
        let gold: Vec<String> = ["Access", "Staff", "Couldn't be improved"]
            .map(String::from)
            .to_vec();
        let map = Mapping::by_name(&coded, &gold);
        assert_eq!(map.get("access"), Some("Access"));
        assert_eq!(map.get("Staff"), Some("Staff"));
        assert_eq!(map.get("couldnt_be_improved"), Some("Couldn't be improved"));
        assert_eq!(map.get("time_spent_waiting"), None);
    }

    #[test]
    fn a_map_file_maps_many_to_one_and_names_bad_lines() {
        let map = Mapping::from_source(
            "access = \"Access\"\ntime_spent_waiting = \"Access\"\n",
            "map.toml",
        )
        .unwrap();
        assert_eq!(map.get("time_spent_waiting"), Some("Access"));
        let err = Mapping::from_source("access = \"Access\"\nstaff = 3\n", "map.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("map.toml:2: "), "{err}");
        let err = Mapping::from_source("a = \" \"\n", "m.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("m.toml:1: theme \"a\" maps to a blank label"),
            "{err}"
        );
    }
}
