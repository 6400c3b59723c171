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
/// with at most `held` bytes of page bodies' markdown held.
fn streamed(site: &Site, view: &View, held: usize) -> (BTreeMap<String, Vec<u8>>, usize) {
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
        ..Options::new(&highlighter)
    };
    let view_output =
        render(site, reports.as_ref(), view, options).expect("the bundled site renders");
    (files.into_inner().unwrap(), view_output.stats.pages)
}

#[test]
fn pages_whose_markdown_is_rendered_again_are_the_pages_held_ones_make() {
    let date = crate::values::date::parse_date("2026-12-06").unwrap();
    let site = Site::load(&LoadOptions::new(env!("CARGO_MANIFEST_DIR"), date)).unwrap();
    let partner = View::of(&site.data.partners[0]);
    for view in [View::Internal, partner] {
        let (all_held, pages) = streamed(&site, &view, usize::MAX);
        assert!(pages > 10, "{pages} pages");
        let with_code = all_held
            .values()
            .filter(|b| String::from_utf8_lossy(b).contains("<pre"))
            .count();
        assert!(with_code > 0, "some page shows highlighted code");
        // None held, then about half: the first pages held, the rest not.
        let bodies: usize = site.content.pages.iter().map(|p| p.doc.body().len()).sum();
        for held in [0, bodies / 2] {
            let (files, _) = streamed(&site, &view, held);
            assert_eq!(files.len(), all_held.len(), "{view:?}, {held} bytes held");
            for (path, bytes) in &all_held {
                assert!(
                    files[path] == *bytes,
                    "{path} differs with {held} bytes held ({view:?})"
                );
            }
        }
    }
}
