use serde_json::json;

use super::*;

fn calls(body: &str) -> Vec<Call> {
    let (nodes, problems) = scan(body);
    assert!(problems.is_empty(), "{problems:?}");
    nodes
        .into_iter()
        .filter_map(|n| match n {
            Node::Call(c) => Some(c),
            Node::Escaped { .. } => None,
        })
        .collect()
}

fn problems(body: &str) -> Vec<(String, String)> {
    scan(body)
        .1
        .into_iter()
        .map(|p| (body[p.span.clone()].to_string(), p.message))
        .collect()
}

#[test]
fn finds_inline_and_block_calls_with_their_arguments() {
    let body = "A {{ kpi(key=\"win_rate\") }} b.\n\n{% callout(kind='tip', n=3, x=-1.5, on=true, tiers=[1, 2]) %}\nBody {{ button(href=`@/a.md`, text=\"Go\") }}\n{% end %}\n";
    let c = calls(body);
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].name, "kpi");
    assert_eq!(c[0].arg("key").unwrap().value, json!("win_rate"));
    assert!(!c[0].alone);
    assert_eq!(&body[c[0].span.clone()], "{{ kpi(key=\"win_rate\") }}");
    let callout = &c[1];
    assert!(callout.alone);
    let args: Vec<_> = callout.args.iter().map(|a| a.value.clone()).collect();
    assert_eq!(
        args,
        [
            json!("tip"),
            json!(3),
            json!(-1.5),
            json!(true),
            json!([1, 2])
        ]
    );
    let body_nodes = &callout.body.as_ref().unwrap().nodes;
    assert!(matches!(&body_nodes[0], Node::Call(b) if b.name == "button"));
    assert!(body[callout.span.clone()].ends_with("{% end %}"));
}

#[test]
fn code_is_never_scanned() {
    let body = "`{{ kpi(key=\"x\") }}`\n\n```\n{% only(tiers=[1]) %}\n```\n\n    {{ button() }}\n\n~~~\n{{ x() }}\n~~~\n";
    assert!(calls(body).is_empty());
    // A code span inside a block's body is skipped, the block is not.
    let c = calls("{% callout() %}\nUse `{{ kpi() }}` here.\n{% end %}\n");
    assert_eq!(c.len(), 1);
    assert!(c[0].body.as_ref().unwrap().nodes.is_empty());
}

#[test]
fn tera_expressions_and_tags_are_text() {
    assert!(calls("{{ partner.name }} {% if partner.tier == 1 %}x{% endif %} {{ a }}").is_empty());
}

#[test]
fn escaped_calls_are_written_as_they_are() {
    let (nodes, problems) = scan("See {{/* kpi(key=\"x\") */}} and {%/* end */%}.");
    assert!(problems.is_empty());
    let texts: Vec<_> = nodes
        .iter()
        .map(|n| match n {
            Node::Escaped { text, .. } => text.clone(),
            Node::Call(_) => panic!("a call"),
        })
        .collect();
    assert_eq!(texts, ["{{ kpi(key=\"x\") }}", "{% end %}"]);
}

#[test]
fn syntax_problems_point_at_the_culprit() {
    let p = problems("x {{ kpi(key=\"a\" }}");
    assert_eq!(p[0].0, "}");
    assert!(p[0].1.contains("expected `,` or `)`"), "{p:?}");
    let p = problems("{{ kpi(key) }}");
    assert!(p[0].1.contains("expected `=` after `key`"), "{p:?}");
    let p = problems("{{ kpi(key=nope) }}");
    assert_eq!(p[0].0, "n");
    let p = problems("{{ kpi(key=\"a) }}");
    assert!(p[0].1.contains("no closing"), "{p:?}");
    let p = problems("{{ kpi(a=1, a=2) }}");
    assert!(p[0].1.contains("given twice"), "{p:?}");
    let p = problems("{% callout() %}\nno end\n");
    assert_eq!(p[0].0, "{% callout() %}");
    assert!(p[0].1.contains("not closed"));
    let p = problems("text\n{% end %}\n");
    assert_eq!(p[0].0, "{% end %}");
    let p = problems("{{ kpi() %}");
    assert!(p[0].1.contains("expected `}}`"), "{p:?}");
}

#[test]
fn a_call_in_a_list_item_or_quote_is_alone_with_its_indentation() {
    let c = calls("1. {% callout() %}\n   Body\n   {% end %}\n");
    assert!(c[0].alone);
    assert_eq!(c[0].indent, "   ");
    let c = calls("> {{ button() }}\n");
    assert!(c[0].alone);
    assert_eq!(c[0].indent, "> ");
    let c = calls("Text {% only(tiers=[1]) %}x{% end %}\n");
    assert!(!c[0].alone);
}

/// Every `.html` call rendered as `<x>` + body + `</x>`, `only` cut and
/// `md` calls as markdown.
struct Test;

impl Calls for Test {
    fn shows(&mut self, c: &Call) -> bool {
        c.name != "only"
    }

    fn render(&mut self, c: &Call, inner: Option<&str>) -> Result<Outcome, Problem> {
        Ok(match c.name.as_str() {
            "md" => Outcome::Markdown(format!("*{}*", inner.unwrap_or("md"))),
            "twice" => Outcome::Html(format!("{BODY_MARKER}{BODY_MARKER}")),
            name => Outcome::Html(match inner {
                Some(_) => format!("<{name}>{BODY_MARKER}</{name}>"),
                None => format!("<{name}/>"),
            }),
        })
    }
}

fn expanded(body: &str) -> Expanded<'_> {
    let (nodes, problems) = scan(body);
    assert!(problems.is_empty(), "{problems:?}");
    expand(body, &nodes, &mut Test).expect("expands")
}

#[test]
fn blocks_become_fragments_around_markdown_and_map_back() {
    let body = "Intro.\n{% box() %}\nInside [a](@/x.md).\n{% end %}\nOutro {{ kpi() }}.\n";
    let e = expanded(body);
    assert_eq!(e.fragments, ["<box>", "</box>", "<kpi/>"]);
    let text = &e.text;
    let (p0, p1, p2) = (placeholder(0), placeholder(1), placeholder(2));
    assert_eq!(
        text.as_ref(),
        format!("Intro.\n\n{p0}\n\nInside [a](@/x.md).\n\n{p1}\n\nOutro {p2}.\n")
    );
    // The link maps back to the body, byte for byte.
    let at = text.find("[a]").unwrap();
    let span = e.map.span(at..at + 3);
    assert_eq!(&body[span], "[a]");
    // A fragment maps to its call.
    let at = text.find(&p2).unwrap();
    assert_eq!(&body[e.map.span(at..at + p2.len())], "{{ kpi() }}");
}

#[test]
fn cut_calls_leave_nothing_and_md_calls_get_their_body() {
    let e = expanded("A\n\n{% only(tiers=[1]) %}\nSecret\n{% end %}\n\nB {% md() %}x{% end %}\n");
    assert!(!e.text.contains("Secret"), "{}", e.text);
    assert!(e.text.contains("B *x*"), "{}", e.text);
    // Nothing to expand: the body itself.
    let e = expanded("no shortcodes here");
    assert!(matches!(e.text, std::borrow::Cow::Borrowed(_)));
}

#[test]
fn placeholders_cannot_be_forged() {
    let forged = format!("x {} y", placeholder(0));
    let e = expanded(&forged);
    assert!(!e.text.contains('\u{e000}'));
    let with_call = format!("{forged} {{{{ kpi() }}}}");
    let e = expanded(&with_call);
    assert_eq!(e.text.matches('\u{e000}').count(), 1);
}

#[test]
fn a_template_that_shows_its_body_twice_is_a_problem() {
    let body = "{% twice() %}\nx\n{% end %}\n";
    let (nodes, _) = scan(body);
    let err = expand(body, &nodes, &mut Test).unwrap_err();
    assert!(err[0].message.contains("more than once"));
}
