//! Reading the schema file named by `schema = "…"`, relative to the crate
//! that uses the macro.

use std::path::{Path, PathBuf};

use syn::LitStr;

use crate::ctxt::Ctxt;
use crate::schema::{self, TableSchema};

/// Further bases for schema paths (a list, like `PATH`), tried in order when a
/// file is not found relative to `CARGO_MANIFEST_DIR`; set by test harnesses
/// (such as trybuild) whose generated crate lives elsewhere than their files.
/// Only after it, because the harness also builds dependencies whose paths
/// are relative to themselves.
pub const MANIFEST_DIR_OVERRIDE: &str = "DYNAMO_LAMBDA_MANIFEST_DIR";

/// A schema file that was read and validated.
pub struct SchemaFile {
    /// The literal, for spans.
    pub lit: LitStr,
    /// The file path as written (without `#Resource`), for messages.
    pub written: String,
    /// The resolved path, for `include_bytes!` so the crate rebuilds on change.
    pub absolute: PathBuf,
    pub schema: TableSchema,
}

/// Reads `schema = "path[#Resource]"`; every error goes on the literal.
pub fn load(cx: &Ctxt, lit: &LitStr) -> Option<SchemaFile> {
    let value = lit.value();
    let (written, resource) = match value.split_once('#') {
        Some((path, resource)) => (path.to_owned(), Some(resource.to_owned())),
        None => (value.clone(), None),
    };
    if written.is_empty() {
        cx.error_spanned_by(
            lit,
            "expected a path to a schema file, relative to Cargo.toml",
        );
        return None;
    }
    if Path::new(&written).is_absolute() {
        cx.error_spanned_by(
            lit,
            "absolute paths will only work on the current machine; give the schema's path relative to the crate's Cargo.toml",
        );
        return None;
    }
    if resource.as_deref() == Some("") {
        cx.error_spanned_by(
            lit,
            format!("expected a resource name after `#`, e.g. `{written}#UsersTable`"),
        );
        return None;
    }
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        cx.error_spanned_by(lit, "CARGO_MANIFEST_DIR is not set: schema files are read relative to the crate being built by cargo");
        return None;
    };
    let first = Path::new(&manifest_dir).join(&written);
    let absolute = if first.exists() {
        first
    } else {
        std::env::var_os(MANIFEST_DIR_OVERRIDE)
            .iter()
            .flat_map(std::env::split_paths)
            .map(|base| base.join(&written))
            .find(|path| path.exists())
            .unwrap_or(first)
    };
    let text = match std::fs::read_to_string(&absolute) {
        Ok(text) => text,
        Err(error) => {
            cx.error_spanned_by(
                lit,
                format!("cannot read schema `{written}`: {}", io_reason(&error)),
            );
            return None;
        }
    };
    let parsed = match &resource {
        Some(resource) => schema::parse_cloudformation(&text, resource),
        None if looks_like_template(&text) => {
            cx.error_spanned_by(
                lit,
                format!("`{written}` is a CloudFormation template: name the table resource after `#`, e.g. `{written}#UsersTable`"),
            );
            return None;
        }
        None => schema::parse_yaml(&text),
    };
    match parsed {
        Ok(schema) => Some(SchemaFile {
            lit: lit.clone(),
            written,
            absolute,
            schema,
        }),
        Err(errors) => {
            let shown = match &resource {
                Some(resource) => format!("{written}#{resource}"),
                None => written,
            };
            for error in errors {
                cx.error_spanned_by(lit, format!("invalid schema `{shown}`: {error}"));
            }
            None
        }
    }
}

/// The error without the OS error number, so messages read the same everywhere.
fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "it is a directory".to_owned(),
        std::io::ErrorKind::InvalidData => "it is not UTF-8 text".to_owned(),
        _ => error.to_string(),
    }
}

fn looks_like_template(text: &str) -> bool {
    text.lines()
        .any(|line| line.starts_with("Resources:") || line.starts_with("AWSTemplateFormatVersion"))
        || text.trim_start().starts_with('{') && text.contains("\"Resources\"")
}
