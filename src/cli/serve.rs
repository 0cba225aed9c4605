//! `verbatim serve`: the local web app over an index. Prints its address and opens nothing;
//! binds the loopback interface unless told otherwise.
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use verbatim::serve::{serve, AppState, Limits};

#[derive(clap::Args)]
pub struct Args {
    /// Directory of the index.
    #[arg(long)]
    pub index: PathBuf,
    /// Address to listen on. Anything but loopback (127.0.0.1, ::1) exposes the survey's
    /// comments to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 7878)]
    pub port: u16,
    /// Requests computed at once (the others wait); the number of cores by default.
    #[arg(long)]
    pub workers: Option<usize>,
}

pub fn run(args: Args) -> Result<()> {
    let mut limits = Limits::default();
    if let Some(n) = args.workers {
        limits.concurrent = n.max(1);
    }
    let state = AppState::open(&args.index, limits)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let address = SocketAddr::new(args.host, args.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| {
                format!("cannot listen on {address}: is another server using the port? Try --port")
            })?;
        let bound = listener.local_addr()?;
        let state = if args.host.is_loopback() {
            state.loopback_only(bound.port())
        } else {
            eprintln!(
                "warning: listening on {} exposes every comment in {} to anyone who can reach \
                 this machine; the server has no login. Use the default --host 127.0.0.1 unless \
                 you mean it.",
                args.host,
                args.index.display()
            );
            state
        };
        let comments = state.reader.searcher().num_docs();
        let shown = if args.host.is_unspecified() {
            SocketAddr::new(IpAddr::from([127, 0, 0, 1]), bound.port())
        } else {
            bound
        };
        println!("http://{shown}");
        eprintln!(
            "serving {} ({comments} comments, read-only); Ctrl-C stops",
            args.index.display()
        );
        serve(listener, Arc::new(state)).await
    })
}
