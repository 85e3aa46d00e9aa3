use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Sessions", partition_key = "id", sort_key = "expires_at")]
pub struct Session {
    pub id: String,
    #[dynamo(ttl)]
    pub expires_at: u64,
}

fn main() {}
