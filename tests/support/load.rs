//! Drives a server with concurrent GET requests, bounded in count and in time: `concurrency`
//! clients take the next request of a fixed mix until `requests` are sent or the deadline
//! passes. Every answer is checked against the one the same request got alone beforehand.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::StatusCode;

use super::http::Http;

/// The page's requests for a few views of a generated survey (`verbatim generate`): searches,
/// a second page, facets and crosstabs.
pub fn mix() -> Vec<String> {
    [
        "/api/search?limit=20",
        "/api/search?q=theme%3Aexclusion&limit=20",
        "/api/search?q=%22top+down%22&limit=20&offset=20",
        "/api/search?q=jargon+OR+opaque&sort=negative&limit=20",
        "/api/search?theme=funding&f=confidence%3ANot+very+confident&f=role%3ALeader&smax=-0.3&limit=20",
        "/api/facets",
        "/api/facets?q=theme%3Aexclusion",
        "/api/facets?theme=funding&f=confidence%3ANot+very+confident&f=role%3ALeader",
        "/api/crosstab?cols=confidence",
        "/api/crosstab?cols=role&theme=funding",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

pub struct Load {
    pub requests: usize,
    pub concurrency: usize,
    pub deadline: Duration,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub sent: usize,
    /// Requests that failed or answered anything but 200.
    pub errors: Vec<String>,
    /// Answers that differ from the request's answer alone.
    pub wrong: Vec<String>,
    pub elapsed: Duration,
    /// Per request, milliseconds, sorted.
    pub latencies: Vec<f64>,
}

impl Outcome {
    pub fn per_second(&self) -> f64 {
        self.sent as f64 / self.elapsed.as_secs_f64()
    }

    /// The `p`th percentile latency (nearest rank), milliseconds.
    pub fn percentile(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1]
    }
}

/// The answer of each path alone, which the loaded answers must equal.
pub async fn expected(http: &Http, paths: &[String]) -> Vec<Bytes> {
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let answer = http.get(path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text());
        out.push(answer.body);
    }
    out
}

pub async fn drive(http: &Http, paths: &[String], expected: &[Bytes], load: &Load) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let started = Instant::now();
    let stop = started + load.deadline;
    let mut workers = Vec::new();
    for _ in 0..load.concurrency {
        let (http, next, outcome) = (http.clone(), next.clone(), outcome.clone());
        let paths = paths.to_vec();
        let expected = expected.to_vec();
        let requests = load.requests;
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests || Instant::now() >= stop {
                    break;
                }
                let p = i % paths.len();
                let sent = Instant::now();
                let answer = http
                    .send(axum::http::Method::GET, &paths[p], &[], Vec::new())
                    .await;
                let took = sent.elapsed().as_secs_f64() * 1000.0;
                let mut o = outcome.lock().unwrap();
                o.sent += 1;
                o.latencies.push(took);
                match answer {
                    Err(e) => o.errors.push(e),
                    Ok(a) if a.status != StatusCode::OK => {
                        o.errors.push(format!("{}: {}", paths[p], a.status))
                    }
                    Ok(a) if a.body != expected[p] => o.wrong.push(paths[p].clone()),
                    Ok(_) => {}
                }
            }
        }));
    }
    for worker in workers {
        worker.await.expect("a load worker panicked");
    }
    let mut outcome = std::mem::take(&mut *outcome.lock().unwrap());
    outcome.elapsed = started.elapsed();
    outcome.latencies.sort_by(f64::total_cmp);
    outcome
}
