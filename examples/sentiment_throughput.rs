//! Single-thread sentiment throughput on the `text` column of a CSV file, scoring only (analysis
//! included, file reading excluded), as vaderSentiment's `polarity_scores` is timed in
//! scripts/vader_baseline.py: the two are run on the same comments by scripts/validate-sentiment.sh.
//!
//! cargo run --release --example sentiment_throughput -- ../shared/data/nhs-feedback/comments.csv
//!
//! With `--seconds S` it also scores the comments over and over for S seconds and reports the
//! throughput over that whole time: on a shared machine whose speed drifts from second to
//! second, a baseline timed over seconds is better compared with a run as long. That run comes
//! after the ten short passes, so it never includes the first, cold one.
//!
//! With `--serve` it scores nothing up front but waits on standard input: each line is a number
//! of seconds, and it scores the comments, in order and round and round from where the last
//! slice stopped, for that long, then prints how many it scored and in how many seconds.
//! scripts/vader_interleaved.py drives it to alternate short slices of ours with slices of
//! VADER's, so that both sample the same stretches of the machine's drift.
use std::time::{Duration, Instant};

use verbatim::sentiment::{Sentiment, SentimentScorer};
use verbatim::text::{Analysis, Analyzer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: sentiment_throughput FILE.csv [COLUMN] [--seconds S | --serve]";
    let mut positional = Vec::new();
    let mut sustain = None;
    let mut serve = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--seconds" {
            let seconds = args
                .next()
                .and_then(|s| parse_seconds(&s))
                .ok_or("--seconds takes a number of seconds, 0 or more")?;
            sustain = Some(seconds);
        } else if arg == "--serve" {
            serve = true;
        } else {
            positional.push(arg);
        }
    }
    let path = positional.first().ok_or(usage)?.clone();
    let column = positional
        .get(1)
        .cloned()
        .unwrap_or_else(|| "text".to_string());
    let mut reader = csv::Reader::from_path(&path)?;
    let index = reader
        .headers()?
        .iter()
        .position(|h| h == column)
        .ok_or_else(|| format!("{path} has no column {column:?}"))?;
    let texts: Vec<String> = reader
        .records()
        .map(|r| r.map(|r| r[index].to_string()))
        .collect::<Result<_, _>>()?;
    let bytes: usize = texts.iter().map(String::len).sum();
    let (analyzer, scorer) = (Analyzer::english(), SentimentScorer::bundled());
    let mut seconds = Vec::new();
    let mut checksum = 0.0f64;
    // As `verbatim code` and `verbatim sentiment` analyse and score: into one reused analysis
    // and one reused result.
    let mut analysis = Analysis::default();
    let mut sentiment = Sentiment::default();
    if serve {
        return serve_slices(&analyzer, &scorer, &texts, &mut analysis, &mut sentiment);
    }
    for _ in 0..5 {
        let started = Instant::now();
        checksum += score_pass(&analyzer, &scorer, &texts, &mut analysis, &mut sentiment);
        seconds.push(started.elapsed().as_secs_f64());
    }
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    let mut analysis_seconds = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        for text in &texts {
            analyzer.analyze_into(text, &mut analysis);
            checksum += analysis.tokens.len() as f64;
        }
        analysis_seconds.push(started.elapsed().as_secs_f64());
    }
    analysis_seconds.sort_by(f64::total_cmp);
    println!(
        "  of which analysis alone (tokens, folding, stems, sentences): {:.4} s, {:.2} MB/s",
        analysis_seconds[2],
        bytes as f64 / 1e6 / analysis_seconds[2]
    );
    println!(
        "verbatim sentiment, 1 thread, median of 5 passes: {:.0} comments/s, {:.2} MB/s ({} comments, {:.3} MB, {median:.4} s; checksum {checksum:.3})",
        texts.len() as f64 / median,
        bytes as f64 / 1e6 / median,
        texts.len(),
        bytes as f64 / 1e6
    );
    if let Some(sustain) = sustain {
        let (started, mut passes, mut sustained_checksum) = (Instant::now(), 0usize, 0.0f64);
        while passes == 0 || started.elapsed() < sustain {
            sustained_checksum +=
                score_pass(&analyzer, &scorer, &texts, &mut analysis, &mut sentiment);
            passes += 1;
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "verbatim sentiment, 1 thread, sustained: {:.0} comments/s over {passes} passes in {seconds:.2} s (checksum {:.3} a pass)",
            (passes * texts.len()) as f64 / seconds,
            sustained_checksum / passes as f64
        );
    }
    Ok(())
}

/// Analyses and scores every text once, as `verbatim code` and `verbatim sentiment` do; the sum
/// of the compounds, which keeps the work from being optimised away.
fn score_pass<'t>(
    analyzer: &Analyzer,
    scorer: &SentimentScorer,
    texts: &'t [String],
    analysis: &mut Analysis<'t>,
    sentiment: &mut Sentiment,
) -> f64 {
    let mut checksum = 0.0;
    for text in texts {
        checksum += score_one(analyzer, scorer, text, analysis, sentiment);
    }
    checksum
}

/// Analyses and scores one text; its compound.
#[inline(always)]
fn score_one<'t>(
    analyzer: &Analyzer,
    scorer: &SentimentScorer,
    text: &'t str,
    analysis: &mut Analysis<'t>,
    sentiment: &mut Sentiment,
) -> f64 {
    analyzer.analyze_into(text, analysis);
    scorer.score_into(analysis, sentiment);
    f64::from(sentiment.compound)
}

/// A number of seconds, 0 or more.
fn parse_seconds(text: &str) -> Option<Duration> {
    let seconds = text.trim().parse::<f64>().ok()?;
    Duration::try_from_secs_f64(seconds).ok()
}

/// Scores slices of the given seconds, one a line of standard input, each continuing the round of
/// the comments where the last stopped; prints `COMMENTS SECONDS CHECKSUM` a slice. One pass
/// first, untimed, so that no slice pays for the word table's first meeting with the words.
fn serve_slices<'t>(
    analyzer: &Analyzer,
    scorer: &SentimentScorer,
    texts: &'t [String],
    analysis: &mut Analysis<'t>,
    sentiment: &mut Sentiment,
) -> Result<(), Box<dyn std::error::Error>> {
    use std::io::{BufRead, Write};
    // The clock is read every so many comments: reading it costs a few percent of a comment.
    const BETWEEN_CLOCK_READS: usize = 64;
    if texts.is_empty() {
        return Err("no comments to score".into());
    }
    score_pass(analyzer, scorer, texts, analysis, sentiment);
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "ready {}", texts.len())?;
    stdout.flush()?;
    let mut next = 0;
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let slice = parse_seconds(&line)
            .ok_or_else(|| format!("expected a number of seconds a line, read {line:?}"))?;
        let started = Instant::now();
        let (mut scored, mut checksum) = (0usize, 0.0f64);
        loop {
            for _ in 0..BETWEEN_CLOCK_READS {
                checksum += score_one(analyzer, scorer, &texts[next], analysis, sentiment);
                next = (next + 1) % texts.len();
            }
            scored += BETWEEN_CLOCK_READS;
            if started.elapsed() >= slice {
                break;
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        writeln!(stdout, "{scored} {seconds:.6} {checksum:.3}")?;
        stdout.flush()?;
    }
    Ok(())
}
