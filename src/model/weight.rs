//! Release weights as exact fixed-point numbers (thousandths), so sums never drift.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// A non-negative weight in thousandths: `Weight(1000)` is a weight of 1.
///
/// Exposure is a sum of weights; keeping it integral makes peaks comparable
/// exactly and output byte-identical across runs and platforms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Weight(pub u64);

impl Weight {
    /// The default weight of a release: 1.
    pub const ONE: Weight = Weight(1000);
    /// Zero.
    pub const ZERO: Weight = Weight(0);

    /// Parses a positive decimal with at most three decimal places, e.g. `3`, `1.5`, `0.25`.
    /// Returns `None` for anything else (including zero and negative numbers).
    pub fn parse(s: &str) -> Option<Weight> {
        let s = s.trim();
        if s.is_empty() || s.len() > 15 {
            return None;
        }
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if frac.len() > 3 {
            return None;
        }
        let int_v: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let mut frac_v: u64 = if frac.is_empty() {
            0
        } else {
            frac.parse().ok()?
        };
        for _ in frac.len()..3 {
            frac_v *= 10;
        }
        let v = int_v.checked_mul(1000)?.checked_add(frac_v)?;
        (v > 0).then_some(Weight(v))
    }

    /// The weight as a floating-point number (for risk figures and charts only).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

impl fmt::Display for Weight {
    /// Prints without trailing zeros: `3`, `1.5`, `0.25`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let int = self.0 / 1000;
        let frac = self.0 % 1000;
        if frac == 0 {
            write!(f, "{int}")
        } else {
            let s = format!("{frac:03}");
            write!(f, "{int}.{}", s.trim_end_matches('0'))
        }
    }
}

impl Add for Weight {
    type Output = Weight;
    fn add(self, o: Weight) -> Weight {
        Weight(self.0 + o.0)
    }
}

impl AddAssign for Weight {
    fn add_assign(&mut self, o: Weight) {
        self.0 += o.0;
    }
}

impl Sub for Weight {
    type Output = Weight;
    fn sub(self, o: Weight) -> Weight {
        Weight(self.0.saturating_sub(o.0))
    }
}

impl std::iter::Sum for Weight {
    fn sum<I: Iterator<Item = Weight>>(iter: I) -> Weight {
        Weight(iter.map(|w| w.0).sum())
    }
}

impl serde::Serialize for Weight {
    /// Serialises as a JSON number (integer when whole).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 1000 == 0 {
            s.serialize_u64(self.0 / 1000)
        } else {
            s.serialize_f64(self.as_f64())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        assert_eq!(Weight::parse("3"), Some(Weight(3000)));
        assert_eq!(Weight::parse("1.5"), Some(Weight(1500)));
        assert_eq!(Weight::parse(".25"), Some(Weight(250)));
        assert_eq!(Weight::parse("0"), None);
        assert_eq!(Weight::parse("-1"), None);
        assert_eq!(Weight::parse("1.2345"), None);
        assert_eq!(Weight::parse("abc"), None);
        assert_eq!(Weight::parse("1e3"), None);
        assert_eq!(Weight(1500).to_string(), "1.5");
        assert_eq!(Weight(3000).to_string(), "3");
        assert_eq!(Weight(250).to_string(), "0.25");
    }
}
