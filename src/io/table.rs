//! A CSV file read into memory with its header normalised and every row's line
//! number kept, so later checks can point at file, line and column.

use std::path::{Path, PathBuf};

use super::{Diagnostic, InputError};

/// One data row of a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line on which the row starts.
    pub line: usize,
    /// The fields, as many as there are header columns.
    pub fields: Vec<String>,
}

/// A CSV file: header and rows, blank rows dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The file it came from.
    pub path: PathBuf,
    /// Header names as written (trimmed).
    pub headers: Vec<String>,
    /// Header names lower-cased, for lookup.
    pub keys: Vec<String>,
    /// 1-based line of the header row.
    pub header_line: usize,
    /// Data rows in file order.
    pub rows: Vec<Row>,
    /// Whether the file started with a UTF-8 byte-order mark.
    pub had_bom: bool,
    /// The field separator found in the header row: `,`, `;` or tab.
    pub delimiter: u8,
}

/// The name of a field separator, for messages: "comma", "semicolon" or "tab".
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    }
}

/// The separator of a CSV file: whichever of comma, semicolon and tab occurs most often
/// outside quotes in the first non-blank line (European spreadsheets write semicolons,
/// and copies from a spreadsheet tabs); comma on a tie.
pub fn sniff_delimiter(text: &str) -> u8 {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for c in first.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => counts[0] += 1,
            ';' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).fold(0, |b, i| if counts[i] > counts[b] { i } else { b });
    [b',', b';', b'\t'][best]
}

impl Table {
    /// The column index of a (lower-case) header name.
    pub fn column(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| k == key)
    }

    /// Reads and parses `path` (`-` reads standard input). Every problem found is
    /// reported, not just the first.
    pub fn read(path: &Path) -> Result<Table, InputError> {
        let bytes = super::stdio::read_input(path)?;
        Table::parse(&super::stdio::shown(path), &bytes)
    }

    /// Parses CSV bytes that came from `path` (used for messages only).
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Table, InputError> {
        let fail = |d: Diagnostic| InputError::new(path, vec![d]);
        let (had_bom, bytes) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (true, rest),
            None => (false, bytes),
        };
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let upto = e.valid_up_to();
            let line = 1 + bytes[..upto].iter().filter(|&&b| b == b'\n').count();
            let line_start = bytes[..upto]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            fail(
                Diagnostic::new(format!(
                    "the file is not valid UTF-8 (invalid byte 0x{:02X} at byte {} of the line)",
                    bytes[upto],
                    upto - line_start + 1
                ))
                .at_line(line)
                .with_hint(
                    "save the file as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)'); \
                     in LibreOffice choose the UTF-8 character set",
                ),
            )
        })?;
        if text.trim().is_empty() {
            return Err(fail(
                Diagnostic::new("the file is empty: expected a header row").with_hint(
                    "the first line must name the columns, e.g. 'id,title,date,depends_on'",
                ),
            ));
        }
        let delimiter = sniff_delimiter(text);
        let sep = delimiter_name(delimiter);
        if let Some(line) = unterminated_quote(text, delimiter) {
            return Err(fail(
                Diagnostic::new("a quoted field is never closed: the file ends inside quotes")
                    .at_line(line)
                    .with_hint("add the closing '\"' on that line; a '\"' inside a quoted field is written '\"\"'"),
            ));
        }

        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let mut diagnostics = Vec::new();

        // Header: the first non-blank record.
        let (header_line, header) = loop {
            match records.next() {
                None => {
                    return Err(fail(Diagnostic::new(
                        "the file is empty: expected a header row",
                    )))
                }
                Some(Err(e)) => return Err(fail(csv_error(&e))),
                Some(Ok(rec)) => {
                    if rec.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    let line = record_line(text, rec.position());
                    break (line, rec);
                }
            }
        };
        let headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        let keys: Vec<String> = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
        // First column of each name: one hash lookup per column, so a header of
        // 200,000 columns is checked in linear time.
        let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            let earlier = if k.is_empty() {
                None
            } else {
                match first.entry(k.as_str()) {
                    std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(i);
                        None
                    }
                }
            };
            if k.is_empty() {
                diagnostics.push(
                    Diagnostic::new(format!("column {} of the header has no name", i + 1))
                        .at_line(header_line)
                        .with_hint("give every column a name, or delete the empty column"),
                );
            } else if let Some(j) = earlier {
                diagnostics.push(
                    Diagnostic::new(format!(
                        "column '{}' appears twice in the header (columns {} and {})",
                        crate::limits::echo(&headers[i]),
                        j + 1,
                        i + 1
                    ))
                    .at_line(header_line)
                    .with_hint("rename or delete one of them"),
                );
            }
        }

        let mut rows = Vec::new();
        for rec in records {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    diagnostics.push(csv_error(&e));
                    continue;
                }
            };
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let line = record_line(text, rec.position());
            let mut fields: Vec<String> = rec.iter().map(|f| f.to_string()).collect();
            if fields.len() > headers.len() {
                let extra_empty = fields[headers.len()..].iter().all(|f| f.trim().is_empty());
                if extra_empty {
                    fields.truncate(headers.len());
                } else {
                    diagnostics.push(
                        Diagnostic::new(format!(
                            "this row has {} fields but the header has {} columns (read as \
                             {sep}-separated)",
                            fields.len(),
                            headers.len()
                        ))
                        .at_line(line)
                        .with_hint(format!(
                            "a value containing a {sep} must be quoted, e.g. \"Births{} deaths and marriages\"",
                            char::from(delimiter).escape_default()
                        )),
                    );
                    continue;
                }
            }
            // Short rows: missing trailing fields are empty (spreadsheets drop them).
            fields.resize(headers.len(), String::new());
            rows.push(Row { line, fields });
        }
        if diagnostics.is_empty() {
            Ok(Table {
                path: path.to_path_buf(),
                headers,
                keys,
                header_line,
                rows,
                had_bom,
                delimiter,
            })
        } else {
            Err(InputError::new(path, diagnostics))
        }
    }
}

/// The 1-based line on which a record starts. The csv crate reports where it started
/// reading, which is before any blank lines it skipped; step over those.
fn record_line(text: &str, pos: Option<&csv::Position>) -> usize {
    let Some(pos) = pos else { return 0 };
    let mut line = pos.line() as usize;
    let start = (pos.byte() as usize).min(text.len());
    for b in text.as_bytes()[start..].iter() {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line
}

fn csv_error(e: &csv::Error) -> Diagnostic {
    let line = e.position().map(|p| p.line() as usize);
    let mut d = Diagnostic::new(format!("cannot parse this CSV row: {e}"));
    d.line = line;
    d
}

/// Returns the line on which a quoted field opens that is never closed, if any.
fn unterminated_quote(text: &str, delimiter: u8) -> Option<usize> {
    let delimiter = char::from(delimiter);
    let mut line = 1;
    let mut in_quotes = false;
    let mut opened_at = 0;
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' => {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                    } else {
                        in_quotes = false;
                    }
                }
                '\n' => line += 1,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                in_quotes = true;
                opened_at = line;
                at_field_start = false;
            }
            c if c == delimiter => at_field_start = true,
            '\n' => {
                line += 1;
                at_field_start = true;
            }
            ' ' | '\t' | '\r' if at_field_start => {}
            _ => at_field_start = false,
        }
    }
    in_quotes.then_some(opened_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Table, InputError> {
        Table::parse(Path::new("t.csv"), s.as_bytes())
    }

    #[test]
    fn reads_header_case_insensitively_and_skips_blank_lines() {
        let t = parse("\u{feff} ID ,Date\n\na,2026-01-01\n,\nb,2026-01-02\n").unwrap();
        assert_eq!(t.rows[0].line, 3);
        assert!(t.had_bom);
        assert_eq!(t.keys, vec!["id", "date"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].line, 5);
    }

    #[test]
    fn remembers_the_header_line_after_leading_blank_lines() {
        let t = parse("\n\nid,date\n\n\na,2027-01-01\nb,\"x\ny\"\n\r\nc,1\n").unwrap();
        assert_eq!(t.header_line, 3);
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![6, 7, 10]);
    }

    #[test]
    fn reports_unterminated_quote_with_its_line() {
        let e = parse("id,title\na,\"fine\"\nb,\"broken\nc,x\n").unwrap_err();
        assert_eq!(e.diagnostics[0].line, Some(3));
        assert!(e.to_string().contains("never closed"), "{e}");
    }

    #[test]
    fn escaped_quotes_are_not_unterminated() {
        let t = parse("id,title\na,\"say \"\"hi\"\", then\"\n").unwrap();
        assert_eq!(t.rows[0].fields[1], "say \"hi\", then");
    }

    #[test]
    fn reports_invalid_utf8_with_line() {
        let e = Table::parse(Path::new("t.csv"), b"id,title\na,ok\nb,caf\xe9\n").unwrap_err();
        assert_eq!(e.diagnostics[0].line, Some(3));
        assert!(e.to_string().contains("UTF-8"));
    }

    #[test]
    fn reports_empty_file() {
        assert!(parse("").unwrap_err().to_string().contains("empty"));
        assert!(parse("\u{feff}\n \n")
            .unwrap_err()
            .to_string()
            .contains("empty"));
    }

    #[test]
    fn semicolons_and_tabs_are_sniffed_and_named_in_errors() {
        let t = parse("id;title;date\na;\"Births; deaths\";01/08/2027\n").unwrap();
        assert_eq!(t.delimiter, b';');
        assert_eq!(t.rows[0].fields[1], "Births; deaths");
        let t = parse("id\ttitle\na\tx, y\n").unwrap();
        assert_eq!(t.delimiter, b'\t');
        assert_eq!(t.rows[0].fields[1], "x, y");
        let t = parse("id,\"a;b;c\"\n1,2\n").unwrap();
        assert_eq!(t.delimiter, b',', "separators inside quotes do not count");
        let e = parse("id;date\na;2027-01-01;x\n").unwrap_err();
        assert!(e.to_string().contains("read as semicolon-separated"), "{e}");
        assert!(e.to_string().contains("must be quoted"), "{e}");
    }

    #[test]
    fn reports_too_many_fields_and_duplicate_headers() {
        let e = parse("id,id\na,b,c\n").unwrap_err();
        assert_eq!(e.diagnostics.len(), 2, "{e}");
    }
}
