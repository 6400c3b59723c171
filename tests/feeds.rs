//! Sitemaps and Atom feeds name pages by absolute URL only (DESIGN.md §6):
//! every `<loc>` and every Atom id and link is absolute; an output whose
//! address is unknown (a partner's without `partner_base_url`, any with a
//! relative `base_url`) writes no sitemap and gives its Atom entries
//! `tag:` URIs (RFC 4151), unique to each partner.

mod support;

use std::collections::BTreeMap;

use support::SiteTest;

/// Every `<tag>…</tag>` value and every `href="…"` of an XML file.
fn values<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    xml.split(open.as_str())
        .skip(1)
        .map(|s| s.split(close.as_str()).next().unwrap())
        .collect()
}

fn hrefs(xml: &str) -> Vec<&str> {
    xml.split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect()
}

/// An absolute `http(s)` URL with a host, as the sitemap schema's `loc`
/// and Atom's IRIs need.
fn assert_absolute(url: &str, what: &str) {
    let parsed = url::Url::parse(url).unwrap_or_else(|e| panic!("{what}: {url:?}: {e}"));
    assert!(
        matches!(parsed.scheme(), "https" | "http") && parsed.host_str().is_some(),
        "{what}: {url}"
    );
    assert!(
        url.len() < 2048,
        "{what}: longer than the sitemap schema allows"
    );
}

/// Every sitemap and feed of a built output folder, by path.
fn feeds(site: &SiteTest, folder: &str) -> BTreeMap<String, String> {
    site.tree(folder)
        .into_iter()
        .filter(|(p, _)| {
            p.ends_with("sitemap.xml") || p.ends_with(".xml") && !p.contains("pagefind")
        })
        .map(|(p, b)| (p, String::from_utf8(b).expect("feeds are UTF-8")))
        .collect()
}

#[test]
fn every_loc_and_every_atom_id_and_link_is_absolute_in_every_output() {
    for audience in ["internal", "public", "partners"] {
        let site = SiteTest::fixture("whats-new");
        site.build(&["--audience", audience]);
        let all = feeds(&site, "public");
        let sitemaps = all.keys().filter(|p| p.ends_with("sitemap.xml")).count();
        assert!(sitemaps >= 1, "{audience}: no sitemap in {:?}", all.keys());
        for (path, xml) in &all {
            let what = format!("{audience}: {path}");
            for loc in values(xml, "loc") {
                assert_absolute(loc, &what);
            }
            for id in values(xml, "id") {
                assert_absolute(id, &what);
            }
            for href in hrefs(xml) {
                assert_absolute(href, &what);
            }
        }
        // A partner's sitemap and feed name its own host.
        if audience == "partners" {
            let sitemap = &all["birch-labs/sitemap.xml"];
            for loc in values(sitemap, "loc") {
                assert!(
                    loc.starts_with("https://birch-labs.partners.center.example/"),
                    "{loc}"
                );
            }
            let robots = site.read("public/birch-labs/robots.txt");
            assert!(robots.contains("Disallow: /"), "{robots}");
        }
        if audience == "public" {
            let robots = site.read("public/robots.txt");
            assert!(
                robots.contains("Sitemap: https://center.example/sitemap.xml"),
                "{robots}"
            );
        }
    }
}

#[test]
fn partner_feeds_without_partner_base_url_have_tag_ids_unique_to_each_partner() {
    // The audiences fixture says nowhere where partner outputs are hosted.
    let site = SiteTest::fixture("audiences");
    site.build(&["--audience", "partners"]);
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for slug in ["alpha-labs", "beta-works", "gamma-co"] {
        assert!(!site.exists(&format!("public/{slug}/sitemap.xml")));
        let atom = site.read(&format!("public/{slug}/atom.xml"));
        assert!(hrefs(&atom).is_empty(), "links to an unknown host: {atom}");
        let ids = values(&atom, "id");
        assert!(ids.len() >= 3, "{atom}");
        for id in ids {
            // RFC 4151: tag:<authority>,<date>:<specific>, the authority the
            // host of the site's own base_url.
            let prefix = format!("tag:partners.example.com,2026-01-10:{slug}/");
            assert!(id.starts_with(&prefix), "{slug}: {id}");
            assert!(!id.contains(' ') && !id.contains('"'), "{id}");
            if let Some(other) = seen.insert(id.to_string(), slug) {
                panic!("{id} is in the feeds of {other} and {slug}");
            }
        }
        // An entry without a link carries its text as content.
        assert!(atom.contains("<content type=\"text\">"), "{atom}");
    }
}

#[test]
fn a_relative_base_url_gives_no_sitemap_and_tag_ids() {
    let site = SiteTest::fixture("minimal");
    let config = site
        .read("site.toml")
        .replace("base_url = \"https://minimal.example\"", "base_url = \"/\"");
    assert!(config.contains("base_url = \"/\""), "{config}");
    let site = site.file("site.toml", config);
    for audience in ["internal", "public"] {
        site.build(&["--audience", audience]);
        assert!(!site.exists("public/sitemap.xml"), "{audience}");
        let atom = site.read("public/atom.xml");
        assert!(hrefs(&atom).is_empty(), "{audience}: {atom}");
        let ids = values(&atom, "id");
        assert!(!ids.is_empty());
        for id in ids {
            // The authority comes from the site's title.
            assert!(id.starts_with("tag:minimal-site,"), "{audience}: {id}");
        }
        let robots = site.read("public/robots.txt");
        assert!(!robots.contains("Sitemap"), "{audience}: {robots}");
    }
}
