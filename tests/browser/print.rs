//! Printing, as Chromium's "Save as PDF" does (DevTools' `Page.printToPDF`),
//! on Letter and A4, counting the PDF's pages (DESIGN.md §6): every
//! partner's report fits on two pages, none mostly blank; a co-branded
//! one-pager on one, both logos on their plates, the band in the partner's
//! colours. The PDFs, and screenshots of the pages laid out as printed, go
//! to `test-artifacts/print/` (gitignored).

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use super::harness::{self, Browser, Options, REPO};
use super::static_server::StaticServer;
use super::{COBRAND_PRINT, open_site, partner_slugs};

/// Paper sizes in inches, as Chrome's print dialog names them.
const PAPERS: [(&str, f64, f64); 2] = [("letter", 8.5, 11.0), ("a4", 210.0 / 25.4, 297.0 / 25.4)];

/// The number of pages of a PDF: its `/Type /Page` objects (not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let mut count = 0;
    let mut rest = pdf;
    while let Some(i) = rest.windows(5).position(|w| w == b"/Type") {
        rest = &rest[i + 5..];
        let skipped = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let after = &rest[skipped..];
        if after.starts_with(b"/Page") && !after.get(5).is_some_and(|b| b.is_ascii_alphanumeric()) {
            count += 1;
        }
    }
    count
}

/// Where the current page, laid out for print on paper of `width` ×
/// `height` inches, breaks: the printable area (paper less the `@page`
/// margins, or Chrome's default 0.4 in), and the height in CSS px of each
/// run of content between forced page breaks (`break-before: page`).
/// Measured on screen with print media emulated, the viewport as wide as
/// the printable area and shorter than any content (so that the document's
/// height is its content's). Leaves the viewport at that width, as tall as
/// the document.
fn print_layout(browser: &Browser, width: f64, height: f64) -> Value {
    // The margins first, at any width.
    let margins = browser.eval(
        "const probe = document.createElement('div');
         probe.style.position = 'absolute';
         document.body.append(probe);
         const px = v => { probe.style.width = v; return probe.getBoundingClientRect().width; };
         const m = { top: 38.4, right: 38.4, bottom: 38.4, left: 38.4 };
         for (const sheet of document.styleSheets) {
             for (const rule of sheet.cssRules) {
                 if (rule instanceof CSSPageRule && rule.selectorText === '') {
                     for (const side of Object.keys(m)) {
                         const v = rule.style.getPropertyValue('margin-' + side);
                         if (v) m[side] = px(v);
                     }
                 }
             }
         }
         probe.remove();
         return m;",
    );
    let px = |key: &str| margins[key].as_f64().unwrap_or(38.4);
    let area_width = width * 96.0 - px("left") - px("right");
    let area_height = height * 96.0 - px("top") - px("bottom");
    let viewport = |height: u64| {
        browser.devtools(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": area_width.floor() as u64, "height": height,
                    "deviceScaleFactor": 1, "mobile": false }),
        )
    };
    viewport(50);
    let runs = browser.eval(
        "const forced = ['page', 'left', 'right', 'recto', 'verso'];
         const tops = [...document.querySelectorAll('body *')]
             .filter(e => e.getClientRects().length > 0 && forced.includes(getComputedStyle(e).breakBefore))
             .map(e => e.getBoundingClientRect().top + scrollY);
         const edges = [0, ...tops, document.documentElement.scrollHeight];
         return edges.slice(1).map((end, i) => end - edges[i]);",
    );
    // Words of table headers split over two lines ("Targe" / "t"); a break
    // after a hyphen is a line break like any other.
    let broken = browser.eval(
        "const broken = [];
         for (const th of document.querySelectorAll('th')) {
             const text = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
             for (let node; (node = text.nextNode());) {
                 for (const m of node.data.matchAll(/[^\\s\\u2010-\\u2014-]+/g)) {
                     const r = document.createRange();
                     r.setStart(node, m.index);
                     r.setEnd(node, m.index + m[0].length);
                     const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
                     if (lines.size > 1) broken.push(m[0]);
                 }
             }
         }
         return broken;",
    );
    let total: f64 = runs
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_f64)
        .sum();
    viewport((total.ceil() as u64).clamp(600, 8000));
    json!({ "area": [area_width, area_height], "runs": runs, "broken_words": broken })
}

/// Prints `page` on every paper size, saving each PDF (and a screenshot of
/// the page laid out as printed on it) under `test-artifacts/print/`;
/// returns (paper, pages, layout) for each.
fn print_everywhere(
    browser: &Browser,
    server: &StaticServer,
    name: &str,
    page: &str,
) -> Vec<(&'static str, usize, Value)> {
    let dir = Path::new(REPO).join("test-artifacts/print");
    std::fs::create_dir_all(&dir).expect("create test-artifacts/print");
    browser.devtools(
        "Emulation.setEmulatedMedia",
        json!({ "media": "print", "features": [{ "name": "prefers-color-scheme", "value": "light" }] }),
    );
    browser.goto(&server.url(page));
    // Charts load lazily; printing loads them all, so measure with them too.
    browser.eval("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager'); return null;");
    browser.wait_true(
        "images to load",
        Duration::from_secs(10),
        "return [...document.images].every(i => i.complete);",
    );
    let mut printed = Vec::new();
    for (paper, width, height) in PAPERS {
        let layout = print_layout(browser, width, height);
        let png = dir.join(format!("{name}-{paper}.png"));
        std::fs::write(&png, browser.screenshot_png())
            .unwrap_or_else(|e| panic!("{}: {e}", png.display()));
        browser.devtools("Emulation.clearDeviceMetricsOverride", json!({}));
        let pdf = browser.print_to_pdf(width, height);
        assert!(pdf.starts_with(b"%PDF-"), "{page} did not print to a PDF");
        let file = dir.join(format!("{name}-{paper}.pdf"));
        std::fs::write(&file, &pdf).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        println!(
            "printed {page} on {paper}: {} page(s), {}; layout {layout}",
            pdf_pages(&pdf),
            file.display()
        );
        printed.push((paper, pdf_pages(&pdf), layout));
    }
    browser.color_scheme("light");
    printed
}

#[test]
fn a_printed_report_fits_on_two_pages_with_no_page_mostly_blank() {
    let Some((browser, server, _site)) = open_site(Options::DESKTOP, &[]) else {
        return;
    };
    // Every partner's: their data differ (tier progress, actions, notes);
    // and a few reports of earlier quarters (their own notes and charts).
    let mut reports: Vec<(String, String)> = partner_slugs()
        .iter()
        .map(|slug| {
            (
                format!("/partners/{slug}/"),
                format!("partner-report-{slug}"),
            )
        })
        .collect();
    for (slug, quarter) in EARLIER_REPORTS {
        reports.push((
            format!("/partners/{slug}/{quarter}/"),
            format!("partner-report-{slug}-{quarter}"),
        ));
    }
    let problems: Vec<String> = reports
        .iter()
        .flat_map(|(report, name)| report_print_problems(&browser, &server, report, name))
        .collect();
    // (As a partner prints it from its own output: in the test of that output.)
    assert!(
        problems.is_empty(),
        "printed reports:\n{}",
        problems.join("\n")
    );
}

/// Reports of earlier quarters printed too: a tier 1, a tier 2 and a tier 3
/// partner, each with that quarter's note.
const EARLIER_REPORTS: [(&str, &str); 3] = [
    ("northwind-ai", "2026-Q2"),
    ("saltmarsh-systems", "2026-Q1"),
    ("vectorloom", "2026-Q1"),
];

/// What is wrong with the report at URL path `report` printed on each paper
/// size: more than two pages, or a page mostly blank.
pub fn report_print_problems(
    browser: &Browser,
    server: &StaticServer,
    report: &str,
    name: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (paper, pages, layout) in print_everywhere(browser, server, name, report) {
        if layout["broken_words"] != json!([]) {
            problems.push(format!(
                "{report} on {paper}: table headers break inside words: {}",
                layout["broken_words"]
            ));
        }
        if !(1..=2).contains(&pages) {
            problems.push(format!(
                "{report} prints on {pages} {paper} pages (at most 2): {layout}"
            ));
            continue;
        }
        // Each run between forced breaks starts a page; with as many runs
        // as pages, each run is one page, and its height is what fills it.
        let runs = layout["runs"].as_array().cloned().unwrap_or_default();
        if runs.len() != pages {
            problems.push(format!(
                "{report} on {paper}: {pages} page(s) but {} run(s) between forced page breaks, \
                 so the blank part of each page is not known: {layout}",
                runs.len()
            ));
            continue;
        }
        let page_height = layout["area"][1].as_f64().expect("a page height");
        for (i, run) in runs.iter().enumerate() {
            let fill = run.as_f64().unwrap_or(0.0) / page_height;
            if fill < 0.5 {
                problems.push(format!(
                    "{report} on {paper}: page {} is {:.0} % blank: {layout}",
                    i + 1,
                    (1.0 - fill) * 100.0
                ));
            }
        }
    }
    problems
}

/// The print one-pagers checked: each kit of one partner, and one kit of a
/// partner whose colour is light (dark text on its band).
const ONE_PAGERS: [(&str, &str); 4] = [
    ("one-pager-northwind-materials", COBRAND_PRINT),
    (
        "one-pager-northwind-campaign",
        "/partners/northwind-ai/better-together-campaign-kit/print/",
    ),
    (
        "one-pager-northwind-healthcare",
        "/partners/northwind-ai/healthcare-hipaa/print/",
    ),
    (
        "one-pager-vectorloom-materials",
        "/partners/vectorloom/co-branded-materials/print/",
    ),
];

#[test]
fn a_printed_one_pager_fits_on_one_page_with_both_logos_and_the_brand_colours() {
    let Some((browser, server, _site)) = open_site(Options::DESKTOP, &[]) else {
        return;
    };
    for (name, page) in ONE_PAGERS {
        for (paper, pages, layout) in print_everywhere(&browser, &server, name, page) {
            assert_eq!(pages, 1, "{page} prints on {pages} {paper} pages: {layout}");
            assert_eq!(
                layout["broken_words"],
                json!([]),
                "{page} on {paper}: table headers break inside words"
            );
        }
        // As printed: the band in the partner's colour, kept by
        // print-color-adjust (background graphics are off by default), and
        // both logos on their white plates at a legible size.
        browser.devtools(
            "Emulation.setEmulatedMedia",
            json!({ "media": "print", "features": [{ "name": "prefers-color-scheme", "value": "light" }] }),
        );
        browser.goto(&server.url(page));
        // Under the load of the other browser tests the logos may still be
        // loading when the page is first read.
        browser.wait_true(
            "the page and its images to load",
            Duration::from_secs(10),
            "return document.readyState === 'complete' && [...document.images].every(i => i.complete);",
        );
        let band = browser.eval(
            "const article = document.querySelector('.one-pager');
             const band = article.querySelector('.cobrand-band');
             const probe = document.createElement('span');
             // (important: print styles set every colour with !important)
             probe.style.setProperty('color', getComputedStyle(article).getPropertyValue('--partner-primary'), 'important');
             document.body.append(probe);
             const primary = getComputedStyle(probe).color;
             probe.remove();
             const b = getComputedStyle(band);
             return { primary, background: b.backgroundColor, adjust: b.printColorAdjust,
                      logos: [...band.querySelectorAll('img')].map(img => {
                          const s = getComputedStyle(img), r = img.getBoundingClientRect();
                          return { alt: img.alt, width: r.width, height: r.height, shown: s.display !== 'none'
                                       && s.visibility !== 'hidden' && img.complete && img.naturalWidth > 0,
                                   plate: s.backgroundColor, adjust: s.printColorAdjust };
                      }) };",
        );
        assert_eq!(
            band["background"], band["primary"],
            "{page}: the band as printed loses the partner's colour: {band}"
        );
        assert_eq!(
            band["adjust"],
            json!("exact"),
            "{page}: the band's colour is dropped when background graphics are off: {band}"
        );
        let logos = band["logos"].as_array().cloned().unwrap_or_default();
        assert_eq!(logos.len(), 2, "{page}: both logos, as printed: {band}");
        for logo in &logos {
            assert_eq!(
                logo["shown"],
                json!(true),
                "{page}: a logo is not printed: {logo}"
            );
            assert!(
                logo["width"].as_f64() >= Some(96.0) && logo["height"].as_f64() >= Some(28.0),
                "{page}: a logo prints smaller than 1 in × 7.4 mm: {logo}"
            );
            assert_eq!(
                logo["plate"],
                json!("rgb(255, 255, 255)"),
                "{page}: a logo prints without its white plate: {logo}"
            );
            assert_eq!(
                logo["adjust"],
                json!("exact"),
                "{page}: a logo's plate is dropped when background graphics are off: {logo}"
            );
        }
        // Contrast (and the rest of axe's rules) as printed.
        if !harness::validators::skipped() {
            let findings: Vec<String> = browser
                .axe()
                .iter()
                .map(|v| format!("{page} (print): {v}"))
                .collect();
            assert!(
                findings.is_empty(),
                "axe-core, print media:\n{}",
                findings.join("\n")
            );
        }
        browser.color_scheme("light");
    }
}
