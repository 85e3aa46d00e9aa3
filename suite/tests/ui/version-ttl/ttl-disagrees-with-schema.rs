use dynamo_lambda::dynamo_lambda;

// sessions-ttl.yaml: `ttl: expires_at`.
#[dynamo_lambda(schema = "tests/ui/schema/files/sessions-ttl.yaml")]
pub struct Session {
    pub id: String,
    pub expires_at: u64,
    #[dynamo(ttl)]
    pub purge_at: u64,
}

fn main() {}
