use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Sessions", partition_key = "id")]
pub struct Session {
    pub id: String,
    #[dynamo(ttl)]
    pub expires_at: f64,
}

fn main() {}
