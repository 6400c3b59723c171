//! What's new, earlier quarters and what the next tier unlocks (DESIGN.md
//! §6), on the `whats-new` fixture: Alder Works (tier 2) with KPI status
//! changes, quarter comments and actions due; Birch Labs (tier 3); Cedar
//! Systems (tier 1, one quarter of data). The report quarter is 2026-Q3,
//! so what's new counts from 2026-06-30; `as_of` is 2026-10-10.

mod support;

use std::collections::BTreeMap;

use support::SiteTest;

const ALDER: &str = "partners/alder-works";

fn built(args: &[&str]) -> SiteTest {
    let site = SiteTest::fixture("whats-new");
    site.build(args);
    site
}

/// The text of a page as a reader sees it: tags dropped, spaces collapsed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&#x27;", "'").replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The three what's new files of Alder Works in `out` (a folder of the site).
fn whats_new_files(site: &SiteTest, out: &str) -> [(String, String); 3] {
    [
        "whats-new/index.html",
        "whats-new.xml",
        "whats-new-email.html",
    ]
    .map(|f| {
        let path = format!("{out}/{ALDER}/{f}");
        let body = site.read(&path);
        (path, body)
    })
}

#[test]
fn whats_new_lists_the_new_and_updated_pages_of_the_partners_own_view() {
    let site = built(&[]);
    for (path, body) in whats_new_files(&site, "public") {
        let body = text_of(&body);
        for shown in [
            "Fresh Launch Checklist",
            "Revised Pricing Guide",
            "Open Campaign Kit",
        ] {
            assert!(body.contains(shown), "{path} lacks {shown:?}:\n{body}");
        }
        // Not changed since 2026-06-30; or in the internal output, but not
        // in Alder's view (tier 1 only, internal).
        for hidden in [
            "Old Onboarding Guide",
            "Strategic Deal Room",
            "Confidential Manager Handbook",
        ] {
            assert!(!body.contains(hidden), "{path} has {hidden:?}:\n{body}");
        }
    }
    let page = site.read(&format!("public/{ALDER}/whats-new/index.html"));
    // Co-branded pages are linked in the partner's own copy.
    assert!(
        page.contains("href=\"/partners/alder-works/open-kit/\""),
        "{page}"
    );
    let cedar = site.read("public/partners/cedar-systems/whats-new/index.html");
    assert!(
        text_of(&cedar).contains("Strategic Deal Room"),
        "tier 1 sees its updated page"
    );
}

#[test]
fn whats_new_shows_status_changes_but_never_an_internal_only_kpi() {
    let site = built(&[]);
    // The internal report shows partner_share moving from off track to on
    // track; what's new, written for the partner, never mentions it.
    let json = site.read(&format!("public/{ALDER}/report.json"));
    assert!(json.contains("\"partner_share\": \"on_track\""), "{json}");
    for (path, body) in whats_new_files(&site, "public") {
        let text = text_of(&body);
        assert!(
            text.contains("Deal registration rate") && text.contains("Competitive win rate"),
            "{path}: {text}"
        );
        assert!(!text.contains("Partner satisfaction"), "unchanged: {path}");
        for internal in ["Share of partner revenue", "partner_share"] {
            assert!(!body.contains(internal), "{path} has {internal}");
        }
    }
    let page = text_of(&site.read(&format!("public/{ALDER}/whats-new/index.html")));
    assert!(
        page.contains("Deal registration rate Off track On track better 80%"),
        "{page}"
    );
    assert!(
        page.contains("Competitive win rate On track Off track worse 40%"),
        "{page}"
    );
}

#[test]
fn whats_new_lists_the_open_actions_overdue_or_due_within_30_days() {
    let site = built(&[]);
    let page = text_of(&site.read(&format!("public/{ALDER}/whats-new/index.html")));
    assert!(
        page.contains("Send the joint pipeline review Alder Works 2026-09-30 10 days overdue"),
        "{page}"
    );
    assert!(
        page.contains("Book the regional launch event Partner manager 2026-10-20 Due in 10 days"),
        "{page}"
    );
    // Due in 82 days; done.
    for later in ["Plan the 2027 roadmap", "Sign the reseller addendum"] {
        assert!(!page.contains(later), "{later}: {page}");
    }
}

#[test]
fn the_email_is_ready_to_paste_into_a_mail_client() {
    let site = built(&["--audience", "partners"]);
    let email = site.read(&format!("public/alder-works/{ALDER}/whats-new-email.html"));
    assert!(
        email.len() < 100 * 1024,
        "the email is {} bytes",
        email.len()
    );
    let lower = email.to_ascii_lowercase();
    for banned in [
        "<script", "<style", "<link", "<img", "<iframe", "src=", "class=",
    ] {
        assert!(!lower.contains(banned), "the email has {banned}");
    }
    // Every link absolute, to the partner's own host.
    let hrefs: Vec<&str> = email
        .split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert!(hrefs.len() >= 5, "{hrefs:?}");
    for href in &hrefs {
        assert!(
            href.starts_with("https://alder-works.partners.center.example/"),
            "not an absolute link to the partner's output: {href}"
        );
    }
    // Only links carry an href: no other element names a resource.
    assert_eq!(
        email.matches("href=").count(),
        email.matches("<a href=").count()
    );
    // Styles inline, layout in tables.
    assert!(email.contains("<table role=\"presentation\" style=\""));
    assert!(email.contains("<td style=\""));
    assert!(
        email.contains("background-color: #1d4e89"),
        "the partner's colour"
    );
    // The same bytes in the internal output, which the manager sends from.
    let internal = built(&[]);
    assert_eq!(
        internal.read(&format!("public/{ALDER}/whats-new-email.html")),
        email
    );
}

#[test]
fn earlier_quarters_have_their_own_report_json_and_a_quarter_picker() {
    let site = built(&[]);
    let q1 = site.read(&format!("public/{ALDER}/2026-Q1/index.html"));
    assert!(q1.contains("Data as of <strong>2026-Q1</strong>"), "{q1}");
    assert!(
        text_of(&q1).contains("Alder Q1 note"),
        "its own quarter's comment"
    );
    assert!(!q1.contains("Alder Q3 note"));
    assert!(
        !q1.contains("data-pagefind-body"),
        "earlier reports are not searched"
    );
    for chart in ["revenue.svg", "satisfaction.svg"] {
        assert!(site.exists(&format!("public/{ALDER}/2026-Q1/{chart}")));
    }
    let json: serde_json::Value =
        serde_json::from_str(&site.read(&format!("public/{ALDER}/2026-Q1/report.json"))).unwrap();
    assert_eq!(json["quarter"], "2026-Q1");
    assert_eq!(json["kpis"]["influenced_revenue"], 100000.0);
    assert_eq!(json["status"]["deal_registration_rate"], "on_track");
    // The picker: the latest report first, each earlier quarter after it.
    let latest = site.read(&format!("public/{ALDER}/index.html"));
    let picker = |html: &str| -> Vec<String> {
        let start = html
            .find("class=\"quarter-picker\"")
            .expect("a quarter picker");
        let end = html[start..].find("</nav>").unwrap() + start;
        html[start..end]
            .split("href=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect()
    };
    let expected = [
        "/partners/alder-works/",
        "/partners/alder-works/2026-Q2/",
        "/partners/alder-works/2026-Q1/",
    ];
    assert_eq!(picker(&latest), expected);
    assert_eq!(picker(&q1), expected);
    assert!(q1.contains("<a href=\"/partners/alder-works/2026-Q1/\" aria-current=\"page\">"));
    assert!(latest.contains("href=\"/partners/alder-works/whats-new/\""));
    // A partner with one quarter of data has no picker and no earlier report.
    let cedar = site.read("public/partners/cedar-systems/index.html");
    assert!(!cedar.contains("quarter-picker"));
    assert!(!site.exists("public/partners/cedar-systems/2026-Q2"));
    // The partner's own view: its earlier report.json has no internal KPI.
    let own = built(&["--audience", "partner:alder-works"]);
    let json = own.read(&format!("public/{ALDER}/2026-Q1/report.json"));
    assert!(!json.contains("partner_share"), "{json}");
}

#[test]
fn the_next_tier_unlocks_counts_and_names_only_teasers() {
    let site = built(&["--audience", "partners"]);
    let report =
        |slug: &str| text_of(&site.read(&format!("public/{slug}/partners/{slug}/index.html")));
    let alder = report("alder-works");
    assert!(
        alder.contains("Tier 1 unlocks 2 more pages, among them: Strategic Deal Room"),
        "{alder}"
    );
    let birch = report("birch-labs");
    assert!(
        birch.contains(
            "Tier 2 unlocks 1 more page (1 campaign kit) and 1 co-branded material, among them: Regional Campaign Kit"
        ),
        "{birch}"
    );
    let cedar = report("cedar-systems");
    assert!(cedar.contains("is in the top tier"), "{cedar}");
    assert!(!cedar.contains("unlocks"));
    // A tier-1 page without `teaser` is never named below tier 1.
    for slug in ["alder-works", "birch-labs"] {
        for (path, bytes) in site.tree(&format!("public/{slug}")) {
            let body = String::from_utf8_lossy(&bytes);
            assert!(!body.contains("Quiet Tier One Plan"), "{slug}/{path}");
        }
    }
}

#[test]
fn each_new_output_is_in_its_partners_own_folder_only() {
    let site = built(&["--audience", "partners"]);
    let tree = site.tree("public");
    let own = [
        "whats-new/index.html",
        "whats-new.xml",
        "whats-new-email.html",
        "2026-Q1/index.html",
        "2026-Q1/report.json",
        "2026-Q2/index.html",
    ];
    for file in own {
        let path = format!("alder-works/{ALDER}/{file}");
        assert!(tree.contains_key(&path), "{path} missing");
    }
    for path in tree.keys() {
        if let Some((folder, rest)) = path.split_once('/') {
            assert!(
                !rest.starts_with("partners/") || rest.starts_with(&format!("partners/{folder}/")),
                "{path}: another partner's file"
            );
        }
    }
    // The public output has no partner files at all.
    let public = built(&["--audience", "public"]);
    assert!(!public.exists("public/partners"));
}

#[test]
fn without_partner_base_url_the_email_has_no_links_and_ids_are_tag_uris() {
    let site = SiteTest::fixture("whats-new");
    let config = site.read("site.toml");
    let without: String = config
        .lines()
        .filter(|l| !l.starts_with("partner_base_url"))
        .map(|l| format!("{l}\n"))
        .collect();
    let site = site.file("site.toml", without);
    site.build(&["--audience", "partners"]);
    let email = site.read(&format!("public/alder-works/{ALDER}/whats-new-email.html"));
    assert!(!email.contains("href="), "links to an unknown host");
    assert!(text_of(&email).contains("Fresh Launch Checklist"));
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for slug in ["alder-works", "birch-labs"] {
        assert!(!site.exists(&format!("public/{slug}/sitemap.xml")));
        for feed in [
            "atom.xml".to_string(),
            format!("partners/{slug}/whats-new.xml"),
        ] {
            let xml = site.read(&format!("public/{slug}/{feed}"));
            assert!(!xml.contains("href="), "{slug}/{feed}: {xml}");
            for id in xml
                .split("<id>")
                .skip(1)
                .map(|s| s.split("</id>").next().unwrap())
            {
                let prefix = format!("tag:center.example,2026-01-05:{slug}/");
                assert!(id.starts_with(&prefix), "{slug}/{feed}: {id}");
                // The same page may be an entry of both of a partner's
                // feeds; never of two partners'.
                if let Some(other) = ids.insert(id.to_string(), slug.to_string()) {
                    assert_eq!(other, slug, "{id} is in the feeds of {other} and {slug}");
                }
            }
        }
    }
}

#[test]
fn the_bundled_site_builds_for_every_partner_with_its_own_whats_new() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("out");
    let args: Vec<String> = [
        "build",
        "--root",
        support::REPO,
        "--audience",
        "partners",
        "--out",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([out.display().to_string()])
    .collect();
    // The leak guard runs on every file of every folder: exit 0 means none
    // of the new outputs holds another partner's name, slug or logo.
    let run = support::run_binary(&args, dir.path(), &[dir.path()]);
    assert_eq!(run.status, Some(0), "{run}");
    let folders: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    assert_eq!(folders.len(), 12, "{folders:?}");
    for slug in folders {
        let own = out.join(&slug).join("partners").join(&slug);
        for file in [
            "whats-new/index.html",
            "whats-new.xml",
            "whats-new-email.html",
        ] {
            assert!(own.join(file).is_file(), "{slug}: {file} missing");
        }
        let email = std::fs::read_to_string(own.join("whats-new-email.html")).unwrap();
        let host = format!("https://{slug}.partners.servercafe.example/");
        assert!(
            email.contains(&host),
            "{slug}: the email links to its own host"
        );
        assert!(!email.contains("partner_share") && !email.contains("Share of partner revenue"));
    }
}

#[test]
fn whats_new_lists_the_pages_of_the_view_that_expire_within_30_days() {
    let site = SiteTest::fixture("whats-new")
        .file(
            "content/guides/spiff.md",
            "+++\ntitle = \"Autumn SPIFF\"\ndate = 2026-01-05\nexpires = 2026-11-20\n+++\nA time-boxed incentive.\n",
        )
        .file(
            "content/internal/promo.md",
            "+++\ntitle = \"Staff Promo Notes\"\ndate = 2026-01-05\naudience = \"internal\"\nexpires = 2026-11-20\n+++\nInternal.\n",
        )
        .file(
            "content/guides/later.md",
            "+++\ntitle = \"Winter Offer\"\ndate = 2026-01-05\nexpires = 2027-03-01\n+++\nLater.\n",
        );
    site.build(&["--date", "2026-11-01"]);
    for (path, body) in whats_new_files(&site, "public") {
        let body = text_of(&body);
        assert!(body.contains("Autumn SPIFF"), "{path}:\n{body}");
        assert!(body.contains("2026-11-20"), "{path}: its last day:\n{body}");
        // Expiring later than 30 days, or not in Alder's view.
        assert!(!body.contains("Winter Offer"), "{path}:\n{body}");
        assert!(!body.contains("Staff Promo Notes"), "{path}:\n{body}");
    }
    // On its expiry day the page is gone, and so is the entry.
    site.build(&["--date", "2026-11-20"]);
    let page = site.read(&format!("public/{ALDER}/whats-new/index.html"));
    assert!(!page.contains("Autumn SPIFF"), "{page}");
}

#[test]
fn whats_new_lists_the_newest_50_pages_and_counts_the_rest() {
    let mut site = SiteTest::fixture("whats-new");
    for i in 0..60 {
        site = site.file(
            &format!("content/guides/bulk-{i:02}.md"),
            format!(
                "+++\ntitle = \"Bulk Page {i:02}\"\ndate = 2026-09-{:02}\n+++\nText.\n",
                1 + i % 28
            ),
        );
    }
    site.build(&[]);
    let page = site.read(&format!("public/{ALDER}/whats-new/index.html"));
    let text = text_of(&page);
    let list = page
        .split("<ul class=\"changed-pages\">")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .expect("the list of changed pages");
    // 60 bulk pages and the fixture's 3: the newest 50 listed, 13 counted.
    assert_eq!(list.matches("<li>").count(), 50, "{text}");
    assert!(
        list.contains("Bulk Page 27"),
        "dated 2026-09-28, among the newest"
    );
    assert!(
        text.contains("And 13 more pages new or updated since 2026-06-30"),
        "{text}"
    );
    let feed = site.read(&format!("public/{ALDER}/whats-new.xml"));
    let page_entries =
        feed.matches("<title>New page: ").count() + feed.matches("<title>Updated: ").count();
    assert_eq!(page_entries, 50, "{feed}");
    let email = site.read(&format!("public/{ALDER}/whats-new-email.html"));
    assert!(
        text_of(&email).contains("And 38 more"),
        "{}",
        text_of(&email)
    );
}
