use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id", table_env = "1USERS-TABLE")]
pub struct User {
    pub id: String,
}

fn main() {}
