// The default theme is compiled into the binary (include_dir!): rebuild
// whenever any of its files changes.
//
// PARTNERSITE_BUILD_ID names the code that renders: a hash of the sources
// of this crate and of the vendored Pagefind, the default theme and the
// locked dependency versions. A partner folder of an earlier output is
// kept without rendering it again only if the same code made it (see
// src/build/keep.rs), so a changed renderer never leaves stale folders.
use std::hash::{Hash, Hasher};
use std::path::Path;

const INPUTS: [&str; 6] = [
    "src",
    "vendor",
    "themes/cafe",
    "Cargo.toml",
    "Cargo.lock",
    "build.rs",
];

fn main() {
    // `DefaultHasher::new` has fixed keys: the same sources give the same
    // id on every machine with the same compiler.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for input in INPUTS {
        println!("cargo:rerun-if-changed={input}");
        add(Path::new(input), &mut hasher);
    }
    println!(
        "cargo:rustc-env=PARTNERSITE_BUILD_ID={:016x}",
        hasher.finish()
    );
}

/// Hashes every file under `path` (its path and bytes), in name order.
fn add(path: &Path, hasher: &mut impl Hasher) {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    path.to_string_lossy().hash(hasher);
    if meta.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        let mut names: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        names.sort();
        for name in names {
            if name.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            add(&name, hasher);
        }
    } else if let Ok(bytes) = std::fs::read(path) {
        bytes.hash(hasher);
    }
}
