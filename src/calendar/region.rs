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

/// Other names accepted for each region (after lower-casing and writing spaces and
/// underscores as hyphens). Documented in `docs/cli.md` and `docs/formats.md`.
pub const REGION_ALIASES: &[(&str, Region)] = &[
    ("england-and-wales", Region::EnglandAndWales),
    ("england-wales", Region::EnglandAndWales),
    ("england", Region::EnglandAndWales),
    ("wales", Region::EnglandAndWales),
    ("cymru", Region::EnglandAndWales),
    ("e&w", Region::EnglandAndWales),
    ("ew", Region::EnglandAndWales),
    ("eng", Region::EnglandAndWales),
    ("wls", Region::EnglandAndWales),
    ("gb-eng", Region::EnglandAndWales),
    ("gb-wls", Region::EnglandAndWales),
    ("scotland", Region::Scotland),
    ("scot", Region::Scotland),
    ("sct", Region::Scotland),
    ("alba", Region::Scotland),
    ("gb-sct", Region::Scotland),
    ("northern-ireland", Region::NorthernIreland),
    ("ni", Region::NorthernIreland),
    ("nir", Region::NorthernIreland),
    ("n-ireland", Region::NorthernIreland),
    ("gb-nir", Region::NorthernIreland),
];

impl FromStr for Region {
    type Err = CalendarError;

    /// Accepts the slug or an alias ([`REGION_ALIASES`]) in any case, with spaces or
    /// underscores for hyphens; an unknown name gets a "did you mean".
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c == ' ' || c == '_' { '-' } else { c })
            .collect();
        if let Some((_, r)) = REGION_ALIASES.iter().find(|(a, _)| *a == norm) {
            return Ok(*r);
        }
        let hint = if matches!(
            norm.as_str(),
            "uk" | "gb" | "united-kingdom" | "great-britain" | "britain"
        ) {
            "; the UK nations have different bank holidays: choose one (UK- or GB-wide \
             releases usually follow england-and-wales)"
                .to_string()
        } else {
            let best = Region::ALL
                .map(|r| (strsim::jaro_winkler(&norm, r.slug()), r.slug()))
                .into_iter()
                .fold((0.0, ""), |b, x| if x.0 > b.0 { x } else { b });
            if best.0 >= 0.75 {
                format!("; did you mean '{}'?", best.1)
            } else {
                String::new()
            }
        };
        Err(CalendarError::UnknownRegion {
            value: s.to_string(),
            hint,
        })
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
        assert_eq!("wales".parse::<Region>().unwrap(), Region::EnglandAndWales);
        assert_eq!("NI".parse::<Region>().unwrap(), Region::NorthernIreland);
        assert_eq!("GB-SCT".parse::<Region>().unwrap(), Region::Scotland);
    }

    #[test]
    fn unknown_regions_get_a_suggestion() {
        let e = "nothern-ireland".parse::<Region>().unwrap_err().to_string();
        assert!(e.ends_with("did you mean 'northern-ireland'?"), "{e}");
        let e = "UK".parse::<Region>().unwrap_err().to_string();
        assert!(e.contains("different bank holidays"), "{e}");
        let e = "atlantis".parse::<Region>().unwrap_err().to_string();
        assert!(!e.contains("did you mean"), "{e}");
    }
}
