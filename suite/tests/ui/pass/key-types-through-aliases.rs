use dynamo_lambda::{AttributeError, AttributeValue, FromAttributeValue, IntoAttributeValue};
use dynamo_lambda::{KeyType, KeyValue, Table, dynamo_lambda};

// The schema's key types, met through an alias and a newtype.
type TenantId = u64;

/// A region number.
#[derive(Debug, Clone, PartialEq)]
pub struct Region(u16);

impl IntoAttributeValue for Region {
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        self.0.to_attribute_value()
    }
}

impl FromAttributeValue for Region {
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        u16::from_attribute_value(value).map(Region)
    }
}

impl KeyValue for Region {
    const KEY_TYPE: KeyType = KeyType::N;

    fn is_empty_key(&self) -> bool {
        false
    }
}

// tenants.yaml: `tenant` N, `name` S, index `by_region` on `region` N.
#[dynamo_lambda(schema = "tests/ui/schema/files/tenants.yaml")]
#[derive(Debug, Clone, PartialEq)]
pub struct Tenant {
    pub tenant: TenantId,
    pub name: String,
    pub region: Option<Region>,
    pub plan: String,
}

fn main() {
    let key = TenantKey {
        tenant: 7,
        name: "acme".to_owned(),
    };
    assert_eq!(
        <Tenant as Table>::DEFINITION.partition_key.key_type,
        KeyType::N
    );
    let f = Tenant::fields();
    // Conditions may test key attributes; updates change the others.
    let _ = Tenant::update(key)
        .condition(f.tenant.exists().and(f.name.eq("acme")))
        .set(f.plan, "pro")
        .remove(f.region);
    let _ = Tenant::query_by_region(&Region(3));
}
