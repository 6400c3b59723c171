//! The write stage: an `Output` onto the disk, atomically, and only into a
//! folder partnersite may write. This is the only stage that writes.
//!
//! `open` (in `open`), before the output is rendered, does steps 1–4 and,
//! for a new folder, makes its staging folder, into which `Opened::put`
//! writes each view as it is finished; `Opened::finish` does step 5.
//! `write` does all of it at once for a finished output:
//! 1. refuses an `--out` that is, after resolving `..` and links, the site,
//!    above it, or at or inside one of its source folders (`place`);
//! 2. takes the lock beside the output, so that two builds never mix
//!    (`lock`); everything below happens while it is held;
//! 3. finishes or undoes what an interrupted run left (`replace`,
//!    `journal`), and says so in what it returns;
//! 4. refuses a folder partnersite did not write: only a missing folder, an
//!    empty one, or one holding partnersite's manifest (`manifest`) is
//!    written;
//! 5. writes a new folder as a staging folder beside it and moves it in,
//!    and updates an existing one in place through a commit journal
//!    (`update`), touching only the files its manifest lists.
//!
//! It never deletes or overwrites a file partnersite did not write, and
//! never writes through a symbolic link.

use std::path::Path;

use crate::output::Output;

mod disk;
mod error;
mod journal;
mod lock;
mod manifest;
mod names;
mod open;
mod outcome;
mod place;
mod previous;
mod replace;
mod scan;
mod update;

pub use error::WriteError;
pub use manifest::{Entry, FolderRecord, Manifest, Record, hex, sha256_hex};
pub use names::{JOURNAL, MANIFEST};
pub use open::{Opened, Putting, open};
pub use outcome::{Recovery, Updated, Written};
pub use previous::{KeptFolder, Previous};

/// Writes `output` to `out`, which must be missing, empty, or an output
/// partnersite wrote: a new folder is written beside and moved in, an
/// existing one is updated in place (only changed files are written, and
/// only files partnersite wrote are replaced or deleted).
pub fn write(out: &Path, root: &Path, output: &Output) -> Result<Written, WriteError> {
    write_recorded(out, root, output, &Record::default())
}

/// `write`, with what the manifest records besides the files.
pub fn write_recorded(
    out: &Path,
    root: &Path,
    output: &Output,
    record: &Record,
) -> Result<Written, WriteError> {
    // A path that cannot be written stops the write before anything,
    // even the output's parent folder, is made.
    open::check_paths(output, &[&record.kept])?;
    open(out, root)?.finish(output, record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn output(files: &[(&str, &str)]) -> Output {
        Output::of_text(files)
    }

    /// Every entry below `dir`, with each file's text.
    fn snapshot(dir: &Path) -> Vec<(String, Option<String>)> {
        let mut all: Vec<_> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read_to_string(e.path()).ok())
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn write_replaces_the_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = tmp.path().join("site");
        write(
            &out,
            &site,
            &output(&[("a/index.html", "A"), ("stale.txt", "x")]),
        )
        .unwrap();
        write(&out, &site, &output(&[("a/index.html", "B")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "B"
        );
        assert!(!out.join("stale.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn every_output_gets_a_manifest_of_what_was_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = output(&[("a/index.html", "A"), ("b.txt", "B")]);
        write(&out, tmp.path(), &site).unwrap();
        let manifest = Manifest::read(&out).unwrap().unwrap();
        assert_eq!(manifest, Manifest::of(&site, &Record::default()));
        assert_eq!(manifest.files["a/index.html"].bytes, 1);
        // Into an empty folder, in place: the same manifest.
        let empty = tmp.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        write(&empty, tmp.path(), &site).unwrap();
        assert_eq!(
            std::fs::read(empty.join(MANIFEST)).unwrap(),
            std::fs::read(out.join(MANIFEST)).unwrap()
        );
    }

    #[test]
    fn failed_write_keeps_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = tmp.path().join("site");
        write(&out, &site, &output(&[("index.html", "old")])).unwrap();
        // A file and a folder of the same name cannot both be written.
        let bad = output(&[("x", "file"), ("x/y", "under a file")]);
        assert!(write(&out, &site, &bad).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert!(!tmp.path().join(".public.partnersite-new").exists());
    }

    #[test]
    fn refuses_the_sites_source_folders() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content")).unwrap();
        std::fs::write(tmp.path().join("content/a.md"), "x").unwrap();
        for out in [
            "content",
            "content/public",
            "static",
            "data/x",
            "static/preview",
        ] {
            let r = write(&tmp.path().join(out), tmp.path(), &output(&[]));
            assert!(matches!(r, Err(WriteError::Unsafe { .. })), "{out}");
        }
        assert!(tmp.path().join("content/a.md").exists());
        assert!(!tmp.path().join("static").exists());
    }

    #[test]
    fn refuses_to_replace_the_site_root() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("site.toml"), "").unwrap();
        let r = write(tmp.path(), tmp.path(), &output(&[]));
        assert!(matches!(r, Err(WriteError::Unsafe { .. })));
        assert!(tmp.path().join("site.toml").exists());
    }

    #[test]
    fn a_folder_partnersite_did_not_write_is_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        std::fs::create_dir_all(home.join(".ssh")).unwrap();
        std::fs::write(home.join(".ssh/id_ed25519"), "key").unwrap();
        std::fs::create_dir_all(home.join("Documents")).unwrap();
        let before = snapshot(&home);
        let r = write(
            &home,
            &tmp.path().join("site"),
            &output(&[("index.html", "x")]),
        );
        assert!(matches!(r, Err(WriteError::Foreign { .. })), "{r:?}");
        assert_eq!(snapshot(&home), before);
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "left something beside"
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_out_that_is_a_link_is_refused_and_its_target_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("target");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("keep.txt"), "keep").unwrap();
        let link = tmp.path().join("public");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let r = write(
            &link,
            &tmp.path().join("site"),
            &output(&[("index.html", "x")]),
        );
        assert!(matches!(r, Err(WriteError::Symlink { .. })), "{r:?}");
        assert_eq!(
            snapshot(&target),
            vec![("keep.txt".into(), Some("keep".into()))]
        );
    }

    #[test]
    fn a_file_turning_into_a_folder_replaces_the_output_unless_that_loses_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = tmp.path().join("site");
        write(&out, &site, &output(&[("x", "file"), ("a.html", "A")])).unwrap();
        write(&out, &site, &output(&[("x/y", "nested"), ("a.html", "A")])).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("x/y")).unwrap(), "nested");
        assert_eq!(Manifest::read(&out).unwrap().unwrap().files.len(), 2);
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
        // With a file partnersite did not write: refused, nothing changed.
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let before = snapshot(&out);
        let r = write(&out, &site, &output(&[("x", "file again")]));
        assert!(
            matches!(&r, Err(WriteError::WouldLose { turned, sample, .. }) if turned == "x" && sample == "notes.txt"),
            "{r:?}"
        );
        assert_eq!(snapshot(&out), before);
    }

    #[test]
    fn an_output_file_may_not_take_partnersites_own_names() {
        let tmp = tempfile::tempdir().unwrap();
        for name in [MANIFEST, JOURNAL, "a/.x.partnersite-tmp"] {
            let r = write(&tmp.path().join("out"), tmp.path(), &output(&[(name, "x")]));
            assert!(matches!(r, Err(WriteError::Reserved(_))), "{name}: {r:?}");
        }
    }

    #[test]
    fn an_interrupted_commit_is_rolled_forward_and_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = tmp.path().join("site");
        let first = output(&[("a/index.html", "A"), ("gone.txt", "G")]);
        write(&out, &site, &first).unwrap();
        // As if a run wrote its temporary files and journal, then died.
        std::fs::write(out.join("a/.index.html.partnersite-tmp"), "A2").unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        std::fs::write(
            out.join(JOURNAL),
            "partnersite commit 1\nW a/index.html\nD gone.txt\nD notes.txt\n",
        )
        .unwrap();
        let written = write(&out, &site, &output(&[("a/index.html", "A3")])).unwrap();
        assert_eq!(
            written.recovered,
            vec![Recovery::CommitFinished {
                replaced: 1,
                deleted: 1
            }]
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A3"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine"
        );
        assert!(!out.join("gone.txt").exists());
        assert!(!out.join(JOURNAL).exists());
    }

    #[test]
    fn a_file_the_journal_moved_is_not_trusted_to_be_unchanged() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = output(&[("a.html", "AAAA")]);
        write(&out, tmp.path(), &site).unwrap();
        std::fs::write(out.join(".a.html.partnersite-tmp"), "ZZZZ").unwrap();
        std::fs::write(out.join(JOURNAL), "partnersite commit 1\nW a.html\n").unwrap();
        write(&out, tmp.path(), &site).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "AAAA");
    }

    /// The entries of `out`'s manifest under `folder/`.
    fn entries_under(out: &Path, folder: &str) -> BTreeMap<String, Entry> {
        let manifest = Manifest::read(out).unwrap().unwrap();
        let prefix = format!("{folder}/");
        (manifest.files.into_iter())
            .filter(|(p, _)| p.starts_with(&prefix))
            .collect()
    }

    #[test]
    fn kept_files_stay_as_they_are_and_must_not_have_changed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = tmp.path().join("site");
        let first = output(&[
            ("a/index.html", "A"),
            ("b/index.html", "B"),
            ("gone.txt", "G"),
        ]);
        write(&out, &site, &first).unwrap();
        let kept = entries_under(&out, "a");
        let record = Record {
            kept: kept.clone(),
            ..Record::default()
        };
        write_recorded(&out, &site, &output(&[("b/index.html", "B2")]), &record).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "B2"
        );
        assert!(!out.join("gone.txt").exists());
        assert_eq!(entries_under(&out, "a"), kept);
        // Changed after the build decided to keep it: refused, untouched.
        std::fs::write(out.join("a/index.html"), "Z").unwrap();
        disk::set_later(&out.join("a/index.html"), std::time::SystemTime::now());
        let before = snapshot(&out);
        let r = write_recorded(&out, &site, &output(&[("b/index.html", "B3")]), &record);
        assert!(matches!(r, Err(WriteError::KeptChanged { .. })), "{r:?}");
        assert_eq!(snapshot(&out), before);
        // A new folder has nothing to keep.
        let new = tmp.path().join("new");
        let r = write_recorded(&new, &site, &output(&[("b/index.html", "B")]), &record);
        assert!(matches!(r, Err(WriteError::KeptChanged { .. })), "{r:?}");
        assert!(!new.exists());
    }

    #[test]
    fn a_replace_as_a_whole_copies_the_kept_files_as_they_were_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = tmp.path().join("site");
        write(
            &out,
            &site,
            &output(&[("x", "file"), ("a/index.html", "A")]),
        )
        .unwrap();
        let record = Record {
            kept: entries_under(&out, "a"),
            ..Record::default()
        };
        write_recorded(&out, &site, &output(&[("x/y", "nested")]), &record).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A"
        );
        assert_eq!(std::fs::read_to_string(out.join("x/y")).unwrap(), "nested");
        assert_eq!(entries_under(&out, "a"), record.kept);
        // Bytes that are not what the earlier build wrote are never copied.
        std::fs::write(out.join("a/index.html"), "Z").unwrap();
        let before = snapshot(&out);
        let r = write_recorded(&out, &site, &output(&[("x", "file again")]), &record);
        assert!(matches!(r, Err(WriteError::KeptChanged { .. })), "{r:?}");
        assert_eq!(snapshot(&out), before);
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
