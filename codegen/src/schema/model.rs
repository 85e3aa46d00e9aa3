//! The table schema, whichever file it was read from.

use std::fmt;

/// A DynamoDB table: keys, indexes, time to live, billing and stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSchema {
    pub table_name: TableName,
    pub partition_key: KeyAttribute,
    pub sort_key: Option<KeyAttribute>,
    pub global_indexes: Vec<Index>,
    pub local_indexes: Vec<Index>,
    /// The attribute holding each item's expiry time, when time to live is on.
    pub ttl_attribute: Option<String>,
    pub billing: Billing,
    /// The stream's view type, when the table has a stream.
    pub stream: Option<StreamView>,
}

/// The table name: written out, or computed by CloudFormation at deploy time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableName {
    Literal(String),
    /// An intrinsic function in short form, e.g. `!Sub ${AWS::StackName}-users`.
    Intrinsic(String),
}

impl TableName {
    /// The name, when it is known before deployment.
    pub fn literal(&self) -> Option<&str> {
        match self {
            TableName::Literal(name) => Some(name),
            TableName::Intrinsic(_) => None,
        }
    }
}

/// A key attribute: its name and scalar type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAttribute {
    pub name: String,
    pub ty: ScalarType,
}

/// The types a key attribute may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// String.
    S,
    /// Number.
    N,
    /// Binary.
    B,
}

impl fmt::Display for ScalarType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ScalarType::S => "S",
            ScalarType::N => "N",
            ScalarType::B => "B",
        })
    }
}

/// A global or local secondary index. A local index's partition key is the
/// table's, and it has no capacity of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub name: String,
    pub partition_key: KeyAttribute,
    pub sort_key: Option<KeyAttribute>,
    pub projection: Projection,
    /// Provisioned capacity of a global index on a provisioned table.
    pub capacity: Option<Capacity>,
}

/// The attributes an index copies besides the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Projection {
    All,
    KeysOnly,
    /// The keys and these non-key attributes.
    Include(Vec<String>),
}

/// How the table is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    OnDemand,
    Provisioned(Capacity),
}

/// Provisioned read and write capacity units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    pub read: u64,
    pub write: u64,
}

/// What a DynamoDB stream record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamView {
    KeysOnly,
    NewImage,
    OldImage,
    NewAndOldImages,
}
