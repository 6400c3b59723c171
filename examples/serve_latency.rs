//! Edit-to-visible latency of `partnersite serve`, over HTTP.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example serve_latency -- ROOT FILE URL [EDITS] [grow]
//! # e.g. the bundled site:
//! cargo run --release --example serve_latency -- . \
//!     content/sales/playbooks/first-call-playbook.md /sales/playbooks/first-call-playbook/ 20
//! ```
//!
//! Starts `target/release/partnersite serve --root ROOT` on a free loopback
//! port, waits for the first build, then EDITS times: replaces the last
//! word of FILE (a markdown page) by a unique one, so that the word count
//! stays the same as in a typo fix (with `grow`, adds a word each time, so
//! that every listing of the page changes too), and polls URL every
//! millisecond until the served page holds the new word, then polls the
//! search bundle's entry file until the index served has changed too.
//! Prints each latency (from the write to the first response holding it,
//! watcher debounce included; and from the write to the new search index)
//! and the medians.
//! FILE is restored at the end.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: serve_latency ROOT FILE URL [EDITS]");
        std::process::exit(2);
    }
    let (root, file, url) = (&args[0], &args[1], &args[2]);
    let edits: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(10);
    let grow = args.get(4).is_some_and(|a| a == "grow");
    let path = std::path::Path::new(root).join(file);
    let original = std::fs::read_to_string(&path).expect("read FILE");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let binary = concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/partnersite");
    let mut server = Command::new(binary)
        .args(["serve", "--root", root, "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start target/release/partnersite (cargo build --release first)");
    let stdout = server.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    loop {
        let line = rx.recv().expect("the server stopped");
        println!("serve: {line}");
        if line.starts_with("serving ") {
            break;
        }
    }
    let mut times = Vec::new();
    let mut index_times = Vec::new();
    for i in 0..edits {
        let word = format!("latencymarker{i}x{}", std::process::id());
        let padding = if grow {
            "more ".repeat(i + 1)
        } else {
            String::new()
        };
        let changed = format!("{original}\n\n{padding}{word}\n");
        let entry = get(port, ENTRY);
        let start = Instant::now();
        std::fs::write(&path, changed).expect("write FILE");
        loop {
            if get(port, url).contains(&word) {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "edit {i} never showed"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        // The search index is made after the edit is served: it has
        // caught up when the index served changes (its entry file names
        // the index's files by their contents).
        let indexed = loop {
            let now = get(port, ENTRY);
            if !now.is_empty() && now != entry {
                break start.elapsed().as_secs_f64() * 1000.0;
            }
            if start.elapsed() > Duration::from_secs(60) {
                break f64::NAN;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        while let Ok(line) = rx.try_recv() {
            println!("serve: {line}");
        }
        println!("edit {i}: {ms:.1} ms, search index {indexed:.0} ms");
        times.push(ms);
        index_times.push(indexed);
        // Let the server settle before the next edit.
        std::thread::sleep(Duration::from_millis(500));
        if i == 0 && !grow {
            // The first edit added a word; the others keep the count.
            times.clear();
            index_times.clear();
        }
    }
    std::fs::write(&path, &original).expect("restore FILE");
    let _ = server.kill();
    let _ = server.wait();
    for (what, mut times) in [
        ("edit to visible", times),
        ("edit to searchable", index_times),
    ] {
        times.sort_by(f64::total_cmp);
        println!(
            "{what} over {} edits: median {:.1} ms, min {:.1} ms, max {:.1} ms",
            times.len(),
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
    }
}

/// The search bundle's entry file: it changes whenever the index does.
const ENTRY: &str = "/pagefind/pagefind-entry.json";

/// The body of `GET url` (empty on any error).
fn get(port: u16, url: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let request = format!("GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return String::new();
    }
    let mut body = String::new();
    let _ = stream.read_to_string(&mut body);
    body
}
