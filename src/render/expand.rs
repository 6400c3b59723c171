//! The Tera expressions in a co-branded page's markdown (`{{ partner.name }}`),
//! evaluated for one partner or, on the generic page, for the placeholder.
//! Only co-branded pages are evaluated, after their shortcodes (whose
//! output is never evaluated: it is kept aside, see `shortcode`); the
//! context holds `partner`, `config` and `site` and nothing else.

use serde::Serialize;

use super::context::PartnerContext;
use crate::content::Document;
use crate::diagnostic::{Code, Diagnostic};
use crate::shortcode::neutralized;
use crate::site::Site;
use crate::values::escape::markdown_literal;

#[derive(Serialize)]
struct MarkdownContext<'a> {
    partner: &'a PartnerContext,
    config: &'a crate::config::Config,
    site: SiteVars<'a>,
}

#[derive(Serialize)]
struct SiteVars<'a> {
    title: &'a str,
    base_url: &'a str,
}

/// Evaluates `text`, a co-branded page's markdown with its shortcodes
/// expanded, for `partner`.
pub fn expand(
    site: &Site,
    doc: &Document,
    partner: &PartnerContext,
    text: &str,
) -> Result<String, Vec<Diagnostic>> {
    // Partner data is text, never markup: `<script>` or `[x](javascript:…)`
    // in a partner's name must not become HTML or a link in the page.
    let mut partner = partner.clone();
    // Nor may it pose as a placeholder of the shortcodes' HTML.
    for field in [
        &mut partner.name,
        &mut partner.segment,
        &mut partner.tier_name,
    ] {
        *field = neutralized(&markdown_literal(field)).into_owned();
    }
    partner.website =
        (partner.website.as_deref()).map(|w| neutralized(&markdown_literal(w)).into_owned());
    let ctx = MarkdownContext {
        partner: &partner,
        config: &site.config,
        site: SiteVars {
            title: &site.config.title,
            base_url: &site.config.base_url,
        },
    };
    let ctx = tera::Context::from_serialize(&ctx)
        .map_err(|e| vec![Diagnostic::new(Code::CobrandPage, &doc.file, e.to_string())])?;
    // As `Tera::one_off`, but refusing a macro that calls itself forever
    // (Tera would overflow the stack and abort the process).
    let mut tera = tera::Tera::default();
    let body = crate::theme::sandbox::guarded(text);
    let rendered = tera
        .add_raw_template("__tera_one_off", &body)
        .and_then(|()| {
            crate::theme::sandbox::install(&mut tera);
            match crate::theme::cycles::find(&tera) {
                Some((_, message)) => Err(tera::Error::msg(message)),
                None => crate::theme::sandbox::render(&tera, "__tera_one_off", &ctx),
            }
        });
    rendered.map_err(|e| {
        let message = crate::theme::error_chain(&e)
            .replace("Failed to render '__tera_one_off': ", "")
            .replace("__tera_one_off::", "");
        let code = crate::theme::sandbox_code(&message).unwrap_or(Code::CobrandPage);
        let d = Diagnostic::new(code, &doc.file, format!("in a co-branded page: {message}"));
        vec![locate(doc, &message).map_or(d.clone(), |span| d.located(&doc.source(), span))]
    })
}

/// An error at `span` of `body`, the expanded markdown of `doc`: its line
/// is counted in the file (Tera expressions rarely span lines), its excerpt
/// is the expanded text that was rendered.
pub(crate) fn error_in_expanded(
    code: Code,
    doc: &Document,
    body: &str,
    span: std::ops::Range<usize>,
    message: String,
) -> Diagnostic {
    let mut d = Diagnostic::at(code, &doc.file, body, span, message);
    let front = doc.source()[..doc.body_offset].matches('\n').count();
    d.line = d.line.map(|l| l + front);
    d
}

/// Finds the expression a Tera error names (`Variable `partner.nme` not found`).
fn locate(doc: &Document, message: &str) -> Option<std::ops::Range<usize>> {
    let start = message.find("Variable `")? + "Variable `".len();
    let name = &message[start..start + message[start..].find('`')?];
    let at = doc.body().find(name)?;
    Some(doc.body_offset + at..doc.body_offset + at + name.len())
}
