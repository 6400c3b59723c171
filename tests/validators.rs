//! Every HTML file the bundled site builds, for the internal, public and
//! partners audiences, passes the Nu Html Checker with no error (DESIGN.md
//! §6). The checker is `vnu-jar`, pinned in `tests/validators/` and installed
//! by `.ci/run`; it runs once per output over all of its files. Without Java
//! or the jar the tests fail, saying how to install them, unless
//! `PARTNERSITE_SKIP_VALIDATORS=1` is set.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::validators;
use support::{REPO, run_binary};

/// The jar inside the npm package.
const VNU_JAR: &str = "vnu-jar/build/dist/vnu.jar";

/// Builds the bundled site for `audience` into a temporary folder and checks
/// every HTML file of it.
fn assert_valid_html(audience: &str) {
    if validators::skipped() {
        return;
    }
    let jar = validators::installed(VNU_JAR);
    let java = Command::new("java").arg("-version").output();
    assert!(
        java.is_ok_and(|o| o.status.success()),
        "`java` does not run: the Nu Html Checker needs Java 11 or later; `.ci/run` installs it \
         (openjdk-17-jre-headless), or set {}=1 to skip these checks",
        validators::SKIP_VAR
    );

    let dir = tempfile::Builder::new()
        .prefix("partnersite-vnu-")
        .tempdir()
        .expect("create a temporary folder");
    let out = dir.path().join("out");
    let args: Vec<String> = ["build", "--root", REPO, "--audience", audience, "--out"]
        .iter()
        .map(|s| s.to_string())
        .chain([out.display().to_string()])
        .collect();
    let run = run_binary(&args, dir.path(), &[dir.path()]);
    assert_eq!(run.status, Some(0), "the build failed\n{run}");

    let files = html_files(&out);
    assert!(
        files.len() >= 10,
        "only {} HTML files in the {audience} output",
        files.len()
    );
    // Every kind of page a partner's folder has is among them: its what's
    // new page and email, and its reports of earlier quarters.
    if audience != "public" {
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        for kind in [
            "/whats-new/index.html",
            "/whats-new-email.html",
            "/2026-Q1/index.html",
        ] {
            assert!(
                names.iter().any(|n| n.ends_with(kind)),
                "no {kind} in the {audience} output"
            );
        }
    }
    let checked = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .args(&files)
        .output()
        .expect("run the Nu Html Checker");
    // The report goes to stderr; the exit status only says whether it holds
    // errors, so the report is what counts.
    let report = String::from_utf8_lossy(&checked.stderr);
    let findings = findings(&report, &out)
        .unwrap_or_else(|| panic!("the Nu Html Checker printed no JSON report:\n{report}"));
    assert!(
        findings.is_empty(),
        "the Nu Html Checker found {} error(s) in {} HTML files of the {audience} output:\n{}",
        findings.len(),
        files.len(),
        findings.join("\n")
    );
    assert!(
        checked.status.success(),
        "the Nu Html Checker failed without reporting an error:\n{report}"
    );
    println!(
        "Nu Html Checker: no error in {} HTML files of the {audience} output",
        files.len()
    );
}

/// Every `.html` file below `dir`, sorted.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = support::tree(dir)
        .into_keys()
        .filter(|rel| rel.ends_with(".html"))
        .map(|rel| dir.join(rel))
        .collect();
    files.sort();
    files
}

/// The messages of a `--format json` report as `path:line:col: message`
/// lines (path relative to `out`), or `None` if `report` holds no report.
fn findings(report: &str, out: &Path) -> Option<Vec<String>> {
    let start = report.find('{')?;
    let json: Value = serde_json::from_str(report[start..].trim()).ok()?;
    let messages = json["messages"].as_array()?;
    let out_url = format!("file:{}/", out.display());
    Some(
        messages
            .iter()
            .map(|m| {
                let url = m["url"].as_str().unwrap_or("?");
                let file = url
                    .strip_prefix(&out_url)
                    .or_else(|| url.strip_prefix("file:"))
                    .unwrap_or(url);
                let at = |key: &str| m[key].as_u64().map_or("?".into(), |n| n.to_string());
                format!(
                    "{file}:{}:{}: {} {}\n    {}",
                    at("lastLine"),
                    at("firstColumn"),
                    m["type"].as_str().unwrap_or("?"),
                    m["message"].as_str().unwrap_or("?"),
                    m["extract"].as_str().unwrap_or("").replace('\n', " ")
                )
            })
            .collect(),
    )
}

#[test]
fn the_internal_output_passes_the_nu_html_checker() {
    assert_valid_html("internal");
}

#[test]
fn the_public_output_passes_the_nu_html_checker() {
    assert_valid_html("public");
}

#[test]
fn every_partner_output_passes_the_nu_html_checker() {
    assert_valid_html("partners");
}
