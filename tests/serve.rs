//! `partnersite serve`, run as a user would: the real binary on a free
//! loopback port, asked over HTTP with a plain `TcpStream` client.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::SiteTest;

/// A running `partnersite serve`; killed when dropped, whatever happens.
struct Server {
    child: Child,
    port: u16,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP answer.
#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Copies everything a child prints into a shared string.
fn collect(pipe: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut t = sink.lock().expect("lock");
            t.push_str(&line);
            t.push('\n');
        }
    });
    text
}

impl Server {
    /// Starts `serve` on `site` and waits until it answers.
    fn start(site: &SiteTest) -> Server {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_partnersite"))
            .args(["serve", "--root"])
            .arg(site.root())
            .args(["--port", &port.to_string()])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start partnersite serve");
        let stdout = collect(child.stdout.take().expect("stdout"));
        let stderr = collect(child.stderr.take().expect("stderr"));
        let server = Server {
            child,
            port,
            stdout,
            stderr,
        };
        let start = Instant::now();
        while server.try_get("/").is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "serve did not answer\n{}",
                server.printed()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    fn printed(&self) -> String {
        format!(
            "--- stdout:\n{}--- stderr:\n{}",
            self.stdout.lock().expect("lock"),
            self.stderr.lock().expect("lock")
        )
    }

    /// Sends a raw HTTP/1.0 request line (the path exactly as given).
    fn request(&self, method: &str, path: &str) -> Option<Answer> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .ok()?;
        write!(
            stream,
            "{method} {path} HTTP/1.0\r\nHost: localhost\r\n\r\n"
        )
        .ok()?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).ok()?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n")?;
        let status = head.split(' ').nth(1)?.parse().ok()?;
        Some(Answer {
            status,
            head: head.to_string(),
            body: body.to_string(),
        })
    }

    fn try_get(&self, path: &str) -> Option<Answer> {
        self.request("GET", path)
    }

    fn get(&self, path: &str) -> Answer {
        self.try_get(path)
            .unwrap_or_else(|| panic!("no answer for {path}\n{}", self.printed()))
    }

    /// Polls `path` until its body contains `needle`; how long it took.
    fn wait_for(&self, path: &str, needle: &str, limit: Duration) -> Duration {
        let start = Instant::now();
        loop {
            if self.try_get(path).is_some_and(|a| a.body.contains(needle)) {
                return start.elapsed();
            }
            assert!(
                start.elapsed() < limit,
                "{needle:?} did not appear at {path} within {limit:?}\n{}",
                self.printed()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Waits until the server printed `needle` on stderr.
    fn wait_stderr(&self, needle: &str) {
        self.wait_printed(&self.stderr, "stderr", needle);
    }

    /// Waits until the server printed `needle` on stdout.
    fn wait_stdout(&self, needle: &str) {
        self.wait_printed(&self.stdout, "stdout", needle);
    }

    fn wait_printed(&self, text: &Mutex<String>, name: &str, needle: &str) {
        let start = Instant::now();
        while !text.lock().expect("lock").contains(needle) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{name} never showed {needle:?}\n{}",
                self.printed()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Opens the live-reload event stream; what it receives accumulates.
    fn events(&self) -> Arc<Mutex<String>> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET /__partnersite/events HTTP/1.0\r\nHost: localhost\r\n\r\n"
        )
        .expect("send");
        let text = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&text);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("lock")
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        text
    }
}

fn wait_until(what: &str, text: &Mutex<String>, needle: &str) {
    let start = Instant::now();
    while !text.lock().expect("lock").contains(needle) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{what} never showed {needle:?}:\n{}",
            text.lock().expect("lock")
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn edit(site: &SiteTest, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(site.path(rel), text.replacen(from, to, 1)).expect("edit");
}

const PAGE: &str = "content/guides/toml-page.md";
const URL: &str = "/guides/toml-page/";

#[test]
fn edits_show_up_errors_keep_the_last_build_and_fixes_recover() {
    let site = SiteTest::fixture("minimal");
    let server = Server::start(&site);
    let first = server.get(URL);
    assert_eq!(first.status, 200);
    assert!(first.body.contains("TOML page"));
    let events = server.events();
    wait_until("the event stream", &events, "event: hello");

    edit(&site, PAGE, "Read the", "Freshly edited words. Read the");
    let latency = server.wait_for(URL, "Freshly edited words", Duration::from_secs(1));
    eprintln!("edit-to-visible latency on the minimal fixture: {latency:?}");
    wait_until("the event stream", &events, "event: reload");

    // An unknown front-matter key: the build fails, the last one stays.
    edit(
        &site,
        PAGE,
        "title = \"TOML page\"",
        "titel = \"TOML page\"",
    );
    edit(&site, PAGE, "Freshly edited words.", "Broken words.");
    server.wait_stderr("unknown front-matter key `titel`");
    wait_until("the event stream", &events, "event: error");
    wait_until("the event stream", &events, "titel");
    server.wait_stderr("still serving the last good build");
    let kept = server.get(URL);
    assert_eq!(kept.status, 200);
    assert!(kept.body.contains("Freshly edited words"), "{}", kept.body);
    assert!(!kept.body.contains("Broken words"));
    assert!(
        server.stderr.lock().expect("lock").contains(&format!(
            "error: {PAGE}:2:1: unknown front-matter key `titel`"
        )),
        "{}",
        server.printed()
    );

    // Fixed: the new text is served and open pages are told to reload.
    edit(
        &site,
        PAGE,
        "titel = \"TOML page\"",
        "title = \"TOML page\"",
    );
    server.wait_for(URL, "Broken words", Duration::from_secs(5));
    wait_until("the event stream", &events, "event: reload\ndata: 3");
    assert!(server.stdout.lock().expect("lock").contains("rebuilt in "));
}

#[test]
fn a_shortcode_error_is_shown_in_the_error_overlay_at_its_line_and_column() {
    let site = SiteTest::fixture("minimal");
    let server = Server::start(&site);
    assert_eq!(server.get(URL).status, 200);
    let events = server.events();
    wait_until("the event stream", &events, "event: hello");
    edit(
        &site,
        PAGE,
        "Read the [YAML",
        "Read {{ youtube(id=\"x\") }} the [YAML",
    );
    let at = format!("{PAGE}:9:6: unknown shortcode `youtube`");
    server.wait_stderr(&at);
    // The overlay gets the same message, located.
    wait_until("the event stream", &events, "event: error");
    wait_until("the event stream", &events, &at);
    assert_eq!(
        server.get(URL).status,
        200,
        "the last good build is still served"
    );
    // A known shortcode: the page is served with it.
    edit(
        &site,
        PAGE,
        "{{ youtube(id=\"x\") }}",
        "{{ kpi(key=\"win_rate\") }}",
    );
    server.wait_for(
        URL,
        "<span class=\"kpi\"><strong>—</strong></span>",
        Duration::from_secs(5),
    );
}

#[test]
fn a_new_page_and_a_theme_override_are_picked_up() {
    let site = SiteTest::fixture("minimal");
    let server = Server::start(&site);
    assert_eq!(server.get("/guides/brand-new/").status, 404);
    std::fs::write(
        site.path("content/guides/brand-new.md"),
        "+++\ntitle = \"Brand new\"\n+++\nHello from a new file.\n",
    )
    .expect("write");
    server.wait_for(
        "/guides/brand-new/",
        "Hello from a new file",
        Duration::from_secs(5),
    );
    // templates/ did not exist when the server started.
    std::fs::create_dir_all(site.path("templates")).expect("mkdir");
    std::fs::write(
        site.path("templates/404.html"),
        "<!doctype html><html><body><p>Custom missing page</p></body></html>",
    )
    .expect("write");
    server.wait_for("/nowhere/", "Custom missing page", Duration::from_secs(5));
}

#[test]
fn only_files_of_the_output_are_ever_served() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET-42").expect("write");
    let site = SiteTest::fixture("minimal").file("static/ok.txt", "fine");
    symlink(
        &outside.path().join("secret.txt"),
        &site.path("static/leak.txt"),
    );
    symlink(outside.path(), &site.path("static/outside"));
    symlink(
        &outside.path().join("secret.txt"),
        &site.path("content/guides/leak.txt"),
    );
    let server = Server::start(&site);
    assert_eq!(server.get("/ok.txt").body, "fine");
    let attempts = [
        "/../Cargo.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/%2E%2E/Cargo.toml",
        "/..%2fsite.toml",
        "/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/guides/../../site.toml",
        "//etc/passwd",
        "/C:/x",
        "/c:%5cwindows%5cwin.ini",
        "/..\\site.toml",
        "/%00/site.toml",
        "/site.toml",
        "/content/guides/toml-page.md",
        "/leak.txt",
        "/outside/secret.txt",
        "/guides/leak.txt",
        "/static/ok.txt",
    ];
    for path in attempts {
        let answer = server.get(path);
        assert!(
            matches!(answer.status, 400 | 404),
            "{path} answered {}",
            answer.status
        );
        for leaked in ["TOP-SECRET-42", "[package]", "base_url =", "root:x:", "+++"] {
            assert!(!answer.body.contains(leaked), "{path} leaked {leaked:?}");
        }
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) {}

#[test]
fn responses_are_typed_uncached_and_only_html_gets_the_script() {
    let site = SiteTest::fixture("minimal");
    let server = Server::start(&site);
    let page = server.get(URL);
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("Cache-Control"), Some("no-store"));
    assert!(
        page.body
            .contains("<script src=\"/__partnersite/reload.js?build=1\"></script>\n</body>")
    );
    assert!(
        page.body.contains("http://127.0.0.1:"),
        "base_url is the server's"
    );

    let css = server.get("/css/site.css");
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert!(!css.body.contains("__partnersite"));
    let xml = server.get("/sitemap.xml");
    assert_eq!(
        xml.header("Content-Type"),
        Some("application/xml; charset=utf-8")
    );
    assert!(!xml.body.contains("__partnersite"));
    let script = server.get("/__partnersite/reload.js");
    assert_eq!(
        script.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.body.contains("EventSource"));

    let folder = server.get("/guides?x=1");
    assert_eq!(folder.status, 302);
    assert_eq!(folder.header("Location"), Some("/guides/?x=1"));
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("__partnersite/reload.js"));
    let head = server.request("HEAD", URL).expect("HEAD answered");
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    assert_eq!(server.request("POST", URL).expect("answered").status, 405);

    // A build written to disk never carries the script.
    drop(server);
    site.build(&[]);
    let built = site.read("public/guides/toml-page/index.html");
    assert!(!built.contains("__partnersite"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = SiteTest::fixture("minimal");
    let mut server = Server::start(&site);
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let start = Instant::now();
    let exit = loop {
        if let Some(s) = server.child.try_wait().expect("wait") {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "still running");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(exit.code(), Some(0), "{}", server.printed());
}

#[test]
fn the_search_index_follows_an_edit_without_holding_it_up() {
    let site = SiteTest::fixture("search");
    let server = Server::start(&site);
    let entry = "/pagefind/pagefind-entry.json";
    let before = server.get(entry);
    assert_eq!(
        before.status, 200,
        "the first build is served with its index"
    );

    let page = "content/playbooks/open-guide.md";
    let text = std::fs::read_to_string(site.path(page)).expect("read");
    std::fs::write(site.path(page), format!("{text}\nQuixotically indexed.\n")).expect("write");
    server.wait_for(
        "/playbooks/open-guide/",
        "Quixotically",
        Duration::from_secs(5),
    );
    // The page was served by a narrow rebuild; its index follows.
    server.wait_stdout("pages rendered");
    let start = Instant::now();
    loop {
        // Until its own index is made, the edit is served with the last.
        let now = server.get(entry);
        assert_eq!(now.status, 200, "no index served\n{}", server.printed());
        if now.body != before.body {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the index never changed\n{}",
            server.printed()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The files the new entry names are served too.
    let entry = server.get(entry).body;
    let hash = entry
        .split("\"hash\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no hash in {entry}"));
    let meta = format!("/pagefind/pagefind.{hash}.pf_meta");
    assert_eq!(server.get(&meta).status, 200, "{meta}");
}
