use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User<T> {
    pub id: String,
    pub profile: T,
}

fn main() {}
