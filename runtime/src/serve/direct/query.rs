//! The `query` request: its parameters, dispatched by generated code to the
//! table or to the index it names, answered with one [`QueryPage`] that each
//! handler renders its own way.

use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::error::Error;
use crate::model::item::{Item, Table};
use crate::ops::query::{IndexKey, Query, SortKey};
use crate::ops::table::TableClient;
use crate::value::convert::IntoAttributeValue;

/// The handler's `query` request. Its key values are JSON by default; the
/// HTTP handler gives them as the text of its path and query string.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryRequest<V = Value> {
    /// The index to query, by its schema name; none for the table.
    #[serde(default)]
    pub index: Option<String>,
    /// The partition key value (of the index, when one is named).
    pub partition: V,
    /// A condition on the sort key.
    #[serde(default = "Option::default")]
    pub sort_key: Option<SortKeyRequest<V>>,
    /// Highest sort key first.
    #[serde(default)]
    pub descending: bool,
    /// The most items to read.
    #[serde(default)]
    pub limit: Option<u32>,
    /// The `cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// A strongly consistent read (not on a global index).
    #[serde(default)]
    pub consistent_read: bool,
}

/// A sort-key condition of a `query` request: `{"begins_with": "2026-"}`,
/// `{"between": [low, high]}`, `{"ge": 3}`, …
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[allow(missing_docs)]
pub enum SortKeyRequest<V = Value> {
    Eq(V),
    Lt(V),
    Le(V),
    Gt(V),
    Ge(V),
    Between(V, V),
    BeginsWith(V),
}

/// A key value of a [`QueryRequest`], read into the key's type once the
/// query knows which table or index it is for.
pub trait QueryValue: Send + 'static {
    /// How errors name the low and high bounds of a `between` condition.
    const RANGE_NAMES: [&'static str; 2];

    /// The value as a `V`; the error names `name` (in `section`).
    fn read<V: DeserializeOwned>(self, section: &str, name: &str) -> Result<V, Error>;
}

/// JSON values, as the direct handler's events carry them.
impl QueryValue for Value {
    const RANGE_NAMES: [&'static str; 2] = ["between", "between"];

    fn read<V: DeserializeOwned>(self, section: &str, name: &str) -> Result<V, Error> {
        crate::__private::json_value(section, name, self)
    }
}

/// One page of a query's answer: the items as JSON (of the struct, or of
/// the index's view) and the cursor of the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryPage {
    /// The items of the page, as serde writes them.
    pub items: Vec<Value>,
    /// The token of the next page; `None` on the last one.
    pub cursor: Option<String>,
}

/// What [`JsonQuery::json_query`] returns.
pub type QueryFuture<'a> = Pin<Box<dyn Future<Output = Result<QueryPage, Error>> + Send + 'a>>;

/// Runs the handler's `query` request; generated for structs that derive
/// serde's traits, with one arm per index.
pub trait JsonQuery: Table {
    /// Queries the table or the index the request names.
    fn json_query<V: QueryValue>(
        table: &TableClient<Self>,
        request: QueryRequest<V>,
    ) -> QueryFuture<'_>;
}

/// A `query` request on the table or index whose key is `K`.
pub async fn run_query<K, V>(
    table: &TableClient<K::Table>,
    mut request: QueryRequest<V>,
) -> Result<QueryPage, Error>
where
    K: IndexKey,
    K::Partition: DeserializeOwned + IntoAttributeValue,
    K::Sort: DeserializeOwned + IntoAttributeValue,
    K::Item: Serialize + Item + Send + 'static,
    V: QueryValue,
{
    let read = |name: &str, value: V| -> Result<K::Sort, Error> { value.read("sort_key", name) };
    let condition = match request.sort_key.take() {
        None => None,
        Some(SortKeyRequest::Eq(v)) => Some(SortKey::eq(read("eq", v)?)),
        Some(SortKeyRequest::Lt(v)) => Some(SortKey::lt(read("lt", v)?)),
        Some(SortKeyRequest::Le(v)) => Some(SortKey::le(read("le", v)?)),
        Some(SortKeyRequest::Gt(v)) => Some(SortKey::gt(read("gt", v)?)),
        Some(SortKeyRequest::Ge(v)) => Some(SortKey::ge(read("ge", v)?)),
        Some(SortKeyRequest::Between(low, high)) => {
            let [low_name, high_name] = V::RANGE_NAMES;
            Some(SortKey::between(
                read(low_name, low)?,
                read(high_name, high)?,
            ))
        }
        Some(SortKeyRequest::BeginsWith(v)) => {
            Some(SortKey::begins_with_checked(read("begins_with", v)?)?)
        }
    };
    run::<K, V>(table, request, |query| match condition {
        Some(condition) => query.sort_key(condition),
        None => query,
    })
    .await
}

/// A `query` request on a table or index without a sort key.
pub async fn run_query_without_sort_key<K, V>(
    table: &TableClient<K::Table>,
    request: QueryRequest<V>,
) -> Result<QueryPage, Error>
where
    K: IndexKey,
    K::Partition: DeserializeOwned + IntoAttributeValue,
    K::Item: Serialize + Item + Send + 'static,
    V: QueryValue,
{
    if request.sort_key.is_some() {
        return Err(Error::validation(
            "sort_key",
            "this table or index has no sort key",
        ));
    }
    run::<K, V>(table, request, |query| query).await
}

async fn run<K, V>(
    table: &TableClient<K::Table>,
    request: QueryRequest<V>,
    with_sort_key: impl FnOnce(Query<K>) -> Query<K>,
) -> Result<QueryPage, Error>
where
    K: IndexKey,
    K::Partition: DeserializeOwned + IntoAttributeValue,
    K::Item: Serialize + Item + Send + 'static,
    V: QueryValue,
{
    let partition: K::Partition = request.partition.read("query", "partition")?;
    let mut query = with_sort_key(table.query_index::<K>(&partition));
    if request.descending {
        query = query.descending();
    }
    if let Some(limit) = request.limit {
        query = query.limit(limit);
    }
    if let Some(cursor) = &request.cursor {
        query = query.after_token(cursor);
    }
    if request.consistent_read {
        query = query.consistent_read_checked()?;
    }
    let page = query.await?;
    let cursor = page.next_token();
    let items = page
        .items
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()
        .map_err(|e| Error::validation("items", e.to_string()))?;
    Ok(QueryPage { items, cursor })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_query_request_reads_every_parameter() {
        let request: QueryRequest = serde_json::from_value(json!({
            "index": "by_status",
            "partition": "c-42",
            "sort_key": {"between": ["2026-01", "2026-12"]},
            "descending": true,
            "limit": 20,
            "cursor": "abc",
            "consistent_read": true,
        }))
        .unwrap();
        assert_eq!(request.index.as_deref(), Some("by_status"));
        assert_eq!(request.partition, json!("c-42"));
        assert!(matches!(
            request.sort_key,
            Some(SortKeyRequest::Between(low, high)) if low == "2026-01" && high == "2026-12"
        ));
        assert!(request.descending && request.consistent_read);
        assert_eq!(
            (request.limit, request.cursor.as_deref()),
            (Some(20), Some("abc"))
        );
    }

    #[test]
    fn a_query_request_refuses_unknown_fields_and_conditions() {
        let unknown = json!({"partition": "c", "order": "desc"});
        assert!(serde_json::from_value::<QueryRequest>(unknown).is_err());
        let condition = json!({"partition": "c", "sort_key": {"like": "x"}});
        assert!(serde_json::from_value::<QueryRequest>(condition).is_err());
        let two = json!({"partition": "c", "sort_key": {"eq": 1, "lt": 2}});
        assert!(serde_json::from_value::<QueryRequest>(two).is_err());
    }

    #[test]
    fn json_values_name_the_field_they_fail_in() {
        let error = json!("ten").read::<u32>("sort_key", "ge").unwrap_err();
        assert!(
            matches!(&error, Error::Validation { attribute: Some(a), .. } if a == "sort_key.ge"),
            "{error:?}"
        );
        assert_eq!(json!(7).read::<u32>("query", "partition").unwrap(), 7);
    }
}
