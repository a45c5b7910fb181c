//! The iCalendar revision of each release's event, carried from plan to plan in
//! `schedule.csv` (columns `sequence` and `sequence_of`).
//!
//! Calendar clients that follow RFC 5546 apply an update to an event only when its
//! `SEQUENCE` is higher than the one they hold (or equal with a later `DTSTAMP`).
//! So the number must never go down for a release across plans, and must go up
//! whenever what the event says changes: its date, its time or its status.
//! `sequence_of` records what the number stands for (`2027-08-02 09:30 provisional`),
//! so a date, time or status edited by hand in the schedule between two plans is
//! noticed too.

use chrono::{NaiveDate, NaiveTime};

use crate::model::Status;

/// What a releases or schedule file recorded about a release's calendar event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventRevision {
    /// The `SEQUENCE` last published for the event (0 for a calendar never planned).
    pub sequence: u32,
    /// The state that `sequence` was published for (see [`event_state`]); `None`
    /// when the file does not say (then the row's own date, time and status are taken
    /// as published).
    pub state: Option<String>,
}

/// The event state a `SEQUENCE` number stands for: `YYYY-MM-DD HH:MM status`.
pub fn event_state(date: NaiveDate, time: NaiveTime, status: Status) -> String {
    format!("{date} {} {}", time.format("%H:%M"), status.as_str())
}

impl EventRevision {
    /// The revision for an event now at `state`, when the file's row was at
    /// `row_state`: the same number when nothing changed since it was published,
    /// else one more (saturating), with `state` recorded.
    pub fn next(&self, row_state: &str, state: &str) -> EventRevision {
        let published = self.state.as_deref().unwrap_or(row_state);
        let sequence = if published == state {
            self.sequence
        } else {
            self.sequence.saturating_add(1)
        };
        EventRevision {
            sequence,
            state: Some(state.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn t930() -> NaiveTime {
        NaiveTime::from_hms_opt(9, 30, 0).unwrap()
    }

    #[test]
    fn state_text() {
        assert_eq!(
            event_state(d("2027-08-02"), t930(), Status::Provisional),
            "2027-08-02 09:30 provisional"
        );
    }

    #[test]
    fn bumps_only_on_change_and_never_goes_down() {
        let row = event_state(d("2027-08-05"), t930(), Status::Provisional);
        let moved = event_state(d("2027-08-02"), t930(), Status::Provisional);
        // A fresh calendar: unchanged stays 0, moved becomes 1.
        let fresh = EventRevision::default();
        assert_eq!(fresh.next(&row, &row).sequence, 0);
        let first = fresh.next(&row, &moved);
        assert_eq!(first.sequence, 1);
        // Re-planned unchanged: stays 1.
        assert_eq!(first.next(&moved, &moved), first);
        // Moved again: 2.
        let again = event_state(d("2027-08-03"), t930(), Status::Provisional);
        assert_eq!(first.next(&moved, &again).sequence, 2);
        // Status edited by hand after the plan: the row differs from what was published.
        let confirmed = event_state(d("2027-08-02"), t930(), Status::Confirmed);
        assert_eq!(first.next(&confirmed, &confirmed).sequence, 2);
        let top = EventRevision {
            sequence: u32::MAX,
            state: Some(row.clone()),
        };
        assert_eq!(top.next(&row, &moved).sequence, u32::MAX);
    }
}
