//! Site configuration: `site.toml` read into a raw serde struct, then
//! validated into `Config` with typed, resolved values.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{self, key_span};
use crate::values::path::is_inner_path;

/// The file name of the site configuration, relative to the root.
pub const FILE: &str = "site.toml";

/// `site.toml` as written; unknown keys are rejected.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_base_url")]
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    theme: Option<String>,
    /// Site logo: a path under `static/` or `data/`.
    logo: Option<String>,
    /// Where each partner's folder of `--audience partners` is hosted, with
    /// `{slug}` for the partner (e.g. `https://partners.example.com/{slug}`).
    partner_base_url: Option<String>,
    /// Name shown for `partner.name` on the generic version of a co-branded page.
    #[serde(default = "default_placeholder")]
    cobrand_placeholder: String,
    /// Highlight fenced code at build time (`false`: escaped plain text).
    #[serde(default = "yes")]
    highlight_code: bool,
    /// Build a static search index into every output (`false`: no search).
    #[serde(default = "yes")]
    search: bool,
    /// `check` warns about pages whose `updated` (or `date`) is older than this.
    #[serde(default = "default_stale_days")]
    stale_after_days: u32,
    #[serde(default)]
    taxonomies: Taxonomies,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// `[taxonomies]` of `site.toml`: how tag and track pages are listed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomies {
    /// Pages listed per page of a tag or track (`None`: all on one).
    pub paginate_by: Option<usize>,
}

fn yes() -> bool {
    true
}

fn default_base_url() -> String {
    "/".to_string()
}
fn default_language() -> String {
    "en".to_string()
}
fn default_placeholder() -> String {
    "Your company".to_string()
}
fn default_stale_days() -> u32 {
    365
}

/// The validated site configuration, as templates see it (`config`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Always without a trailing slash (`""` for a root-relative site).
    pub base_url: String,
    /// The path part of `base_url` (`/docs` for `https://x.example/docs`),
    /// prefixed to every root-relative URL.
    pub base_path: String,
    pub language: String,
    pub theme: String,
    pub logo: Option<String>,
    pub partner_base_url: Option<String>,
    pub cobrand_placeholder: String,
    pub highlight_code: bool,
    pub search: bool,
    pub stale_after_days: u32,
    pub taxonomies: Taxonomies,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Who mints the `tag:` URIs (RFC 4151) of feeds whose pages have no
    /// known absolute URL: the host of `site.toml`'s `base_url` when that
    /// is absolute, else a name made from the title. Kept when a view is
    /// rehosted (`with_base_url`), so a partner's ids never depend on it.
    #[serde(skip)]
    pub tag_authority: String,
}

impl Config {
    /// Reads and validates `<root>/site.toml`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let bytes = std::fs::read(root.join(FILE)).map_err(|e| {
            Diagnostic::new(
                Code::CannotReadConfig,
                FILE,
                format!("cannot read the site configuration ({e}); create it or pass --root"),
            )
        })?;
        Config::parse(&source::text(Path::new(FILE), bytes)?)
    }

    /// Parses the text of `site.toml`.
    pub fn parse(source: &str) -> Result<Config, Diagnostic> {
        let raw: RawConfig = toml::from_str(source).map_err(|e| {
            let message = e.message().trim();
            let message = match message.strip_prefix("missing field ") {
                Some(key) => {
                    format!("missing key {key}: add it, like title = \"Partner resource center\"")
                }
                None => message.to_string(),
            };
            let d = Diagnostic::new(Code::ConfigSyntax, FILE, message);
            match e.span() {
                Some(span) => d.located(source, span),
                None => d,
            }
        })?;
        let base_url = raw.base_url.trim_end_matches('/').to_string();
        if let Err(why) = check_base_url(&base_url) {
            return Err(
                Diagnostic::new(Code::BadBaseUrl, FILE, format!("`base_url` {why}"))
                    .located(source, key_span(source, "base_url")),
            );
        }
        if let Some(Err(why)) =
            (raw.partner_base_url.as_deref()).map(|u| check_base_url(&u.replace("{slug}", "slug")))
        {
            return Err(Diagnostic::new(
                Code::BadBaseUrl,
                FILE,
                format!("`partner_base_url` {why}"),
            )
            .located(source, key_span(source, "partner_base_url")));
        }
        // The theme is a folder of themes/: never a path out of it.
        if let Some(theme) = raw
            .theme
            .as_deref()
            .filter(|t| !is_inner_path(t) || t.contains('/'))
        {
            return Err(Diagnostic::new(
                Code::BadThemeName,
                FILE,
                format!("theme `{theme}` must be the name of a folder in themes/ (or `cafe`)"),
            )
            .located(source, key_span(source, "theme")));
        }
        // The logo is copied into the output under this path: never `..`.
        if let Some(logo) = raw.logo.as_deref().filter(|l| !is_inner_path(l)) {
            return Err(Diagnostic::new(
                Code::BadLogo,
                FILE,
                format!(
                    "logo `{logo}` must be a path inside data/ or static/, like \"logos/site.svg\""
                ),
            )
            .located(source, key_span(source, "logo")));
        }
        if raw.taxonomies.paginate_by == Some(0) {
            return Err(Diagnostic::new(
                Code::BadPaginateBy,
                FILE,
                "`paginate_by` of [taxonomies] is how many pages each page of a tag or track shows: at least 1, not 0",
            )
            .located(source, key_span(source, "paginate_by")));
        }
        let tag_authority = tag_authority(&base_url, &raw.title);
        Ok(Config {
            tag_authority,
            title: raw.title,
            description: raw.description,
            base_path: base_path(&base_url),
            base_url,
            language: raw.language,
            theme: raw.theme.unwrap_or_else(|| "cafe".to_string()),
            logo: raw.logo,
            partner_base_url: raw.partner_base_url,
            cobrand_placeholder: raw.cobrand_placeholder,
            highlight_code: raw.highlight_code,
            search: raw.search,
            stale_after_days: raw.stale_after_days,
            taxonomies: raw.taxonomies,
            extra: raw.extra,
        })
    }

    /// The absolute URL of a site path such as `/sales/` (with `base_url`).
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// `base_url` if it is an absolute `http(s)` URL: only then do pages
    /// have URLs that a sitemap or a feed may name.
    pub fn absolute_base(&self) -> Option<&str> {
        is_absolute(&self.base_url).then_some(self.base_url.as_str())
    }

    /// The root-relative URL of a site path, with the base path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }

    /// Replaces `base_url` (from `--base-url`).
    pub fn with_base_url(mut self, base_url: &str) -> Config {
        self.base_url = base_url.trim_end_matches('/').to_string();
        self.base_path = base_path(&self.base_url);
        self
    }
}

/// Checks a base URL: empty, a path (`/docs`), or an `http(s)` URL, with
/// nothing that could end an HTML attribute or start markup (it is written
/// into every page). `Err` says what is wrong.
pub fn check_base_url(url: &str) -> Result<(), String> {
    if let Some(bad) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`{}|^".contains(*c))
    {
        return Err(format!(
            "may not contain `{}`: write a URL like https://partners.example.com or a path like /docs",
            bad.escape_default()
        ));
    }
    if url.is_empty() || url.starts_with('/') && !url.starts_with("//") {
        return Ok(());
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err("must start with http://, https:// or /".to_string());
    }
    match url::Url::parse(url) {
        Ok(u) if u.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        _ => Err(format!("`{url}` is not a valid URL")),
    }
}

/// Whether a (checked) base URL is absolute, with a scheme and a host.
pub fn is_absolute(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// The tagging entity of `tag:` URIs: the host of an absolute `base_url`,
/// else the title as a DNS label (`Server Café` → `server-cafe`).
fn tag_authority(base_url: &str, title: &str) -> String {
    let host = (is_absolute(base_url).then(|| url::Url::parse(base_url).ok()))
        .flatten()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    host.unwrap_or_else(|| {
        let label = crate::values::slug::slugify(title);
        let label = label.get(..63).unwrap_or(&label).trim_matches('-');
        if label.is_empty() {
            "partnersite".to_string()
        } else {
            label.to_string()
        }
    })
}

/// `https://x.example/docs` → `/docs`; `/docs/` → `/docs`; `https://x.example` → ``.
fn base_path(base_url: &str) -> String {
    let rest = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => base_url,
    };
    rest.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_loses_trailing_slash() {
        let c = Config::parse("title = \"T\"\nbase_url = \"https://x.example/\"\n").unwrap();
        assert_eq!(c.base_url, "https://x.example");
        assert_eq!(c.permalink("/a/"), "https://x.example/a/");
        assert_eq!(c.theme, "cafe");
        assert_eq!(c.url("/a/"), "/a/");
    }

    #[test]
    fn tag_authority_is_the_host_or_the_title() {
        let c = |toml: &str| Config::parse(toml).unwrap();
        let site = c("title = \"Server Café\"\nbase_url = \"https://P.example:8080/docs\"\n");
        assert_eq!(site.tag_authority, "p.example");
        assert_eq!(site.absolute_base(), Some("https://P.example:8080/docs"));
        let relative = c("title = \"Server Café Partners!\"\n");
        assert_eq!(relative.tag_authority, "server-cafe-partners");
        assert_eq!(relative.absolute_base(), None);
        assert_eq!(c("title = \"—\"\n").tag_authority, "partnersite");
        // Rehosting a view keeps it.
        assert_eq!(site.with_base_url("").tag_authority, "p.example");
    }

    #[test]
    fn base_path_comes_from_base_url() {
        assert_eq!(base_path("https://x.example/docs/"), "/docs");
        assert_eq!(base_path("https://x.example"), "");
        assert_eq!(base_path("/sub"), "/sub");
        assert_eq!(base_path(""), "");
    }

    #[test]
    fn unknown_key_is_located() {
        let e = Config::parse("title = \"T\"\nthem = \"cafe\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("them"), "{}", e.message);
    }

    #[test]
    fn base_urls_cannot_carry_markup() {
        for bad in [
            "\"><script>alert(1)</script>",
            "https://x.example/\"onload=\"x",
            "javascript:alert(1)",
            "//evil.example",
            "https://",
            "/a b",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad} passed");
        }
        for good in [
            "",
            "/",
            "/docs",
            "https://x.example",
            "http://127.0.0.1:1111/sub",
        ] {
            assert_eq!(check_base_url(good), Ok(()), "{good}");
        }
        let e = Config::parse(
            "title = \"T\"\npartner_base_url = \"https://p.example/{slug}\\\"><x\"\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(2), "{e:?}");
    }

    #[test]
    fn bad_base_url_points_at_key() {
        let e = Config::parse("title = \"T\"\nbase_url = \"ftp://x\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
