use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use dynamo_lambda::{Attribute, AttributeError, AttributeValue, Item, Table, dynamo_lambda};

/// Stores a `u32` colour as a `#rrggbb` string.
mod hex_colour {
    use dynamo_lambda::{AttributeError, AttributeValue};

    pub fn to_attribute_value(value: &u32) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::S(format!("#{value:06x}"))))
    }

    pub fn from_attribute_value(value: Option<AttributeValue>) -> Result<u32, AttributeError> {
        match value {
            Some(AttributeValue::S(text)) => u32::from_str_radix(text.trim_start_matches('#'), 16)
                .map_err(AttributeError::custom),
            Some(_) => Err(AttributeError::custom("expected a string")),
            None => Err(AttributeError::missing()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, Attribute)]
pub struct Address {
    pub street: String,
    #[dynamo(rename = "town")]
    pub city: String,
    pub zip: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, Attribute)]
pub enum Plan {
    #[dynamo(rename = "FREE")]
    Free,
    #[dynamo(rename = "PAID")]
    Paid,
}

#[dynamo_lambda(table = "Users", partition_key = "id", sort_key = "version", table_env = "USERS_TABLE")]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct User {
    pub id: String,
    pub version: u32,
    #[dynamo(rename = "mail")]
    pub email: Option<String>,
    #[dynamo(skip)]
    pub session: Option<String>,
    #[dynamo(default)]
    pub tags: BTreeSet<String>,
    pub lucky_numbers: HashSet<i64>,
    pub scores: HashMap<String, u32>,
    pub notes: BTreeMap<String, Option<String>>,
    #[dynamo(with = "hex_colour")]
    pub colour: u32,
    #[dynamo(binary)]
    pub avatar: Vec<u8>,
    #[dynamo(binary, default)]
    pub thumbnail: Option<Vec<u8>>,
    pub address: Address,
    pub previous_addresses: Vec<Address>,
    pub plan: Plan,
    pub r#type: String,
}

fn main() {
    let user = User {
        id: "u1".to_owned(),
        version: 3,
        email: Some("a@example.com".to_owned()),
        session: Some("not stored".to_owned()),
        tags: BTreeSet::from(["admin".to_owned()]),
        lucky_numbers: HashSet::from([7, 13]),
        scores: HashMap::from([("chess".to_owned(), 1200)]),
        notes: BTreeMap::from([("a".to_owned(), None)]),
        colour: 0x00ff88,
        avatar: vec![1, 2, 3],
        thumbnail: None,
        address: Address {
            street: "1 Main St".to_owned(),
            city: "Springfield".to_owned(),
            zip: None,
        },
        previous_addresses: Vec::new(),
        plan: Plan::Paid,
        r#type: "person".to_owned(),
    };

    let item = user.to_item().unwrap();
    assert_eq!(item["mail"], AttributeValue::S("a@example.com".to_owned()));
    assert_eq!(item["colour"], AttributeValue::S("#00ff88".to_owned()));
    assert_eq!(item["plan"], AttributeValue::S("PAID".to_owned()));
    assert_eq!(item["type"], AttributeValue::S("person".to_owned()));
    assert!(!item.contains_key("session"));
    assert!(!item.contains_key("thumbnail"));

    let back = User::from_item(item).unwrap();
    assert_eq!(back, User { session: None, ..user.clone() });

    let key: UserKey = user.key();
    assert_eq!(key, UserKey { id: "u1".to_owned(), version: 3 });
    assert_eq!(User::DEFINITION.name, "Users");
    assert_eq!(User::DEFINITION.name_env, "USERS_TABLE");
    assert_eq!(User::DEFINITION.sort_key.unwrap().attribute, "version");

    fn direct_service<S: dynamo_lambda::DirectService<User>>(_: fn() -> S) {}
    direct_service(User::handler);
    let _: Result<(), AttributeError> = Ok(());
}
