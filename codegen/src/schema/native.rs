//! Our YAML table format. Every key is known: an unknown one is an error.
//!
//! ```yaml
//! table: Orders                                 # 3-255 of a-z A-Z 0-9 _ - .
//! partition_key: { name: customer_id, type: S } # type: S | N | B
//! sort_key: { name: ordered_at, type: S }       # optional
//! global_secondary_indexes:                     # optional, at most 20
//!   - name: by_status
//!     partition_key: { name: status, type: S }
//!     sort_key: { name: ordered_at, type: S }   # optional
//!     projection: ALL
//!     capacity: { read: 5, write: 5 }           # with provisioned billing only, and then required
//! local_secondary_indexes:                      # optional, at most 5; the table needs a sort key
//!   - name: by_total
//!     sort_key: { name: total_cents, type: N }  # the partition key is the table's
//!     projection: { INCLUDE: [status] }
//! ttl: expires_at                               # optional
//! billing: on_demand                            # on_demand (default) | { provisioned: { read: 5, write: 5 } }
//! stream: NEW_AND_OLD_IMAGES                    # optional: KEYS_ONLY | NEW_IMAGE | OLD_IMAGE | NEW_AND_OLD_IMAGES
//! ```
//!
//! `projection` is `ALL`, `KEYS_ONLY`, or a mapping with the single key
//! `INCLUDE` listing the non-key attributes to copy: DynamoDB's
//! `ProjectionType` names, with `INCLUDE` carrying its `NonKeyAttributes`.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::error::SchemaError;
use super::model::{
    Billing, Capacity, Index, KeyAttribute, Projection, ScalarType, StreamView, TableName,
    TableSchema,
};
use super::paths::{CapacityPaths, IndexPaths, KeyPaths, Paths, item, join};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    table: String,
    partition_key: Key,
    #[serde(default)]
    sort_key: Option<Key>,
    #[serde(default)]
    global_secondary_indexes: Vec<GlobalIndex>,
    #[serde(default)]
    local_secondary_indexes: Vec<LocalIndex>,
    #[serde(default)]
    ttl: Option<String>,
    #[serde(default)]
    billing: BillingMode,
    #[serde(default)]
    stream: Option<Stream>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Key {
    name: String,
    #[serde(rename = "type")]
    ty: Type,
}

#[derive(Debug, Clone, Copy, Deserialize)]
enum Type {
    S,
    N,
    B,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlobalIndex {
    name: String,
    partition_key: Key,
    #[serde(default)]
    sort_key: Option<Key>,
    projection: ProjectionType,
    #[serde(default)]
    capacity: Option<Units>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocalIndex {
    name: String,
    sort_key: Key,
    projection: ProjectionType,
}

#[derive(Debug)]
enum ProjectionType {
    All,
    KeysOnly,
    Include(Vec<String>),
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct Units {
    read: u64,
    write: u64,
}

#[derive(Debug, Default)]
enum BillingMode {
    #[default]
    OnDemand,
    Provisioned(Units),
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Stream {
    KeysOnly,
    NewImage,
    OldImage,
    NewAndOldImages,
}

// serde_norway reads an enum variant with data only from a YAML tag
// (`!provisioned {…}`); these two also take the plainer `{ provisioned: {…} }`.

// ALL | KEYS_ONLY | { INCLUDE: [a, b] }
impl<'de> Deserialize<'de> for ProjectionType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NameOrSingleKey {
            expecting: "`ALL`, `KEYS_ONLY` or `{ INCLUDE: [attribute, …] }`",
            names: &["ALL", "KEYS_ONLY"],
            key: "INCLUDE",
            from_name: |name| match name {
                "ALL" => ProjectionType::All,
                _ => ProjectionType::KeysOnly,
            },
            from_value: ProjectionType::Include,
        })
    }
}

// on_demand | { provisioned: { read: 5, write: 5 } }
impl<'de> Deserialize<'de> for BillingMode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NameOrSingleKey {
            expecting: "`on_demand` or `{ provisioned: { read: …, write: … } }`",
            names: &["on_demand"],
            key: "provisioned",
            from_name: |_| BillingMode::OnDemand,
            from_value: BillingMode::Provisioned,
        })
    }
}

/// One of `names`, or a mapping with the single `key`.
struct NameOrSingleKey<T, V> {
    expecting: &'static str,
    names: &'static [&'static str],
    key: &'static str,
    from_name: fn(&str) -> T,
    from_value: fn(V) -> T,
}

impl<'de, T, V: Deserialize<'de>> Visitor<'de> for NameOrSingleKey<T, V> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<T, E> {
        if self.names.contains(&name) {
            Ok((self.from_name)(name))
        } else if name == self.key {
            Err(E::custom(format!(
                "`{name}` takes a value; expected {}",
                self.expecting
            )))
        } else {
            Err(E::custom(format!(
                "unknown value `{name}`, expected {}",
                self.expecting
            )))
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let key: Option<String> = map.next_key()?;
        match key {
            Some(key) if key == self.key => {}
            Some(key) => {
                return Err(de::Error::custom(format!(
                    "unknown key `{key}`, expected {}",
                    self.expecting
                )));
            }
            None => return Err(de::Error::invalid_length(0, &self)),
        }
        let value = map.next_value()?;
        if let Some(extra) = map.next_key::<String>()? {
            return Err(de::Error::custom(format!(
                "unexpected key `{extra}` beside `{}`",
                self.key
            )));
        }
        Ok((self.from_value)(value))
    }
}

/// Reads the file; a YAML or shape error stops here, with its line and column.
pub(crate) fn read(text: &str) -> Result<(TableSchema, Paths), SchemaError> {
    let file: File = serde_norway::from_str(text).map_err(|e| SchemaError::from_yaml(&e))?;
    Ok(file.into_model())
}

impl File {
    fn into_model(self) -> (TableSchema, Paths) {
        let partition_key_paths = key_paths("partition_key");
        let mut paths = Paths {
            table_name: "table".to_owned(),
            partition_key: partition_key_paths.clone(),
            sort_key: key_paths("sort_key"),
            global_index_list: "global_secondary_indexes".to_owned(),
            local_index_list: "local_secondary_indexes".to_owned(),
            ttl: "ttl".to_owned(),
            billing: capacity_paths("billing.provisioned"),
            ..Paths::default()
        };
        let partition_key = self.partition_key.into_model();
        let global_indexes = self
            .global_secondary_indexes
            .into_iter()
            .enumerate()
            .map(|(i, index)| {
                let base = item(&paths.global_index_list, i);
                let (projection, include) = index.projection.into_model(&base);
                paths.global_indexes.push(IndexPaths {
                    name: join(&base, "name"),
                    partition_key: key_paths(&join(&base, "partition_key")),
                    sort_key: key_paths(&join(&base, "sort_key")),
                    include_list: join(&base, "projection.INCLUDE"),
                    include,
                    capacity: capacity_paths(&join(&base, "capacity")),
                    index: base,
                });
                Index {
                    name: index.name,
                    partition_key: index.partition_key.into_model(),
                    sort_key: index.sort_key.map(Key::into_model),
                    projection,
                    capacity: index.capacity.map(Units::into_model),
                }
            })
            .collect();
        let local_indexes = self
            .local_secondary_indexes
            .into_iter()
            .enumerate()
            .map(|(i, index)| {
                let base = item(&paths.local_index_list, i);
                let (projection, include) = index.projection.into_model(&base);
                paths.local_indexes.push(IndexPaths {
                    name: join(&base, "name"),
                    partition_key: partition_key_paths.clone(),
                    sort_key: key_paths(&join(&base, "sort_key")),
                    include_list: join(&base, "projection.INCLUDE"),
                    include,
                    capacity: CapacityPaths::default(),
                    index: base,
                });
                Index {
                    name: index.name,
                    partition_key: partition_key.clone(),
                    sort_key: Some(index.sort_key.into_model()),
                    projection,
                    capacity: None,
                }
            })
            .collect();
        let schema = TableSchema {
            table_name: TableName::Literal(self.table),
            partition_key,
            sort_key: self.sort_key.map(Key::into_model),
            global_indexes,
            local_indexes,
            ttl_attribute: self.ttl,
            billing: match self.billing {
                BillingMode::OnDemand => Billing::OnDemand,
                BillingMode::Provisioned(units) => Billing::Provisioned(units.into_model()),
            },
            stream: self.stream.map(|stream| match stream {
                Stream::KeysOnly => StreamView::KeysOnly,
                Stream::NewImage => StreamView::NewImage,
                Stream::OldImage => StreamView::OldImage,
                Stream::NewAndOldImages => StreamView::NewAndOldImages,
            }),
        };
        (schema, paths)
    }
}

impl Key {
    fn into_model(self) -> KeyAttribute {
        KeyAttribute {
            name: self.name,
            ty: match self.ty {
                Type::S => ScalarType::S,
                Type::N => ScalarType::N,
                Type::B => ScalarType::B,
            },
        }
    }
}

impl ProjectionType {
    /// The projection and the paths of its included attributes.
    fn into_model(self, index: &str) -> (Projection, Vec<String>) {
        match self {
            ProjectionType::All => (Projection::All, Vec::new()),
            ProjectionType::KeysOnly => (Projection::KeysOnly, Vec::new()),
            ProjectionType::Include(names) => {
                let list = join(index, "projection.INCLUDE");
                let paths = (0..names.len()).map(|i| item(&list, i)).collect();
                (Projection::Include(names), paths)
            }
        }
    }
}

impl Units {
    fn into_model(self) -> Capacity {
        Capacity {
            read: self.read,
            write: self.write,
        }
    }
}

fn key_paths(key: &str) -> KeyPaths {
    KeyPaths {
        name: join(key, "name"),
        ty: join(key, "type"),
    }
}

fn capacity_paths(capacity: &str) -> CapacityPaths {
    CapacityPaths {
        capacity: capacity.to_owned(),
        read: join(capacity, "read"),
        write: join(capacity, "write"),
    }
}

#[cfg(test)]
mod tests {
    use crate::schema::{
        Billing, Capacity, Index, KeyAttribute, Projection, ScalarType, SchemaError, StreamView,
        TableName, TableSchema, parse_yaml,
    };

    fn key(name: &str, ty: ScalarType) -> KeyAttribute {
        KeyAttribute {
            name: name.to_owned(),
            ty,
        }
    }

    fn only_error(yaml: &str) -> SchemaError {
        let mut errors = parse_yaml(yaml).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors.remove(0)
    }

    #[test]
    fn users_schema() {
        let schema = parse_yaml(include_str!("../../../schemas/users.yaml")).unwrap();
        assert_eq!(
            schema,
            TableSchema {
                table_name: TableName::Literal("Users".to_owned()),
                partition_key: key("id", ScalarType::S),
                sort_key: None,
                global_indexes: Vec::new(),
                local_indexes: Vec::new(),
                ttl_attribute: None,
                billing: Billing::OnDemand,
                stream: Some(StreamView::NewAndOldImages),
            }
        );
    }

    #[test]
    fn orders_schema() {
        let schema = parse_yaml(include_str!("../../../schemas/orders.yaml")).unwrap();
        assert_eq!(
            schema,
            TableSchema {
                table_name: TableName::Literal("Orders".to_owned()),
                partition_key: key("customer_id", ScalarType::S),
                sort_key: Some(key("ordered_at", ScalarType::S)),
                global_indexes: vec![Index {
                    name: "by_status".to_owned(),
                    partition_key: key("status", ScalarType::S),
                    sort_key: Some(key("ordered_at", ScalarType::S)),
                    projection: Projection::All,
                    capacity: None,
                }],
                local_indexes: vec![Index {
                    name: "by_total".to_owned(),
                    partition_key: key("customer_id", ScalarType::S),
                    sort_key: Some(key("total_cents", ScalarType::N)),
                    projection: Projection::Include(vec!["status".to_owned()]),
                    capacity: None,
                }],
                ttl_attribute: Some("expires_at".to_owned()),
                billing: Billing::OnDemand,
                stream: Some(StreamView::NewAndOldImages),
            }
        );
    }

    #[test]
    fn provisioned_billing_and_every_shape() {
        let schema = parse_yaml(
            "table: Events
partition_key: { name: source, type: B }
sort_key: { name: at, type: N }
global_secondary_indexes:
  - name: by_kind
    partition_key: { name: kind, type: S }
    projection: KEYS_ONLY
    capacity: { read: 3, write: 4 }
billing:
  provisioned: { read: 10, write: 20 }
stream: KEYS_ONLY
",
        )
        .unwrap();
        assert_eq!(schema.partition_key, key("source", ScalarType::B));
        assert_eq!(
            schema.billing,
            Billing::Provisioned(Capacity {
                read: 10,
                write: 20
            })
        );
        let index = &schema.global_indexes[0];
        assert_eq!(index.sort_key, None);
        assert_eq!(index.projection, Projection::KeysOnly);
        assert_eq!(index.capacity, Some(Capacity { read: 3, write: 4 }));
        assert_eq!(schema.stream, Some(StreamView::KeysOnly));
    }

    #[test]
    fn unknown_key_at_top_level() {
        let error = only_error(
            "table: Users
partition_key: { name: id, type: S }
billing_mode: on_demand
",
        );
        assert_eq!(error.path, "");
        assert_eq!(error.line_column, Some((3, 1)));
        assert!(
            error
                .message
                .starts_with("unknown field `billing_mode`, expected one of `table`"),
            "{}",
            error.message
        );
        assert!(
            error
                .to_string()
                .starts_with("line 3 column 1: unknown field `billing_mode`")
        );
    }

    #[test]
    fn unknown_key_in_an_index() {
        let error = only_error(
            "table: Orders
partition_key: { name: customer_id, type: S }
global_secondary_indexes:
  - name: by_status
    partition_key: { name: status, type: S }
    projection: ALL
    projection_type: ALL
",
        );
        assert_eq!(error.path, "global_secondary_indexes[0]");
        assert_eq!(error.line_column, Some((7, 5)));
        assert_eq!(
            error.message,
            "unknown field `projection_type`, expected one of `name`, `partition_key`, `sort_key`, `projection`, `capacity`"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "line 7 column 5: global_secondary_indexes[0]: {}",
                error.message
            )
        );
    }

    #[test]
    fn capacity_on_a_local_index_is_an_unknown_key() {
        let error = only_error(
            "table: Orders
partition_key: { name: customer_id, type: S }
sort_key: { name: ordered_at, type: S }
local_secondary_indexes:
  - name: by_total
    sort_key: { name: total_cents, type: N }
    projection: ALL
    capacity: { read: 1, write: 1 }
",
        );
        assert_eq!(error.path, "local_secondary_indexes[0]");
        assert_eq!(error.line_column, Some((8, 5)));
        assert!(error.message.starts_with("unknown field `capacity`"));
    }

    #[test]
    fn unknown_key_type() {
        let error = only_error("table: Users\npartition_key: { name: id, type: String }\n");
        assert_eq!(error.path, "partition_key.type");
        assert_eq!(error.line_column, Some((2, 34)));
        assert_eq!(
            error.message,
            "unknown variant `String`, expected one of `S`, `N`, `B`"
        );
    }

    #[test]
    fn unknown_projection() {
        let error = only_error(
            "table: Orders
partition_key: { name: customer_id, type: S }
global_secondary_indexes:
  - name: by_status
    partition_key: { name: status, type: S }
    projection: { EXCLUDE: [total] }
",
        );
        assert_eq!(error.path, "global_secondary_indexes[0].projection");
        assert_eq!(
            error.message,
            "unknown key `EXCLUDE`, expected `ALL`, `KEYS_ONLY` or `{ INCLUDE: [attribute, …] }`"
        );
        assert_eq!(error.line_column.map(|(line, _)| line), Some(6));
    }

    #[test]
    fn include_without_attributes() {
        let error = only_error(
            "table: Orders
partition_key: { name: customer_id, type: S }
global_secondary_indexes:
  - name: by_status
    partition_key: { name: status, type: S }
    projection: INCLUDE
",
        );
        assert_eq!(error.path, "global_secondary_indexes[0].projection");
        assert_eq!(error.line_column, Some((6, 17)));
        assert_eq!(
            error.message,
            "`INCLUDE` takes a value; expected `ALL`, `KEYS_ONLY` or `{ INCLUDE: [attribute, …] }`"
        );
    }

    #[test]
    fn unknown_billing() {
        let error = only_error(
            "table: Users\npartition_key: { name: id, type: S }\nbilling: PAY_PER_REQUEST\n",
        );
        assert_eq!(error.path, "billing");
        assert_eq!(error.line_column, Some((3, 10)));
        assert_eq!(
            error.message,
            "unknown value `PAY_PER_REQUEST`, expected `on_demand` or `{ provisioned: { read: …, write: … } }`"
        );
    }

    #[test]
    fn negative_capacity() {
        let error = only_error(
            "table: Users
partition_key: { name: id, type: S }
billing: { provisioned: { read: -1, write: 5 } }
",
        );
        assert_eq!(error.path, "billing.provisioned.read");
        assert_eq!(error.line_column, Some((3, 33)));
        assert_eq!(error.message, "invalid type: integer `-1`, expected u64");
    }

    #[test]
    fn missing_key() {
        let error = only_error("table: Users\n");
        assert_eq!(error.path, "");
        assert_eq!(error.message, "missing field `partition_key`");
        assert!(error.line_column.is_some());
    }

    #[test]
    fn syntax_error() {
        let error = only_error("table: Users\npartition_key: { name: id, type: S\n");
        assert_eq!(error.path, "");
        assert_eq!(error.line_column, Some((3, 1)));
        assert!(
            error
                .message
                .starts_with("did not find expected ',' or '}'"),
            "{}",
            error.message
        );
        assert!(
            !error.message.contains("at line 3 column 1"),
            "{}",
            error.message
        );
    }

    #[test]
    fn bad_indentation() {
        let error = only_error("table: Users\n  partition_key: { name: id, type: S }\n");
        assert_eq!(error.line_column.map(|(line, _)| line), Some(2));
        assert!(
            error.message.starts_with("mapping values are not allowed"),
            "{}",
            error.message
        );
    }
}
