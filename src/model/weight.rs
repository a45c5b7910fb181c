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

    /// The largest weight of one release ([`crate::limits::MAX_WEIGHT`]).
    pub const MAX: Weight = Weight(crate::limits::MAX_WEIGHT * 1000);

    /// Parses a positive decimal with at most three decimal places and at most
    /// [`Weight::MAX`], e.g. `3`, `1.5`, `0.25`. Returns `None` for anything else
    /// (including zero and negative numbers); [`Weight::parse_checked`] says why.
    pub fn parse(s: &str) -> Option<Weight> {
        Weight::parse_checked(s).ok()
    }

    /// [`Weight::parse`], with the reason a value is refused: not a positive number
    /// with at most three decimals, or larger than [`Weight::MAX`].
    pub fn parse_checked(s: &str) -> Result<Weight, String> {
        let form = || {
            "expected a positive number with at most three decimals, e.g. 1, 2.5 or 3".to_string()
        };
        let too_large = || {
            format!(
                "too large: a weight is at most {} (weights are relative, e.g. 1 for a routine release and 3 for a major one)",
                Weight::MAX
            )
        };
        let t = s.trim();
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |x: &str| x.bytes().all(|c| c.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) || frac.len() > 3 {
            return Err(form());
        }
        let int = int.trim_start_matches('0');
        if int.len() > 15 {
            return Err(too_large());
        }
        let int_v: u64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| form())?
        };
        let frac_v: u64 = format!("{frac:0<3}").parse().map_err(|_| form())?;
        // int_v < 10^15, so this is below 10^18: no overflow.
        let v = int_v * 1000 + frac_v;
        if v == 0 {
            Err(form())
        } else if v > Weight::MAX.0 {
            Err(too_large())
        } else {
            Ok(Weight(v))
        }
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

    #[test]
    fn too_large_is_said_so() {
        assert_eq!(Weight::parse("1000"), Some(Weight::MAX));
        assert_eq!(Weight::parse("0001.5"), Some(Weight(1500)));
        for big in [
            "1000.001",
            "2147483648",
            "9223372036854775807",
            &"9".repeat(400),
        ] {
            let e = Weight::parse_checked(big).unwrap_err();
            assert!(
                e.starts_with("too large: a weight is at most 1000"),
                "{big}: {e}"
            );
        }
        for bad in ["0", "0.000", "-1", "1.2345", "1e3", ".", "", "1.5.2", "١"] {
            let e = Weight::parse_checked(bad).unwrap_err();
            assert!(e.starts_with("expected a positive number"), "{bad}: {e}");
        }
    }
}
