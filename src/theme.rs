//! Themes: the templates and static files a site is rendered with.
//!
//! `load` gathers them from `themes/<name>/` or, for `cafe`, from the copy
//! compiled into the binary, then lets the site's own `templates/` and
//! `static/` override files of the same name. `Theme::tera` compiles the
//! templates. Only `load` reads the disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::config::{self, Config};
use crate::diagnostic::{Code, Diagnostic};

pub(crate) mod cycles;
pub mod sandbox;

/// The default theme, compiled in.
static CAFE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/cafe");

/// The name of the theme that is compiled into the binary.
pub const BUILT_IN: &str = "cafe";

/// One template's source and where it came from (for diagnostics).
#[derive(Debug, Clone)]
pub struct Template {
    pub source: String,
    /// Relative to the site root, or `<built-in cafe>/templates/x.html`.
    pub origin: PathBuf,
}

/// A theme merged with the site's overrides.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (`page.html`, `partials/x.html`) → source.
    pub templates: BTreeMap<String, Template>,
    /// Output path (`css/site.css`) → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// The templates compiled, once per loaded theme (`serve` renders with
    /// one theme many times).
    compiled: std::sync::OnceLock<Result<tera::Tera, Vec<Diagnostic>>>,
    /// Whether some template reaches fields by names it does not spell out
    /// (`reads_any_field`), once per loaded theme: every render asks.
    reads_any_field: std::sync::OnceLock<bool>,
}

/// Loads the theme named in the config and the site's overrides.
/// Symbolic links are never read: each one is a warning in `warnings`.
pub fn load(
    root: &Path,
    config: &Config,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = Theme::default();
    let mut diagnostics = Vec::new();
    let dir = root.join("themes").join(&config.theme);
    if crate::source::is_link(&dir) {
        diagnostics.push(crate::source::skipped_link(
            &Path::new("themes").join(&config.theme),
        ));
    }
    if dir.is_dir() && !crate::source::is_link(&dir) {
        let base = PathBuf::from("themes").join(&config.theme);
        for (name, origin, bytes) in read_tree(root, &base.join("templates"), &mut diagnostics) {
            add_template(&mut theme, name, origin, bytes, &mut diagnostics);
        }
        read_static(root, &base.join("static"), &mut theme, &mut diagnostics);
    } else if config.theme == BUILT_IN {
        for (name, file) in embedded(&CAFE, "templates") {
            let origin = PathBuf::from(format!("<built-in cafe>/templates/{name}"));
            let source = String::from_utf8_lossy(file).into_owned();
            theme.templates.insert(name, Template { source, origin });
        }
        for (name, file) in embedded(&CAFE, "static") {
            theme.static_files.insert(name, file.to_vec());
        }
    } else {
        let source = std::fs::read_to_string(root.join(config::FILE)).unwrap_or_default();
        let span = crate::source::key_span(&source, "theme");
        return Err(vec![Diagnostic::at(
            Code::ThemeNotFound,
            config::FILE,
            &source,
            span,
            format!(
                "theme `{}` not found: there is no themes/{}/ folder and the only built-in theme is `{BUILT_IN}`",
                config.theme, config.theme
            ),
        )]);
    }
    // The site's own files win over the theme's.
    for (name, origin, bytes) in read_tree(root, Path::new("templates"), &mut diagnostics) {
        add_template(&mut theme, name, origin, bytes, &mut diagnostics);
    }
    add_always_there(&mut theme);
    read_static(root, Path::new("static"), &mut theme, &mut diagnostics);
    let (mut warned, errors): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diagnostics.into_iter().partition(|d| !d.is_error());
    warnings.append(&mut warned);
    if errors.is_empty() {
        Ok(theme)
    } else {
        Err(errors)
    }
}

/// The templates every site has, whatever its theme: what neither the
/// theme nor the site has comes from the built-in cafe (the redirect page
/// of an alias, the built-in shortcodes).
const ALWAYS_THERE: [&str; 5] = [
    "redirect.html",
    "shortcodes/only.html",
    "shortcodes/callout.html",
    "shortcodes/kpi.html",
    "shortcodes/button.html",
];

fn add_always_there(theme: &mut Theme) {
    for name in ALWAYS_THERE {
        let as_markdown = name.replace(".html", ".md");
        if theme.templates.contains_key(name) || theme.templates.contains_key(&as_markdown) {
            continue;
        }
        let Some(file) = CAFE.get_file(format!("templates/{name}")) else {
            continue;
        };
        let source = String::from_utf8_lossy(file.contents()).into_owned();
        let origin = PathBuf::from(format!("<built-in cafe>/templates/{name}"));
        theme
            .templates
            .insert(name.to_string(), Template { source, origin });
    }
}

fn add_template(
    theme: &mut Theme,
    name: String,
    origin: PathBuf,
    bytes: Vec<u8>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match String::from_utf8(bytes) {
        Ok(source) => {
            theme.templates.insert(name, Template { source, origin });
        }
        Err(_) => diagnostics.push(Diagnostic::new(
            Code::TemplateNotUtf8,
            origin,
            "template is not valid UTF-8: save it as UTF-8",
        )),
    }
}

fn read_static(root: &Path, rel: &Path, theme: &mut Theme, diagnostics: &mut Vec<Diagnostic>) {
    for (name, _, bytes) in read_tree(root, rel, diagnostics) {
        theme.static_files.insert(name, bytes);
    }
}

/// Every file below `root/rel` as (name, origin, bytes), sorted by name.
fn read_tree(
    root: &Path,
    rel: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let dir = root.join(rel);
    if crate::source::is_link(&dir) {
        diagnostics.push(crate::source::skipped_link(rel));
        return files;
    }
    if !dir.is_dir() {
        return files;
    }
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(Diagnostic::new(
                    Code::CannotRead,
                    rel,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let inner = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        if entry.path_is_symlink() {
            diagnostics.push(crate::source::skipped_link(&rel.join(inner)));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if inner
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let name = inner.to_string_lossy().replace('\\', "/");
        let origin = rel.join(inner);
        match std::fs::read(entry.path()) {
            Ok(bytes) => files.push((name, origin, bytes)),
            Err(e) => diagnostics.push(Diagnostic::new(
                Code::CannotRead,
                origin,
                format!("cannot read: {e}"),
            )),
        }
    }
    files
}

/// Files of an embedded folder, as (name relative to `sub`, bytes), sorted.
fn embedded(dir: &'static Dir<'static>, sub: &str) -> Vec<(String, &'static [u8])> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
        for file in dir.files() {
            out.push((
                file.path().to_string_lossy().replace('\\', "/"),
                file.contents(),
            ));
        }
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    let mut out = Vec::new();
    if let Some(d) = dir.get_dir(sub) {
        walk(d, &mut out);
    }
    let prefix = format!("{sub}/");
    let mut out: Vec<_> = out
        .into_iter()
        .map(|(p, b)| (p.strip_prefix(&prefix).unwrap_or(&p).to_string(), b))
        .collect();
    out.sort();
    out
}

/// Whether a template reaches fields of a value by names it does not
/// spell out: `json_encode` or `__tera_context` show them all, the `get`
/// filter and a subscript by a variable (`page[name]`) take a name that
/// may be computed, a `for key, value in` loop walks them.
fn reads_any_field(source: &str) -> bool {
    let get_filter = source.match_indices("get").any(|(at, _)| {
        let after = source[at + 3..].trim_start();
        let before = source[..at].trim_end();
        after.starts_with('(') && before.ends_with('|')
    });
    let key_value_loop = source.split("{%").skip(1).any(|tag| {
        let tag = tag.split("%}").next().unwrap_or("");
        let tag = tag.trim_start_matches('-').trim_start();
        tag.strip_prefix("for")
            .filter(|rest| rest.starts_with(char::is_whitespace))
            .and_then(|rest| rest.split(" in ").next())
            .is_some_and(|names| names.contains(','))
    });
    source.contains("json_encode")
        || source.contains("__tera_context")
        || get_filter
        || key_value_loop
        || subscript_by_variable(source)
}

/// Whether a tag of the template (`{{ }}` or `{% %}`) subscripts a value
/// with anything but a literal (`page[name]`, not `page["title"]` or
/// `pages[0]`).
fn subscript_by_variable(source: &str) -> bool {
    let tags = ["{{", "{%"].into_iter().flat_map(|open| {
        let close = if open == "{{" { "}}" } else { "%}" };
        source
            .split(open)
            .skip(1)
            .map(move |tag| tag.split(close).next().unwrap_or(""))
    });
    tags.into_iter().any(|tag| {
        tag.match_indices('[').any(|(at, _)| {
            let inside = tag[at + 1..].trim_start();
            !inside.starts_with(['"', '\'', '`', ']'])
                && !inside.starts_with(|c: char| c.is_ascii_digit())
        })
    })
}

impl Theme {
    /// Whether some template's source holds `text` (a function's name, say).
    pub fn mentions(&self, text: &str) -> bool {
        self.templates.values().any(|t| t.source.contains(text))
    }

    /// Whether some template may show `field` of a page's summary: one
    /// names it, or one reaches values by names it does not spell out (the
    /// `get` filter, a key–value loop, `json_encode`, `__tera_context`),
    /// which could show any field.
    pub fn may_show(&self, field: &str) -> bool {
        let any = self
            .reads_any_field
            .get_or_init(|| (self.templates.values()).any(|t| reads_any_field(&t.source)));
        *any || self.mentions(field)
    }

    /// Compiles every template; a syntax error names the template file.
    pub fn tera(&self) -> Result<tera::Tera, Vec<Diagnostic>> {
        self.compiled.get_or_init(|| self.compile()).clone()
    }

    fn compile(&self) -> Result<tera::Tera, Vec<Diagnostic>> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml", ".svg"]);
        let sources: Vec<(&str, String)> = self
            .templates
            .iter()
            .map(|(name, t)| (name.as_str(), sandbox::guarded(&t.source)))
            .collect();
        if let Err(e) = tera.add_raw_templates(sources) {
            return Err(vec![self.template_error(&e, None)]);
        }
        sandbox::install(&mut tera);
        // Tera would recurse until the stack overflows and the process aborts.
        if let Some((name, message)) = cycles::find(&tera) {
            let origin = self.templates.get(&name).map_or_else(
                || PathBuf::from("templates").join(&name),
                |t| t.origin.clone(),
            );
            return Err(vec![Diagnostic::new(Code::TemplateCycle, origin, message)]);
        }
        Ok(tera)
    }

    /// A diagnostic for a Tera error, naming the template (and the page).
    pub fn template_error(&self, e: &tera::Error, page: Option<&str>) -> Diagnostic {
        let message = error_chain(e);
        let template = self
            .templates
            .iter()
            .find(|(name, _)| message.contains(&format!("'{name}'")))
            .map(|(_, t)| t.origin.clone());
        let path = template.unwrap_or_else(|| PathBuf::from("templates"));
        let code = match page {
            None => Code::TemplateSyntax,
            Some(_) => sandbox_code(&message).unwrap_or(Code::TemplateRender),
        };
        let message = match page {
            Some(p) => format!("{message} (while rendering {p})"),
            None => message,
        };
        let text = self.templates.values().find(|t| t.origin == path);
        match (line_of(&message), text) {
            (Some((line, _)), Some(t)) => {
                Diagnostic::new(code, path, message).at_line(&t.source, line)
            }
            (None, Some(t)) => match variable_span(&message, &t.source) {
                Some(span) => Diagnostic::new(code, path, message).located(&t.source, span),
                None => Diagnostic::new(code, path, message),
            },
            _ => Diagnostic::new(code, path, message),
        }
    }
}

/// The code of a failure the template sandbox caused, if `message` (a
/// Tera error chain) reports one.
pub fn sandbox_code(message: &str) -> Option<Code> {
    sandbox::failure(message)
}

/// Tera nests the useful message in its error's sources.
pub fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts
        .iter()
        .map(|p| p.trim().replace('\n', " "))
        .collect::<Vec<_>>()
        .join(": ")
}

/// Tera's parse errors say `--> 3:5`.
/// Where the template uses the variable that Tera reports missing
/// ("Variable `page.subtitle` not found in context …"; Tera gives no line
/// for errors while rendering): its first use inside `{{ }}` or `{% %}`.
fn variable_span(message: &str, source: &str) -> Option<std::ops::Range<usize>> {
    let rest = &message[message.find("Variable `")? + "Variable `".len()..];
    let name = &rest[..rest.find('`')?];
    source
        .match_indices(name)
        .map(|(at, _)| at)
        .find(|&at| {
            // Inside a tag: the last opening before it is after the last closing.
            let before = &source[..at];
            let open = before.rfind("{{").max(before.rfind("{%"));
            let close = before.rfind("}}").max(before.rfind("%}"));
            open.is_some() && open > close
        })
        .map(|at| at..at + name.len())
}

fn line_of(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("--> ")? + 4..];
    let (line, rest) = rest.split_once(':')?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_variable_is_found_in_a_tag_not_in_text() {
        let source = "page.subtitle\n<p>{{ page.title }}</p>\n<p>{{ page.subtitle }}</p>";
        let message = "Variable `page.subtitle` not found in context while rendering 'page.html'";
        let span = variable_span(message, source).expect("found");
        assert_eq!(&source[span.clone()], "page.subtitle");
        assert_eq!(span.start, source.rfind("page.subtitle").unwrap());
        assert_eq!(variable_span("Variable `nope` not found", source), None);
        assert_eq!(variable_span("something else", source), None);
    }

    #[test]
    fn fields_reached_by_names_not_spelled_out_may_be_any_field() {
        for source in [
            "{{ page | json_encode() }}",
            "{{ __tera_context }}",
            "{{ page | get(key=name) }}",
            "{{ page|get (key=\"word\" ~ \"_count\") }}",
            "{% for key, value in page %}{{ value }}{% endfor %}",
            "{%- for k,v in page -%}{% endfor %}",
            "{% set f = \"word\" ~ \"_count\" %}{{ page[f] }}",
            "{{ page[ name ] }}",
            "{% if p[field] %}x{% endif %}",
        ] {
            assert!(reads_any_field(source), "{source}");
        }
        for source in [
            "{% for p in pages %}{{ p.title }}{% endfor %}",
            "{{ get_page(path=\"a.md\").title }}",
            "{# for layout, tables #}<p>for a, b in c</p>",
            "{{ get_url(path=\"x\") }}",
            "{{ page[\"title\"] }} {{ pages[0].title }} {{ p['url'] }}",
            "<style>a[href] { color: red }</style>{{ x }}",
        ] {
            assert!(!reads_any_field(source), "{source}");
        }
    }

    #[test]
    fn built_in_theme_has_the_core_templates() {
        let names: Vec<String> = embedded(&CAFE, "templates")
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        for t in [
            "base.html",
            "page.html",
            "section.html",
            "index.html",
            "404.html",
        ] {
            assert!(names.iter().any(|n| n == t), "{t} missing from {names:?}");
        }
    }

    #[test]
    fn syntax_error_names_the_template_and_line() {
        let mut theme = Theme::default();
        theme.templates.insert(
            "page.html".into(),
            Template {
                source: "a\n{{ x \n".into(),
                origin: "templates/page.html".into(),
            },
        );
        let d = &theme.tera().unwrap_err()[0];
        assert_eq!(d.path, PathBuf::from("templates/page.html"));
        assert!(d.line.is_some(), "{d:?}");
    }
}
