//! Numbers for people: money (`$1.87M`), rates (`56.7%`), scores, counts,
//! hours, multiples and changes. "No data" is always shown as such, never
//! as 0.

use serde::Serialize;

/// How a number is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// USD: `$1.87M`.
    Money,
    /// A share from 0 to 1: `56.7%`.
    Rate,
    /// A score from 0 to 10: `8.9`.
    Score,
    /// A whole number of things: `21`.
    Count,
    /// Hours: `612 h`.
    Hours,
    /// A multiple, such as a return on investment: `3.1×`.
    Multiple,
    /// Signed points, such as a net promoter score: `+25`.
    Points,
}

/// The text shown for a missing value.
pub const NO_DATA: &str = "no data";

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `$1.87M`, `$540K`, `$9.5K`, `$950`.
pub fn money(v: f64) -> String {
    let a = v.abs();
    let body = if a >= 1e9 {
        format!("{}B", trim(format!("{:.2}", a / 1e9)))
    } else if a >= 999_500.0 {
        format!("{}M", trim(format!("{:.2}", a / 1e6)))
    } else if a >= 100_000.0 {
        format!("{:.0}K", a / 1e3)
    } else if a >= 1_000.0 {
        format!("{}K", trim(format!("{:.1}", a / 1e3)))
    } else {
        trim(format!("{a:.2}"))
    };
    // Nothing is shown as −$0.
    let sign = if v < 0.0 && body != "0" { "−" } else { "" };
    format!("{sign}${body}")
}

/// `$1,870,000` or `$1,870,000.50`: to the cent, for titles and tables.
pub fn money_exact(v: f64) -> String {
    let cents = (v.abs() * 100.0).round() as u128;
    let sign = if v < 0.0 && cents > 0 { "−" } else { "" };
    let (whole, frac) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac == 0 {
        format!("{sign}${grouped}")
    } else {
        format!("{sign}${grouped}.{frac:02}")
    }
}

/// `56.7%` (one decimal, trimmed).
pub fn rate(v: f64) -> String {
    format!("{}%", trim(format!("{:.1}", v * 100.0)))
}

/// A value of a unit, or "no data".
pub fn value(v: Option<f64>, unit: Unit) -> String {
    match v {
        None => NO_DATA.to_string(),
        Some(v) => match unit {
            Unit::Money => money(v),
            Unit::Rate => rate(v),
            Unit::Score => format!("{v:.1}"),
            Unit::Count => trim(format!("{v:.1}")),
            Unit::Hours => format!("{} h", trim(format!("{v:.1}"))),
            Unit::Multiple => format!("{v:.1}×"),
            Unit::Points => format!("{v:+.0}"),
        },
    }
}

/// The change from `before` to `now`: `+$20K`, `−3.2 pp`, `+0.2`, or `—`.
pub fn change(now: Option<f64>, before: Option<f64>, unit: Unit) -> String {
    let (Some(a), Some(b)) = (now, before) else {
        return "—".to_string();
    };
    let d = a - b;
    let sign = if d > 0.0 {
        "+"
    } else if d < 0.0 {
        "−"
    } else {
        "±"
    };
    let m = d.abs();
    match unit {
        Unit::Money => format!("{sign}{}", money(m)),
        Unit::Rate => format!("{sign}{} pp", trim(format!("{:.1}", m * 100.0))),
        Unit::Score | Unit::Multiple => format!("{sign}{m:.1}"),
        Unit::Count | Unit::Points => format!("{sign}{}", trim(format!("{m:.1}"))),
        Unit::Hours => format!("{sign}{} h", trim(format!("{m:.1}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_for_people() {
        assert_eq!(money(1_870_000.0), "$1.87M");
        assert_eq!(money(2_000_000.0), "$2M");
        assert_eq!(money(540_000.0), "$540K");
        assert_eq!(money(9_500.0), "$9.5K");
        assert_eq!(money(950.0), "$950");
        assert_eq!(money(999_999.0), "$1M");
        assert_eq!(money(-20_000.0), "−$20K");
        assert_eq!(money(0.0), "$0");
    }

    #[test]
    fn money_exact_to_the_cent() {
        assert_eq!(money_exact(1_870_000.0), "$1,870,000");
        assert_eq!(money_exact(1234.5), "$1,234.50");
        assert_eq!(money_exact(999.0), "$999");
    }

    #[test]
    fn rates_and_missing_values() {
        assert_eq!(rate(0.5666), "56.7%");
        assert_eq!(rate(0.5), "50%");
        assert_eq!(value(None, Unit::Rate), "no data");
        assert_eq!(value(Some(0.0), Unit::Money), "$0");
        assert_eq!(value(Some(612.0), Unit::Hours), "612 h");
        assert_eq!(value(Some(21.0), Unit::Count), "21");
        assert_eq!(value(Some(3.06), Unit::Multiple), "3.1×");
        assert_eq!(value(Some(25.0), Unit::Points), "+25");
        assert_eq!(value(Some(-25.0), Unit::Points), "-25");
    }

    #[test]
    fn changes_have_signs_and_units() {
        assert_eq!(change(Some(0.6), Some(0.55), Unit::Rate), "+5 pp");
        assert_eq!(change(Some(100.0), Some(120.0), Unit::Money), "−$20");
        assert_eq!(change(Some(8.0), Some(8.0), Unit::Score), "±0.0");
        assert_eq!(change(None, Some(1.0), Unit::Score), "—");
    }
}
