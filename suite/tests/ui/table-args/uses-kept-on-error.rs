// A mistake in the attribute is the only error: code that uses what the
// macro generates still finds `UserKey`, `impl Table` and the operations.
use dynamo_lambda::{Table, dynamo_lambda};

#[dynamo_lambda(table = "User Accounts", partition_key = "id")]
pub struct User {
    pub id: String,
    pub name: String,
}

pub async fn rename(id: String, name: String) -> Result<(), dynamo_lambda::Error> {
    let Some(mut user) = User::get(&UserKey { id }).await? else {
        return Ok(());
    };
    user.name = name;
    user.put().await?;
    let _ = <User as Table>::DEFINITION;
    let _ = User::table();
    Ok(())
}

fn main() {}
