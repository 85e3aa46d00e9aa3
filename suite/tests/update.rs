//! Typed updates, conditions and optimistic locking against the local server.

use std::collections::BTreeSet;

use dynamo_lambda::{Attribute, Error, ErrorKind, TableClient, dynamo_lambda};
use dynamo_lambda_suite::{Wire, fresh_table};

#[derive(Debug, Clone, PartialEq, Attribute)]
struct Profile {
    bio: String,
}

#[dynamo_lambda(table = "Accounts", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Account {
    id: String,
    name: String,
    nickname: Option<String>,
    balance: i64,
    tags: BTreeSet<String>,
    history: Vec<String>,
    profile: Option<Profile>,
    #[dynamo(version)]
    version: u64,
}

fn account(id: &str) -> Account {
    Account {
        id: id.into(),
        name: "Ada".into(),
        nickname: Some("ada".into()),
        balance: 100,
        tags: ["a".to_string(), "b".to_string()].into(),
        history: vec!["opened".into()],
        profile: None,
        version: 0,
    }
}

fn key(id: &str) -> AccountKey {
    AccountKey { id: id.into() }
}

#[tokio::test]
async fn every_action_applies_and_the_new_item_comes_back() {
    let accounts = fresh_table::<Account>("update-actions").await;
    let mut item = account("a1");
    accounts.save(&mut item).await.unwrap();
    assert_eq!(item.version, 1);
    let f = Account::fields();
    let updated = accounts
        .update(key("a1"))
        .set(f.name, "Ada L.")
        .remove(f.nickname)
        .add(f.balance, -30)
        .add(f.tags, BTreeSet::from(["c".to_string()]))
        .append(f.history, vec!["renamed".into()])
        .set_if_absent(
            f.profile,
            Profile {
                bio: "first".into(),
            },
        )
        .expected_version(1)
        .await
        .unwrap();
    // One update may not touch a path twice (DynamoDB refuses overlapping paths).
    let updated = accounts
        .update(key("a1"))
        .delete_from(f.tags, BTreeSet::from(["a".to_string()]))
        .expected_version(updated.version)
        .await
        .unwrap();
    assert_eq!(
        updated,
        Account {
            name: "Ada L.".into(),
            nickname: None,
            balance: 70,
            tags: ["b".to_string(), "c".to_string()].into(),
            history: vec!["opened".into(), "renamed".into()],
            profile: Some(Profile {
                bio: "first".into()
            }),
            version: 3,
            ..account("a1")
        }
    );
    // set_if_absent leaves a present attribute alone.
    let again = accounts
        .update(key("a1"))
        .set_if_absent(
            f.profile,
            Profile {
                bio: "second".into(),
            },
        )
        .expected_version(3)
        .await
        .unwrap();
    assert_eq!(
        again.profile,
        Some(Profile {
            bio: "first".into()
        })
    );
    assert_eq!(accounts.get(&key("a1")).await.unwrap(), Some(again));
}

#[tokio::test]
async fn return_old_gives_the_item_before() {
    let accounts = fresh_table::<Account>("update-old").await;
    accounts.create(&account("a1")).await.unwrap();
    let old = accounts
        .update(key("a1"))
        .add(Account::fields().balance, 5)
        .expected_version(1)
        .return_old()
        .await
        .unwrap();
    assert_eq!(old.map(|a| (a.balance, a.version)), Some((100, 1)));
}

#[tokio::test]
async fn update_of_a_missing_item_is_not_found_unless_upsert() {
    let accounts = fresh_table::<Account>("update-missing").await;
    let f = Account::fields();
    let error = accounts
        .update(key("ghost"))
        .set(f.name, "x")
        .expected_version(0)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound, "{error}");
    assert_eq!(accounts.get(&key("ghost")).await.unwrap(), None);
}

#[tokio::test]
async fn a_complete_upsert_creates_the_missing_item_and_returns_it() {
    let accounts = fresh_table::<Account>("upsert-complete").await;
    let f = Account::fields();
    let created = accounts
        .update(key("new"))
        .set(f.name, "Ada")
        .add(f.balance, 5)
        .append(f.history, vec!["opened".into()])
        .expected_version(0)
        .upsert()
        .await
        .unwrap();
    let expected = Account {
        id: "new".into(),
        name: "Ada".into(),
        nickname: None,
        balance: 5,
        tags: BTreeSet::new(),
        history: vec!["opened".into()],
        profile: None,
        version: 1,
    };
    assert_eq!(created, expected);
    assert_eq!(accounts.get(&key("new")).await.unwrap(), Some(expected));
}

#[tokio::test]
async fn an_incomplete_upsert_of_a_missing_item_names_what_it_lacks_and_writes_nothing() {
    let accounts = fresh_table::<Account>("upsert-incomplete").await;
    let f = Account::fields();
    let error = accounts
        .update(key("ghost"))
        .set(f.nickname, "x")
        .expected_version(0)
        .upsert()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
    let Error::Validation {
        attribute: Some(attribute),
        message,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(attribute, "name");
    assert!(
        message.ends_with("does not set `name`, `balance`, `history`"),
        "{message}"
    );
    assert_eq!(accounts.get(&key("ghost")).await.unwrap(), None);

    // On an existing item the same upsert is an ordinary update.
    let mut item = account("a1");
    accounts.save(&mut item).await.unwrap();
    let updated = accounts
        .update(key("a1"))
        .set(f.nickname, "x")
        .expected_version(1)
        .upsert()
        .await
        .unwrap();
    assert_eq!(updated.nickname.as_deref(), Some("x"));
    assert_eq!(updated.version, 2);
}

#[tokio::test]
async fn versions_guard_put_and_update() {
    let accounts = fresh_table::<Account>("versions").await;
    let mut first = account("a1");
    accounts.create(&first).await.unwrap();
    first.version = 1;
    let mut second = first.clone();

    accounts.save(&mut first).await.unwrap();
    assert_eq!(first.version, 2);

    // `second` was read at version 1: its write is stale.
    second.name = "stale".into();
    let error = accounts.save(&mut second).await.unwrap_err();
    assert!(
        matches!(&error, Error::VersionConflict { expected: 1, .. }),
        "{error:?}"
    );
    assert_eq!(second.version, 1);
    let error = accounts
        .update(key("a1"))
        .set(Account::fields().name, "stale")
        .expected_version(1)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::VersionConflict, "{error}");
    assert_eq!(accounts.get(&key("a1")).await.unwrap().unwrap().name, "Ada");

    // An update must say which version it read.
    let error = accounts
        .update(key("a1"))
        .set(Account::fields().name, "x")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Validation { attribute: Some(a), .. } if a == "version"),
        "{error:?}"
    );

    // A new item (version 0) cannot overwrite an existing one.
    let error = accounts.put(&account("a1")).await.unwrap_err();
    assert!(
        matches!(&error, Error::VersionConflict { expected: 0, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn conditions_guard_updates() {
    let accounts = fresh_table::<Account>("conditions").await;
    accounts.create(&account("a1")).await.unwrap();
    let f = Account::fields();
    let error = accounts
        .update(key("a1"))
        .add(f.balance, -500)
        .condition(f.balance.ge(500))
        .expected_version(1)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ConditionFailed, "{error}");
    let ok = accounts
        .update(key("a1"))
        .add(f.balance, -50)
        .condition(
            f.balance
                .ge(50)
                .and(f.tags.contains("a"))
                .and(f.name.begins_with("A")),
        )
        .expected_version(1)
        .await
        .unwrap();
    assert_eq!(ok.balance, 50);
}

#[tokio::test]
async fn an_empty_update_is_refused() {
    let accounts = fresh_table::<Account>("empty-update").await;
    let error = accounts
        .update(key("a1"))
        .expected_version(1)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
}

/// Two actions on one attribute overlap, which DynamoDB refuses without
/// naming it: the update names it and sends nothing.
#[tokio::test]
async fn two_actions_on_one_attribute_are_refused_naming_it() {
    let accounts = fresh_table::<Account>("overlapping-update").await;
    let (client, wire) = Wire::attach(accounts.client().await);
    let accounts = TableClient::<Account>::new(client, accounts.name().to_owned());
    let f = Account::fields();
    let cases = [
        accounts.update(key("a1")).set(f.name, "A").set(f.name, "B"),
        accounts
            .update(key("a1"))
            .set(f.nickname, "x")
            .remove(f.nickname),
        accounts
            .update(key("a1"))
            .add(f.balance, 1)
            .set(f.balance, 2),
        accounts
            .update(key("a1"))
            .append(f.history, vec!["x".into()])
            .set_if_absent(f.history, vec![]),
    ];
    let expected = ["name", "nickname", "balance", "history"];
    for (update, attribute) in cases.into_iter().zip(expected) {
        match update.upsert().await.unwrap_err() {
            Error::Validation {
                attribute: Some(name),
                message,
            } => {
                assert_eq!(name, attribute);
                assert!(message.contains("two actions"), "{message}");
            }
            other => panic!("expected a validation error naming {attribute}, got {other:?}"),
        }
    }
    assert_eq!(wire.total(), 0);
}

/// An empty set is stored as nothing: adding or deleting one is no action,
/// and leaves no name or value in the request (DynamoDB refuses unused
/// ones; moto accepted them, so only the stricter server showed it).
#[tokio::test]
async fn empty_sets_add_and_delete_nothing_and_leave_no_placeholder() {
    let table = fresh_table::<Account>("update-empty-set").await;
    let (client, wire) = Wire::attach(table.client().await);
    let accounts = TableClient::<Account>::new(client, table.name().to_owned());
    let mut item = account("a1");
    accounts.save(&mut item).await.unwrap();
    let f = Account::fields();
    let updated = accounts
        .update(key("a1"))
        .add(f.tags, BTreeSet::new())
        .set(f.name, "Ada L.")
        .delete_from(f.tags, BTreeSet::new())
        .append(f.history, Vec::new())
        .expected_version(1)
        .await
        .unwrap();
    assert_eq!(
        updated,
        Account {
            name: "Ada L.".into(),
            version: 2,
            ..account("a1")
        }
    );
    let body = &wire.bodies("UpdateItem")[0];
    let names: BTreeSet<&str> = body["ExpressionAttributeNames"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|name| name.as_str())
        .collect();
    assert!(!names.contains("tags"), "{body}");

    // With nothing else to do, it is an empty update: refused, not sent.
    let error = accounts
        .update(key("a1"))
        .add(f.tags, BTreeSet::new())
        .expected_version(2)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
    assert_eq!(wire.count("UpdateItem"), 1);
}

/// Names and values that would break an expression spliced together as text.
#[dynamo_lambda(table = "Hostile", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Hostile {
    id: String,
    #[dynamo(rename = "name")]
    reserved: String,
    #[dynamo(rename = "#n0")]
    hash: String,
    #[dynamo(rename = ":v0")]
    colon: i64,
    #[dynamo(rename = "a b, c = d")]
    spaced: String,
    #[dynamo(rename = "ünï cödé ✓")]
    unicode: Option<String>,
    #[dynamo(rename = "size")]
    size: BTreeSet<String>,
}

#[tokio::test]
async fn hostile_names_and_values_go_through_placeholders() {
    let table = fresh_table::<Hostile>("hostile").await;
    let item = Hostile {
        id: "h1".into(),
        reserved: "SET #x = :y".into(),
        hash: "#n0".into(),
        colon: 1,
        spaced: "REMOVE name".into(),
        unicode: Some(") OR attribute_exists(id".into()),
        size: ["x".to_string()].into(),
    };
    table.create(&item).await.unwrap();
    let f = Hostile::fields();
    let updated = table
        .update(key_h("h1"))
        .set(f.reserved, "value with , and = and :v1")
        .set(f.hash, ":v0")
        .add(f.colon, 41)
        .set(f.spaced, "#n1")
        .remove(f.unicode)
        .add(f.size, BTreeSet::from(["y, z".to_string()]))
        .condition(
            f.hash
                .eq("#n0")
                .and(f.spaced.eq("REMOVE name"))
                .and(f.colon.between(0, 1)),
        )
        .await
        .unwrap();
    assert_eq!(updated.reserved, "value with , and = and :v1");
    assert_eq!(updated.hash, ":v0");
    assert_eq!(updated.colon, 42);
    assert_eq!(updated.spaced, "#n1");
    assert_eq!(updated.unicode, None);
    assert_eq!(updated.size, ["x".to_string(), "y, z".to_string()].into());
    assert_eq!(table.get(&key_h("h1")).await.unwrap(), Some(updated));
}

fn key_h(id: &str) -> HostileKey {
    HostileKey { id: id.into() }
}

#[dynamo_lambda(table = "Sessions", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Session {
    id: String,
    #[dynamo(ttl)]
    expires_at: Option<u64>,
}

#[tokio::test]
async fn expired_items_can_be_skipped_on_read() {
    use dynamo_lambda::Table;
    assert_eq!(Session::DEFINITION.ttl_attribute, Some("expires_at"));
    let sessions = fresh_table::<Session>("ttl").await;
    let past = Session {
        id: "old".into(),
        expires_at: Some(1_000),
    };
    let future = Session {
        id: "new".into(),
        expires_at: Some(4_000_000_000),
    };
    let forever = Session {
        id: "forever".into(),
        expires_at: None,
    };
    for s in [&past, &future, &forever] {
        sessions.put(s).await.unwrap();
    }
    // DynamoDB deletes lazily: a plain read still sees the expired item.
    assert_eq!(sessions.get(&past.key()).await.unwrap(), Some(past.clone()));
    assert_eq!(
        sessions.get(&past.key()).skip_expired().await.unwrap(),
        None
    );
    assert_eq!(
        sessions.get(&future.key()).skip_expired().await.unwrap(),
        Some(future)
    );
    assert_eq!(
        sessions.get(&forever.key()).skip_expired().await.unwrap(),
        Some(forever)
    );
}
