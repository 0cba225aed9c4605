//! One file per command, plus the options and helpers they share.
pub mod add;
pub mod analyze;
pub mod code;
pub mod codebook;
pub mod crosstab;
pub mod eval;
pub mod explain;
pub mod generate;
pub mod index;
pub mod ingest;
pub mod labelled;
pub mod learn;
pub mod progress;
pub mod quotes;
pub mod report;
pub mod schema;
pub mod search;
pub mod sentiment;
pub mod serve;
pub mod split;
pub mod suggest;

/// Coding threads for `index` and `add` when the user names none: one core is left to tantivy's
/// indexing thread, which is the slower stage, so that coding does not take its time.
pub fn threads_beside_indexer(threads: Option<usize>) -> Option<usize> {
    threads.or_else(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Some(cores.saturating_sub(1).max(1))
    })
}

/// Runs `work` on a rayon pool of `threads` workers, or on the global pool.
pub fn with_threads<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> T + Send,
) -> anyhow::Result<T> {
    match threads {
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()?;
            Ok(pool.install(work))
        }
        None => Ok(work()),
    }
}
