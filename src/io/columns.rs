//! Header names: the columns `stagger` reads, the other names spreadsheets and release
//! calendars give them (`Release date` → `date`), and "did you mean" for near misses.

use super::table::Table;

/// Every column `releases.csv` (or a schedule, or an imported calendar) may have.
pub const RELEASE_COLUMNS: &[&str] = &[
    "id",
    "title",
    "date",
    "time",
    "status",
    "earliest",
    "latest",
    "depends_on",
    "weight",
    "region",
    "fallback",
    "scheduled_date",
    "proposed_date",
    "shift",
    "moved",
    "reason",
    "sequence",
    "sequence_of",
    "period",
    "series",
    "together",
    "after",
    "market_sensitive",
    "summary",
    "url",
    "organisations",
    "type",
    "categories",
    "previous_dates",
    "change_notes",
    "cancellation_reason",
    "period_note",
];

/// Other names for release columns (normalised: lower case, `_` for spaces and hyphens).
/// Documented in `docs/formats.md`.
pub const RELEASE_ALIASES: &[(&str, &str)] = &[
    ("release_id", "id"),
    ("identifier", "id"),
    ("slug", "id"),
    ("release_title", "title"),
    ("release_name", "title"),
    ("name", "title"),
    ("release_date", "date"),
    ("publication_date", "date"),
    ("release_day", "date"),
    ("release_time", "time"),
    ("publication_time", "time"),
    ("release_status", "status"),
    ("state", "status"),
    ("earliest_date", "earliest"),
    ("window_start", "earliest"),
    ("latest_date", "latest"),
    ("window_end", "latest"),
    ("dependson", "depends_on"),
    ("dependencies", "depends_on"),
    ("failure_points", "depends_on"),
    ("infrastructure", "depends_on"),
    ("importance", "weight"),
    ("nation", "region"),
    ("country", "region"),
    ("fallback_route", "fallback"),
    ("provisional_date", "period"),
    ("provisional_period", "period"),
    ("display_date", "period"),
    ("description", "summary"),
    ("link", "url"),
    ("organisation", "organisations"),
    ("organization", "organisations"),
    ("organizations", "organisations"),
];

/// Lower case, trimmed, spaces and hyphens written as `_` (`Release date` → `release_date`).
pub fn normalise_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().to_lowercase().chars() {
        let c = if c == ' ' || c == '-' { '_' } else { c };
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
    out
}

/// The known column nearest to `key`, when it is close enough to be a typo.
pub fn near_column<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for k in known {
        let score = strsim::jaro_winkler(key, k);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, k));
        }
    }
    best.filter(|(s, _)| *s >= 0.85).map(|(_, k)| k)
}

/// Normalises the table's header keys, reads aliases as their column (unless that
/// column is there too), and returns a note for each alias read and each unknown
/// column that looks like a misspelt known one.
pub fn apply_aliases(table: &mut Table, known: &[&str], aliases: &[(&str, &str)]) -> Vec<String> {
    let file = table.path.display().to_string();
    let normalised: Vec<String> = table.keys.iter().map(|k| normalise_key(k)).collect();
    let mut notes = Vec::new();
    for (i, key) in normalised.iter().enumerate() {
        let header = &table.headers[i];
        if known.contains(&key.as_str()) {
            table.keys[i] = key.clone();
            continue;
        }
        if let Some((_, canonical)) = aliases.iter().find(|(a, _)| a == key) {
            if !normalised.iter().any(|k| k == canonical) {
                table.keys[i] = (*canonical).to_string();
                notes.push(format!(
                    "{file}: column '{header}' is read as '{canonical}' (rename it to silence this note)"
                ));
                continue;
            }
        }
        if let Some(k) = near_column(key, known) {
            notes.push(format!(
                "{file}: column '{header}' is not a stagger column and is carried through \
                 unchanged: did you mean '{k}'?"
            ));
        }
    }
    notes
}

/// The header closest to a missing column, e.g. `Dte` for `date`, counting aliases.
pub fn header_like(table: &Table, column: &str, aliases: &[(&str, &str)]) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for h in &table.headers {
        let key = normalise_key(h);
        let alias_of = aliases.iter().find(|(a, _)| *a == key).map(|(_, c)| *c);
        let score = if alias_of == Some(column) {
            1.0
        } else {
            strsim::jaro_winkler(&key, column)
        };
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, h));
        }
    }
    best.filter(|(s, _)| *s >= 0.75).map(|(_, h)| h.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn table(header: &str) -> Table {
        Table::parse(Path::new("r.csv"), format!("{header}\nx\n").as_bytes()).unwrap()
    }

    #[test]
    fn aliases_and_near_misses() {
        let mut t = table("Release ID,Title,Release date,Depends-On,Depend_on,frequency,Status");
        let notes = apply_aliases(&mut t, RELEASE_COLUMNS, RELEASE_ALIASES);
        assert_eq!(
            t.keys,
            vec![
                "id",
                "title",
                "date",
                "depends_on",
                "depend_on",
                "frequency",
                "status"
            ]
        );
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].contains("'Release ID' is read as 'id'"));
        assert!(notes[1].contains("'Release date' is read as 'date'"));
        assert!(notes[2].contains("'Depend_on' is not a stagger column"));
        assert!(notes[2].contains("did you mean 'depends_on'?"));
    }

    #[test]
    fn an_alias_never_hides_the_real_column() {
        let mut t = table("id,date,release_date");
        apply_aliases(&mut t, RELEASE_COLUMNS, RELEASE_ALIASES);
        assert_eq!(t.keys, vec!["id", "date", "release_date"]);
    }

    #[test]
    fn the_header_like_a_missing_column() {
        let t = table("ident,Dte,title");
        assert_eq!(
            header_like(&t, "date", RELEASE_ALIASES).as_deref(),
            Some("Dte")
        );
        assert_eq!(header_like(&t, "depends_on", RELEASE_ALIASES), None);
    }
}
