//! `Quarter`: a calendar quarter such as `2026-Q2`, with the arithmetic the
//! metrics need (Q−4, trailing twelve months, end dates).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    /// 1 to 4.
    q: u8,
}

impl Quarter {
    /// A quarter; `None` unless `q` is 1–4 and the year is 1–9999.
    pub fn new(year: i32, q: u8) -> Option<Quarter> {
        ((1..=4).contains(&q) && (1..=9999).contains(&year)).then_some(Quarter { year, q })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u8 {
        self.q
    }

    /// The quarter `n` quarters earlier (`minus(4)` is the same quarter a year earlier).
    pub fn minus(self, n: u32) -> Quarter {
        self.offset(-(n as i64))
    }

    /// The quarter `n` quarters later.
    pub fn plus(self, n: u32) -> Quarter {
        self.offset(n as i64)
    }

    fn offset(self, n: i64) -> Quarter {
        let index = self.year as i64 * 4 + (self.q as i64 - 1) + n;
        Quarter {
            year: index.div_euclid(4) as i32,
            q: (index.rem_euclid(4) + 1) as u8,
        }
    }

    /// The four quarters ending at this one, oldest first (trailing twelve months).
    pub fn ttm(self) -> [Quarter; 4] {
        [self.minus(3), self.minus(2), self.minus(1), self]
    }

    /// The quarters of the same calendar year up to and including this one.
    pub fn year_to_date(self) -> Vec<Quarter> {
        (1..=self.q)
            .map(|q| Quarter { year: self.year, q })
            .collect()
    }

    /// The first day of the quarter.
    pub fn start_date(self) -> Date {
        let month = Month::try_from(self.q * 3 - 2).expect("q is 1–4, so the month is 1–10");
        Date::from_calendar_date(self.year, month, 1).expect("the first of a month exists")
    }

    /// The last day of the quarter (March 31, June 30, September 30, December 31).
    pub fn end_date(self) -> Date {
        // Not the day before the next quarter: 9999-Q4 has no next quarter
        // that `time` can represent.
        let month = Month::try_from(self.q * 3).expect("q is 1–4, so the month is 3–12");
        Date::from_calendar_date(self.year, month, month.length(self.year))
            .expect("the last day of a month exists")
    }

    /// The quarter a date falls in.
    pub fn of_date(date: Date) -> Quarter {
        Quarter {
            year: date.year(),
            q: (u8::from(date.month()) - 1) / 3 + 1,
        }
    }
}

/// Why a quarter did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseQuarterError(pub String);

impl fmt::Display for ParseQuarterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a quarter: write it as YYYY-Qn, like 2026-Q2",
            self.0
        )
    }
}

impl std::error::Error for ParseQuarterError {}

impl FromStr for Quarter {
    type Err = ParseQuarterError;

    fn from_str(s: &str) -> Result<Quarter, ParseQuarterError> {
        let err = || ParseQuarterError(s.to_string());
        let (year, q) = s.split_once("-Q").ok_or_else(err)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) || q.len() != 1 {
            return Err(err());
        }
        let year: i32 = year.parse().map_err(|_| err())?;
        let q: u8 = q.parse().map_err(|_| err())?;
        Quarter::new(year, q).ok_or_else(err)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.q)
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Quarter, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quarter {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_prints() {
        assert_eq!(q("2026-Q2").to_string(), "2026-Q2");
        for bad in [
            "2026Q2", "2026-Q5", "2026-Q0", "26-Q1", "2026-q1", "2026-Q12", "", "-001-Q1",
        ] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad}");
        }
    }

    #[test]
    fn minus_four_is_a_year_earlier() {
        assert_eq!(q("2026-Q2").minus(4), q("2025-Q2"));
        assert_eq!(q("2026-Q1").minus(1), q("2025-Q4"));
        assert_eq!(q("2025-Q4").plus(1), q("2026-Q1"));
    }

    #[test]
    fn ttm_is_four_quarters_ending_here() {
        assert_eq!(
            q("2026-Q2").ttm(),
            [q("2025-Q3"), q("2025-Q4"), q("2026-Q1"), q("2026-Q2")]
        );
    }

    #[test]
    fn end_dates() {
        assert_eq!(q("2026-Q1").end_date().to_string(), "2026-03-31");
        assert_eq!(q("2026-Q2").end_date().to_string(), "2026-06-30");
        assert_eq!(q("2026-Q3").end_date().to_string(), "2026-09-30");
        assert_eq!(q("2026-Q4").end_date().to_string(), "2026-12-31");
        assert_eq!(q("2024-Q1").start_date().to_string(), "2024-01-01");
    }

    #[test]
    fn quarter_of_a_date() {
        let d = Date::from_calendar_date(2026, Month::August, 15).unwrap();
        assert_eq!(Quarter::of_date(d), q("2026-Q3"));
    }

    #[test]
    fn year_to_date() {
        assert_eq!(
            q("2026-Q3").year_to_date(),
            vec![q("2026-Q1"), q("2026-Q2"), q("2026-Q3")]
        );
    }
}
