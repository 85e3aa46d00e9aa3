//! Where each part of a [`TableSchema`](super::TableSchema) was written, so
//! that a rule broken by the model names the place in the file.

/// YAML paths of the table's parts, filled in by the reader of each format.
#[derive(Debug, Default)]
pub(crate) struct Paths {
    pub table_name: String,
    pub partition_key: KeyPaths,
    pub sort_key: KeyPaths,
    pub global_index_list: String,
    pub global_indexes: Vec<IndexPaths>,
    pub local_index_list: String,
    pub local_indexes: Vec<IndexPaths>,
    pub ttl: String,
    pub billing: CapacityPaths,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct KeyPaths {
    pub name: String,
    pub ty: String,
}

#[derive(Debug, Default)]
pub(crate) struct IndexPaths {
    /// The index itself, e.g. `global_secondary_indexes[0]`.
    pub index: String,
    pub name: String,
    pub partition_key: KeyPaths,
    pub sort_key: KeyPaths,
    /// The list of included attributes, and each of them.
    pub include_list: String,
    pub include: Vec<String>,
    pub capacity: CapacityPaths,
}

#[derive(Debug, Default)]
pub(crate) struct CapacityPaths {
    pub capacity: String,
    pub read: String,
    pub write: String,
}

/// `parent.key`, or `key` at the root.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// `parent[index]`.
pub(crate) fn item(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}
