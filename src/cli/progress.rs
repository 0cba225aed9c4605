//! A progress bar over the bytes of the input, drawn only when stderr is a terminal.
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use verbatim::survey::SurveyReader;

pub struct Progress {
    bar: Option<ProgressBar>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

pub fn start(reader: &SurveyReader, quiet: bool) -> Progress {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    if quiet || !super::code::interactive() {
        return Progress {
            bar: None,
            stop,
            ticker: None,
        };
    }
    let status = reader.status();
    let bar = ProgressBar::new(status.total_bytes());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
            .expect("the template is valid"),
    );
    let ticker = {
        let bar = bar.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                bar.set_position(status.bytes_read());
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    Progress {
        bar: Some(bar),
        stop,
        ticker: Some(ticker),
    }
}

impl Progress {
    pub fn finish(self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(ticker) = self.ticker {
            let _ = ticker.join();
        }
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
