//! As `markdown`, with code blocks escaped but not highlighted: syntect
//! dominates the `markdown` target's time, so this one gets many more runs
//! through the parsing, heading ids, table of contents and `@/` links.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use partnersite::diagnostic::Diagnostic;
use partnersite::highlight::Highlighter;
use partnersite::markdown;

fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(Highlighter::plain)
}

fuzz_target!(|body: &str| {
    let resolve = |p: &str| match p {
        "sales/x.md" | "_index.md" => Ok(Some(format!("/{}/", p.trim_end_matches(".md")))),
        "internal/y.md" => Ok(None),
        other => Err(format!("no page `content/{other}`")),
    };
    let (rendered, problems) = markdown::render(body, &resolve, highlighter());
    let ids: std::collections::HashSet<&String> = rendered.anchors.iter().collect();
    assert_eq!(ids.len(), rendered.anchors.len());
    for p in problems {
        assert!(p.span.start <= p.span.end && p.span.end <= body.len());
        let _ = Diagnostic::error_at("content/fuzz.md", body, p.span, p.message).to_string();
    }
});
