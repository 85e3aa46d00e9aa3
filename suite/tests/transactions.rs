//! Transactions across tables against the local server, each test on its own
//! tables. A client interceptor records the requests sent, to show what was
//! (or was not) sent.

use dynamo_lambda::{
    ActionKind, CancellationKind, CancellationReason, Error, ErrorKind, TableClient, TransactGet,
    Transaction, dynamo_lambda,
};
use dynamo_lambda_suite::{Capability, Wire, fresh_table, supports};

#[dynamo_lambda(table = "Wallets", partition_key = "owner")]
#[derive(Debug, Clone, PartialEq)]
struct Wallet {
    owner: String,
    cents: i64,
    frozen: bool,
    #[dynamo(version)]
    version: u64,
}

#[dynamo_lambda(table = "Payments", partition_key = "account", sort_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Payment {
    account: String,
    id: u32,
    cents: i64,
}

fn wallet(owner: &str, cents: i64) -> Wallet {
    Wallet {
        owner: owner.into(),
        cents,
        frozen: false,
        version: 0,
    }
}

fn wkey(owner: &str) -> WalletKey {
    WalletKey {
        owner: owner.into(),
    }
}

fn payment(account: &str, id: u32, cents: i64) -> Payment {
    Payment {
        account: account.into(),
        id,
        cents,
    }
}

/// Two fresh tables on one client that records what it sends.
async fn tables(label: &str) -> (TableClient<Wallet>, TableClient<Payment>, Wire) {
    let wallets = fresh_table::<Wallet>(label).await;
    let payments = fresh_table::<Payment>(label).await;
    let (client, wire) = Wire::attach(wallets.client().await);
    (
        TableClient::new(client.clone(), wallets.name().to_owned()),
        TableClient::new(client, payments.name().to_owned()),
        wire,
    )
}

/// Stores `wallet` (at version 1) and returns it as stored.
async fn stored(wallets: &TableClient<Wallet>, wallet: Wallet) -> Wallet {
    wallets.create(&wallet).await.unwrap();
    Wallet {
        version: 1,
        ..wallet
    }
}

fn canceled(error: Error) -> Vec<CancellationReason> {
    match error {
        Error::TransactionCanceled { reasons } => reasons,
        other => panic!("expected a canceled transaction, got {other:?}"),
    }
}

fn kinds(reasons: &[CancellationReason]) -> Vec<CancellationKind> {
    reasons.iter().map(|r| r.kind.clone()).collect()
}

#[tokio::test]
async fn a_transaction_across_two_tables_commits() {
    if !supports(Capability::Transactions) {
        return;
    }
    let (wallets, payments, wire) = tables("tx-commit").await;
    let ada = stored(&wallets, wallet("ada", 500)).await;
    let bob = stored(&wallets, wallet("bob", 100)).await;
    let old = payment("ada", 1, 5);
    payments.put(&old).await.unwrap();
    let f = Wallet::fields();

    Transaction::new()
        .update(
            wallets
                .update(wkey("ada"))
                .add(f.cents, -250)
                .condition(f.cents.ge(250))
                .expected_version(1),
        )
        .put(
            &wallets,
            &Wallet {
                cents: 350,
                ..bob.clone()
            },
        )
        .create(&payments, &payment("ada", 2, -250))
        .create(&payments, &payment("bob", 1, 250))
        .delete(&payments, &old.key())
        .condition_check(&wallets, &wkey("carol"), f.owner.not_exists())
        .commit()
        .await
        .unwrap();

    assert_eq!(wire.count("TransactWriteItems"), 1);
    let read = wallets
        .transact_get(&[wkey("ada"), wkey("bob")])
        .await
        .unwrap();
    assert_eq!(
        read,
        vec![
            Some(Wallet {
                cents: 250,
                version: 2,
                ..ada
            }),
            Some(Wallet {
                cents: 350,
                version: 2,
                ..bob
            }),
        ]
    );
    let keys = [
        payment("ada", 1, 0).key(),
        payment("ada", 2, 0).key(),
        payment("bob", 1, 0).key(),
    ];
    assert_eq!(
        payments.transact_get(&keys).await.unwrap(),
        vec![
            None,
            Some(payment("ada", 2, -250)),
            Some(payment("bob", 1, 250))
        ]
    );
}

#[tokio::test]
async fn a_failing_condition_check_cancels_everything() {
    if !supports(Capability::Transactions) {
        return;
    }
    let (wallets, payments, _) = tables("tx-check").await;
    let ada = stored(&wallets, wallet("ada", 500)).await;
    let frozen = stored(
        &wallets,
        Wallet {
            frozen: true,
            ..wallet("bob", 100)
        },
    )
    .await;
    let old = payment("ada", 1, 5);
    payments.put(&old).await.unwrap();
    let f = Wallet::fields();

    let error = Transaction::new()
        .update(
            wallets
                .update(wkey("ada"))
                .add(f.cents, -50)
                .expected_version(1),
        )
        .create(&payments, &payment("ada", 2, -50))
        .delete(&payments, &old.key())
        .condition_check(&wallets, &frozen.key(), f.frozen.eq(false))
        .commit()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::TransactionCanceled);
    assert!(!error.is_retryable());
    let message = error.to_string();
    assert!(
        message.contains(r#"action 3 (condition_check on `"#)
            && message.contains(r#"key WalletKey { owner: "bob" }): condition failed"#),
        "{message}"
    );
    let reasons = canceled(error);
    assert_eq!(
        kinds(&reasons),
        [
            CancellationKind::None,
            CancellationKind::None,
            CancellationKind::None,
            CancellationKind::ConditionFailed
        ]
    );
    let check = &reasons[3];
    assert_eq!(
        (check.index, check.action, check.table.as_str()),
        (3, ActionKind::ConditionCheck, wallets.name())
    );
    assert_eq!(check.key, r#"WalletKey { owner: "bob" }"#);
    assert!(check.message.is_some());
    assert_eq!(reasons[0].message, None);

    // Nothing was written.
    assert_eq!(wallets.get(&wkey("ada")).await.unwrap(), Some(ada));
    assert_eq!(wallets.get(&wkey("bob")).await.unwrap(), Some(frozen));
    assert_eq!(payments.get(&old.key()).await.unwrap(), Some(old));
    assert_eq!(
        payments.get(&payment("ada", 2, 0).key()).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn create_of_an_existing_item_is_already_exists_at_its_index() {
    if !supports(Capability::Transactions) {
        return;
    }
    let (wallets, payments, _) = tables("tx-create").await;
    let first = payment("ada", 7, 1);
    payments.create(&first).await.unwrap();
    let error = Transaction::new()
        .create(&wallets, &wallet("ada", 0))
        .create(&payments, &payment("ada", 6, 2))
        .create(&payments, &payment("ada", 7, 3))
        .commit()
        .await
        .unwrap_err();
    let reasons = canceled(error);
    assert_eq!(
        kinds(&reasons),
        [
            CancellationKind::None,
            CancellationKind::None,
            CancellationKind::AlreadyExists
        ]
    );
    assert_eq!(reasons[2].action, ActionKind::Create);
    assert_eq!(reasons[2].table, payments.name());
    assert_eq!(reasons[2].key, r#"PaymentKey { account: "ada", id: 7 }"#);
    assert_eq!(payments.get(&first.key()).await.unwrap(), Some(first));
    assert_eq!(wallets.get(&wkey("ada")).await.unwrap(), None);
}

#[tokio::test]
async fn stale_versions_are_version_conflicts_and_current_ones_are_bumped() {
    if !supports(Capability::Transactions) {
        return;
    }
    let (wallets, payments, _) = tables("tx-versions").await;
    let ada = stored(&wallets, wallet("ada", 500)).await;
    let bob = stored(&wallets, wallet("bob", 100)).await;
    // Someone else writes bob: version 2.
    wallets
        .put(&Wallet {
            cents: 90,
            ..bob.clone()
        })
        .await
        .unwrap();
    let f = Wallet::fields();

    let error = Transaction::new()
        .put(
            &wallets,
            &Wallet {
                cents: 400,
                ..ada.clone()
            },
        )
        .put(
            &wallets,
            &Wallet {
                cents: 200,
                ..bob.clone()
            },
        )
        .create(&payments, &payment("ada", 1, -100))
        .commit()
        .await
        .unwrap_err();
    let reasons = canceled(error);
    assert_eq!(
        kinds(&reasons),
        [
            CancellationKind::None,
            CancellationKind::VersionConflict { expected: 1 },
            CancellationKind::None
        ]
    );
    assert!(reasons[1].message.is_some());

    // An update: a stale version, a missing item, the caller's own condition.
    let error = Transaction::new()
        .update(
            wallets
                .update(wkey("bob"))
                .add(f.cents, 1)
                .expected_version(1),
        )
        .update(
            wallets
                .update(wkey("carol"))
                .add(f.cents, 1)
                .expected_version(1),
        )
        .update(
            wallets
                .update(wkey("ada"))
                .add(f.cents, -1000)
                .condition(f.cents.ge(1000))
                .expected_version(1),
        )
        .commit()
        .await
        .unwrap_err();
    assert_eq!(
        kinds(&canceled(error)),
        [
            CancellationKind::VersionConflict { expected: 1 },
            CancellationKind::NotFound,
            CancellationKind::ConditionFailed
        ]
    );
    assert_eq!(wallets.get(&wkey("ada")).await.unwrap(), Some(ada.clone()));

    // With the current versions both writes go through and store the next.
    Transaction::new()
        .put(
            &wallets,
            &Wallet {
                cents: 400,
                ..ada.clone()
            },
        )
        .update(
            wallets
                .update(wkey("bob"))
                .add(f.cents, 10)
                .expected_version(2),
        )
        .commit()
        .await
        .unwrap();
    let read = wallets
        .transact_get(&[wkey("ada"), wkey("bob")])
        .await
        .unwrap();
    let versions: Vec<_> = read
        .iter()
        .flatten()
        .map(|w| (w.cents, w.version))
        .collect();
    assert_eq!(versions, [(400, 2), (100, 3)]);
}

#[tokio::test]
async fn more_than_100_actions_are_refused_before_any_request() {
    let (_, payments, wire) = tables("tx-101").await;
    let mut transaction = Transaction::new();
    for id in 0..101 {
        transaction = transaction.put(&payments, &payment("ada", id, 1));
    }
    assert_eq!(transaction.len(), 101);
    let error = transaction.commit().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
    assert!(error.to_string().contains("101 actions"), "{error}");
    assert_eq!(wire.count("TransactWriteItems"), 0);
    assert_eq!(wire.total(), 0);
}

#[tokio::test]
async fn one_hundred_actions_commit() {
    if !supports(Capability::Transactions) {
        return;
    }
    let (wallets, payments, wire) = tables("tx-100").await;
    // 100 is DynamoDB's limit, and fine.
    let mut transaction = Transaction::new().create(&wallets, &wallet("ada", 0));
    for id in 0..99 {
        transaction = transaction.put(&payments, &payment("ada", id, 1));
    }
    transaction.commit().await.unwrap();
    assert_eq!(wire.count("TransactWriteItems"), 1);
    let keys: Vec<PaymentKey> = (0..101).map(|id| payment("ada", id, 0).key()).collect();
    assert_eq!(payments.batch_get(&keys).await.unwrap().len(), 99);
}

#[tokio::test]
async fn mistakes_are_refused_before_any_request() {
    let (wallets, payments, wire) = tables("tx-mistakes").await;
    let f = Wallet::fields();

    // Two actions on one item.
    let error = Transaction::new()
        .create(&payments, &payment("ada", 1, 1))
        .put(&wallets, &wallet("ada", 1))
        .delete(&payments, &payment("ada", 1, 0).key())
        .commit()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
    let message = error.to_string();
    assert!(message.contains("(actions 0 and 2)"), "{message}");
    assert!(
        message.contains(r#"PaymentKey { account: "ada", id: 1 }"#),
        "{message}"
    );

    // A key that cannot be encoded; an update with no action; a versioned
    // update without its version.
    let empty_key = Transaction::new()
        .create(&wallets, &wallet("ada", 1))
        .delete(&wallets, &wkey(""));
    let no_action = Transaction::new().update(wallets.update(wkey("ada")));
    let no_version = Transaction::new().update(wallets.update(wkey("ada")).add(f.cents, 1));
    for transaction in [empty_key, no_action, no_version] {
        let error = transaction.commit().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
    }

    // Tokens are 1 to 36 characters.
    for token in [String::new(), "t".repeat(37)] {
        let error = Transaction::new()
            .create(&wallets, &wallet("ada", 1))
            .client_request_token(token)
            .commit()
            .await
            .unwrap_err();
        assert!(
            error.to_string().contains("client_request_token"),
            "{error}"
        );
    }

    // Nothing to do: no request.
    Transaction::new().commit().await.unwrap();
    assert_eq!(wire.count("TransactWriteItems"), 0);
    assert_eq!(wallets.get(&wkey("ada")).await.unwrap(), None);
}

/// What can be checked on any server: the token goes out with the request,
/// and committing the same transaction again with it succeeds.
#[tokio::test]
async fn the_idempotency_token_is_sent_and_a_retry_with_it_succeeds() {
    if !supports(Capability::Transactions) {
        return;
    }
    let (_, payments, wire) = tables("tx-token").await;
    // Unconditional writes: a second application changes nothing, so the
    // test holds whether the server honours the token (DynamoDB) or not (moto).
    let commit = || {
        Transaction::new()
            .put(&payments, &payment("ada", 1, 10))
            .put(&payments, &payment("bob", 1, 10))
            .client_request_token("3f1c1c5e-token-0001")
            .commit()
    };
    commit().await.unwrap();
    commit().await.unwrap();
    let bodies = wire.bodies("TransactWriteItems");
    assert_eq!(bodies.len(), 2);
    for body in bodies {
        assert_eq!(body["ClientRequestToken"], "3f1c1c5e-token-0001");
    }
    let keys = [payment("ada", 1, 0).key(), payment("bob", 1, 0).key()];
    assert_eq!(
        payments.transact_get(&keys).await.unwrap(),
        [Some(payment("ada", 1, 10)), Some(payment("bob", 1, 10))]
    );
}

#[tokio::test]
async fn transact_get_reads_typed_items_across_tables() {
    if !supports(Capability::Transactions) {
        return;
    }
    let (wallets, payments, wire) = tables("tx-get").await;
    let ada = stored(&wallets, wallet("ada", 1)).await;
    let paid = payment("ada", 1, 1);
    payments.put(&paid).await.unwrap();

    let mut read = TransactGet::new();
    let a = read.get(&wallets, &wkey("ada"));
    let nobody = read.get(&wallets, &wkey("nobody"));
    let p = read.get(&payments, &paid.key());
    assert_eq!(read.len(), 3);
    let mut output = read.send().await.unwrap();
    assert_eq!(output.take(p).unwrap(), Some(paid));
    assert_eq!(output.take(nobody).unwrap(), None);
    assert_eq!(output.take(a).unwrap(), Some(ada.clone()));
    assert_eq!(wire.count("TransactGetItems"), 1);

    // A slot only fits the output of its own read.
    let mut other = TransactGet::new();
    let foreign = other.get(&wallets, &wkey("ada"));
    let error = TransactGet::new()
        .send()
        .await
        .unwrap()
        .take(foreign)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);

    // Limits, checked before any request.
    let keys: Vec<WalletKey> = (0..101).map(|i| wkey(&format!("w{i}"))).collect();
    let error = wallets.transact_get(&keys).await.unwrap_err();
    assert!(error.to_string().contains("101 actions"), "{error}");
    let error = wallets
        .transact_get(&[wkey("ada"), wkey("ada")])
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
    assert_eq!(wire.count("TransactGetItems"), 1);
    // DynamoDB takes 100 gets; moto still has the old limit of 25, so the
    // largest read sent here is 25 (the client's check is DynamoDB's 100).
    assert_eq!(
        wallets.transact_get(&keys[..25]).await.unwrap(),
        vec![None; 25]
    );
    assert_eq!(wallets.transact_get(&[]).await.unwrap(), Vec::new());
    assert_eq!(wire.count("TransactGetItems"), 2);
}

/// Lambda handlers run on a multi-threaded runtime: the futures must be `Send`.
#[test]
fn transaction_futures_are_send() {
    fn send<F: std::future::Future + Send>(_: F) {}
    let wallets = TableClient::<Wallet>::shared();
    send(Transaction::new().put(&wallets, &wallet("a", 1)).commit());
    let mut read = TransactGet::new();
    let _slot = read.get(&wallets, &wkey("a"));
    send(read.send());
    send(wallets.transact_get(&[]));
}
