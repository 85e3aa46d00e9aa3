use dynamo_lambda::Attribute;

#[derive(Attribute)]
pub struct Session {
    pub token: String,
    #[dynamo(ttl)]
    pub expires_at: u64,
}

fn main() {}
