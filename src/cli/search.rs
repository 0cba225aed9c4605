//! `verbatim search`: find comments by words, themes, closed answers, attributes and sentiment.
use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::path::PathBuf;

use anyhow::Result;
use serde_json::{json, Map, Value};
use verbatim::index::{
    compile, highlights, hit_json, kwic_lines, search, segments, snippet, Hit, SearchOptions,
    SearchResults, SortOrder, SurveyIndex,
};

#[derive(clap::Args)]
pub struct Args {
    /// The query: words, "phrases", AND / OR / NOT, ( ), =exact, prefix*, and filters such as
    /// theme:funding, confidence<=fairly, role:leader, sentiment<-0.3, question:q2.
    pub query: String,
    /// Directory of the index.
    #[arg(long)]
    pub index: PathBuf,
    /// Hits to show.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Hits to skip first (for the next page).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[arg(long, value_enum, default_value_t = SortOrder::Relevance)]
    pub sort: SortOrder,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Keyword-in-context: one line per match, aligned on it.
    #[arg(long)]
    pub kwic: bool,
    /// Characters of context either side of a match, with --kwic.
    #[arg(long, default_value_t = 40)]
    pub width: usize,
    /// Longest snippet shown for a hit, in characters (long comments are cut around the match).
    #[arg(long, default_value_t = 320)]
    pub snippet_chars: usize,
    /// Colour the matches: auto colours on a terminal only.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

const MARK_ON: &str = "\x1b[1;33m";
const MARK_OFF: &str = "\x1b[0m";

pub fn run(args: Args) -> Result<()> {
    let index = SurveyIndex::open(&args.index)?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let compiled = compile(&index, &searcher, &args.query)?;
    let options = SearchOptions {
        limit: args.limit,
        offset: args.offset,
        sort: args.sort,
    };
    let results = search(&index, &searcher, &compiled, &options)?;
    let spans: Vec<Vec<Range<usize>>> = results
        .hits
        .iter()
        .map(|hit| highlights(&compiled.highlighter, &index.analyzer, &hit.comment))
        .collect();
    let stdout = std::io::stdout();
    let colour = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => stdout.is_terminal(),
    };
    let mut out = stdout.lock();
    match args.format {
        Format::Text => {
            for note in &compiled.notes {
                eprintln!("note: {note}");
            }
            text(&mut out, &args, &index, &results, &spans, colour)?;
        }
        Format::Json => {
            let value = to_json(&args, &index, &results, &spans, &compiled.notes);
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        Format::Csv => csv(&mut out, &args, &index, &results, &spans)?,
    }
    out.flush()?;
    Ok(())
}

fn marked(text: &str, spans: &[Range<usize>], colour: bool) -> String {
    if !colour {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + spans.len() * 12);
    for part in segments(text, spans) {
        if part.marked {
            out.push_str(MARK_ON);
            out.push_str(part.text);
            out.push_str(MARK_OFF);
        } else {
            out.push_str(part.text);
        }
    }
    out
}

fn pairs(items: &[(String, String)]) -> String {
    items
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn header(hit: &Hit, rank: usize) -> String {
    let c = &hit.comment;
    let mut parts = vec![format!("{rank:>3}. {}", c.id), c.question.clone()];
    parts.push(format!("line {}", c.line));
    parts.push(format!("#{}", hit.seq));
    if let Some(s) = &c.sentiment {
        parts.push(format!("sentiment {:+.2}", s.compound));
    }
    parts.join(" · ")
}

fn text(
    out: &mut impl Write,
    args: &Args,
    index: &SurveyIndex,
    results: &SearchResults,
    spans: &[Vec<Range<usize>>],
    colour: bool,
) -> Result<()> {
    let shown_from = args.offset + 1;
    let shown_to = args.offset + results.hits.len();
    writeln!(
        out,
        "{} comment{} match {}{}",
        results.total,
        if results.total == 1 { "" } else { "s" },
        args.query,
        if results.hits.is_empty() {
            String::new()
        } else {
            format!(" (showing {shown_from}-{shown_to})")
        }
    )?;
    for (i, (hit, spans)) in results.hits.iter().zip(spans).enumerate() {
        let rank = args.offset + i + 1;
        let c = &hit.comment;
        if args.kwic {
            let spans: &[Range<usize>] = if spans.is_empty() {
                &[]
            } else {
                spans.as_slice()
            };
            for line in kwic_lines(&c.text, spans, args.width) {
                writeln!(
                    out,
                    "{:>12}  {}{}{}",
                    truncate(&c.id, 12),
                    line.left,
                    marked(
                        &line.matched,
                        std::slice::from_ref(&(0..line.matched.len())),
                        colour
                    ),
                    line.right
                )?;
            }
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{}", header(hit, rank))?;
        if !c.themes.is_empty() {
            writeln!(out, "     themes: {}", c.themes.join(", "))?;
        }
        let who: Vec<(String, String)> = c.answers.iter().chain(&c.attributes).cloned().collect();
        if !who.is_empty() {
            writeln!(out, "     {}", pairs(&who))?;
        }
        let s = snippet(&c.text, spans, args.snippet_chars);
        writeln!(out, "     {}", marked(&s.text, &s.highlights, colour))?;
    }
    if !results.theme_counts.is_empty() || results.uncoded > 0 {
        writeln!(out)?;
        let themes: Vec<String> = results
            .theme_counts
            .iter()
            .map(|(t, n)| format!("{t} {n}"))
            .chain((results.uncoded > 0).then(|| format!("(no theme) {}", results.uncoded)))
            .collect();
        writeln!(
            out,
            "themes of the {} matching comments: {}",
            results.total,
            themes.join(", ")
        )?;
    }
    let _ = index;
    Ok(())
}

fn truncate(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(chars - 1).collect();
        cut.push('…');
        cut
    }
}

fn to_json(
    args: &Args,
    index: &SurveyIndex,
    results: &SearchResults,
    spans: &[Vec<Range<usize>>],
    notes: &[String],
) -> Value {
    let hits: Vec<Value> = results
        .hits
        .iter()
        .zip(spans)
        .enumerate()
        .map(|(i, (hit, spans))| {
            let mut value = hit_json(hit, spans, args.offset + i + 1, args.snippet_chars);
            if args.kwic {
                value["kwic"] = kwic_lines(&hit.comment.text, spans, args.width)
                    .into_iter()
                    .map(|l| json!({"left": l.left, "match": l.matched, "right": l.right}))
                    .collect();
            }
            value
        })
        .collect();
    json!({
        "query": args.query,
        "index": index.dir.display().to_string(),
        "codebook": {"name": index.manifest.codebook.name, "version": index.manifest.codebook.version, "hash": index.manifest.codebook.hash},
        "total": results.total,
        "offset": args.offset,
        "limit": args.limit,
        "notes": notes,
        "hits": hits,
        "themes": results.theme_counts.iter().map(|(t, n)| (t.clone(), json!(n))).collect::<Map<_, _>>(),
        "uncoded": results.uncoded,
    })
}

fn csv(
    out: &mut impl Write,
    args: &Args,
    index: &SurveyIndex,
    results: &SearchResults,
    spans: &[Vec<Range<usize>>],
) -> Result<()> {
    let survey = &index.manifest.survey;
    let mut writer = csv::Writer::from_writer(out);
    let mut header: Vec<String> = [
        "rank",
        "id",
        "question",
        "line",
        "score",
        "sentiment",
        "themes",
        "text",
        "snippet",
    ]
    .map(String::from)
    .to_vec();
    header.extend(survey.closed.iter().map(|c| c.column.clone()));
    header.extend(survey.attributes.iter().cloned());
    writer.write_record(&header)?;
    for (i, (hit, spans)) in results.hits.iter().zip(spans).enumerate() {
        let c = &hit.comment;
        let lookup = |items: &[(String, String)], name: &str| {
            items
                .iter()
                .find(|(k, _)| k == name)
                .map_or(String::new(), |(_, v)| v.clone())
        };
        let mut row = vec![
            (args.offset + i + 1).to_string(),
            c.id.clone(),
            c.question.clone(),
            c.line.to_string(),
            format!("{:.4}", hit.score),
            c.sentiment
                .map_or(String::new(), |s| format!("{:.4}", s.compound)),
            c.themes.join("; "),
            c.text.clone(),
            snippet(&c.text, spans, args.snippet_chars).text,
        ];
        row.extend(survey.closed.iter().map(|q| lookup(&c.answers, &q.column)));
        row.extend(survey.attributes.iter().map(|a| lookup(&c.attributes, a)));
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(())
}
