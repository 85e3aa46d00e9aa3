use dynamo_lambda::dynamo_lambda;

// A type's name does not say what it stores: the compiler checks it.
type TenantId = String;

// tenants.yaml: `partition_key: { name: tenant, type: N }`.
#[dynamo_lambda(schema = "tests/ui/schema/files/tenants.yaml")]
pub struct Tenant {
    pub tenant: TenantId,
    pub name: String,
    pub region: u16,
}

fn main() {}
