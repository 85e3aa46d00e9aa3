//! The table operations behind each route, from request to response.

use lambda_http::http::header::{CONTENT_TYPE, ETAG, HeaderValue, LOCATION};
use lambda_http::http::{Response, StatusCode};
use lambda_http::{Body, Request};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::body::{Accept, etag, if_match, json_body, parse_json};
use super::key_text::KeyText;
use super::problem::Problem;
use super::text::{Params, Text, percent_encode};
use crate::model::error::Error;
use crate::model::item::Table;
use crate::ops::table::TableClient;
use crate::serve::direct::{JsonQuery, JsonUpdate, QueryRequest, SortKeyRequest};

pub(crate) type Reply = Result<Response<Body>, Problem>;

/// How often a `PATCH` without `If-Match` re-reads the version after
/// another writer got in between.
const PATCH_ATTEMPTS: u32 = 3;

const SORT_CONDITIONS: [&str; 6] = ["eq", "lt", "le", "gt", "ge", "begins_with"];

/// `GET {base}/{pk}[/{sk}]`
pub(crate) async fn get<T>(
    table: &TableClient<T>,
    request: &Request,
    pk: &str,
    sk: Option<&str>,
) -> Reply
where
    T: Table + Serialize + Send,
    T::Key: Sync,
    T: JsonQuery + KeyText,
{
    let key = T::key_from_text(pk, sk).map_err(Problem::from_error)?;
    let mut params = Params::of(request);
    let consistent = params.parsed::<bool>("consistent")?.unwrap_or(false);
    params.finish("`consistent`")?;
    let get = table.get(&key);
    let get = if consistent {
        get.consistent_read()
    } else {
        get
    };
    match get.await.map_err(Problem::from_error)? {
        Some(item) => item_response(StatusCode::OK, &item),
        None => Err(Problem::no_item()),
    }
}

/// `GET {base}/{pk}` of a table with a sort key, or with `?index=NAME`.
pub(crate) async fn query<T: JsonQuery + KeyText>(
    table: &TableClient<T>,
    request: &Request,
    pk: &str,
) -> Reply {
    let mut params = Params::of(request);
    let index = params.take("index")?;
    let mut conditions = Vec::new();
    for name in SORT_CONDITIONS {
        if let Some(value) = params.take(name)? {
            conditions.push((name, Text(value)));
        }
    }
    let mut parameter = None;
    let sort_key = match <[_; 2]>::try_from(conditions) {
        Ok([("le", high), ("ge", low)]) => Some(SortKeyRequest::Between(low, high)),
        Ok([_, (name, _)]) => {
            return Err(Problem::invalid(
                name,
                "at most one sort-key condition, or `ge` and `le` together for a range",
            ));
        }
        Err(conditions) if conditions.len() > 2 => {
            return Err(Problem::invalid(
                conditions[2].0,
                "at most one sort-key condition, or `ge` and `le` together for a range",
            ));
        }
        Err(mut conditions) => conditions.pop().map(|(name, value)| {
            parameter = Some(name);
            match name {
                "eq" => SortKeyRequest::Eq(value),
                "lt" => SortKeyRequest::Lt(value),
                "le" => SortKeyRequest::Le(value),
                "gt" => SortKeyRequest::Gt(value),
                "ge" => SortKeyRequest::Ge(value),
                _ => SortKeyRequest::BeginsWith(value),
            }
        }),
    };
    let limit = params.parsed::<u32>("limit")?;
    if limit == Some(0) {
        return Err(Problem::invalid("limit", "must be at least 1"));
    }
    let cursor = params.take("cursor")?;
    let descending = match params.take("order")?.as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => return Err(Problem::invalid("order", "expected `asc` or `desc`")),
    };
    let consistent_read = params.parsed::<bool>("consistent")?.unwrap_or(false);
    params.finish(
        "`index`, `eq`, `lt`, `le`, `gt`, `ge`, `begins_with`, `limit`, `cursor`, `order`, `consistent`",
    )?;
    let request = QueryRequest {
        index,
        partition: Text(pk.to_owned()),
        sort_key,
        descending,
        limit,
        cursor,
        consistent_read,
    };
    let page = T::json_query(table, request).await.map_err(|e| {
        // The JSON contract's names for what the query string calls otherwise.
        let e = rename_field(e, |field| match field {
            "sort_key" => Some(parameter.unwrap_or("ge").to_owned()),
            "consistent_read" => Some("consistent".to_owned()),
            _ => None,
        });
        Problem::from_error(e)
    })?;
    let body = serde_json::json!({
        "items": page.items,
        "cursor": page.cursor,
    });
    Ok(json_response(StatusCode::OK, body.to_string()))
}

/// `PUT {base}/{pk}[/{sk}]`: replaces the item.
pub(crate) async fn put<T>(
    table: &TableClient<T>,
    request: &Request,
    pk: &str,
    sk: Option<&str>,
) -> Reply
where
    T: JsonQuery + KeyText + Serialize + DeserializeOwned,
    T::Key: PartialEq + Serialize,
{
    let key = T::key_from_text(pk, sk).map_err(Problem::from_error)?;
    let mut item: T = parse_json(json_body(request, Accept::Json)?, "item")?;
    check_key(&key, &item)?;
    if let Some(version) = version_header::<T>(request)?
        && item.version() != version
    {
        return Err(Problem::invalid(
            "If-Match",
            format!(
                "If-Match says version {version}, the body has version {}",
                item.version()
            ),
        ));
    }
    table.save(&mut item).await.map_err(Problem::from_error)?;
    item_response(StatusCode::OK, &item)
}

/// `POST {base}`: creates the item; 409 if one has its key.
pub(crate) async fn create<T>(table: &TableClient<T>, request: &Request, base: &str) -> Reply
where
    T: JsonQuery + KeyText + Serialize + DeserializeOwned,
{
    let mut item: T = parse_json(json_body(request, Accept::Json)?, "item")?;
    table.create(&item).await.map_err(Problem::from_error)?;
    if T::VERSION_ATTRIBUTE.is_some() {
        item.set_version(1);
    }
    let (pk, sk) = T::key_to_text(&item.key()).map_err(Problem::from_error)?;
    let mut location = format!("{base}/{}", percent_encode(&pk));
    if let Some(sk) = sk {
        location.push('/');
        location.push_str(&percent_encode(&sk));
    }
    let mut response = item_response(StatusCode::CREATED, &item)?;
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, location);
    }
    Ok(response)
}

/// `PATCH {base}/{pk}[/{sk}]`: a JSON merge patch of the top-level fields.
pub(crate) async fn patch<T>(
    table: &TableClient<T>,
    request: &Request,
    pk: &str,
    sk: Option<&str>,
) -> Reply
where
    T: JsonQuery + KeyText + JsonUpdate + Serialize + Send + 'static,
    T::Key: Clone + Sync + 'static,
{
    let key = T::key_from_text(pk, sk).map_err(Problem::from_error)?;
    let patch = match parse_json(json_body(request, Accept::MergePatch)?, "item")? {
        Value::Object(patch) => patch,
        _ => {
            return Err(Problem::invalid(
                "item",
                "a merge patch must be a JSON object",
            ));
        }
    };
    let expected = version_header::<T>(request)?;
    if patch.is_empty() {
        return match table.get(&key).await.map_err(Problem::from_error)? {
            Some(item) => item_response(StatusCode::OK, &item),
            None => Err(Problem::no_item()),
        };
    }
    let versioned = T::VERSION_ATTRIBUTE.is_some();
    let mut attempt = 1;
    loop {
        let mut update = table.update(key.clone());
        for (name, value) in &patch {
            let applied = match value {
                Value::Null => T::json_remove(update, name),
                value => T::json_set(update, name, value.clone()),
            };
            update = applied.map_err(|e| Problem::from_error(patch_field(e)))?;
        }
        let version = match expected {
            Some(version) => Some(version),
            None if versioned => match table.get(&key).consistent_read().await {
                Ok(Some(item)) => Some(item.version()),
                Ok(None) => return Err(Problem::no_item()),
                Err(e) => return Err(Problem::from_error(e)),
            },
            None => None,
        };
        if let Some(version) = version {
            update = update.with_expected_version(version);
        }
        match update.await {
            Ok(item) => return item_response(StatusCode::OK, &item),
            Err(Error::VersionConflict { .. })
                if expected.is_none() && attempt < PATCH_ATTEMPTS =>
            {
                attempt += 1;
            }
            Err(e) => return Err(Problem::from_error(patch_field(e))),
        }
    }
}

/// `DELETE {base}/{pk}[/{sk}]`
pub(crate) async fn delete<T>(
    table: &TableClient<T>,
    request: &Request,
    pk: &str,
    sk: Option<&str>,
) -> Reply
where
    T: JsonQuery + KeyText,
{
    let key = T::key_from_text(pk, sk).map_err(Problem::from_error)?;
    if request
        .headers()
        .contains_key(lambda_http::http::header::IF_MATCH)
    {
        return Err(Problem::invalid(
            "If-Match",
            "a DELETE removes the item at any version; If-Match is not supported",
        ));
    }
    match table.delete(&key).await.map_err(Problem::from_error)? {
        Some(_) => {
            let mut response = Response::new(Body::Empty);
            *response.status_mut() = StatusCode::NO_CONTENT;
            Ok(response)
        }
        None => Err(Problem::no_item()),
    }
}

/// `If-Match`, which only a versioned struct has a use for.
fn version_header<T: Table>(request: &Request) -> Result<Option<u64>, Problem> {
    let version = if_match(request)?;
    if version.is_some() && T::VERSION_ATTRIBUTE.is_none() {
        return Err(Problem::invalid(
            "If-Match",
            "items of this table have no version to match",
        ));
    }
    Ok(version)
}

/// The body's key must be the path's.
fn check_key<T>(key: &T::Key, item: &T) -> Result<(), Problem>
where
    T: Table,
    T::Key: PartialEq + Serialize,
{
    let body_key = item.key();
    if body_key == *key {
        return Ok(());
    }
    let field = match (serde_json::to_value(key), serde_json::to_value(&body_key)) {
        (Ok(Value::Object(path)), Ok(Value::Object(body))) => path
            .into_iter()
            .find(|(name, value)| body.get(name) != Some(value))
            .map(|(name, _)| format!("item.{name}")),
        _ => None,
    };
    Err(Problem::invalid(
        field.unwrap_or_else(|| "item".to_owned()),
        "the body's key differs from the key in the path",
    ))
}

/// `set.name` and `remove.name` of the update contract are `item.name` here.
fn patch_field(error: Error) -> Error {
    rename_field(error, |field| {
        field
            .strip_prefix("set.")
            .or_else(|| field.strip_prefix("remove."))
            .map(|name| format!("item.{name}"))
    })
}

fn rename_field(error: Error, rename: impl FnOnce(&str) -> Option<String>) -> Error {
    match error {
        Error::Validation {
            attribute: Some(attribute),
            message,
        } => Error::Validation {
            attribute: Some(rename(&attribute).unwrap_or(attribute)),
            message,
        },
        other => other,
    }
}

/// The item as JSON, with its version as `ETag` for a versioned struct.
fn item_response<T: Table + Serialize>(status: StatusCode, item: &T) -> Reply {
    let body = serde_json::to_string(item).map_err(|e| {
        tracing::error!(error = %e, "cannot write the item as JSON");
        Problem::internal("Internal")
    })?;
    let mut response = json_response(status, body);
    if T::VERSION_ATTRIBUTE.is_some() {
        response.headers_mut().insert(ETAG, etag(item.version()));
    }
    Ok(response)
}

fn json_response(status: StatusCode, body: String) -> Response<Body> {
    let mut response = Response::new(Body::Text(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
