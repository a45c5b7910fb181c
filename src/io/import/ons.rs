//! The ONS release-calendar API (`/v1/search/releases`): `{"releases": [...]}` as the
//! API returns it, or a list of such pages.
//!
//! | API field | column |
//! |---|---|
//! | `uri` (`/releases/<id>`) | `id` (last path segment), `url` (on www.ons.gov.uk) |
//! | `description.title` | `title` |
//! | `description.release_date` (UTC) | `date`, `time` (Europe/London) |
//! | `cancelled` / `published` / `finalised` | `status`: cancelled, published, confirmed, else provisional |
//! | `description.provisional_date` | `period` |
//! | `description.summary` | `summary` |
//! | `date_changes[].previous_date`, `.change_notice` | `previous_dates`, `change_notes` |
//! | `description.cancellation_notice` | `cancellation_reason` |

use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::json::{self, flag, kind, text};
use super::{collapse, london_local, set_period, ImportStatus, Imported, ImportedRelease, Skipped};
use crate::io::{Diagnostic, InputError};

/// Reads one ONS API response (or a list of pages).
pub fn read(path: &Path, bytes: &[u8]) -> Result<Imported, InputError> {
    let doc = json::parse(path, bytes)?;
    let file = file_label(path);
    let mut out = Imported::default();
    let mut problems = Vec::new();
    for (label, page) in json::pages(&doc) {
        let Some(releases) = page.get("releases").and_then(Value::as_array) else {
            problems.push(shape_error(&label, page));
            continue;
        };
        if let Some(total) = page.get("total").and_then(Value::as_u64) {
            if total > releases.len() as u64 {
                out.notes.push(format!(
                    "{file}{label}: the response says {total} releases match but holds {}: \
                     fetch the other pages (raise `limit`, or step `offset`) and import them together",
                    releases.len()
                ));
            }
        }
        for (i, r) in releases.iter().enumerate() {
            let origin = format!("{file}{label}: releases[{i}]");
            match release(r, &origin) {
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

/// The file name for messages (the whole path is in the error header).
pub(super) fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn shape_error(label: &str, page: &Value) -> Diagnostic {
    let wher = if label.is_empty() {
        "the document".to_string()
    } else {
        format!("page {label}")
    };
    let d = Diagnostic::new(format!(
        "{wher} is {} without a \"releases\" list: expected the ONS release-calendar API \
         response ({{\"releases\": [...]}}), or a list of such pages",
        kind(page)
    ));
    if page.get("results").is_some() {
        d.with_hint("this looks like a GOV.UK search API response: use --from govuk")
    } else {
        d.with_hint("save the response of /v1/search/releases as returned")
    }
}

fn release(r: &Value, origin: &str) -> Result<ImportedRelease, String> {
    let uri = text(r, "uri").unwrap_or_default().trim();
    let id = uri
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    if id.is_empty() {
        return Err("no \"uri\": every release needs one (its last segment is the id)".into());
    }
    let stamp = text(r, "description/release_date").ok_or_else(|| {
        format!("'{id}' has no description.release_date: cannot place it in the calendar")
    })?;
    let when = DateTime::parse_from_rfc3339(stamp.trim())
        .map_err(|_| {
            format!(
                "'{id}': release_date '{stamp}' is not an ISO 8601 date-time such as \
                 2026-10-02T08:30:00.000Z"
            )
        })?
        .with_timezone(&Utc);
    let (date, time) = london_local(when);
    let status = if flag(r, "description/cancelled") {
        ImportStatus::Cancelled
    } else if flag(r, "description/published") {
        ImportStatus::Published
    } else if flag(r, "description/finalised") {
        ImportStatus::Confirmed
    } else {
        ImportStatus::Provisional
    };
    let mut rel = ImportedRelease {
        id: id.clone(),
        title: collapse(text(r, "description/title").unwrap_or_default()),
        date: Some(date),
        time: Some(time),
        status: Some(status),
        summary: collapse(text(r, "description/summary").unwrap_or_default()),
        url: if uri.starts_with('/') {
            format!("https://www.ons.gov.uk{uri}")
        } else {
            String::new()
        },
        origin: origin.to_string(),
        ..ImportedRelease::default()
    };
    set_period(
        &mut rel,
        text(r, "description/provisional_date").unwrap_or_default(),
    );
    let changes = r
        .get("date_changes")
        .or_else(|| r.get("dateChanges"))
        .and_then(Value::as_array);
    for change in changes.into_iter().flatten() {
        let previous = text(change, "previous_date")
            .or_else(|| text(change, "previousDate"))
            .unwrap_or_default();
        let notice = text(change, "change_notice")
            .or_else(|| text(change, "changeNotice"))
            .unwrap_or_default();
        let previous = match DateTime::parse_from_rfc3339(previous.trim()) {
            Ok(t) => london_local(t.with_timezone(&Utc)).0.to_string(),
            Err(_) => collapse(previous),
        };
        rel.previous_dates.push(previous);
        rel.change_notes.push(collapse(notice));
    }
    if let Some(notices) = r
        .get("description")
        .and_then(|d| d.get("cancellation_notice"))
    {
        let parts: Vec<String> = match notices {
            Value::Array(a) => a.iter().filter_map(Value::as_str).map(collapse).collect(),
            Value::String(s) => vec![collapse(s)],
            _ => Vec::new(),
        };
        rel.cancellation_reason = parts.join(" ");
    }
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};

    const PAGE: &str = r#"{
      "breakdown": {"total": 3}, "total": 4,
      "releases": [
        {"uri": "/releases/gdpmonthly", "date_changes": [
            {"previous_date": "2026-11-12T07:00:00.000Z", "change_notice": "Moved to align with the quarterly estimate."}],
         "description": {"title": "GDP monthly estimate, UK:\n September 2026", "release_date": "2026-11-13T07:00:00.000Z",
           "finalised": true, "published": false, "cancelled": false, "summary": "Monthly  GDP.",
           "provisional_date": "November 2026", "census": false, "keywords": ["gdp"]}},
        {"uri": "/releases/housing", "date_changes": null,
         "description": {"title": "Housing", "release_date": "2026-12-01T09:30:00.000Z",
           "finalised": false, "provisional_date": "December 2026 to\nJanuary 2027"}},
        {"uri": "/releases/nodate", "description": {"title": "No date"}},
        {"uri": "/releases/axed", "description": {"title": "Axed", "release_date": "2026-07-01T08:30:00.000Z",
           "cancelled": true, "finalised": true, "cancellation_notice": ["Merged into another release."]}}
      ]}"#;

    #[test]
    fn maps_every_field_that_has_a_column() {
        let got = read(Path::new("dir/upcoming.json"), PAGE.as_bytes()).unwrap();
        assert_eq!(got.releases.len(), 3);
        let gdp = &got.releases[0];
        assert_eq!(gdp.id, "gdpmonthly");
        assert_eq!(gdp.title, "GDP monthly estimate, UK: September 2026");
        assert_eq!(gdp.date, NaiveDate::from_ymd_opt(2026, 11, 13));
        assert_eq!(gdp.time, NaiveTime::from_hms_opt(7, 0, 0));
        assert_eq!(gdp.status, Some(ImportStatus::Confirmed));
        assert_eq!(gdp.period, "November 2026");
        assert_eq!(gdp.summary, "Monthly GDP.");
        assert_eq!(gdp.url, "https://www.ons.gov.uk/releases/gdpmonthly");
        assert_eq!(gdp.previous_dates, vec!["2026-11-12"]);
        assert_eq!(
            gdp.change_notes,
            vec!["Moved to align with the quarterly estimate."]
        );
        let housing = &got.releases[1];
        assert_eq!(housing.status, Some(ImportStatus::Provisional));
        assert_eq!(housing.period, "December 2026 to January 2027");
        assert_eq!(housing.time, NaiveTime::from_hms_opt(9, 30, 0));
        let axed = &got.releases[2];
        assert_eq!(axed.status, Some(ImportStatus::Cancelled));
        assert_eq!(axed.cancellation_reason, "Merged into another release.");
        assert_eq!(axed.time, NaiveTime::from_hms_opt(9, 30, 0), "BST");
        assert_eq!(got.skipped.len(), 1);
        assert_eq!(got.skipped[0].origin, "upcoming.json: releases[2]");
        assert!(got.skipped[0]
            .reason
            .contains("no description.release_date"));
        assert!(got.notes.is_empty(), "{:?}", got.notes);
    }

    #[test]
    fn a_list_of_pages_is_read_whole() {
        let text = format!("[{PAGE}, {PAGE}]");
        let got = read(Path::new("p.json"), text.as_bytes()).unwrap();
        assert_eq!(got.releases.len(), 6);
        assert_eq!(got.releases[3].origin, "p.json[1]: releases[0]");
    }

    #[test]
    fn a_govuk_response_is_named() {
        let e = read(Path::new("g.json"), br#"{"results": [], "total": 0}"#).unwrap_err();
        assert!(e.to_string().contains("--from govuk"), "{e}");
    }

    #[test]
    fn a_short_page_is_noted() {
        let got = read(
            Path::new("p.json"),
            br#"{"total": 10, "releases": [{"uri": "/releases/a", "description": {"release_date": "2026-01-05T09:30:00Z"}}]}"#,
        )
        .unwrap();
        assert!(got.notes[0].contains("says 10 releases match but holds 1"));
    }
}
