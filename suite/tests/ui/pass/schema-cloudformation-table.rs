use dynamo_lambda::{Billing, Capacity, KeyType, Projection, Table, dynamo_lambda};

// template.yaml: UsersTable's name is `!Sub "${AWS::StackName}-users"`, so
// code names the table itself.
#[dynamo_lambda(schema = "schemas/template.yaml#UsersTable", table = "Users")]
pub struct User {
    pub id: String,
}

// SessionsTable: a literal name, provisioned billing, a keys-only global
// index on the sort key, and time to live.
#[dynamo_lambda(schema = "schemas/template.yaml#SessionsTable", table_env = "SESSIONS")]
pub struct Session {
    pub user_id: String,
    pub session_id: String,
    pub expires_at: u64,
}

fn main() {
    let users = <User as Table>::DEFINITION;
    assert_eq!(users.name, "Users");
    assert_eq!(users.name_env, "USERS_TABLE_NAME");
    assert_eq!(users.partition_key.attribute, "id");
    assert_eq!(users.partition_key.key_type, KeyType::S);
    assert!(users.sort_key.is_none());
    assert!(users.global_indexes.is_empty());
    assert_eq!(users.billing, Billing::OnDemand);

    let sessions = <Session as Table>::DEFINITION;
    assert_eq!(sessions.name, "Sessions");
    assert_eq!(sessions.name_env, "SESSIONS");
    assert_eq!(sessions.sort_key.unwrap().attribute, "session_id");
    let [by_session] = sessions.global_indexes else {
        panic!("{:?}", sessions.global_indexes);
    };
    assert_eq!(by_session.name, "by_session");
    assert_eq!(by_session.partition_key.attribute, "session_id");
    assert_eq!(by_session.projection, Projection::KeysOnly);
    assert_eq!(by_session.capacity, Some(Capacity { read: 1, write: 1 }));
    assert_eq!(
        sessions.billing,
        Billing::Provisioned(Capacity { read: 2, write: 2 })
    );
    assert_eq!(sessions.ttl_attribute, Some("expires_at"));
}
