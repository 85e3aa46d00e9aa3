//! An error in a schema file, located by its YAML path.

use std::fmt;

/// One mistake in a schema file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// The YAML path at fault, e.g. `global_secondary_indexes[0].name`; empty
    /// for the whole document.
    pub path: String,
    pub message: String,
    /// Line and column, both from 1, when the YAML parser reported them.
    pub line_column: Option<(usize, usize)>,
}

impl SchemaError {
    pub(crate) fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        SchemaError {
            path: path.into(),
            message: message.into(),
            line_column: None,
        }
    }

    /// Splits the parser's text, `path: message at line L column C`, into
    /// its parts.
    pub(crate) fn from_yaml(error: &serde_norway::Error) -> Self {
        let line_column = error.location().map(|at| (at.line(), at.column()));
        let mut text = error.to_string();
        if let Some((line, column)) = line_column {
            text = text.replacen(&format!(" at line {line} column {column}"), "", 1);
        }
        // serde_norway puts the path of the value first, unless it is the root;
        // serde's own messages all have a space before any `: `.
        let (path, message) = match text.split_once(": ") {
            Some((path, message)) if !path.contains(char::is_whitespace) => {
                (path.to_owned(), message.to_owned())
            }
            _ => (String::new(), text),
        };
        SchemaError {
            path,
            message,
            line_column,
        }
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.line_column {
            write!(f, "line {line} column {column}: ")?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for SchemaError {}
