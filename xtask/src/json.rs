//! The little JSON the demo needs: pretty-printing and reading one string field.

use serde_json::Value;

/// `json` indented for reading, or as it came when it does not parse.
pub fn pretty(json: &str) -> String {
    serde_json::from_str::<Value>(json)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .unwrap_or_else(|| json.to_owned())
}

/// The string value of the top-level field `key` of a JSON object.
pub fn string_field(json: &str, key: &str) -> Option<String> {
    match serde_json::from_str::<Value>(json).ok()?.get(key)? {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_indents_and_keeps_invalid_text() {
        assert_eq!(pretty(r#"{"a":[1]}"#), "{\n  \"a\": [\n    1\n  ]\n}");
        assert_eq!(pretty("not json"), "not json");
    }

    #[test]
    fn string_field_reads_top_level_strings() {
        let json = r#"{"errorType":"Validation","errorMessage":"bad \"x\"","n":1}"#;
        assert_eq!(
            string_field(json, "errorType").as_deref(),
            Some("Validation")
        );
        assert_eq!(
            string_field(json, "errorMessage").as_deref(),
            Some("bad \"x\"")
        );
        assert_eq!(string_field(json, "n"), None);
        assert_eq!(string_field(json, "missing"), None);
    }
}
