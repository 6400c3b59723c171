//! Redirects from old URLs: at each alias of a page or section of the
//! view (`aliases` in its front matter), a small page that sends the
//! reader on (`redirect.html`: meta refresh, canonical link, `noindex`),
//! and the view's `_redirects` file, one `/old/ /new/ 301` line per alias,
//! as Netlify and Cloudflare Pages read it. An output holds only the
//! aliases of the documents it holds.

use serde::Serialize;

use super::incremental::{Only, wants};
use super::renderer::{Renderer, Sink, Var};
use super::select::Selected;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::at_key;

/// The file that answers an alias's URL path.
pub(crate) fn alias_file(alias: &str) -> String {
    let inner = alias.trim_start_matches('/');
    if alias.ends_with('/') {
        format!("{inner}index.html")
    } else {
        inner.to_string()
    }
}

#[derive(Serialize)]
struct Redirect<'a> {
    title: &'a str,
    url: String,
    permalink: String,
}

/// Adds the redirect pages that `only` wants and, in a full render, the
/// `_redirects` file. Called last: an alias in the place of any other
/// file is an error.
pub(crate) fn render(
    r: &Renderer<'_>,
    selected: &Selected<'_>,
    only: Option<&Only>,
    sink: &mut Sink,
) {
    let config = &r.site.config;
    let mut lines = Vec::new();
    for doc in selected.documents().filter(|d| !d.meta.aliases.is_empty()) {
        for alias in &doc.meta.aliases {
            lines.push(format!(
                "{} {} 301",
                config.url(alias),
                config.url(&doc.path)
            ));
            if !wants(only, alias, "redirect.html") {
                continue;
            }
            let own = Redirect {
                title: &doc.meta.title,
                url: config.url(&doc.path),
                permalink: config.permalink(&doc.path),
            };
            let html = match r.render("redirect.html", alias, doc, Var("redirect", own)) {
                Ok(html) => html,
                Err(d) => {
                    sink.diagnostics.push(d);
                    continue;
                }
            };
            let file = alias_file(alias);
            if let Err(file) = sink.add(file, html.into_bytes()) {
                let message = format!(
                    "alias `{alias}` would replace {file}, which this build also makes (a page, a generated page or a copied file); remove the alias or move what is there"
                );
                let d = Diagnostic::new(Code::AliasClash, &doc.file, message);
                sink.diagnostics.push(at_key(d, &doc.source(), "aliases"));
            }
        }
    }
    if only.is_none() {
        lines.sort();
        let mut text = lines.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        sink.file(selected, "_redirects".into(), text.into_bytes());
    }
}
