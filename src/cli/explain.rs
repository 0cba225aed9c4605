//! `verbatim explain`: how one text is analysed and coded, and why each rule fired or did not
//! count.
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;
use verbatim::codebook::{Cancellation, Codebook, Coding};
use verbatim::sentiment::{theme_sentiment, Contribution, Sentiment, SentimentScorer};
use verbatim::text::Analysis;

#[derive(clap::Args)]
pub struct Args {
    /// Codebook file (TOML).
    #[arg(long, short = 'c')]
    codebook: PathBuf,
    /// The text to explain.
    text: String,
    /// Print JSON instead of a readable report.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    let codebook = Codebook::from_path(&args.codebook)?;
    let analysis = codebook.analyzer().analyze(&args.text);
    let coding = codebook.code_analysis(&analysis);
    let (sentiment, contributions) = SentimentScorer::bundled().explain(&analysis);
    let by_theme = theme_sentiment(&codebook, &analysis, &coding, &sentiment);
    if args.json {
        let mut value = to_json(&codebook, &analysis, &coding);
        let themes: serde_json::Map<String, serde_json::Value> = codebook
            .themes
            .iter()
            .zip(&by_theme)
            .filter_map(|(t, v)| v.map(|v| (t.id.clone(), json!(v))))
            .collect();
        value["sentiment"] = json!({"score": sentiment, "words": contributions, "themes": themes});
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!("{}", report(&codebook, &analysis, &coding));
        print!(
            "{}",
            sentiment_report(&codebook, &sentiment, &contributions, &by_theme)
        );
    }
    Ok(())
}

fn report(codebook: &Codebook, analysis: &Analysis<'_>, coding: &Coding) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "codebook  {} ({} version {}, hash {})",
        codebook.source, codebook.name, codebook.version, codebook.hash
    );
    let _ = writeln!(out, "\nsentences");
    for (s, sentence) in analysis.sentences.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {s:>3}  {:>5}..{:<5} {:?}",
            sentence.start,
            sentence.end,
            analysis.sentence_text(s)
        );
    }
    let _ = writeln!(out, "\ntokens\n    #  bytes        original             folded               stem                 notes");
    for (i, token) in analysis.tokens.iter().enumerate() {
        let mut notes = Vec::new();
        if token.clause_break_before {
            notes.push("clause break before");
        }
        if verbatim::text::is_negator(analysis.norm(i)) {
            notes.push("negator");
        }
        if token.all_caps {
            notes.push("capitals");
        }
        let _ = writeln!(
            out,
            "  {i:>3}  {:>5}..{:<5}  {:<20} {:<20} {:<20} {}",
            token.start,
            token.end,
            analysis.original(i),
            analysis.norm(i),
            analysis.stem(i),
            notes.join(", ")
        );
    }
    let _ = writeln!(out, "\nhits");
    if coding.hits.is_empty() {
        let _ = writeln!(out, "  (no rule matched)");
    }
    for hit in &coding.hits {
        let rule = &codebook.rules[hit.rule];
        let fate = match &hit.cancelled {
            None if hit.negated => format!("counts, weight {} (negated: flagged)", hit.weight),
            None if hit.weight < 0.0 => {
                format!("counts against the theme, weight {}", hit.weight)
            }
            None => format!("counts, weight {}", hit.weight),
            Some(Cancellation::Negation {
                negator,
                start,
                end,
            }) => {
                format!("cancelled: inside the negation scope of {negator:?} at {start}..{end}")
            }
            Some(Cancellation::Exclusion {
                pattern,
                start,
                end,
            }) => {
                format!("cancelled: exclusion {pattern:?} matched at {start}..{end}")
            }
        };
        let _ = writeln!(
            out,
            "  {:>5}..{:<5} {:?}\n         rule {} (line {})\n         {fate}",
            hit.start,
            hit.end,
            &analysis.text[hit.start..hit.end],
            rule.id,
            rule.line
        );
    }
    let _ = writeln!(out, "\nthemes");
    for (t, theme) in codebook.themes.iter().enumerate() {
        let own = coding.scores[t];
        let coded_children: Vec<&str> = theme
            .children
            .iter()
            .filter(|&&c| coding.coded[c])
            .map(|&c| codebook.themes[c].id.as_str())
            .collect();
        if own == 0.0 && coded_children.is_empty() {
            continue;
        }
        let verdict = if coding.coded[t] {
            "CODED"
        } else {
            "not coded"
        };
        let mut line = format!(
            "  {:<22} {verdict:<10} score {own} of threshold {}",
            theme.id, theme.threshold
        );
        if !coded_children.is_empty() {
            let _ = write!(line, "; coded children: {}", coded_children.join(", "));
        }
        let _ = writeln!(out, "{line}");
    }
    let coded: Vec<&str> = coding
        .coded_themes()
        .map(|t| codebook.themes[t].id.as_str())
        .collect();
    let _ = writeln!(
        out,
        "\ncoded: {}",
        if coded.is_empty() {
            "(none)".to_string()
        } else {
            coded.join(" | ")
        }
    );
    out
}

fn to_json(codebook: &Codebook, analysis: &Analysis<'_>, coding: &Coding) -> serde_json::Value {
    let tokens: Vec<_> = (0..analysis.tokens.len())
        .map(|i| {
            let token = &analysis.tokens[i];
            json!({
                "start": token.start, "end": token.end, "original": analysis.original(i),
                "folded": analysis.norm(i), "stem": analysis.stem(i), "sentence": token.sentence,
                "kind": token.kind, "clause_break_before": token.clause_break_before,
            })
        })
        .collect();
    let hits: Vec<_> = coding
        .hits
        .iter()
        .map(|hit| {
            let rule = &codebook.rules[hit.rule];
            json!({
                "theme": codebook.themes[hit.theme].id, "rule": rule.id, "kind": rule.kind,
                "line": rule.line, "start": hit.start, "end": hit.end,
                "text": &analysis.text[hit.start..hit.end], "weight": hit.weight,
                "negated": hit.negated, "cancelled": hit.cancelled,
            })
        })
        .collect();
    let themes: Vec<_> = coding
        .coded_themes()
        .map(|t| json!({"id": codebook.themes[t].id, "score": coding.scores[t]}))
        .collect();
    json!({
        "codebook": {"file": codebook.source, "version": codebook.version, "hash": codebook.hash},
        "sentences": analysis.sentences, "tokens": tokens, "hits": hits, "themes": themes,
    })
}

fn sentiment_report(
    codebook: &Codebook,
    sentiment: &Sentiment,
    contributions: &[Contribution],
    by_theme: &[Option<f32>],
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nsentiment  compound {:+.4}  (positive {:.3}, neutral {:.3}, negative {:.3})",
        sentiment.compound, sentiment.positive, sentiment.neutral, sentiment.negative
    );
    for (s, sentence) in sentiment.sentences.iter().enumerate() {
        let _ = writeln!(
            out,
            "  sentence {s:>3}  {:>5}..{:<5} compound {:+.4}",
            sentence.start, sentence.end, sentence.compound
        );
        for word in contributions
            .iter()
            .filter(|w| w.start >= sentence.start && w.end <= sentence.end)
        {
            let rules = if word.rules.is_empty() {
                String::new()
            } else {
                format!(": {}", word.rules.join("; "))
            };
            let _ = writeln!(
                out,
                "      {:?} lexicon {:+.3} -> {:+.3}{rules}",
                word.text, word.lexicon, word.valence
            );
        }
    }
    for (theme, value) in codebook.themes.iter().zip(by_theme) {
        if let Some(value) = value {
            let _ = writeln!(
                out,
                "  theme {:<22} {value:+.4} (mean over the sentences with its evidence)",
                theme.id
            );
        }
    }
    out
}
