//! `--depends-on-rule FILE`: a CSV of `pattern,depends_on` that maps releases to
//! failure points by their title, id or organisation, so a team can describe hundreds
//! of releases in a dozen lines.
//!
//! ```csv
//! pattern,depends_on,column
//! /^(GDP|Labour market)/,ons-website;team-economy,
//! census,ons-website;census-platform,
//! office-for-national-statistics,ons-website,organisations
//! ```
//!
//! A pattern is a case-insensitive substring, or a regular expression written between
//! slashes (`/…/`, also case-insensitive). It is tried against the release's `title`,
//! `id`, `organisations` and `categories`, or against the one column named in the
//! optional `column` field. A release gets the failure points of every rule that
//! matches it, in rule order, without repeats. Rules only fill releases whose own
//! `depends_on` is empty.

use std::path::{Path, PathBuf};

use regex::{Regex, RegexBuilder};

use super::fields::{nearest, split_ids};
use super::table::Table;
use super::{Diagnostic, InputError};

/// Where a rule's pattern is looked for when it names no column.
pub const DEFAULT_RULE_COLUMNS: [&str; 4] = ["title", "id", "organisations", "categories"];

#[derive(Debug, Clone)]
enum Pattern {
    /// Lower-cased substring.
    Substring(String),
    /// Case-insensitive regular expression.
    Regex(Regex),
}

impl Pattern {
    fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Substring(s) => text.to_lowercase().contains(s.as_str()),
            Pattern::Regex(r) => r.is_match(text),
        }
    }
}

/// One rule of a `--depends-on-rule` file.
#[derive(Debug, Clone)]
pub struct DependsRule {
    /// The pattern as written.
    pub pattern_text: String,
    pattern: Pattern,
    /// Failure point ids a matching release depends on.
    pub depends_on: Vec<String>,
    /// The (lower-case) column to match, or `None` for [`DEFAULT_RULE_COLUMNS`].
    pub column: Option<String>,
    /// Line in the rules file.
    pub line: usize,
}

/// A parsed `--depends-on-rule` file.
#[derive(Debug, Clone)]
pub struct DependsRules {
    /// The file, for messages.
    pub path: PathBuf,
    /// The rules in file order.
    pub rules: Vec<DependsRule>,
}

impl DependsRules {
    /// Reads and validates a rules file (`-` reads standard input).
    pub fn read(path: &Path) -> Result<DependsRules, InputError> {
        let table = Table::read(path)?;
        Self::parse(&table)
    }

    /// Validates an already-read table as a rules file; every problem is reported.
    pub fn parse(table: &Table) -> Result<DependsRules, InputError> {
        let mut diags = Vec::new();
        for required in ["pattern", "depends_on"] {
            if table.column(required).is_none() {
                diags.push(super::releases::missing_column(
                    table,
                    required,
                    table.header_line,
                ));
            }
        }
        if !diags.is_empty() {
            return Err(InputError::new(&table.path, diags));
        }
        let get = |row: &super::Row, key: &str| {
            table
                .column(key)
                .and_then(|i| row.fields.get(i))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let mut rules = Vec::new();
        for row in &table.rows {
            let text = get(row, "pattern");
            let ids = split_ids(&get(row, "depends_on"));
            let column = Some(get(row, "column").to_ascii_lowercase()).filter(|c| !c.is_empty());
            let bad = |col: &str, value: &str, msg: String, hint: &str| {
                Diagnostic::new(msg)
                    .at_line(row.line)
                    .in_column(col)
                    .with_value(value)
                    .with_hint(hint)
            };
            if ids.is_empty() {
                diags.push(bad(
                    "depends_on",
                    "",
                    "a rule needs at least one failure point".into(),
                    "write the infrastructure ids, ';'-separated, e.g. ons-website;team-gdp",
                ));
            }
            let pattern = if text.is_empty() {
                diags.push(bad(
                    "pattern",
                    "",
                    "a rule needs a pattern".into(),
                    "write a word of the titles it is for, e.g. GDP, or a /regular expression/",
                ));
                continue;
            } else if let Some(re) = text
                .strip_prefix('/')
                .and_then(|t| t.strip_suffix('/'))
                .filter(|t| !t.is_empty())
            {
                match RegexBuilder::new(re).case_insensitive(true).build() {
                    Ok(r) => Pattern::Regex(r),
                    Err(e) => {
                        let msg = e.to_string();
                        let first = msg.lines().last().unwrap_or_default().trim().to_string();
                        diags.push(bad(
                            "pattern",
                            &text,
                            format!("not a valid regular expression: {first}"),
                            "fix the expression, or drop the slashes to match the text as written",
                        ));
                        continue;
                    }
                }
            } else {
                Pattern::Substring(text.to_lowercase())
            };
            rules.push(DependsRule {
                pattern_text: text,
                pattern,
                depends_on: ids,
                column,
                line: row.line,
            });
        }
        if diags.is_empty() {
            Ok(DependsRules {
                path: table.path.clone(),
                rules,
            })
        } else {
            Err(InputError::new(&table.path, diags))
        }
    }

    /// The failure points of every rule that matches a release; `value(column)` gives
    /// the release's value in a column (a `;`-separated list is matched item by item and whole).
    pub fn depends_on<'a>(&self, value: impl Fn(&str) -> Option<&'a str>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for rule in &self.rules {
            let columns: Vec<&str> = match &rule.column {
                Some(c) => vec![c.as_str()],
                None => DEFAULT_RULE_COLUMNS.to_vec(),
            };
            let hit = columns.iter().any(|c| {
                value(c).is_some_and(|v| {
                    rule.pattern.is_match(v)
                        || v.split(';').any(|item| rule.pattern.is_match(item.trim()))
                })
            });
            if hit {
                for id in &rule.depends_on {
                    if !out.contains(id) {
                        out.push(id.clone());
                    }
                }
            }
        }
        out
    }

    /// Problems with rules that name a column not in `columns`, or a failure point not
    /// in `points` (when given), each with a "did you mean".
    pub fn check(&self, columns: &[&str], points: Option<&[&str]>) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for rule in &self.rules {
            if let Some(c) = &rule.column {
                if !columns.contains(&c.as_str()) {
                    let hint = match nearest(c, columns.iter().copied()) {
                        Some(k) => format!("did you mean '{k}'?"),
                        None => format!("use one of: {}", columns.join(", ")),
                    };
                    diags.push(
                        Diagnostic::new("the releases have no such column")
                            .at_line(rule.line)
                            .in_column("column")
                            .with_value(c.clone())
                            .with_hint(hint),
                    );
                }
            }
            if let Some(points) = points {
                for id in &rule.depends_on {
                    if !points.contains(&id.as_str()) {
                        let hint = match nearest(id, points.iter().copied()) {
                            Some(k) => format!("did you mean '{k}'?"),
                            None => "add it to the infrastructure file, or correct the id".into(),
                        };
                        diags.push(
                            Diagnostic::new("unknown infrastructure id")
                                .at_line(rule.line)
                                .in_column("depends_on")
                                .with_value(id.clone())
                                .with_hint(hint),
                        );
                    }
                }
            }
        }
        diags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(csv: &str) -> Result<DependsRules, InputError> {
        DependsRules::parse(&Table::parse(Path::new("rules.csv"), csv.as_bytes()).unwrap())
    }

    #[test]
    fn substrings_regexes_and_columns() {
        let r = rules(
            "pattern,depends_on,column\n\
             /^(gdp|labour market)/,ons-website;team-economy,\n\
             census,census-platform,\n\
             home-office,govuk,organisations\n\
             gdp,ons-website,\n",
        )
        .unwrap();
        let release = |title: &'static str, orgs: &'static str| {
            move |c: &str| match c {
                "title" => Some(title),
                "organisations" => Some(orgs),
                _ => None,
            }
        };
        assert_eq!(
            r.depends_on(release("GDP monthly estimate", "")),
            vec!["ons-website", "team-economy"]
        );
        assert_eq!(
            r.depends_on(release("Census 2021: population", "")),
            vec!["census-platform"]
        );
        assert_eq!(
            r.depends_on(release("Crime", "ons;home-office")),
            vec!["govuk"]
        );
        assert!(r.depends_on(release("Home Office crime", "")).is_empty());
        assert!(r.depends_on(release("Weekly deaths", "")).is_empty());
    }

    #[test]
    fn every_bad_rule_is_reported() {
        let e = rules("pattern,depends_on\n,a\n/(/,b\nx,\n").unwrap_err();
        assert_eq!(e.diagnostics.len(), 3, "{e}");
        let text = e.to_string();
        assert!(text.contains("rules.csv:2: column 'pattern'"), "{text}");
        assert!(text.contains("not a valid regular expression"), "{text}");
        assert!(text.contains("rules.csv:4: column 'depends_on'"), "{text}");
        let e = rules("pattern,failure_points\nx,a\n").unwrap_err();
        assert!(e
            .to_string()
            .contains("missing required column 'depends_on'"));
    }

    #[test]
    fn unknown_columns_and_ids_get_suggestions() {
        let r = rules("pattern,depends_on,column\nx,ons-webiste,organisation\n").unwrap();
        let d = r.check(&["title", "organisations"], Some(&["ons-website"]));
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].hint.as_deref(), Some("did you mean 'organisations'?"));
        assert_eq!(d[1].hint.as_deref(), Some("did you mean 'ons-website'?"));
    }
}
