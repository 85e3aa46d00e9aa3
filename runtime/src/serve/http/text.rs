//! Text values of the path and the query string: percent-decoding,
//! parameters read once each, values parsed into typed keys.

use std::collections::BTreeMap;

use lambda_http::aws_lambda_events::query_map::QueryMap;
use lambda_http::{Request, RequestExt};
use serde::de::DeserializeOwned;

use super::problem::Problem;
use crate::model::error::Error;
use crate::serve::direct::QueryValue;

/// A key value of a query as the path or the query string gives it, parsed
/// into the key's type with `serde_plain`; errors name the query parameter
/// (a range is `ge` and `le` over HTTP).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text(pub(crate) String);

impl QueryValue for Text {
    const RANGE_NAMES: [&'static str; 2] = ["ge", "le"];

    fn read<V: DeserializeOwned>(self, _section: &str, name: &str) -> Result<V, Error> {
        parse(name, &self.0)
    }
}

/// A text value parsed into `V` with `serde_plain`; the error names `name`.
pub(crate) fn parse<V: DeserializeOwned>(name: &str, text: &str) -> Result<V, Error> {
    serde_plain::from_str(text)
        .map_err(|e| Error::validation(name, format!("cannot read `{text}`: {e}")))
}

/// Decodes `%XX` escapes; `None` when the bytes are not UTF-8. A `%` not
/// followed by two hex digits stays as it is.
pub(crate) fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| Some((hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?)))
            .flatten();
        match escaped {
            Some((high, low)) => {
                out.push(high << 4 | low);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Escapes everything but RFC 3986's unreserved characters: one path segment.
pub(crate) fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The query string parameters of a request; each one is taken once, and
/// what is left over is an error.
#[derive(Debug)]
pub(crate) struct Params {
    values: BTreeMap<String, Vec<String>>,
}

impl Params {
    /// lambda_http's parsed parameters, or the URI's query string for a
    /// request built without an event.
    pub fn of(request: &Request) -> Self {
        let parsed;
        let map = match request.query_string_parameters_ref() {
            Some(map) => map,
            None => {
                parsed = request
                    .uri()
                    .query()
                    .unwrap_or_default()
                    .parse::<QueryMap>()
                    .unwrap_or_default();
                &parsed
            }
        };
        let mut values = BTreeMap::<String, Vec<String>>::new();
        for (name, value) in map.iter() {
            values
                .entry(name.to_owned())
                .or_default()
                .push(value.to_owned());
        }
        Params { values }
    }

    /// Whether `name` is given.
    pub fn contains(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// The value of `name`, if given; given more than once is an error.
    pub fn take(&mut self, name: &str) -> Result<Option<String>, Problem> {
        match self.values.remove(name) {
            None => Ok(None),
            Some(mut values) if values.len() == 1 => Ok(values.pop()),
            Some(_) => Err(Problem::invalid(
                name,
                "query parameter given more than once",
            )),
        }
    }

    /// `take` parsed into `V`.
    pub fn parsed<V: DeserializeOwned>(&mut self, name: &str) -> Result<Option<V>, Problem> {
        self.take(name)?
            .map(|text| parse(name, &text).map_err(Problem::from_error))
            .transpose()
    }

    /// Refuses parameters nobody took.
    pub fn finish(self, accepted: &str) -> Result<(), Problem> {
        match self.values.into_keys().next() {
            Some(name) => Err(Problem::invalid(
                name,
                format!("unknown query parameter; this request accepts {accepted}"),
            )),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%2Fb%20c").as_deref(), Some("a/b c"));
        assert_eq!(percent_decode("%C3%A9t%c3%a9").as_deref(), Some("été"));
        assert_eq!(percent_decode("50%").as_deref(), Some("50%"));
        assert_eq!(percent_decode("%zz%4").as_deref(), Some("%zz%4"));
        assert_eq!(percent_decode("%FF"), None);
    }

    #[test]
    fn percent_encoding_round_trips() {
        let text = "a/b c?d#é%";
        assert_eq!(percent_encode(text), "a%2Fb%20c%3Fd%23%C3%A9%25");
        assert_eq!(percent_decode(&percent_encode(text)).as_deref(), Some(text));
    }

    #[test]
    fn typed_values() {
        assert_eq!(parse::<u64>("limit", "42").unwrap(), 42);
        let error = parse::<u64>("limit", "ten").unwrap_err();
        assert!(matches!(&error, Error::Validation { attribute: Some(a), .. } if a == "limit"));
    }
}
