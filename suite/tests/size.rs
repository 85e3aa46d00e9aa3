//! DynamoDB's 400 KB item limit: items sized before sending, refused with a
//! typed error and no request; the server's own refusal (of an update that
//! grows an item) becomes the same error.

use dynamo_lambda::Item;
use dynamo_lambda::{Error, ErrorKind, MAX_ITEM_SIZE, TableClient, dynamo_lambda, item_size};
use dynamo_lambda_suite::{Server, Wire, fresh_table};

#[dynamo_lambda(table = "Documents", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Document {
    id: String,
    body: String,
    note: Option<String>,
}

/// A document whose item is `size` bytes as DynamoDB counts them.
fn document(size: usize) -> Document {
    let mut document = Document {
        id: "d1".into(),
        body: String::new(),
        note: None,
    };
    let overhead = item_size(&document.to_item().unwrap());
    document.body = "x".repeat(size - overhead);
    assert_eq!(item_size(&document.to_item().unwrap()), size);
    document
}

fn key() -> DocumentKey {
    DocumentKey { id: "d1".into() }
}

async fn recorded(label: &str) -> (TableClient<Document>, Wire) {
    let table = fresh_table::<Document>(label).await;
    let (client, wire) = Wire::attach(table.client().await);
    (TableClient::new(client, table.name().to_owned()), wire)
}

#[tokio::test]
async fn an_item_just_over_400_kb_is_refused_before_any_request() {
    let (documents, wire) = recorded("size-over").await;
    let over = document(MAX_ITEM_SIZE + 1);
    for result in [
        documents.put(&over).await,
        documents.create(&over).await,
        documents
            .batch_put(std::slice::from_ref(&over))
            .await
            .map_err(|e| e.error),
    ] {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Validation);
        assert!(
            matches!(
                &error,
                Error::ItemTooLarge {
                    size: Some(409_601),
                    key: Some(_),
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(error.to_string().contains("409601 bytes"), "{error}");
    }
    assert_eq!(wire.total(), 0, "nothing was sent");
    assert_eq!(documents.get(&key()).await.unwrap(), None);
}

#[tokio::test]
async fn an_item_just_under_400_kb_is_written() {
    let documents = fresh_table::<Document>("size-under").await;
    // moto refuses items over 405,000 bytes, below DynamoDB's limit.
    let under = document(400_000);
    documents.put(&under).await.unwrap();
    assert_eq!(documents.get(&key()).await.unwrap(), Some(under));

    let at_limit = document(MAX_ITEM_SIZE);
    match Server::current() {
        Server::Dynalite => {
            documents.put(&at_limit).await.unwrap();
            assert_eq!(documents.get(&key()).await.unwrap(), Some(at_limit));
        }
        // The server's own refusal is recognised as the same error.
        Server::Moto => {
            let error = documents.put(&at_limit).await.unwrap_err();
            assert!(
                matches!(&error, Error::ItemTooLarge { size: None, .. }),
                "{error:?}"
            );
        }
    }
}

#[tokio::test]
async fn an_update_that_grows_an_item_past_400_kb_is_item_too_large() {
    let documents = fresh_table::<Document>("size-update").await;
    let under = document(300_000);
    documents.put(&under).await.unwrap();
    let error = documents
        .update(key())
        .set(Document::fields().note, "y".repeat(200_000))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
    assert!(
        matches!(&error, Error::ItemTooLarge { size: None, .. }),
        "{error:?}"
    );
    assert_eq!(documents.get(&key()).await.unwrap(), Some(under));
}
