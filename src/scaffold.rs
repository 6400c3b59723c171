//! `new` and `init`: files that start a page, a partner or a whole site.
//!
//! The files are templates under `src/scaffold/`, compiled in, with a few
//! `{{placeholders}}` filled in. Nothing is ever overwritten: a file is
//! created only if it does not exist, and `init` only fills an empty folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use time::Date;

use crate::values::Quarter;
use crate::values::slug::check_slug;

const PAGE: &str = include_str!("scaffold/page.md");
const PARTNER: &str = include_str!("scaffold/partner.toml");

/// The skeleton `init` writes: path → template.
const SITE: [(&str, &str); 7] = [
    ("site.toml", include_str!("scaffold/site/site.toml")),
    (
        "content/_index.md",
        include_str!("scaffold/site/content/_index.md"),
    ),
    (
        "content/guides/_index.md",
        include_str!("scaffold/site/content/guides/_index.md"),
    ),
    (
        "content/guides/getting-started.md",
        include_str!("scaffold/site/content/guides/getting-started.md"),
    ),
    (
        "data/program.toml",
        include_str!("scaffold/site/data/program.toml"),
    ),
    (
        "data/partners/example-partner.toml",
        include_str!("scaffold/site/data/partners/example-partner.toml"),
    ),
    (
        "data/logos/example-partner.svg",
        include_str!("scaffold/site/data/logos/example-partner.svg"),
    ),
];

/// Why a file could not be created.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} already exists; not overwriting it")]
    Exists(PathBuf),
    #[error("{0} is not empty; `init` only fills a new or empty folder")]
    NotEmpty(PathBuf),
    #[error(
        "{0} holds no site.toml: run this in a site's folder, pass --root, or start one with `partnersite init <dir>`"
    )]
    NotASite(PathBuf),
    #[error("invalid {what}: {reason}")]
    Invalid { what: &'static str, reason: String },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Creates `content/<section>/<slug>.md`, a draft dated `today`.
pub fn new_page(root: &Path, target: &str, today: Date) -> Result<PathBuf, ScaffoldError> {
    require_site(root)?;
    let invalid = |what, reason| ScaffoldError::Invalid { what, reason };
    if target.trim().ends_with('/') || target.trim().is_empty() {
        return Err(invalid(
            "page",
            format!(
                "`{target}` names no page: write the section and the page's slug, like sales/objection-handling"
            ),
        ));
    }
    let target = target.trim_matches('/').trim_end_matches(".md");
    let (section, slug) = target.rsplit_once('/').unwrap_or(("", target));
    for part in section
        .split('/')
        .filter(|p| !section.is_empty() || !p.is_empty())
    {
        check_slug(part).map_err(|m| invalid("section", format!("folder name {m}")))?;
    }
    check_slug(slug).map_err(|m| invalid("page slug", format!("the slug {m}")))?;
    if slug == "index" || slug == "_index" {
        return Err(invalid(
            "page slug",
            "`index` names a section's own page; pick another slug".into(),
        ));
    }
    let dir = Path::new(crate::content::DIR).join(section);
    if root.join(&dir).join(slug).is_dir() {
        let inside = if section.is_empty() {
            format!("{slug}/first-steps")
        } else {
            format!("{section}/{slug}/first-steps")
        };
        return Err(invalid(
            "page slug",
            format!(
                "{}/ is a section, and a page `{slug}` would take its URL; give a page inside it, like {inside}",
                dir.join(slug).display()
            ),
        ));
    }
    let weight = 10 * (markdown_files(&root.join(&dir)) + 1);
    let text = fill(
        PAGE,
        &[
            ("title", title_of(slug)),
            ("today", today.to_string()),
            ("weight", weight.to_string()),
        ],
    );
    let rel = dir.join(format!("{slug}.md"));
    create(root, &rel, &text)?;
    Ok(rel)
}

/// Creates `data/partners/<slug>.toml` with every field explained.
pub fn new_partner(root: &Path, slug: &str, today: Date) -> Result<PathBuf, ScaffoldError> {
    require_site(root)?;
    check_slug(slug).map_err(|m| ScaffoldError::Invalid {
        what: "partner slug",
        reason: format!("the slug {m}"),
    })?;
    let text = fill(
        PARTNER,
        &[
            ("name", title_words(slug)),
            ("slug", slug.to_string()),
            ("today", today.to_string()),
            ("quarter", Quarter::of_date(today).to_string()),
        ],
    );
    let rel = Path::new(crate::data::DIR)
        .join("partners")
        .join(format!("{slug}.toml"));
    create(root, &rel, &text)?;
    Ok(rel)
}

/// Writes a new site into `dir`, which must be missing or empty.
pub fn init(dir: &Path, today: Date) -> Result<Vec<PathBuf>, ScaffoldError> {
    let io = |source| ScaffoldError::Io {
        path: dir.to_path_buf(),
        source,
    };
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(io)?
        }
        Err(e) => return Err(io(e)),
    }
    let values = [
        ("today", today.to_string()),
        ("year", today.year().to_string()),
        ("quarter", Quarter::of_date(today).to_string()),
    ];
    let mut written = Vec::new();
    for (rel, template) in SITE {
        create(dir, Path::new(rel), &fill(template, &values))?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

fn require_site(root: &Path) -> Result<(), ScaffoldError> {
    if root.join(crate::config::FILE).is_file() {
        Ok(())
    } else {
        Err(ScaffoldError::NotASite(root.to_path_buf()))
    }
}

/// Creates `root/rel` (and its folders) only if it does not exist yet.
fn create(root: &Path, rel: &Path, text: &str) -> Result<(), ScaffoldError> {
    let path = root.join(rel);
    let io = |source| ScaffoldError::Io {
        path: rel.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(ScaffoldError::Exists(rel.to_path_buf()));
        }
        Err(e) => return Err(io(e)),
    };
    file.write_all(text.as_bytes()).map_err(io)
}

/// Replaces every `{{key}}` of `template`.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (key, value)| {
            text.replace(&format!("{{{{{key}}}}}"), value)
        })
}

/// Pages already in a section folder (their count sets the new weight).
fn markdown_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.ends_with(".md") && name != "_index.md"
            })
            .count()
    })
}

/// `deal-registration` → `Deal registration`.
fn title_of(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// `northwind-ai` → `Northwind Ai`.
fn title_words(slug: &str) -> String {
    slug.split('-')
        .filter(|w| !w.is_empty())
        .map(title_of)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn placeholders_are_filled() {
        let out = fill(
            "a {{x}} b {{x}} {{y}}",
            &[("x", "1".into()), ("y", "2".into())],
        );
        assert_eq!(out, "a 1 b 1 2");
    }

    #[test]
    fn titles_come_from_slugs() {
        assert_eq!(title_of("deal-registration"), "Deal registration");
        assert_eq!(title_words("northwind-ai"), "Northwind Ai");
    }

    #[test]
    fn no_placeholder_is_left_in_any_template() {
        let today = date!(2026 - 05 - 04);
        let tmp = tempfile::tempdir().expect("temp dir");
        let site = tmp.path().join("site");
        init(&site, today).expect("init");
        new_page(&site, "guides/x", today).expect("page");
        new_partner(&site, "acme", today).expect("partner");
        for (rel, _) in SITE {
            let text = std::fs::read_to_string(site.join(rel)).expect("read");
            assert!(!text.contains("{{"), "{rel}");
        }
        for rel in ["content/guides/x.md", "data/partners/acme.toml"] {
            let text = std::fs::read_to_string(site.join(rel)).expect("read");
            assert!(!text.contains("{{"), "{rel}: {text}");
        }
    }

    #[test]
    fn bad_names_are_refused() {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::write(tmp.path().join("site.toml"), "title = \"T\"\n").expect("write");
        let today = date!(2026 - 05 - 04);
        for bad in ["Sales/x", "sales/X y", "../x", "sales//x", "sales/_index"] {
            assert!(
                matches!(
                    new_page(tmp.path(), bad, today),
                    Err(ScaffoldError::Invalid { .. })
                ),
                "{bad}"
            );
        }
        assert!(new_partner(tmp.path(), "Acme Inc", today).is_err());
    }
}
