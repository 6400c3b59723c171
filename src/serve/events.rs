//! Server-sent events: how open pages learn that the site was rebuilt, or
//! that the last change did not build.
//!
//! Each connected page holds one long response at `/__partnersite/events`
//! and a channel in the `Hub`; a rebuild broadcasts one `Event` to every
//! channel. The hub lives in the server's state, never in a static.

use std::io::Write;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// At most this many pages listen at once; more get 503.
const MAX_CLIENTS: usize = 64;
/// A comment line this often lets a closed page's stream be noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// What a page is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Sent on connect: the generation of the build being served. A page
    /// built from another generation reloads.
    Hello(u64),
    /// A new good build (its generation) is served: reload.
    Reload(u64),
    /// The last change did not build; the text of every diagnostic.
    Error(String),
}

impl Event {
    /// The event in the `text/event-stream` format.
    pub fn to_sse(&self) -> String {
        let (name, data) = match self {
            Event::Hello(g) => ("hello", g.to_string()),
            Event::Reload(g) => ("reload", g.to_string()),
            Event::Error(text) => ("error", text.clone()),
        };
        let mut out = format!("event: {name}\n");
        for line in data.lines() {
            out.push_str("data: ");
            out.push_str(line);
            out.push('\n');
        }
        if data.is_empty() {
            out.push_str("data:\n");
        }
        out.push('\n');
        out
    }
}

/// The pages listening for events.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Sender<Event>>>,
}

impl Hub {
    /// A new listener, or `None` when too many pages are open.
    pub fn subscribe(&self) -> Option<Receiver<Event>> {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if clients.len() >= MAX_CLIENTS {
            return None;
        }
        let (tx, rx) = mpsc::channel();
        clients.push(tx);
        Some(rx)
    }

    /// Sends `event` to every listener, forgetting those that are gone.
    pub fn broadcast(&self, event: &Event) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|tx| tx.send(event.clone()).is_ok());
    }
}

/// Writes the response head and then every event from `rx` (after
/// `first`) until the page goes away. Blocks: run it on its own thread.
pub fn stream(mut writer: impl Write, first: &[Event], rx: Receiver<Event>) {
    let head = "HTTP/1.1 200 OK\r\n\
                Content-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\n\
                Connection: close\r\n\r\n\
                retry: 500\n\n";
    let mut send = |text: &str| {
        writer
            .write_all(text.as_bytes())
            .and_then(|()| writer.flush())
            .is_ok()
    };
    if !send(head) {
        return;
    }
    for event in first {
        if !send(&event.to_sse()) {
            return;
        }
    }
    loop {
        let text = match rx.recv_timeout(HEARTBEAT) {
            Ok(event) => event.to_sse(),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if !send(&text) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_errors_become_several_data_lines() {
        let e = Event::Error("error: a.md:1:1: x\n  |\n1 | y".into());
        assert_eq!(
            e.to_sse(),
            "event: error\ndata: error: a.md:1:1: x\ndata:   |\ndata: 1 | y\n\n"
        );
        assert_eq!(Event::Reload(3).to_sse(), "event: reload\ndata: 3\n\n");
    }

    #[test]
    fn closed_listeners_are_dropped() {
        let hub = Hub::default();
        let rx = hub.subscribe().expect("room for one");
        let gone = hub.subscribe().expect("room for two");
        drop(gone);
        hub.broadcast(&Event::Reload(1));
        assert_eq!(rx.recv().ok(), Some(Event::Reload(1)));
        assert_eq!(hub.clients.lock().map(|c| c.len()).unwrap_or(0), 1);
    }

    #[test]
    fn stream_writes_head_then_events() {
        let hub = Hub::default();
        let rx = hub.subscribe().expect("room");
        hub.broadcast(&Event::Reload(2));
        hub.clients.lock().expect("lock").clear(); // ends the stream
        let mut out = Vec::new();
        stream(&mut out, &[Event::Hello(1)], rx);
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.contains("text/event-stream"));
        let hello = text.find("event: hello").expect("hello");
        let reload = text.find("event: reload\ndata: 2").expect("reload");
        assert!(hello < reload);
    }
}
