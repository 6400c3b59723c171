//! The files an output copies rather than renders: the highlighting CSS,
//! the theme's and the site's static files, content assets, and the logos
//! of the partners the view shows. A copied file may not replace a
//! rendered one, nor stand where a rendered page needs a folder.

use std::collections::HashSet;

use super::renderer::Sink;
use super::select::Selected;
use crate::data::Partner;
use crate::diagnostic::{Code, Diagnostic, display_path};
use crate::highlight;
use crate::output::Conflict;
use crate::site::Site;

/// Adds every copied file of the view to `sink`.
pub(crate) fn add(site: &Site, selected: &Selected<'_>, in_view: &[&Partner], sink: &mut Sink) {
    let add = |sink: &mut Sink, path: &str, bytes: &[u8], source: &str| {
        if sink.add(path.to_string(), bytes.to_vec()).is_err() {
            sink.diagnostics.push(Diagnostic::new(
                Code::ReplacesGenerated,
                source,
                format!("would replace the generated file {path}; rename or move it"),
            ));
        }
    };
    if !site.theme.static_files.contains_key("syntax.css") {
        let css = highlight::stylesheet();
        add(sink, "syntax.css", css.as_bytes(), "syntax.css");
    }
    for (path, bytes) in &site.theme.static_files {
        // A partner's logo is copied only where that partner is shown
        // (below, from the logos of the view's partners).
        if !site.partner_logos.contains(path) {
            add(sink, path, bytes, &format!("static/{path}"));
        }
    }
    // A set, so that 10,000 pages with an asset each take linear time.
    let shown: HashSet<&str> = selected.documents().map(|d| d.path.as_str()).collect();
    for (path, asset) in site.assets.iter() {
        if asset.owner.as_deref().is_none_or(|o| shown.contains(o)) {
            add(sink, path, &asset.bytes, &display_path(&asset.source));
        }
    }
    for p in in_view {
        let logo = p
            .brand
            .logo
            .as_ref()
            .and_then(|l| site.logos.get_key_value(l));
        if let Some((path, bytes)) = logo {
            let path = path.trim_start_matches('/');
            if sink.output.get(path).is_none() {
                add(sink, path, bytes, &format!("data/{path}"));
            }
        }
    }
    folder_conflicts(site, sink);
}

/// A file whose path another file needs as a folder (`guides/x` beside
/// `guides/x/index.html`) could never be written: name the copied file.
fn folder_conflicts(site: &Site, sink: &mut Sink) {
    for conflict in sink.output.conflicts() {
        let Conflict::FileIsFolder { file, inner } = conflict else {
            continue;
        };
        let source = site
            .assets
            .get(&file)
            .map_or_else(|| "content".to_string(), |a| display_path(&a.source));
        sink.diagnostics.push(Diagnostic::new(
            Code::FileInTheWay,
            source,
            format!("the file {file} is in the way of the folder that holds {inner}; rename one"),
        ));
    }
}
