//! iCalendar files (RFC 5545), as Outlook, Google Calendar and Apple Calendar export
//! them: each `VEVENT` is a release.
//!
//! | property | column |
//! |---|---|
//! | `UID` | `id` (a recurring event's occurrences: `UID-YYYY-MM-DD`, with `series` = `UID`) |
//! | `SUMMARY` | `title` |
//! | `DTSTART` (UTC `…Z`, `TZID=…`, floating, or `VALUE=DATE`) | `date`, `time` in Europe/London (an all-day event has no time: 09:30 applies) |
//! | `STATUS` `TENTATIVE` / `CONFIRMED` / `CANCELLED` | `status` provisional / confirmed / cancelled (no `STATUS`: provisional) |
//! | `DESCRIPTION` | `summary` |
//! | `URL` | `url` |
//! | `CATEGORIES` | `categories` |
//!
//! Floating times (no zone) are read in the calendar's `X-WR-TIMEZONE` when it names
//! one, else in Europe/London. `RRULE` (`FREQ=DAILY|WEEKLY|MONTHLY|YEARLY` with
//! `INTERVAL`, `COUNT`, `UNTIL`, `BYDAY`, `BYMONTHDAY`, `BYMONTH`, `WKST`), `RDATE`,
//! `EXDATE` and `RECURRENCE-ID` overrides are applied; a rule without `COUNT` or
//! `UNTIL` is expanded up to the `--until` date the user states.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{
    Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

use super::ons::file_label;
use super::{collapse, ImportStatus, Imported, ImportedRelease, Skipped};
use crate::io::{Diagnostic, InputError};

/// The dates to import recurring events over (and to keep releases within).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    /// First local date kept (inclusive).
    pub since: Option<NaiveDate>,
    /// Last local date kept (inclusive); also where an endless `RRULE` stops.
    pub until: Option<NaiveDate>,
}

impl DateRange {
    /// Whether `d` is inside the range.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.since.is_none_or(|s| d >= s) && self.until.is_none_or(|u| d <= u)
    }
}

/// The most occurrences one recurring event may have.
const MAX_OCCURRENCES: usize = 10_000;

/// One unfolded content line: `NAME;PARAM=V:value`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    number: usize,
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Line {
    fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one `.ics` file.
pub fn read(path: &Path, bytes: &[u8], range: &DateRange) -> Result<Imported, InputError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        InputError::new(
            path,
            vec![Diagnostic::new("the file is not valid UTF-8")
                .at_line(line)
                .with_hint("export the calendar again as UTF-8 (RFC 5545 requires it)")],
        )
    })?;
    let (lines, mut problems) = content_lines(text);
    let (calendar, events) = components(&lines, &mut problems);
    if problems.is_empty() && calendar.is_empty() && events.is_empty() {
        problems.push(
            Diagnostic::new("no BEGIN:VCALENDAR: this is not an iCalendar file")
                .with_hint("export the calendar as .ics (iCalendar)"),
        );
    }
    if !problems.is_empty() {
        return Err(InputError::new(path, problems));
    }
    let file = file_label(path);
    let floating_zone = calendar
        .iter()
        .find(|l| l.name == "X-WR-TIMEZONE")
        .and_then(|l| zone(&l.value))
        .unwrap_or(chrono_tz::Europe::London);
    let mut out = Imported::default();
    let mut no_status = 0;
    let mut no_uid = 0;
    // Overrides of single occurrences, by UID.
    let mut overrides: BTreeMap<String, Vec<&Vec<Line>>> = BTreeMap::new();
    for ev in &events {
        if let (Some(uid), true) = (value(ev, "UID"), value(ev, "RECURRENCE-ID").is_some()) {
            overrides.entry(uid.to_string()).or_default().push(ev);
        }
    }
    let ctx = Ctx {
        file: &file,
        floating: floating_zone,
        range,
    };
    for ev in &events {
        if value(ev, "RECURRENCE-ID").is_some() && value(ev, "UID").is_some() {
            continue; // applied to its master below
        }
        let origin = format!("{file}:{}", ev.first().map_or(0, |l| l.number));
        if value(ev, "STATUS").is_none() {
            no_status += 1;
        }
        if value(ev, "UID").is_none() {
            no_uid += 1;
        }
        let uid = value(ev, "UID").unwrap_or_default();
        let empty = Vec::new();
        let ov = overrides.get(uid).unwrap_or(&empty);
        match ctx.event(ev, &origin, ov) {
            Ok(rels) => out.releases.extend(rels),
            Err(reason) => out.skipped.push(Skipped { origin, reason }),
        }
    }
    if no_status > 0 {
        out.notes.push(format!(
            "{file}: {no_status} event(s) have no STATUS: imported as provisional (may move); \
             mark announced dates STATUS:CONFIRMED, or edit `status` in the CSV"
        ));
    }
    if no_uid > 0 {
        out.notes.push(format!(
            "{file}: {no_uid} event(s) have no UID: their id is made from the title and date"
        ));
    }
    Ok(out)
}

/// Unfolds lines (a line starting with a space or tab continues the previous one) and
/// splits each into name, parameters and value.
fn content_lines(text: &str) -> (Vec<Line>, Vec<Diagnostic>) {
    let mut raw: Vec<(usize, String)> = Vec::new();
    for (i, l) in text.split('\n').enumerate() {
        let l = l.strip_suffix('\r').unwrap_or(l);
        if let Some(rest) = l.strip_prefix([' ', '\t']) {
            if let Some(last) = raw.last_mut() {
                last.1.push_str(rest);
                continue;
            }
        }
        if !l.trim().is_empty() {
            raw.push((i + 1, l.to_string()));
        }
    }
    let mut lines = Vec::with_capacity(raw.len());
    let mut problems = Vec::new();
    for (number, l) in raw {
        match split_line(&l) {
            Some(line) => lines.push(Line { number, ..line }),
            None => problems.push(
                Diagnostic::new(format!(
                    "'{}' is not an iCalendar content line (NAME:value)",
                    l.chars().take(60).collect::<String>()
                ))
                .at_line(number)
                .with_hint("a continued line must start with a space"),
            ),
        }
    }
    (lines, problems)
}

/// `NAME;P=a,"b:c";Q=d:value` → name, parameters, value. Parameter values may be quoted.
fn split_line(l: &str) -> Option<Line> {
    let mut in_quotes = false;
    let mut colon = None;
    for (i, c) in l.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ':' if !in_quotes => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let colon = colon?;
    let (head, value) = (&l[..colon], &l[colon + 1..]);
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    for c in head.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    let name = parts.first()?.trim().to_ascii_uppercase();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let params = parts[1..]
        .iter()
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_ascii_uppercase(), v.trim().to_string()))
        })
        .collect();
    Some(Line {
        number: 0,
        name,
        params,
        value: value.to_string(),
    })
}

/// The calendar's own properties and each `VEVENT`'s properties (nested components such
/// as `VALARM` are left out). Unbalanced `BEGIN`/`END` are reported with their lines.
fn components(lines: &[Line], problems: &mut Vec<Diagnostic>) -> (Vec<Line>, Vec<Vec<Line>>) {
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut calendar = Vec::new();
    let mut events = Vec::new();
    let mut current: Option<Vec<Line>> = None;
    for l in lines {
        match l.name.as_str() {
            "BEGIN" => {
                let what = l.value.trim().to_ascii_uppercase();
                if what == "VEVENT" {
                    current = Some(vec![l.clone()]);
                }
                stack.push((what, l.number));
            }
            "END" => {
                let what = l.value.trim().to_ascii_uppercase();
                match stack.pop() {
                    Some((open, _)) if open == what => {
                        if what == "VEVENT" {
                            events.extend(current.take());
                        }
                    }
                    Some((open, at)) => problems.push(
                        Diagnostic::new(format!("END:{what} closes BEGIN:{open} of line {at}"))
                            .at_line(l.number)
                            .with_hint(format!("add END:{open} before this line")),
                    ),
                    None => problems.push(
                        Diagnostic::new(format!("END:{what} without a BEGIN:{what}"))
                            .at_line(l.number),
                    ),
                }
            }
            _ => {
                let top = stack.last().map(|(w, _)| w.as_str());
                match (top, current.as_mut()) {
                    (Some("VEVENT"), Some(ev)) => ev.push(l.clone()),
                    (Some("VCALENDAR"), _) => calendar.push(l.clone()),
                    _ => {}
                }
            }
        }
    }
    for (open, at) in stack {
        problems.push(
            Diagnostic::new(format!(
                "BEGIN:{open} is never closed: the file ends inside it"
            ))
            .at_line(at)
            .with_hint(format!("add END:{open}; the file may have been cut short")),
        );
    }
    (calendar, events)
}

fn value<'a>(ev: &'a [Line], name: &str) -> Option<&'a str> {
    prop(ev, name).map(|l| l.value.as_str())
}

fn prop<'a>(ev: &'a [Line], name: &str) -> Option<&'a Line> {
    ev.iter().find(|l| l.name == name)
}

/// Undoes TEXT escaping (`\n`, `\,`, `\;`, `\\`).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits a TEXT list on unescaped commas.
fn text_list(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            cur.push('\\');
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.iter()
        .map(|x| collapse(&unescape(x)))
        .filter(|x| !x.is_empty())
        .collect()
}

/// A time zone named by a `TZID`: an IANA name (also behind a `/mozilla.org/…/` style
/// prefix), or one of the Windows names Outlook writes.
fn zone(name: &str) -> Option<Tz> {
    let name = name.trim().trim_matches('"');
    if let Ok(tz) = name.parse::<Tz>() {
        return Some(tz);
    }
    let segments: Vec<&str> = name.split('/').collect();
    for i in 1..segments.len() {
        if let Ok(tz) = segments[i..].join("/").parse::<Tz>() {
            return Some(tz);
        }
    }
    let windows = match name {
        "GMT Standard Time" | "GMT Daylight Time" => "Europe/London",
        "Greenwich Standard Time" => "Atlantic/Reykjavik",
        "UTC" | "Coordinated Universal Time" => "UTC",
        "W. Europe Standard Time" => "Europe/Berlin",
        "Romance Standard Time" => "Europe/Paris",
        "Central Europe Standard Time" => "Europe/Budapest",
        "Central European Standard Time" => "Europe/Warsaw",
        "Irish Standard Time" => "Europe/Dublin",
        "Eastern Standard Time" => "America/New_York",
        "Pacific Standard Time" => "America/Los_Angeles",
        _ => return None,
    };
    windows.parse().ok()
}

/// A `DTSTART`-like value as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    /// `VALUE=DATE`: an all-day event.
    Date(NaiveDate),
    /// Local time in a zone (floating times get the calendar's zone).
    Local(NaiveDateTime, Tz),
    /// `…Z`.
    Utc(NaiveDateTime),
}

impl When {
    /// The Europe/London local date and time (none for an all-day event).
    fn london(self) -> (NaiveDate, Option<NaiveTime>) {
        match self {
            When::Date(d) => (d, None),
            When::Utc(t) => {
                let (d, time) = super::london_local(Utc.from_utc_datetime(&t));
                (d, Some(time))
            }
            When::Local(t, tz) => {
                let utc = local_to_utc(tz, t);
                let (d, time) = super::london_local(utc);
                (d, Some(time))
            }
        }
    }

    fn local(self) -> NaiveDateTime {
        match self {
            When::Date(d) => d.and_time(NaiveTime::MIN),
            When::Local(t, _) | When::Utc(t) => t,
        }
    }

    /// The same kind of value at another local date-time.
    fn with_local(self, t: NaiveDateTime) -> When {
        match self {
            When::Date(_) => When::Date(t.date()),
            When::Local(_, tz) => When::Local(t, tz),
            When::Utc(_) => When::Utc(t),
        }
    }
}

/// A local time in `tz` as UTC: an ambiguous time is its first occurrence, a time in
/// the spring gap is read with the offset before the gap (RFC 5545 §3.3.5).
fn local_to_utc(tz: Tz, t: NaiveDateTime) -> chrono::DateTime<Utc> {
    match tz.from_local_datetime(&t) {
        LocalResult::Single(x) | LocalResult::Ambiguous(x, _) => x.with_timezone(&Utc),
        LocalResult::None => {
            let later = t + Duration::hours(1);
            match tz.from_local_datetime(&later) {
                LocalResult::Single(x) | LocalResult::Ambiguous(x, _) => {
                    x.with_timezone(&Utc) - Duration::hours(1)
                }
                LocalResult::None => Utc.from_utc_datetime(&t),
            }
        }
    }
}

struct Ctx<'a> {
    file: &'a str,
    floating: Tz,
    range: &'a DateRange,
}

impl Ctx<'_> {
    /// Parses a date or date-time property value (one value of a list).
    fn when(&self, line: &Line, raw: &str) -> Result<When, String> {
        let raw = raw.trim();
        let bad = || {
            format!(
                "{} '{raw}' (line {}) is not an iCalendar date (20261015) or date-time \
                 (20261015T093000, 20261015T083000Z)",
                line.name, line.number
            )
        };
        let is_date = line
            .param("VALUE")
            .is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
            || raw.len() == 8;
        if is_date {
            return NaiveDate::parse_from_str(raw, "%Y%m%d")
                .map(When::Date)
                .map_err(|_| bad());
        }
        let (body, utc) = match raw.strip_suffix(['Z', 'z']) {
            Some(b) => (b, true),
            None => (raw, false),
        };
        let t = NaiveDateTime::parse_from_str(body, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
        if utc {
            return Ok(When::Utc(t));
        }
        match line.param("TZID") {
            Some(name) => match zone(name) {
                Some(tz) => Ok(When::Local(t, tz)),
                None => Err(format!(
                    "{} on line {} names the time zone '{name}', which is not known: use an \
                     IANA name such as Europe/London",
                    line.name, line.number
                )),
            },
            None => Ok(When::Local(t, self.floating)),
        }
    }

    /// All values of every occurrence of a list property (`EXDATE`, `RDATE`).
    fn whens(&self, ev: &[Line], name: &str) -> Result<Vec<When>, String> {
        let mut out = Vec::new();
        for l in ev.iter().filter(|l| l.name == name) {
            if l.param("VALUE")
                .is_some_and(|v| v.eq_ignore_ascii_case("PERIOD"))
            {
                return Err(format!(
                    "{name} periods (line {}) are not supported",
                    l.number
                ));
            }
            for v in l.value.split(',').filter(|v| !v.trim().is_empty()) {
                out.push(self.when(l, v)?);
            }
        }
        Ok(out)
    }

    fn event(
        &self,
        ev: &[Line],
        origin: &str,
        overrides: &[&Vec<Line>],
    ) -> Result<Vec<ImportedRelease>, String> {
        let start_line = prop(ev, "DTSTART").ok_or("the event has no DTSTART")?;
        let start = self.when(start_line, &start_line.value)?;
        let base = self.release(ev, origin, start)?;
        let Some(rule_line) = prop(ev, "RRULE") else {
            if value(ev, "RDATE").is_none() {
                return Ok(vec![base]);
            }
            return self.occurrences(ev, &base, vec![start], overrides, origin);
        };
        let rule = Rule::parse(&rule_line.value)
            .map_err(|e| format!("RRULE (line {}): {e}", rule_line.number))?;
        if rule.count.is_none() && rule.until.is_none() && self.range.until.is_none() {
            return Err(format!(
                "'{}' repeats without end (RRULE has no COUNT or UNTIL): state the range to \
                 expand it over with --until DATE (and --since DATE)",
                base.id
            ));
        }
        let until = match &rule.until {
            Some(u) => Some(self.when(rule_line, u)?),
            None => None,
        };
        let stop = self.range.until.map(|u| u + Duration::days(2));
        let mut starts = rule.expand(start, until, stop)?;
        starts.sort_by_key(|w| w.local());
        starts.dedup_by_key(|w| w.local());
        self.occurrences(ev, &base, starts, overrides, origin)
    }

    /// Occurrences of a recurring event: rule dates plus `RDATE`, less `EXDATE`, with
    /// `RECURRENCE-ID` overrides applied.
    fn occurrences(
        &self,
        ev: &[Line],
        base: &ImportedRelease,
        mut starts: Vec<When>,
        overrides: &[&Vec<Line>],
        origin: &str,
    ) -> Result<Vec<ImportedRelease>, String> {
        starts.extend(self.whens(ev, "RDATE")?);
        let excluded: Vec<(NaiveDate, Option<NaiveTime>)> = self
            .whens(ev, "EXDATE")?
            .into_iter()
            .map(When::london)
            .collect();
        let mut by_recurrence: BTreeMap<(NaiveDate, Option<NaiveTime>), &Vec<Line>> =
            BTreeMap::new();
        for o in overrides {
            if let Some(l) = prop(o, "RECURRENCE-ID") {
                by_recurrence.insert(self.when(l, &l.value)?.london(), o);
            }
        }
        let series = base.id.clone();
        let mut out = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for s in starts {
            let key = s.london();
            if !seen.insert(key) {
                continue;
            }
            let excluded_here = excluded
                .iter()
                .any(|(d, t)| *d == key.0 && (t.is_none() || *t == key.1));
            if excluded_here {
                continue;
            }
            let mut r = match by_recurrence.remove(&key) {
                Some(o) => {
                    let l = prop(o, "DTSTART");
                    let w = match l {
                        Some(l) => self.when(l, &l.value)?,
                        None => s,
                    };
                    let line = o.first().map_or(0, |l| l.number);
                    self.release(o, &format!("{}:{line}", self.file), w)?
                }
                None => {
                    let mut r = base.clone();
                    let (d, t) = key;
                    r.date = Some(d);
                    r.time = t;
                    r.origin = origin.to_string();
                    r
                }
            };
            r.id = format!("{series}-{}", key.0);
            r.series = series.clone();
            out.push(r);
        }
        if out.len() > MAX_OCCURRENCES {
            return Err(format!(
                "'{series}' has {} occurrences, more than the {MAX_OCCURRENCES} stagger expands: \
                 state a shorter range with --since/--until",
                out.len()
            ));
        }
        Ok(out)
    }

    /// The release of one event at `start`.
    fn release(&self, ev: &[Line], origin: &str, start: When) -> Result<ImportedRelease, String> {
        let title = collapse(&unescape(value(ev, "SUMMARY").unwrap_or_default()));
        let (date, time) = start.london();
        let id = match value(ev, "UID").map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) => u.to_string(),
            None => {
                let slug: String = title
                    .to_lowercase()
                    .chars()
                    .map(|c| if c.is_alphanumeric() { c } else { '-' })
                    .collect::<String>()
                    .split('-')
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join("-");
                let slug = if slug.is_empty() {
                    "event".into()
                } else {
                    slug
                };
                format!("{slug}-{date}")
            }
        };
        let status = match value(ev, "STATUS").map(|s| s.trim().to_ascii_uppercase()) {
            None => ImportStatus::Provisional,
            Some(s) => match s.as_str() {
                "TENTATIVE" => ImportStatus::Provisional,
                "CONFIRMED" => ImportStatus::Confirmed,
                "CANCELLED" => ImportStatus::Cancelled,
                other => {
                    return Err(format!(
                        "'{id}' has STATUS:{other}: expected TENTATIVE, CONFIRMED or CANCELLED"
                    ))
                }
            },
        };
        Ok(ImportedRelease {
            id,
            title,
            date: Some(date),
            time,
            status: Some(status),
            summary: collapse(&unescape(value(ev, "DESCRIPTION").unwrap_or_default())),
            url: value(ev, "URL").unwrap_or_default().trim().to_string(),
            categories: ev
                .iter()
                .filter(|l| l.name == "CATEGORIES")
                .flat_map(|l| text_list(&l.value))
                .collect(),
            origin: origin.to_string(),
            ..ImportedRelease::default()
        })
    }
}

/// The supported part of an `RRULE`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    freq: Freq,
    interval: u32,
    count: Option<usize>,
    until: Option<String>,
    /// (ordinal, weekday): ordinal 0 for "every".
    by_day: Vec<(i32, Weekday)>,
    by_month_day: Vec<i32>,
    by_month: Vec<u32>,
    week_start: Weekday,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

impl Rule {
    fn parse(s: &str) -> Result<Rule, String> {
        let mut rule = Rule {
            freq: Freq::Weekly,
            interval: 1,
            count: None,
            until: None,
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_month: Vec::new(),
            week_start: Weekday::Mon,
        };
        let mut freq = None;
        for part in s.trim().split(';').filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("'{part}' is not KEY=VALUE"))?;
            let v = v.trim().to_ascii_uppercase();
            let list = || v.split(',').map(str::trim).filter(|x| !x.is_empty());
            let num = |x: &str| {
                x.parse::<i32>()
                    .map_err(|_| format!("{k}={v}: '{x}' is not a number"))
            };
            match k.trim().to_ascii_uppercase().as_str() {
                "FREQ" => {
                    freq = Some(match v.as_str() {
                        "DAILY" => Freq::Daily,
                        "WEEKLY" => Freq::Weekly,
                        "MONTHLY" => Freq::Monthly,
                        "YEARLY" => Freq::Yearly,
                        other => {
                            return Err(format!(
                                "FREQ={other} is not supported (DAILY, WEEKLY, MONTHLY or YEARLY)"
                            ))
                        }
                    })
                }
                "INTERVAL" => {
                    rule.interval = v
                        .parse()
                        .ok()
                        .filter(|&n: &u32| (1..=1000).contains(&n))
                        .ok_or_else(|| format!("INTERVAL={v} is not a whole number 1–1000"))?
                }
                "COUNT" => {
                    rule.count = Some(
                        v.parse()
                            .ok()
                            .filter(|&n: &usize| n >= 1)
                            .ok_or_else(|| format!("COUNT={v} is not a positive whole number"))?,
                    )
                }
                "UNTIL" => rule.until = Some(v.clone()),
                "BYDAY" => {
                    for d in list() {
                        let split = d.len().saturating_sub(2);
                        let (n, wd) = d.split_at(split);
                        let wd = weekday(wd).ok_or_else(|| format!("BYDAY: '{d}' is not a day"))?;
                        let n = if n.is_empty() || n == "+" { 0 } else { num(n)? };
                        rule.by_day.push((n, wd));
                    }
                }
                "BYMONTHDAY" => {
                    for d in list() {
                        let n = num(d)?;
                        if n == 0 || !(-31..=31).contains(&n) {
                            return Err(format!("BYMONTHDAY: {n} is not a day of a month"));
                        }
                        rule.by_month_day.push(n);
                    }
                }
                "BYMONTH" => {
                    for m in list() {
                        let n = num(m)?;
                        if !(1..=12).contains(&n) {
                            return Err(format!("BYMONTH: {n} is not a month"));
                        }
                        rule.by_month.push(n as u32);
                    }
                }
                "WKST" => {
                    rule.week_start = weekday(&v).ok_or_else(|| format!("WKST={v} is not a day"))?
                }
                other => {
                    return Err(format!(
                        "{other} is not supported (stagger expands FREQ, INTERVAL, COUNT, UNTIL, \
                         BYDAY, BYMONTHDAY, BYMONTH and WKST)"
                    ))
                }
            }
        }
        rule.freq = freq.ok_or("no FREQ")?;
        if rule.count.is_some() && rule.until.is_some() {
            return Err("COUNT and UNTIL together are not allowed (RFC 5545)".into());
        }
        let ordinal = rule.by_day.iter().any(|(n, _)| *n != 0);
        if ordinal && !matches!(rule.freq, Freq::Monthly | Freq::Yearly) {
            return Err("numbered BYDAY (e.g. 2TH) only goes with FREQ=MONTHLY or YEARLY".into());
        }
        if rule.freq == Freq::Yearly && !rule.by_day.is_empty() && rule.by_month.is_empty() {
            return Err("FREQ=YEARLY with BYDAY needs BYMONTH".into());
        }
        Ok(rule)
    }

    /// The dates in one month that BYMONTHDAY/BYDAY pick (or the start's day of month).
    fn month_days(&self, y: i32, m: u32, start_day: u32) -> Vec<NaiveDate> {
        let Some(first) = NaiveDate::from_ymd_opt(y, m, 1) else {
            return Vec::new();
        };
        let last = (if m == 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(y, m + 1, 1)
        })
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
        let len = last.day() as i32;
        let all: Vec<NaiveDate> = first.iter_days().take(len as usize).collect();
        let by_md: Vec<NaiveDate> = self
            .by_month_day
            .iter()
            .filter_map(|&n| {
                let d = if n > 0 { n } else { len + 1 + n };
                (1..=len).contains(&d).then(|| all[(d - 1) as usize])
            })
            .collect();
        let by_d: Vec<NaiveDate> = self
            .by_day
            .iter()
            .flat_map(|&(n, wd)| {
                let days: Vec<NaiveDate> =
                    all.iter().copied().filter(|d| d.weekday() == wd).collect();
                match n {
                    0 => days,
                    n if n > 0 => days.get((n - 1) as usize).copied().into_iter().collect(),
                    n => {
                        let i = days.len() as i32 + n;
                        (i >= 0).then(|| days[i as usize]).into_iter().collect()
                    }
                }
            })
            .collect();
        let mut out = match (self.by_month_day.is_empty(), self.by_day.is_empty()) {
            (true, true) => NaiveDate::from_ymd_opt(y, m, start_day)
                .into_iter()
                .collect(),
            (false, true) => by_md,
            (true, false) => by_d,
            (false, false) => by_md.into_iter().filter(|d| by_d.contains(d)).collect(),
        };
        out.sort();
        out.dedup();
        out
    }

    /// Occurrence starts from `start` (which is always the first), up to COUNT, UNTIL,
    /// or `stop` (a local date past which nothing is kept).
    fn expand(
        &self,
        start: When,
        until: Option<When>,
        stop: Option<NaiveDate>,
    ) -> Result<Vec<When>, String> {
        let t0 = start.local();
        let time = t0.time();
        let d0 = t0.date();
        let until_ok = |w: When| -> bool {
            match until {
                None => true,
                Some(When::Date(u)) => w.local().date() <= u,
                Some(When::Utc(u)) => match w {
                    When::Local(t, tz) => local_to_utc(tz, t).naive_utc() <= u,
                    When::Utc(t) => t <= u,
                    When::Date(d) => d <= u.date(),
                },
                Some(When::Local(u, _)) => w.local() <= u,
            }
        };
        let in_month =
            |d: NaiveDate| self.by_month.is_empty() || self.by_month.contains(&d.month());
        let mut out = vec![start];
        let limit = self.count.unwrap_or(usize::MAX);
        let step = i64::from(self.interval);
        for k in 0.. {
            if out.len() >= limit || out.len() > MAX_OCCURRENCES {
                break;
            }
            let candidates: Vec<NaiveDate> = match self.freq {
                Freq::Daily => {
                    let d = d0 + Duration::days(step * k);
                    let day_ok = self.by_day.is_empty()
                        || self.by_day.iter().any(|(_, w)| *w == d.weekday());
                    let md_ok = self.by_month_day.is_empty()
                        || self.month_days(d.year(), d.month(), d.day()).contains(&d);
                    if day_ok && md_ok {
                        vec![d]
                    } else {
                        vec![]
                    }
                }
                Freq::Weekly => {
                    let back = (7 + d0.weekday().num_days_from_monday() as i64
                        - self.week_start.num_days_from_monday() as i64)
                        % 7;
                    let week = d0 - Duration::days(back) + Duration::days(7 * step * k);
                    let days: Vec<Weekday> = if self.by_day.is_empty() {
                        vec![d0.weekday()]
                    } else {
                        self.by_day.iter().map(|(_, w)| *w).collect()
                    };
                    let mut c: Vec<NaiveDate> = (0..7)
                        .map(|i| week + Duration::days(i))
                        .filter(|d| days.contains(&d.weekday()))
                        .collect();
                    c.sort();
                    c
                }
                Freq::Monthly => {
                    let months = d0.year() as i64 * 12 + d0.month0() as i64 + step * k;
                    let (y, m) = (
                        (months.div_euclid(12)) as i32,
                        (months.rem_euclid(12) + 1) as u32,
                    );
                    self.month_days(y, m, d0.day())
                }
                Freq::Yearly => {
                    let y = d0.year() + (step * k) as i32;
                    let months = if self.by_month.is_empty() {
                        vec![d0.month()]
                    } else {
                        self.by_month.clone()
                    };
                    let mut c: Vec<NaiveDate> = months
                        .iter()
                        .flat_map(|&m| self.month_days(y, m, d0.day()))
                        .collect();
                    c.sort();
                    c
                }
            };
            let mut past_end = false;
            for d in candidates {
                if d <= d0 || !in_month(d) {
                    continue;
                }
                let w = start.with_local(d.and_time(time));
                if !until_ok(w) || stop.is_some_and(|s| d > s) {
                    past_end = true;
                    break;
                }
                out.push(w);
                if out.len() >= limit {
                    break;
                }
            }
            // Whole periods before the start produce nothing; stop once past the end.
            let period_start = match self.freq {
                Freq::Daily => d0 + Duration::days(step * k),
                Freq::Weekly => d0 + Duration::days(7 * step * k),
                Freq::Monthly => d0 + Duration::days(28 * step * k),
                Freq::Yearly => d0 + Duration::days(365 * step * k),
            };
            let beyond = stop.is_some_and(|s| period_start > s + Duration::days(400))
                || match until {
                    Some(u) => period_start > u.local().date() + Duration::days(400),
                    None => false,
                };
            if past_end || beyond {
                break;
            }
            if k > 200_000 {
                return Err("the rule produces no end of occurrences".into());
            }
        }
        if out.len() > MAX_OCCURRENCES {
            return Err(format!(
                "more than {MAX_OCCURRENCES} occurrences: state a shorter range with --until"
            ));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    fn ics(body: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n")
    }

    fn import(body: &str, range: DateRange) -> Imported {
        read(Path::new("cal.ics"), ics(body).as_bytes(), &range).unwrap()
    }

    #[test]
    fn every_dtstart_form_becomes_london_local_time() {
        let got = import(
            "BEGIN:VEVENT\r\nUID:zoned\r\nSUMMARY:Zoned\r\nDTSTART;TZID=Europe/London:20261015T093000\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:utc\r\nSUMMARY:UTC in summer\r\nDTSTART:20260702T083000Z\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:floating\r\nSUMMARY:Floating\r\nDTSTART:20261203T070000\r\nSTATUS:TENTATIVE\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:allday\r\nSUMMARY:All day\r\nDTSTART;VALUE=DATE:20261204\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:paris\r\nSUMMARY:Paris\r\nDTSTART;TZID=\"Europe/Paris\":20260115T103000\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:outlook\r\nSUMMARY:Outlook\r\nDTSTART;TZID=GMT Standard Time:20260615T093000\r\nEND:VEVENT\r\n",
            DateRange::default(),
        );
        let by = |id: &str| got.releases.iter().find(|r| r.id == id).unwrap().clone();
        assert_eq!(
            (by("zoned").date, by("zoned").time),
            (Some(d(2026, 10, 15)), t(9, 30))
        );
        assert_eq!(by("zoned").status, Some(ImportStatus::Confirmed));
        assert_eq!(by("utc").time, t(9, 30), "08:30Z is 09:30 BST");
        assert_eq!(by("floating").time, t(7, 0));
        assert_eq!(by("floating").status, Some(ImportStatus::Provisional));
        assert_eq!(
            (by("allday").date, by("allday").time),
            (Some(d(2026, 12, 4)), None)
        );
        assert_eq!(by("allday").status, Some(ImportStatus::Cancelled));
        assert_eq!(by("paris").time, t(9, 30));
        assert_eq!(by("outlook").time, t(9, 30));
        assert!(
            got.notes[0].contains("3 event(s) have no STATUS"),
            "{:?}",
            got.notes
        );
    }

    #[test]
    fn floating_times_use_the_calendars_zone() {
        let got = import(
            "X-WR-TIMEZONE:America/New_York\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260115T043000\r\nEND:VEVENT\r\n",
            DateRange::default(),
        );
        assert_eq!(got.releases[0].time, t(9, 30));
    }

    #[test]
    fn folded_lines_escapes_and_categories() {
        let got = import(
            "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Births\\, deaths and\r\n  marriages\r\nDESCRIPTION:Line one\\nline two\\; more\r\nCATEGORIES:Health,Population\r\nURL:https://example.org/a\r\nDTSTART:20260115T093000Z\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:alarm text\r\nEND:VALARM\r\nEND:VEVENT\r\n",
            DateRange::default(),
        );
        let r = &got.releases[0];
        assert_eq!(r.title, "Births, deaths and marriages");
        assert_eq!(r.summary, "Line one line two; more");
        assert_eq!(r.categories, vec!["Health", "Population"]);
        assert_eq!(r.url, "https://example.org/a");
    }

    #[test]
    fn a_weekly_rule_is_expanded_with_exdate_and_an_override() {
        // Every Thursday 09:30 London from 1 October 2026 for 6 weeks, across the clock change;
        // 15 October excluded, 29 October moved to Friday 30 October and cancelled on 5 November.
        let got = import(
            "BEGIN:VEVENT\r\nUID:weekly-deaths\r\nSUMMARY:Deaths registered weekly\r\nDTSTART;TZID=Europe/London:20261001T093000\r\n\
             RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=6\r\nEXDATE;TZID=Europe/London:20261015T093000\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:weekly-deaths\r\nRECURRENCE-ID;TZID=Europe/London:20261029T093000\r\nSUMMARY:Deaths registered weekly (moved)\r\nDTSTART;TZID=Europe/London:20261030T093000\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:weekly-deaths\r\nRECURRENCE-ID:20261105T093000Z\r\nSUMMARY:Deaths registered weekly\r\nDTSTART:20261105T093000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n",
            DateRange::default(),
        );
        type Row = (
            String,
            Option<NaiveDate>,
            Option<NaiveTime>,
            Option<ImportStatus>,
        );
        let got: Vec<Row> = got
            .releases
            .iter()
            .map(|r| (r.id.clone(), r.date, r.time, r.status))
            .collect();
        let c = Some(ImportStatus::Confirmed);
        assert_eq!(
            got,
            vec![
                (
                    "weekly-deaths-2026-10-01".into(),
                    Some(d(2026, 10, 1)),
                    t(9, 30),
                    c
                ),
                (
                    "weekly-deaths-2026-10-08".into(),
                    Some(d(2026, 10, 8)),
                    t(9, 30),
                    c
                ),
                (
                    "weekly-deaths-2026-10-22".into(),
                    Some(d(2026, 10, 22)),
                    t(9, 30),
                    c
                ),
                (
                    "weekly-deaths-2026-10-29".into(),
                    Some(d(2026, 10, 30)),
                    t(9, 30),
                    c
                ),
                (
                    "weekly-deaths-2026-11-05".into(),
                    Some(d(2026, 11, 5)),
                    t(9, 30),
                    Some(ImportStatus::Cancelled)
                ),
            ]
        );
    }

    #[test]
    fn an_endless_rule_needs_a_stated_range() {
        let body = "BEGIN:VEVENT\r\nUID:w\r\nSUMMARY:Weekly\r\nDTSTART;TZID=Europe/London:20260105T093000\r\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE\r\nEND:VEVENT\r\n";
        let none = import(body, DateRange::default());
        assert!(none.releases.is_empty());
        assert!(
            none.skipped[0].reason.contains("--until"),
            "{:?}",
            none.skipped
        );
        let ranged = import(
            body,
            DateRange {
                since: None,
                until: Some(d(2026, 1, 31)),
            },
        );
        let dates: Vec<NaiveDate> = ranged.releases.iter().filter_map(|r| r.date).collect();
        // Fortnightly Mondays and Wednesdays, up to two days past --until (the caller
        // keeps the range; the margin covers zones a day ahead of London).
        assert_eq!(
            dates,
            vec![
                d(2026, 1, 5),
                d(2026, 1, 7),
                d(2026, 1, 19),
                d(2026, 1, 21),
                d(2026, 2, 2)
            ]
        );
        assert!(ranged.releases.iter().all(|r| r.series == "w"));
    }

    #[test]
    fn monthly_and_yearly_rules() {
        let rule = Rule::parse("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3").unwrap();
        let start = When::Local(
            d(2026, 1, 30).and_hms_opt(9, 30, 0).unwrap(),
            chrono_tz::Europe::London,
        );
        let got: Vec<NaiveDate> = rule
            .expand(start, None, None)
            .unwrap()
            .iter()
            .map(|w| w.local().date())
            .collect();
        assert_eq!(got, vec![d(2026, 1, 30), d(2026, 2, 27), d(2026, 3, 27)]);
        let rule = Rule::parse("FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20260701").unwrap();
        let start = When::Date(d(2026, 1, 31));
        let got: Vec<NaiveDate> = rule
            .expand(start, Some(When::Date(d(2026, 7, 1))), None)
            .unwrap()
            .iter()
            .map(|w| w.local().date())
            .collect();
        assert_eq!(got, vec![d(2026, 1, 31), d(2026, 3, 31), d(2026, 5, 31)]);
        let rule = Rule::parse("FREQ=YEARLY;COUNT=2").unwrap();
        let got = rule.expand(When::Date(d(2026, 3, 5)), None, None).unwrap();
        assert_eq!(got[1], When::Date(d(2027, 3, 5)));
    }

    #[test]
    fn unsupported_rules_and_statuses_are_skipped_with_the_reason() {
        let got = import(
            "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260105T093000Z\r\nRRULE:FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20260105T093000Z\r\nSTATUS:MAYBE\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:c\r\nSUMMARY:No start\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:d\r\nDTSTART;TZID=Mars/Olympus:20260105T093000\r\nEND:VEVENT\r\n",
            DateRange::default(),
        );
        assert!(got.releases.is_empty());
        let reasons: Vec<&str> = got.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert!(
            reasons[0].contains("BYSETPOS is not supported"),
            "{reasons:?}"
        );
        assert!(reasons[1].contains("STATUS:MAYBE"), "{reasons:?}");
        assert!(reasons[2].contains("no DTSTART"), "{reasons:?}");
        assert!(reasons[3].contains("Mars/Olympus"), "{reasons:?}");
        assert_eq!(got.skipped[0].origin, "cal.ics:4");
    }

    #[test]
    fn broken_files_report_lines() {
        let e = read(
            Path::new("x.ics"),
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nnonsense line\n",
            &DateRange::default(),
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(text.contains("x.ics:4"), "{text}");
        assert!(text.contains("BEGIN:VEVENT is never closed"), "{text}");
        let e = read(Path::new("y.ics"), b"id,date\n", &DateRange::default()).unwrap_err();
        assert!(e.to_string().contains("not an iCalendar"), "{e}");
    }

    #[test]
    fn no_uid_makes_an_id_from_title_and_date() {
        let got = import(
            "BEGIN:VEVENT\r\nSUMMARY:Labour market: overview\r\nDTSTART:20260115T070000Z\r\nEND:VEVENT\r\n",
            DateRange::default(),
        );
        assert_eq!(got.releases[0].id, "labour-market-overview-2026-01-15");
        assert!(got.notes.iter().any(|n| n.contains("no UID")));
    }
}
