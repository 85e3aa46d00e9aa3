//! Expression placeholders: every attribute name goes through
//! `ExpressionAttributeNames` and every value through
//! `ExpressionAttributeValues`, so nothing a caller sends is spliced into an
//! expression string.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

/// The names and values of one request's expressions.
#[derive(Debug, Default)]
pub struct Placeholders {
    names: HashMap<String, String>,
    by_attribute: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

impl Placeholders {
    /// The placeholder (`#n0`, `#n1`, …) of an attribute name; one per name.
    pub fn name(&mut self, attribute: &str) -> String {
        if let Some(placeholder) = self.by_attribute.get(attribute) {
            return placeholder.clone();
        }
        let placeholder = format!("#n{}", self.names.len());
        self.names.insert(placeholder.clone(), attribute.to_owned());
        self.by_attribute
            .insert(attribute.to_owned(), placeholder.clone());
        placeholder
    }

    /// The placeholder (`:v0`, `:v1`, …) of a value.
    pub fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values.insert(placeholder.clone(), value);
        placeholder
    }

    /// The value a placeholder of [`value`](Self::value) stands for.
    pub(crate) fn value_of(&self, placeholder: &str) -> Option<&AttributeValue> {
        self.values.get(placeholder)
    }

    /// The maps to send; `None` for an empty one, which DynamoDB refuses.
    #[allow(clippy::type_complexity)]
    pub fn into_maps(
        self,
    ) -> (
        Option<HashMap<String, String>>,
        Option<HashMap<String, AttributeValue>>,
    ) {
        (
            (!self.names.is_empty()).then_some(self.names),
            (!self.values.is_empty()).then_some(self.values),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_reused_and_values_numbered() {
        let mut p = Placeholders::default();
        assert_eq!(p.name("a b"), "#n0");
        assert_eq!(p.name("#:x"), "#n1");
        assert_eq!(p.name("a b"), "#n0");
        assert_eq!(p.value(AttributeValue::S(":v0".into())), ":v0");
        assert_eq!(p.value(AttributeValue::S(":v0".into())), ":v1");
        let (names, values) = p.into_maps();
        assert_eq!(names.unwrap()["#n1"], "#:x");
        assert_eq!(values.unwrap().len(), 2);
        assert_eq!(Placeholders::default().into_maps(), (None, None));
    }
}
