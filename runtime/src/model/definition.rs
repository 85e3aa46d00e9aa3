//! What a table is: name, keys, indexes, TTL, billing and stream, as the
//! macro reads them from the struct or from a schema file.

use aws_sdk_dynamodb::types::{ProjectionType, ScalarAttributeType, StreamViewType};

/// A table's definition, a `const` of every [`Table`](crate::Table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableDefinition {
    /// The table name written in the attribute or schema.
    pub name: &'static str,
    /// The environment variable that overrides the name at run time.
    pub name_env: &'static str,
    /// The partition (hash) key.
    pub partition_key: KeyDefinition,
    /// The sort (range) key, if any.
    pub sort_key: Option<KeyDefinition>,
    /// Global secondary indexes.
    pub global_indexes: &'static [IndexDefinition],
    /// Local secondary indexes (they share the table's partition key).
    pub local_indexes: &'static [IndexDefinition],
    /// The attribute DynamoDB's time to live reads, in epoch seconds.
    pub ttl_attribute: Option<&'static str>,
    /// How the table is paid for.
    pub billing: Billing,
    /// The change stream, if enabled.
    pub stream: Option<StreamView>,
}

impl TableDefinition {
    /// A table with only a key schema, on-demand, no indexes: what an
    /// inline `#[dynamo_lambda(table = …, partition_key = …)]` declares.
    pub const fn keys_only(
        name: &'static str,
        name_env: &'static str,
        partition_key: KeyDefinition,
        sort_key: Option<KeyDefinition>,
    ) -> Self {
        TableDefinition {
            name,
            name_env,
            partition_key,
            sort_key,
            global_indexes: &[],
            local_indexes: &[],
            ttl_attribute: None,
            billing: Billing::OnDemand,
            stream: None,
        }
    }

    /// The table's key attributes and every index's, each once, with its type.
    pub fn attribute_definitions(&self) -> Vec<KeyDefinition> {
        let mut out: Vec<KeyDefinition> = Vec::new();
        let keys = [Some(self.partition_key), self.sort_key]
            .into_iter()
            .chain(
                self.global_indexes
                    .iter()
                    .chain(self.local_indexes)
                    .flat_map(|i| [Some(i.partition_key), i.sort_key]),
            )
            .flatten();
        for key in keys {
            if !out.iter().any(|k| k.attribute == key.attribute) {
                out.push(key);
            }
        }
        out
    }

    /// The index named `name`, global or local.
    pub fn index(&self, name: &str) -> Option<&'static IndexDefinition> {
        self.global_indexes
            .iter()
            .chain(self.local_indexes)
            .find(|i| i.name == name)
    }
}

/// One key attribute of a table or index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyDefinition {
    /// The attribute name in DynamoDB.
    pub attribute: &'static str,
    /// Its scalar type.
    pub key_type: KeyType,
}

/// The scalar types a key attribute can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// String.
    S,
    /// Number.
    N,
    /// Binary.
    B,
}

impl KeyType {
    /// The SDK's name for the type.
    pub fn scalar_attribute_type(self) -> ScalarAttributeType {
        match self {
            KeyType::S => ScalarAttributeType::S,
            KeyType::N => ScalarAttributeType::N,
            KeyType::B => ScalarAttributeType::B,
        }
    }
}

/// A secondary index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexDefinition {
    /// The index name.
    pub name: &'static str,
    /// Its partition key (for a local index, the table's).
    pub partition_key: KeyDefinition,
    /// Its sort key, if any.
    pub sort_key: Option<KeyDefinition>,
    /// Which attributes the index holds.
    pub projection: Projection,
    /// Its own capacity, for a table with provisioned billing (global indexes only).
    pub capacity: Option<Capacity>,
}

/// Which attributes an index holds besides the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Projection {
    /// Every attribute.
    All,
    /// The table's and the index's keys only.
    KeysOnly,
    /// The keys and these attributes.
    Include(&'static [&'static str]),
}

impl Projection {
    /// The SDK's name for the projection type.
    pub fn projection_type(self) -> ProjectionType {
        match self {
            Projection::All => ProjectionType::All,
            Projection::KeysOnly => ProjectionType::KeysOnly,
            Projection::Include(_) => ProjectionType::Include,
        }
    }
}

/// How a table is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    /// Pay per request.
    OnDemand,
    /// Provisioned read and write capacity.
    Provisioned(Capacity),
}

/// Provisioned capacity units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// Read capacity units.
    pub read: u64,
    /// Write capacity units.
    pub write: u64,
}

/// What a table's stream records carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamView {
    /// Only the key attributes.
    KeysOnly,
    /// The item after the change.
    NewImage,
    /// The item before the change.
    OldImage,
    /// Both.
    NewAndOldImages,
}

impl StreamView {
    /// The SDK's name for the view type.
    pub fn stream_view_type(self) -> StreamViewType {
        match self {
            StreamView::KeysOnly => StreamViewType::KeysOnly,
            StreamView::NewImage => StreamViewType::NewImage,
            StreamView::OldImage => StreamViewType::OldImage,
            StreamView::NewAndOldImages => StreamViewType::NewAndOldImages,
        }
    }
}
