//! The load stage: everything a build needs from disk, read once.
//!
//! `Site::load` reads `site.toml`, `content/`, the theme and the files the
//! output copies, and returns a `Site`, or every problem found. Later stages
//! take a `&Site` and never read the disk themselves.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::content::{self, Content, Document};
use crate::data::{self, Data};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::key_span;
use crate::theme::{self, Theme};
use time::Date;

/// What to load and how.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub root: PathBuf,
    /// Keep pages marked `draft = true`.
    pub drafts: bool,
    /// Replaces `base_url` of `site.toml`.
    pub base_url: Option<String>,
    /// The build date: pages are published and expire relative to it.
    /// The command line decides it (`--date`, `SOURCE_DATE_EPOCH`, today);
    /// nothing below reads the clock.
    pub date: Date,
}

impl LoadOptions {
    /// Loads the site at `root` as on `date`, without drafts.
    pub fn new(root: impl Into<PathBuf>, date: Date) -> LoadOptions {
        LoadOptions {
            root: root.into(),
            drafts: false,
            base_url: None,
            date,
        }
    }
}

/// Everything read from disk.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Shared: views of one build clone the `Site`, not the content.
    pub content: Arc<Content>,
    pub theme: Arc<Theme>,
    pub data: Data,
    /// Partner logos: path under `data/` or `static/` (as in the partner
    /// file) → bytes (SVG cleaned). Copied only into outputs that show that
    /// partner.
    pub logos: BTreeMap<String, Vec<u8>>,
    /// The logo path of every partner of the site, wherever the file lives:
    /// never copied with the static files, whatever view a copy of the
    /// site is scoped to.
    pub partner_logos: Arc<std::collections::BTreeSet<String>>,
    /// Files copied as they are (content files, page bundles, the site
    /// logo), by output path.
    pub assets: Arc<BTreeMap<String, Asset>>,
    /// What loading warns about (symbolic links skipped), sorted.
    pub warnings: Vec<Diagnostic>,
    /// The build date (see `LoadOptions::date`).
    pub date: Date,
}

/// A file copied as it is, and what it belongs to.
#[derive(Debug, Clone)]
pub struct Asset {
    pub bytes: Vec<u8>,
    /// URL path of the page or section it belongs to (`/technical/sandbox/`);
    /// it is copied only when that is in the output. `None`: always copied.
    pub owner: Option<String>,
    /// Where it comes from, relative to the root (for diagnostics).
    pub source: PathBuf,
}

impl Site {
    /// Loads a site, reporting every problem at once.
    pub fn load(options: &LoadOptions) -> Result<Site, Vec<Diagnostic>> {
        let root = &options.root;
        let mut diagnostics = Vec::new();
        let mut warnings = Vec::new();
        let config = match Config::load(root) {
            Ok(c) => Some(match &options.base_url {
                Some(url) => c.with_base_url(url),
                None => c,
            }),
            Err(d) => {
                diagnostics.push(d);
                None
            }
        };
        let content = content::load(root, options.drafts, options.date, &mut warnings)
            .map_err(|mut d| diagnostics.append(&mut d))
            .ok();
        let theme = config.as_ref().and_then(|c| {
            theme::load(root, c, &mut warnings)
                .map_err(|mut d| diagnostics.append(&mut d))
                .ok()
        });
        let data = data::load(root, &mut warnings)
            .map_err(|mut d| diagnostics.append(&mut d))
            .ok();
        if !diagnostics.is_empty() {
            if let Some(content) = &content {
                diagnostics.extend(links_of(content));
            }
            diagnostics.append(&mut warnings);
            return Err(diagnostics);
        }
        let (Some(config), Some(mut content), Some(theme), Some(data)) =
            (config, content, theme, data)
        else {
            return Err(diagnostics);
        };
        if let Some(home) = content.sections.get_mut("") {
            fill_home_title(&mut home.doc, &config);
        }
        let assets = read_assets(root, &config, &content, &theme, &mut diagnostics);
        let logos = read_logos(root, &data, &mut diagnostics);
        if !diagnostics.is_empty() {
            diagnostics.extend(links_of(&content));
            diagnostics.append(&mut warnings);
            return Err(diagnostics);
        }
        crate::diagnostic::sort(&mut warnings);
        Ok(Site {
            root: root.clone(),
            config,
            content: Arc::new(content),
            theme: Arc::new(theme),
            partner_logos: Arc::new(
                logos
                    .keys()
                    .map(|l| l.trim_start_matches('/').to_string())
                    .collect(),
            ),
            data,
            logos,
            assets: Arc::new(assets),
            warnings,
            date: options.date,
        })
    }
}

/// The home page without a title of its own is titled as the site.
pub fn fill_home_title(home: &mut Document, config: &Config) {
    if home.meta.title.is_empty() {
        home.meta.title.clone_from(&config.title);
    }
}

/// Broken `@/` links of content that loaded, when something else did not
/// (rendering, which finds them otherwise, never runs then).
fn links_of(content: &Content) -> Vec<Diagnostic> {
    let pages = content.pages.iter().map(|p| &p.doc);
    let known = pages
        .chain(content.sections.values().map(|s| &s.doc))
        .filter(|d| d.is_linkable())
        .map(Document::content_path)
        .collect();
    content::broken_links(content, &known)
}

fn read_assets(
    root: &Path,
    config: &Config,
    content: &Content,
    theme: &Theme,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Asset> {
    let mut assets = BTreeMap::new();
    let mut read =
        |rel: &Path, out: String, owner: Option<String>| match std::fs::read(root.join(rel)) {
            Ok(bytes) => {
                let source = rel.to_path_buf();
                assets.insert(
                    out,
                    Asset {
                        bytes,
                        owner,
                        source,
                    },
                );
            }
            Err(e) => diagnostics.push(Diagnostic::new(
                Code::CannotRead,
                rel,
                format!("cannot read: {e}"),
            )),
        };
    for file in &content.files {
        let out = file.strip_prefix(content::DIR).unwrap_or(file);
        let out = out.to_string_lossy().replace('\\', "/");
        let dir = out.rsplit_once('/').map_or("", |(d, _)| d);
        let owner = if dir.is_empty() {
            "/".to_string()
        } else {
            format!("/{dir}/")
        };
        read(file, out.clone(), Some(owner));
    }
    for page in content.pages.iter().filter(|p| !p.assets.is_empty()) {
        let dir = page.doc.file.parent().unwrap_or(Path::new(""));
        for asset in &page.assets {
            let inner = asset.strip_prefix(dir).unwrap_or(asset);
            let out = format!(
                "{}{}",
                page.doc.path.trim_start_matches('/'),
                inner.to_string_lossy().replace('\\', "/")
            );
            read(asset, out, Some(page.doc.path.clone()));
        }
    }
    if let Some(logo) = &config.logo {
        let name = logo.trim_start_matches('/');
        // A logo among the static files is copied with them; one under
        // data/ is copied here.
        let problem = match theme.static_files.get(name) {
            Some(bytes) if crate::source::image::sniff(bytes).is_none() => Some(format!(
                "logo `{logo}` is not an image (SVG, PNG, JPEG, WebP or GIF, told by its content)"
            )),
            Some(_) => None,
            None => match crate::source::read_image(root, logo) {
                Ok((rel, bytes)) => {
                    let asset = Asset {
                        bytes,
                        owner: None,
                        source: rel,
                    };
                    assets.insert(name.to_string(), asset);
                    None
                }
                Err(why) => Some(format!("logo {why}")),
            },
        };
        if let Some(message) = problem {
            let source =
                std::fs::read_to_string(root.join(crate::config::FILE)).unwrap_or_default();
            let span = key_span(&source, "logo");
            diagnostics.push(Diagnostic::at(
                Code::BadLogo,
                crate::config::FILE,
                &source,
                span,
                message,
            ));
        }
    }
    assets
}

/// The partners' logos, by the path their files give (images checked by
/// content, SVG cleaned, never through a symbolic link: `data` validated
/// each already, so a failure here is a file that changed meanwhile).
fn read_logos(
    root: &Path,
    data: &Data,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Vec<u8>> {
    let mut logos = BTreeMap::new();
    for logo in data.partners.iter().filter_map(|p| p.brand.logo.as_ref()) {
        match crate::source::read_image(root, logo) {
            Ok((_, bytes)) => {
                logos.insert(logo.clone(), bytes);
            }
            Err(why) => {
                let d = Diagnostic::new(Code::BadPartnerLogo, data::DIR, format!("logo {why}"));
                diagnostics.push(d);
            }
        }
    }
    logos
}
