//! Co-branding: the partner as templates and co-branded markdown see it,
//! colours checked for contrast, and the evaluation of Tera expressions such
//! as `{{ partner.name }}` in pages with `cobrand = true` (and only there).

use serde::Serialize;

use crate::content::Document;
use crate::data::partner::Partner;
use crate::diagnostic::Diagnostic;
use crate::site::Site;

/// The site's own colour, used where a partner's is missing or unreadable.
const FALLBACK_PRIMARY: &str = "#4a2c1d";
/// The lightest background of the cafe theme's dark mode (`--surface-2` of
/// its site.css), which partner links must be readable on.
const DARK_SURFACE: &str = "#2f231b";
/// The theme's own link colour in dark mode (`--accent`), used where neither
/// partner colour is readable there.
const FALLBACK_LINK_DARK: &str = "#6fd1c7";

/// A partner as templates see it (`partner`).
#[derive(Debug, Clone, Serialize)]
pub struct PartnerContext {
    pub slug: String,
    pub name: String,
    /// Null on the generic version of a co-branded page.
    pub tier: Option<u8>,
    pub tier_name: String,
    pub segment: String,
    pub website: Option<String>,
    pub joined: Option<String>,
    pub left: Option<String>,
    pub phase: Option<&'static str>,
    pub logo_url: Option<String>,
    /// `#rrggbb`, safe to put in CSS.
    pub primary: String,
    pub accent: String,
    /// Black or white, whichever reads better on `primary`.
    pub text_on_primary: &'static str,
    /// `accent` if it is readable as text on white, else `primary` or the
    /// site colour.
    pub link_colour: String,
    /// The same for dark mode: `accent` or `primary` if readable as text on
    /// the theme's dark backgrounds, else the theme's dark link colour.
    pub link_colour_dark: String,
    pub url: Option<String>,
}

impl PartnerContext {
    pub fn new(site: &Site, p: &Partner) -> Self {
        let primary = p
            .brand
            .primary
            .clone()
            .unwrap_or_else(|| FALLBACK_PRIMARY.into());
        let accent = p.brand.accent.clone().unwrap_or_else(|| primary.clone());
        let readable = |c: &str| contrast(c, "#ffffff").is_some_and(|r| r >= 4.5);
        let link_colour = [&accent, &primary]
            .into_iter()
            .find(|c| readable(c))
            .cloned()
            .unwrap_or_else(|| FALLBACK_PRIMARY.into());
        let readable_dark = |c: &str| contrast(c, DARK_SURFACE).is_some_and(|r| r >= 4.5);
        let link_colour_dark = [&accent, &primary]
            .into_iter()
            .find(|c| readable_dark(c))
            .cloned()
            .unwrap_or_else(|| FALLBACK_LINK_DARK.into());
        PartnerContext {
            slug: p.slug.clone(),
            name: p.name.clone(),
            tier: Some(p.tier),
            tier_name: format!(
                "Tier {} · {}",
                p.tier,
                crate::render::reports::tier_name(p.tier)
            ),
            segment: p.segment.clone(),
            website: p.website.clone(),
            joined: Some(p.joined.to_string()),
            left: p.left.map(|d| d.to_string()),
            phase: p.phase.map(|x| x.name()),
            logo_url: p
                .brand
                .logo
                .as_ref()
                .map(|l| site.config.url(&format!("/{}", l.trim_start_matches('/')))),
            text_on_primary: text_on(&primary),
            primary,
            accent,
            link_colour,
            link_colour_dark,
            url: Some(site.config.url(&format!("/partners/{}/", p.slug))),
        }
    }

    /// The stand-in used on the generic version of a kit.
    pub fn placeholder(site: &Site) -> Self {
        PartnerContext {
            slug: String::new(),
            name: site.config.cobrand_placeholder.clone(),
            tier: None,
            tier_name: "your partner tier".into(),
            segment: String::new(),
            website: None,
            joined: None,
            left: None,
            phase: None,
            logo_url: None,
            primary: FALLBACK_PRIMARY.into(),
            accent: FALLBACK_PRIMARY.into(),
            text_on_primary: "#ffffff",
            link_colour: FALLBACK_PRIMARY.into(),
            link_colour_dark: FALLBACK_LINK_DARK.into(),
            url: None,
        }
    }
}

fn channel(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.03928 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// WCAG relative luminance of a `#rgb` / `#rrggbb` colour.
pub fn luminance(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#')?;
    let full: String = match h.len() {
        3 => h.chars().flat_map(|c| [c, c]).collect(),
        6 => h.to_string(),
        _ => return None,
    };
    let byte = |i: usize| u8::from_str_radix(full.get(i..i + 2)?, 16).ok();
    let (r, g, b) = (byte(0)?, byte(2)?, byte(4)?);
    Some(0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b))
}

/// WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

/// The text colour (near-black or white) with the higher contrast on `bg`.
pub fn text_on(bg: &str) -> &'static str {
    let dark = contrast(bg, "#1a1a1a").unwrap_or(0.0);
    let light = contrast(bg, "#ffffff").unwrap_or(0.0);
    if dark >= light { "#1a1a1a" } else { "#ffffff" }
}

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

/// Evaluates a co-branded page's markdown for `partner`.
pub fn expand(
    site: &Site,
    doc: &Document,
    partner: &PartnerContext,
) -> Result<String, Vec<Diagnostic>> {
    // Partner data is text, never markup: `<script>` or `[x](javascript:…)`
    // in a partner's name must not become HTML or a link in the page.
    let mut partner = partner.clone();
    for field in [
        &mut partner.name,
        &mut partner.segment,
        &mut partner.tier_name,
    ] {
        *field = markdown_text(field);
    }
    partner.website = partner.website.as_deref().map(markdown_text);
    let ctx = MarkdownContext {
        partner: &partner,
        config: &site.config,
        site: SiteVars {
            title: &site.config.title,
            base_url: &site.config.base_url,
        },
    };
    let ctx = tera::Context::from_serialize(&ctx)
        .map_err(|e| vec![Diagnostic::error(&doc.file, e.to_string())])?;
    // As `Tera::one_off`, but refusing a macro that calls itself forever
    // (Tera would overflow the stack and abort the process).
    let mut tera = tera::Tera::default();
    let rendered = tera
        .add_raw_template("__tera_one_off", doc.body())
        .and_then(|()| match crate::theme::cycles::find(&tera) {
            Some((_, message)) => Err(tera::Error::msg(message)),
            None => tera.render("__tera_one_off", &ctx),
        });
    rendered.map_err(|e| {
        let message = crate::theme::error_chain(&e)
            .replace("Failed to render '__tera_one_off': ", "")
            .replace("__tera_one_off::", "");
        let d = Diagnostic::error(&doc.file, format!("in a co-branded page: {message}"));
        vec![locate(doc, &message).map_or(d.clone(), |span| d.located(&doc.source, span))]
    })
}

/// `s` as literal text wherever it lands in markdown (text, a table cell,
/// raw HTML): the characters of HTML and of markdown syntax become numeric
/// character references, which markdown shows as they are and never parses.
fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '<' | '>' | '"' | '\'' | '[' | ']' | '(' | ')' | '*' | '_' | '`' | '\\' | '|'
            | '!' | '~' => {
                out.push_str(&format!("&#{};", u32::from(c)));
            }
            _ => out.push(c),
        }
    }
    out
}

/// Evaluates a co-branded page's markdown for its generic version.
pub fn expand_generic(site: &Site, doc: &Document) -> Result<String, Vec<Diagnostic>> {
    expand(site, doc, &PartnerContext::placeholder(site))
}

/// Finds the expression a Tera error names (`Variable `partner.nme` not found`).
fn locate(doc: &Document, message: &str) -> Option<std::ops::Range<usize>> {
    let start = message.find("Variable `")? + "Variable `".len();
    let name = &message[start..start + message[start..].find('`')?];
    let at = doc.body().find(name)?;
    Some(doc.body_offset + at..doc.body_offset + at + name.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_examples() {
        assert!((contrast("#000000", "#ffffff").unwrap() - 21.0).abs() < 1e-9);
        assert!((contrast("#777", "#fff").unwrap() - 4.48).abs() < 0.01);
    }

    #[test]
    fn dark_mode_links_are_readable_on_the_dark_theme() {
        for colour in [FALLBACK_LINK_DARK, "#ffb000"] {
            assert!(contrast(colour, DARK_SURFACE).unwrap() >= 4.5, "{colour}");
        }
        // Northwind's blue, its primary, reads on white but not on dark.
        assert!(contrast("#0b5fff", DARK_SURFACE).unwrap() < 4.5);
    }

    #[test]
    fn text_on_light_and_dark_backgrounds() {
        assert_eq!(text_on("#f5e663"), "#1a1a1a");
        assert_eq!(text_on("#101820"), "#ffffff");
        assert_eq!(text_on("#0b5fff"), "#ffffff");
    }
}
