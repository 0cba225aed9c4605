//! `verbatim serve` under concurrent load on loopback: a generated survey of a few thousand
//! comments, 16 clients sending the page's mix of requests (searches, pages, facets, crosstabs)
//! until 1,200 are sent or 90 seconds pass. Every answer must be a 200 equal to the answer the
//! same request got alone. The rate and latencies are printed, not asserted (the machine is
//! shared): BENCHMARKS.md has the numbers on a million comments (examples/serve_load.rs).
mod support;

use std::process::Command;
use std::time::Duration;

use support::http::Http;
use support::load::{drive, expected, mix, Load};
use verbatim::serve::Limits;

fn verbatim(args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .output()
        .expect("the verbatim binary runs");
    assert!(
        output.status.success(),
        "verbatim {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_are_all_answered_and_all_correct() {
    let dir = tempfile::tempdir().unwrap();
    let survey = dir.path().join("survey.csv");
    let index = dir.path().join("load.idx");
    verbatim(&[
        "generate",
        "--seed",
        "7",
        "--size",
        "2MB",
        "-o",
        survey.to_str().unwrap(),
    ]);
    verbatim(&[
        "index",
        survey.to_str().unwrap(),
        "--codebook",
        "lexicons/stp.toml",
        "--index",
        index.to_str().unwrap(),
    ]);
    let base = support::start(&index, Limits::default()).await;
    let http = Http::new(&base);
    let paths = mix();
    let answers = expected(&http, &paths).await;
    let load = Load {
        requests: 1_200,
        concurrency: 16,
        deadline: Duration::from_secs(90),
    };
    let outcome = drive(&http, &paths, &answers, &load).await;
    println!(
        "serve load: {} requests from {} clients in {:.2} s: {:.0} requests/s, latency median {:.1} ms, p99 {:.1} ms",
        outcome.sent,
        load.concurrency,
        outcome.elapsed.as_secs_f64(),
        outcome.per_second(),
        outcome.percentile(50.0),
        outcome.percentile(99.0)
    );
    assert!(
        outcome.errors.is_empty(),
        "errors: {:?}",
        &outcome.errors[..outcome.errors.len().min(10)]
    );
    assert!(
        outcome.wrong.is_empty(),
        "wrong answers: {:?}",
        &outcome.wrong[..outcome.wrong.len().min(10)]
    );
    assert!(
        outcome.sent >= paths.len(),
        "only {} requests were sent",
        outcome.sent
    );
}
