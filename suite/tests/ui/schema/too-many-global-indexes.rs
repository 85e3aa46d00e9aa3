use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(schema = "tests/ui/schema/files/too-many-global-indexes.yaml")]
pub struct Product {
    pub id: String,
    pub tag: Option<String>,
}

fn main() {}
