//! Template functions that look things up in the site, as in Zola:
//! `get_url`, `get_page`, `get_section`, `get_taxonomy_url`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tera::{Tera, Value};

use super::Selected;
use super::context::{Summary, taxonomy_path};
use crate::config::Config;
use crate::site::Site;

/// URL of every document by its path inside `content/` (`sales/x.md`), as
/// `@/` links name them.
pub fn content_urls(site: &Site) -> BTreeMap<String, String> {
    let pages = site.content.pages.iter().map(|p| &p.doc);
    let sections = site.content.sections.values().map(|s| &s.doc);
    pages
        .chain(sections)
        .filter(|d| !d.source.is_empty() || d.file.ends_with("index.md"))
        .map(|d| (d.content_path(), site.config.url(&d.path)))
        .collect()
}

fn arg<'a>(args: &'a HashMap<String, Value>, name: &str, function: &str) -> tera::Result<&'a str> {
    args.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("`{function}` needs a string argument `{name}`").into())
}

/// Registers the lookup functions for one render.
pub(crate) fn register(
    tera: &mut Tera,
    site: &Site,
    view: &super::View,
    selected: &Selected<'_>,
    summaries: &[Summary],
) {
    let config: Arc<Config> = Arc::new(site.config.clone());
    let urls = Arc::new(content_urls(site));

    let (c, u) = (config.clone(), urls.clone());
    tera.register_function("get_url", move |args: &HashMap<String, Value>| {
        let path = arg(args, "path", "get_url")?;
        match path.strip_prefix("@/") {
            Some(target) => {
                let (file, fragment) = target
                    .split_once('#')
                    .map_or((target, None), |(f, x)| (f, Some(x)));
                let url = u
                    .get(file)
                    .ok_or_else(|| format!("get_url: no page `content/{file}`"))?;
                Ok(Value::String(match fragment {
                    Some(f) => format!("{url}#{f}"),
                    None => url.clone(),
                }))
            }
            None if path.contains("://") => Ok(Value::String(path.to_string())),
            None => Ok(Value::String(
                c.url(&format!("/{}", path.trim_start_matches('/'))),
            )),
        }
    });

    let pages: Arc<BTreeMap<String, Value>> = Arc::new(
        selected
            .pages
            .iter()
            .zip(summaries)
            .map(|((p, _), s)| {
                (
                    p.doc.content_path(),
                    serde_json::to_value(s).unwrap_or(Value::Null),
                )
            })
            .collect(),
    );
    tera.register_function("get_page", move |args: &HashMap<String, Value>| {
        let path = arg(args, "path", "get_page")?;
        let path = path.trim_start_matches("@/");
        pages
            .get(path)
            .cloned()
            .ok_or_else(|| format!("get_page: no page `content/{path}` in this build").into())
    });

    let by_path: BTreeMap<&str, &Summary> =
        summaries.iter().map(|s| (s.path.as_str(), s)).collect();
    let sections: Arc<BTreeMap<String, Value>> = Arc::new(
        selected
            .sections
            .values()
            .map(|(s, _)| {
                let list: Vec<&Summary> = s
                    .pages
                    .iter()
                    .filter_map(|&i| {
                        by_path
                            .get(site.content.pages[i].doc.path.as_str())
                            .copied()
                    })
                    .collect();
                let value = serde_json::json!({
                    "title": s.doc.meta.title,
                    "description": s.doc.meta.description,
                    "url": site.config.url(&s.doc.path),
                    "permalink": site.config.permalink(&s.doc.path),
                    "path": s.doc.path,
                    "pages": list,
                });
                (s.doc.content_path(), value)
            })
            .collect(),
    );
    tera.register_function("get_section", move |args: &HashMap<String, Value>| {
        let path = arg(args, "path", "get_section")?;
        let path = path.trim_start_matches("@/");
        sections
            .get(path)
            .cloned()
            .ok_or_else(|| format!("get_section: no section `content/{path}` in this build").into())
    });

    // Only the partners of this output: a partner's view cannot name another.
    let partners: Arc<BTreeMap<String, Value>> = Arc::new(
        super::reports::partners_in_view(site, view)
            .into_iter()
            .map(|p| {
                let ctx = crate::cobrand::PartnerContext::new(site, p);
                (
                    p.slug.clone(),
                    serde_json::to_value(ctx).unwrap_or(Value::Null),
                )
            })
            .collect(),
    );
    let known: Vec<String> = site.data.partners.iter().map(|p| p.slug.clone()).collect();
    tera.register_function("get_partner", move |args: &HashMap<String, Value>| {
        let slug = arg(args, "slug", "get_partner")?;
        match partners.get(slug) {
            Some(p) => Ok(p.clone()),
            None if known.iter().any(|k| k == slug) => {
                Err(format!("get_partner: partner `{slug}` is not part of this output").into())
            }
            None => Err(format!(
                "get_partner: unknown partner `{slug}`: there is no data/partners/{slug}.toml"
            )
            .into()),
        }
    });

    let c = config;
    tera.register_function("get_taxonomy_url", move |args: &HashMap<String, Value>| {
        let kind = arg(args, "kind", "get_taxonomy_url")?;
        let name = arg(args, "name", "get_taxonomy_url")?;
        if kind != "tags" && kind != "tracks" {
            return Err(
                format!("get_taxonomy_url: unknown kind `{kind}`; use tags or tracks").into(),
            );
        }
        Ok(Value::String(c.url(&taxonomy_path(kind, name))))
    });
}
