use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Accounts", partition_key = "id")]
pub struct Account {
    pub id: String,
    #[dynamo(skip, version)]
    pub version: u64,
}

fn main() {}
