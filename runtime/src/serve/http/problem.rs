//! Error responses: RFC 9457 problem details, `application/problem+json`.

use lambda_http::Body;
use lambda_http::http::header::{ALLOW, CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER};
use lambda_http::http::{Response, StatusCode};
use serde_json::{Map, Value};

use crate::model::error::{Error, ErrorKind};

/// How long a throttled or unavailable client should wait, in seconds.
const RETRY_AFTER_SECONDS: &str = "1";

/// One error response: `{"type", "title", "status", "detail", "field", "errorType"}`.
#[derive(Debug)]
pub(crate) struct Problem {
    status: StatusCode,
    error_type: &'static str,
    detail: String,
    field: Option<String>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Problem {
    pub fn new(status: StatusCode, error_type: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            status,
            error_type,
            detail: detail.into(),
            field: None,
            headers: Vec::new(),
        }
    }

    /// A 400 about one request field, path segment, query parameter or header.
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::BAD_REQUEST,
            ErrorKind::Validation.as_str(),
            detail,
        )
        .with_field(field)
    }

    /// A 404 for a path that names no resource of this handler.
    pub fn no_route() -> Self {
        Problem::new(
            StatusCode::NOT_FOUND,
            ErrorKind::NotFound.as_str(),
            "no resource at this path",
        )
    }

    /// A 404 for a key without an item.
    pub fn no_item() -> Self {
        Problem::new(
            StatusCode::NOT_FOUND,
            ErrorKind::NotFound.as_str(),
            "no item with this key",
        )
    }

    /// A 405 listing the methods the path accepts.
    pub fn method_not_allowed(allow: &'static str) -> Self {
        Problem::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("this path accepts {allow}"),
        )
        .with_header(ALLOW, HeaderValue::from_static(allow))
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The response for an error of a table operation. Service and runtime
    /// errors are logged and answered without their details.
    pub fn from_error(error: Error) -> Self {
        let kind = error.kind().as_str();
        match error {
            Error::Validation { attribute, message } => {
                // What `Error::from_sdk` did not recognise as `ItemTooLarge`.
                if crate::value::size::is_too_large_message(&message) {
                    return Problem::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        kind,
                        "the item is larger than DynamoDB's 400 KB item limit",
                    );
                }
                let problem = Problem::new(StatusCode::BAD_REQUEST, kind, message);
                match attribute {
                    Some(field) => problem.with_field(field),
                    None => problem,
                }
            }
            Error::ItemTooLarge { .. } => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                kind,
                "the item is larger than DynamoDB's 400 KB item limit",
            ),
            Error::NotFound { .. } => Problem::no_item(),
            Error::AlreadyExists { .. } => Problem::new(
                StatusCode::CONFLICT,
                kind,
                "an item with this key already exists",
            ),
            Error::VersionConflict { expected, .. } => Problem::new(
                StatusCode::PRECONDITION_FAILED,
                kind,
                format!("the item is not at version {expected}: it was written since it was read"),
            ),
            Error::ConditionFailed { .. } => Problem::new(
                StatusCode::PRECONDITION_FAILED,
                kind,
                "a condition of the write did not hold",
            ),
            Error::Throttled { .. } => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                kind,
                "the table is busy; try again later",
            )
            .with_header(RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS)),
            error
                if error.kind() == ErrorKind::ServiceUnavailable
                    || error.kind() == ErrorKind::Unprocessed =>
            {
                tracing::error!(error = %error, kind, "DynamoDB unavailable");
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    kind,
                    "the table is unavailable; try again later",
                )
                .with_header(RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS))
            }
            error => {
                tracing::error!(error = %error, kind, "request failed");
                Problem::internal(kind)
            }
        }
    }

    /// A 500 that tells nothing about its cause; the cause is in the log.
    pub fn internal(error_type: &'static str) -> Self {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            error_type,
            "the request failed on the server; the function's log has the details",
        )
    }

    /// The response; server errors carry the Lambda request id when known.
    pub fn into_response(self, request_id: Option<&str>) -> Response<Body> {
        let mut body = Map::new();
        body.insert("type".into(), "about:blank".into());
        body.insert(
            "title".into(),
            self.status.canonical_reason().unwrap_or_default().into(),
        );
        body.insert("status".into(), self.status.as_u16().into());
        body.insert("detail".into(), self.detail.into());
        if let Some(field) = self.field {
            body.insert("field".into(), field.into());
        }
        body.insert("errorType".into(), self.error_type.into());
        if let Some(id) = request_id.filter(|_| self.status.is_server_error()) {
            body.insert("requestId".into(), id.into());
        }
        let mut response = Response::new(Body::Text(Value::Object(body).to_string()));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        for (name, value) in self.headers {
            headers.insert(name, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(error: Error) -> (StatusCode, Value, lambda_http::http::HeaderMap) {
        let (parts, body) = Problem::from_error(error)
            .into_response(Some("req-1"))
            .into_parts();
        let Body::Text(text) = body else {
            panic!("a text body")
        };
        (
            parts.status,
            serde_json::from_str(&text).unwrap(),
            parts.headers,
        )
    }

    #[test]
    fn throttled_is_429_with_retry_after() {
        let (status, body, headers) = reply(Error::Throttled {
            code: "ProvisionedThroughputExceededException".into(),
            message: "slow down".into(),
        });
        assert_eq!(status, 429);
        assert_eq!(headers[RETRY_AFTER], "1");
        assert_eq!(body["errorType"], "Throttled");
        assert_eq!(body.get("requestId"), None);
    }

    #[test]
    fn unavailable_is_503_and_other_service_errors_500() {
        let (status, body, headers) = reply(Error::Service {
            code: Some("ServiceUnavailable".into()),
            message: "secret detail".into(),
            retryable: true,
        });
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(headers[RETRY_AFTER], "1");
        assert_eq!(body["errorType"], "ServiceUnavailable");
        assert_eq!(body["requestId"], "req-1");
        assert!(!body.to_string().contains("secret"));

        let (status, body, _) = reply(Error::Service {
            code: Some("AccessDeniedException".into()),
            message: "secret detail".into(),
            retryable: false,
        });
        assert_eq!(status, 500);
        assert_eq!(body["errorType"], "Service");
        assert_eq!(body["requestId"], "req-1");
        assert!(!body.to_string().contains("secret"));

        let decode = crate::model::error::AttributeError::missing().in_field("secret_field");
        let (status, body, _) = reply(Error::Decode(decode));
        assert_eq!(
            (status, &body["errorType"]),
            (StatusCode::INTERNAL_SERVER_ERROR, &Value::from("Decode"))
        );
        assert!(!body.to_string().contains("secret"));
    }

    #[test]
    fn client_errors() {
        let (status, body, headers) = reply(Error::validation("item.age", "expected u32"));
        assert_eq!(status, 400);
        assert_eq!(body["field"], "item.age");
        assert_eq!(headers[CONTENT_TYPE], "application/problem+json");
        let (status, ..) = reply(Error::Validation {
            attribute: None,
            message: "Item size has exceeded the maximum allowed size".into(),
        });
        assert_eq!(status, 413);
        let (status, body, _) = reply(Error::VersionConflict {
            table: "secret-table".into(),
            key: "DocKey".into(),
            expected: 3,
        });
        assert_eq!(
            (status, &body["errorType"]),
            (
                StatusCode::PRECONDITION_FAILED,
                &Value::from("VersionConflict")
            )
        );
        assert!(!body.to_string().contains("secret"));
    }
}
