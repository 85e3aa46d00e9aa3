//! Table schemas read from YAML: our own format, or a table resource of a
//! CloudFormation or SAM template. Both give a [`TableSchema`] checked
//! against DynamoDB's rules, or every error found, each at its YAML path.

mod cloudformation;
mod error;
mod model;
mod native;
mod paths;
mod rules;

pub use error::SchemaError;
pub use model::{
    Billing, Capacity, Index, KeyAttribute, Projection, ScalarType, StreamView, TableName,
    TableSchema,
};

/// Parses and validates our YAML table format.
///
/// ```
/// use dynamo_lambda_codegen::schema::{ScalarType, parse_yaml};
///
/// let schema = parse_yaml("table: Users\npartition_key: { name: id, type: S }\n").unwrap();
/// assert_eq!(schema.partition_key.ty, ScalarType::S);
/// ```
pub fn parse_yaml(text: &str) -> Result<TableSchema, Vec<SchemaError>> {
    let (schema, paths) = native::read(text).map_err(|error| vec![error])?;
    checked(schema, &paths)
}

/// Reads one table resource (by logical id) from a CloudFormation or SAM
/// template (YAML or JSON — JSON is YAML).
///
/// ```
/// use dynamo_lambda_codegen::schema::{TableName, parse_cloudformation};
///
/// let template = r#"
/// Resources:
///   Counters:
///     Type: AWS::Serverless::SimpleTable
/// "#;
/// let schema = parse_cloudformation(template, "Counters").unwrap();
/// assert_eq!(schema.partition_key.name, "id");
/// assert!(matches!(schema.table_name, TableName::Intrinsic(_)));
/// ```
pub fn parse_cloudformation(text: &str, resource: &str) -> Result<TableSchema, Vec<SchemaError>> {
    let (schema, paths) = cloudformation::read(text, resource)?;
    checked(schema, &paths)
}

fn checked(schema: TableSchema, paths: &paths::Paths) -> Result<TableSchema, Vec<SchemaError>> {
    let errors = rules::check(&schema, paths);
    if errors.is_empty() {
        Ok(schema)
    } else {
        Err(errors)
    }
}
