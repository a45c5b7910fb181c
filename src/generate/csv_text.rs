//! Rendering rows as CSV text with proper quoting.

/// Renders `header` and `rows` as CSV (`\n` line ends, quotes only where needed).
///
/// Writing into memory cannot fail; should the CSV writer ever report an error,
/// the error is returned rather than a partial file.
pub(super) fn to_csv(header: &[&str], rows: &[Vec<String>]) -> Result<String, csv::Error> {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_fields_with_commas_and_quotes() {
        let text = to_csv(
            &["id", "title"],
            &[
                vec!["a".into(), "Crime, England".into()],
                vec!["b".into(), "The \"best\"".into()],
            ],
        )
        .unwrap();
        assert_eq!(
            text,
            "id,title\na,\"Crime, England\"\nb,\"The \"\"best\"\"\"\n"
        );
    }
}
