//! `check --against OLD_MANIFEST`: what each partner gains or loses
//! between a published output and the site as it is now.
//!
//! The old output's manifest says who it was for (its audience and shard)
//! and why each page was there; the site is rendered again for that
//! audience, in memory, and the two manifests are compared folder by
//! folder: a partner's folder for `--audience partners`, the whole output
//! otherwise. A page is a file named `index.html`; its URL is what is
//! shown.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::build::{self, Request, Shard};
use crate::diagnostic::{Code, Diagnostic, display_path};
use crate::highlight::Highlighter;
use crate::isolation::Audience;
use crate::site::LoadOptions;
use crate::values::Quarter;
use crate::write::{MANIFEST, Manifest};

/// What one folder of the output gains and loses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FolderDiff {
    /// The partner's slug for `--audience partners`, else the audience.
    pub folder: String,
    /// Pages only the new output holds, and why.
    pub gained: Vec<Page>,
    /// Pages only the old output held, and why they were there.
    pub lost: Vec<Page>,
    /// Pages in both whose bytes differ.
    pub changed: Vec<String>,
}

/// One page: its URL path and the rule that put it in the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page {
    pub url: String,
    pub rule: Option<String>,
}

/// The comparison of an old output with the site as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Against {
    /// The audience both were built for.
    pub audience: String,
    /// Only folders with a difference, in slug order.
    pub folders: Vec<FolderDiff>,
}

/// Reads the manifest at `path` (the file, or the output folder holding
/// it), renders the site for the same audience and shard, and compares.
pub fn against(
    path: &Path,
    load: &LoadOptions,
    quarter: Option<Quarter>,
    highlighter: &Highlighter,
) -> Result<Against, Vec<Diagnostic>> {
    let old = read(path)?;
    let bad = |message: String| vec![Diagnostic::new(Code::BadManifest, path, message)];
    let audience: Audience = match &old.audience {
        Some(a) => a.parse().map_err(|e| bad(format!("the manifest's audience: {e}")))?,
        None => return Err(bad("the manifest does not say whom its output is for (it was written by an older partnersite): build that output again with this one".into())),
    };
    let shard: Option<Shard> = match &old.shard {
        Some(s) => Some(
            s.parse()
                .map_err(|e| bad(format!("the manifest's shard: {e}")))?,
        ),
        None => None,
    };
    let request = Request {
        load,
        quarter,
        audience: &audience,
        shard,
    };
    let rendered =
        build::render_audience(request, highlighter).map_err(|f| f.into_diagnostics())?;
    let new = Manifest::of(&rendered.output, &rendered.record);
    Ok(Against {
        audience: audience.to_string(),
        folders: compare(&old, &new, matches!(audience, Audience::Partners)),
    })
}

fn read(path: &Path) -> Result<Manifest, Vec<Diagnostic>> {
    let file = if path.is_dir() {
        path.join(MANIFEST)
    } else {
        path.to_path_buf()
    };
    let bytes = std::fs::read(&file).map_err(|e| {
        vec![Diagnostic::new(
            Code::BadManifest,
            &file,
            format!(
                "cannot read it ({e}): give the `{MANIFEST}` of an output partnersite wrote, or its folder"
            ),
        )]
    })?;
    Manifest::parse(&bytes).map_err(|why| {
        vec![Diagnostic::new(
            Code::BadManifest,
            &file,
            format!("{} cannot be compared: {why}", display_path(&file)),
        )]
    })
}

/// The differences of two manifests, by folder (the first path segment
/// when `by_partner`, else one folder for the whole output).
pub fn compare(old: &Manifest, new: &Manifest, by_partner: bool) -> Vec<FolderDiff> {
    let label = new.audience.clone().unwrap_or_default();
    let folder_of = |path: &str| -> String {
        if by_partner {
            path.split('/').next().unwrap_or_default().to_string()
        } else {
            label.clone()
        }
    };
    let mut folders: BTreeMap<String, FolderDiff> = BTreeMap::new();
    let pages = |m: &Manifest| -> Vec<(String, String)> {
        m.files
            .keys()
            .filter_map(|p| url_of(p).map(|u| (p.clone(), u)))
            .collect()
    };
    for (path, url) in pages(new) {
        let now = &new.files[&path];
        match old.files.get(&path) {
            None => record(&mut folders, folder_of(&path), |d| {
                d.gained.push(Page {
                    url,
                    rule: now.rule.clone(),
                })
            }),
            Some(was) if was.sha256 != now.sha256 => {
                record(&mut folders, folder_of(&path), |d| d.changed.push(url))
            }
            Some(_) => {}
        }
    }
    for (path, url) in pages(old) {
        if !new.files.contains_key(&path) {
            let was = &old.files[&path];
            record(&mut folders, folder_of(&path), |d| {
                d.lost.push(Page {
                    url,
                    rule: was.rule.clone(),
                })
            });
        }
    }
    folders
        .into_values()
        .filter(|d| !(d.gained.is_empty() && d.lost.is_empty() && d.changed.is_empty()))
        .collect()
}

fn record(
    folders: &mut BTreeMap<String, FolderDiff>,
    folder: String,
    f: impl FnOnce(&mut FolderDiff),
) {
    let diff = folders.entry(folder.clone()).or_insert_with(|| FolderDiff {
        folder,
        gained: Vec::new(),
        lost: Vec::new(),
        changed: Vec::new(),
    });
    f(diff);
}

/// The URL path of a page file (`a/b/index.html` → `/a/b/`); `None` for
/// files that are not pages.
fn url_of(path: &str) -> Option<String> {
    let dir = path.strip_suffix("index.html")?;
    (dir.is_empty() || dir.ends_with('/')).then(|| format!("/{dir}"))
}

impl FolderDiff {
    /// `partner alpha gains 2 pages, loses 1, 3 changed`.
    pub fn headline(&self, by_partner: bool) -> String {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let who = if by_partner {
            format!("partner {}", self.folder)
        } else {
            format!("the {} output", self.folder)
        };
        format!(
            "{who} gains {} page{}, loses {}, {} changed",
            self.gained.len(),
            plural(self.gained.len()),
            self.lost.len(),
            self.changed.len()
        )
    }
}

impl std::fmt::Display for Against {
    /// For people and pull-request comments: a headline per folder, then
    /// each page gained (`+`) or lost (`-`) with its rule.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let by_partner = self.audience == "partners";
        if self.folders.is_empty() {
            return writeln!(
                f,
                "no partner gains or loses a page ({} output unchanged)",
                self.audience
            );
        }
        for d in &self.folders {
            writeln!(f, "{}", d.headline(by_partner))?;
            for (sign, pages) in [("+", &d.gained), ("-", &d.lost)] {
                for p in pages {
                    match &p.rule {
                        Some(rule) => writeln!(f, "  {sign} {}  ({rule})", p.url)?,
                        None => writeln!(f, "  {sign} {}", p.url)?,
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;
    use crate::write::Record;

    fn manifest(files: &[(&str, &str)], rules: &[(&str, &str)]) -> Manifest {
        let record = Record {
            audience: Some("partners".into()),
            rules: rules
                .iter()
                .map(|(p, r)| (p.to_string(), r.to_string()))
                .collect(),
            ..Record::default()
        };
        Manifest::of(&Output::of_text(files), &record)
    }

    #[test]
    fn pages_gained_lost_and_changed_are_listed_by_partner() {
        let old = manifest(
            &[
                ("a/index.html", "A"),
                ("a/x/index.html", "X"),
                ("b/index.html", "B"),
                ("a/s.css", "1"),
            ],
            &[("a/x/index.html", "a page for partners, every tier")],
        );
        let new = manifest(
            &[
                ("a/index.html", "A2"),
                ("b/index.html", "B"),
                ("b/y/index.html", "Y"),
                ("a/s.css", "2"),
            ],
            &[("b/y/index.html", "a page for partners of tiers gold")],
        );
        let diffs = compare(&old, &new, true);
        assert_eq!(
            diffs,
            vec![
                FolderDiff {
                    folder: "a".into(),
                    gained: vec![],
                    lost: vec![Page {
                        url: "/a/x/".into(),
                        rule: Some("a page for partners, every tier".into())
                    }],
                    changed: vec!["/a/".into()],
                },
                FolderDiff {
                    folder: "b".into(),
                    gained: vec![Page {
                        url: "/b/y/".into(),
                        rule: Some("a page for partners of tiers gold".into())
                    }],
                    lost: vec![],
                    changed: vec![],
                },
            ]
        );
        assert_eq!(
            diffs[0].headline(true),
            "partner a gains 0 pages, loses 1, 1 changed"
        );
    }

    #[test]
    fn only_index_files_are_pages() {
        assert_eq!(url_of("index.html").as_deref(), Some("/"));
        assert_eq!(url_of("a/b/index.html").as_deref(), Some("/a/b/"));
        assert_eq!(url_of("a/bindex.html"), None);
        assert_eq!(url_of("a/b.html"), None);
    }
}
