//! `verbatim generate`: write a deterministic survey CSV for benchmarks, built from the real
//! sentences of a quotes file (columns respondent_id, role, authority_type, confidence, comment).
use std::fs::File;
use std::io::{BufWriter, ErrorKind};
use std::path::PathBuf;

use anyhow::{Context, Result};
use verbatim::generate::{parse_size, Generator, SentencePool};

#[derive(clap::Args)]
pub struct Args {
    /// Seed of the generator: the same seed and size give the same bytes.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// About how large the file is: 100MB, 1.5GB, 512KiB, or bytes.
    #[arg(long, default_value = "10MB", value_parser = parse_size)]
    size: u64,
    /// Quotes file whose `text` column gives the sentences and whose `role` and
    /// `authority_type` columns give the attributes.
    #[arg(long, default_value = "corpus/stp/quotes.csv")]
    from: PathBuf,
    /// Output file. Standard output when absent.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let pool = SentencePool::from_path(&args.from)?;
    let mut generator = Generator::new(&pool, args.seed);
    match &args.output {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let written = generator
                .write_csv(BufWriter::with_capacity(1 << 16, file), args.size)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "wrote {written} bytes ({:.1} MB) to {}",
                written as f64 / 1e6,
                path.display()
            );
        }
        None => {
            let stdout = std::io::stdout().lock();
            match generator.write_csv(BufWriter::with_capacity(1 << 16, stdout), args.size) {
                // `verbatim generate | head` is not an error.
                Err(err) if err.kind() == ErrorKind::BrokenPipe => {}
                result => {
                    result.context("cannot write to standard output")?;
                }
            }
        }
    }
    Ok(())
}
