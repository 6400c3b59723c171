//! Template functions that look things up in the site, as in Zola:
//! `get_url`, `get_page`, `get_section`, `get_taxonomy_url`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tera::{Tera, Value};

use super::context::{PartnerContext, Summary};
use super::paths::taxonomy_path;
use super::select::Selected;
use crate::config::Config;
use crate::isolation::{View, partners_in_view};
use crate::site::Site;

fn arg<'a>(args: &'a HashMap<String, Value>, name: &str, function: &str) -> tera::Result<&'a str> {
    args.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("`{function}` needs a string argument `{name}`").into())
}

/// Registers the lookup functions for one render.
pub(crate) fn register(
    tera: &mut Tera,
    site: &Site,
    view: &View,
    selected: &Selected<'_>,
    summaries: &Arc<Vec<Summary>>,
) {
    let config: Arc<Config> = Arc::new(site.config.clone());
    let urls = Arc::clone(&selected.selection.urls);

    let (c, u) = (config.clone(), urls);
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

    // A function no template names is not registered: its lookup tables
    // cost time on a large site.
    if site.theme.mentions("get_page") {
        register_get_page(tera, selected, summaries);
    }
    if site.theme.mentions("get_section") {
        register_get_section(tera, site, selected, summaries);
    }
    if site.theme.mentions("get_partner") {
        register_get_partner(tera, site, view);
    }
}

/// `get_page(path=…)`: a page's summary.
fn register_get_page(tera: &mut Tera, selected: &Selected<'_>, summaries: &Arc<Vec<Summary>>) {
    // Summaries are serialized when a template asks for them, not before:
    // a large site has 10,000 of them.
    let pages: BTreeMap<String, usize> = selected
        .pages
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p.doc.content_path(), i))
        .collect();
    let all = Arc::clone(summaries);
    tera.register_function("get_page", move |args: &HashMap<String, Value>| {
        let path = arg(args, "path", "get_page")?;
        let path = path.trim_start_matches("@/");
        let i = pages
            .get(path)
            .ok_or_else(|| format!("get_page: no page `content/{path}` in this build"))?;
        Ok(serde_json::to_value(&all[*i]).unwrap_or(Value::Null))
    });
}

/// `get_section(path=…)`: a section and the summaries of its pages.
fn register_get_section(
    tera: &mut Tera,
    site: &Site,
    selected: &Selected<'_>,
    summaries: &Arc<Vec<Summary>>,
) {
    let by_path: BTreeMap<&str, usize> = summaries
        .iter()
        .enumerate()
        .map(|(i, s)| (s.path.as_str(), i))
        .collect();
    let sections: BTreeMap<String, (Value, Vec<usize>)> = selected
        .sections
        .values()
        .map(|(s, _)| {
            let list: Vec<usize> = s
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
            });
            (s.doc.content_path(), (value, list))
        })
        .collect();
    let all = Arc::clone(summaries);
    tera.register_function("get_section", move |args: &HashMap<String, Value>| {
        let path = arg(args, "path", "get_section")?;
        let path = path.trim_start_matches("@/");
        let (value, list) = sections
            .get(path)
            .ok_or_else(|| format!("get_section: no section `content/{path}` in this build"))?;
        let mut value = value.clone();
        let pages: Vec<&Summary> = list.iter().map(|&i| &all[i]).collect();
        value["pages"] = serde_json::to_value(pages).unwrap_or(Value::Null);
        Ok(value)
    });
}

/// `get_partner(slug=…)`: a partner of this output, as co-branded pages see it.
fn register_get_partner(tera: &mut Tera, site: &Site, view: &View) {
    // Only the partners of this output: a partner's view cannot name another.
    let partners: Arc<BTreeMap<String, Value>> = Arc::new(
        partners_in_view(site, view)
            .into_iter()
            .map(|p| {
                let ctx = PartnerContext::new(site, p);
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
}
