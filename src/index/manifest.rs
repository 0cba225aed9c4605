//! The manifest beside the tantivy files (`verbatim.json`): what survey and codebook the index
//! was built from, so that `add`, `search` and `crosstab` interpret it the same way. Counts live
//! in the payload of each tantivy commit instead ([`Counts`]), so they are exactly as atomic as
//! the comments they count.
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::codebook::Codebook;
use crate::survey::{ClosedQuestion, Schema};

pub const MANIFEST_FILE: &str = "verbatim.json";
/// The codebook as it was when the index was built; `add` codes new comments with it.
pub const CODEBOOK_FILE: &str = "codebook.toml";
/// The survey schema as it was when the index was built; `add` reads new waves with it.
pub const SCHEMA_FILE: &str = "survey.toml";
/// The sentiment overlay the index was scored with, when there was one.
pub const OVERLAY_FILE: &str = "sentiment-overlay.toml";
/// Bumped when the index layout changes in a way older builds cannot read or write. Format 2
/// keeps input order by indexing on one thread and merging segments in order (see
/// `index::merge`), where format 1 had tantivy sort every segment by `seq`; an older build
/// appending to a format 2 index would break that order, so it must refuse it. Format 3 indexes
/// a word's stem only where it differs from the word (`index::TermLayout`), which a format 2
/// build would search wrongly, keeps theme ids and respondents as fast columns only, and stores
/// each comment's record as postcard bytes rather than JSON text. An index keeps its format when this build
/// appends to it.
pub const FORMAT: u32 = 3;
/// The oldest format this build still reads and appends to.
pub const OLDEST_FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format: u32,
    pub verbatim_version: String,
    /// The stemming language of the analyser (tantivy does not store analysers).
    pub language: String,
    pub survey: SurveySpec,
    pub codebook: CodebookSpec,
    pub themes: Vec<ThemeSpec>,
    /// Whether comments were scored for sentiment, and with which lexicon.
    pub sentiment: Option<SentimentSpec>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SurveySpec {
    pub id: Option<String>,
    pub open: Vec<OpenSpec>,
    pub closed: Vec<ClosedSpec>,
    pub attributes: Vec<String>,
    /// The attributes of a quote's attribution line, in order (all attributes when empty).
    #[serde(default)]
    pub attribution: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OpenSpec {
    pub column: String,
    pub question: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClosedSpec {
    pub column: String,
    pub question: String,
    pub levels: Vec<String>,
    pub ordered: bool,
    pub non_substantive: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CodebookSpec {
    pub name: String,
    pub version: String,
    pub hash: String,
    /// The file the index was built with, as the user named it.
    pub file: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ThemeSpec {
    pub id: String,
    pub label: String,
    pub parent: Option<String>,
    /// The facet path, `/parent/child`.
    pub facet: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SentimentSpec {
    /// `bundled`, or the SHA-256 prefix of the overlay file.
    pub lexicon: String,
    pub overlay: bool,
}

/// What the committed comments add up to; stored as the payload of every commit.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Counts {
    pub comments: u64,
    /// Rows with at least one non-empty answer.
    pub respondents: u64,
    pub rows_read: u64,
    pub empty_answers: u64,
    pub rows_skipped: u64,
    pub text_bytes: u64,
    /// The sequence number the next comment gets: input order across every batch.
    pub next_seq: u64,
    pub batches: Vec<BatchCounts>,
}

/// One `index` or `add` run.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct BatchCounts {
    pub file: String,
    pub rows_read: u64,
    pub comments: u64,
    pub empty_answers: u64,
    pub rows_skipped: u64,
    /// The run was interrupted or is still going: these are the rows of its last commit.
    pub partial: bool,
}

impl ClosedSpec {
    pub fn from_question(question: &ClosedQuestion) -> Self {
        ClosedSpec {
            column: question.column.clone(),
            question: question.question.clone(),
            levels: question.levels.clone(),
            ordered: question.ordered,
            non_substantive: question.non_substantive.clone(),
        }
    }

    pub fn to_question(&self) -> ClosedQuestion {
        ClosedQuestion {
            column: self.column.clone(),
            question: self.question.clone(),
            levels: self.levels.clone(),
            ordered: self.ordered,
            non_substantive: self.non_substantive.clone(),
        }
    }

    /// As [`ClosedQuestion::level_index`], without building the question.
    pub fn level_index(&self, answer: &str) -> Option<usize> {
        crate::survey::level_index(&self.levels, answer)
    }

    pub fn is_substantive(&self, level: usize) -> bool {
        self.levels
            .get(level)
            .is_some_and(|l| !self.non_substantive.contains(l))
    }
}

impl Manifest {
    pub fn new(
        schema: &Schema,
        codebook: &Codebook,
        codebook_file: &Path,
        sentiment: Option<SentimentSpec>,
    ) -> Manifest {
        let themes = codebook
            .themes
            .iter()
            .map(|theme| {
                let mut path = vec![theme.id.as_str()];
                let mut parent = theme.parent;
                while let Some(p) = parent {
                    path.push(codebook.themes[p].id.as_str());
                    parent = codebook.themes[p].parent;
                }
                path.reverse();
                ThemeSpec {
                    id: theme.id.clone(),
                    label: theme.label.clone(),
                    parent: theme.parent.map(|p| codebook.themes[p].id.clone()),
                    facet: format!("/{}", path.join("/")),
                }
            })
            .collect();
        Manifest {
            format: FORMAT,
            verbatim_version: env!("CARGO_PKG_VERSION").to_string(),
            language: codebook.analyzer().language().to_string(),
            survey: SurveySpec {
                id: schema.id.clone(),
                open: schema
                    .open
                    .iter()
                    .map(|q| OpenSpec {
                        column: q.column.clone(),
                        question: q.question.clone(),
                    })
                    .collect(),
                closed: schema
                    .closed
                    .iter()
                    .map(ClosedSpec::from_question)
                    .collect(),
                attributes: schema.attributes.clone(),
                attribution: schema.attribution.clone(),
            },
            codebook: CodebookSpec {
                name: codebook.name.clone(),
                version: codebook.version.clone(),
                hash: codebook.hash.clone(),
                file: codebook_file.display().to_string(),
            },
            themes,
            sentiment,
        }
    }

    pub fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join(MANIFEST_FILE);
        if !dir.exists() {
            bail!(
                "there is no index at {}: build one with `verbatim index SURVEY --codebook CODEBOOK --index {}`",
                dir.display(),
                dir.display()
            );
        }
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "{} is not a verbatim index (no {MANIFEST_FILE}): build one with `verbatim index`",
                dir.display()
            )
        })?;
        let manifest: Manifest = serde_json::from_str(&text)
            .with_context(|| format!("{} is damaged or not a verbatim manifest", path.display()))?;
        if !(OLDEST_FORMAT..=FORMAT).contains(&manifest.format) {
            bail!(
                "{} was built by verbatim {} in index format {}; this verbatim reads formats {OLDEST_FORMAT} to {FORMAT}: rebuild it with `verbatim index`",
                dir.display(),
                manifest.verbatim_version,
                manifest.format
            );
        }
        Ok(manifest)
    }

    /// Writes the manifest through a temporary file and a rename, so a reader never sees half.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join(MANIFEST_FILE);
        let temporary = dir.join(format!("{MANIFEST_FILE}.tmp"));
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        std::fs::write(&temporary, text)
            .with_context(|| format!("cannot write {}", temporary.display()))?;
        std::fs::rename(&temporary, &path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }

    pub fn theme_index(&self, id: &str) -> Option<usize> {
        self.themes.iter().position(|t| t.id == id)
    }

    /// Theme `t` and every theme under it.
    pub fn theme_and_descendants(&self, t: usize) -> Vec<usize> {
        let prefix = format!("{}/", self.themes[t].facet);
        (0..self.themes.len())
            .filter(|&i| i == t || self.themes[i].facet.starts_with(&prefix))
            .collect()
    }
}

impl Counts {
    pub fn from_payload(payload: Option<&str>) -> Result<Counts> {
        match payload {
            None | Some("") => Ok(Counts::default()),
            Some(text) => serde_json::from_str(text)
                .context("the index's commit payload is damaged: rebuild it with `verbatim index`"),
        }
    }

    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("counts serialise")
    }
}
