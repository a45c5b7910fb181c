//! The three UK bank-holiday nations.

use std::fmt;
use std::str::FromStr;

use super::CalendarError;

/// A UK nation with its own bank holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    /// England and Wales (one set of bank holidays).
    EnglandAndWales,
    /// Scotland.
    Scotland,
    /// Northern Ireland.
    NorthernIreland,
}

impl Region {
    /// All regions, in a fixed order.
    pub const ALL: [Region; 3] = [
        Region::EnglandAndWales,
        Region::Scotland,
        Region::NorthernIreland,
    ];

    /// The identifier used in files and on the command line, e.g. `england-and-wales`.
    pub fn slug(self) -> &'static str {
        match self {
            Region::EnglandAndWales => "england-and-wales",
            Region::Scotland => "scotland",
            Region::NorthernIreland => "northern-ireland",
        }
    }

    /// A human name, e.g. `England and Wales`.
    pub fn name(self) -> &'static str {
        match self {
            Region::EnglandAndWales => "England and Wales",
            Region::Scotland => "Scotland",
            Region::NorthernIreland => "Northern Ireland",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for Region {
    type Err = CalendarError;

    /// Accepts the slug in any case, with spaces or underscores for hyphens.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c == ' ' || c == '_' { '-' } else { c })
            .collect();
        match norm.as_str() {
            "england-and-wales" => Ok(Region::EnglandAndWales),
            "scotland" => Ok(Region::Scotland),
            "northern-ireland" => Ok(Region::NorthernIreland),
            _ => Err(CalendarError::UnknownRegion {
                value: s.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_slugs_case_insensitively() {
        assert_eq!("Scotland".parse::<Region>().unwrap(), Region::Scotland);
        assert_eq!(
            "northern_ireland".parse::<Region>().unwrap(),
            Region::NorthernIreland
        );
        assert_eq!(
            " England and Wales ".parse::<Region>().unwrap(),
            Region::EnglandAndWales
        );
        assert!("wales".parse::<Region>().is_err());
    }
}
