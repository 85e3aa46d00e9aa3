//! Keys as text, as URL paths carry them: strings as they are, numbers in
//! decimal, binaries in base64url.

use aws_sdk_dynamodb::types::AttributeValue;

use crate::model::definition::KeyType;
use crate::model::error::Error;
use crate::model::item::{KeyValue, Table};

/// A table's key read from and written as the text of a URL path;
/// generated for structs that derive serde's traits.
pub trait KeyText: Table {
    /// The key whose parts are written as text: strings as they are,
    /// numbers in decimal, binary in base64url. The error names the key
    /// field.
    fn key_from_text(partition: &str, sort: Option<&str>) -> Result<Self::Key, Error>;

    /// The text of the key's partition and sort values, as
    /// [`key_from_text`](Self::key_from_text) reads them.
    fn key_to_text(key: &Self::Key) -> Result<(String, Option<String>), Error>;
}

/// base64url, padding optional on input: binary key values in URL paths.
const BASE64_URL: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    base64::engine::GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// One key value of [`KeyText::key_from_text`].
pub fn key_from_text<V: KeyValue>(field: &str, text: &str) -> Result<V, Error> {
    let value = match V::KEY_TYPE {
        KeyType::S => AttributeValue::S(text.to_owned()),
        KeyType::N if is_integer(text) => AttributeValue::N(text.to_owned()),
        KeyType::N => {
            return Err(Error::validation(
                field,
                format!("expected an integer, found `{text}`"),
            ));
        }
        KeyType::B => match base64::Engine::decode(&BASE64_URL, text) {
            Ok(bytes) => AttributeValue::B(aws_sdk_dynamodb::primitives::Blob::new(bytes)),
            Err(e) => return Err(Error::validation(field, format!("invalid base64url: {e}"))),
        },
    };
    let value = V::from_attribute_value(value)
        .map_err(|e| Error::validation(field, e.kind().to_string()))?;
    if value.is_empty_key() {
        return Err(Error::validation(field, "key value must not be empty"));
    }
    Ok(value)
}

fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The sort value of [`KeyText::key_from_text`] on a table with a sort key.
pub fn sort_key_text<'a>(field: &str, sort: Option<&'a str>) -> Result<&'a str, Error> {
    sort.ok_or_else(|| Error::validation(field, "missing sort key value"))
}

/// Refuses a sort value for a table without a sort key.
pub fn no_sort_key_text(sort: Option<&str>) -> Result<(), Error> {
    match sort {
        Some(_) => Err(Error::Validation {
            attribute: None,
            message: "this table has no sort key".to_owned(),
        }),
        None => Ok(()),
    }
}

/// One key value of [`KeyText::key_to_text`].
pub fn key_to_text<V: KeyValue>(field: &'static str, value: &V) -> Result<String, Error> {
    match value.to_attribute_value() {
        Ok(Some(AttributeValue::S(text) | AttributeValue::N(text))) => Ok(text),
        Ok(Some(AttributeValue::B(blob))) => Ok(base64::Engine::encode(&BASE64_URL, blob.as_ref())),
        Ok(_) => Err(Error::validation(field, "not a key value")),
        Err(e) => Err(Error::encode(e.in_field(field))),
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_dynamodb::primitives::Blob;

    use super::*;

    #[test]
    fn binary_keys_are_base64url() {
        let blob: Blob = key_from_text("id", "_-8").unwrap();
        assert_eq!(blob.as_ref(), &[0xff, 0xef]);
        let padded: Blob = key_from_text("id", "_-8=").unwrap();
        assert_eq!(padded, blob);
        assert_eq!(key_to_text("id", &blob).unwrap(), "_-8");
        assert!(key_from_text::<Blob>("id", "+/8").is_err());
        assert!(key_from_text::<Blob>("id", "").is_err());
    }

    #[test]
    fn numbers_and_strings() {
        assert_eq!(key_from_text::<i32>("n", "-7").unwrap(), -7);
        let error = key_from_text::<u8>("n", "300").unwrap_err().to_string();
        assert!(error.contains("`n`"), "{error}");
        let error = key_from_text::<u64>("n", "abc").unwrap_err().to_string();
        assert!(error.contains("expected an integer"), "{error}");
        assert!(key_from_text::<String>("s", "").is_err());
        assert_eq!(key_to_text("n", &42u16).unwrap(), "42");
    }
}
