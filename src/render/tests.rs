//! Render as a streamed build does it: pages whose markdown is not held
//! come out exactly as pages whose markdown is.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::{Options, render};
use crate::highlight::Highlighter;
use crate::isolation::View;
use crate::metrics;
use crate::site::{LoadOptions, Site};

/// Every file a streamed render of the bundled site hands over, by path,
/// with at most `held` bytes of page bodies' markdown held, letting go of
/// each body once its markdown is rendered for the last time if it is the
/// `last_reader`.
fn streamed(
    site: &Site,
    view: &View,
    held: usize,
    last_reader: bool,
) -> (BTreeMap<String, Vec<u8>>, usize) {
    let reports = metrics::compute_site(&site.data, None);
    let highlighter = Highlighter::new();
    let files = Mutex::new(BTreeMap::new());
    let stream = |path: &str, bytes: bytes::Bytes| {
        let old = files
            .lock()
            .unwrap()
            .insert(path.to_string(), bytes.to_vec());
        assert!(old.is_none(), "{path} handed over twice");
    };
    let options = Options {
        stream: Some(&stream),
        held_markdown: Some(held),
        last_reader,
        ..Options::new(&highlighter)
    };
    let view_output =
        render(site, reports.as_ref(), view, options).expect("the bundled site renders");
    (files.into_inner().unwrap(), view_output.stats.pages)
}

fn load() -> Site {
    let date = crate::values::date::parse_date("2026-12-06").unwrap();
    Site::load(&LoadOptions::new(env!("CARGO_MANIFEST_DIR"), date)).unwrap()
}

#[test]
fn pages_whose_markdown_is_rendered_again_are_the_pages_held_ones_make() {
    let site = load();
    let partner = View::of(&site.data.partners[0]);
    for view in [View::Internal, partner] {
        let (all_held, pages) = streamed(&site, &view, usize::MAX, false);
        assert!(pages > 10, "{pages} pages");
        let with_code = all_held
            .values()
            .filter(|b| String::from_utf8_lossy(b).contains("<pre"))
            .count();
        assert!(with_code > 0, "some page shows highlighted code");
        // None held, about half (the first pages held, the rest not), all;
        // each also letting go of the bodies, from a site of its own.
        let bodies: usize = site.content.pages.iter().map(|p| p.doc.body().len()).sum();
        for (held, last_reader) in [0, bodies / 2, usize::MAX]
            .into_iter()
            .flat_map(|held| [(held, false), (held, true)])
        {
            let own = load();
            let (files, _) = streamed(&own, &view, held, last_reader);
            let how = format!("{view:?}, {held} bytes held, last reader {last_reader}");
            assert_eq!(files.len(), all_held.len(), "{how}");
            for (path, bytes) in &all_held {
                assert!(files[path] == *bytes, "{path} differs: {how}");
            }
            let kept = |cobrand: bool| {
                (own.content.pages.iter())
                    .filter(|p| p.doc.meta.cobrand == cobrand)
                    .filter(|p| !p.doc.body().is_empty())
                    .count()
            };
            let plain = own
                .content
                .pages
                .iter()
                .filter(|p| !p.doc.meta.cobrand)
                .count();
            let cobranded = own.content.pages.len() - plain;
            assert!(cobranded > 0, "the bundled site has co-branded pages");
            assert_eq!(kept(true), cobranded, "co-branded bodies are kept: {how}");
            match (last_reader, &view) {
                (false, _) => assert_eq!(kept(false), plain, "every body kept: {how}"),
                (true, View::Internal) => assert_eq!(kept(false), 0, "all let go: {how}"),
                (true, _) => assert!(kept(false) < plain, "shown ones let go: {how}"),
            }
        }
    }
}
