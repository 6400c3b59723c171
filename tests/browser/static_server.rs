//! A tiny static file server for the browser tests: HTTP/1.1, `GET` only,
//! files of one built output folder on `127.0.0.1:<free port>`, one thread per
//! connection, every answer `Connection: close`. Like a static host, `/dir/`
//! answers with `dir/index.html`, `/dir` redirects to `/dir/`, and anything
//! missing gets the site's `404.html` with status 404. It never serves a file
//! outside its folder (`.` and `..` segments are refused).

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A server of one folder; it stops when dropped.
pub struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `root` on a free loopback port.
    pub fn start(root: &Path) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                std::thread::spawn(move || answer(stream, &root));
            }
        });
        StaticServer {
            addr,
            stop,
            thread: Some(thread),
        }
    }

    /// The absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `http://127.0.0.1:<port>`, the origin every page request must stay on.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request and answers it.
fn answer(stream: TcpStream, root: &Path) {
    // Browsers open spare connections they may never use.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let path = target.split(['?', '#']).next().unwrap_or("");
    let reply = if method != "GET" {
        Reply::status(405, "Method Not Allowed")
    } else {
        resolve(root, path)
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n",
        reply.code,
        reply.reason,
        reply.body.len()
    );
    if let Some(kind) = reply.content_type {
        head.push_str(&format!("Content-Type: {kind}\r\n"));
    }
    if let Some(location) = &reply.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    let mut stream = &stream;
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&reply.body);
    let _ = stream.flush();
}

struct Reply {
    code: u16,
    reason: &'static str,
    content_type: Option<&'static str>,
    location: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    fn status(code: u16, reason: &'static str) -> Reply {
        Reply {
            code,
            reason,
            content_type: Some("text/plain; charset=utf-8"),
            location: None,
            body: reason.as_bytes().to_vec(),
        }
    }

    fn file(code: u16, reason: &'static str, path: &Path) -> Option<Reply> {
        let body = std::fs::read(path).ok()?;
        Some(Reply {
            code,
            reason,
            content_type: Some(content_type(path)),
            location: None,
            body,
        })
    }
}

/// What `path` (from the request line) answers with.
fn resolve(root: &Path, path: &str) -> Reply {
    let Some(segments) = segments(path) else {
        return Reply::status(400, "Bad Request");
    };
    let mut file: PathBuf = root.to_path_buf();
    file.extend(&segments);
    if file.is_dir() {
        if !path.ends_with('/') {
            return Reply {
                location: Some(format!("{path}/")),
                ..Reply::status(302, "Found")
            };
        }
        file.push("index.html");
    }
    Reply::file(200, "OK", &file)
        .or_else(|| Reply::file(404, "Not Found", &root.join("404.html")))
        .unwrap_or_else(|| Reply::status(404, "Not Found"))
}

/// The percent-decoded segments of `path`, or `None` if it could leave the
/// folder or is not a plain absolute path.
fn segments(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix('/')?;
    let mut out = Vec::new();
    for raw in rest.split('/').filter(|s| !s.is_empty()) {
        let segment = percent_decode(raw)?;
        if segment == "." || segment == ".." || segment.contains(['/', '\\', '\0']) {
            return None;
        }
        out.push(segment);
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}
