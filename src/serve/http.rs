//! One request, one response, from the build held in memory.
//!
//! Only GET and HEAD are answered. Paths go through `url::resolve`, which
//! names keys of the `Output` map and nothing else, so the server never
//! opens a file. HTML responses get the live-reload script; every response
//! says `Cache-Control: no-store`.

use std::io::Cursor;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::events::{self, Event};
use super::{Served, State};
use crate::output::url::{self, Target};

/// The event stream that open pages listen to.
pub const EVENTS_PATH: &str = "/__partnersite/events";
/// The live-reload script, injected into HTML responses.
pub const SCRIPT_PATH: &str = "/__partnersite/reload.js";

const RELOAD_JS: &str = include_str!("reload.js");
/// Shown while no good build exists yet (the first build failed).
const WAITING_HTML: &str = include_str!("waiting.html");

/// Answers one request (an event stream goes on in its own thread).
pub fn handle(request: Request, state: &State) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response =
            text(405, "only GET and HEAD are served\n").with_header(header("Allow", "GET, HEAD"));
        return send(request, response);
    }
    let raw = request.url().to_string();
    let path = raw.split(['?', '#']).next().unwrap_or("");
    if path == EVENTS_PATH {
        return events(request, state);
    }
    if path == SCRIPT_PATH {
        let response = body(200, "text/javascript; charset=utf-8", RELOAD_JS.into());
        return send(request, response);
    }
    let served = state.current();
    if served.generation == 0 {
        let html = inject(WAITING_HTML.as_bytes(), served.generation);
        return send(request, body(503, content_type("x.html"), html));
    }
    // The search index is served beside the build.
    let target = match url::resolve(&raw, &served.output) {
        Target::NotFound => url::resolve(&raw, &served.index),
        found => found,
    };
    let response = match target {
        Target::File(key) => file(&served, &key, 200),
        Target::Redirect(location) => {
            text(302, "moved\n").with_header(header("Location", &location))
        }
        Target::NotFound => not_found(&served),
        Target::BadRequest(reason) => text(400, &format!("bad request: {reason}\n")),
    };
    send(request, response);
}

fn file(served: &Served, key: &str, status: u16) -> Response<Cursor<Vec<u8>>> {
    let bytes = (served.output.get(key))
        .or_else(|| served.index.get(key))
        .unwrap_or_default();
    let kind = content_type(key);
    let bytes = if kind.starts_with("text/html") {
        inject(bytes, served.generation)
    } else {
        bytes.to_vec()
    };
    body(status, kind, bytes)
}

fn not_found(served: &Served) -> Response<Cursor<Vec<u8>>> {
    if served.output.get("404.html").is_some() {
        file(served, "404.html", 404)
    } else {
        text(404, "not found\n")
    }
}

/// Holds the connection open and streams events to it.
fn events(request: Request, state: &State) {
    if *request.method() == Method::Head {
        return send(request, body(200, "text/event-stream", Vec::new()));
    }
    // Subscribe before reading the state, so no rebuild falls in between.
    let Some(rx) = state.hub.subscribe() else {
        return send(request, text(503, "too many open pages\n"));
    };
    let served = state.current();
    let mut first = vec![Event::Hello(served.generation)];
    if let Some(error) = &served.error {
        first.push(Event::Error(error.to_string()));
    }
    let spawned = std::thread::Builder::new()
        .name("serve-events".into())
        .spawn(move || events::stream(request.into_writer(), &first, rx));
    if let Err(e) = spawned {
        eprintln!("warning: cannot start an event stream: {e}");
    }
}

/// Adds the live-reload script before the last `</body>` (or at the end).
pub fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}?build={generation}\"></script>\n");
    let at = rfind_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The media type of an output file, by its extension.
pub fn content_type(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values here are ASCII without line breaks")
}

fn body(status: u16, kind: &str, bytes: Vec<u8>) -> Response<Cursor<Vec<u8>>> {
    let len = bytes.len();
    Response::new(
        StatusCode(status),
        vec![
            header("Content-Type", kind),
            header("Cache-Control", "no-store"),
            header("X-Content-Type-Options", "nosniff"),
        ],
        Cursor::new(bytes),
        Some(len),
        None,
    )
}

fn text(status: u16, message: &str) -> Response<Cursor<Vec<u8>>> {
    body(
        status,
        "text/plain; charset=utf-8",
        message.as_bytes().to_vec(),
    )
}

fn send(request: Request, response: Response<Cursor<Vec<u8>>>) {
    // A page closed before its answer arrived is no error of the site.
    let _ = request.respond(response);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let html = b"<p></body></p><BODY></BODY>\n</html>";
        let out = String::from_utf8(inject(html, 7)).expect("utf-8");
        assert!(
            out.ends_with(
                "<script src=\"/__partnersite/reload.js?build=7\"></script>\n</BODY>\n</html>"
            ),
            "{out}"
        );
        let bare = String::from_utf8(inject(b"<p>x", 1)).expect("utf-8");
        assert!(bare.starts_with("<p>x<script"), "{bare}");
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("logos/x.SVG"), "image/svg+xml");
        assert_eq!(
            content_type("partners/x/metrics.csv"),
            "text/csv; charset=utf-8"
        );
        assert_eq!(content_type("fonts/a.woff2"), "font/woff2");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
