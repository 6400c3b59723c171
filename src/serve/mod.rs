//! `serve`: the site built in memory, served on loopback, rebuilt on change.
//!
//! Takes `ServeOptions`; builds the site with `base_url` pointing at the
//! server, holds the `Output` in memory and answers requests from it, and
//! rebuilds whenever a source file changes, swapping the served build in one
//! step. Open pages reload through server-sent events; a build that fails is
//! printed in the terminal and shown over the page, while the last good build
//! stays served. It never writes to disk and never serves a file: only keys
//! of the `Output` map.

mod events;
mod http;
mod plan;
mod rebuild;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};

pub use rebuild::{Built, Changes, Rebuilder};

use crate::diagnostic::Diagnostic;
use crate::isolation::Audience;
use crate::output::Output;
use crate::site::LoadOptions;
use crate::values::Quarter;
use events::{Event, Hub};

/// Threads answering ordinary requests (event streams get their own).
const WORKERS: usize = 4;

/// Everything `serve` needs to know.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to load; its `base_url` is replaced by the server's address.
    pub load: LoadOptions,
    pub quarter: Option<Quarter>,
    pub audience: Audience,
    pub bind: IpAddr,
    pub port: u16,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {reason} (is another server using the port? try --port)")]
    Bind { addr: SocketAddr, reason: String },
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
    #[error("cannot handle Ctrl-C: {0}")]
    Signal(#[from] ctrlc::Error),
}

/// The build being served.
#[derive(Debug, Clone, Default)]
struct Served {
    output: Arc<Output>,
    /// The search index's files, beside the build: until the index of a
    /// new build is made, that of the build before.
    index: Arc<Output>,
    /// Counts good builds; 0 while there has been none.
    generation: u64,
    /// The diagnostics of the last build, if it failed.
    error: Option<Arc<str>>,
}

/// What the request threads share with the rebuild thread.
#[derive(Default)]
struct State {
    served: RwLock<Served>,
    hub: Hub,
}

impl State {
    fn current(&self) -> Served {
        self.served
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Serves a new good build (with its search index, or the index served
    /// until its own is made) and tells open pages to reload; returns its
    /// generation.
    fn publish(&self, output: Arc<Output>, index: Option<Output>) -> u64 {
        let generation = {
            let mut served = self.served.write().unwrap_or_else(|e| e.into_inner());
            served.output = output;
            if let Some(index) = index {
                served.index = Arc::new(index);
            }
            served.generation += 1;
            served.error = None;
            served.generation
        };
        self.hub.broadcast(&Event::Reload(generation));
        generation
    }

    /// Serves `index` as the search index of build `generation`, if that
    /// is still the one served, without reloading open pages.
    fn refresh(&self, generation: u64, index: Output) {
        let mut served = self.served.write().unwrap_or_else(|e| e.into_inner());
        if served.generation == generation {
            served.index = Arc::new(index);
        }
    }

    /// Keeps the last good build and shows the errors on open pages.
    fn fail(&self, text: String) {
        let text: Arc<str> = text.into();
        self.served.write().unwrap_or_else(|e| e.into_inner()).error = Some(text.clone());
        self.hub.broadcast(&Event::Error(text.to_string()));
    }
}

/// Serves the site until Ctrl-C.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let addr = SocketAddr::new(options.bind, options.port);
    let server = tiny_http::Server::http(addr).map_err(|e| ServeError::Bind {
        addr,
        reason: e.to_string(),
    })?;
    // With --port 0 the system picks the port: links must name that one.
    let addr = server.server_addr().to_ip().unwrap_or(addr);
    let server = Arc::new(server);
    let (stop_tx, stop_rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })?;
    let mut load = options.load;
    // Bound to every interface, the site is reached under many names: links
    // stay root-relative then.
    load.base_url = Some(if addr.ip().is_unspecified() {
        "/".to_string()
    } else {
        format!("http://{addr}")
    });
    let mut rebuilder = Rebuilder::new(load, options.quarter, options.audience);
    let mut watcher = watch::Watcher::new(rebuilder.root())?;
    let state = Arc::new(State::default());
    let indexer = indexer(Arc::clone(&state), rebuilder.live_index());
    rebuild(&mut rebuilder, &Changes::default(), &state, &indexer);

    for _ in 0..WORKERS {
        let (server, state) = (Arc::clone(&server), Arc::clone(&state));
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                http::handle(request, &state);
            }
        });
    }
    {
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            while let Some(changes) = watcher.next_changes() {
                rebuild(&mut rebuilder, &changes, &state, &indexer);
            }
        });
    }
    println!("serving http://{addr} (Ctrl-C to stop)");
    let _ = stop_rx.recv();
    server.unblock();
    println!("stopped");
    Ok(())
}

/// A build to index: its generation and its files.
/// A build to index, shared with the server until its index is made.
type IndexJob = (u64, Arc<Output>);

/// Starts the thread that makes the search index of each new build and
/// serves it when done (if that build is still the one served). It works on
/// the newest build it was sent, skipping older ones, so that rebuilds
/// never wait for it: on a large site indexing takes seconds.
fn indexer(state: Arc<State>, live: rebuild::Live) -> mpsc::Sender<IndexJob> {
    let (tx, rx) = mpsc::channel::<IndexJob>();
    std::thread::spawn(move || {
        while let Ok(mut job) = rx.recv() {
            while let Ok(newer) = rx.try_recv() {
                job = newer;
            }
            let (generation, output) = job;
            match rebuild::indexed(&live, &output) {
                Ok(index) => state.refresh(generation, index),
                Err(diagnostics) => state.fail(report(&diagnostics)),
            }
        }
    });
    tx
}

/// Rebuilds, then serves the result or reports why it failed.
fn rebuild(
    rebuilder: &mut Rebuilder,
    changes: &Changes,
    state: &State,
    indexer: &mpsc::Sender<IndexJob>,
) {
    let what = changes.describe();
    match rebuilder.rebuild(changes) {
        Ok(built) => {
            for w in &built.warnings {
                eprintln!("{w}\n");
            }
            let ms = built.elapsed.as_millis();
            if changes.paths.is_empty() {
                println!(
                    "built {} pages, {} sections, {} partners, {} charts ({} files) in {ms} ms",
                    built.stats.pages,
                    built.stats.sections,
                    built.stats.partners,
                    built.stats.charts,
                    built.output.files.len()
                );
            } else {
                println!("rebuilt in {ms} ms ({what}; {})", built.how);
            }
            let first = state.current().generation == 0;
            let mut index = None;
            if built.index_pending && first {
                // The first build is served with its index.
                match rebuilder.index() {
                    Some(Ok(files)) => index = Some(files),
                    Some(Err(diagnostics)) => return state.fail(report(&diagnostics)),
                    None => {}
                }
            }
            let mut timings = crate::timings::Timings::start("serve");
            // Served at once; the indexer reads it beside the server.
            let output = Arc::new(built.output);
            let to_index = (built.index_pending && !first).then(|| Arc::clone(&output));
            let generation = state.publish(output, index);
            timings.stage("publish");
            if let Some(output) = to_index {
                let _ = indexer.send((generation, output));
            }
        }
        Err(diagnostics) => {
            let text = report(&diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let kept = if state.current().generation > 0 {
                "still serving the last good build"
            } else {
                "nothing to serve until it builds"
            };
            eprintln!(
                "{text}\nbuild failed ({what}): {errors} error{}; {kept}",
                if errors == 1 { "" } else { "s" }
            );
            state.fail(text);
        }
    }
}

/// Every diagnostic as `build` prints it, one blank line apart.
fn report(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("{d}\n"))
        .collect::<Vec<_>>()
        .join("\n")
}
