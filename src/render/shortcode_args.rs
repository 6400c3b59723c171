//! The arguments of the built-in shortcodes, checked where they are
//! written, for every reader alike: `only(tiers=…, audience=…)` and
//! `kpi(key=…)`; and what those two hand their templates (the label of an
//! `only` block, a KPI's finished value and status).

use serde_json::{Value, json};

use crate::content::PageAudience;
use crate::data::Program;
use crate::diagnostic::Code;
use crate::isolation::{OnlyRule, kpi_in_copy};
use crate::metrics::{Better, Kpi, PartnerReport, Status};
use crate::shortcode::{Call, Node, Problem};
use crate::values::Tier;
use crate::values::number::value as shown;

/// Every problem of the calls in `nodes` that does not depend on who
/// reads: unknown shortcodes (`exists` says which are known) and bad
/// arguments of the built-in ones.
pub(crate) fn validate(nodes: &[Node], exists: &dyn Fn(&str) -> bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    for node in nodes {
        let Node::Call(call) = node else { continue };
        if !exists(&call.name) {
            problems.push(Problem {
                code: Code::UnknownShortcode,
                span: call.open.clone(),
                message: format!(
                    "unknown shortcode `{}`: there is no templates/shortcodes/{}.html (or .md) in the site or the theme",
                    call.name, call.name
                ),
            });
        }
        let checked = match call.name.as_str() {
            "only" if call.body.is_none() => Err(Problem {
                code: Code::ShortcodeArgument,
                span: call.open.clone(),
                message:
                    "`only` needs a body: write `{% only(tiers=[1]) %}`, the text, then `{% end %}`"
                        .into(),
            }),
            "only" => only_rule(call).map(|_| ()),
            "kpi" => kpi_of(call).map(|_| ()),
            _ => Ok(()),
        };
        problems.extend(checked.err());
        if let Some(body) = &call.body {
            problems.extend(validate(&body.nodes, exists));
        }
    }
    problems
}

/// The rule of an `only` call: `tiers=[1, 2]`, `audience="internal"`, or both.
pub(crate) fn only_rule(call: &Call) -> Result<OnlyRule, Problem> {
    let at = |arg: &crate::shortcode::Arg, message: String| Problem {
        code: Code::ShortcodeArgument,
        span: arg.span.clone(),
        message,
    };
    if let Some(other) = call
        .args
        .iter()
        .find(|a| !["tiers", "audience"].contains(&a.name.as_str()))
    {
        return Err(at(
            other,
            format!("`only` takes `tiers` and `audience`, not `{}`", other.name),
        ));
    }
    let mut rule = OnlyRule {
        audience: PageAudience::Partners,
        tiers: Vec::new(),
    };
    if let Some(arg) = call.arg("audience") {
        rule.audience = match arg.value.as_str() {
            Some("public") => PageAudience::Public,
            Some("partners") => PageAudience::Partners,
            Some("internal") => PageAudience::Internal,
            _ => {
                return Err(at(
                    arg,
                    format!(
                        "unknown audience {}: use \"public\", \"partners\" or \"internal\"",
                        arg.value
                    ),
                ));
            }
        };
    }
    if let Some(arg) = call.arg("tiers") {
        let list = arg.value.as_array().map(Vec::as_slice).unwrap_or_default();
        for v in list {
            match v.as_i64().and_then(Tier::new) {
                Some(t) => rule.tiers.push(t),
                None => {
                    return Err(at(
                        arg,
                        format!("tier {v} does not exist: tiers are 1, 2 and 3"),
                    ));
                }
            }
        }
        if list.is_empty() {
            return Err(at(
                arg,
                "`tiers` is a list of tiers, like tiers=[1, 2]".into(),
            ));
        }
        rule.tiers.sort_unstable();
        rule.tiers.dedup();
    }
    if call.args.is_empty() {
        return Err(Problem {
            code: Code::ShortcodeArgument,
            span: call.open.clone(),
            message: "`only` needs `tiers` (like tiers=[1, 2]) or `audience` (like audience=\"internal\")".into(),
        });
    }
    Ok(rule)
}

/// What the internal view shows above an `only` block: who may read it.
pub(crate) fn only_label(rule: &OnlyRule) -> String {
    if rule.audience == PageAudience::Internal {
        return "Internal only".into();
    }
    let Some(&last) = rule.tiers.last() else {
        return match rule.audience {
            PageAudience::Public => "Everyone".into(),
            _ => "Partners only".into(),
        };
    };
    let numbers: Vec<u8> = rule.tiers.iter().map(|t| t.number()).collect();
    let consecutive = numbers.windows(2).all(|w| w[1] == w[0] + 1);
    let tiers = match numbers.as_slice() {
        [one] => one.to_string(),
        [first, .., _] if consecutive => format!("{first}–{}", last.number()),
        [rest @ .., _] => {
            let rest: Vec<String> = rest.iter().map(u8::to_string).collect();
            format!("{} and {}", rest.join(", "), last.number())
        }
        [] => String::new(),
    };
    format!("Tier {tiers} partners only")
}

/// The KPI a `kpi` call names: known, and one a co-branded copy may show.
fn kpi_of(call: &Call) -> Result<Kpi, Problem> {
    let Some(arg) = call.arg("key") else {
        return Err(Problem {
            code: Code::ShortcodeArgument,
            span: call.open.clone(),
            message: "`kpi` needs `key`, like kpi(key=\"deal_registration_rate\")".into(),
        });
    };
    let key = arg.value.as_str().unwrap_or_default();
    let Some(kpi) = Kpi::from_key(key) else {
        let known: Vec<&str> = (Kpi::ALL.iter())
            .filter(|k| kpi_in_copy(**k))
            .map(|k| k.key())
            .collect();
        return Err(Problem {
            code: Code::ShortcodeArgument,
            span: arg.span.clone(),
            message: format!("unknown KPI {}: use one of {}", arg.value, known.join(", ")),
        });
    };
    if !kpi_in_copy(kpi) {
        return Err(Problem {
            code: Code::ShortcodeArgument,
            span: arg.span.clone(),
            message: format!(
                "`{key}` is internal only: with a few partners it would reveal the others' revenue, so no co-branded page may show it"
            ),
        });
    }
    Ok(kpi)
}

/// `kpi` of a `kpi` call: the report's value and status, formatted as the
/// report shows them; "—" without a report (the generic page).
pub(crate) fn kpi_value(
    call: &Call,
    report: Option<&PartnerReport>,
    program: Option<&Program>,
) -> Result<Value, Problem> {
    let kpi = kpi_of(call)?;
    let target = kpi.goal().and_then(|(_, better)| {
        let t = kpi.target(&program?.targets)?;
        let sign = if better == Better::Lower {
            "≤"
        } else {
            "≥"
        };
        Some(format!("{sign} {}", shown(Some(t), kpi.unit())))
    });
    let Some(report) = report else {
        return Ok(json!({
            "key": kpi.key(), "label": kpi.label(), "value": "—",
            "status": null, "status_label": null, "target": target,
        }));
    };
    let status = report.status.get(kpi);
    Ok(json!({
        "key": kpi.key(),
        "label": kpi.label(),
        "value": shown(report.kpis.get(kpi), kpi.unit()),
        "status": status.map(Status::key),
        "status_label": status.map(Status::label),
        "target": target,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_say_who_may_read() {
        let rule = |tiers: &[i64], audience| OnlyRule {
            audience,
            tiers: tiers.iter().map(|&t| Tier::new(t).unwrap()).collect(),
        };
        assert_eq!(
            only_label(&rule(&[1, 2], PageAudience::Partners)),
            "Tier 1–2 partners only"
        );
        assert_eq!(
            only_label(&rule(&[1], PageAudience::Partners)),
            "Tier 1 partners only"
        );
        assert_eq!(
            only_label(&rule(&[1, 3], PageAudience::Partners)),
            "Tier 1 and 3 partners only"
        );
        assert_eq!(
            only_label(&rule(&[], PageAudience::Internal)),
            "Internal only"
        );
        assert_eq!(
            only_label(&rule(&[], PageAudience::Partners)),
            "Partners only"
        );
    }
}
