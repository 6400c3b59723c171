//! KPI status against a target (DESIGN.md §4).

use serde::Serialize;

/// Which way a KPI should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

/// How a KPI stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    OnTrack,
    AtRisk,
    OffTrack,
    NoData,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::NoData => "no_data",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::OnTrack => "On track",
            Status::AtRisk => "At risk",
            Status::OffTrack => "Off track",
            Status::NoData => "No data",
        }
    }
}

/// `on_track` if the value meets the target; `at_risk` within 10 % of it
/// (≥ 0.9 × target when higher is better, ≤ 1.1 × target when lower is);
/// `off_track` otherwise; `no_data` without a value (or a target).
pub fn status(value: Option<f64>, target: Option<f64>, better: Better) -> Status {
    let (Some(v), Some(t)) = (value, target) else {
        return Status::NoData;
    };
    match better {
        Better::Higher if v >= t => Status::OnTrack,
        Better::Higher if v >= 0.9 * t => Status::AtRisk,
        Better::Lower if v <= t => Status::OnTrack,
        Better::Lower if v <= 1.1 * t => Status::AtRisk,
        _ => Status::OffTrack,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn higher_is_better_bands() {
        let s = |v| status(Some(v), Some(0.5), Better::Higher);
        assert_eq!(s(0.5), Status::OnTrack);
        assert_eq!(s(0.45), Status::AtRisk);
        assert_eq!(s(0.449), Status::OffTrack);
    }

    #[test]
    fn lower_is_better_bands() {
        let s = |v| status(Some(v), Some(0.20), Better::Lower);
        assert_eq!(s(0.2), Status::OnTrack);
        assert_eq!(s(0.219), Status::AtRisk);
        assert_eq!(s(0.221), Status::OffTrack);
    }

    #[test]
    fn missing_value_or_target_is_no_data() {
        assert_eq!(status(None, Some(1.0), Better::Higher), Status::NoData);
        assert_eq!(status(Some(1.0), None, Better::Higher), Status::NoData);
    }
}
