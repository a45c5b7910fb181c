//! GOV.UK statistics announcements as the GOV.UK search API returns them
//! (`/api/search.json?filter_format=statistics_announcement`): `{"results": [...],
//! "total": N}`, or a list of such pages.
//!
//! The fields are those GOV.UK's publishing platform indexes for a statistics
//! announcement:
//!
//! | search API field | column |
//! |---|---|
//! | `slug` (else the last segment of `link`) | `id` |
//! | `title` | `title` |
//! | `description` | `summary` |
//! | `link` | `url` (on www.gov.uk) |
//! | `release_timestamp` | `date`, `time` (Europe/London) |
//! | `statistics_announcement_state` (else `metadata.confirmed`, `metadata.cancelled_at`) | `status` |
//! | `metadata.display_date` (or `display_date`): "March 2027", "January to February 2027" | `period` (not for an exact, confirmed date) |
//! | `organisations` (slugs, or objects with a `slug`) | `organisations` |
//! | `display_type` ("Official Statistics", …) | `type` |
//! | `metadata.previous_display_date`, `metadata.change_note` | `previous_dates`, `change_notes` |
//! | `metadata.cancellation_reason` | `cancellation_reason` |

use std::path::Path;

use chrono::{DateTime, NaiveTime, Utc};
use serde_json::Value;

use super::json::{self, at, kind, text};
use super::ons::file_label;
use super::{collapse, london_local, set_period, ImportStatus, Imported, ImportedRelease, Skipped};
use crate::io::period::parse_period;
use crate::io::{Diagnostic, InputError};

/// Reads one GOV.UK search API response (or a list of pages).
pub fn read(path: &Path, bytes: &[u8]) -> Result<Imported, InputError> {
    let doc = json::parse(path, bytes)?;
    let file = file_label(path);
    let mut out = Imported::default();
    let mut problems = Vec::new();
    for (label, page) in json::pages(&doc) {
        let Some(results) = page.get("results").and_then(Value::as_array) else {
            let wher = if label.is_empty() {
                "the document".to_string()
            } else {
                format!("page {label}")
            };
            let d = Diagnostic::new(format!(
                "{wher} is {} without a \"results\" list: expected a GOV.UK search API \
                 response ({{\"results\": [...], \"total\": N}}), or a list of such pages",
                kind(page)
            ));
            problems.push(if page.get("releases").is_some() {
                d.with_hint("this looks like an ONS release-calendar API response: use --from ons")
            } else {
                d.with_hint(
                    "save the response of /api/search.json?filter_format=statistics_announcement as returned",
                )
            });
            continue;
        };
        let start = page.get("start").and_then(Value::as_u64).unwrap_or(0);
        if let Some(total) = page.get("total").and_then(Value::as_u64) {
            if total > start + results.len() as u64 && json::pages(&doc).len() == 1 {
                out.notes.push(format!(
                    "{file}{label}: the response says {total} announcements match but holds {}: \
                     fetch the other pages (raise `count`, or step `start`) and import them together",
                    results.len()
                ));
            }
        }
        for (i, r) in results.iter().enumerate() {
            let origin = format!("{file}{label}: results[{i}]");
            let format = text(r, "format").unwrap_or("statistics_announcement");
            if format != "statistics_announcement" {
                out.skipped.push(Skipped {
                    origin,
                    reason: format!(
                        "a '{format}', not a statistics announcement: filter the search with \
                         filter_format=statistics_announcement"
                    ),
                });
                continue;
            }
            match announcement(r, &origin) {
                Ok(rel) => out.releases.push(rel),
                Err(reason) => out.skipped.push(Skipped { origin, reason }),
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(InputError::new(path, problems))
    }
}

fn meta<'a>(r: &'a Value, key: &str) -> Option<&'a Value> {
    at(r, &format!("metadata/{key}")).filter(|v| !v.is_null())
}

fn meta_text<'a>(r: &'a Value, key: &str) -> &'a str {
    meta(r, key).and_then(Value::as_str).unwrap_or_default()
}

fn announcement(r: &Value, origin: &str) -> Result<ImportedRelease, String> {
    let link = text(r, "link").unwrap_or_default().trim();
    let id = match text(r, "slug").map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => s.to_string(),
        None => link
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string(),
    };
    if id.is_empty() {
        return Err("no \"slug\" or \"link\": cannot give the announcement an id".into());
    }
    let display = collapse(
        meta(r, "display_date")
            .and_then(Value::as_str)
            .or_else(|| text(r, "display_date"))
            .unwrap_or_default(),
    );
    let (date, time) = match text(r, "release_timestamp") {
        Some(stamp) => {
            let t = DateTime::parse_from_rfc3339(stamp.trim()).map_err(|_| {
                format!(
                    "'{id}': release_timestamp '{stamp}' is not an ISO 8601 date-time such as \
                     2027-01-15T09:30:00+00:00"
                )
            })?;
            london_local(t.with_timezone(&Utc))
        }
        None => match parse_period(&display) {
            Ok((a, b)) if a == b => (a, display_time(&display)),
            _ => {
                return Err(format!(
                "'{id}' has no release_timestamp and its display date ('{display}') is not a day"
            ))
            }
        },
    };
    let cancelled = meta(r, "cancelled_at").is_some() || meta(r, "cancellation_reason").is_some();
    let state = text(r, "statistics_announcement_state").unwrap_or_default();
    let status = match state.trim().to_ascii_lowercase().as_str() {
        "cancelled" => ImportStatus::Cancelled,
        "confirmed" => ImportStatus::Confirmed,
        "provisional" => ImportStatus::Provisional,
        "published" | "statistics_published" => ImportStatus::Published,
        _ if cancelled => ImportStatus::Cancelled,
        _ if meta(r, "confirmed").and_then(Value::as_bool) == Some(true) => ImportStatus::Confirmed,
        _ => ImportStatus::Provisional,
    };
    let organisations = r
        .get("organisations")
        .and_then(Value::as_array)
        .map(|orgs| {
            orgs.iter()
                .filter_map(|o| match o {
                    Value::String(s) => Some(s.trim().to_string()),
                    Value::Object(_) => text(o, "slug").map(|s| s.trim().to_string()),
                    _ => None,
                })
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut rel = ImportedRelease {
        id,
        title: collapse(text(r, "title").unwrap_or_default()),
        date: Some(date),
        time: Some(time),
        status: Some(status),
        summary: collapse(text(r, "description").unwrap_or_default()),
        url: if link.starts_with('/') {
            format!("https://www.gov.uk{link}")
        } else {
            link.to_string()
        },
        organisations,
        kind: collapse(text(r, "display_type").unwrap_or_default()),
        cancellation_reason: collapse(meta_text(r, "cancellation_reason")),
        origin: origin.to_string(),
        ..ImportedRelease::default()
    };
    // An exact, confirmed date is no period; a month or two months is.
    let exact = matches!(parse_period(&display), Ok((a, b)) if a == b);
    if !exact || status == ImportStatus::Provisional {
        set_period(&mut rel, &display);
    }
    let previous = collapse(meta_text(r, "previous_display_date"));
    let note = collapse(meta_text(r, "change_note"));
    if !previous.is_empty() || !note.is_empty() {
        rel.previous_dates.push(previous);
        rel.change_notes.push(note);
    }
    Ok(rel)
}

/// The time of an exact display date ("15 January 2027 9:30am"), default 09:30.
fn display_time(display: &str) -> NaiveTime {
    let last = display
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let (clock, pm) = match last.strip_suffix("pm") {
        Some(c) => (c, true),
        None => (last.strip_suffix("am").unwrap_or(&last), false),
    };
    let (h, m) = clock.split_once([':', '.']).unwrap_or((clock, "00"));
    match (h.parse::<u32>(), m.parse::<u32>()) {
        (Ok(h), Ok(m)) if h <= 12 || !pm => {
            let h = if pm && h < 12 { h + 12 } else { h };
            NaiveTime::from_hms_opt(h, m, 0).unwrap_or_else(crate::io::standard_release_time)
        }
        _ => crate::io::standard_release_time(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn display_times() {
        assert_eq!(
            display_time("15 January 2027 9:30am"),
            NaiveTime::from_hms_opt(9, 30, 0).unwrap()
        );
        assert_eq!(
            display_time("15 January 2027 12:00pm"),
            NaiveTime::from_hms_opt(12, 0, 0).unwrap()
        );
        assert_eq!(
            display_time("15 January 2027 4:30pm"),
            NaiveTime::from_hms_opt(16, 30, 0).unwrap()
        );
        assert_eq!(
            display_time("1 January 2050 07:00"),
            NaiveTime::from_hms_opt(7, 0, 0).unwrap()
        );
        assert_eq!(
            display_time("15 January 2027"),
            NaiveTime::from_hms_opt(9, 30, 0).unwrap()
        );
    }

    #[test]
    fn organisations_as_slugs_or_objects_and_the_state_fallbacks() {
        let doc = br#"{"total": 2, "results": [
          {"title": "A", "slug": "a", "release_timestamp": "2027-01-14T09:30:00+00:00",
           "organisations": ["home-office", {"slug": "office-for-national-statistics", "title": "ONS"}],
           "metadata": {"confirmed": true, "display_date": "14 January 2027 9:30am"}},
          {"title": "B", "link": "/government/statistics/announcements/b",
           "metadata": {"display_date": "20 January 2027 7:00am", "cancellation_reason": "Merged."}}
        ]}"#;
        let got = read(Path::new("g.json"), doc).unwrap();
        assert_eq!(got.releases.len(), 2, "{:?}", got.skipped);
        let a = &got.releases[0];
        assert_eq!(
            a.organisations,
            vec!["home-office", "office-for-national-statistics"]
        );
        assert_eq!(a.status, Some(ImportStatus::Confirmed));
        assert_eq!(a.period, "", "an exact confirmed date is no period");
        let b = &got.releases[1];
        assert_eq!(b.id, "b");
        assert_eq!(b.status, Some(ImportStatus::Cancelled));
        assert_eq!(b.date, NaiveDate::from_ymd_opt(2027, 1, 20));
        assert_eq!(b.time, NaiveTime::from_hms_opt(7, 0, 0));
        assert_eq!(
            b.url,
            "https://www.gov.uk/government/statistics/announcements/b"
        );
    }

    #[test]
    fn other_formats_and_missing_dates_are_skipped_with_reasons() {
        let doc = br#"{"results": [
          {"title": "News", "format": "news_article", "link": "/government/news/x"},
          {"title": "Undated", "slug": "u", "metadata": {"display_date": "March 2027"}}
        ]}"#;
        let got = read(Path::new("g.json"), doc).unwrap();
        assert!(got.releases.is_empty());
        assert!(got.skipped[0].reason.contains("news_article"));
        assert!(got.skipped[1].reason.contains("no release_timestamp"));
    }

    #[test]
    fn an_ons_response_is_named() {
        let e = read(Path::new("o.json"), br#"{"releases": []}"#).unwrap_err();
        assert!(e.to_string().contains("--from ons"), "{e}");
    }
}
