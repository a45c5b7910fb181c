//! JSON helpers shared by the API readers: located syntax errors, pages, field access.

use std::path::Path;

use serde_json::Value;

use crate::io::{Diagnostic, InputError};

/// Parses a JSON document; a syntax error names its line and column.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Value, InputError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| {
        let mut d = Diagnostic::new(format!("not valid JSON: {e}")).with_hint(
            "save the API response as it was returned (e.g. `curl -o FILE URL`), without edits",
        );
        if e.line() > 0 {
            d = d.at_line(e.line());
        }
        InputError::new(path, vec![d])
    })
}

/// The pages of a response: the document itself when it is an object, or each element
/// of a list of pages. Returns the page values with their labels (`""` or `[i]`).
pub fn pages(doc: &Value) -> Vec<(String, &Value)> {
    match doc {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("[{i}]"), v))
            .collect(),
        other => vec![(String::new(), other)],
    }
}

/// The string at a `/`-separated path (`description/title`), if it is a string.
pub fn text<'a>(v: &'a Value, path: &str) -> Option<&'a str> {
    at(v, path)?.as_str()
}

/// The boolean at a path; `false` when absent or not a boolean.
pub fn flag(v: &Value, path: &str) -> bool {
    at(v, path).and_then(Value::as_bool).unwrap_or(false)
}

/// The value at a `/`-separated path.
pub fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('/').try_fold(v, |v, key| v.get(key))
}

/// A short description of a value's JSON type, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_the_line() {
        let e = parse(Path::new("x.json"), b"{\n\"releases\": [\n}\n").unwrap_err();
        assert_eq!(e.diagnostics[0].line, Some(3));
        assert!(e.to_string().contains("not valid JSON"), "{e}");
    }

    #[test]
    fn a_list_is_read_as_pages() {
        let doc: Value = serde_json::from_str(r#"[{"a":1},{"a":2}]"#).unwrap();
        let p = pages(&doc);
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].0, "[1]");
        let one: Value = serde_json::from_str(r#"{"a":{"b":"x"}}"#).unwrap();
        assert_eq!(pages(&one).len(), 1);
        assert_eq!(text(&one, "a/b"), Some("x"));
        assert!(!flag(&one, "a/c"));
    }
}
