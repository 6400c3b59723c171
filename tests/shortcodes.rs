//! Shortcodes (DESIGN.md §2 "Shortcodes") on the fixtures `shortcodes`
//! (every shortcode of the cafe theme, a site's own in HTML and markdown,
//! a site's override of the theme's) and `only` (conditional content and
//! KPIs, with partners), and one test per error, asserting its
//! `path:line:col`.

mod support;

use std::io::Read;

use support::SiteTest;

/// A fixture built with `extra` flags.
fn built(fixture: &str, extra: &[&str]) -> SiteTest {
    let site = SiteTest::fixture(fixture);
    site.build(extra);
    site
}

/// The `<div class="prose">` of a page: its rendered markdown.
fn prose(html: &str) -> &str {
    let start = html.find("<div class=\"prose\">").expect("a prose block");
    let end = html[start..]
        .find("\n  </div>")
        .map_or(html.len(), |i| start + i);
    &html[start..end]
}

#[test]
fn every_cafe_shortcode_renders_in_place() {
    let site = built("shortcodes", &[]);
    let html = site.read("public/guides/steps/index.html");
    let body = prose(&html);
    // A callout around markdown, its link resolved.
    assert!(
        body.contains("<div class=\"callout callout-tip\" role=\"note\">\n<p class=\"callout-title\">Tip</p>\n<p>Register <strong>early</strong>: see <a href=\"/guides/target/#eligibility\">the target</a>.</p>"),
        "{body}"
    );
    // In a list item it stays in the item, with its own title.
    assert!(body.contains("<li>\n<p>Open the portal.</p>\n<div class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\">Before you submit</p>"), "{body}");
    // A GitHub alert looks the same as the callout of its kind.
    assert!(body.contains("<div class=\"callout callout-important\" role=\"note\">\n<p class=\"callout-title\">Important</p>"), "{body}");
    assert!(!body.contains("[!IMPORTANT]"), "{body}");
    // `kpi` on a page that is no partner's copy.
    assert!(
        body.contains("<span class=\"kpi\"><strong>—</strong></span>"),
        "{body}"
    );
    // Definition lists.
    assert!(
        body.contains("<dt>Term</dt>\n<dd>Its definition.</dd>"),
        "{body}"
    );
}

#[test]
fn a_sites_shortcodes_override_the_themes_and_html_arguments_are_escaped() {
    let site = built("shortcodes", &[]);
    let body = site.read("public/guides/steps/index.html");
    // templates/shortcodes/button.html of the site wins over the theme's.
    assert!(
        body.contains("<a class=\"site-button\" href=\"/guides/target/\">Register a deal</a>"),
        "{body}"
    );
    assert!(!body.contains("class=\"button\""), "{body}");
    // An HTML shortcode's arguments are text.
    assert!(
        body.contains("<span class=\"stamp\">Approved &lt;by&gt; legal</span>"),
        "{body}"
    );
    // A markdown shortcode's output is markdown (a quote with emphasis).
    assert!(
        body.contains("<blockquote>\n<p>It <em>works</em>.</p>\n<p>— A partner</p>\n</blockquote>"),
        "{body}"
    );
}

#[test]
fn shortcodes_in_code_are_never_expanded_and_escaped_ones_are_written_out() {
    let site = built("shortcodes", &[]);
    let body = site.read("public/guides/steps/index.html");
    assert!(
        body.contains("<code>{{ kpi(key=\"win_rate\") }}</code>"),
        "{body}"
    );
    assert!(body.contains("{% callout() %}\n</code></pre>"), "{body}");
    assert!(body.contains("Escaped: {{ button("), "{body}");
}

// ------------------------------------------------------------------ errors

const BAD: &str = "content/guides/bad.md";

/// The `shortcodes` fixture with `content/guides/bad.md` holding `body`
/// after a two-line front matter (so the body starts on line 4).
fn bad(body: &str) -> support::Run {
    support::fails_after_breaking("shortcodes", |site| {
        site.file(BAD, format!("+++\ntitle = \"Bad\"\n+++\n{body}"))
    })
}

#[test]
fn an_unknown_shortcode_is_reported_at_its_line_and_column() {
    bad("Intro.\n\nSee {{ youtube(id=\"x\") }} here.\n")
        .error_at(&format!("{BAD}:6:5"), "unknown shortcode `youtube`")
        .stderr_contains("6 | See {{ youtube(id=\"x\") }} here.");
}

#[test]
fn an_unclosed_block_is_an_error_at_its_opening() {
    bad("{% callout(kind=\"tip\") %}\nNo end.\n")
        .error_at(&format!("{BAD}:4:1"), "shortcode `callout` is not closed");
}

#[test]
fn an_end_that_closes_nothing_is_an_error() {
    bad("Text.\n\n{% end %}\n").error_at(&format!("{BAD}:6:1"), "`{% end %}` closes no shortcode");
}

#[test]
fn bad_shortcode_arguments_are_located() {
    bad("{{ button(href=\"@/guides/target.md\" text=\"x\") }}\n").error_at(
        &format!("{BAD}:4:37"),
        "expected `,` or `)` after an argument",
    );
    bad("{{ button(text=yes) }}\n")
        .error_at(&format!("{BAD}:4:16"), "a value is a string in quotes");
    bad("{{ button(text=\"a\", text=\"b\") }}\n").error_at(&format!("{BAD}:4:21"), "given twice");
    bad("{{ button(text=\"a) }}\n").error_at(&format!("{BAD}:4:16"), "has no closing");
}

#[test]
fn a_broken_or_unsafe_link_in_an_argument_is_located() {
    bad("{{ button(href=\"@/guides/nope.md\", text=\"x\") }}\n").error_at(
        &format!("{BAD}:4:16"),
        "broken internal link `@/guides/nope.md` in argument `href`",
    );
    bad("{{ button(href=\"javascript:alert(1)\", text=\"x\") }}\n")
        .error_at(&format!("{BAD}:4:16"), "unsafe link `javascript:alert(1)`");
}

#[test]
fn a_shortcode_template_error_is_located_at_the_call() {
    bad("Text.\n{% callout(kind=\"danger\") %}\nx\n{% end %}\n")
        .error_at(&format!("{BAD}:5:1"), "shortcode `callout`: ")
        .stderr_contains("`kind` must be note, tip, important, warning or caution, not `danger`");
    bad("{{ button(href=\"@/guides/target.md\") }}\n").error_at(
        &format!("{BAD}:4:1"),
        "shortcode `button`: Variable `text` not found",
    );
}

#[test]
fn a_template_that_shows_its_body_twice_is_an_error() {
    support::fails_after_breaking("shortcodes", |site| {
        site.file("templates/shortcodes/twice.html", "{{ body }}{{ body }}")
            .file(
                BAD,
                "+++\ntitle = \"Bad\"\n+++\n{% twice() %}\nx\n{% end %}\n",
            )
    })
    .error_at(&format!("{BAD}:4:1"), "shows `body` more than once");
}

#[test]
fn only_and_kpi_with_bad_arguments_are_errors() {
    bad("{% only(tiers=[1, 4]) %}\nx\n{% end %}\n")
        .error_at(&format!("{BAD}:4:15"), "tier 4 does not exist");
    bad("{% only(tier=1) %}\nx\n{% end %}\n").error_at(
        &format!("{BAD}:4:14"),
        "`only` takes `tiers` and `audience`, not `tier`",
    );
    bad("{% only(audience=\"everyone\") %}\nx\n{% end %}\n")
        .error_at(&format!("{BAD}:4:18"), "unknown audience");
    bad("{{ only(tiers=[1]) }}\n").error_at(&format!("{BAD}:4:1"), "`only` needs a body");
    bad("{{ kpi(key=\"revenue\") }}\n").error_at(&format!("{BAD}:4:12"), "unknown KPI \"revenue\"");
    bad("{{ kpi() }}\n").error_at(&format!("{BAD}:4:1"), "`kpi` needs `key`");
}

#[test]
fn partner_share_is_never_shown_by_kpi() {
    bad("{{ kpi(key=\"partner_share\") }}\n")
        .error_at(&format!("{BAD}:4:12"), "`partner_share` is internal only");
}

// -------------------------------------------------------------------- only

/// The text of every file of `folder`, the search index decompressed (as
/// tests/trust.rs reads it).
fn readable(site: &SiteTest, folder: &str) -> Vec<(String, String)> {
    site.tree(folder)
        .into_iter()
        .map(|(path, bytes)| {
            let text = if path.ends_with(".pf_fragment")
                || path.ends_with(".pf_meta")
                || path.ends_with(".pf_index")
            {
                let mut out = Vec::new();
                let _ = flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out);
                String::from_utf8_lossy(&out).into_owned()
            } else {
                String::from_utf8_lossy(&bytes).into_owned()
            };
            (path, text)
        })
        .collect()
}

/// Whether any file of `folder` holds `word`, the search index included.
fn holds(site: &SiteTest, folder: &str, word: &str) -> Vec<String> {
    (readable(site, folder).into_iter())
        .filter(|(_, text)| text.contains(word))
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn an_only_tier1_body_is_absent_from_a_tier2_partners_folder_and_search_index() {
    let site = built("only", &["--audience", "partners"]);
    // The search index was built and is read: the page's other text is in it.
    let index = readable(&site, "public/beta-works");
    assert!(
        index
            .iter()
            .any(|(p, t)| p.ends_with(".pf_fragment") && t.contains("portal account")),
        "no readable search fragment holds the page"
    );
    for word in [
        "Zanzibarquux",
        "Strategic funding",
        "strategic-funding",
        "Marmalade",
        "Quillfeather",
    ] {
        let found = holds(&site, "public/beta-works", word);
        assert!(
            found.is_empty(),
            "the tier-2 partner's folder holds {word:?}: {found:?}"
        );
    }
    // The tier-1 partner reads it, without the internal label, in its
    // pages and its search index.
    let found = holds(&site, "public/alpha-labs", "Zanzibarquux");
    assert!(
        found.iter().any(|p| p.ends_with(".pf_fragment")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|p| p == "guides/tiers/index.html"),
        "{found:?}"
    );
    assert!(holds(&site, "public/alpha-labs", "Tier 1 partners only").is_empty());
    // What every partner may read is in both; internal notes in neither.
    for folder in ["public/alpha-labs", "public/beta-works"] {
        assert!(
            !holds(&site, folder, "get a partner manager").is_empty(),
            "{folder}"
        );
        assert!(holds(&site, folder, "Quillfeather").is_empty(), "{folder}");
    }
}

#[test]
fn the_internal_view_labels_only_blocks_and_the_public_view_has_none() {
    let site = built("only", &[]);
    let html = site.read("public/guides/tiers/index.html");
    for label in [
        "Tier 1 partners only",
        "Tier 1–2 partners only",
        "Internal only",
        "Partners only",
    ] {
        assert!(
            html.contains(&format!("<p class=\"only-label\">{label}</p>")),
            "{label}"
        );
    }
    assert!(html.contains("Zanzibarquux") && html.contains("Quillfeather"));
    let site = built("only", &["--audience", "public"]);
    let public = readable(&site, "public");
    for word in [
        "Zanzibarquux",
        "get a partner manager",
        "Quillfeather",
        "deal desk",
    ] {
        let hit: Vec<&String> = public
            .iter()
            .filter(|(_, t)| t.contains(word))
            .map(|(p, _)| p)
            .collect();
        assert!(hit.is_empty(), "the public output holds {word:?}: {hit:?}");
    }
    assert!(html.contains("portal account"));
}

#[test]
fn an_only_body_counts_no_words_for_a_view_that_may_not_see_it() {
    // 400 words only tier 1 may read: two minutes of reading for tier 1,
    // one for tier 2.
    let words = "word ".repeat(400);
    let site = SiteTest::fixture("only").file(
        "content/guides/long.md",
        format!("+++\ntitle = \"Long\"\naudience = \"public\"\n+++\nShort.\n\n{{% only(tiers=[1]) %}}\n{words}\n{{% end %}}\n"),
    );
    site.build(&["--audience", "partners"]);
    let card = |folder: &str| {
        let html = site.read(&format!("public/{folder}/guides/index.html"));
        let at = html.find("/guides/long/").expect("listed");
        html[at..at + 300].to_string()
    };
    assert!(
        card("alpha-labs").contains("3 min read"),
        "{}",
        card("alpha-labs")
    );
    assert!(
        card("beta-works").contains("1 min read"),
        "{}",
        card("beta-works")
    );
}

#[test]
fn a_cobranded_copy_shows_what_its_partner_may_see_and_its_own_kpi() {
    let site = built("only", &[]);
    let alpha = site.read("public/partners/alpha-labs/kit/index.html");
    let beta = site.read("public/partners/beta-works/kit/index.html");
    // Tier 1: the block, with the partner's name, and no internal label.
    assert!(alpha.contains("As a strategic partner, Alpha Labs gets Marmalade co-marketing."));
    assert!(!alpha.contains("only-label"), "{alpha}");
    // Tier 2, even in the internal output: not a word of it.
    assert!(!beta.contains("Marmalade"), "{beta}");
    // Each partner's own value and status, as its report shows them.
    assert!(
        alpha.contains("<span class=\"kpi kpi-on_track\"><strong>70%</strong> <span class=\"kpi-status\">(on track; target ≥ 50%)</span></span>"),
        "{}",
        prose(&alpha)
    );
    assert!(
        alpha.contains(
            "Partner satisfaction: <span class=\"kpi kpi-on_track\"><strong>9.1</strong>"
        )
    );
    // The generic page: the placeholder, and no one's numbers.
    let generic = site.read("public/guides/kit/index.html");
    assert!(generic.contains("Your company, your deal registration rate is <span class=\"kpi\"><strong>—</strong></span>"), "{}", prose(&generic));
}
