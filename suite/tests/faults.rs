//! Faults on the wire: each test puts the fault proxy (`src/fault.rs`) in
//! front of the local server, scripts what goes wrong, and checks what the
//! library reports and what the server holds, read directly (not through
//! the proxy).

use std::time::{Duration, Instant};

use dynamo_lambda::aws_sdk_dynamodb::config::retry::RetryConfig;
use dynamo_lambda::aws_sdk_dynamodb::config::timeout::TimeoutConfig;
use dynamo_lambda::{Error, ErrorKind, LAMBDA_TIMEOUTS, Table, TableClient, dynamo_lambda};
use dynamo_lambda_suite::fault::{Fault, Proxy, Rule};
use dynamo_lambda_suite::fresh_table;

#[dynamo_lambda(table = "Things", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Thing {
    id: String,
    n: u32,
    tags: std::collections::BTreeSet<String>,
}

#[dynamo_lambda(table = "Docs", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Doc {
    id: String,
    body: String,
    hits: u64,
    #[dynamo(version)]
    version: u64,
}

fn thing(i: u32) -> Thing {
    Thing {
        id: format!("t{i:03}"),
        n: i,
        tags: (0..i % 3).map(|t| format!("tag{t}")).collect(),
    }
}

/// A fresh table, reached through a new proxy and directly.
struct Setup<T> {
    proxy: Proxy,
    via: TableClient<T>,
    direct: TableClient<T>,
}

async fn setup<T: Table>(label: &str) -> Setup<T> {
    let direct = fresh_table::<T>(label).await;
    let proxy = Proxy::start().await;
    let via = TableClient::new(proxy.client().await, direct.name().to_owned());
    Setup { proxy, via, direct }
}

/// How long an operation may take, with slack for a loaded machine.
fn bound() -> Duration {
    LAMBDA_TIMEOUTS.operation + Duration::from_secs(1)
}

#[tokio::test]
async fn throttling_that_keeps_failing_ends_as_throttled_within_the_operation_timeout() {
    let s = setup::<Thing>("throttled").await;
    for (fault, code) in [
        (
            Fault::ProvisionedThroughputExceeded,
            "ProvisionedThroughputExceededException",
        ),
        (Fault::Throttling, "ThrottlingException"),
    ] {
        s.proxy.clear();
        s.proxy.reset_stats();
        s.proxy.script(Rule::on("PutItem", fault).always());
        let started = Instant::now();
        let error = s.via.put(&thing(1)).await.unwrap_err();
        assert!(started.elapsed() < bound(), "took {:?}", started.elapsed());
        match &error {
            Error::Throttled { code: c, .. } => assert_eq!(c, code),
            other => panic!("expected Throttled, got {other:?}"),
        }
        assert_eq!(error.kind(), ErrorKind::Throttled);
        assert!(error.is_retryable());
        // The SDK's standard mode: 3 attempts.
        assert_eq!(s.proxy.stats().requests_of("PutItem"), 3);
    }
    assert_eq!(s.direct.get(&thing(1).key()).await.unwrap(), None);
}

#[tokio::test]
async fn a_throttled_request_is_retried_and_x_amz_retry_after_is_honoured() {
    let s = setup::<Thing>("retry-after").await;
    s.proxy.script(Rule::on(
        "PutItem",
        Fault::RetryAfter(Duration::from_millis(700)),
    ));
    let started = Instant::now();
    s.via.put(&thing(2)).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(s.proxy.stats().requests_of("PutItem"), 2);
    assert_eq!(s.proxy.stats().faults_of("retry-after"), 1);
    assert!(waited >= Duration::from_millis(700), "waited {waited:?}");
    assert_eq!(s.direct.get(&thing(2).key()).await.unwrap(), Some(thing(2)));
}

#[tokio::test]
async fn server_errors_are_retried_then_end_as_service_unavailable() {
    let s = setup::<Thing>("5xx").await;
    for (fault, code) in [
        (Fault::InternalServerError, "InternalServerError"),
        (Fault::ServiceUnavailable, "ServiceUnavailable"),
    ] {
        s.proxy.clear();
        s.proxy.reset_stats();
        s.proxy.script(Rule::on("GetItem", fault.clone()).always());
        let started = Instant::now();
        let error = s.via.get(&thing(3).key()).await.unwrap_err();
        assert!(started.elapsed() < bound());
        assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error:?}");
        assert!(error.to_string().contains(code), "{error}");
        assert_eq!(s.proxy.stats().requests_of("GetItem"), 3);

        // Once is no failure: the SDK's retry succeeds.
        s.proxy.clear();
        s.proxy.script(Rule::on("PutItem", fault));
        s.via.put(&thing(3)).await.unwrap();
    }
    assert_eq!(s.direct.get(&thing(3).key()).await.unwrap(), Some(thing(3)));
}

#[tokio::test]
async fn slow_responses_time_out_as_service_unavailable_within_the_bound() {
    let s = setup::<Thing>("slow").await;
    s.direct.put(&thing(4)).await.unwrap();
    s.proxy
        .script(Rule::on("GetItem", Fault::Slow(Duration::from_secs(4))).always());
    let started = Instant::now();
    let error = s.via.get(&thing(4).key()).await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error:?}");
    assert!(error.is_retryable());
    assert!(error.to_string().contains("timeout"), "{error}");
    assert!(
        took >= LAMBDA_TIMEOUTS.operation - Duration::from_millis(100) && took < bound(),
        "took {took:?}"
    );
    // Attempts of 2 s and the back-off between them within 5 s: the third,
    // if it starts, is cut by the operation timeout.
    let attempts = s.proxy.stats().requests_of("GetItem");
    assert!((2..=3).contains(&attempts), "{attempts} attempts");

    // One slow answer is retried.
    s.proxy.clear();
    s.proxy
        .script(Rule::on("GetItem", Fault::Slow(Duration::from_secs(3))));
    assert_eq!(s.via.get(&thing(4).key()).await.unwrap(), Some(thing(4)));
}

#[tokio::test]
async fn truncated_and_malformed_bodies_are_clear_errors() {
    let s = setup::<Thing>("bodies").await;
    s.direct.put(&thing(5)).await.unwrap();
    // Cut off in the middle: a broken connection, retried, then reported.
    s.proxy
        .script(Rule::on("GetItem", Fault::Truncated).always());
    let error = s.via.get(&thing(5).key()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error:?}");
    assert_eq!(s.proxy.stats().requests_of("GetItem"), 3);
    println!("truncated: {error}");
    assert!(!error.to_string().contains("SdkBody"), "{error}");

    // Complete as HTTP but not JSON: an error naming the response, no panic.
    s.proxy.clear();
    s.proxy.reset_stats();
    s.proxy
        .script(Rule::on("GetItem", Fault::Malformed).always());
    let error = s.via.get(&thing(5).key()).await.unwrap_err();
    let text = error.to_string();
    println!("malformed: {text}");
    assert!(matches!(error, Error::Service { .. }), "{error:?}");
    assert!(text.contains("unreadable answer"), "{text}");
    assert!(
        !text.contains("SdkBody"),
        "the raw response is no message: {text}"
    );

    // Once each: retried (truncated) or reported, never a wrong item.
    s.proxy.clear();
    s.proxy.script(Rule::on("GetItem", Fault::Truncated));
    assert_eq!(s.via.get(&thing(5).key()).await.unwrap(), Some(thing(5)));
}

#[tokio::test]
async fn a_reset_before_the_server_is_retried() {
    let s = setup::<Thing>("reset-before").await;
    s.proxy.script(Rule::on("PutItem", Fault::ResetBefore));
    s.via.create(&thing(6)).await.unwrap();
    assert_eq!(s.proxy.stats().requests_of("PutItem"), 2);
    assert_eq!(s.proxy.stats().faults_of("reset-before"), 1);
    assert_eq!(s.direct.get(&thing(6).key()).await.unwrap(), Some(thing(6)));
}

#[tokio::test]
async fn an_applied_create_whose_answer_was_lost_is_no_already_exists() {
    let s = setup::<Thing>("create-ambiguous").await;
    s.proxy.script(Rule::on("PutItem", Fault::ResetAfter));
    s.via.create(&thing(7)).await.unwrap();
    assert_eq!(s.proxy.stats().faults_of("reset-after"), 1);
    assert_eq!(s.proxy.stats().requests_of("PutItem"), 2);
    assert_eq!(s.direct.get(&thing(7).key()).await.unwrap(), Some(thing(7)));

    // Sent once, the same create again is a conflict: only a retried
    // request can have met its own item.
    let error = s.via.create(&thing(7)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AlreadyExists, "{error:?}");

    // Another item under the key is still a conflict, after a lost answer too.
    let other = Thing { n: 99, ..thing(7) };
    s.proxy.script(Rule::on("PutItem", Fault::ResetAfter));
    let error = s.via.create(&other).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AlreadyExists, "{error:?}");
    assert_eq!(s.direct.get(&thing(7).key()).await.unwrap(), Some(thing(7)));
}

fn doc(version: u64, body: &str) -> Doc {
    Doc {
        id: "d1".into(),
        body: body.into(),
        hits: 0,
        version,
    }
}

#[tokio::test]
async fn an_applied_versioned_put_or_save_whose_answer_was_lost_is_no_version_conflict() {
    let s = setup::<Doc>("put-ambiguous").await;
    s.proxy.script(Rule::on("PutItem", Fault::ResetAfter));
    s.via.put(&doc(0, "first")).await.unwrap();
    assert_eq!(
        s.direct.get(&doc(0, "").key()).await.unwrap(),
        Some(doc(1, "first"))
    );

    let mut mine = doc(1, "second");
    s.proxy.script(Rule::on("PutItem", Fault::ResetAfter));
    s.via.save(&mut mine).await.unwrap();
    assert_eq!(mine.version, 2);
    assert_eq!(
        s.direct.get(&mine.key()).await.unwrap(),
        Some(doc(2, "second"))
    );
    assert_eq!(s.proxy.stats().faults_of("reset-after"), 2);

    // The same put again, sent once, is a conflict: version 1 is gone.
    let error = s.via.put(&doc(1, "second")).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::VersionConflict, "{error:?}");

    // A stale version is a conflict, answer lost or not.
    s.proxy.script(Rule::on("PutItem", Fault::ResetAfter));
    let error = s.via.put(&doc(1, "stale")).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::VersionConflict, "{error:?}");
    let error = s.via.put(&doc(1, "stale")).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::VersionConflict, "{error:?}");
    assert_eq!(
        s.direct.get(&mine.key()).await.unwrap(),
        Some(doc(2, "second"))
    );
}

#[tokio::test]
async fn an_applied_versioned_update_whose_answer_was_lost_is_no_version_conflict() {
    let s = setup::<Doc>("update-ambiguous").await;
    s.direct.put(&doc(0, "start")).await.unwrap();
    let f = Doc::fields();
    s.proxy.script(Rule::on("UpdateItem", Fault::ResetAfter));
    let updated = s
        .via
        .update(doc(0, "").key())
        .set(f.body, "changed".to_owned())
        .expected_version(1)
        .await
        .unwrap();
    assert_eq!(updated, doc(2, "changed"));
    assert_eq!(
        s.direct.get(&updated.key()).await.unwrap(),
        Some(doc(2, "changed"))
    );

    // Someone else's write at the next version is still a conflict.
    s.direct.put(&doc(2, "theirs")).await.unwrap();
    let error = s
        .via
        .update(doc(0, "").key())
        .set(f.body, "mine".to_owned())
        .expected_version(2)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::VersionConflict, "{error:?}");
    assert_eq!(
        s.direct.get(&updated.key()).await.unwrap(),
        Some(doc(3, "theirs"))
    );
}

#[tokio::test]
async fn an_add_retried_after_a_lost_answer_counts_twice_unless_versioned() {
    // The limit the README documents: `ADD` is not idempotent.
    let s = setup::<Doc>("add-twice").await;
    s.direct.put(&doc(0, "counter")).await.unwrap();
    let f = Doc::fields();
    s.proxy.script(Rule::on("UpdateItem", Fault::ResetAfter));
    // A versioned update's retry fails its version condition: the ADD is
    // applied once, and the call reports the conflict (an ADD cannot be
    // recognised in the stored item) instead of counting twice.
    let error = s
        .via
        .update(doc(0, "").key())
        .add(f.hits, 1u64)
        .expected_version(1)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::VersionConflict, "{error:?}");
    let stored = s.direct.get(&doc(0, "").key()).await.unwrap().unwrap();
    assert_eq!((stored.hits, stored.version), (1, 2));
}

#[tokio::test]
async fn unprocessed_batch_entries_are_sent_again_until_written_and_read() {
    let s = setup::<Thing>("unprocessed").await;
    let items: Vec<Thing> = (0..40).map(thing).collect();
    s.proxy
        .script(Rule::on("BatchWriteItem", Fault::Unprocessed).times(3));
    s.via.batch_put(&items).await.unwrap();
    let stats = s.proxy.stats();
    assert_eq!(stats.faults_of("unprocessed"), 3);
    assert!(stats.unprocessed_entries >= 3, "{stats}");
    // Two chunks (25 + 15), three extra rounds.
    assert_eq!(stats.requests_of("BatchWriteItem"), 5, "{stats}");
    for item in &items {
        assert_eq!(
            s.direct.get(&item.key()).await.unwrap().as_ref(),
            Some(item)
        );
    }

    s.proxy
        .script(Rule::on("BatchGetItem", Fault::Unprocessed).times(2));
    let keys: Vec<_> = items.iter().map(Thing::key).collect();
    let mut read = s.via.batch_get(&keys).await.unwrap();
    read.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(read, items);
    assert_eq!(s.proxy.stats().requests_of("BatchGetItem"), 3);
}

#[tokio::test]
async fn entries_left_unprocessed_to_the_end_are_reported_exactly() {
    let s = setup::<Thing>("never-processed").await;
    let items: Vec<Thing> = (0..20).map(thing).collect();
    s.proxy
        .script(Rule::on("BatchWriteItem", Fault::Unprocessed).always());
    let error = s.via.batch_put(&items).await.unwrap_err();
    assert_eq!(
        error.error.kind(),
        ErrorKind::Unprocessed,
        "{:?}",
        error.error
    );
    // The proxy keeps about half of each request: 20 → 10 → 5 → 3 → 2 → 1
    // in five rounds that made progress, then the last entry held back for
    // seven more, eight in a row counting the one that left it. None was
    // retried by the SDK (each was answered).
    assert_eq!(s.proxy.stats().requests_of("BatchWriteItem"), 12);
    for item in &items {
        let stored = s.direct.get(&item.key()).await.unwrap();
        let reported = error.unprocessed.contains(item);
        assert_eq!(stored.is_none(), reported, "{item:?}");
    }
    assert!(!error.unprocessed.is_empty());
}

#[tokio::test]
async fn the_batch_loop_does_not_retry_on_top_of_the_sdk() {
    let s = setup::<Thing>("batch-throttled").await;
    let items: Vec<Thing> = (0..30).map(thing).collect();
    s.proxy
        .script(Rule::on("BatchWriteItem", Fault::Throttling).always());
    let started = Instant::now();
    let error = s.via.batch_put(&items).await.unwrap_err();
    assert_eq!(error.error.kind(), ErrorKind::Throttled);
    assert!(started.elapsed() < bound());
    // The SDK's 3 attempts for the first chunk, then the batch stops: not
    // 8 rounds × 3 attempts.
    assert_eq!(s.proxy.stats().requests_of("BatchWriteItem"), 3);
    assert_eq!(error.unprocessed, items);

    // The documented worst case of one chunk without progress: every round
    // retried by the SDK and still processing nothing (one entry, held
    // back): 8 rounds × 3 attempts.
    s.proxy.clear();
    s.proxy.reset_stats();
    for round in 0..8 {
        s.proxy.script(
            Rule::on("BatchWriteItem", Fault::InternalServerError)
                .nth(1 + 3 * round)
                .times(2),
        );
        s.proxy
            .script(Rule::on("BatchWriteItem", Fault::Unprocessed).nth(3 + 3 * round));
    }
    // Quick SDK back-off, so that all eight rounds fit in the chunk's budget.
    let quick = s
        .proxy
        .client_with(|b| {
            b.retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(5)))
        })
        .await;
    let quick = TableClient::<Thing>::new(quick, s.direct.name().to_owned());
    let error = quick.batch_put(&items[..1]).await.unwrap_err();
    assert_eq!(
        error.error.kind(),
        ErrorKind::Unprocessed,
        "{:?}",
        error.error
    );
    assert_eq!(s.proxy.stats().requests_of("BatchWriteItem"), 24);
}

#[tokio::test]
async fn aws_max_attempts_and_retry_mode_are_honoured() {
    // Environment variables are process-wide: the check runs in a child
    // process of this test binary, with the variables set.
    if std::env::var_os("FAULTS_CHILD").is_some() {
        return child_counts_attempts().await;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "aws_max_attempts_and_retry_mode_are_honoured",
            "--nocapture",
        ])
        .env("FAULTS_CHILD", "1")
        .env("AWS_MAX_ATTEMPTS", "2")
        .env("AWS_RETRY_MODE", "adaptive")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "{stdout}");
    assert!(stderr.contains("attempts: 2, mode: Adaptive"), "{stderr}");
}

async fn child_counts_attempts() {
    let s = setup::<Thing>("max-attempts").await;
    let config = s
        .via
        .client()
        .await
        .config()
        .retry_config()
        .unwrap()
        .clone();
    eprintln!(
        "attempts: {}, mode: {:?}",
        config.max_attempts(),
        config.mode()
    );
    s.proxy
        .script(Rule::on("GetItem", Fault::InternalServerError).always());
    let error = s.via.get(&thing(1).key()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable);
    assert_eq!(s.proxy.stats().requests_of("GetItem"), 2);
}

#[tokio::test]
async fn a_users_own_config_makes_the_shared_client() {
    let proxy = Proxy::start().await;
    let config = dynamo_lambda::config_loader()
        .endpoint_url(proxy.url())
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(9))
                .build(),
        )
        .load()
        .await;
    dynamo_lambda::set_config(&config).unwrap();
    let client = dynamo_lambda::client().await;
    let timeouts = client.config().timeout_config().unwrap();
    assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(9)));
    assert_eq!(
        timeouts.operation_attempt_timeout(),
        Some(LAMBDA_TIMEOUTS.attempt)
    );
    client.list_tables().send().await.unwrap();
    assert_eq!(proxy.stats().requests_of("ListTables"), 1);
    let error = dynamo_lambda::set_config(&config).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn a_failed_condition_is_explained_from_the_answer_or_reported_as_unknown() {
    let s = setup::<Thing>("explain").await;
    // The read that would tell NotFound from a failed condition fails: what
    // happened is unknown, and the error says so by being retryable.
    s.proxy
        .script(Rule::on("GetItem", Fault::InternalServerError).always());
    let error = s
        .via
        .update(thing(8).key())
        .set(Thing::fields().n, 8u32)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error:?}");
    s.proxy.clear();
    let error = s
        .via
        .update(thing(8).key())
        .set(Thing::fields().n, 8u32)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound, "{error:?}");

    // A conflict is explained by the item sent back with the failure
    // (`ReturnValuesOnConditionCheckFailure`), where the server sends it.
    let docs = setup::<Doc>("explain-docs").await;
    docs.direct.put(&doc(0, "a")).await.unwrap();
    docs.direct.put(&doc(1, "b")).await.unwrap();
    docs.proxy.reset_stats();
    let error = docs
        .via
        .update(doc(0, "").key())
        .set(Doc::fields().body, "c".to_owned())
        .expected_version(1)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::VersionConflict, "{error:?}");
    let reads = docs.proxy.stats().requests_of("GetItem");
    match dynamo_lambda_suite::Server::current() {
        dynamo_lambda_suite::Server::Moto => assert_eq!(reads, 0),
        // dynalite does not implement it: the item is read.
        dynamo_lambda_suite::Server::Dynalite => assert_eq!(reads, 1),
    }
}
