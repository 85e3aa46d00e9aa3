//! Keeps the `UserAudit` table (`schemas/user-audit.yaml`) in step with the
//! `Users` table's stream: one audit item per change of a user.

use dynamo_lambda::stream::{Change, ChangeKind};
use dynamo_lambda::{Attribute, Error, TableClient, dynamo_lambda};
use users_example::User;

/// One change of a user, as the audit keeps it.
#[dynamo_lambda(schema = "../../schemas/user-audit.yaml")]
#[derive(Debug, Clone, PartialEq)]
pub struct UserAudit {
    /// The user changed.
    pub user_id: String,
    /// The stream record's sequence number, zero-padded to 40 digits.
    pub sequence_number: String,
    /// The stream record's id.
    pub event_id: String,
    /// What happened.
    pub action: Action,
    /// The name before the change, when there was a user.
    pub name_before: Option<String>,
    /// The name after the change, when there still is a user.
    pub name_after: Option<String>,
    /// The e-mail address before the change.
    pub email_before: Option<String>,
    /// The e-mail address after the change.
    pub email_after: Option<String>,
    /// About when the change was made, in epoch seconds.
    pub changed_at: Option<u64>,
}

/// What happened to a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Attribute)]
pub enum Action {
    /// The user was created.
    Created,
    /// The user was changed.
    Updated,
    /// The user was deleted by a request.
    Deleted,
    /// DynamoDB's time to live deleted the user.
    Expired,
}

/// Sequence numbers are decimal strings of up to 40 digits.
const SEQUENCE_DIGITS: usize = 40;

impl UserAudit {
    /// The audit item of one change; fails for a record without a sequence
    /// number, which the stream always sends.
    pub fn of(change: &Change<User>) -> Result<Self, Error> {
        let sequence_number = change
            .sequence_number()
            .ok_or_else(|| Error::validation("SequenceNumber", "the stream record has none"))?;
        let action = match change.kind() {
            ChangeKind::Insert => Action::Created,
            ChangeKind::Modify => Action::Updated,
            ChangeKind::Remove if change.is_expired() => Action::Expired,
            ChangeKind::Remove => Action::Deleted,
        };
        let (old, new) = (change.old_image(), change.new_image());
        Ok(UserAudit {
            user_id: change.key().id.clone(),
            sequence_number: format!("{sequence_number:0>SEQUENCE_DIGITS$}"),
            event_id: change.event_id().to_owned(),
            action,
            name_before: old.map(|user| user.name.clone()),
            name_after: new.map(|user| user.name.clone()),
            email_before: old.and_then(|user| user.email.clone()),
            email_after: new.and_then(|user| user.email.clone()),
            changed_at: change
                .approximate_creation_time()
                .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|elapsed| elapsed.as_secs()),
        })
    }
}

/// Writes the audit item of `change` unless it is there already: Lambda
/// delivers a record again after a failure, and the second delivery must
/// not add a second item.
pub async fn record(audit: &TableClient<UserAudit>, change: Change<User>) -> Result<(), Error> {
    let entry = UserAudit::of(&change)?;
    match audit.create(&entry).await {
        Ok(()) | Err(Error::AlreadyExists { .. }) => Ok(()),
        Err(error) => Err(error),
    }
}
