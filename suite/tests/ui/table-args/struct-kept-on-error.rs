use dynamo_lambda::dynamo_lambda;

// The macro fails (no partition key) but still emits the struct, without its
// `#[dynamo]` helpers: the code below adds no errors of its own.
#[dynamo_lambda(table = "Users")]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct User {
    pub id: String,
    #[dynamo(rename = "mail")]
    pub email: Option<String>,
}

fn main() {
    let user = User { id: "u1".to_owned(), email: None };
    println!("{:?}", user.clone());
}
