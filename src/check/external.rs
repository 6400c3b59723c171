//! `check --external`: outbound `http(s)` links, asked over the network.
//!
//! Each distinct URL is asked once (HEAD, then GET if the server refuses
//! HEAD), by at most `Limits::concurrency` threads at once, each request
//! bounded by `Limits::per_request` and the whole run by `Limits::total`.
//! A 4xx answer is an error (the page is gone); a refusal of robots
//! (401, 403, 429), a server error, a timeout or a network failure is only a
//! warning, since it says nothing sure about the link.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How much time and how many connections the check may use.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub concurrency: usize,
    pub per_request: Duration,
    pub total: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            concurrency: 8,
            per_request: Duration::from_secs(5),
            total: Duration::from_secs(60),
        }
    }
}

/// What asking one URL showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// The link is broken (an error).
    Broken(String),
    /// The link could not be verified (a warning).
    Unverified(String),
}

/// Asks every URL, in order of the result.
pub fn check_all(urls: &[String], limits: Limits) -> Vec<Outcome> {
    let deadline = Instant::now() + limits.total;
    let next = AtomicUsize::new(0);
    let results = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..limits.concurrency.clamp(1, 8).min(urls.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let left = deadline.saturating_duration_since(Instant::now());
                    let outcome = if left.is_zero() {
                        Outcome::Unverified(format!(
                            "not checked: the {} s limit for external links was reached",
                            limits.total.as_secs()
                        ))
                    } else {
                        ask(url, limits.per_request.min(left))
                    };
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(outcome);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Outcome::Unverified("not checked".into())))
        .collect()
}

fn ask(url: &str, timeout: Duration) -> Outcome {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(concat!("partnersite-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let status = match agent.head(url).call() {
        // Some servers refuse HEAD, or answer it wrongly: ask with GET.
        Ok(r) if matches!(r.status().as_u16(), 403 | 404 | 405 | 501) => {
            agent.get(url).call().map(|r| r.status().as_u16())
        }
        Ok(r) => Ok(r.status().as_u16()),
        Err(e) => Err(e),
    };
    match status {
        Ok(200..=399) => Outcome::Ok,
        Ok(s @ (401 | 403 | 429)) => {
            Outcome::Unverified(format!("HTTP {s}: the server refuses automated checks"))
        }
        Ok(s @ 400..=499) => Outcome::Broken(format!("HTTP {s}")),
        Ok(s) => Outcome::Unverified(format!("HTTP {s}: the server had an error")),
        Err(ureq::Error::Timeout(_)) => {
            Outcome::Unverified(format!("no answer within {} s", timeout.as_secs_f32()))
        }
        Err(e) => Outcome::Unverified(format!("could not connect: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    /// A loopback server answering `count` requests: /ok → 200, else 404.
    fn server(count: usize) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        std::thread::spawn(move || {
            for stream in listener.incoming().take(count) {
                let Ok(mut stream) = stream else { continue };
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let _ = reader.read_line(&mut line);
                let status = if line.contains(" /ok ") {
                    "200 OK"
                } else {
                    "404 Not Found"
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        format!("http://{addr}")
    }

    #[test]
    fn gone_pages_are_broken_and_good_ones_pass() {
        let base = server(3);
        let urls = vec![format!("{base}/ok"), format!("{base}/gone")];
        let out = check_all(&urls, Limits::default());
        assert_eq!(out[0], Outcome::Ok);
        assert_eq!(out[1], Outcome::Broken("HTTP 404".into()));
    }

    #[test]
    fn refused_connections_are_only_unverified() {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let out = check_all(&[format!("http://127.0.0.1:{port}/")], Limits::default());
        assert!(matches!(out[0], Outcome::Unverified(_)), "{out:?}");
    }
}
