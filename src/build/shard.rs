//! `--shard K/N`: which part of `--audience partners` a build makes.

/// Which part of `--audience partners` a build makes (`--shard K/N`): the
/// partners whose place in slug order, counted from 1, is K modulo N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1 to `count`.
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: write K/N with 1 ≤ K ≤ N, like 2/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) =
            (k.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the partner at 0-based place `i` in slug order is in it.
    pub fn holds(self, i: usize) -> bool {
        i % self.count == self.index - 1
    }
}
