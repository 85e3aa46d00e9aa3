//! A table resource of a CloudFormation or SAM template: `AWS::DynamoDB::Table`
//! or `AWS::Serverless::SimpleTable`.
//!
//! Intrinsic functions, short (`!Sub …`) or long (`{"Fn::Sub": …}`), may be
//! anywhere; they are an error only where the schema needs a value known at
//! compile time, such as a key name. A computed `TableName` is kept as
//! [`TableName::Intrinsic`].

use serde_norway::{Mapping, Value};

use super::error::SchemaError;
use super::model::{
    Billing, Capacity, Index, KeyAttribute, Projection, ScalarType, StreamView, TableName,
    TableSchema,
};
use super::paths::{CapacityPaths, IndexPaths, KeyPaths, Paths, item, join};

const TABLE: &str = "AWS::DynamoDB::Table";
const SIMPLE_TABLE: &str = "AWS::Serverless::SimpleTable";
const GENERATED_NAME: &str = "<no TableName: CloudFormation generates one>";

/// Reads `Resources.<resource>`; every error found is returned.
pub(crate) fn read(text: &str, resource: &str) -> Result<(TableSchema, Paths), Vec<SchemaError>> {
    let template: Value =
        serde_norway::from_str(text).map_err(|error| vec![SchemaError::from_yaml(&error)])?;
    let mut cx = Reader::default();
    match cx.template(&template, resource) {
        Some(table) if cx.errors.is_empty() => Ok(table),
        _ => Err(cx.errors),
    }
}

/// A value and its path in the template.
#[derive(Debug, Clone)]
struct Node<'v> {
    value: &'v Value,
    path: String,
}

impl<'v> Node<'v> {
    fn get(&self, key: &str) -> Option<Node<'v>> {
        match self.value {
            Value::Mapping(mapping) => mapping.get(key).map(|value| Node {
                value,
                path: join(&self.path, key),
            }),
            _ => None,
        }
    }

    fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }
}

/// A key attribute's name as written in a `KeySchema`.
#[derive(Debug)]
struct KeyName<'v> {
    name: &'v str,
    path: String,
}

#[derive(Debug, Default)]
struct KeySchema<'v> {
    hash: Option<KeyName<'v>>,
    range: Option<KeyName<'v>>,
}

#[derive(Debug, Clone, Copy)]
enum IndexKind<'v> {
    Global,
    /// With the table's partition key, when it could be read.
    Local(Option<&'v str>),
}

#[derive(Debug)]
struct Definition<'v> {
    name: &'v str,
    ty: Option<ScalarType>,
    name_path: String,
    ty_path: String,
    used: bool,
}

#[derive(Debug, Default)]
struct Reader {
    errors: Vec<SchemaError>,
    /// A key name could not be read, so a missing key or an unused attribute
    /// definition would be a follow-on error.
    keys_unreadable: bool,
}

impl Reader {
    fn error(&mut self, path: &str, message: impl Into<String>) {
        self.errors.push(SchemaError::at(path, message));
    }

    fn template(&mut self, template: &Value, resource: &str) -> Option<(TableSchema, Paths)> {
        let root = Node {
            value: template,
            path: String::new(),
        };
        let Some(resources) = root.get("Resources") else {
            self.error(
                "Resources",
                "missing; a template declares its resources in a `Resources` mapping",
            );
            return None;
        };
        let all = self.mapping(&resources)?;
        let Some(node) = resources.get(resource) else {
            let tables: Vec<String> = all
                .iter()
                .filter(|(_, value)| {
                    matches!(
                        value.get("Type").and_then(Value::as_str),
                        Some(TABLE | SIMPLE_TABLE)
                    )
                })
                .filter_map(|(id, _)| id.as_str().map(|id| format!("`{id}`")))
                .collect();
            let message = if tables.is_empty() {
                format!("no such resource, and the template has no `{TABLE}` or `{SIMPLE_TABLE}`")
            } else {
                format!(
                    "no such resource; the template's tables are {}",
                    tables.join(", ")
                )
            };
            self.error(&resources.at(resource), message);
            return None;
        };
        self.mapping(&node)?;
        let ty = self.required(&node, "Type")?;
        match self.string(&ty)? {
            TABLE => self.table(&node),
            SIMPLE_TABLE => self.simple_table(&node),
            other => {
                self.error(
                    &ty.path,
                    format!(
                        "`{other}` is not a DynamoDB table; expected `{TABLE}` or `{SIMPLE_TABLE}`"
                    ),
                );
                None
            }
        }
    }

    // AWS::DynamoDB::Table
    fn table(&mut self, resource: &Node) -> Option<(TableSchema, Paths)> {
        let props = self.required(resource, "Properties")?;
        self.mapping(&props)?;
        let mut paths = Paths {
            global_index_list: props.at("GlobalSecondaryIndexes"),
            local_index_list: props.at("LocalSecondaryIndexes"),
            ..Paths::default()
        };
        let table_name = self.table_name(&props, &mut paths);
        let mut definitions = self.definitions(&props);
        let keys = match self.required(&props, "KeySchema") {
            Some(node) => self.key_schema(&node),
            None => {
                self.keys_unreadable = true;
                None
            }
        };
        let keys = keys.unwrap_or_default();
        let partition_key = keys
            .hash
            .as_ref()
            .and_then(|key| self.resolve(&mut definitions, key));
        let sort_key = keys
            .range
            .as_ref()
            .map(|key| self.resolve(&mut definitions, key));
        let partition_name = keys.hash.as_ref().map(|key| key.name);
        let global = self.indexes(
            &props,
            "GlobalSecondaryIndexes",
            &mut definitions,
            IndexKind::Global,
        );
        let local = self.indexes(
            &props,
            "LocalSecondaryIndexes",
            &mut definitions,
            IndexKind::Local(partition_name),
        );
        let billing = self.billing(&props, &mut paths);
        let ttl_attribute = self.ttl(&props, &mut paths);
        let stream = self.stream(&props);
        if !self.keys_unreadable {
            for definition in definitions.iter().filter(|d| !d.used) {
                self.error(
                    &definition.name_path,
                    format!(
                        "`{}` is defined but no key uses it; CloudFormation rejects unused attribute definitions",
                        definition.name
                    ),
                );
            }
        }

        let (partition_key, partition_paths) = partition_key?;
        let (sort_key, sort_paths) = match sort_key {
            Some(key) => {
                let (key, paths) = key?;
                (Some(key), paths)
            }
            None => (None, KeyPaths::default()),
        };
        paths.partition_key = partition_paths;
        paths.sort_key = sort_paths;
        let (global_indexes, global_paths) = global?;
        let (local_indexes, local_paths) = local?;
        paths.global_indexes = global_paths;
        paths.local_indexes = local_paths;
        let schema = TableSchema {
            table_name,
            partition_key,
            sort_key,
            global_indexes,
            // Their partition key was checked to be the table's.
            local_indexes,
            ttl_attribute: ttl_attribute?,
            billing: billing?,
            stream: stream?,
        };
        Some((schema, paths))
    }

    // AWS::Serverless::SimpleTable
    fn simple_table(&mut self, resource: &Node) -> Option<(TableSchema, Paths)> {
        let props = match resource.get("Properties") {
            Some(props) => {
                self.mapping(&props)?;
                props
            }
            None => Node {
                value: &Value::Null,
                path: resource.at("Properties"),
            },
        };
        let mut paths = Paths::default();
        let table_name = self.table_name(&props, &mut paths);
        let partition_key = match props.get("PrimaryKey") {
            // SAM's default.
            None => Some(KeyAttribute {
                name: "id".to_owned(),
                ty: ScalarType::S,
            }),
            Some(key) => self.primary_key(&key, &mut paths),
        };
        let billing = match props.get("ProvisionedThroughput") {
            Some(node) => self.capacity(&node).map(|(capacity, at)| {
                paths.billing = at;
                Billing::Provisioned(capacity)
            }),
            None => Some(Billing::OnDemand),
        };
        let schema = TableSchema {
            table_name,
            partition_key: partition_key?,
            sort_key: None,
            global_indexes: Vec::new(),
            local_indexes: Vec::new(),
            ttl_attribute: None,
            billing: billing?,
            stream: None,
        };
        Some((schema, paths))
    }

    // PrimaryKey: { Name: id, Type: String }
    fn primary_key(&mut self, key: &Node, paths: &mut Paths) -> Option<KeyAttribute> {
        self.mapping(key)?;
        let name = self.required(key, "Name");
        let ty = self.required(key, "Type");
        let name = self.string(&name?);
        let ty_node = ty?;
        let ty = match self.string(&ty_node)? {
            "String" => ScalarType::S,
            "Number" => ScalarType::N,
            "Binary" => ScalarType::B,
            other => {
                self.error(
                    &ty_node.path,
                    format!("expected `String`, `Number` or `Binary`, found `{other}`"),
                );
                return None;
            }
        };
        paths.partition_key = KeyPaths {
            name: key.at("Name"),
            ty: ty_node.path,
        };
        Some(KeyAttribute {
            name: name?.to_owned(),
            ty,
        })
    }

    fn table_name(&mut self, props: &Node, paths: &mut Paths) -> TableName {
        paths.table_name = props.at("TableName");
        let Some(node) = props.get("TableName") else {
            return TableName::Intrinsic(GENERATED_NAME.to_owned());
        };
        if let Some(intrinsic) = intrinsic(node.value) {
            return TableName::Intrinsic(intrinsic);
        }
        match self.string(&node) {
            Some(name) => TableName::Literal(name.to_owned()),
            None => TableName::Intrinsic(GENERATED_NAME.to_owned()),
        }
    }

    // AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
    fn definitions<'v>(&mut self, props: &Node<'v>) -> Vec<Definition<'v>> {
        let mut definitions: Vec<Definition<'v>> = Vec::new();
        let Some(list) = props.get("AttributeDefinitions") else {
            return definitions;
        };
        for entry in self.list(&list).unwrap_or_default() {
            if self.mapping(&entry).is_none() {
                self.keys_unreadable = true;
                continue;
            }
            let name = self.required(&entry, "AttributeName");
            let ty = self.required(&entry, "AttributeType");
            let Some(name) = name.and_then(|node| self.string(&node).map(|name| (name, node.path)))
            else {
                self.keys_unreadable = true;
                continue;
            };
            let ty_path = entry.at("AttributeType");
            let ty = ty.and_then(|node| self.scalar_type(&node));
            if let Some(first) = definitions.iter().find(|d| d.name == name.0) {
                let message = format!(
                    "`{}` is already defined at `{}`; an attribute has one definition",
                    name.0, first.name_path
                );
                self.error(&name.1, message);
                continue;
            }
            definitions.push(Definition {
                name: name.0,
                ty,
                name_path: name.1,
                ty_path,
                used: false,
            });
        }
        definitions
    }

    fn scalar_type(&mut self, node: &Node) -> Option<ScalarType> {
        match self.string(node)? {
            "S" => Some(ScalarType::S),
            "N" => Some(ScalarType::N),
            "B" => Some(ScalarType::B),
            other => {
                self.error(
                    &node.path,
                    format!("expected `S`, `N` or `B`, found `{other}`"),
                );
                None
            }
        }
    }

    // KeySchema: [{ AttributeName: id, KeyType: HASH }, { AttributeName: at, KeyType: RANGE }]
    fn key_schema<'v>(&mut self, node: &Node<'v>) -> Option<KeySchema<'v>> {
        let Some(entries) = self.list(node) else {
            self.keys_unreadable = true;
            return None;
        };
        let mut keys = KeySchema::default();
        for entry in entries {
            if self.mapping(&entry).is_none() {
                self.keys_unreadable = true;
                continue;
            }
            let name = self.required(&entry, "AttributeName");
            let kind = self.required(&entry, "KeyType");
            let name = name.and_then(|node| {
                self.string(&node).map(|name| KeyName {
                    name,
                    path: node.path,
                })
            });
            let Some(kind_node) = kind else {
                self.keys_unreadable = true;
                continue;
            };
            let slot = match self.string(&kind_node) {
                Some("HASH") => &mut keys.hash,
                Some("RANGE") => &mut keys.range,
                Some(other) => {
                    self.error(
                        &kind_node.path,
                        format!("expected `HASH` or `RANGE`, found `{other}`"),
                    );
                    self.keys_unreadable = true;
                    continue;
                }
                None => {
                    self.keys_unreadable = true;
                    continue;
                }
            };
            if slot.is_some() {
                self.error(
                    &kind_node.path,
                    "a key schema has one key of each `KeyType`, and this one is taken",
                );
            } else if name.is_none() {
                self.keys_unreadable = true;
            } else {
                *slot = name;
            }
        }
        if keys.hash.is_none() && !self.keys_unreadable {
            self.error(
                &node.path,
                "no `HASH` key; a key schema names its partition key with `KeyType: HASH`",
            );
        }
        Some(keys)
    }

    /// A key attribute with its type from `AttributeDefinitions`.
    fn resolve(
        &mut self,
        definitions: &mut [Definition],
        key: &KeyName,
    ) -> Option<(KeyAttribute, KeyPaths)> {
        let Some(definition) = definitions.iter_mut().find(|d| d.name == key.name) else {
            self.error(
                &key.path,
                format!(
                    "`{}` is not in `AttributeDefinitions`; a key attribute's type is given there",
                    key.name
                ),
            );
            return None;
        };
        definition.used = true;
        let attribute = KeyAttribute {
            name: key.name.to_owned(),
            ty: definition.ty?,
        };
        let paths = KeyPaths {
            name: key.path.clone(),
            ty: definition.ty_path.clone(),
        };
        Some((attribute, paths))
    }

    /// `GlobalSecondaryIndexes` or `LocalSecondaryIndexes`.
    fn indexes(
        &mut self,
        props: &Node,
        key: &str,
        definitions: &mut [Definition],
        kind: IndexKind,
    ) -> Option<(Vec<Index>, Vec<IndexPaths>)> {
        let Some(list) = props.get(key) else {
            return Some((Vec::new(), Vec::new()));
        };
        let mut indexes = Some((Vec::new(), Vec::new()));
        for entry in self.list(&list)? {
            let index = self.index(&entry, definitions, kind);
            match (index, &mut indexes) {
                (Some((index, at)), Some((all, all_paths))) => {
                    all.push(index);
                    all_paths.push(at);
                }
                _ => indexes = None,
            }
        }
        indexes
    }

    fn index(
        &mut self,
        entry: &Node,
        definitions: &mut [Definition],
        kind: IndexKind,
    ) -> Option<(Index, IndexPaths)> {
        self.mapping(entry)?;
        let name = self
            .required(entry, "IndexName")
            .and_then(|node| self.string(&node));
        let keys = match self.required(entry, "KeySchema") {
            Some(node) => self.key_schema(&node),
            None => {
                self.keys_unreadable = true;
                None
            }
        };
        let keys = keys.unwrap_or_default();
        if let (IndexKind::Local(Some(table)), Some(hash)) = (kind, &keys.hash)
            && hash.name != table
        {
            self.error(
                &hash.path,
                format!(
                    "a local secondary index has the table's partition key `{table}`, not `{}`",
                    hash.name
                ),
            );
        }
        let partition_key = keys
            .hash
            .as_ref()
            .and_then(|key| self.resolve(definitions, key));
        let sort_key = keys
            .range
            .as_ref()
            .map(|key| self.resolve(definitions, key));
        let projection = self
            .required(entry, "Projection")
            .and_then(|node| self.projection(&node));
        let capacity = match entry.get("ProvisionedThroughput") {
            Some(node) => Some(self.capacity(&node)?),
            None => None,
        };

        let (partition_key, partition_paths) = partition_key?;
        let (sort_key, sort_paths) = match sort_key {
            Some(key) => {
                let (key, paths) = key?;
                (Some(key), paths)
            }
            None => (None, KeyPaths::default()),
        };
        let (projection, include_list, include) = projection?;
        let (capacity, capacity_paths) = match capacity {
            Some((capacity, paths)) => (Some(capacity), paths),
            None => (None, CapacityPaths::default()),
        };
        let index = Index {
            name: name?.to_owned(),
            partition_key,
            sort_key,
            projection,
            capacity,
        };
        let paths = IndexPaths {
            index: entry.path.clone(),
            name: entry.at("IndexName"),
            partition_key: partition_paths,
            sort_key: sort_paths,
            include_list,
            include,
            capacity: capacity_paths,
        };
        Some((index, paths))
    }

    // Projection: { ProjectionType: INCLUDE, NonKeyAttributes: [a, b] }
    fn projection(&mut self, node: &Node) -> Option<(Projection, String, Vec<String>)> {
        self.mapping(node)?;
        let ty = self.required(node, "ProjectionType")?;
        let non_key = node.get("NonKeyAttributes");
        let list_path = node.at("NonKeyAttributes");
        let projection = match self.string(&ty)? {
            "ALL" => Projection::All,
            "KEYS_ONLY" => Projection::KeysOnly,
            "INCLUDE" => {
                let Some(list) = non_key else {
                    return Some((Projection::Include(Vec::new()), list_path, Vec::new()));
                };
                let mut names = Vec::new();
                let mut paths = Vec::new();
                for entry in self.list(&list)? {
                    if let Some(name) = self.string(&entry) {
                        names.push(name.to_owned());
                        paths.push(entry.path);
                    }
                }
                return Some((Projection::Include(names), list_path, paths));
            }
            other => {
                self.error(
                    &ty.path,
                    format!("expected `ALL`, `KEYS_ONLY` or `INCLUDE`, found `{other}`"),
                );
                return None;
            }
        };
        if non_key.is_some() {
            self.error(
                &list_path,
                "`NonKeyAttributes` goes only with `ProjectionType: INCLUDE`",
            );
        }
        Some((projection, list_path, Vec::new()))
    }

    // ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
    fn capacity(&mut self, node: &Node) -> Option<(Capacity, CapacityPaths)> {
        self.mapping(node)?;
        let read = self
            .required(node, "ReadCapacityUnits")
            .and_then(|node| self.units(&node));
        let write = self
            .required(node, "WriteCapacityUnits")
            .and_then(|node| self.units(&node));
        let paths = CapacityPaths {
            capacity: node.path.clone(),
            read: node.at("ReadCapacityUnits"),
            write: node.at("WriteCapacityUnits"),
        };
        Some((
            Capacity {
                read: read?,
                write: write?,
            },
            paths,
        ))
    }

    // BillingMode: PAY_PER_REQUEST | PROVISIONED (the default)
    fn billing(&mut self, props: &Node, paths: &mut Paths) -> Option<Billing> {
        let mode = match props.get("BillingMode") {
            Some(node) => match self.string(&node)? {
                "PROVISIONED" => "PROVISIONED",
                "PAY_PER_REQUEST" => "PAY_PER_REQUEST",
                other => {
                    self.error(
                        &node.path,
                        format!("expected `PAY_PER_REQUEST` or `PROVISIONED`, found `{other}`"),
                    );
                    return None;
                }
            },
            None => "PROVISIONED",
        };
        let throughput = props.get("ProvisionedThroughput");
        match (mode, throughput) {
            ("PAY_PER_REQUEST", None) => Some(Billing::OnDemand),
            ("PAY_PER_REQUEST", Some(node)) => {
                self.error(
                    &node.path,
                    "a table with `BillingMode: PAY_PER_REQUEST` has no provisioned throughput",
                );
                None
            }
            (_, Some(node)) => {
                let (capacity, at) = self.capacity(&node)?;
                paths.billing = at;
                Some(Billing::Provisioned(capacity))
            }
            (_, None) => {
                self.error(
                    &props.path,
                    "missing `ProvisionedThroughput`, which provisioned billing needs; `BillingMode` is `PROVISIONED` unless it says `PAY_PER_REQUEST`",
                );
                None
            }
        }
    }

    // TimeToLiveSpecification: { AttributeName: expires_at, Enabled: true }
    fn ttl(&mut self, props: &Node, paths: &mut Paths) -> Option<Option<String>> {
        let Some(node) = props.get("TimeToLiveSpecification") else {
            return Some(None);
        };
        self.mapping(&node)?;
        let enabled = self
            .required(&node, "Enabled")
            .and_then(|node| self.boolean(&node))?;
        if !enabled {
            return Some(None);
        }
        let name = self.required(&node, "AttributeName")?;
        paths.ttl = name.path.clone();
        Some(Some(self.string(&name)?.to_owned()))
    }

    // StreamSpecification: { StreamViewType: NEW_AND_OLD_IMAGES }
    fn stream(&mut self, props: &Node) -> Option<Option<StreamView>> {
        let Some(node) = props.get("StreamSpecification") else {
            return Some(None);
        };
        self.mapping(&node)?;
        let view = self.required(&node, "StreamViewType")?;
        let view_type = match self.string(&view)? {
            "KEYS_ONLY" => StreamView::KeysOnly,
            "NEW_IMAGE" => StreamView::NewImage,
            "OLD_IMAGE" => StreamView::OldImage,
            "NEW_AND_OLD_IMAGES" => StreamView::NewAndOldImages,
            other => {
                self.error(
                    &view.path,
                    format!(
                        "expected `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE` or `NEW_AND_OLD_IMAGES`, found `{other}`"
                    ),
                );
                return None;
            }
        };
        Some(Some(view_type))
    }

    fn required<'v>(&mut self, parent: &Node<'v>, key: &str) -> Option<Node<'v>> {
        let node = parent.get(key);
        if node.is_none() {
            self.error(&parent.path, format!("missing `{key}`"));
        }
        node
    }

    /// The value, unless it is an intrinsic function: those are resolved at
    /// deploy time, and the schema is read at compile time.
    fn literal<'v>(&mut self, node: &Node<'v>, expected: &str) -> Option<&'v Value> {
        match intrinsic(node.value) {
            Some(function) => {
                self.error(
                    &node.path,
                    format!(
                        "expected {expected}, found the intrinsic function `{function}`; this value must be written out, since it is needed at compile time"
                    ),
                );
                None
            }
            None => Some(node.value),
        }
    }

    fn mismatch(&mut self, node: &Node, expected: &str) {
        self.error(
            &node.path,
            format!("expected {expected}, found {}", kind(node.value)),
        );
    }

    fn string<'v>(&mut self, node: &Node<'v>) -> Option<&'v str> {
        match self.literal(node, "a string")? {
            Value::String(text) => Some(text),
            _ => {
                self.mismatch(node, "a string");
                None
            }
        }
    }

    fn mapping<'v>(&mut self, node: &Node<'v>) -> Option<&'v Mapping> {
        match self.literal(node, "a mapping")? {
            Value::Mapping(mapping) => Some(mapping),
            _ => {
                self.mismatch(node, "a mapping");
                None
            }
        }
    }

    fn list<'v>(&mut self, node: &Node<'v>) -> Option<Vec<Node<'v>>> {
        match self.literal(node, "a list")? {
            Value::Sequence(values) => Some(
                values
                    .iter()
                    .enumerate()
                    .map(|(i, value)| Node {
                        value,
                        path: item(&node.path, i),
                    })
                    .collect(),
            ),
            _ => {
                self.mismatch(node, "a list");
                None
            }
        }
    }

    /// Capacity units: a whole number, or a string of one (CloudFormation
    /// takes both).
    fn units(&mut self, node: &Node) -> Option<u64> {
        let units = match self.literal(node, "a number of capacity units")? {
            Value::Number(number) => number.as_u64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        };
        if units.is_none() {
            self.error(
                &node.path,
                format!(
                    "expected a whole number of capacity units, found {}",
                    describe(node.value)
                ),
            );
        }
        units
    }

    /// `true` or `false`, also as strings (CloudFormation takes both).
    fn boolean(&mut self, node: &Node) -> Option<bool> {
        let value = match self.literal(node, "`true` or `false`")? {
            Value::Bool(value) => Some(*value),
            Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
            Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        };
        if value.is_none() {
            self.error(
                &node.path,
                format!("expected `true` or `false`, found {}", describe(node.value)),
            );
        }
        value
    }
}

/// An intrinsic function in short form, `!Ref Name` or `!Sub text`, whether
/// written as a tag or as `{"Ref": …}` / `{"Fn::Sub": …}`.
fn intrinsic(value: &Value) -> Option<String> {
    match value {
        Value::Tagged(tagged) => Some(format!("{} {}", tagged.tag, render(&tagged.value, false))),
        Value::Mapping(mapping) => long_form(mapping)
            .map(|(name, argument)| format!("!{name} {}", render(argument, false))),
        _ => None,
    }
}

/// `{"Ref": x}` or `{"Fn::Name": x}`: the function's short name and argument.
fn long_form(mapping: &Mapping) -> Option<(&str, &Value)> {
    if mapping.len() != 1 {
        return None;
    }
    let (key, argument) = mapping.iter().next()?;
    let name = key.as_str()?;
    let short = match name {
        "Ref" => name,
        _ => name.strip_prefix("Fn::")?,
    };
    Some((short, argument))
}

/// A value on one line, for messages; `nested` quotes the strings that YAML
/// would not read back as plain text.
fn render(value: &Value, nested: bool) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(value) => value.to_string(),
        Value::Number(number) => number.to_string(),
        Value::String(text) if nested && needs_quotes(text) => format!("{text:?}"),
        Value::String(text) => text.clone(),
        Value::Sequence(values) => {
            let items: Vec<String> = values.iter().map(|value| render(value, true)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Mapping(mapping) => {
            if let Some((name, argument)) = long_form(mapping) {
                return format!("!{name} {}", render(argument, false));
            }
            let entries: Vec<String> = mapping
                .iter()
                .map(|(key, value)| format!("{}: {}", render(key, true), render(value, true)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        Value::Tagged(tagged) => format!("{} {}", tagged.tag, render(&tagged.value, false)),
    }
}

fn needs_quotes(text: &str) -> bool {
    text.is_empty()
        || text.starts_with(|c: char| c.is_whitespace() || "-?:,[]{}#&*!|>'\"%@`".contains(c))
        || text.ends_with(char::is_whitespace)
        || text.contains(|c: char| ",[]{}".contains(c))
        || text.contains(": ")
        || text.contains(" #")
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// A scalar as written, anything else by its kind.
fn describe(value: &Value) -> String {
    match value {
        Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            format!("`{}`", render(value, false))
        }
        _ => kind(value).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::schema::{
        Billing, Capacity, Index, KeyAttribute, Projection, ScalarType, StreamView, TableName,
        TableSchema, parse_cloudformation,
    };

    const TEMPLATE: &str = include_str!("../../../schemas/template.yaml");

    fn key(name: &str, ty: ScalarType) -> KeyAttribute {
        KeyAttribute {
            name: name.to_owned(),
            ty,
        }
    }

    /// The errors as (path, message).
    fn errors(template: &str, resource: &str) -> Vec<(String, String)> {
        parse_cloudformation(template, resource)
            .unwrap_err()
            .into_iter()
            .map(|error| (error.path, error.message))
            .collect()
    }

    fn pair(path: &str, message: &str) -> (String, String) {
        (path.to_owned(), message.to_owned())
    }

    /// A template with one `AWS::DynamoDB::Table` named `T` and these properties.
    fn table(properties: &str) -> String {
        let mut template =
            "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n".to_owned();
        for line in properties.lines() {
            template.push_str("      ");
            template.push_str(line);
            template.push('\n');
        }
        template
    }

    #[test]
    fn users_table() {
        let schema = parse_cloudformation(TEMPLATE, "UsersTable").unwrap();
        assert_eq!(
            schema,
            TableSchema {
                table_name: TableName::Intrinsic("!Sub ${AWS::StackName}-users".to_owned()),
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
    fn sessions_table() {
        let schema = parse_cloudformation(TEMPLATE, "SessionsTable").unwrap();
        assert_eq!(
            schema,
            TableSchema {
                table_name: TableName::Literal("Sessions".to_owned()),
                partition_key: key("user_id", ScalarType::S),
                sort_key: Some(key("session_id", ScalarType::S)),
                global_indexes: vec![Index {
                    name: "by_session".to_owned(),
                    partition_key: key("session_id", ScalarType::S),
                    sort_key: None,
                    projection: Projection::KeysOnly,
                    capacity: Some(Capacity { read: 1, write: 1 }),
                }],
                local_indexes: Vec::new(),
                ttl_attribute: Some("expires_at".to_owned()),
                billing: Billing::Provisioned(Capacity { read: 2, write: 2 }),
                stream: None,
            }
        );
    }

    #[test]
    fn counters_simple_table() {
        let schema = parse_cloudformation(TEMPLATE, "CountersTable").unwrap();
        assert_eq!(
            schema,
            TableSchema {
                table_name: TableName::Literal("Counters".to_owned()),
                partition_key: key("name", ScalarType::S),
                sort_key: None,
                global_indexes: Vec::new(),
                local_indexes: Vec::new(),
                ttl_attribute: None,
                billing: Billing::OnDemand,
                stream: None,
            }
        );
    }

    #[test]
    fn simple_table_defaults() {
        let template = "Resources:
  Plain:
    Type: AWS::Serverless::SimpleTable
  Paid:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: { Name: at, Type: Number }
      ProvisionedThroughput: { ReadCapacityUnits: '3', WriteCapacityUnits: 4 }
";
        let plain = parse_cloudformation(template, "Plain").unwrap();
        assert_eq!(plain.partition_key, key("id", ScalarType::S));
        assert_eq!(
            plain.table_name,
            TableName::Intrinsic("<no TableName: CloudFormation generates one>".to_owned())
        );
        assert_eq!(plain.billing, Billing::OnDemand);
        let paid = parse_cloudformation(template, "Paid").unwrap();
        assert_eq!(paid.partition_key, key("at", ScalarType::N));
        assert_eq!(
            paid.billing,
            Billing::Provisioned(Capacity { read: 3, write: 4 })
        );
    }

    #[test]
    fn simple_table_errors() {
        let template = "Resources:
  T:
    Type: AWS::Serverless::SimpleTable
    Properties:
      TableName: x
      PrimaryKey: { Name: !Ref KeyName, Type: Str }
      ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 1 }
";
        assert_eq!(
            errors(template, "T"),
            [
                pair(
                    "Resources.T.Properties.PrimaryKey.Name",
                    "expected a string, found the intrinsic function `!Ref KeyName`; this value must be written out, since it is needed at compile time"
                ),
                pair(
                    "Resources.T.Properties.PrimaryKey.Type",
                    "expected `String`, `Number` or `Binary`, found `Str`"
                ),
            ]
        );
        let template = template
            .replace("!Ref KeyName", "id")
            .replace("Str }", "String }");
        assert_eq!(
            errors(&template, "T"),
            [
                pair(
                    "Resources.T.Properties.TableName",
                    "table name must be 3 to 255 characters long, `x` has 1"
                ),
                pair(
                    "Resources.T.Properties.ProvisionedThroughput.ReadCapacityUnits",
                    "read capacity must be at least 1 unit"
                ),
            ]
        );
    }

    #[test]
    fn intrinsics_everywhere() {
        let template = r#"
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: !If [IsProd, Retain, Delete]
    Properties:
      TableName: !Join ["-", [!Ref AWS::StackName, orders]]
      AttributeDefinitions:
        - { AttributeName: customer_id, AttributeType: S }
        - { AttributeName: ordered_at, AttributeType: S }
        - { AttributeName: status, AttributeType: S }
        - { AttributeName: total, AttributeType: N }
      KeySchema:
        - { AttributeName: ordered_at, KeyType: RANGE }
        - { AttributeName: customer_id, KeyType: HASH }
      BillingMode: PAY_PER_REQUEST
      GlobalSecondaryIndexes:
        - IndexName: by_status
          KeySchema: [{ AttributeName: status, KeyType: HASH }]
          Projection: { ProjectionType: INCLUDE, NonKeyAttributes: [total] }
          ContributorInsightsSpecification: { Enabled: !If [IsProd, true, false] }
      LocalSecondaryIndexes:
        - IndexName: by_total
          KeySchema:
            - { AttributeName: customer_id, KeyType: HASH }
            - { AttributeName: total, KeyType: RANGE }
          Projection: { ProjectionType: ALL }
      StreamSpecification: { StreamViewType: NEW_IMAGE }
      TimeToLiveSpecification: { AttributeName: expires_at, Enabled: "true" }
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: { "Fn::If": [IsProd, true, false] }
      SSESpecification:
        SSEEnabled: true
        KMSMasterKeyId: !GetAtt Key.Arn
      Tags:
        - { Key: stage, Value: !Ref Stage }
        - { Key: name, Value: !Sub "${AWS::StackName}-orders" }
        - { Key: region, Value: { Ref: "AWS::Region" } }
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          TABLE: !Ref Orders
          STREAM: !GetAtt [Orders, StreamArn]
      Policies:
        - DynamoDBCrudPolicy: { TableName: !Ref Orders }
        - !Sub "arn:${AWS::Partition}:iam::aws:policy/ReadOnly"
Outputs:
  Name: { Value: !Ref Orders, Export: { Name: !Sub "${AWS::StackName}-table" } }
"#;
        let schema = parse_cloudformation(template, "Orders").unwrap();
        assert_eq!(
            schema.table_name,
            TableName::Intrinsic(r#"!Join ["-", [!Ref AWS::StackName, orders]]"#.to_owned())
        );
        assert_eq!(schema.partition_key, key("customer_id", ScalarType::S));
        assert_eq!(schema.sort_key, Some(key("ordered_at", ScalarType::S)));
        assert_eq!(
            schema.global_indexes,
            [Index {
                name: "by_status".to_owned(),
                partition_key: key("status", ScalarType::S),
                sort_key: None,
                projection: Projection::Include(vec!["total".to_owned()]),
                capacity: None,
            }]
        );
        assert_eq!(
            schema.local_indexes,
            [Index {
                name: "by_total".to_owned(),
                partition_key: key("customer_id", ScalarType::S),
                sort_key: Some(key("total", ScalarType::N)),
                projection: Projection::All,
                capacity: None,
            }]
        );
        assert_eq!(schema.stream, Some(StreamView::NewImage));
        assert_eq!(schema.ttl_attribute.as_deref(), Some("expires_at"));
        assert_eq!(schema.billing, Billing::OnDemand);
    }

    #[test]
    fn long_form_table_name() {
        let template = table(
            r#"TableName: { "Fn::Sub": "${Stage}-orders" }
AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
KeySchema: [{ AttributeName: id, KeyType: HASH }]
BillingMode: PAY_PER_REQUEST"#,
        );
        let schema = parse_cloudformation(&template, "T").unwrap();
        assert_eq!(
            schema.table_name,
            TableName::Intrinsic("!Sub ${Stage}-orders".to_owned())
        );
    }

    #[test]
    fn intrinsics_where_literals_are_needed() {
        let template = table(
            r#"AttributeDefinitions:
  - { AttributeName: id, AttributeType: !Ref KeyType }
KeySchema:
  - { AttributeName: !Ref KeyName, KeyType: HASH }
BillingMode: { "Fn::If": [IsProd, PROVISIONED, PAY_PER_REQUEST] }
StreamSpecification: !If [IsProd, { StreamViewType: NEW_IMAGE }, !Ref AWS::NoValue]"#,
        );
        let message = |function: &str, expected: &str| {
            format!(
                "expected {expected}, found the intrinsic function `{function}`; this value must be written out, since it is needed at compile time"
            )
        };
        assert_eq!(
            errors(&template, "T"),
            [
                pair(
                    "Resources.T.Properties.AttributeDefinitions[0].AttributeType",
                    &message("!Ref KeyType", "a string")
                ),
                pair(
                    "Resources.T.Properties.KeySchema[0].AttributeName",
                    &message("!Ref KeyName", "a string")
                ),
                pair(
                    "Resources.T.Properties.BillingMode",
                    &message(r#"!If [IsProd, PROVISIONED, PAY_PER_REQUEST]"#, "a string")
                ),
                pair(
                    "Resources.T.Properties.StreamSpecification",
                    &message(
                        r#"!If [IsProd, {StreamViewType: NEW_IMAGE}, !Ref AWS::NoValue]"#,
                        "a mapping"
                    )
                ),
            ]
        );
    }

    #[test]
    fn resource_not_found() {
        assert_eq!(
            errors(TEMPLATE, "OrdersTable"),
            [pair(
                "Resources.OrdersTable",
                "no such resource; the template's tables are `UsersTable`, `SessionsTable`, `UserAuditTable`, `CountersTable`"
            )]
        );
        assert_eq!(
            errors("Resources:\n  Bucket: { Type: AWS::S3::Bucket }\n", "Table"),
            [pair(
                "Resources.Table",
                "no such resource, and the template has no `AWS::DynamoDB::Table` or `AWS::Serverless::SimpleTable`"
            )]
        );
    }

    #[test]
    fn resource_of_another_type() {
        assert_eq!(
            errors(TEMPLATE, "UsersFunction"),
            [pair(
                "Resources.UsersFunction.Type",
                "`AWS::Serverless::Function` is not a DynamoDB table; expected `AWS::DynamoDB::Table` or `AWS::Serverless::SimpleTable`"
            )]
        );
    }

    #[test]
    fn missing_resources() {
        let missing = pair(
            "Resources",
            "missing; a template declares its resources in a `Resources` mapping",
        );
        assert_eq!(
            errors("AWSTemplateFormatVersion: '2010-09-09'\n", "T"),
            vec![missing.clone()]
        );
        assert_eq!(errors("", "T"), vec![missing]);
    }

    #[test]
    fn syntax_error() {
        let error = parse_cloudformation("Resources:\n  T: [\n", "T").unwrap_err();
        assert_eq!(error.len(), 1);
        assert_eq!(error[0].line_column, Some((3, 1)));
    }

    #[test]
    fn json_template() {
        let template = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Events": {
      "Type": "AWS::DynamoDB::Table",
      "Properties": {
        "TableName": { "Fn::Sub": "${AWS::StackName}-events" },
        "AttributeDefinitions": [
          { "AttributeName": "source", "AttributeType": "S" },
          { "AttributeName": "at", "AttributeType": "N" }
        ],
        "KeySchema": [
          { "AttributeName": "source", "KeyType": "HASH" },
          { "AttributeName": "at", "KeyType": "RANGE" }
        ],
        "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": "10" },
        "StreamSpecification": { "StreamViewType": "OLD_IMAGE" },
        "Tags": [{ "Key": "stack", "Value": { "Ref": "AWS::StackName" } }]
      }
    }
  }
}"#;
        let schema = parse_cloudformation(template, "Events").unwrap();
        assert_eq!(
            schema,
            TableSchema {
                table_name: TableName::Intrinsic("!Sub ${AWS::StackName}-events".to_owned()),
                partition_key: key("source", ScalarType::S),
                sort_key: Some(key("at", ScalarType::N)),
                global_indexes: Vec::new(),
                local_indexes: Vec::new(),
                ttl_attribute: None,
                billing: Billing::Provisioned(Capacity { read: 5, write: 10 }),
                stream: Some(StreamView::OldImage),
            }
        );
    }

    #[test]
    fn key_attribute_definitions() {
        let template = table(
            "AttributeDefinitions:
  - { AttributeName: id, AttributeType: S }
  - { AttributeName: status, AttributeType: S }
  - { AttributeName: id, AttributeType: N }
  - { AttributeName: total, AttributeType: X }
KeySchema:
  - { AttributeName: id, KeyType: HASH }
  - { AttributeName: at, KeyType: RANGE }
BillingMode: PAY_PER_REQUEST",
        );
        let base = "Resources.T.Properties";
        assert_eq!(
            errors(&template, "T"),
            [
                pair(
                    &format!("{base}.AttributeDefinitions[2].AttributeName"),
                    &format!(
                        "`id` is already defined at `{base}.AttributeDefinitions[0].AttributeName`; an attribute has one definition"
                    )
                ),
                pair(
                    &format!("{base}.AttributeDefinitions[3].AttributeType"),
                    "expected `S`, `N` or `B`, found `X`"
                ),
                pair(
                    &format!("{base}.KeySchema[1].AttributeName"),
                    "`at` is not in `AttributeDefinitions`; a key attribute's type is given there"
                ),
                pair(
                    &format!("{base}.AttributeDefinitions[1].AttributeName"),
                    "`status` is defined but no key uses it; CloudFormation rejects unused attribute definitions"
                ),
                pair(
                    &format!("{base}.AttributeDefinitions[3].AttributeName"),
                    "`total` is defined but no key uses it; CloudFormation rejects unused attribute definitions"
                ),
            ]
        );
    }

    #[test]
    fn key_schema_shape() {
        let template = table(
            "AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
KeySchema:
  - { AttributeName: id, KeyType: RANGE }
  - { AttributeName: id, KeyType: SORT }
BillingMode: PAY_PER_REQUEST",
        );
        assert_eq!(
            errors(&template, "T"),
            [pair(
                "Resources.T.Properties.KeySchema[1].KeyType",
                "expected `HASH` or `RANGE`, found `SORT`"
            )]
        );
        let template = table(
            "AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
KeySchema:
  - { AttributeName: id, KeyType: RANGE }
BillingMode: PAY_PER_REQUEST",
        );
        assert_eq!(
            errors(&template, "T"),
            [pair(
                "Resources.T.Properties.KeySchema",
                "no `HASH` key; a key schema names its partition key with `KeyType: HASH`"
            )]
        );
        let template = table(
            "AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
KeySchema:
  - { AttributeName: id, KeyType: HASH }
  - { AttributeName: id, KeyType: HASH }
BillingMode: PAY_PER_REQUEST",
        );
        assert_eq!(
            errors(&template, "T"),
            [pair(
                "Resources.T.Properties.KeySchema[1].KeyType",
                "a key schema has one key of each `KeyType`, and this one is taken"
            )]
        );
    }

    #[test]
    fn missing_properties() {
        assert_eq!(
            errors("Resources:\n  T: { Type: AWS::DynamoDB::Table }\n", "T"),
            [pair("Resources.T", "missing `Properties`")]
        );
        assert_eq!(
            errors(&table("BillingMode: PAY_PER_REQUEST"), "T"),
            [pair("Resources.T.Properties", "missing `KeySchema`")]
        );
    }

    #[test]
    fn billing_mode_and_throughput() {
        let keys = "AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
KeySchema: [{ AttributeName: id, KeyType: HASH }]
";
        assert_eq!(
            errors(&table(keys), "T"),
            [pair(
                "Resources.T.Properties",
                "missing `ProvisionedThroughput`, which provisioned billing needs; `BillingMode` is `PROVISIONED` unless it says `PAY_PER_REQUEST`"
            )]
        );
        let schema = parse_cloudformation(
            &table(&format!(
                "{keys}ProvisionedThroughput: {{ ReadCapacityUnits: 1, WriteCapacityUnits: 2 }}"
            )),
            "T",
        )
        .unwrap();
        assert_eq!(
            schema.billing,
            Billing::Provisioned(Capacity { read: 1, write: 2 })
        );
        assert_eq!(
            errors(
                &table(&format!(
                    "{keys}BillingMode: PAY_PER_REQUEST\nProvisionedThroughput: {{ ReadCapacityUnits: 1, WriteCapacityUnits: 1 }}"
                )),
                "T"
            ),
            [pair(
                "Resources.T.Properties.ProvisionedThroughput",
                "a table with `BillingMode: PAY_PER_REQUEST` has no provisioned throughput"
            )]
        );
        assert_eq!(
            errors(&table(&format!("{keys}BillingMode: ON_DEMAND")), "T"),
            [pair(
                "Resources.T.Properties.BillingMode",
                "expected `PAY_PER_REQUEST` or `PROVISIONED`, found `ON_DEMAND`"
            )]
        );
        assert_eq!(
            errors(
                &table(&format!(
                    "{keys}ProvisionedThroughput: {{ ReadCapacityUnits: -1, WriteCapacityUnits: many }}"
                )),
                "T"
            ),
            [
                pair(
                    "Resources.T.Properties.ProvisionedThroughput.ReadCapacityUnits",
                    "expected a whole number of capacity units, found `-1`"
                ),
                pair(
                    "Resources.T.Properties.ProvisionedThroughput.WriteCapacityUnits",
                    "expected a whole number of capacity units, found `many`"
                ),
            ]
        );
    }

    #[test]
    fn projections() {
        let template = table(
            "AttributeDefinitions:
  - { AttributeName: id, AttributeType: S }
  - { AttributeName: status, AttributeType: S }
KeySchema: [{ AttributeName: id, KeyType: HASH }]
BillingMode: PAY_PER_REQUEST
GlobalSecondaryIndexes:
  - IndexName: by_status
    KeySchema: [{ AttributeName: status, KeyType: HASH }]
    Projection: { ProjectionType: ALL, NonKeyAttributes: [total] }
  - IndexName: by_status_2
    KeySchema: [{ AttributeName: status, KeyType: HASH }]
    Projection: { ProjectionType: SOME }
  - IndexName: by_status_3
    KeySchema: [{ AttributeName: status, KeyType: HASH }]
    Projection: {}",
        );
        let base = "Resources.T.Properties.GlobalSecondaryIndexes";
        assert_eq!(
            errors(&template, "T"),
            [
                pair(
                    &format!("{base}[0].Projection.NonKeyAttributes"),
                    "`NonKeyAttributes` goes only with `ProjectionType: INCLUDE`"
                ),
                pair(
                    &format!("{base}[1].Projection.ProjectionType"),
                    "expected `ALL`, `KEYS_ONLY` or `INCLUDE`, found `SOME`"
                ),
                pair(&format!("{base}[2].Projection"), "missing `ProjectionType`"),
            ]
        );
    }

    #[test]
    fn rules_name_template_paths() {
        let template = table(
            "TableName: Orders
AttributeDefinitions:
  - { AttributeName: id, AttributeType: S }
  - { AttributeName: status, AttributeType: S }
KeySchema: [{ AttributeName: id, KeyType: HASH }]
BillingMode: PAY_PER_REQUEST
GlobalSecondaryIndexes:
  - IndexName: by_status
    KeySchema: [{ AttributeName: status, KeyType: HASH }]
    Projection: { ProjectionType: INCLUDE, NonKeyAttributes: [id] }
    ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
  - IndexName: by_status
    KeySchema: [{ AttributeName: status, KeyType: HASH }]
    Projection: { ProjectionType: INCLUDE }",
        );
        let base = "Resources.T.Properties.GlobalSecondaryIndexes";
        assert_eq!(
            errors(&template, "T"),
            [
                pair(
                    &format!("{base}[1].IndexName"),
                    &format!(
                        "index name `by_status` is already used at `{base}[0].IndexName`; index names are unique in a table"
                    )
                ),
                pair(
                    &format!("{base}[0].ProvisionedThroughput"),
                    "an index of an on-demand table has no provisioned capacity"
                ),
                pair(
                    &format!("{base}[0].Projection.NonKeyAttributes[0]"),
                    "`id` is a key attribute, which every index holds; include only other attributes"
                ),
                pair(
                    &format!("{base}[1].Projection.NonKeyAttributes"),
                    "an INCLUDE projection names at least one attribute"
                ),
            ]
        );
    }

    #[test]
    fn local_indexes() {
        let lsi = |key_schema: &str, extra: &str| {
            table(&format!(
                "AttributeDefinitions:
  - {{ AttributeName: id, AttributeType: S }}
  - {{ AttributeName: at, AttributeType: S }}
  - {{ AttributeName: other, AttributeType: S }}
KeySchema:
  - {{ AttributeName: id, KeyType: HASH }}
  - {{ AttributeName: at, KeyType: RANGE }}
GlobalSecondaryIndexes:
  - IndexName: by_other
    KeySchema: [{{ AttributeName: other, KeyType: HASH }}]
    Projection: {{ ProjectionType: KEYS_ONLY }}
    ProvisionedThroughput: {{ ReadCapacityUnits: 1, WriteCapacityUnits: 1 }}
ProvisionedThroughput: {{ ReadCapacityUnits: 1, WriteCapacityUnits: 1 }}
LocalSecondaryIndexes:
  - IndexName: by_local
    KeySchema: {key_schema}
    Projection: {{ ProjectionType: ALL }}
{extra}"
            ))
        };
        let base = "Resources.T.Properties.LocalSecondaryIndexes[0]";
        let schema = parse_cloudformation(
            &lsi(
                "[{ AttributeName: id, KeyType: HASH }, { AttributeName: other, KeyType: RANGE }]",
                "",
            ),
            "T",
        )
        .unwrap();
        assert_eq!(
            schema.local_indexes[0].partition_key,
            key("id", ScalarType::S)
        );
        assert_eq!(
            errors(
                &lsi(
                    "[{ AttributeName: other, KeyType: HASH }, { AttributeName: at, KeyType: RANGE }]",
                    ""
                ),
                "T"
            ),
            [pair(
                &format!("{base}.KeySchema[0].AttributeName"),
                "a local secondary index has the table's partition key `id`, not `other`"
            )]
        );
        assert_eq!(
            errors(
                &lsi(
                    "[{ AttributeName: id, KeyType: HASH }]",
                    "    ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }"
                ),
                "T"
            ),
            [
                pair(base, "a local secondary index needs a sort key"),
                pair(
                    &format!("{base}.ProvisionedThroughput"),
                    "a local secondary index has no capacity of its own; it uses the table's"
                ),
            ]
        );
    }

    #[test]
    fn ttl_and_stream() {
        let keys = "AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
KeySchema: [{ AttributeName: id, KeyType: HASH }]
BillingMode: PAY_PER_REQUEST
";
        let disabled = parse_cloudformation(
            &table(&format!(
                "{keys}TimeToLiveSpecification: {{ AttributeName: expires_at, Enabled: false }}"
            )),
            "T",
        )
        .unwrap();
        assert_eq!(disabled.ttl_attribute, None);
        assert_eq!(
            errors(
                &table(&format!(
                    "{keys}TimeToLiveSpecification: {{ AttributeName: expires_at, Enabled: yes please }}\nStreamSpecification: {{ StreamViewType: ALL }}"
                )),
                "T"
            ),
            [
                pair(
                    "Resources.T.Properties.TimeToLiveSpecification.Enabled",
                    "expected `true` or `false`, found `yes please`"
                ),
                pair(
                    "Resources.T.Properties.StreamSpecification.StreamViewType",
                    "expected `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE` or `NEW_AND_OLD_IMAGES`, found `ALL`"
                ),
            ]
        );
        assert_eq!(
            errors(
                &table(&format!(
                    "{keys}TimeToLiveSpecification: {{ AttributeName: '', Enabled: true }}"
                )),
                "T"
            ),
            [pair(
                "Resources.T.Properties.TimeToLiveSpecification.AttributeName",
                "the time-to-live attribute name must not be empty"
            )]
        );
    }
}
