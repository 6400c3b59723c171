//! Partner tiers: 1 (strategic AI vendors), 2 (system integrators) and 3
//! (technology ecosystem).

use std::fmt;

use serde::{Serialize, Serializer};

/// A partner tier, 1 to 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tier(u8);

impl Tier {
    /// Every tier, from the top.
    pub const ALL: [Tier; 3] = [Tier(1), Tier(2), Tier(3)];

    /// The tier of that number, if there is one.
    pub fn new(n: i64) -> Option<Tier> {
        matches!(n, 1..=3).then(|| Tier(n as u8))
    }

    pub fn number(self) -> u8 {
        self.0
    }

    /// The tier above, if any (tier 1 is the top).
    pub fn above(self) -> Option<Tier> {
        Tier::new(i64::from(self.0) - 1)
    }

    /// The tier's name as the program calls it.
    pub fn name(self) -> &'static str {
        match self.0 {
            1 => "Strategic AI vendors",
            2 => "System integrators",
            _ => "Technology ecosystem",
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Templates and JSON see a tier as its number.
impl Serialize for Tier {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_are_one_to_three() {
        assert_eq!(Tier::new(2).map(Tier::number), Some(2));
        assert_eq!(Tier::new(0), None);
        assert_eq!(Tier::new(4), None);
        assert_eq!(Tier::new(2).and_then(Tier::above), Tier::new(1));
        assert_eq!(Tier::new(1).and_then(Tier::above), None);
        assert_eq!(Tier::ALL[0].name(), "Strategic AI vendors");
    }
}
