use dynamo_lambda::{AttributeError, AttributeValue, FromAttributeValue, IntoAttributeValue};
use dynamo_lambda::{KeyType, KeyValue, dynamo_lambda};

/// A region code stored as a string.
pub struct Region(String);

impl IntoAttributeValue for Region {
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        self.0.to_attribute_value()
    }
}

impl FromAttributeValue for Region {
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        String::from_attribute_value(value).map(Region)
    }
}

impl KeyValue for Region {
    const KEY_TYPE: KeyType = KeyType::S;

    fn is_empty_key(&self) -> bool {
        self.0.is_empty()
    }
}

// tenants.yaml: index `by_region` has `partition_key: { name: region, type: N }`.
#[dynamo_lambda(schema = "tests/ui/schema/files/tenants.yaml")]
pub struct Tenant {
    pub tenant: u64,
    pub name: String,
    pub region: Option<Region>,
}

fn main() {}
