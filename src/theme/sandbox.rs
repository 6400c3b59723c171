//! The sandbox every template runs in — the theme's, the site's and the
//! Tera in co-branded markdown: nothing outside the site can be read, and
//! a template that would run away stops with an error instead of taking
//! the process down.
//!
//! - `get_env`, `now` and `get_random` are replaced by functions that fail
//!   with a message saying why: builds never depend on the environment,
//!   the clock or chance (a CI secret in an environment variable must never
//!   reach a partner's folder).
//! - `range` lists at most `MAX_RANGE` numbers.
//! - A call to a guard function is written into the source at the start of
//!   every macro, block and loop body and before every include. Each call
//!   counts a step of the render and checks the thread's remaining stack
//!   and the memory the process has allocated since the render began; past
//!   a limit, the render fails naming the limit. Tera itself has none:
//!   recursion overflows the stack (an abort), a huge loop never ends, and
//!   a string doubled in a loop exhausts memory.

use std::cell::Cell;
use std::collections::HashMap;

use tera::{Tera, Value};

/// The most numbers `range` lists.
pub const MAX_RANGE: usize = 100_000;
/// The most steps (macro calls, loop turns, blocks, includes) one render
/// may take: a listing of 10,000 pages with a few loops each takes well
/// under a million.
pub const MAX_STEPS: u64 = 5_000_000;
/// The stack a render must leave free; a render that needs more recursed
/// too deep.
const MIN_STACK: usize = 1024 * 1024;
/// How much more memory the process may hold while one render runs.
pub const MAX_GROWTH: usize = 1 << 30;

/// The name of the guard function written into templates.
const GUARD: &str = "__partnersite_guard";

thread_local! {
    /// Steps taken by the render running on this thread, and the memory
    /// allocated when it began.
    static RENDER: Cell<(u64, usize)> = const { Cell::new((0, 0)) };
}

/// Which sandbox rule a Tera error chain reports, if any: reading outside
/// the site, or a limit.
pub fn failure(message: &str) -> Option<crate::diagnostic::Code> {
    use crate::diagnostic::Code;
    let outside = ["templates cannot read", "templates cannot use random"];
    let limits = [
        "`range` would list",
        "steps (loops, macro calls, includes)",
        "the template recursed too deep",
        "the template produced too much output",
    ];
    if outside.iter().any(|m| message.contains(m)) {
        Some(Code::TemplateOutside)
    } else if limits.iter().any(|m| message.contains(m)) {
        Some(Code::TemplateLimit)
    } else {
        None
    }
}

/// Registers the sandbox's functions (after Tera's own, replacing them).
pub fn install(tera: &mut Tera) {
    tera.register_function("get_env", |_: &HashMap<String, Value>| {
        Err(tera::Error::msg(
            "templates cannot read environment variables (`get_env`): builds must not depend on where they run; put the value in site.toml under [extra] and use config.extra",
        ))
    });
    tera.register_function("now", |_: &HashMap<String, Value>| {
        Err(tera::Error::msg(
            "templates cannot read the clock (`now`): the same input must give the same output; use a date from the front matter or page.updated",
        ))
    });
    tera.register_function("get_random", |_: &HashMap<String, Value>| {
        Err(tera::Error::msg(
            "templates cannot use random numbers (`get_random`): the same input must give the same output",
        ))
    });
    tera.register_function("range", range);
    tera.register_function(GUARD, guard);
}

/// Renders `name` with the step and memory counters started afresh.
pub fn render(tera: &Tera, name: &str, ctx: &tera::Context) -> tera::Result<String> {
    RENDER.with(|r| r.set((0, crate::memory::allocated())));
    tera.render(name, ctx)
}

/// `range` as Tera's, refusing to list more than `MAX_RANGE` numbers.
fn range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let number = |key: &str, default: Option<u64>| -> tera::Result<u64> {
        match args.get(key) {
            Some(v) => v
                .as_u64()
                .ok_or_else(|| format!("`range`: `{key}` must be a whole number, not {v}").into()),
            None => default.ok_or_else(|| "`range` needs an `end`".into()),
        }
    };
    let (start, end, step) = (
        number("start", Some(0))?,
        number("end", None)?,
        number("step_by", Some(1))?,
    );
    if step == 0 {
        return Err("`range`: `step_by` cannot be 0".into());
    }
    if start > end {
        return Err(format!("`range`: start ({start}) is after end ({end})").into());
    }
    let count = (end - start).div_ceil(step);
    if count > MAX_RANGE as u64 {
        return Err(format!(
            "`range` would list {count} numbers, more than the {MAX_RANGE} a template may: loop over your data instead"
        )
        .into());
    }
    let list: Vec<Value> = (start..end)
        .step_by(step as usize)
        .map(Value::from)
        .collect();
    Ok(Value::Array(list))
}

/// One step of a render: fails past the limits, else renders nothing.
fn guard(_: &HashMap<String, Value>) -> tera::Result<Value> {
    let (steps, start) = RENDER.with(|r| {
        let (steps, start) = r.get();
        r.set((steps + 1, start));
        (steps + 1, start)
    });
    if steps > MAX_STEPS {
        return Err(tera::Error::msg(format!(
            "the template ran more than {MAX_STEPS} steps (loops, macro calls, includes): it loops too long"
        )));
    }
    if stacker::remaining_stack().is_some_and(|left| left < MIN_STACK) {
        return Err(tera::Error::msg(
            "the template recursed too deep (a macro or include that calls itself): stop the recursion sooner",
        ));
    }
    let grown = crate::memory::allocated().saturating_sub(start);
    if grown > MAX_GROWTH {
        return Err(tera::Error::msg(format!(
            "the template produced too much output (over {} MiB while rendering one page)",
            MAX_GROWTH >> 20
        )));
    }
    Ok(Value::String(String::new()))
}

/// `source` with a guard call at the start of every macro, block and loop
/// body and before every include. Nothing moves to another line, so
/// errors keep their line numbers; `{% raw %}` blocks and comments are
/// left alone.
pub fn guarded(source: &str) -> String {
    let call = format!("{{{{ {GUARD}() }}}}");
    let mut out = String::with_capacity(source.len() + 64);
    let mut rest = source;
    let mut raw = false;
    while let Some(open) = rest.find("{%").into_iter().chain(rest.find("{#")).min() {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        if rest.starts_with("{#") {
            let end = rest.find("#}").map_or(rest.len(), |i| i + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let Some(close) = rest.find("%}") else {
            break;
        };
        let tag = &rest[..close + 2];
        let word = tag
            .trim_start_matches("{%")
            .trim_start_matches('-')
            .split_whitespace()
            .next()
            .unwrap_or("");
        match word {
            "raw" => raw = true,
            "endraw" => raw = false,
            _ => {}
        }
        if !raw && word == "include" {
            out.push_str(&call);
        }
        out.push_str(tag);
        if !raw && matches!(word, "macro" | "block" | "for") {
            out.push_str(&call);
        }
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(templates: &[(&str, &str)]) -> Tera {
        let mut t = Tera::default();
        let guarded: Vec<(String, String)> = templates
            .iter()
            .map(|(n, s)| (n.to_string(), guarded(s)))
            .collect();
        t.add_raw_templates(guarded).unwrap();
        install(&mut t);
        t
    }

    fn run(t: &Tera, name: &str) -> Result<String, String> {
        render(t, name, &tera::Context::new()).map_err(|e| crate::theme::error_chain(&e))
    }

    #[test]
    fn guard_calls_go_where_a_render_can_loop_or_recurse() {
        let s = guarded(
            "{% macro f(n) %}x{% endmacro f %}{% for i in a %}{{ i }}{% endfor %}{% include \"b\" %}",
        );
        assert_eq!(s.matches(GUARD).count(), 3, "{s}");
        assert!(s.contains("{% macro f(n) %}{{ __partnersite_guard() }}x"));
        let raw = guarded("{% raw %}{% for x in y %}{% endraw %}{# {% for %} #}");
        assert!(!raw.contains(GUARD), "{raw}");
        assert_eq!(
            guarded("a\n{% for x in y %}\nb"),
            "a\n{% for x in y %}{{ __partnersite_guard() }}\nb"
        );
    }

    #[test]
    fn the_environment_the_clock_and_chance_are_refused() {
        // SAFETY-free: the variable is only read, never set, by this test.
        let t = tera(&[
            ("env", "{{ get_env(name=\"PATH\") }}"),
            ("now", "{{ now() }}"),
            ("random", "{{ get_random(end=9) }}"),
        ]);
        assert!(
            run(&t, "env")
                .unwrap_err()
                .contains("environment variables")
        );
        assert!(run(&t, "now").unwrap_err().contains("clock"));
        assert!(run(&t, "random").unwrap_err().contains("random"));
    }

    #[test]
    fn range_is_bounded_and_still_works() {
        let t = tera(&[
            (
                "small",
                "{% for i in range(start=1, end=7, step_by=2) %}{{ i }}{% endfor %}",
            ),
            (
                "huge",
                "{% for i in range(end=200000000) %}{{ i }}{% endfor %}",
            ),
        ]);
        assert_eq!(run(&t, "small").unwrap(), "135");
        assert!(
            run(&t, "huge")
                .unwrap_err()
                .contains("more than the 100000")
        );
    }

    #[test]
    fn a_loop_that_runs_too_long_stops() {
        let t = tera(&[(
            "loops",
            "{% for a in range(end=1000) %}{% for b in range(end=1000) %}{% for c in range(end=100) %}{% endfor %}{% endfor %}{% endfor %}",
        )]);
        assert!(run(&t, "loops").unwrap_err().contains("loops too long"));
    }

    #[test]
    fn recursion_that_would_overflow_the_stack_stops() {
        let t = tera(&[
            (
                "m",
                "{% macro down(n) %}{% if n > 0 %}{{ self::down(n=n - 1) }}{% endif %}{% endmacro down %}",
            ),
            ("deep", "{% import \"m\" as m %}{{ m::down(n=1000000) }}"),
            ("shallow", "{% import \"m\" as m %}[{{ m::down(n=20) }}]"),
        ]);
        assert_eq!(run(&t, "shallow").unwrap(), "[]");
        // On a thread with a small stack, as rayon's are.
        let err = std::thread::Builder::new()
            .stack_size(8 * 1024 * 1024)
            .spawn(move || run(&t, "deep"))
            .unwrap()
            .join()
            .unwrap()
            .unwrap_err();
        assert!(err.contains("recursed too deep"), "{err}");
    }
}
