//! Creates the example tables on the DynamoDB server the environment names
//! (`cargo xtask demo` runs it against the local server).

use dynamo_lambda::{Error, Table};
use orders_example::Order;
use users_example::User;

async fn create<T: Table>(client: &dynamo_lambda::aws_sdk_dynamodb::Client) -> Result<(), Error> {
    match dynamo_lambda::create_table::<T>(client).await {
        Ok(()) => println!("created table {}", T::table_name()),
        Err(Error::Service {
            code: Some(code), ..
        }) if code == "ResourceInUseException" => {
            println!("table {} exists", T::table_name());
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = dynamo_lambda::client().await;
    create::<User>(client).await?;
    create::<Order>(client).await?;
    Ok(())
}
