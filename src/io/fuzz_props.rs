//! Property tests: no input bytes make the readers panic; every failure is a located error.

use std::path::Path;

use proptest::prelude::*;

use super::{parse_infrastructure, parse_releases, Table};
use crate::calendar::Region;
use crate::model::{FailurePoint, Infrastructure};

/// CSV-shaped text: known and unknown headers, quotes, separators, odd values.
fn csvish() -> impl Strategy<Value = String> {
    let cell = prop_oneof![
        Just(String::new()),
        Just("\"".to_string()),
        Just("\"\"".to_string()),
        Just("a;b".to_string()),
        Just("web".to_string()),
        Just("2027-02-30".to_string()),
        Just("2027-08-05".to_string()),
        Just("31/12/2027".to_string()),
        Just("09:30".to_string()),
        Just("-1".to_string()),
        Just("1e400".to_string()),
        Just("confirmed".to_string()),
        Just("scotland".to_string()),
        "[ -~]{0,8}",
        "\\PC{0,4}",
    ];
    let header = prop_oneof![
        Just("id"),
        Just("date"),
        Just("depends_on"),
        Just("weight"),
        Just("status"),
        Just("earliest"),
        Just("latest"),
        Just("time"),
        Just("region"),
        Just("scheduled_date"),
        Just("fallback"),
        Just("outage_days"),
        Just("failures_per_year"),
        Just("extra"),
    ];
    (
        proptest::collection::vec(header, 1..6),
        proptest::collection::vec(proptest::collection::vec(cell, 0..7), 0..6),
        prop_oneof![Just("\n"), Just("\r\n")],
    )
        .prop_map(|(h, rows, nl)| {
            let mut s = h.join(",");
            for r in rows {
                s.push_str(nl);
                s.push_str(&r.join(","));
            }
            s
        })
}

fn infra() -> Infrastructure {
    Infrastructure::new(vec![FailurePoint::new("web", "website", &[])]).unwrap()
}

proptest! {
    #![proptest_config(crate::prop_config(400))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(t) = Table::parse(Path::new("x.csv"), &bytes) {
            let _ = parse_releases(t.clone(), &infra(), Region::EnglandAndWales);
            let _ = parse_infrastructure(&t);
        }
    }

    #[test]
    fn csv_shaped_input_is_accepted_or_located(text in csvish()) {
        match Table::parse(Path::new("x.csv"), text.as_bytes()) {
            Err(e) => prop_assert!(!e.diagnostics.is_empty()),
            Ok(t) => {
                if let Err(e) = parse_releases(t.clone(), &infra(), Region::EnglandAndWales) {
                    prop_assert!(!e.diagnostics.is_empty());
                    // Every problem in a row names its line.
                    for d in &e.diagnostics {
                        prop_assert!(d.line.is_some(), "{e}");
                    }
                }
                if let Err(e) = parse_infrastructure(&t) {
                    prop_assert!(!e.diagnostics.is_empty());
                }
            }
        }
    }
}
