//! Dates as authors write them (`2026-05-01`, or an RFC 3339 time stamp of
//! which only the day counts) and as feeds print them.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serializer};
use time::Date;

/// A date as written: a TOML date, or a string in either format. Parsed
/// later, so that a bad one is reported with its key and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText(pub String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date such as 2026-05-01")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            // toml hands its native dates over as a one-entry map.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateText, A::Error> {
                let Some((_, value)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::custom("expected a date"));
                };
                Ok(DateText(value))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses `YYYY-MM-DD` or an RFC 3339 timestamp (keeping its date).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let day = text.get(..10)?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = Date::parse(day, &format).ok()?;
    if text.len() == 10 {
        return Some(date);
    }
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|_| date)
        .or_else(|| {
            // TOML local date-times (`2026-05-01T10:00:00`) carry no offset.
            let rest = &text[10..];
            (rest.starts_with('T') || rest.starts_with(' ')).then_some(date)
        })
}

/// The start of a day as an RFC 3339 time stamp (`2026-05-01T00:00:00Z`),
/// as Atom wants it.
pub fn rfc3339(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// Serializes an optional date as `YYYY-MM-DD` (or null), as templates see
/// dates: `#[serde(serialize_with = "values::date::serialize_opt")]`.
pub fn serialize_opt<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_timestamps_keep_their_day() {
        assert_eq!(parse_date("2026-05-01").unwrap().to_string(), "2026-05-01");
        assert_eq!(
            parse_date("2026-06-01T10:00:00Z").unwrap().to_string(),
            "2026-06-01"
        );
        assert_eq!(
            parse_date("2026-06-01T10:00:00").unwrap().to_string(),
            "2026-06-01"
        );
        assert_eq!(parse_date("May 1"), None);
        assert_eq!(parse_date("2026-02-30"), None);
    }

    #[test]
    fn atom_stamps_are_midnight_utc() {
        let d = parse_date("2026-05-01").unwrap();
        assert_eq!(rfc3339(d), "2026-05-01T00:00:00Z");
    }
}
