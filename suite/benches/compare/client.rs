//! An SDK client whose HTTP client answers from memory, so that a request
//! costs what the SDK and the code around it cost, and no network.

use std::collections::HashMap;
use std::sync::Arc;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::shared::IntoShared;
use aws_smithy_types::body::SdkBody;
use dynamo_lambda::aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use dynamo_lambda::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_lambda::aws_sdk_dynamodb::{Client, Config};
use serde_json::{Map, Value, json};

/// Answers `GetItem` with a fixed item and every other operation with `{}`,
/// like `aws-smithy-http-client`'s `infallible_client_fn` (whose `test-util`
/// feature would add `http` 0.2 to the tree and change the SDK's features).
#[derive(Debug, Clone)]
struct InMemory {
    get_item: Arc<str>,
}

impl HttpConnector for InMemory {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let body = match request.headers().get("x-amz-target") {
            Some("DynamoDB_20120810.GetItem") => SdkBody::from(self.get_item.as_bytes().to_vec()),
            _ => SdkBody::from("{}"),
        };
        let mut response = HttpResponse::new(200.try_into().expect("valid status"), body);
        let headers = response.headers_mut();
        headers.insert("content-type", "application/x-amz-json-1.0");
        headers.insert("x-amzn-requestid", "BENCH");
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl HttpClient for InMemory {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.clone().into_shared()
    }
}

/// A client whose `GetItem` returns `item`.
pub fn client(item: &HashMap<String, AttributeValue>) -> Client {
    let body = json!({ "Item": wire_map(item) }).to_string();
    let config = Config::builder()
        .http_client(InMemory {
            get_item: body.into(),
        })
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDBENCH", "secret", None, None, "bench"))
        .build();
    Client::from_conf(config)
}

/// An item in DynamoDB's JSON wire format.
fn wire_map(item: &HashMap<String, AttributeValue>) -> Value {
    Value::Object(
        item.iter()
            .map(|(k, v)| (k.clone(), wire(v)))
            .collect::<Map<_, _>>(),
    )
}

fn wire(value: &AttributeValue) -> Value {
    match value {
        AttributeValue::S(s) => json!({ "S": s }),
        AttributeValue::N(n) => json!({ "N": n }),
        AttributeValue::B(b) => json!({ "B": base64(b.as_ref()) }),
        AttributeValue::Bool(b) => json!({ "BOOL": b }),
        AttributeValue::Null(_) => json!({ "NULL": true }),
        AttributeValue::Ss(items) => json!({ "SS": items }),
        AttributeValue::Ns(items) => json!({ "NS": items }),
        AttributeValue::L(items) => json!({ "L": items.iter().map(wire).collect::<Vec<_>>() }),
        AttributeValue::M(map) => json!({ "M": wire_map(map) }),
        AttributeValue::Bs(items) => {
            json!({ "BS": items.iter().map(|b| base64(b.as_ref())).collect::<Vec<_>>() })
        }
        // `Unknown`, the SDK's placeholder for types newer than it: never built.
        other => panic!("no wire form for {other:?}"),
    }
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
