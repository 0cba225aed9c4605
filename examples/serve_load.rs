//! Requests per second and latency percentiles of `verbatim serve` on an index: the server runs
//! in this process on a free loopback port (as `verbatim serve` runs it: the default limits, one
//! computation per core at a time) and CONCURRENCY clients send the page's request mix
//! (tests/support/load.rs: searches, a second page, facets, crosstabs) until REQUESTS are sent.
//! Every answer is checked against the answer the same request got alone. Prints each round and
//! the median over ROUNDS rounds.
//!
//! cargo run --release --example serve_load -- INDEX_DIR [ROUNDS] [REQUESTS] [CONCURRENCY]
#[path = "../tests/support/http.rs"]
mod http;
#[path = "../tests/support/load.rs"]
mod load;

use std::sync::Arc;
use std::time::Duration;

use http::Http;
use load::{drive, expected, mix, Load};
use verbatim::serve::{router, AppState, Limits};

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        anyhow::bail!("usage: serve_load INDEX_DIR [ROUNDS] [REQUESTS] [CONCURRENCY]");
    };
    let rounds: usize = args.next().map_or(Ok(5), |r| r.parse())?;
    let requests: usize = args.next().map_or(Ok(2_000), |r| r.parse())?;
    let concurrency: usize = args.next().map_or(Ok(16), |r| r.parse())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let state = AppState::open(std::path::Path::new(&dir), Limits::default())?.loopback_only(port);
        let comments = state.reader.searcher().num_docs();
        tokio::spawn(async move { axum::serve(listener, router(Arc::new(state))).await });
        let http = Http::new(&format!("http://127.0.0.1:{port}"));
        let paths = mix();
        let answers = expected(&http, &paths).await;
        println!(
            "{comments} comments; {} cores, load average {}; {rounds} rounds of {requests} requests from {concurrency} clients",
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        );
        let (mut rates, mut p50s, mut p99s) = (Vec::new(), Vec::new(), Vec::new());
        for round in 1..=rounds {
            let load = Load {
                requests,
                concurrency,
                deadline: Duration::from_secs(600),
            };
            let outcome = drive(&http, &paths, &answers, &load).await;
            if !outcome.errors.is_empty() || !outcome.wrong.is_empty() {
                anyhow::bail!(
                    "round {round}: {} errors ({:?}), {} wrong answers ({:?})",
                    outcome.errors.len(),
                    outcome.errors.first(),
                    outcome.wrong.len(),
                    outcome.wrong.first()
                );
            }
            println!(
                "round {round}: {} requests in {:.2} s: {:.0} requests/s, median {:.1} ms, p99 {:.1} ms",
                outcome.sent,
                outcome.elapsed.as_secs_f64(),
                outcome.per_second(),
                outcome.percentile(50.0),
                outcome.percentile(99.0)
            );
            rates.push(outcome.per_second());
            p50s.push(outcome.percentile(50.0));
            p99s.push(outcome.percentile(99.0));
        }
        println!(
            "median of {rounds} rounds: {:.0} requests/s, latency median {:.1} ms, p99 {:.1} ms; no errors, every answer correct",
            median(&mut rates),
            median(&mut p50s),
            median(&mut p99s)
        );
        Ok(())
    })
}
