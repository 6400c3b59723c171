//! Templates that would render forever: a template that includes itself
//! (directly or through others), or a macro that calls itself whatever its
//! arguments. Tera follows both until the stack overflows and the process
//! aborts, so they are found here, before rendering, from Tera's syntax tree.
//!
//! Only unconditional steps count: an include or a call inside `{% if %}`
//! or `{% for %}` may stop, so it is never reported (no false alarms).

use std::collections::BTreeMap;

use tera::ast::{Expr, ExprVal, Node};

/// A step of rendering: a template, or a macro of a template file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Template(String),
    Macro(String, String),
}

impl Step {
    fn file(&self) -> &str {
        match self {
            Step::Template(f) | Step::Macro(f, _) => f,
        }
    }

    fn name(&self) -> String {
        match self {
            Step::Template(f) => f.clone(),
            Step::Macro(f, m) => format!("{f}::{m}"),
        }
    }
}

/// The first cycle found: the template file to blame and a message.
pub fn find(tera: &tera::Tera) -> Option<(String, String)> {
    let mut edges: BTreeMap<Step, Vec<Step>> = BTreeMap::new();
    for (file, template) in &tera.templates {
        let imports: BTreeMap<&str, &str> = template
            .imported_macro_files
            .iter()
            .map(|(f, ns)| (ns.as_str(), f.as_str()))
            .collect();
        let resolve = |ns: &str| -> Option<String> {
            if ns == "self" {
                Some(file.clone())
            } else {
                imports.get(ns).map(|f| f.to_string())
            }
        };
        let mut next = Vec::new();
        if let Some(parent) = &template.parent {
            next.push(Step::Template(parent.clone()));
        }
        walk(&template.ast, tera, &resolve, &mut next);
        edges.insert(Step::Template(file.clone()), next);
        for (name, def) in &template.macros {
            let mut next = Vec::new();
            walk(&def.body, tera, &resolve, &mut next);
            edges.insert(Step::Macro(file.clone(), name.clone()), next);
        }
    }
    let mut done = BTreeMap::new();
    for start in edges.keys() {
        let mut path = Vec::new();
        if let Some(cycle) = visit(start, &edges, &mut done, &mut path) {
            let shown: Vec<String> = cycle.iter().map(Step::name).collect();
            let message = match &cycle[0] {
                Step::Template(f) => format!(
                    "`{f}` includes itself ({}), so rendering it would never end: remove the include, or put it under an {{% if %}} that stops",
                    shown.join(" → ")
                ),
                Step::Macro(_, m) => format!(
                    "macro `{m}` calls itself whatever its arguments ({}), so rendering it would never end: make the call depend on an {{% if %}} that stops",
                    shown.join(" → ")
                ),
            };
            return Some((cycle[0].file().to_string(), message));
        }
    }
    None
}

/// Depth-first search; `done` marks steps whose every path was explored.
fn visit(
    step: &Step,
    edges: &BTreeMap<Step, Vec<Step>>,
    done: &mut BTreeMap<Step, ()>,
    path: &mut Vec<Step>,
) -> Option<Vec<Step>> {
    if let Some(i) = path.iter().position(|s| s == step) {
        let mut cycle = path[i..].to_vec();
        cycle.push(step.clone());
        return Some(cycle);
    }
    if done.contains_key(step) {
        return None;
    }
    path.push(step.clone());
    for next in edges.get(step).into_iter().flatten() {
        if let Some(cycle) = visit(next, edges, done, path) {
            return Some(cycle);
        }
    }
    path.pop();
    done.insert(step.clone(), ());
    None
}

/// Collects the includes and macro calls that `nodes` always make.
fn walk(
    nodes: &[Node],
    tera: &tera::Tera,
    resolve: &dyn Fn(&str) -> Option<String>,
    out: &mut Vec<Step>,
) {
    for node in nodes {
        match node {
            Node::Include(_, names, _) => {
                if let Some(name) = names.iter().find(|n| tera.templates.contains_key(*n)) {
                    out.push(Step::Template(name.clone()));
                }
            }
            Node::VariableBlock(_, e) => calls(e, resolve, out),
            Node::Set(_, set) => calls(&set.value, resolve, out),
            Node::Block(_, block, _) => walk(&block.body, tera, resolve, out),
            Node::FilterSection(_, section, _) => walk(&section.body, tera, resolve, out),
            // `if` and `for` bodies may not run: never counted.
            _ => {}
        }
    }
}

/// The macro calls an expression always makes.
fn calls(e: &Expr, resolve: &dyn Fn(&str) -> Option<String>, out: &mut Vec<Step>) {
    match &e.val {
        ExprVal::MacroCall(call) => {
            if let Some(file) = resolve(&call.namespace) {
                out.push(Step::Macro(file, call.name.clone()));
            }
            call.args.values().for_each(|a| calls(a, resolve, out));
        }
        ExprVal::FunctionCall(f) => f.args.values().for_each(|a| calls(a, resolve, out)),
        ExprVal::Math(m) => {
            calls(&m.lhs, resolve, out);
            calls(&m.rhs, resolve, out);
        }
        // `a and b`: b may not be evaluated.
        ExprVal::Logic(l) => calls(&l.lhs, resolve, out),
        ExprVal::Array(items) => items.iter().for_each(|a| calls(a, resolve, out)),
        ExprVal::In(i) => {
            calls(&i.lhs, resolve, out);
            calls(&i.rhs, resolve, out);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(templates: &[(&str, &str)]) -> tera::Tera {
        let mut t = tera::Tera::default();
        t.add_raw_templates(templates.to_vec()).unwrap();
        t
    }

    #[test]
    fn a_template_including_itself_is_found() {
        let found = find(&tera(&[("page.html", "a {% include \"page.html\" %}")])).unwrap();
        assert_eq!(found.0, "page.html");
        assert!(found.1.contains("page.html → page.html"), "{}", found.1);
    }

    #[test]
    fn an_include_cycle_through_a_parent_is_found() {
        let t = tera(&[
            (
                "base.html",
                "{% block main %}{% endblock main %}{% include \"page.html\" %}",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block main %}x{% endblock main %}",
            ),
        ]);
        assert!(find(&t).is_some());
    }

    #[test]
    fn unconditional_macro_recursion_is_found() {
        let t = tera(&[
            (
                "m.html",
                "{% macro f(n) %}{{ self::f(n=n+1) }}{% endmacro f %}",
            ),
            ("page.html", "{% import \"m.html\" as m %}{{ m::f(n=1) }}"),
        ]);
        let found = find(&t).unwrap();
        assert!(found.1.contains("macro `f`"), "{}", found.1);
    }

    #[test]
    fn recursion_under_a_condition_is_allowed() {
        let t = tera(&[
            (
                "m.html",
                "{% macro toc(items) %}{% for i in items %}{{ self::toc(items=i.children) }}{% endfor %}{% endmacro toc %}",
            ),
            (
                "page.html",
                "{% if x %}{% include \"page.html\" %}{% endif %}",
            ),
        ]);
        assert_eq!(find(&t), None);
    }
}
