use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Revisions", partition_key = "id", sort_key = "revision")]
pub struct Revision {
    pub id: String,
    #[dynamo(version)]
    pub revision: u64,
}

fn main() {}
