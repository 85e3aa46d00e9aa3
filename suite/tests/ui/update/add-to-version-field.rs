use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Accounts", partition_key = "id")]
pub struct Account {
    pub id: String,
    pub balance: i64,
    #[dynamo(version)]
    pub version: u64,
}

fn main() {
    let f = Account::fields();
    let _ = Account::update(AccountKey { id: "a1".into() })
        .add(f.version, 1u64)
        .expected_version(3);
}
