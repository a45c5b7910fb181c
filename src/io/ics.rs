//! The plan as an iCalendar file (RFC 5545) that calendar clients can subscribe to.
//!
//! Serialisation goes through the `icalendar` crate, which folds content lines at
//! 75 octets on UTF-8 character boundaries and escapes TEXT values (backslash,
//! semicolon, comma, newline). This module supplies everything that must be
//! deterministic: the `DTSTAMP`, the `UID`, and start/end times converted from
//! Europe/London local time to UTC, so no `VTIMEZONE` is needed.

use chrono::{
    DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Europe::London;

use crate::model::Status;

/// One release as a calendar event.
#[derive(Debug, Clone, PartialEq)]
pub struct IcsEvent {
    /// The release id; the event's `UID` is derived from it, so it stays the same across plans.
    pub id: String,
    /// The release title (the id is used as summary when empty).
    pub title: String,
    /// The planned publication date.
    pub date: NaiveDate,
    /// The local publication time in Europe/London.
    pub time: NaiveTime,
    /// Provisional, confirmed or cancelled.
    pub status: Status,
    /// The date it was moved from, when it is not on its proposed date.
    pub moved_from: Option<NaiveDate>,
    /// The event's revision number (`SEQUENCE`): never lower than in any calendar
    /// published before for the same release (see [`crate::io::EventRevision`]).
    pub sequence: u32,
    /// Names of the failure points the release is published through.
    pub failure_points: Vec<String>,
    /// The change notice to show when the release moved.
    pub notice: Option<String>,
}

/// Calendar-wide settings.
#[derive(Debug, Clone, PartialEq)]
pub struct IcsOptions {
    /// The calendar's display name (`X-WR-CALNAME`).
    pub calendar_name: String,
    /// The `DTSTAMP` of every event; pass a fixed time (e.g. the run's date), never the
    /// clock, so that the same plan gives the same bytes. It must not lie in the future.
    pub stamp: DateTime<Utc>,
    /// Whether descriptions list the failure points (internal calendars); public
    /// calendars never name infrastructure.
    pub name_failure_points: bool,
    /// Length of each event in minutes (e.g. 30).
    pub duration_minutes: u32,
}

/// The `PRODID` written at the top of every calendar.
pub const PRODUCT_ID: &str = "-//stagger//stagger release calendar//EN";

/// Writes the events as one `VCALENDAR` with one `VEVENT` per release, in input order.
///
/// Lines end with CRLF and are folded at 75 octets; times are in UTC (`…Z`).
pub fn write_ics(events: &[IcsEvent], options: &IcsOptions) -> String {
    let mut out = String::new();
    let mut line = |name: &str, value: &str| push_folded(&mut out, &format!("{name}:{value}"));
    line("BEGIN", "VCALENDAR");
    line("PRODID", PRODUCT_ID);
    line("VERSION", "2.0");
    line("CALSCALE", "GREGORIAN");
    line("METHOD", "PUBLISH");
    line(
        "X-WR-CALNAME",
        &escape_text(&clean_text(&options.calendar_name)),
    );
    for event in events {
        let start = london_to_utc(event.date, event.time);
        let end = start
            .checked_add_signed(Duration::minutes(i64::from(options.duration_minutes)))
            .unwrap_or(start);
        line("BEGIN", "VEVENT");
        line("UID", &uid_for(&event.id));
        line("DTSTAMP", &format_utc(options.stamp));
        line("DTSTART", &format_utc(start));
        line("DTEND", &format_utc(end));
        line("SUMMARY", &escape_text(&summary_of(event)));
        line(
            "DESCRIPTION",
            &escape_text(&description_of(event, options.name_failure_points)),
        );
        line("STATUS", status_word(event.status));
        line("SEQUENCE", &event.sequence.to_string());
        line("TRANSP", "TRANSPARENT");
        line("END", "VEVENT");
    }
    line("END", "VCALENDAR");
    out
}

/// Escapes an RFC 5545 TEXT value: backslash, semicolon, comma and line break.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so that no physical line exceeds 75 octets
/// (continuations start with a space) and no UTF-8 character is split, ending in CRLF.
fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// The stable `UID` of a release: its id with every character outside
/// `[A-Za-z0-9.-]` written as `_` plus its UTF-8 bytes in hex (so distinct ids
/// never share a UID), followed by `@stagger`.
pub fn uid_for(id: &str) -> String {
    let mut local = String::with_capacity(id.len() + 8);
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
            local.push(c);
        } else {
            let mut buf = [0u8; 4];
            local.push('_');
            for b in c.encode_utf8(&mut buf).bytes() {
                local.push_str(&format!("{b:02X}"));
            }
        }
    }
    if local.is_empty() {
        local.push('_');
    }
    local.push_str("@stagger");
    local
}

/// Converts a Europe/London local date and time to UTC following RFC 5545 §3.3.5:
/// an ambiguous time (autumn clock change) is its first occurrence; a time that
/// does not exist (spring clock change) is read with the offset in force before the gap.
pub fn london_to_utc(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = NaiveDateTime::new(date, time);
    match London.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // Offset six hours before, read as UTC: London never has two changes that close.
            let before = local
                .checked_sub_signed(Duration::hours(6))
                .unwrap_or(local);
            let offset = London.offset_from_utc_datetime(&before).fix();
            let shift = Duration::seconds(i64::from(offset.local_minus_utc()));
            Utc.from_utc_datetime(&local.checked_sub_signed(shift).unwrap_or(local))
        }
    }
}

/// `YYYYMMDDTHHMMSSZ`.
fn format_utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The RFC 5545 `STATUS` of an event.
pub fn status_word(status: Status) -> &'static str {
    match status {
        Status::Provisional => "TENTATIVE",
        Status::Confirmed => "CONFIRMED",
        Status::Cancelled => "CANCELLED",
    }
}

/// Whether the plan moved the release to another date.
fn is_moved(event: &IcsEvent) -> bool {
    event.moved_from.is_some_and(|d| d != event.date)
}

/// The summary: the title, or the id when the title is blank.
fn summary_of(event: &IcsEvent) -> String {
    let title = clean_text(event.title.trim());
    if title.is_empty() {
        clean_text(&event.id)
    } else {
        title
    }
}

/// The description: the id, the change notice (or the move when there is no notice),
/// and for internal calendars the failure points.
fn description_of(event: &IcsEvent, name_failure_points: bool) -> String {
    let mut lines = vec![format!("Release {}", event.id)];
    if let (true, Some(from)) = (is_moved(event), event.moved_from) {
        match event
            .notice
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            Some(notice) => lines.push(notice.to_string()),
            None => lines.push(format!(
                "Moved from {} to {}",
                from.format("%a %-d %b %Y"),
                event.date.format("%a %-d %b %Y")
            )),
        }
    }
    if name_failure_points {
        if event.failure_points.is_empty() {
            lines.push("Failure points: none recorded".to_string());
        } else {
            lines.push(format!(
                "Failure points: {}",
                event.failure_points.join(", ")
            ));
        }
    }
    clean_text(&lines.join("\n"))
}

/// Normalises line ends to `\n` and replaces other control characters (which
/// RFC 5545 TEXT may not contain) with spaces.
fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use icalendar::parser::{read_calendar, unfold};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }
    fn options() -> IcsOptions {
        IcsOptions {
            calendar_name: "ONS releases; plan, v2".to_string(),
            stamp: Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap(),
            duration_minutes: 30,
            name_failure_points: true,
        }
    }
    fn event(id: &str, title: &str, date: NaiveDate) -> IcsEvent {
        IcsEvent {
            id: id.to_string(),
            title: title.to_string(),
            date,
            time: t(9, 30),
            status: Status::Provisional,
            moved_from: None,
            sequence: 0,
            failure_points: vec!["Website".to_string(), "CMS".to_string()],
            notice: None,
        }
    }
    /// The unfolded value of the first property `key` of the first VEVENT holding `uid`.
    fn prop(ics: &str, uid: &str, key: &str) -> Option<String> {
        let unfolded = unfold(ics);
        let cal = read_calendar(&unfolded).ok()?;
        let ev = cal.components.iter().find(|c| {
            c.name == "VEVENT"
                && c.properties
                    .iter()
                    .any(|p| p.name == "UID" && p.val.as_ref() == uid)
        })?;
        let p = ev.properties.iter().find(|p| p.name == key)?;
        Some(p.val.as_ref().to_string())
    }

    #[test]
    fn lines_are_crlf_and_folded_at_75_octets() {
        let long_ascii = "A".repeat(200);
        let long_utf8 = "Prévisions économiques — “été” 🇬🇧 ".repeat(8);
        let events = vec![
            event("a", &long_ascii, d(2027, 5, 4)),
            event("b", &long_utf8, d(2027, 5, 5)),
        ];
        let ics = write_ics(&events, &options());
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "line of {} octets: {line:?}", line.len());
            assert!(!line.contains('\n') && !line.contains('\r'));
        }
        assert!(ics.contains("\r\n "), "long lines must be folded");
        // Unfolding restores the text exactly.
        assert_eq!(prop(&ics, "a@stagger", "SUMMARY").unwrap(), long_ascii);
        let unfolded = unfold(&ics);
        let summary_b = unfolded
            .lines()
            .find(|l| l.starts_with("SUMMARY:Prév"))
            .unwrap();
        assert_eq!(
            summary_b.trim_end_matches('\r'),
            format!("SUMMARY:{}", long_utf8.trim_end())
        );
    }

    #[test]
    fn text_is_escaped() {
        let mut e = event(
            "x",
            "GDP, quarterly; first\\estimate\r\nline 2",
            d(2027, 5, 4),
        );
        e.moved_from = Some(d(2027, 5, 3));
        e.notice = Some("Moved; to avoid, a clash".to_string());
        e.sequence = 1;
        let ics = write_ics(&[e], &options());
        let unfolded = unfold(&ics);
        assert!(unfolded.contains(r"SUMMARY:GDP\, quarterly\; first\\estimate\nline 2"));
        assert!(unfolded.contains(r"\nMoved\; to avoid\, a clash"));
        assert!(unfolded.contains(r"X-WR-CALNAME:ONS releases\; plan\, v2"));
        assert!(!unfolded.contains("\r\nline 2"));
        // and the parser reads it back unescaped
        let cal = read_calendar(&unfolded).unwrap();
        let ev = cal.components.iter().find(|c| c.name == "VEVENT").unwrap();
        let summary = ev.properties.iter().find(|p| p.name == "SUMMARY").unwrap();
        assert_eq!(
            summary.val.as_ref(),
            "GDP, quarterly; first\\estimate\nline 2"
        );
    }

    #[test]
    fn converts_london_time_to_utc_around_the_2027_clock_changes() {
        // Clocks go forward on Sun 28 Mar 2027 at 01:00 GMT, back on Sun 31 Oct 2027 at 02:00 BST.
        assert_eq!(
            format_utc(london_to_utc(d(2027, 3, 26), t(9, 30))),
            "20270326T093000Z"
        );
        assert_eq!(
            format_utc(london_to_utc(d(2027, 3, 29), t(9, 30))),
            "20270329T083000Z"
        );
        assert_eq!(
            format_utc(london_to_utc(d(2027, 3, 28), t(9, 30))),
            "20270328T083000Z"
        );
        assert_eq!(
            format_utc(london_to_utc(d(2027, 10, 29), t(9, 30))),
            "20271029T083000Z"
        );
        assert_eq!(
            format_utc(london_to_utc(d(2027, 11, 1), t(9, 30))),
            "20271101T093000Z"
        );
        assert_eq!(
            format_utc(london_to_utc(d(2027, 10, 31), t(9, 30))),
            "20271031T093000Z"
        );
        // Nonexistent 01:30 on 28 Mar: offset before the gap (GMT).
        assert_eq!(
            format_utc(london_to_utc(d(2027, 3, 28), t(1, 30))),
            "20270328T013000Z"
        );
        // Ambiguous 01:30 on 31 Oct: first occurrence (BST).
        assert_eq!(
            format_utc(london_to_utc(d(2027, 10, 31), t(1, 30))),
            "20271031T003000Z"
        );
    }

    #[test]
    fn event_times_status_sequence_and_uid() {
        let mut moved = event("GDP Q1/2027", "GDP", d(2027, 4, 1));
        moved.moved_from = Some(d(2027, 3, 25));
        moved.sequence = 3;
        moved.status = Status::Confirmed;
        let mut with_notice = moved.clone();
        with_notice.id = "with-notice".into();
        with_notice.notice = Some("Moved from Thursday 25 March to Thursday 1 April 2027.".into());
        let mut same = event("cpi", "CPI", d(2027, 11, 2));
        same.moved_from = Some(d(2027, 11, 2));
        let mut cancelled = event("lab", "", d(2027, 1, 4));
        cancelled.status = Status::Cancelled;
        let ics = write_ics(&[moved, same, cancelled, with_notice], &options());
        let uid = uid_for("GDP Q1/2027");
        assert_eq!(uid, "GDP_20Q1_2F2027@stagger");
        assert_eq!(prop(&ics, &uid, "DTSTART").unwrap(), "20270401T083000Z");
        assert_eq!(prop(&ics, &uid, "DTEND").unwrap(), "20270401T090000Z");
        assert_eq!(prop(&ics, &uid, "SEQUENCE").unwrap(), "3");
        assert_eq!(prop(&ics, &uid, "STATUS").unwrap(), "CONFIRMED");
        assert_eq!(prop(&ics, &uid, "DTSTAMP").unwrap(), "20261121T120000Z");
        let desc = prop(&ics, &uid, "DESCRIPTION").unwrap();
        assert!(
            desc.contains("Moved from Thu 25 Mar 2027 to Thu 1 Apr 2027"),
            "{desc}"
        );
        assert!(desc.contains("Website, CMS"));
        let noticed = prop(&ics, "with-notice@stagger", "DESCRIPTION").unwrap();
        assert_eq!(
            noticed,
            "Release with-notice\nMoved from Thursday 25 March to Thursday 1 April 2027.\nFailure points: Website, CMS"
        );
        let public = write_ics(
            &[event("p", "P", d(2027, 4, 1))],
            &IcsOptions {
                name_failure_points: false,
                ..options()
            },
        );
        assert_eq!(
            prop(&public, "p@stagger", "DESCRIPTION").unwrap(),
            "Release p"
        );
        assert_eq!(prop(&ics, "cpi@stagger", "SEQUENCE").unwrap(), "0");
        assert_eq!(prop(&ics, "cpi@stagger", "STATUS").unwrap(), "TENTATIVE");
        assert_eq!(
            prop(&ics, "cpi@stagger", "DTSTART").unwrap(),
            "20271102T093000Z"
        );
        assert!(!prop(&ics, "cpi@stagger", "DESCRIPTION")
            .unwrap()
            .contains("Moved"));
        assert_eq!(prop(&ics, "lab@stagger", "STATUS").unwrap(), "CANCELLED");
        assert_eq!(prop(&ics, "lab@stagger", "SUMMARY").unwrap(), "lab");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 4);
    }

    #[test]
    fn uid_is_stable_and_distinct() {
        let a = write_ics(&[event("r-1", "One", d(2027, 5, 4))], &options());
        let b = write_ics(&[event("r-1", "One renamed", d(2027, 6, 8))], &options());
        assert_eq!(
            prop(&a, "r-1@stagger", "UID"),
            prop(&b, "r-1@stagger", "UID")
        );
        assert_ne!(uid_for("a b"), uid_for("a-b"));
        assert_ne!(uid_for("a_20b"), uid_for("a b"));
        assert_eq!(uid_for(""), "_@stagger");
    }

    proptest::proptest! {
        #![proptest_config(crate::prop_config(64))]
        #[test]
        fn any_title_folds_and_round_trips(title in "\\PC{1,120}") {
            let ics = write_ics(&[event("p", &title, d(2027, 6, 1))], &options());
            for line in ics.split("\r\n") {
                proptest::prop_assert!(line.len() <= 75);
            }
            let expected = summary_of(&event("p", &title, d(2027, 6, 1)));
            proptest::prop_assert_eq!(prop(&ics, "p@stagger", "SUMMARY"), Some(expected));
        }
    }

    #[test]
    fn bytes_are_deterministic() {
        let events = vec![
            event("a", "A", d(2027, 5, 4)),
            event("b", "B", d(2027, 5, 5)),
        ];
        assert_eq!(
            write_ics(&events, &options()),
            write_ics(&events, &options())
        );
    }

    #[test]
    fn matches_the_expected_three_event_calendar() {
        let mut e1 = event("gdp-q1", "GDP first estimate, Q1 2027", d(2027, 3, 26));
        e1.status = Status::Confirmed;
        let mut e2 = event(
            "cpi-mar",
            "Consumer price inflation: March 2027",
            d(2027, 4, 14),
        );
        e2.moved_from = Some(d(2027, 4, 13));
        e2.sequence = 1;
        e2.notice = Some(
            "Moved by one working day so that a CMS failure delays fewer releases.".to_string(),
        );
        e2.time = t(7, 0);
        let mut e3 = event("lms-oct", "", d(2027, 11, 2));
        e3.status = Status::Cancelled;
        e3.failure_points = vec![];
        let ics = write_ics(&[e1, e2, e3], &options());
        if std::env::var_os("STAGGER_BLESS").is_some() {
            std::fs::write("src/io/testdata/three_events.ics", &ics).unwrap();
        }
        let expected = include_str!("testdata/three_events.ics");
        assert_eq!(ics, expected);
    }
}
