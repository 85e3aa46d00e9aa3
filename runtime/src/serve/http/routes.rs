//! Paths to resources: the request's path without the API Gateway stage,
//! under the base path, split into the key's percent-decoded segments.

use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};

use super::problem::Problem;
use super::text::percent_decode;

/// What a path names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resource {
    /// `{base}`: the table.
    Collection,
    /// `{base}/{pk}`: an item of a table without sort key, or a partition.
    Partition(String),
    /// `{base}/{pk}/{sk}`: an item of a table with a sort key.
    Item(String, String),
}

impl Resource {
    /// The methods the resource accepts, as an `Allow` value.
    pub fn allow(&self, has_sort_key: bool) -> &'static str {
        match self {
            Resource::Collection => "POST",
            Resource::Partition(_) if has_sort_key => "GET",
            Resource::Partition(_) | Resource::Item(..) => "GET, PUT, PATCH, DELETE",
        }
    }
}

/// The base path's segments: `/v1/users/` is `["v1", "users"]`.
pub(crate) fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The path the client asked for, without an API Gateway stage.
///
/// lambda_http puts the stage in front of the URI's path for API Gateway
/// events; the raw path is the event's own. REST APIs (v1) never have the
/// stage in it, HTTP APIs (v2) do for a stage other than `$default`. ALB
/// events and requests built without an event have the path only.
pub(crate) fn request_path(request: &Request) -> &str {
    let raw = request.raw_http_path();
    if raw.is_empty() {
        return request.uri().path();
    }
    let stage = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.stage.as_deref(),
        _ => None,
    };
    match stage.filter(|s| *s != "$default") {
        Some(stage) => raw
            .strip_prefix('/')
            .and_then(|p| p.strip_prefix(stage))
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .unwrap_or(raw),
        None => raw,
    }
}

/// The resource at `path` under `base`; a 404 for any other path.
pub(crate) fn resolve(
    base: &[String],
    path: &str,
    has_sort_key: bool,
) -> Result<Resource, Problem> {
    let path = path.strip_suffix('/').unwrap_or(path);
    let mut rest = path.strip_prefix('/').unwrap_or(path);
    for segment in base {
        rest = rest
            .strip_prefix(segment.as_str())
            .filter(|r| r.is_empty() || r.starts_with('/'))
            .ok_or_else(Problem::no_route)?;
        rest = rest.strip_prefix('/').unwrap_or(rest);
    }
    if rest.is_empty() {
        return Ok(Resource::Collection);
    }
    let decode = |segment: &str| {
        percent_decode(segment).ok_or_else(|| {
            Problem::invalid("path", "a path segment is not UTF-8 after percent-decoding")
        })
    };
    let mut parts = rest.split('/');
    let partition = decode(parts.next().unwrap_or_default())?;
    match (parts.next(), parts.next()) {
        (None, _) => Ok(Resource::Partition(partition)),
        (Some(sort), None) if has_sort_key => Ok(Resource::Item(partition, decode(sort)?)),
        _ => Err(Problem::no_route()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_ok(base: &str, path: &str, sort: bool) -> Option<Resource> {
        resolve(&segments(base), path, sort).ok()
    }

    #[test]
    fn paths() {
        use Resource::*;
        assert_eq!(resolve_ok("/users", "/users", false), Some(Collection));
        assert_eq!(resolve_ok("/users", "/users/", false), Some(Collection));
        assert_eq!(
            resolve_ok("/users", "/users/a%2Fb", false),
            Some(Partition("a/b".into()))
        );
        assert_eq!(resolve_ok("/users", "/users/a/b", false), None);
        assert_eq!(
            resolve_ok("/orders", "/orders/c1/2026-01-01T00%3A00", true),
            Some(Item("c1".into(), "2026-01-01T00:00".into()))
        );
        assert_eq!(resolve_ok("/orders", "/orders/c1/x/y", true), None);
        assert_eq!(resolve_ok("/users", "/usersx/1", false), None);
        assert_eq!(resolve_ok("/users", "/other/1", false), None);
        assert_eq!(
            resolve_ok("/v1/users/", "/v1/users/u1", false),
            Some(Partition("u1".into()))
        );
        assert_eq!(resolve_ok("/", "/u1", false), Some(Partition("u1".into())));
    }
}
