//! The same conversions written by hand against `AttributeValue`, as a careful
//! engineer would without a library: one map allocation, moves where the value
//! is owned, `itoa`/`ryu` for numbers, an error naming the attribute.

use std::collections::HashMap;

use dynamo_lambda::aws_sdk_dynamodb::primitives::Blob;
use dynamo_lambda::aws_sdk_dynamodb::types::AttributeValue;

use crate::model::{Owner, Record};

type Item = HashMap<String, AttributeValue>;

/// The attribute that could not be converted.
#[derive(Debug)]
pub struct Invalid(#[allow(dead_code)] pub &'static str);

fn n_int(value: impl itoa::Integer) -> AttributeValue {
    AttributeValue::N(itoa::Buffer::new().format(value).to_owned())
}

fn n_float(name: &'static str, value: f64) -> Result<AttributeValue, Invalid> {
    if !value.is_finite() {
        return Err(Invalid(name));
    }
    Ok(AttributeValue::N(
        ryu::Buffer::new().format_finite(value).to_owned(),
    ))
}

fn owner_to_item(owner: &Owner) -> Item {
    let mut item = HashMap::with_capacity(3);
    item.insert("id".to_owned(), AttributeValue::S(owner.id.clone()));
    item.insert("name".to_owned(), AttributeValue::S(owner.name.clone()));
    item.insert("level".to_owned(), n_int(owner.level));
    item
}

fn owner_into_item(owner: Owner) -> Item {
    let mut item = HashMap::with_capacity(3);
    item.insert("id".to_owned(), AttributeValue::S(owner.id));
    item.insert("name".to_owned(), AttributeValue::S(owner.name));
    item.insert("level".to_owned(), n_int(owner.level));
    item
}

pub fn to_item(record: &Record) -> Result<Item, Invalid> {
    let mut item = HashMap::with_capacity(12);
    item.insert("pk".to_owned(), AttributeValue::S(record.pk.clone()));
    item.insert("sk".to_owned(), AttributeValue::S(record.sk.clone()));
    item.insert("views".to_owned(), n_int(record.views));
    item.insert("delta".to_owned(), n_int(record.delta));
    item.insert("score".to_owned(), n_float("score", record.score)?);
    item.insert("active".to_owned(), AttributeValue::Bool(record.active));
    if let Some(note) = &record.note {
        item.insert("note".to_owned(), AttributeValue::S(note.clone()));
    }
    if !record.tags.is_empty() {
        let tags = record.tags.iter().cloned().collect();
        item.insert("tags".to_owned(), AttributeValue::Ss(tags));
    }
    item.insert(
        "owner".to_owned(),
        AttributeValue::M(owner_to_item(&record.owner)),
    );
    let labels = record
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), AttributeValue::S(v.clone())))
        .collect();
    item.insert("labels".to_owned(), AttributeValue::M(labels));
    item.insert("created_at".to_owned(), n_int(record.created_at));
    item.insert(
        "payload".to_owned(),
        AttributeValue::B(Blob::new(record.payload.clone())),
    );
    Ok(item)
}

pub fn into_item(record: Record) -> Result<Item, Invalid> {
    let mut item = HashMap::with_capacity(12);
    item.insert("pk".to_owned(), AttributeValue::S(record.pk));
    item.insert("sk".to_owned(), AttributeValue::S(record.sk));
    item.insert("views".to_owned(), n_int(record.views));
    item.insert("delta".to_owned(), n_int(record.delta));
    item.insert("score".to_owned(), n_float("score", record.score)?);
    item.insert("active".to_owned(), AttributeValue::Bool(record.active));
    if let Some(note) = record.note {
        item.insert("note".to_owned(), AttributeValue::S(note));
    }
    if !record.tags.is_empty() {
        let tags = record.tags.into_iter().collect();
        item.insert("tags".to_owned(), AttributeValue::Ss(tags));
    }
    item.insert(
        "owner".to_owned(),
        AttributeValue::M(owner_into_item(record.owner)),
    );
    let labels = record
        .labels
        .into_iter()
        .map(|(k, v)| (k, AttributeValue::S(v)))
        .collect();
    item.insert("labels".to_owned(), AttributeValue::M(labels));
    item.insert("created_at".to_owned(), n_int(record.created_at));
    item.insert(
        "payload".to_owned(),
        AttributeValue::B(Blob::new(record.payload)),
    );
    Ok(item)
}

fn string(item: &mut Item, name: &'static str) -> Result<String, Invalid> {
    match item.remove(name) {
        Some(AttributeValue::S(s)) => Ok(s),
        _ => Err(Invalid(name)),
    }
}

fn number<T: std::str::FromStr>(item: &mut Item, name: &'static str) -> Result<T, Invalid> {
    match item.remove(name) {
        Some(AttributeValue::N(n)) => n.parse().map_err(|_| Invalid(name)),
        _ => Err(Invalid(name)),
    }
}

fn owner_from_item(mut item: Item) -> Result<Owner, Invalid> {
    Ok(Owner {
        id: string(&mut item, "id")?,
        name: string(&mut item, "name")?,
        level: number(&mut item, "level")?,
    })
}

pub fn from_item(mut item: Item) -> Result<Record, Invalid> {
    Ok(Record {
        pk: string(&mut item, "pk")?,
        sk: string(&mut item, "sk")?,
        views: number(&mut item, "views")?,
        delta: number(&mut item, "delta")?,
        score: match number::<f64>(&mut item, "score")? {
            score if score.is_finite() => score,
            _ => return Err(Invalid("score")),
        },
        active: match item.remove("active") {
            Some(AttributeValue::Bool(b)) => b,
            _ => return Err(Invalid("active")),
        },
        note: match item.remove("note") {
            Some(AttributeValue::S(s)) => Some(s),
            None | Some(AttributeValue::Null(_)) => None,
            _ => return Err(Invalid("note")),
        },
        tags: match item.remove("tags") {
            Some(AttributeValue::Ss(tags)) => tags.into_iter().collect(),
            None | Some(AttributeValue::Null(_)) => Default::default(),
            _ => return Err(Invalid("tags")),
        },
        owner: match item.remove("owner") {
            Some(AttributeValue::M(owner)) => owner_from_item(owner)?,
            _ => return Err(Invalid("owner")),
        },
        labels: match item.remove("labels") {
            Some(AttributeValue::M(labels)) => {
                let mut map = HashMap::with_capacity(labels.len());
                for (k, v) in labels {
                    match v {
                        AttributeValue::S(v) => map.insert(k, v),
                        _ => return Err(Invalid("labels")),
                    };
                }
                map
            }
            _ => return Err(Invalid("labels")),
        },
        created_at: number(&mut item, "created_at")?,
        payload: match item.remove("payload") {
            Some(AttributeValue::B(b)) => b.into_inner(),
            _ => return Err(Invalid("payload")),
        },
    })
}
