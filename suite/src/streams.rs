//! A table's DynamoDB stream read from the local server's Streams API
//! (`DescribeStream`, `GetShardIterator`, `GetRecords`) and wrapped into
//! the event Lambda's event source mapping delivers.

use serde_json::{Value, json};

use crate::http::{HttpResponse, post_json};

/// Calls one DynamoDB or DynamoDB Streams JSON operation on the local
/// server (`target` like `DynamoDBStreams_20120810.GetRecords`).
async fn call(target: &str, body: Value) -> Result<Value, String> {
    let endpoint = std::env::var("AWS_ENDPOINT_URL_DYNAMODB")
        .map_err(|_| "AWS_ENDPOINT_URL_DYNAMODB is not set".to_owned())?;
    let response: HttpResponse = post_json(
        &endpoint,
        &[
            ("x-amz-target", target),
            ("content-type", "application/x-amz-json-1.0"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, \
                 SignedHeaders=host, Signature=0",
            ),
        ],
        &body,
    )
    .await?;
    let value = response.json();
    if response.status == 200 {
        Ok(value)
    } else {
        Err(format!("{target}: {} {value}", response.status))
    }
}

/// The ARN of `table`'s latest stream.
pub async fn stream_arn(table: &str) -> Result<String, String> {
    let described = call(
        "DynamoDB_20120810.DescribeTable",
        json!({"TableName": table}),
    )
    .await?;
    described["Table"]["LatestStreamArn"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("table `{table}` has no stream"))
}

/// Every record of `table`'s stream so far, oldest first, as a DynamoDB
/// Streams event (`{"Records": [...]}` with `eventSourceARN` on each record).
pub async fn stream_event(table: &str) -> Result<Value, String> {
    let arn = stream_arn(table).await?;
    let stream = call(
        "DynamoDBStreams_20120810.DescribeStream",
        json!({"StreamArn": arn}),
    )
    .await?;
    let mut records = Vec::new();
    for shard in stream["StreamDescription"]["Shards"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let iterator = call(
            "DynamoDBStreams_20120810.GetShardIterator",
            json!({"StreamArn": arn, "ShardId": shard["ShardId"],
                   "ShardIteratorType": "TRIM_HORIZON"}),
        )
        .await?;
        let mut iterator = iterator["ShardIterator"].clone();
        while let Some(current) = iterator.as_str().map(str::to_owned) {
            let page = call(
                "DynamoDBStreams_20120810.GetRecords",
                json!({"ShardIterator": current}),
            )
            .await?;
            let batch = page["Records"].as_array().cloned().unwrap_or_default();
            if batch.is_empty() {
                break;
            }
            records.extend(batch.into_iter().map(|mut record| {
                record["eventSourceARN"] = Value::String(arn.clone());
                record
            }));
            iterator = page["NextShardIterator"].clone();
        }
    }
    Ok(json!({ "Records": records }))
}
