//! Trust (issue #12): what a careful attacker or a clumsy user tries, and
//! what partnersite must do instead. Each test names the class of the
//! issue it covers; each failed on the code before the fix.
//!
//! (The output folder's own rules — never deleting files partnersite did
//! not write, the lock, failures while writing — are in tests/write.rs.)

mod support;

use std::path::Path;

use support::SiteTest;

/// The audiences fixture with `files` added, built for `audience`.
fn audiences(files: &[(&str, &str)]) -> SiteTest {
    let mut site = SiteTest::fixture("audiences");
    for (path, text) in files {
        site = site.file(path, text);
    }
    site
}

// ------------------------------------------------------- 3. secrets, determinism

#[test]
fn class3_a_cobranded_page_cannot_read_the_environment() {
    let site = audiences(&[(
        "content/guides/kit.md",
        "+++\ntitle = \"Joint Campaign Kit\"\ncobrand = true\n+++\nKey: {{ get_env(name=\"CI_SECRET\") }}\n",
    )]);
    let run = support::run_binary(
        &[
            "build".into(),
            "--audience".into(),
            "partners".into(),
            "--root".into(),
            site.root().display().to_string(),
            "--out".into(),
            site.path("public").display().to_string(),
        ],
        site.root(),
        &[site.root()],
    );
    let run = run
        .expect_exit(1)
        .stderr_contains("cannot read environment variables");
    assert!(run.stderr.contains("content/guides/kit.md"), "{run}");
    assert!(!site.exists("public"), "nothing is written");
}

#[test]
fn class3_templates_cannot_read_the_environment_or_the_clock() {
    for (call, why) in [
        ("get_env(name=\"HOME\")", "environment variables"),
        ("now()", "the clock"),
        ("get_random(end=10)", "random numbers"),
    ] {
        let site = SiteTest::fixture("minimal").file(
            "templates/404.html",
            format!("{{% extends \"base.html\" %}}{{% block main %}}{{{{ {call} }}}}{{% endblock main %}}"),
        );
        site.run(&["build"])
            .expect_exit(1)
            .stderr_contains(why)
            .stderr_contains("templates/404.html");
    }
}

// ------------------------------------------------------------------ 4. crashes

#[test]
fn class4_a_deep_recursion_renders_and_a_deeper_one_is_an_error() {
    let site = SiteTest::fixture("minimal")
        .file(
            "templates/macros/deep.html",
            "{% macro down(n) %}{% if n > 0 %}{{ self::down(n=n - 1) }}{% endif %}{% endmacro down %}",
        )
        .file(
            "templates/404.html",
            "{% import \"macros/deep.html\" as d %}{% extends \"base.html\" %}{% block main %}{{ d::down(n=1000) }}{% endblock main %}",
        );
    // A terminating recursion 1,000 levels deep renders.
    site.build(&[]);
    // Deeper than any stack: a located error, not an abort.
    let site = site.file(
        "templates/404.html",
        "{% import \"macros/deep.html\" as d %}{% extends \"base.html\" %}{% block main %}{{ d::down(n=10000000) }}{% endblock main %}",
    );
    site.run(&["build"])
        .expect_exit(1)
        .stderr_contains("recursed too deep")
        .stderr_contains("templates/");
}

#[test]
fn class4_a_huge_range_is_an_error() {
    let site = SiteTest::fixture("minimal").file(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}{% for i in range(end=200000000) %}{{ i }}{% endfor %}{% endblock main %}",
    );
    site.run(&["build"])
        .expect_exit(1)
        .stderr_contains("range")
        .stderr_contains("templates/404.html");
}

#[test]
fn class4_output_that_grows_without_bound_is_an_error() {
    let site = SiteTest::fixture("minimal").file(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}{% set s = \"0123456789abcdef\" %}{% for i in range(end=60) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}{% endblock main %}",
    );
    site.run(&["build"])
        .expect_exit(1)
        .stderr_contains("too much output")
        .stderr_contains("templates/404.html");
}

#[test]
fn class4_twenty_thousand_data_errors_are_all_reported() {
    // Linear reporting: each located by line, none dropped. (100,000 in
    // under 5 s is measured by hand; a test never times itself.)
    let mut partner = String::from("name = \"Many\"\ntier = 1\njoined = 2024-01-01\n");
    for i in 0..20_000 {
        let year = 1000 + i / 4;
        let q = i % 4 + 1;
        partner.push_str(&format!(
            "[[quarters]]\nquarter = \"{year}-Q{q}\"\njoint_csat = 92\n"
        ));
    }
    let site = SiteTest::fixture("audiences").file("data/partners/many.toml", &partner);
    let run = site.run(&["build"]).expect_exit(1);
    let errors = run
        .error_lines()
        .iter()
        .filter(|l| l.starts_with("error: data/partners/many.toml:") && l.contains("joint_csat"))
        .count();
    assert_eq!(errors, 20_000, "every error, located");
}

// ------------------------------------------------------- 5. leaks past the guard

#[test]
fn class5_a_partner_logo_under_static_reaches_only_its_own_folder() {
    let logo = std::fs::read(
        Path::new(support::REPO).join("tests/fixtures/audiences/data/logos/beta-works.svg"),
    )
    .unwrap();
    let site = audiences(&[])
        .remove("data/logos/beta-works.svg")
        .file("static/brand/beta-works.svg", &logo);
    let toml = site
        .read("data/partners/beta-works.toml")
        .replace("logos/beta-works.svg", "brand/beta-works.svg");
    let site = site.file("data/partners/beta-works.toml", &toml);
    site.build(&["--audience", "partners"]);
    assert!(site.exists("public/beta-works/brand/beta-works.svg"));
    for other in ["alpha-labs", "gamma-co"] {
        assert!(
            !site.exists(&format!("public/{other}/brand/beta-works.svg")),
            "{other}"
        );
    }
    site.run(&[
        "build",
        "--audience",
        "public",
        "--out",
        &site.path("pub").display().to_string(),
    ])
    .expect_exit(0);
    assert!(!site.exists("pub/brand/beta-works.svg"));
}

#[test]
fn class5_a_logo_must_be_an_image() {
    let toml = SiteTest::fixture("audiences")
        .read("data/partners/beta-works.toml")
        .replace("logos/beta-works.svg", "program.toml");
    let site = audiences(&[("data/partners/beta-works.toml", &toml)]);
    site.run(&["build"])
        .expect_exit(1)
        .error_at("data/partners/beta-works.toml:8:8", "is not an image");
    let site = audiences(&[]);
    let config = site.read("site.toml") + "logo = \"partners/alpha-labs.toml\"\n";
    let site = site.file("site.toml", &config);
    site.run(&["build", "--audience", "public"])
        .expect_exit(1)
        .stderr_contains("site.toml:3:1")
        .stderr_contains("is not an image");
}

/// The guard must see another partner's name however a page writes it.
#[test]
fn class5_the_guard_reads_names_as_a_reader_does() {
    let spellings = [
        ("capitals", "GAMMA CO"),
        ("markup inside", "Gamma *Co*"),
        ("a no-break space", "Gamma&nbsp;Co"),
        ("a line break", "Gamma<br>Co"),
        ("decomposed Unicode", "Gamma C\u{006f}"),
        ("a zero-width space", "Gam\u{200b}ma Co"),
        ("a soft hyphen", "Gam&shy;ma Co"),
        ("fullwidth letters", "Ｇａｍｍａ Co"),
    ];
    for (how, written) in spellings {
        let site = audiences(&[(
            "content/guides/partner-page.md",
            &format!("+++\ntitle = \"Partner Guide\"\n+++\nAsk {written} how they did it.\n"),
        )]);
        site.run(&["build", "--audience", "partner:alpha-labs"])
            .expect_exit(1)
            .stderr_contains("the name of partner gamma-co");
        let _ = how;
    }
}

#[test]
fn class5_smart_punctuation_does_not_hide_a_name_or_a_title() {
    let toml = SiteTest::fixture("audiences")
        .read("data/partners/gamma-co.toml")
        .replace("name = \"Gamma Co\"", "name = \"O'Reilly Media\"");
    let site = audiences(&[
        ("data/partners/gamma-co.toml", &toml),
        (
            "content/guides/partner-page.md",
            "+++\ntitle = \"Partner Guide\"\n+++\nAsk O'Reilly Media.\n",
        ),
    ]);
    site.run(&["build", "--audience", "partner:alpha-labs"])
        .expect_exit(1)
        .stderr_contains("the name of partner gamma-co");
    let site = audiences(&[
        (
            "content/internal/handbook.md",
            "+++\ntitle = \"Partner's Handbook\"\naudience = \"internal\"\n+++\nx\n",
        ),
        (
            "content/guides/partner-page.md",
            "+++\ntitle = \"Partner Guide\"\n+++\nSee the Partner's Handbook.\n",
        ),
    ]);
    site.run(&["build", "--audience", "partner:alpha-labs"])
        .expect_exit(1)
        .stderr_contains("the title of internal page content/internal/handbook.md");
}

#[test]
fn class5_partner_share_is_internal_only() {
    let site = audiences(&[]);
    site.build(&["--audience", "partners"]);
    for slug in ["alpha-labs", "beta-works", "gamma-co"] {
        let json = site.read(&format!("public/{slug}/partners/{slug}/report.json"));
        assert!(!json.contains("partner_share"), "{slug}: {json}");
        let page = site.read(&format!("public/{slug}/partners/{slug}/index.html"));
        assert!(!page.contains("kpi-partner_share"), "{slug}");
        assert!(!page.contains("Share of partner revenue"), "{slug}");
    }
    site.build(&[
        "--audience",
        "internal",
        "--out",
        &site.path("int").display().to_string(),
    ]);
    assert!(
        site.read("int/partners/alpha-labs/report.json")
            .contains("\"partner_share\"")
    );
}

#[test]
fn class5_the_public_output_is_guarded_too() {
    let site = audiences(&[(
        "content/guides/public-page.md",
        "+++\ntitle = \"Open Guide\"\naudience = \"public\"\n+++\nOur partner Beta Works did it.\n",
    )]);
    site.run(&["build", "--audience", "public"])
        .expect_exit(1)
        .stderr_contains("the public output contains the name of partner beta-works");
    // A partner that agreed to be named may be.
    let toml = site.read("data/partners/beta-works.toml").replacen(
        "tier = 2",
        "tier = 2\npublic = true",
        1,
    );
    let site = site.file("data/partners/beta-works.toml", &toml);
    site.build(&["--audience", "public"]);
    assert!(
        site.read("public/guides/public-page/index.html")
            .contains("Beta Works")
    );
    assert!(!site.exists("public/partners"), "still no partner data");
}

// ------------------------------------------------------ 6. no false positives

/// The audiences fixture with its partners renamed.
fn renamed(names: &[(&str, &str)]) -> SiteTest {
    let mut site = audiences(&[]);
    for (slug, name) in names {
        let toml = site.read(&format!("data/partners/{slug}.toml"));
        let line = toml
            .lines()
            .find(|l| l.starts_with("name ="))
            .unwrap()
            .to_string();
        let toml = toml.replace(&line, &format!("name = \"{name}\""));
        site = site.file(&format!("data/partners/{slug}.toml"), &toml);
    }
    site
}

#[test]
fn class6_a_name_inside_another_partners_name_is_not_a_leak() {
    let site = renamed(&[("alpha-labs", "Nova Labs"), ("beta-works", "Nova")]);
    site.build(&["--audience", "partners"]);
    assert!(
        site.read("public/alpha-labs/partners/alpha-labs/index.html")
            .contains("Nova Labs")
    );
}

#[test]
fn class6_logos_in_a_folder_per_partner_are_told_apart() {
    let mut site = audiences(&[]);
    for slug in ["alpha-labs", "beta-works", "gamma-co"] {
        let logo = site.read(&format!("data/logos/{slug}.svg"));
        let toml = site.read(&format!("data/partners/{slug}.toml")).replace(
            &format!("logos/{slug}.svg"),
            &format!("logos/{slug}/logo.svg"),
        );
        site = site
            .remove(&format!("data/logos/{slug}.svg"))
            .file(&format!("data/logos/{slug}/logo.svg"), &logo)
            .file(&format!("data/partners/{slug}.toml"), &toml);
    }
    site.build(&["--audience", "partners"]);
    assert!(site.exists("public/gamma-co/logos/gamma-co/logo.svg"));
}

#[test]
fn class6_a_slug_that_is_a_common_word_is_only_a_slug_in_a_url() {
    let site = audiences(&[]);
    let toml = site.read("data/partners/gamma-co.toml");
    let site = site
        .remove("data/partners/gamma-co.toml")
        .file("data/partners/search.toml", &toml);
    site.build(&["--audience", "partners"]);
    assert!(site.exists("public/alpha-labs/search/index.html"));
}

// ----------------------------------------------------------- 7. unsafe content

#[test]
fn class7_a_javascript_link_in_partner_data_is_refused() {
    let toml = SiteTest::fixture("audiences").read("data/partners/alpha-labs.toml")
        + "comment = \"See [the plan](javascript:alert(1)).\"\n";
    let site = audiences(&[("data/partners/alpha-labs.toml", &toml)]);
    site.run(&["build"])
        .expect_exit(1)
        .stderr_contains("data/partners/alpha-labs.toml:")
        .stderr_contains("`javascript:` is not allowed");
}

#[test]
fn class7_a_javascript_link_in_a_page_is_refused() {
    let site = SiteTest::fixture("minimal").file(
        "content/guides/x.md",
        "+++\ntitle = \"X\"\n+++\nA [link](JavaScript:alert(1)) and ![img](javascript:x).\n",
    );
    site.run(&["build"])
        .expect_exit(1)
        .error_at("content/guides/x.md:4:3", "unsafe link");
}

#[test]
fn class7_an_svg_logo_is_written_without_scripts() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\" onload=\"alert(1)\"><script>alert(2)</script><foreignObject><p>x</p></foreignObject><rect width=\"10\" height=\"10\" fill=\"#123456\"/></svg>";
    let site = audiences(&[("data/logos/alpha-labs.svg", svg)]);
    site.build(&[]);
    let written = site.read("public/logos/alpha-labs.svg");
    for bad in ["script", "onload", "alert", "foreignObject"] {
        assert!(!written.contains(bad), "{bad} in {written}");
    }
    assert!(written.contains("fill=\"#123456\""), "{written}");
}

#[test]
fn class7_base_urls_cannot_inject_markup() {
    let site = SiteTest::fixture("minimal");
    site.run(&[
        "build",
        "--base-url",
        "https://x.example/\"><script>alert(1)</script>",
    ])
    .expect_exit(2);
    let config =
        site.read("site.toml") + "partner_base_url = \"https://p.example/{slug}\\\"><script>\"\n";
    let site = site.file("site.toml", &config);
    site.run(&["build"])
        .expect_exit(1)
        .stderr_contains("site.toml:")
        .stderr_contains("partner_base_url");
}

#[test]
fn class7_nul_never_reaches_the_html() {
    let site = SiteTest::fixture("minimal").file(
        "content/guides/nul.md",
        "+++\ntitle = \"Nul\"\n+++\na\u{0}b <span>\u{0}</span>\n",
    );
    site.build(&[]);
    let html = site.read("public/guides/nul/index.html");
    assert!(!html.contains('\u{0}'));
    assert!(html.contains("a\u{fffd}b"), "{html}");
}

#[test]
fn class7_negative_zero_is_zero() {
    let toml = SiteTest::fixture("audiences")
        .read("data/partners/gamma-co.toml")
        .replacen(
            "[[quarters]]",
            "[[quarters]]\nmdf_spent = -0.0\nmdf_approved = -0.0",
            1,
        );
    let site = audiences(&[("data/partners/gamma-co.toml", &toml)]);
    site.build(&[]);
    for file in ["report.json", "metrics.csv", "index.html"] {
        let text = site.read(&format!("public/partners/gamma-co/{file}"));
        assert!(
            !text.contains("-0,") && !text.contains("-0.0") && !text.contains("−$0"),
            "{file}"
        );
    }
}

// -------------------------------------------------------------- 8. symlinks

#[cfg(unix)]
#[test]
fn class8_symbolic_links_are_never_followed_anywhere() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"Leaked Secret Page\"\n+++\nsecret\n",
    )
    .unwrap();
    std::fs::write(
        outside.path().join("evil.toml"),
        "name = \"Evil\"\ntier = 1\njoined = 2024-01-01\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("x.css"), "secret-css").unwrap();
    let site = audiences(&[]);
    symlink(
        outside.path().join("secret.md"),
        site.path("content/guides/secret.md"),
    )
    .unwrap();
    symlink(
        outside.path().join("evil.toml"),
        site.path("data/partners/evil.toml"),
    )
    .unwrap();
    std::fs::create_dir_all(site.path("static")).unwrap();
    symlink(outside.path().join("x.css"), site.path("static/x.css")).unwrap();
    let run = site.build(&[]);
    for link in [
        "content/guides/secret.md",
        "data/partners/evil.toml",
        "static/x.css",
    ] {
        assert!(
            run.stderr
                .contains(&format!("warning: {link}: skipped a symbolic link")),
            "{link}: {run}"
        );
    }
    assert!(!site.exists("public/guides/secret"));
    assert!(!site.exists("public/partners/evil"));
    assert!(!site.exists("public/x.css"));
    // A logo reached through a link is refused, not read.
    let _ = std::fs::remove_file(site.path("data/logos/gamma-co.svg"));
    std::fs::write(
        outside.path().join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    symlink(
        outside.path().join("logo.svg"),
        site.path("data/logos/gamma-co.svg"),
    )
    .unwrap();
    site.run(&["build"])
        .expect_exit(1)
        .stderr_contains("symbolic link");
}

// ------------------------------------------------------------ 9. new page

#[test]
fn class9_a_new_page_needs_a_slug_after_its_section() {
    let site = SiteTest::fixture("audiences");
    site.run(&["new", "page", "guides/"]).expect_exit(2);
    site.run(&["new", "page", "guides"])
        .expect_exit(2)
        .stderr_contains("is a section");
    assert!(!site.exists("content/guides.md"));
    site.build(&[]);
}

// ------------------------------------------- 50 partners whose names overlap

/// Names that overlap in every way the guard must tell apart: prefixes,
/// shared words, punctuation, letter case, accents and other scripts.
/// (Made-up words: a partner named like a word of the theme — "Data",
/// "Target" — is named on every page, and the guard rightly says so.)
const NAMES: [&str; 50] = [
    "Nova",
    "Nova Labs",
    "Nova Labs Group",
    "Supernova",
    "Novak Partners",
    "Nova-Tech",
    "Labs & Nova",
    "Vexa",
    "VexaCorp",
    "Vexa Systems",
    "vexa.io",
    "O'Reilly Tooling",
    "O\u{2019}Reilly Tooling EMEA",
    "Reilly Tooling",
    "Quorra",
    "Quorra & Kestrel",
    "Kestrel",
    "Kestrel Analytix",
    "Analytix Kestrel",
    "Zoë Brindle",
    "Zoe Brindle Group",
    "Brindle",
    "Ölmann",
    "Olmann Ferro",
    "Ferro",
    "Αθηνά",
    "Αθηνά Labs",
    "Москва Софт",
    "Москва",
    "東京システム",
    "東京",
    "Halcyon",
    "Halcyon Halcyon",
    "Halcyon Vale",
    "Vale",
    "Ostrava Lyne",
    "Ostrava",
    "Lyne Ostrava",
    "Zephyrine",
    "Zephyr",
    "Zephyr & Sons",
    "Brightwater",
    "Bright Watter",
    "Watter Bright",
    "Tarn",
    "Tarnhelm",
    "Tarn-Helm",
    "Ystad",
    "Ystad Ystad Ystad",
    "Y-Stad",
];

fn overlapping_site() -> SiteTest {
    let mut site = SiteTest::fixture("audiences");
    for slug in ["alpha-labs", "beta-works", "gamma-co"] {
        site = site.remove(&format!("data/partners/{slug}.toml"));
    }
    for (i, name) in NAMES.iter().enumerate() {
        let tier = i % 3 + 1;
        let slug = format!("p{i:02}");
        let logo = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 20\"><rect width=\"100\" height=\"20\" fill=\"#{:06x}\"/><text x=\"2\" y=\"15\">mark {i}</text></svg>",
            (i * 5003) % 0xffffff
        );
        site = site
            .file(&format!("data/logos/{slug}.svg"), &logo)
            .file(
                &format!("data/partners/{slug}.toml"),
                format!(
                    "name = \"{}\"\ntier = {tier}\njoined = 2024-01-01\n[brand]\nlogo = \"logos/{slug}.svg\"\n[[quarters]]\nquarter = \"2026-Q2\"\ninfluenced_revenue = {}\nsourced_revenue = 1000\n",
                    name.replace('"', "\\\""),
                    10_000 + i * 1000
                ),
            );
    }
    site
}

/// Whether `text` holds `name` as whole words, with a letter outside every
/// occurrence of `own` (the folder's own partner name): the test's own,
/// simpler reading (entities decoded, letter case and apostrophes folded).
fn names(text: &str, name: &str, own: &str) -> bool {
    let fold = |s: &str| {
        html_escape::decode_html_entities(s)
            .to_lowercase()
            .replace('\u{2019}', "'")
    };
    let (text, name, own) = (fold(text), fold(name), fold(own));
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let owns: Vec<(usize, usize)> = text
        .match_indices(&own)
        .map(|(i, _)| (i, i + own.len()))
        .collect();
    text.match_indices(&name).any(|(i, _)| {
        let end = i + name.len();
        let outside = text[i..end].char_indices().any(|(k, c)| {
            c.is_alphanumeric() && !owns.iter().any(|&(s, e)| s <= i + k && i + k < e)
        });
        !word(text[..i].chars().next_back()) && !word(text[end..].chars().next()) && outside
    })
}

/// The text of every file of a folder, the search index decompressed.
fn readable(site: &SiteTest, folder: &str) -> Vec<(String, String)> {
    use std::io::Read;
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

#[test]
fn fifty_partners_with_overlapping_names_build_and_leak_nothing() {
    let site = overlapping_site().file(
        "content/guides/public-page.md",
        "+++\ntitle = \"Open Guide\"\naudience = \"public\"\n+++\nAnyone can read this.\n",
    );
    // No false positive stops the build: every folder builds.
    site.build(&["--audience", "partners"]);
    site.run(&[
        "build",
        "--audience",
        "public",
        "--out",
        &site.path("pub").display().to_string(),
    ])
    .expect_exit(0);
    // No leak: no folder holds another partner's name (outside its own
    // name), slug path or logo, search index included.
    for (i, own) in NAMES.iter().enumerate() {
        let folder = format!("public/p{i:02}");
        let files = readable(&site, &folder);
        assert!(
            files.iter().any(|(_, t)| names(t, own, "\u{0}")),
            "{own} not in its own folder"
        );
        for (j, other) in NAMES.iter().enumerate() {
            if i == j {
                continue;
            }
            for (path, text) in &files {
                assert!(
                    !names(text, other, own),
                    "{folder}/{path} names {other:?} (its partner is {own:?})"
                );
                assert!(
                    !text.contains(&format!("partners/p{j:02}/")),
                    "{folder}/{path} links p{j:02}"
                );
            }
            assert!(!site.exists(&format!("{folder}/logos/p{j:02}.svg")));
        }
    }
    for (path, text) in readable(&site, "pub") {
        for other in NAMES {
            assert!(!names(&text, other, "\u{0}"), "pub/{path} names {other:?}");
        }
    }
    // One partner's output alone, streamed into a new folder (the build
    // that lets go of page bodies as it goes): its own, no other's.
    site.run(&[
        "build",
        "--audience",
        "partner:p03",
        "--out",
        &site.path("one").display().to_string(),
    ])
    .expect_exit(0);
    let files = readable(&site, "one");
    assert!(files.iter().any(|(_, t)| names(t, NAMES[3], "\u{0}")));
    assert!(files.iter().any(|(p, _)| p.starts_with("pagefind/")));
    for (j, other) in NAMES.iter().enumerate().filter(|(j, _)| *j != 3) {
        for (path, text) in &files {
            assert!(!names(text, other, NAMES[3]), "one/{path} names {other:?}");
            assert!(!text.contains(&format!("partners/p{j:02}/")), "one/{path}");
        }
    }
}
