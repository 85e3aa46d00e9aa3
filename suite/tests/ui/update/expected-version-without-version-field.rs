use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    pub id: String,
    pub name: String,
}

fn main() {
    let _ = User::update(UserKey { id: "u1".into() })
        .set(User::fields().name, "Ada")
        .expected_version(1);
}
