//! Reading one string field of a JSON answer.

use serde_json::Value;

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
