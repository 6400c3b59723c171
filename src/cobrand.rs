//! Co-branded pages: markdown that may use Tera expressions such as
//! `{{ partner.name }}`, evaluated only for pages with `cobrand = true`.

use serde::Serialize;

use crate::content::Document;
use crate::diagnostic::Diagnostic;
use crate::site::Site;

/// The partner as a co-branded page's markdown sees it.
#[derive(Debug, Clone, Serialize)]
pub struct CobrandPartner {
    pub name: String,
    pub slug: String,
    /// Null on the generic version of the page.
    pub tier: Option<u8>,
    pub segment: String,
    pub website: String,
}

impl CobrandPartner {
    /// The stand-in used on the generic version of a kit.
    pub fn placeholder(site: &Site) -> Self {
        CobrandPartner {
            name: site.config.cobrand_placeholder.clone(),
            slug: String::new(),
            tier: None,
            segment: String::new(),
            website: String::new(),
        }
    }
}

#[derive(Serialize)]
struct MarkdownContext<'a> {
    partner: &'a CobrandPartner,
    config: &'a crate::config::Config,
    site: SiteVars<'a>,
}

#[derive(Serialize)]
struct SiteVars<'a> {
    title: &'a str,
    base_url: &'a str,
}

/// Evaluates a co-branded page's markdown for `partner`.
pub fn expand(
    site: &Site,
    doc: &Document,
    partner: &CobrandPartner,
) -> Result<String, Vec<Diagnostic>> {
    let ctx = MarkdownContext {
        partner,
        config: &site.config,
        site: SiteVars {
            title: &site.config.title,
            base_url: &site.config.base_url,
        },
    };
    let ctx = tera::Context::from_serialize(&ctx)
        .map_err(|e| vec![Diagnostic::error(&doc.file, e.to_string())])?;
    tera::Tera::one_off(doc.body(), &ctx, false).map_err(|e| {
        let message = crate::theme::error_chain(&e);
        let message = message.replace("Failed to render '__tera_one_off': ", "");
        let d = Diagnostic::error(&doc.file, format!("in a co-branded page: {message}"));
        vec![locate(doc, &message).map_or(d.clone(), |span| d.located(&doc.source, span))]
    })
}

/// Evaluates a co-branded page's markdown for its generic version.
pub fn expand_generic(site: &Site, doc: &Document) -> Result<String, Vec<Diagnostic>> {
    expand(site, doc, &CobrandPartner::placeholder(site))
}

/// Finds the expression a Tera error names (`Variable `partner.nme` not found`).
fn locate(doc: &Document, message: &str) -> Option<std::ops::Range<usize>> {
    let start = message.find("Variable `")? + "Variable `".len();
    let name = &message[start..start + message[start..].find('`')?];
    let body = doc.body();
    let at = body.find(name)?;
    Some(doc.body_offset + at..doc.body_offset + at + name.len())
}
