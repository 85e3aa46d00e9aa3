//! DynamoDB's own rules for a table definition, checked on the model so that
//! every format gets them. All broken rules are reported, each at its path.

use std::collections::HashMap;

use super::error::SchemaError;
use super::model::{Billing, Capacity, Index, KeyAttribute, Projection, ScalarType, TableSchema};
use super::paths::{CapacityPaths, IndexPaths, KeyPaths, Paths};
use crate::naming::{self, NameError};

const MAX_GLOBAL_INDEXES: usize = 20;
const MAX_LOCAL_INDEXES: usize = 5;
const MAX_PROJECTED_ATTRIBUTES: usize = 100;
const MAX_KEY_NAME_BYTES: usize = 255;

pub(crate) fn check(schema: &TableSchema, paths: &Paths) -> Vec<SchemaError> {
    let mut cx = Rules {
        errors: Vec::new(),
        types: HashMap::new(),
    };
    if let Some(name) = schema.table_name.literal() {
        cx.name("table", name, &paths.table_name);
    }
    cx.key(&schema.partition_key, &paths.partition_key);
    if let Some(sort_key) = &schema.sort_key {
        cx.key(sort_key, &paths.sort_key);
        cx.distinct_keys(&schema.partition_key, sort_key, &paths.sort_key);
    }
    cx.index_counts(schema, paths);
    cx.index_names(schema, paths);
    for (index, at) in schema.global_indexes.iter().zip(&paths.global_indexes) {
        cx.global_index(index, at, schema.billing);
    }
    for (index, at) in schema.local_indexes.iter().zip(&paths.local_indexes) {
        cx.local_index(index, at, schema);
    }
    cx.projections(schema, paths);
    if let Billing::Provisioned(capacity) = schema.billing {
        cx.capacity(capacity, &paths.billing);
    }
    if schema.ttl_attribute.as_deref() == Some("") {
        cx.error(
            &paths.ttl,
            "the time-to-live attribute name must not be empty",
        );
    }
    cx.errors
}

struct Rules<'a> {
    errors: Vec<SchemaError>,
    /// Each key attribute's type and where it was first given.
    types: HashMap<&'a str, (ScalarType, &'a str)>,
}

impl<'a> Rules<'a> {
    fn error(&mut self, path: &str, message: impl Into<String>) {
        self.errors.push(SchemaError::at(path, message));
    }

    /// Table and index names: 3 to 255 of `a-z A-Z 0-9 _ - .`.
    fn name(&mut self, what: &str, name: &str, path: &str) {
        match naming::check_name(name) {
            Ok(()) => {}
            Err(NameError::Length(length)) => self.error(
                path,
                format!("{what} name must be 3 to 255 characters long, `{name}` has {length}"),
            ),
            Err(NameError::Character(bad)) => self.error(
                path,
                format!(
                    "{what} name `{name}` may only contain a-z, A-Z, 0-9, `_`, `-` and `.`, not `{bad}`"
                ),
            ),
        }
    }

    /// A key attribute's name, and its type against every other use of the name.
    fn key(&mut self, key: &'a KeyAttribute, at: &'a KeyPaths) {
        if self.attribute_name("key", &key.name, &at.name) {
            self.key_type(key, at);
        }
    }

    /// Attribute names: not empty, and at most 255 bytes where DynamoDB says so.
    fn attribute_name(&mut self, what: &str, name: &str, path: &str) -> bool {
        if name.is_empty() {
            self.error(path, format!("{what} attribute name must not be empty"));
            false
        } else if name.len() > MAX_KEY_NAME_BYTES {
            self.error(
                path,
                format!(
                    "{what} attribute name must be at most {MAX_KEY_NAME_BYTES} bytes long, this one has {}",
                    name.len()
                ),
            );
            false
        } else {
            true
        }
    }

    /// One attribute definition per name: a key attribute has one type
    /// wherever it is a key.
    fn key_type(&mut self, key: &'a KeyAttribute, at: &'a KeyPaths) {
        match self.types.get(key.name.as_str()) {
            Some(&(ty, first)) if ty != key.ty => self.error(
                &at.ty,
                format!(
                    "key attribute `{}` is `{}` here but `{ty}` at `{first}`; an attribute has one type in all keys",
                    key.name, key.ty
                ),
            ),
            Some(_) => {}
            None => {
                self.types.insert(&key.name, (key.ty, &at.ty));
            }
        }
    }

    fn distinct_keys(&mut self, partition: &KeyAttribute, sort: &KeyAttribute, at: &KeyPaths) {
        if partition.name == sort.name {
            self.error(
                &at.name,
                format!(
                    "the sort key must be another attribute than the partition key `{}`",
                    partition.name
                ),
            );
        }
    }

    fn index_counts(&mut self, schema: &TableSchema, paths: &Paths) {
        let global = schema.global_indexes.len();
        if global > MAX_GLOBAL_INDEXES {
            self.error(
                &paths.global_index_list,
                format!(
                    "{global} global secondary indexes; a table has at most {MAX_GLOBAL_INDEXES}"
                ),
            );
        }
        let local = schema.local_indexes.len();
        if local > MAX_LOCAL_INDEXES {
            self.error(
                &paths.local_index_list,
                format!("{local} local secondary indexes; a table has at most {MAX_LOCAL_INDEXES}"),
            );
        }
    }

    /// Index names are unique across global and local indexes.
    fn index_names(&mut self, schema: &TableSchema, paths: &Paths) {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        let all = schema
            .global_indexes
            .iter()
            .zip(&paths.global_indexes)
            .chain(schema.local_indexes.iter().zip(&paths.local_indexes));
        for (index, at) in all {
            self.name("index", &index.name, &at.name);
            if let Some(first) = seen.get(index.name.as_str()) {
                self.error(
                    &at.name,
                    format!(
                        "index name `{}` is already used at `{first}`; index names are unique in a table",
                        index.name
                    ),
                );
            } else {
                seen.insert(&index.name, &at.name);
            }
        }
    }

    fn global_index(&mut self, index: &'a Index, at: &'a IndexPaths, billing: Billing) {
        self.key(&index.partition_key, &at.partition_key);
        if let Some(sort_key) = &index.sort_key {
            self.key(sort_key, &at.sort_key);
            self.distinct_keys(&index.partition_key, sort_key, &at.sort_key);
        }
        match (billing, index.capacity) {
            (Billing::OnDemand, Some(_)) => self.error(
                &at.capacity.capacity,
                "an index of an on-demand table has no provisioned capacity",
            ),
            (Billing::Provisioned(_), None) => self.error(
                &at.index,
                "an index of a table with provisioned billing needs its own read and write capacity",
            ),
            (Billing::Provisioned(_), Some(capacity)) => self.capacity(capacity, &at.capacity),
            (Billing::OnDemand, None) => {}
        }
    }

    /// A local index shares the table's partition key and capacity and sorts
    /// by another attribute than the table does.
    fn local_index(&mut self, index: &'a Index, at: &'a IndexPaths, schema: &TableSchema) {
        match (&schema.sort_key, &index.sort_key) {
            (None, _) => self.error(
                &at.index,
                "a local secondary index needs a table with a sort key",
            ),
            (Some(_), None) => self.error(&at.index, "a local secondary index needs a sort key"),
            (Some(table), Some(sort_key)) => {
                self.key(sort_key, &at.sort_key);
                if table.name == sort_key.name {
                    self.error(
                        &at.sort_key.name,
                        format!(
                            "a local secondary index must sort by another attribute than the table's sort key `{}`",
                            table.name
                        ),
                    );
                }
            }
        }
        if index.capacity.is_some() {
            self.error(
                &at.capacity.capacity,
                "a local secondary index has no capacity of its own; it uses the table's",
            );
        }
    }

    /// Included attributes: named once, not keys (those are always there),
    /// and at most 100 over all indexes.
    fn projections(&mut self, schema: &TableSchema, paths: &Paths) {
        let mut total = 0;
        let all = schema
            .global_indexes
            .iter()
            .zip(&paths.global_indexes)
            .chain(schema.local_indexes.iter().zip(&paths.local_indexes));
        for (index, at) in all {
            let Projection::Include(names) = &index.projection else {
                continue;
            };
            if names.is_empty() {
                self.error(
                    &at.include_list,
                    "an INCLUDE projection names at least one attribute",
                );
            }
            let keys = [
                Some(&schema.partition_key),
                schema.sort_key.as_ref(),
                Some(&index.partition_key),
                index.sort_key.as_ref(),
            ];
            let mut seen: HashMap<&str, &str> = HashMap::new();
            for (name, path) in names.iter().zip(&at.include) {
                if !self.attribute_name("projected", name, path) {
                    continue;
                }
                if let Some(first) = seen.get(name.as_str()) {
                    self.error(path, format!("`{name}` is already included at `{first}`"));
                    continue;
                }
                seen.insert(name, path);
                if keys.iter().flatten().any(|key| key.name == *name) {
                    self.error(
                        path,
                        format!("`{name}` is a key attribute, which every index holds; include only other attributes"),
                    );
                }
            }
            let before = total;
            total += names.len();
            if before <= MAX_PROJECTED_ATTRIBUTES && total > MAX_PROJECTED_ATTRIBUTES {
                self.error(
                    &at.include_list,
                    format!(
                        "indexes include {total} attributes up to here; a table's indexes include at most {MAX_PROJECTED_ATTRIBUTES} in all"
                    ),
                );
            }
        }
    }

    fn capacity(&mut self, capacity: Capacity, at: &CapacityPaths) {
        for (units, path, what) in [
            (capacity.read, &at.read, "read"),
            (capacity.write, &at.write, "write"),
        ] {
            if units == 0 {
                self.error(path, format!("{what} capacity must be at least 1 unit"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::schema::parse_yaml;

    /// A table with both keys; each test appends what it needs.
    const ORDERS: &str = "table: Orders
partition_key: { name: customer_id, type: S }
sort_key: { name: ordered_at, type: S }
";

    /// The errors as (path, message); rule errors have no line and column.
    fn errors(yaml: &str) -> Vec<(String, String)> {
        parse_yaml(yaml)
            .unwrap_err()
            .into_iter()
            .map(|error| {
                assert_eq!(error.line_column, None, "{error}");
                (error.path, error.message)
            })
            .collect()
    }

    fn error(yaml: &str) -> (String, String) {
        let mut errors = errors(yaml);
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors.remove(0)
    }

    fn pair(path: &str, message: &str) -> (String, String) {
        (path.to_owned(), message.to_owned())
    }

    fn global_indexes(count: usize) -> String {
        let mut yaml = format!("{ORDERS}global_secondary_indexes:\n");
        for i in 0..count {
            yaml.push_str(&format!(
                "  - {{ name: index_{i}, partition_key: {{ name: status, type: S }}, projection: ALL }}\n"
            ));
        }
        yaml
    }

    fn local_indexes(count: usize) -> String {
        let mut yaml = format!("{ORDERS}local_secondary_indexes:\n");
        for i in 0..count {
            yaml.push_str(&format!(
                "  - {{ name: local_{i}, sort_key: {{ name: sort_{i}, type: N }}, projection: KEYS_ONLY }}\n"
            ));
        }
        yaml
    }

    #[test]
    fn table_name_too_short() {
        assert_eq!(
            error("table: Or\npartition_key: { name: id, type: S }\n"),
            pair(
                "table",
                "table name must be 3 to 255 characters long, `Or` has 2"
            )
        );
    }

    #[test]
    fn table_name_too_long() {
        let name = "t".repeat(256);
        assert_eq!(
            error(&format!(
                "table: {name}\npartition_key: {{ name: id, type: S }}\n"
            )),
            pair(
                "table",
                &format!("table name must be 3 to 255 characters long, `{name}` has 256")
            )
        );
    }

    #[test]
    fn table_name_characters() {
        assert_eq!(
            error("table: My Orders\npartition_key: { name: id, type: S }\n"),
            pair(
                "table",
                "table name `My Orders` may only contain a-z, A-Z, 0-9, `_`, `-` and `.`, not ` `"
            )
        );
    }

    #[test]
    fn index_name() {
        let yaml = format!(
            "{ORDERS}global_secondary_indexes:
  - {{ name: by/status, partition_key: {{ name: status, type: S }}, projection: ALL }}
local_secondary_indexes:
  - {{ name: by, sort_key: {{ name: total, type: N }}, projection: ALL }}
"
        );
        assert_eq!(
            errors(&yaml),
            [
                pair(
                    "global_secondary_indexes[0].name",
                    "index name `by/status` may only contain a-z, A-Z, 0-9, `_`, `-` and `.`, not `/`"
                ),
                pair(
                    "local_secondary_indexes[0].name",
                    "index name must be 3 to 255 characters long, `by` has 2"
                ),
            ]
        );
    }

    #[test]
    fn empty_key_attribute_name() {
        assert_eq!(
            error("table: Users\npartition_key: { name: '', type: S }\n"),
            pair("partition_key.name", "key attribute name must not be empty")
        );
    }

    #[test]
    fn long_key_attribute_name() {
        let name = "é".repeat(128);
        let yaml = format!(
            "{ORDERS}global_secondary_indexes:\n  - {{ name: by_x, partition_key: {{ name: {name}, type: S }}, projection: ALL }}\n"
        );
        assert_eq!(
            error(&yaml),
            pair(
                "global_secondary_indexes[0].partition_key.name",
                "key attribute name must be at most 255 bytes long, this one has 256"
            )
        );
    }

    #[test]
    fn sort_key_is_the_partition_key() {
        let yaml = "table: Users
partition_key: { name: id, type: S }
sort_key: { name: id, type: S }
global_secondary_indexes:
  - name: by_status
    partition_key: { name: status, type: S }
    sort_key: { name: status, type: S }
    projection: ALL
";
        assert_eq!(
            errors(yaml),
            [
                pair(
                    "sort_key.name",
                    "the sort key must be another attribute than the partition key `id`"
                ),
                pair(
                    "global_secondary_indexes[0].sort_key.name",
                    "the sort key must be another attribute than the partition key `status`"
                ),
            ]
        );
    }

    #[test]
    fn twenty_global_indexes() {
        assert!(parse_yaml(&global_indexes(20)).is_ok());
        assert_eq!(
            error(&global_indexes(21)),
            pair(
                "global_secondary_indexes",
                "21 global secondary indexes; a table has at most 20"
            )
        );
    }

    #[test]
    fn five_local_indexes() {
        assert!(parse_yaml(&local_indexes(5)).is_ok());
        assert_eq!(
            error(&local_indexes(6)),
            pair(
                "local_secondary_indexes",
                "6 local secondary indexes; a table has at most 5"
            )
        );
    }

    #[test]
    fn index_names_are_unique() {
        let yaml = format!(
            "{ORDERS}global_secondary_indexes:
  - {{ name: by_status, partition_key: {{ name: status, type: S }}, projection: ALL }}
  - {{ name: by_status, partition_key: {{ name: state, type: S }}, projection: ALL }}
local_secondary_indexes:
  - {{ name: by_status, sort_key: {{ name: status, type: S }}, projection: ALL }}
"
        );
        assert_eq!(
            errors(&yaml),
            [
                pair(
                    "global_secondary_indexes[1].name",
                    "index name `by_status` is already used at `global_secondary_indexes[0].name`; index names are unique in a table"
                ),
                pair(
                    "local_secondary_indexes[0].name",
                    "index name `by_status` is already used at `global_secondary_indexes[0].name`; index names are unique in a table"
                ),
            ]
        );
    }

    #[test]
    fn local_index_needs_a_table_sort_key() {
        let yaml = "table: Users
partition_key: { name: id, type: S }
local_secondary_indexes:
  - { name: by_email, sort_key: { name: email, type: S }, projection: ALL }
";
        assert_eq!(
            error(yaml),
            pair(
                "local_secondary_indexes[0]",
                "a local secondary index needs a table with a sort key"
            )
        );
    }

    #[test]
    fn local_index_sorts_by_another_attribute() {
        let yaml = format!(
            "{ORDERS}local_secondary_indexes:\n  - {{ name: by_time, sort_key: {{ name: ordered_at, type: S }}, projection: ALL }}\n"
        );
        assert_eq!(
            error(&yaml),
            pair(
                "local_secondary_indexes[0].sort_key.name",
                "a local secondary index must sort by another attribute than the table's sort key `ordered_at`"
            )
        );
    }

    #[test]
    fn key_attribute_has_one_type() {
        let yaml = format!(
            "{ORDERS}global_secondary_indexes:
  - {{ name: by_status, partition_key: {{ name: status, type: S }}, sort_key: {{ name: ordered_at, type: N }}, projection: ALL }}
local_secondary_indexes:
  - {{ name: by_status_too, sort_key: {{ name: status, type: B }}, projection: ALL }}
"
        );
        assert_eq!(
            errors(&yaml),
            [
                pair(
                    "global_secondary_indexes[0].sort_key.type",
                    "key attribute `ordered_at` is `N` here but `S` at `sort_key.type`; an attribute has one type in all keys"
                ),
                pair(
                    "local_secondary_indexes[0].sort_key.type",
                    "key attribute `status` is `B` here but `S` at `global_secondary_indexes[0].partition_key.type`; an attribute has one type in all keys"
                ),
            ]
        );
    }

    #[test]
    fn include_is_not_empty() {
        let yaml = format!(
            "{ORDERS}global_secondary_indexes:\n  - {{ name: by_status, partition_key: {{ name: status, type: S }}, projection: {{ INCLUDE: [] }} }}\n"
        );
        assert_eq!(
            error(&yaml),
            pair(
                "global_secondary_indexes[0].projection.INCLUDE",
                "an INCLUDE projection names at least one attribute"
            )
        );
    }

    #[test]
    fn include_names_an_attribute_once() {
        let yaml = format!(
            "{ORDERS}global_secondary_indexes:\n  - {{ name: by_status, partition_key: {{ name: status, type: S }}, projection: {{ INCLUDE: [total, tags, total] }} }}\n"
        );
        assert_eq!(
            error(&yaml),
            pair(
                "global_secondary_indexes[0].projection.INCLUDE[2]",
                "`total` is already included at `global_secondary_indexes[0].projection.INCLUDE[0]`"
            )
        );
    }

    #[test]
    fn include_names_no_key() {
        let yaml = format!(
            "{ORDERS}global_secondary_indexes:
  - name: by_status
    partition_key: {{ name: status, type: S }}
    projection: {{ INCLUDE: [customer_id, total, status, ordered_at] }}
local_secondary_indexes:
  - {{ name: by_total, sort_key: {{ name: total, type: N }}, projection: {{ INCLUDE: [total] }} }}
"
        );
        let message = |name: &str| {
            format!(
                "`{name}` is a key attribute, which every index holds; include only other attributes"
            )
        };
        assert_eq!(
            errors(&yaml),
            [
                pair(
                    "global_secondary_indexes[0].projection.INCLUDE[0]",
                    &message("customer_id")
                ),
                pair(
                    "global_secondary_indexes[0].projection.INCLUDE[2]",
                    &message("status")
                ),
                pair(
                    "global_secondary_indexes[0].projection.INCLUDE[3]",
                    &message("ordered_at")
                ),
                pair(
                    "local_secondary_indexes[0].projection.INCLUDE[0]",
                    &message("total")
                ),
            ]
        );
    }

    #[test]
    fn include_attribute_name_not_empty() {
        let yaml = format!(
            "{ORDERS}global_secondary_indexes:\n  - {{ name: by_status, partition_key: {{ name: status, type: S }}, projection: {{ INCLUDE: [total, ''] }} }}\n"
        );
        assert_eq!(
            error(&yaml),
            pair(
                "global_secondary_indexes[0].projection.INCLUDE[1]",
                "projected attribute name must not be empty"
            )
        );
    }

    #[test]
    fn at_most_a_hundred_included_attributes() {
        let list = |from: usize, to: usize| -> String {
            (from..to)
                .map(|i| format!("a{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let yaml = |to: usize| {
            format!(
                "{ORDERS}global_secondary_indexes:
  - {{ name: by_status, partition_key: {{ name: status, type: S }}, projection: {{ INCLUDE: [{}] }} }}
  - {{ name: by_state, partition_key: {{ name: state, type: S }}, projection: {{ INCLUDE: [{}] }} }}
",
                list(0, 60),
                list(0, to)
            )
        };
        assert!(parse_yaml(&yaml(40)).is_ok());
        assert_eq!(
            error(&yaml(41)),
            pair(
                "global_secondary_indexes[1].projection.INCLUDE",
                "indexes include 101 attributes up to here; a table's indexes include at most 100 in all"
            )
        );
    }

    #[test]
    fn provisioned_capacity_is_at_least_one() {
        let yaml = "table: Users
partition_key: { name: id, type: S }
billing: { provisioned: { read: 0, write: 0 } }
";
        assert_eq!(
            errors(yaml),
            [
                pair(
                    "billing.provisioned.read",
                    "read capacity must be at least 1 unit"
                ),
                pair(
                    "billing.provisioned.write",
                    "write capacity must be at least 1 unit"
                ),
            ]
        );
    }

    #[test]
    fn index_capacity_is_at_least_one() {
        let yaml = format!(
            "{ORDERS}billing: {{ provisioned: {{ read: 5, write: 5 }} }}
global_secondary_indexes:
  - {{ name: by_status, partition_key: {{ name: status, type: S }}, projection: ALL, capacity: {{ read: 1, write: 0 }} }}
"
        );
        assert_eq!(
            error(&yaml),
            pair(
                "global_secondary_indexes[0].capacity.write",
                "write capacity must be at least 1 unit"
            )
        );
    }

    #[test]
    fn index_capacity_with_on_demand_billing() {
        let yaml = format!(
            "{ORDERS}global_secondary_indexes:\n  - {{ name: by_status, partition_key: {{ name: status, type: S }}, projection: ALL, capacity: {{ read: 1, write: 1 }} }}\n"
        );
        assert_eq!(
            error(&yaml),
            pair(
                "global_secondary_indexes[0].capacity",
                "an index of an on-demand table has no provisioned capacity"
            )
        );
    }

    #[test]
    fn index_capacity_with_provisioned_billing() {
        let yaml = format!(
            "{ORDERS}billing: {{ provisioned: {{ read: 5, write: 5 }} }}
global_secondary_indexes:
  - {{ name: by_status, partition_key: {{ name: status, type: S }}, projection: ALL }}
local_secondary_indexes:
  - {{ name: by_total, sort_key: {{ name: total, type: N }}, projection: ALL }}
"
        );
        assert_eq!(
            error(&yaml),
            pair(
                "global_secondary_indexes[0]",
                "an index of a table with provisioned billing needs its own read and write capacity"
            )
        );
    }

    #[test]
    fn ttl_attribute_not_empty() {
        assert_eq!(
            error("table: Users\npartition_key: { name: id, type: S }\nttl: ''\n"),
            pair("ttl", "the time-to-live attribute name must not be empty")
        );
    }

    #[test]
    fn every_error_at_once() {
        let yaml = "table: U
partition_key: { name: '', type: S }
global_secondary_indexes:
  - { name: by_status, partition_key: { name: status, type: S }, projection: { INCLUDE: [] }, capacity: { read: 1, write: 1 } }
local_secondary_indexes:
  - { name: by_total, sort_key: { name: total, type: N }, projection: ALL }
ttl: ''
";
        let paths: Vec<String> = errors(yaml).into_iter().map(|(path, _)| path).collect();
        assert_eq!(
            paths,
            [
                "table",
                "partition_key.name",
                "global_secondary_indexes[0].capacity",
                "local_secondary_indexes[0]",
                "global_secondary_indexes[0].projection.INCLUDE",
                "ttl",
            ]
        );
    }
}
