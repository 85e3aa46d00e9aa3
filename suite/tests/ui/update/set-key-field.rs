use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    pub id: String,
    pub name: String,
}

fn main() {
    let f = User::fields();
    // A condition may name the key; an update may not change it.
    let _ = User::update(UserKey { id: "u1".into() })
        .condition(f.id.exists())
        .set(f.id, "u2");
}
