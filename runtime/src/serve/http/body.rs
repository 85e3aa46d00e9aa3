//! Request bodies and version headers: JSON with a checked `Content-Type`
//! and size, `If-Match` and `ETag` carrying an item's version.

use lambda_http::http::HeaderValue;
use lambda_http::http::header::{CONTENT_TYPE, IF_MATCH};
use lambda_http::http::{HeaderName, StatusCode};
use lambda_http::{Body, Request};
use serde::de::DeserializeOwned;

use super::problem::Problem;

/// DynamoDB's item size limit: a body over it cannot be stored.
pub(crate) const MAX_BODY: usize = 400 * 1024;

/// The media types a request body may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accept {
    /// `application/json` and any `application/…+json`.
    Json,
    /// `application/merge-patch+json` and `application/json`.
    MergePatch,
}

/// The body's bytes, after checking its size and `Content-Type`.
pub(crate) fn json_body(request: &Request, accept: Accept) -> Result<&[u8], Problem> {
    let bytes: &[u8] = match request.body() {
        Body::Text(text) => text.as_bytes(),
        Body::Binary(bytes) => bytes,
        _ => &[],
    };
    if bytes.len() > MAX_BODY {
        return Err(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            crate::model::error::ErrorKind::Validation.as_str(),
            format!(
                "the body has {} bytes, more than DynamoDB's 400 KB item limit",
                bytes.len()
            ),
        ));
    }
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if !content_type.is_some_and(|v| accepts(accept, v)) {
        let expected = match accept {
            Accept::Json => "application/json",
            Accept::MergePatch => "application/merge-patch+json or application/json",
        };
        let problem = Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            format!(
                "the body must be {expected}, not {}",
                content_type.unwrap_or("a body without Content-Type")
            ),
        )
        .with_field("Content-Type");
        return Err(match accept {
            Accept::Json => problem,
            Accept::MergePatch => problem.with_header(
                HeaderName::from_static("accept-patch"),
                HeaderValue::from_static("application/merge-patch+json, application/json"),
            ),
        });
    }
    Ok(bytes)
}

/// Whether a `Content-Type` value is one `accept` takes; a `charset`
/// parameter must say UTF-8.
fn accepts(accept: Accept, content_type: &str) -> bool {
    let mut parts = content_type.split(';');
    let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let utf8 = parts.all(|param| {
        let (name, value) = param.split_once('=').unwrap_or((param, ""));
        !name.trim().eq_ignore_ascii_case("charset")
            || value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
    });
    let type_ok = match accept {
        Accept::Json => {
            essence == "application/json"
                || essence
                    .strip_prefix("application/")
                    .is_some_and(|subtype| subtype.ends_with("+json"))
        }
        Accept::MergePatch => {
            essence == "application/json" || essence == "application/merge-patch+json"
        }
    };
    type_ok && utf8
}

/// Reads JSON; errors name the path inside the body, under `root`
/// (`item.age`), or say where the syntax broke.
pub(crate) fn parse_json<V: DeserializeOwned>(bytes: &[u8], root: &str) -> Result<V, Problem> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() || inner.is_io() {
            return Problem::invalid(root, format!("invalid JSON: {inner}"));
        }
        let field = match path.as_str() {
            "." => root.to_owned(),
            index if index.starts_with('[') => format!("{root}{path}"),
            _ => format!("{root}.{path}"),
        };
        Problem::invalid(field, inner.to_string())
    })?;
    deserializer
        .end()
        .map_err(|e| Problem::invalid(root, format!("invalid JSON: {e}")))?;
    Ok(value)
}

/// The version in `If-Match: "3"`; `None` without the header or for `*`.
pub(crate) fn if_match(request: &Request) -> Result<Option<u64>, Problem> {
    let mut values = request.headers().get_all(IF_MATCH).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    let invalid = || {
        Problem::invalid(
            "If-Match",
            "expected one version as a strong entity tag, e.g. `\"3\"`, or `*`",
        )
    };
    if values.next().is_some() {
        return Err(invalid());
    }
    let value = value.to_str().map_err(|_| invalid())?.trim();
    if value == "*" {
        return Ok(None);
    }
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .and_then(|v| v.parse::<u64>().ok())
        .map(Some)
        .ok_or_else(invalid)
}

/// The `ETag` of an item at `version`.
pub(crate) fn etag(version: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert!(accepts(Accept::Json, "application/json"));
        assert!(accepts(Accept::Json, "Application/JSON; charset=UTF-8"));
        assert!(accepts(Accept::Json, "application/vnd.users+json"));
        assert!(!accepts(Accept::Json, "application/json; charset=latin1"));
        assert!(!accepts(Accept::Json, "text/plain"));
        assert!(!accepts(Accept::Json, "text/json+json"));
        assert!(accepts(Accept::MergePatch, "application/merge-patch+json"));
        assert!(accepts(
            Accept::MergePatch,
            "application/json;charset=utf-8"
        ));
        assert!(!accepts(Accept::MergePatch, "application/json-patch+json"));
    }
}
