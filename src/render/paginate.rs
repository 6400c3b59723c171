//! Pagination of long lists (a section with `paginate_by`, tag and track
//! pages with `[taxonomies] paginate_by`): the list at `/<list>/`, then
//! `/<list>/page/2/`, …, each with Zola's `paginator`.

use serde::Serialize;

use super::context::Summary;
use crate::config::Config;

/// `paginator` in a template: one page of a paginated list, as Zola has
/// it, with `pagers` (the links a pager shows) and `permalink` besides.
#[derive(Debug, Serialize)]
pub(crate) struct Paginator<'a> {
    pub paginate_by: usize,
    /// The URL the pages after the first are under (`/sales/page/`).
    pub base_url: String,
    pub number_pagers: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The summaries of the pages on this page of the list.
    pub pages: Vec<&'a Summary>,
    /// 1 for the first page of the list.
    pub current_index: usize,
    /// Pages in the whole list.
    pub total_pages: usize,
    /// The first, the last, and two either side of the current one, in
    /// order; `None` where numbers are left out.
    pub pagers: Vec<Option<PagerLink>>,
    /// The absolute URL of this page of the list.
    pub permalink: String,
}

/// A link of a pager.
#[derive(Debug, Serialize)]
pub(crate) struct PagerLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

/// The URL path of page `n` (from 1) of the list at `path`.
pub(crate) fn pager_path(path: &str, n: usize) -> String {
    if n == 1 {
        path.to_string()
    } else {
        format!("{path}page/{n}/")
    }
}

/// The pages of the list at `path` holding `pages`, `by` on each: their
/// URL paths and paginators (one, empty, for an empty list).
pub(crate) fn paginate<'a>(
    config: &Config,
    path: &str,
    pages: &[&'a Summary],
    by: usize,
) -> Vec<(String, Paginator<'a>)> {
    let by = by.max(1);
    let count = pages.len().div_ceil(by).max(1);
    let url = |n: usize| config.url(&pager_path(path, n));
    (1..=count)
        .map(|n| {
            let start = ((n - 1) * by).min(pages.len());
            let end = (n * by).min(pages.len());
            let pagers = pager_links(count, n, &url);
            let paginator = Paginator {
                paginate_by: by,
                base_url: config.url(&format!("{path}page/")),
                number_pagers: count,
                first: url(1),
                last: url(count),
                previous: (n > 1).then(|| url(n - 1)),
                next: (n < count).then(|| url(n + 1)),
                pages: pages[start..end].to_vec(),
                current_index: n,
                total_pages: pages.len(),
                pagers,
                permalink: config.permalink(&pager_path(path, n)),
            };
            (pager_path(path, n), paginator)
        })
        .collect()
}

/// The links a pager shows on page `n` of `count`: the first, the last,
/// and two either side of `n`; `None` for numbers left out between them.
fn pager_links(count: usize, n: usize, url: &dyn Fn(usize) -> String) -> Vec<Option<PagerLink>> {
    let shown = |k: usize| k == 1 || k == count || k.abs_diff(n) <= 2;
    let mut pagers = Vec::new();
    for k in 1..=count {
        if shown(k) {
            pagers.push(Some(PagerLink {
                number: k,
                url: url(k),
                current: k == n,
            }));
        } else if pagers.last().is_some_and(Option::is_some) {
            pagers.push(None);
        }
    }
    pagers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_pages_by_two_are_three_pagers() {
        let config = Config::parse("title = \"T\"\n").unwrap();
        let pagers = paginate(&config, "/sales/", &[], 2);
        assert_eq!(pagers.len(), 1);
        assert_eq!(pagers[0].1.number_pagers, 1);
        let urls: Vec<String> = (1..=3).map(|n| pager_path("/sales/", n)).collect();
        assert_eq!(urls, ["/sales/", "/sales/page/2/", "/sales/page/3/"]);
    }

    #[test]
    fn long_pagers_leave_numbers_out() {
        let links = pager_links(20, 10, &|k| format!("/t/page/{k}/"));
        let numbers: Vec<Option<usize>> =
            links.iter().map(|l| l.as_ref().map(|l| l.number)).collect();
        assert_eq!(
            numbers,
            [
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(20)
            ]
        );
        assert!(links[4].as_ref().unwrap().current);
        let short = pager_links(3, 1, &|k| k.to_string());
        assert_eq!(short.len(), 3);
    }
}
