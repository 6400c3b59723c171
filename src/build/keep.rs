//! Keeping a partner folder of the earlier output as it is: with
//! `--audience partners`, a folder whose inputs are the same as when the
//! earlier build into the same output made it is neither rendered nor
//! indexed again, and its files are not read.
//!
//! A folder's inputs are everything its bytes can depend on, as one digest
//! (`folder_inputs`):
//! - the code: partnersite's version and build id (a hash of its sources,
//!   its default theme and its locked dependencies, made by `build.rs`);
//! - the build's options: date, drafts, quarter;
//! - every file the load stage may read, but the partner files (`files`):
//!   `site.toml`, `content/`, `templates/`, `themes/`, `static/` and
//!   `data/` without `data/partners/`;
//! - the view and what isolation scoped to it: the site's configuration
//!   for that folder (its base URL), the partner's own data, its report as
//!   the partner sees it (which is where anything computed from other
//!   partners would be), and every partner's logo;
//! - what the leak guard checks the folder against: every partner's slug,
//!   name, `public` flag and logo path.
//!
//! So a change to one partner's file renders that partner's folder again,
//! and any other folder only if what it shows of the program changed; a
//! page, template or setting renders every folder again. The digest is of
//! text made only of ordered values (`Debug` of `Vec`s, `BTreeMap`s and
//! plain values), so the same inputs give the same digest on every run. A
//! `HashMap` added to `Config`, `Data` or `Reports` would make it differ
//! from run to run: folders rendered again for nothing, never kept stale.

use std::io;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::isolation::{self, Target};
use crate::metrics::Reports;
use crate::site::{LoadOptions, Site};
use crate::values::Quarter;

/// The folders under the site's root that the load stage reads, and the
/// one file; `data/partners/` is left out (each folder adds its own
/// partner, scoped).
const READ: [&str; 6] = [
    crate::config::FILE,
    "content",
    "templates",
    "themes",
    "static",
    "data",
];

const PARTNER_FILES: &str = "data/partners";

/// What every folder of the site shares among its inputs: the code, and
/// the options, the site's files and what the leak guard checks against.
pub fn shared(site: &Site, load: &LoadOptions, quarter: Option<Quarter>) -> io::Result<Sha256> {
    let mut hasher = files(&site.root)?;
    let code = format!(
        "{} {}",
        env!("CARGO_PKG_VERSION"),
        env!("PARTNERSITE_BUILD_ID")
    );
    let options = format!("{:?} {} {:?}", load.date, load.drafts, quarter);
    let guard: Vec<_> = (site.data.partners.iter())
        .map(|p| (&p.slug, &p.name, p.public, &p.brand.logo))
        .collect();
    for text in [
        code,
        options,
        format!("{guard:?}"),
        format!("{:?}", site.partner_logos),
    ] {
        field(&mut hasher, text.as_bytes());
    }
    for (path, bytes) in &site.logos {
        field(&mut hasher, path.as_bytes());
        field(&mut hasher, bytes);
    }
    Ok(hasher)
}

/// The digest of every file the load stage may read but the partner
/// files, under `root`: each one's path, kind and bytes (a link's target
/// as text; load skips links), in path order.
fn files(root: &Path) -> io::Result<Sha256> {
    let mut hasher = Sha256::new();
    for top in READ {
        let walk = walkdir::WalkDir::new(root.join(top))
            .follow_links(false)
            .sort_by_file_name();
        for entry in walk {
            let entry = match entry {
                Ok(e) => e,
                Err(e) if e.depth() == 0 && e.io_error().is_some_and(not_found) => break,
                Err(e) => return Err(e.into()),
            };
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel == PARTNER_FILES || rel.starts_with(&format!("{PARTNER_FILES}/")) {
                continue;
            }
            let kind = entry.file_type();
            let (tag, bytes) = if kind.is_dir() {
                ("dir", Vec::new())
            } else if kind.is_symlink() {
                let target = std::fs::read_link(entry.path())?;
                ("link", target.to_string_lossy().into_owned().into_bytes())
            } else if kind.is_file() {
                ("file", std::fs::read(entry.path())?)
            } else {
                ("other", Vec::new())
            };
            field(&mut hasher, tag.as_bytes());
            field(&mut hasher, rel.as_bytes());
            field(&mut hasher, &bytes);
        }
    }
    Ok(hasher)
}

fn not_found(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::NotFound
}

/// The digest of one partner folder's inputs (see the module's note):
/// `shared` is what all folders share (`shared`).
pub fn folder_inputs(
    shared: &Sha256,
    site: &Site,
    reports: Option<&Reports>,
    target: &Target,
) -> String {
    let mut hasher = shared.clone();
    let (view_site, view_reports) = isolation::scope(site, reports, &target.view);
    for text in [
        format!("{:?} {}", target.view, target.folder),
        format!("{:?}", view_site.config),
        format!("{:?}", view_site.data),
        format!("{:?}", view_reports),
    ] {
        field(&mut hasher, text.as_bytes());
    }
    crate::write::hex(&hasher.finalize())
}

/// One field of a digest: its length, then its bytes, so that no two
/// lists of fields hash alike.
fn field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}
