use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Files", partition_key = "digest")]
pub struct File {
    #[dynamo(binary)]
    pub digest: Vec<u8>,
}

fn main() {}
