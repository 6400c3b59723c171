//! What the `markdown` and `markdown_plain` targets check, with whichever
//! highlighter they are given: `@/` links resolved by a small fake site
//! (one page that exists, one outside the output, everything else broken),
//! unique heading ids, and problem spans inside the body.

use partnersite::diagnostic::Diagnostic;
use partnersite::highlight::Highlighter;
use partnersite::markdown;

pub fn check(body: &str, highlighter: &Highlighter) {
    let resolve = |p: &str| match p {
        "sales/x.md" | "_index.md" => Ok(Some(format!("/{}/", p.trim_end_matches(".md")))),
        "internal/y.md" => Ok(None),
        other => Err(format!("no page `content/{other}`")),
    };
    let (rendered, problems) = markdown::render(body, &resolve, highlighter);
    let ids: std::collections::HashSet<&String> = rendered.anchors.iter().collect();
    assert_eq!(ids.len(), rendered.anchors.len());
    for p in problems {
        assert!(p.span.start <= p.span.end && p.span.end <= body.len());
        let _ = Diagnostic::at(p.code, "content/fuzz.md", body, p.span, p.message).to_string();
    }
}
