//! The users example (`examples/users`) written by hand: the same JSON
//! contract for `get`, `put`, `create` and `delete`, with the item
//! conversion written against `AttributeValue`, as in the AWS Lambda Rust
//! runtime's `basic-sdk` example.

use std::collections::HashMap;

use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use lambda_runtime::{Diagnostic, LambdaEvent, service_fn};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct User {
    id: String,
    name: String,
    #[serde(default)]
    email: Option<String>,
    age: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserKey {
    id: String,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
enum Request {
    Get {
        key: UserKey,
        #[serde(default)]
        consistent_read: bool,
    },
    Put {
        item: User,
    },
    Create {
        item: User,
    },
    Delete {
        key: UserKey,
    },
}

#[derive(Debug, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Response {
    Get { found: bool, item: Option<User> },
    Put {},
    Create {},
    Delete { found: bool, item: Option<User> },
}

#[derive(Debug)]
struct Error {
    kind: &'static str,
    message: String,
}

impl Error {
    fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }
}

impl From<Error> for Diagnostic {
    fn from(error: Error) -> Self {
        Diagnostic {
            error_type: error.kind.to_owned(),
            error_message: error.message,
        }
    }
}

type Item = HashMap<String, AttributeValue>;

fn to_item(user: User) -> Result<Item, Error> {
    if user.id.is_empty() {
        return Err(Error::new(
            "Validation",
            "invalid `id`: key attribute must not be empty",
        ));
    }
    let mut item = HashMap::with_capacity(4);
    item.insert("id".to_owned(), AttributeValue::S(user.id));
    item.insert("name".to_owned(), AttributeValue::S(user.name));
    if let Some(email) = user.email {
        item.insert("mail".to_owned(), AttributeValue::S(email));
    }
    item.insert("age".to_owned(), AttributeValue::N(user.age.to_string()));
    Ok(item)
}

fn from_item(mut item: Item) -> Result<User, Error> {
    let decode =
        |name: &str| Error::new("Decode", format!("cannot decode item: attribute `{name}`"));
    Ok(User {
        id: match item.remove("id") {
            Some(AttributeValue::S(s)) => s,
            _ => return Err(decode("id")),
        },
        name: match item.remove("name") {
            Some(AttributeValue::S(s)) => s,
            _ => return Err(decode("name")),
        },
        email: match item.remove("mail") {
            Some(AttributeValue::S(s)) => Some(s),
            None | Some(AttributeValue::Null(_)) => None,
            _ => return Err(decode("mail")),
        },
        age: match item.remove("age") {
            Some(AttributeValue::N(n)) => n.parse().map_err(|_| decode("age"))?,
            _ => return Err(decode("age")),
        },
    })
}

fn found(item: Option<Item>) -> Result<Option<User>, Error> {
    item.filter(|item| !item.is_empty())
        .map(from_item)
        .transpose()
}

fn service_error<E>(error: SdkError<E>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let kind = match error.code() {
        Some("ConditionalCheckFailedException") => "AlreadyExists",
        Some("ValidationException") => "Validation",
        _ => "Service",
    };
    Error::new(kind, DisplayErrorContext(&error).to_string())
}

async fn handle(
    client: &Client,
    table: &str,
    event: LambdaEvent<Value>,
) -> Result<Response, Error> {
    let request: Request = serde_json::from_value(event.payload)
        .map_err(|e| Error::new("Validation", format!("invalid request: {e}")))?;
    match request {
        Request::Get {
            key,
            consistent_read,
        } => {
            let output = client
                .get_item()
                .table_name(table)
                .key("id", AttributeValue::S(key.id))
                .consistent_read(consistent_read)
                .send()
                .await
                .map_err(service_error)?;
            let item = found(output.item)?;
            Ok(Response::Get {
                found: item.is_some(),
                item,
            })
        }
        Request::Put { item } => {
            client
                .put_item()
                .table_name(table)
                .set_item(Some(to_item(item)?))
                .send()
                .await
                .map_err(service_error)?;
            Ok(Response::Put {})
        }
        Request::Create { item } => {
            client
                .put_item()
                .table_name(table)
                .set_item(Some(to_item(item)?))
                .condition_expression("attribute_not_exists(#pk)")
                .expression_attribute_names("#pk", "id")
                .send()
                .await
                .map_err(service_error)?;
            Ok(Response::Create {})
        }
        Request::Delete { key } => {
            let output = client
                .delete_item()
                .table_name(table)
                .key("id", AttributeValue::S(key.id))
                .return_values(ReturnValue::AllOld)
                .send()
                .await
                .map_err(service_error)?;
            let item = found(output.attributes)?;
            Ok(Response::Delete {
                found: item.is_some(),
                item,
            })
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let client = Client::new(&config);
    let table = std::env::var("USERS_TABLE_NAME")
        .ok()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "Users".to_owned());
    lambda_runtime::run(service_fn(|event| handle(&client, &table, event))).await
}
