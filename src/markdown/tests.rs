//! Rendering, checked on small bodies.

use super::urls::IMAGE_SCHEMES;
use super::*;
use crate::highlight::Highlighter;

fn md(body: &str) -> (Rendered, Vec<Problem>) {
    let resolve = |p: &str| match p {
        "sales/x.md" => Ok(Some("/sales/x/".to_string())),
        "internal/y.md" => Ok(None),
        other => Err(format!("no page `content/{other}`")),
    };
    render(body, &resolve, &Highlighter::new())
}

#[test]
fn word_count_without_rendering_is_the_rendered_count() {
    for body in [
        "one two\n\n```rust\nlet x = 1;\n```\n",
        "## Hello`code` *x*y\n\ntext `inline` [a link](@/sales/x.md) ![alt text](i.png)\n",
        "| a b | c |\n|---|---|\n| d | e f |\n\n- [x] done it\n",
    ] {
        assert_eq!(word_count(body), md(body).0.word_count, "{body}");
    }
}

#[test]
fn broken_links_are_found_without_rendering() {
    let body = "[a](@/sales/x.md) [b](@/nope.md#top) ![c](@/img.md)";
    let found = broken_links(body, &|t| t == "sales/x.md");
    let spans: Vec<&str> = found.iter().map(|p| &body[p.span.clone()]).collect();
    assert_eq!(spans, vec!["[b](@/nope.md#top)", "![c](@/img.md)"]);
    assert!(
        found[0]
            .message
            .starts_with("broken internal link `@/nope.md#top`: no page `content/nope.md`"),
        "{}",
        found[0].message
    );
}

#[test]
fn only_safe_link_schemes_pass() {
    for bad in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "vbscript:x",
        "data:text/html,<script>",
        "file:///etc/passwd",
    ] {
        assert!(unsafe_scheme(bad, LINK_SCHEMES).is_some(), "{bad:?} passed");
    }
    for good in [
        "https://x.example/a:b",
        "mailto:a@b.example",
        "tel:+1",
        "/a/b",
        "../a",
        "a.html#x:y",
        "#top",
        "?q=a:b",
    ] {
        assert_eq!(unsafe_scheme(good, LINK_SCHEMES), None, "{good:?} refused");
    }
    assert_eq!(
        unsafe_scheme("data:image/png;base64,AA", IMAGE_SCHEMES),
        None
    );
    assert!(unsafe_scheme("data:text/html,x", IMAGE_SCHEMES).is_some());
    let (r, p) = md("[x](javascript:alert(1)) ![y](javascript:z)");
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(!r.html.contains("javascript"), "{}", r.html);
    assert!(r.html.contains('x'));
}

#[test]
fn nul_becomes_the_replacement_character() {
    let (r, _) = md("a\0b <span>\0</span>");
    assert!(!r.html.contains('\0'));
    assert!(r.html.contains('\u{fffd}'));
}

#[test]
fn extensions_are_on() {
    let (r, _) =
        md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ \"q\"\n\n- [x] done\n\nn[^1]\n\n[^1]: note\n");
    for needle in [
        "<table>",
        "<del>x</del>",
        "\u{201c}q\u{201d}",
        "type=\"checkbox\"",
        "footnote",
    ] {
        assert!(r.html.contains(needle), "{needle} missing in {}", r.html);
    }
}

#[test]
fn headings_get_unique_ids_and_anchor_links() {
    let (r, _) = md("## Deal registration\n\n## Deal registration\n\n### Custom {#mine}\n");
    assert!(r.html.contains("<h2 id=\"deal-registration\">Deal registration<a class=\"anchor\" href=\"#deal-registration\""));
    assert_eq!(
        r.anchors,
        vec!["deal-registration", "deal-registration-1", "mine"]
    );
}

#[test]
fn toc_nests_by_level() {
    let (r, _) = md("## A\n### A1\n### A2\n## B\n");
    assert_eq!(r.toc.len(), 2);
    assert_eq!(r.toc[0].children.len(), 2);
    assert_eq!(r.toc[0].children[1].title, "A2");
}

#[test]
fn internal_links_resolve_with_fragment() {
    let (r, p) = md("[x](@/sales/x.md#top)");
    assert!(p.is_empty());
    assert!(r.html.contains("href=\"/sales/x/#top\""), "{}", r.html);
    assert_eq!(r.internal_links[0].url, "/sales/x/#top");
}

#[test]
fn links_to_pages_outside_the_output_keep_only_their_text() {
    let (r, p) = md("see [the handbook](@/internal/y.md) and [x](@/sales/x.md)");
    assert!(p.is_empty());
    assert!(
        r.html
            .contains("see the handbook and <a href=\"/sales/x/\">x</a>"),
        "{}",
        r.html
    );
}

#[test]
fn missing_internal_link_is_a_problem_with_its_span() {
    let body = "see [y](@/nope.md) now";
    let (_, p) = md(body);
    assert_eq!(p.len(), 1);
    assert_eq!(&body[p[0].span.clone()], "[y](@/nope.md)");
    assert!(p[0].message.contains("content/nope.md"));
}

#[test]
fn code_is_highlighted_and_counted_links_collected() {
    let (r, _) = md("one two\n\n```json\n{\"a\": 1}\n```\n\n[e](https://example.com) ![i](a.png)");
    assert!(r.html.contains("data-lang=\"json\""));
    assert_eq!(r.external_links[0].url, "https://example.com");
    assert_eq!(r.images[0].url, "a.png");
    assert!(r.word_count >= 3);
}

#[test]
fn task_list_checkboxes_are_named_by_their_state() {
    let (r, _) = md("- [x] sent\n- [ ] signed\n");
    assert!(
        r.html
            .contains("<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Done\"/>"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<input disabled=\"\" type=\"checkbox\" aria-label=\"To do\"/>"),
        "{}",
        r.html
    );
}

fn md_with(text: &str, fragments: &[String], alerts: Option<&Alerts>) -> Rendered {
    let resolve = |_: &str| Ok(None);
    let input = Input {
        text,
        fragments,
        alerts,
    };
    render_input(&input, &resolve, &Highlighter::new()).0
}

#[test]
fn fragments_are_put_back_raw_and_alone_without_a_paragraph() {
    let p = crate::shortcode::placeholder;
    let fragments = vec![
        "<div class=\"x\">\n\n  <b>*not markdown*</b>".to_string(),
        "</div>".to_string(),
        "<strong>42%</strong>".to_string(),
    ];
    let text = format!(
        "{}\n\nInside *it*.\n\n{}\n\nValue {} here.\n",
        p(0),
        p(1),
        p(2)
    );
    let html = md_with(&text, &fragments, None).html;
    assert!(
        html.starts_with(
            "<div class=\"x\">\n\n  <b>*not markdown*</b>\n<p>Inside <em>it</em>.</p>\n</div>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<p>Value <strong>42%</strong> here.</p>"),
        "{html}"
    );
    // Not counted as words; a placeholder in raw HTML is replaced too.
    let r = md_with(&format!("<span>{}</span>\n", p(2)), &fragments, None);
    assert_eq!(r.html, "<p><span><strong>42%</strong></span></p>\n");
    // "Inside", "it", ".", "Value", "here.": the fragments are not words.
    assert_eq!(md_with(&text, &fragments, None).word_count, 5);
}

#[test]
fn a_more_line_ends_the_summary() {
    let r = md("First *para*.\n\n<!-- more -->\n\nRest.\n").0;
    assert_eq!(r.summary.as_deref(), Some("<p>First <em>para</em>.</p>"));
    assert!(r.html.contains("Rest."));
    assert_eq!(md("No marker.\n").0.summary, None);
    // Only at the top level: not inside a list or a quote.
    assert_eq!(md("> a\n> <!-- more -->\n").0.summary, None);
    assert!(md("A\n\n<!--MORE-->\n").0.summary.is_some());
}

#[test]
fn github_alerts_take_the_callout_layout_and_definition_lists_work() {
    let mut alerts = Alerts::default();
    alerts.open[3] = "<div class=\"callout callout-warning\">".into();
    alerts.close[3] = "</div>".into();
    let html = md_with("> [!WARNING]\n> Mind the gap.\n", &[], Some(&alerts)).html;
    assert_eq!(
        html,
        "<div class=\"callout callout-warning\">\n<p>Mind the gap.</p>\n</div>"
    );
    let html = md("Term\n: Its definition.\n").0.html;
    assert!(
        html.contains("<dl>") && html.contains("<dd>Its definition.</dd>"),
        "{html}"
    );
}
