//! The site and reports as one view may see them, before anything is
//! rendered: a partner's view is built from a copy of the site that holds
//! only that partner's data and logo, and the public view from one that
//! holds no partner data at all. What a view's inputs lack, its output
//! cannot leak.

use std::borrow::Cow;

use super::view::View;
use crate::config::Config;
use crate::metrics::Reports;
use crate::site::Site;

/// Where the output of partner `slug` is hosted: `partner_base_url` with
/// the slug filled in, if the site sets it (else the output is hosted at
/// its own root, somewhere unknown).
pub fn partner_base_url(config: &Config, slug: &str) -> Option<String> {
    (config.partner_base_url.as_deref()).map(|b| b.replace("{slug}", slug))
}

/// The site and reports a view is rendered from: the internal view's are
/// the site's own (it sees everything; not copied), the others' copies.
pub fn scope<'a>(
    site: &'a Site,
    reports: Option<&'a Reports>,
    view: &View,
) -> (Cow<'a, Site>, Option<Cow<'a, Reports>>) {
    let (site, reports) = match view {
        View::Internal => return (Cow::Borrowed(site), reports.map(Cow::Borrowed)),
        View::Public => {
            let mut s = site.clone();
            s.data = Default::default();
            s.logos.clear();
            (s, None)
        }
        View::Partner { slug, .. } => {
            let mut s = site.clone();
            s.data.partners.retain(|p| &p.slug == slug);
            let own_logo = s.data.partners.first().and_then(|p| p.brand.logo.clone());
            s.logos.retain(|path, _| Some(path) == own_logo.as_ref());
            // Hosted at its own root, or where partner_base_url says.
            let base = partner_base_url(&site.config, slug).unwrap_or_default();
            s.config = s.config.with_base_url(&base);
            let reports = reports.map(|r| Reports {
                partners: (r.partner(slug).into_iter())
                    .map(|p| p.for_partner_view())
                    .collect(),
                program: Default::default(),
                ..r.clone()
            });
            (s, reports)
        }
    };
    (Cow::Owned(site), reports.map(Cow::Owned))
}
