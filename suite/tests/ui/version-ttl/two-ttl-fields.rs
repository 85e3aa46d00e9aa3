use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Sessions", partition_key = "id")]
pub struct Session {
    pub id: String,
    #[dynamo(ttl)]
    pub expires_at: u64,
    #[dynamo(ttl)]
    pub purge_at: Option<u64>,
}

fn main() {}
