//! `Option`, lists (`L`) and maps with string keys (`M`).

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use aws_sdk_dynamodb::types::AttributeValue;

use super::{
    FromAttributeValue, IntoAttributeValue, element_into_attribute_value,
    element_to_attribute_value,
};
use crate::model::error::AttributeError;

impl<T: IntoAttributeValue> IntoAttributeValue for Option<T> {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        match self {
            Some(value) => value.to_attribute_value(),
            None => Ok(None),
        }
    }

    #[inline]
    fn into_attribute_value(self) -> Result<Option<AttributeValue>, AttributeError> {
        match self {
            Some(value) => value.into_attribute_value(),
            None => Ok(None),
        }
    }
}

impl<T: FromAttributeValue> FromAttributeValue for Option<T> {
    #[inline]
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        match value {
            AttributeValue::Null(_) => Ok(None),
            value => T::from_attribute_value(value).map(Some),
        }
    }

    #[inline]
    fn from_missing() -> Result<Self, AttributeError> {
        Ok(None)
    }
}

fn list_to_attribute_value<'a, T: IntoAttributeValue + 'a>(
    items: impl ExactSizeIterator<Item = &'a T>,
) -> Result<Option<AttributeValue>, AttributeError> {
    let mut list = Vec::with_capacity(items.len());
    for (index, item) in items.enumerate() {
        list.push(element_to_attribute_value(item).map_err(|e| e.in_index(index))?);
    }
    Ok(Some(AttributeValue::L(list)))
}

impl<T: IntoAttributeValue> IntoAttributeValue for Vec<T> {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        list_to_attribute_value(self.iter())
    }

    #[inline]
    fn into_attribute_value(self) -> Result<Option<AttributeValue>, AttributeError> {
        let mut list = Vec::with_capacity(self.len());
        for (index, item) in self.into_iter().enumerate() {
            list.push(element_into_attribute_value(item).map_err(|e| e.in_index(index))?);
        }
        Ok(Some(AttributeValue::L(list)))
    }
}

impl<T: IntoAttributeValue> IntoAttributeValue for [T] {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        list_to_attribute_value(self.iter())
    }
}

impl<T: FromAttributeValue> FromAttributeValue for Vec<T> {
    #[inline]
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        match value {
            // A loop, not `collect` into `Result`: that cannot size the vector
            // up front and grows it several times.
            AttributeValue::L(list) => {
                let mut out = Vec::with_capacity(list.len());
                for (index, item) in list.into_iter().enumerate() {
                    out.push(T::from_attribute_value(item).map_err(|e| e.in_index(index))?);
                }
                Ok(out)
            }
            other => Err(AttributeError::wrong_type("L (list)", &other)),
        }
    }
}

fn map_to_attribute_value<'a, V: IntoAttributeValue + 'a>(
    entries: impl ExactSizeIterator<Item = (&'a String, &'a V)>,
) -> Result<Option<AttributeValue>, AttributeError> {
    let mut map = HashMap::with_capacity(entries.len());
    for (key, value) in entries {
        let value = element_to_attribute_value(value).map_err(|e| e.in_field(key.clone()))?;
        map.insert(key.clone(), value);
    }
    Ok(Some(AttributeValue::M(map)))
}

fn map_into_attribute_value<V: IntoAttributeValue>(
    entries: impl ExactSizeIterator<Item = (String, V)>,
) -> Result<Option<AttributeValue>, AttributeError> {
    let mut map = HashMap::with_capacity(entries.len());
    for (key, value) in entries {
        match element_into_attribute_value(value) {
            Ok(value) => map.insert(key, value),
            Err(e) => return Err(e.in_field(key)),
        };
    }
    Ok(Some(AttributeValue::M(map)))
}

/// Decodes an `M` attribute into `out`, which `new` makes for the number of
/// entries: collecting into a `Result` cannot size the map up front, and
/// growing a hash map rehashes every key.
fn map_from_attribute_value<V: FromAttributeValue, M: Extend<(String, V)>>(
    value: AttributeValue,
    new: impl FnOnce(usize) -> M,
) -> Result<M, AttributeError> {
    match value {
        AttributeValue::M(map) => {
            let mut out = new(map.len());
            for (key, value) in map {
                match V::from_attribute_value(value) {
                    Ok(value) => out.extend(std::iter::once((key, value))),
                    Err(e) => return Err(e.in_field(key)),
                }
            }
            Ok(out)
        }
        other => Err(AttributeError::wrong_type("M (map)", &other)),
    }
}

impl<V: IntoAttributeValue, S: BuildHasher> IntoAttributeValue for HashMap<String, V, S> {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        map_to_attribute_value(self.iter())
    }

    #[inline]
    fn into_attribute_value(self) -> Result<Option<AttributeValue>, AttributeError> {
        map_into_attribute_value(self.into_iter())
    }
}

impl<V: FromAttributeValue, S: BuildHasher + Default> FromAttributeValue for HashMap<String, V, S> {
    #[inline]
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        map_from_attribute_value(value, |len| {
            HashMap::with_capacity_and_hasher(len, S::default())
        })
    }
}

impl<V: IntoAttributeValue> IntoAttributeValue for BTreeMap<String, V> {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        map_to_attribute_value(self.iter())
    }

    #[inline]
    fn into_attribute_value(self) -> Result<Option<AttributeValue>, AttributeError> {
        map_into_attribute_value(self.into_iter())
    }
}

impl<V: FromAttributeValue> FromAttributeValue for BTreeMap<String, V> {
    #[inline]
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        map_from_attribute_value(value, |_| BTreeMap::new())
    }
}
