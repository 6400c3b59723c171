//! The shape of the source tree (docs/architecture.md), checked: no two
//! files import each other, directly or through others; the bottom layer
//! imports no other module; every file stays readable in one sitting.
//!
//! Imports are read as text: `use crate::…`, `use super::…` and paths
//! written inline (`crate::metrics::compute`). A file's module is its path
//! (`src/render/report.rs` is `render::report`); an import names the
//! deepest module file its path reaches.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The largest a file may grow, in lines.
const MAX_LINES: usize = 600;

/// Module path (`render::report`) → source text, for every file of `src/`.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("src/ is readable");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|l| l == "mod") {
            parts.pop();
        }
        if parts == ["lib"] || parts == ["main"] {
            parts = vec![String::new()];
        }
        let text = std::fs::read_to_string(path).unwrap();
        out.insert(parts.join("::"), text);
    }
    out
}

/// The source without comments, string literals and test modules: only
/// what the module's own code imports.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::new();
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut in_string = false;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '"' && prev != '\\' {
                in_string = !in_string;
            } else if !in_string {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// The modules `module` imports, by the paths its code names.
fn imports(module: &str, text: &str, all: &BTreeMap<String, String>) -> BTreeSet<String> {
    let code = code_of(text);
    let parent = module.rsplit_once("::").map_or("", |(p, _)| p).to_string();
    let mut found = BTreeSet::new();
    let mut paths: Vec<String> = Vec::new();
    // `use a::{b, c::{d}}` names several paths: expand one level of braces.
    for stmt in code.split(';') {
        let stmt = stmt.trim();
        let Some(rest) = stmt
            .strip_prefix("use ")
            .or_else(|| stmt.strip_prefix("pub use "))
            .or_else(|| stmt.strip_prefix("pub(crate) use "))
        else {
            continue;
        };
        let rest: String = rest.split_whitespace().collect();
        match rest.split_once("::{") {
            Some((head, tail)) => {
                for item in tail.trim_end_matches('}').split(',') {
                    let item = item.split("::{").next().unwrap_or(item);
                    paths.push(format!("{head}::{}", item.trim_matches(['{', '}'])));
                }
            }
            None => paths.push(rest),
        }
    }
    // Inline paths: `crate::a::b` anywhere in the code.
    for (i, _) in code.match_indices("crate::") {
        let tail: String = code[i..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        paths.push(tail);
    }
    for path in paths {
        let absolute = if let Some(rest) = path.strip_prefix("crate::") {
            rest.to_string()
        } else if let Some(rest) = path.strip_prefix("super::") {
            if parent.is_empty() {
                rest.to_string()
            } else {
                format!("{parent}::{rest}")
            }
        } else if let Some(rest) = path.strip_prefix("self::") {
            format!("{module}::{rest}")
        } else {
            // A child module of this one (`use kpi::Kpi` in metrics).
            let first = path.split("::").next().unwrap_or("");
            let child = if module.is_empty() {
                first.to_string()
            } else {
                format!("{module}::{first}")
            };
            if !all.contains_key(&child) {
                continue;
            }
            format!("{child}{}", &path[first.len()..])
        };
        // The deepest module that the path reaches.
        let parts: Vec<&str> = absolute.split("::").filter(|p| !p.is_empty()).collect();
        let target = (0..=parts.len())
            .rev()
            .map(|n| parts[..n].join("::"))
            .find(|m| all.contains_key(m));
        if let Some(target) = target.filter(|t| t != module && !t.is_empty()) {
            found.insert(target);
        }
    }
    found
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let all = modules();
    all.iter()
        .map(|(m, text)| (m.clone(), imports(m, text, &all)))
        .collect()
}

/// A cycle through `start`, if any.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut c = path[i..].to_vec();
            c.push(node.to_string());
            return Some(c);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, done, path) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|start| visit(start, graph, &mut done, &mut Vec::new()))
}

#[test]
fn no_two_modules_import_each_other() {
    let g = graph();
    assert!(g.len() > 40, "the source tree was not found: {g:?}");
    if let Some(c) = cycle(&g) {
        panic!("import circle: {}", c.join(" → "));
    }
}

#[test]
fn the_bottom_layer_imports_nothing_of_the_crate() {
    for (module, imports) in graph() {
        if module == "values" || module.starts_with("values::") {
            let outside: Vec<&String> = imports
                .iter()
                .filter(|m| !(*m == "values" || m.starts_with("values::")))
                .collect();
            assert!(outside.is_empty(), "{module} imports {outside:?}");
        }
    }
}

#[test]
fn stages_import_only_what_is_below_them() {
    // Load, compute, isolation, render, search, write: never upwards.
    let order = [
        "site",
        "metrics",
        "isolation",
        "render",
        "search",
        "write",
        "build",
    ];
    let rank = |m: &str| {
        order
            .iter()
            .position(|o| m == *o || m.starts_with(&format!("{o}::")))
    };
    for (module, imports) in graph() {
        let Some(r) = rank(&module) else { continue };
        for target in &imports {
            if let Some(t) = rank(target) {
                // `search` and `write` sit beside each other, both below build.
                let beside = (order[r], order[t]) == ("write", "search")
                    || (order[r], order[t]) == ("search", "write");
                assert!(
                    t <= r || beside,
                    "{module} (a lower stage) imports {target}"
                );
            }
        }
    }
}

#[test]
fn every_file_is_small_enough_to_read_in_one_sitting() {
    for (module, text) in modules() {
        let lines = text.lines().count();
        assert!(
            lines <= MAX_LINES,
            "{module} has {lines} lines (at most {MAX_LINES})"
        );
    }
}

#[test]
fn the_reader_sees_a_circle_when_there_is_one() {
    // The checks above cannot fail silently: a made-up pair is a circle.
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert!(cycle(&g).is_some());
    let all = BTreeMap::from([
        ("render".to_string(), String::new()),
        ("render::report".to_string(), String::new()),
        ("metrics".to_string(), String::new()),
    ]);
    let found = imports(
        "render::report",
        "use super::x;\nuse crate::metrics::{Kpi, Status};\n// use crate::nothing;\n",
        &all,
    );
    assert_eq!(
        found,
        BTreeSet::from(["render".to_string(), "metrics".to_string()])
    );
}
