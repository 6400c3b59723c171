//! A document's shortcodes, expanded for one reader before its markdown is
//! rendered: each call is the template `shortcodes/<name>.html` (HTML,
//! arguments escaped) or `.md` (markdown) of the site or the theme, run in
//! the sandbox. `only` blocks are cut for readers the isolation module
//! says may not see them, before anything of them is rendered; `kpi` gets
//! the reader's own number. Errors point at the call in the file.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::context::PartnerContext;
use super::shortcode_args::{kpi_value, only_label, only_rule, validate};
use crate::content::Document;
use crate::diagnostic::{Code, Diagnostic};
use crate::isolation::{Reader, only_shows};
use crate::markdown::{ALERT_KINDS, Alerts, LINK_SCHEMES, Link, unsafe_scheme};
use crate::metrics::PartnerReport;
use crate::shortcode::{self, BODY_MARKER, Call, Calls, Expanded, Outcome, Problem};
use crate::site::Site;
use crate::values::date;
use crate::values::escape::{html_attr, markdown_literal};

/// The arguments that are links: checked for their scheme, and made safe
/// to write into an attribute.
const LINK_ARGS: [&str; 3] = ["href", "src", "url"];

/// What every document's shortcodes are expanded with in one render.
pub(crate) struct Shortcodes<'a> {
    pub site: &'a Site,
    pub tera: &'a tera::Tera,
    /// Every document by its `content/` path: its URL in this output, or
    /// `None` where it is not part of it (as `@/` links resolve).
    pub links: &'a BTreeMap<String, Option<String>>,
}

/// Who a document is expanded for.
pub(crate) struct For<'a> {
    pub reader: Reader<'a>,
    /// `partner` of the templates: the copy's partner, or the placeholder.
    pub partner: &'a PartnerContext,
    /// The copy's partner's report, for `kpi` (none on the generic page).
    pub report: Option<&'a PartnerReport>,
}

/// A document's body with its shortcodes expanded for one reader.
pub(crate) struct Done<'b> {
    pub expanded: Expanded<'b>,
    /// How its GitHub alerts look: as the `callout` shortcode.
    pub alerts: Option<Alerts>,
    /// The `@/` links of shortcode arguments, at the argument in the body.
    pub links: Vec<Link>,
}

impl Shortcodes<'_> {
    /// Expands the shortcodes of `body`, the body of `doc`, for `who`.
    pub fn expand<'b>(
        &self,
        doc: &Document,
        body: &'b str,
        who: &For<'_>,
    ) -> Result<Done<'b>, Vec<Diagnostic>> {
        let located = |problems: Vec<Problem>| -> Vec<Diagnostic> {
            (problems.into_iter())
                .map(|p| {
                    let span = doc.body_offset + p.span.start..doc.body_offset + p.span.end;
                    Diagnostic::at(p.code, &doc.file, &doc.source(), span, p.message)
                })
                .collect()
        };
        let (mut nodes, mut problems) = shortcode::scan(body);
        let known = |name: &str| self.template(name).is_some();
        if doc.meta.cobrand {
            nodes = leave_to_tera(nodes, &known);
        }
        problems.extend(validate(&nodes, &known));
        if !problems.is_empty() {
            return Err(located(problems));
        }
        let mut eval = Eval {
            codes: self,
            doc,
            who,
            links: Vec::new(),
        };
        let expanded = shortcode::expand(body, &nodes, &mut eval).map_err(located)?;
        let alerts = if body.contains("[!") {
            Some(eval.alerts().map_err(|p| located(vec![p]))?)
        } else {
            None
        };
        Ok(Done {
            expanded,
            alerts: alerts.flatten(),
            links: eval.links,
        })
    }

    /// The template of shortcode `name`: HTML first, then markdown.
    fn template(&self, name: &str) -> Option<(String, bool)> {
        let templates = &self.site.theme.templates;
        let html = format!("shortcodes/{name}.html");
        if templates.contains_key(&html) {
            return Some((html, true));
        }
        let md = format!("shortcodes/{name}.md");
        templates.contains_key(&md).then_some((md, false))
    }
}

/// `page` as shortcodes see it: the front matter and URLs, no body.
#[derive(Serialize)]
struct PageVars<'a> {
    title: &'a str,
    description: &'a str,
    path: &'a str,
    url: String,
    permalink: String,
    #[serde(serialize_with = "date::serialize_opt")]
    date: Option<time::Date>,
    #[serde(serialize_with = "date::serialize_opt")]
    updated: Option<time::Date>,
    tags: &'a [String],
    tiers: &'a [crate::values::Tier],
    audience: crate::content::PageAudience,
    cobrand: bool,
    extra: &'a Map<String, Value>,
}

/// Evaluates the calls of one document for one reader.
struct Eval<'a, 'd> {
    codes: &'a Shortcodes<'a>,
    doc: &'d Document,
    who: &'a For<'a>,
    links: Vec<Link>,
}

impl Calls for Eval<'_, '_> {
    fn shows(&mut self, call: &Call) -> bool {
        if call.name != "only" {
            return true;
        }
        // Validated before: a rule that does not parse shows nothing.
        only_rule(call).is_ok_and(|rule| only_shows(self.who.reader, &rule))
    }

    fn render(&mut self, call: &Call, body: Option<&str>) -> Result<Outcome, Problem> {
        let (template, html) = self.codes.template(&call.name).ok_or_else(|| Problem {
            code: Code::UnknownShortcode,
            span: call.open.clone(),
            message: format!("unknown shortcode `{}`", call.name),
        })?;
        let mut vars = self.common(html)?;
        for arg in &call.args {
            let value = self.argument(arg)?;
            vars.insert(arg.name.clone(), value);
        }
        if let Some(body) = body {
            let shown = if html { BODY_MARKER } else { body };
            vars.insert("body".into(), Value::String(shown.to_string()));
        }
        vars.insert("inline".into(), Value::Bool(!call.alone));
        match call.name.as_str() {
            "only" => {
                let rule = only_rule(call)?;
                vars.insert("label".into(), Value::String(only_label(&rule)));
            }
            "kpi" => {
                let program = self.codes.site.data.program.as_ref();
                let kpi = kpi_value(call, self.who.report, program)?;
                vars.insert("kpi".into(), kpi);
            }
            _ => {}
        }
        let out = self.run(&template, vars).map_err(|message| Problem {
            code: Code::ShortcodeTemplate,
            span: call.open.clone(),
            message: format!("shortcode `{}`: {message}", call.name),
        })?;
        Ok(if html {
            Outcome::Html(out)
        } else {
            Outcome::Markdown(out)
        })
    }
}

impl Eval<'_, '_> {
    /// The variables every shortcode gets: `page`, `config`, `partner`, `view`.
    fn common(&self, html: bool) -> Result<Map<String, Value>, Problem> {
        let site = self.codes.site;
        let doc = self.doc;
        let meta = &doc.meta;
        let page = PageVars {
            title: &meta.title,
            description: &meta.description,
            path: &doc.path,
            url: site.config.url(&doc.path),
            permalink: site.config.permalink(&doc.path),
            date: meta.date,
            updated: meta.updated,
            tags: &meta.tags,
            tiers: &meta.tiers,
            audience: meta.audience,
            cobrand: meta.cobrand,
            extra: &meta.extra,
        };
        // In markdown, data is text, never markup (as in co-branded pages).
        let partner = if html {
            self.who.partner.clone()
        } else {
            literal(self.who.partner)
        };
        let to_value = |v: serde_json::Result<Value>| {
            v.map_err(|e| Problem {
                code: Code::ShortcodeTemplate,
                span: 0..0,
                message: format!("cannot build the shortcode context: {e}"),
            })
        };
        let mut vars = Map::new();
        vars.insert("page".into(), to_value(serde_json::to_value(page))?);
        vars.insert(
            "config".into(),
            to_value(serde_json::to_value(&site.config))?,
        );
        vars.insert("partner".into(), to_value(serde_json::to_value(partner))?);
        vars.insert("view".into(), Value::String(self.who.reader.name().into()));
        Ok(vars)
    }

    /// An argument as the template gets it: an `@/` path resolved to its
    /// URL in this output ("" where the page is not part of it); a link
    /// (`href`, `src`, `url`) checked for its scheme and escaped for an
    /// attribute.
    fn argument(&mut self, arg: &shortcode::Arg) -> Result<Value, Problem> {
        let Value::String(text) = &arg.value else {
            return Ok(arg.value.clone());
        };
        let problem = |code: Code, message: String| Problem {
            code,
            span: arg.span.clone(),
            message,
        };
        if let Some(target) = text.strip_prefix("@/") {
            let (file, fragment) = target
                .split_once('#')
                .map_or((target, None), |(f, x)| (f, Some(x)));
            return match self.codes.links.get(file) {
                None => Err(problem(
                    Code::BrokenLink,
                    format!(
                        "broken internal link `{text}` in argument `{}`: {}",
                        arg.name,
                        crate::markdown::missing_target(file)
                    ),
                )),
                Some(None) => Ok(Value::String(String::new())),
                Some(Some(url)) => {
                    let url = fragment.map_or_else(|| url.clone(), |f| format!("{url}#{f}"));
                    self.links.push(Link {
                        url: url.clone(),
                        span: arg.span.clone(),
                    });
                    Ok(Value::String(html_attr(&url)))
                }
            };
        }
        if !LINK_ARGS.contains(&arg.name.as_str()) {
            return Ok(arg.value.clone());
        }
        if let Some(scheme) = unsafe_scheme(text, LINK_SCHEMES) {
            return Err(problem(
                Code::UnsafeLink,
                format!(
                    "unsafe link `{text}` in argument `{}`: `{scheme}:` links are not allowed; use an http, https, mailto, tel or relative link",
                    arg.name
                ),
            ));
        }
        // Safe in an attribute as it is: templates write it with `| safe`.
        Ok(Value::String(html_attr(text)))
    }

    /// Runs a shortcode template with `vars`; the error as text.
    fn run(&self, template: &str, vars: Map<String, Value>) -> Result<String, String> {
        let ctx = tera::Context::from_value(Value::Object(vars)).map_err(|e| e.to_string())?;
        crate::theme::sandbox::render(self.codes.tera, template, &ctx).map_err(|e| {
            crate::theme::error_chain(&e).replace(&format!("Failed to render '{template}': "), "")
        })
    }

    /// GitHub alerts laid out as the `callout` shortcode lays out a block
    /// of each kind (`None` if there is no HTML `callout`).
    fn alerts(&self) -> Result<Option<Alerts>, Problem> {
        let Some((template, true)) = self.codes.template("callout") else {
            return Ok(None);
        };
        let mut alerts = Alerts::default();
        for (i, kind) in ALERT_KINDS.into_iter().enumerate() {
            let mut vars = self.common(true)?;
            vars.insert("kind".into(), Value::String(kind.into()));
            vars.insert("body".into(), Value::String(BODY_MARKER.into()));
            vars.insert("inline".into(), Value::Bool(false));
            let out = self.run(&template, vars).map_err(|message| Problem {
                code: Code::ShortcodeTemplate,
                span: 0..0,
                message: format!(
                    "shortcode `callout`, laying out a `> [!{}]` alert: {message}",
                    kind.to_uppercase()
                ),
            })?;
            let (open, close) = out.split_once(BODY_MARKER).unwrap_or((&out, ""));
            alerts.open[i] = format!("{open}\n");
            alerts.close[i] = close.to_string();
        }
        Ok(Some(alerts))
    }
}

/// The functions of Tera that a co-branded page's Tera may call (the
/// sandbox refuses some of them, saying why).
const TERA_FUNCTIONS: [&str; 5] = ["range", "throw", "get_env", "now", "get_random"];

/// `nodes` without the inline calls of Tera's functions that are not
/// shortcodes: in a co-branded page, they are its Tera, left as text.
fn leave_to_tera(
    nodes: Vec<shortcode::Node>,
    known: &dyn Fn(&str) -> bool,
) -> Vec<shortcode::Node> {
    (nodes.into_iter())
        .filter_map(|node| match node {
            shortcode::Node::Call(call)
                if call.body.is_none()
                    && TERA_FUNCTIONS.contains(&call.name.as_str())
                    && !known(&call.name) =>
            {
                None
            }
            shortcode::Node::Call(mut call) => {
                if let Some(body) = &mut call.body {
                    body.nodes = leave_to_tera(std::mem::take(&mut body.nodes), known);
                }
                Some(shortcode::Node::Call(call))
            }
            escaped => Some(escaped),
        })
        .collect()
}

/// A partner with its text fields as markdown literals.
fn literal(partner: &PartnerContext) -> PartnerContext {
    let mut p = partner.clone();
    for field in [&mut p.name, &mut p.segment, &mut p.tier_name] {
        *field = markdown_literal(field);
    }
    p.website = p.website.as_deref().map(markdown_literal);
    p
}
