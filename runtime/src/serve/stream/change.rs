//! One stream record decoded into the table's types.

use std::fmt;
use std::time::SystemTime;

use aws_lambda_events::event::dynamodb::{EventRecord, StreamViewType};

use crate::model::definition::StreamView;
use crate::model::error::AttributeError;
use crate::model::item::{Attributes, Item, Key, Table};

/// One record of a table's stream: what happened to which item, with the
/// images the stream's view type carries, and where the record sits in the
/// stream.
///
/// Match on [`Change::operation`], or use the accessors:
///
/// ```no_run
/// # use dynamo_lambda::dynamo_lambda;
/// # #[dynamo_lambda(table = "Users", partition_key = "id")]
/// # #[derive(Debug)]
/// # pub struct User { pub id: String, pub name: String }
/// use dynamo_lambda::stream::{Change, Operation};
///
/// async fn on_change(change: Change<User>) -> Result<(), dynamo_lambda::Error> {
///     match &change.operation {
///         Operation::Insert { new: Some(user), .. } => println!("welcome {}", user.name),
///         Operation::Remove { key, expired: true, .. } => println!("{} expired", key.id),
///         _ => {}
///     }
///     println!("at {:?}", change.sequence_number());
///     Ok(())
/// }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Change<T: Table> {
    /// What happened to the item.
    pub operation: Operation<T>,
    /// The record's identity and place in the stream.
    pub record: RecordInfo,
}

/// What happened to an item, with its key and images.
///
/// An image is `None` when the stream's view type does not carry it:
/// `KEYS_ONLY` carries none, `NEW_IMAGE` only `new`, `OLD_IMAGE` only `old`,
/// `NEW_AND_OLD_IMAGES` both.
#[derive(Debug)]
pub enum Operation<T: Table> {
    /// A new item was written.
    Insert {
        /// Its key.
        key: T::Key,
        /// The item written.
        new: Option<T>,
    },
    /// An existing item was replaced or updated.
    Modify {
        /// Its key.
        key: T::Key,
        /// The item before the change.
        old: Option<T>,
        /// The item after the change.
        new: Option<T>,
    },
    /// An item was deleted.
    Remove {
        /// Its key.
        key: T::Key,
        /// The item deleted.
        old: Option<T>,
        /// Whether DynamoDB's time to live deleted it, not a request.
        expired: bool,
    },
}

impl<T> Clone for Change<T>
where
    T: Table + Clone,
    T::Key: Clone,
{
    fn clone(&self) -> Self {
        Change {
            operation: self.operation.clone(),
            record: self.record.clone(),
        }
    }
}

impl<T> PartialEq for Change<T>
where
    T: Table + PartialEq,
    T::Key: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        self.operation == other.operation && self.record == other.record
    }
}

impl<T> Clone for Operation<T>
where
    T: Table + Clone,
    T::Key: Clone,
{
    fn clone(&self) -> Self {
        match self {
            Operation::Insert { key, new } => Operation::Insert {
                key: key.clone(),
                new: new.clone(),
            },
            Operation::Modify { key, old, new } => Operation::Modify {
                key: key.clone(),
                old: old.clone(),
                new: new.clone(),
            },
            Operation::Remove { key, old, expired } => Operation::Remove {
                key: key.clone(),
                old: old.clone(),
                expired: *expired,
            },
        }
    }
}

impl<T> PartialEq for Operation<T>
where
    T: Table + PartialEq,
    T::Key: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Operation::Insert { key: k1, new: n1 }, Operation::Insert { key: k2, new: n2 }) => {
                k1 == k2 && n1 == n2
            }
            (
                Operation::Modify {
                    key: k1,
                    old: o1,
                    new: n1,
                },
                Operation::Modify {
                    key: k2,
                    old: o2,
                    new: n2,
                },
            ) => k1 == k2 && o1 == o2 && n1 == n2,
            (
                Operation::Remove {
                    key: k1,
                    old: o1,
                    expired: e1,
                },
                Operation::Remove {
                    key: k2,
                    old: o2,
                    expired: e2,
                },
            ) => k1 == k2 && o1 == o2 && e1 == e2,
            _ => false,
        }
    }
}

/// The kind of an [`Operation`], without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// [`Operation::Insert`]
    Insert,
    /// [`Operation::Modify`]
    Modify,
    /// [`Operation::Remove`]
    Remove,
}

impl ChangeKind {
    /// DynamoDB's `eventName`: `INSERT`, `MODIFY` or `REMOVE`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Insert => "INSERT",
            ChangeKind::Modify => "MODIFY",
            ChangeKind::Remove => "REMOVE",
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stream record's identity and place in the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordInfo {
    /// The record's unique id (`eventID`).
    pub event_id: String,
    /// The record's sequence number, the `itemIdentifier` of a batch item
    /// failure; records of one item are in sequence-number order.
    pub sequence_number: Option<String>,
    /// About when the change was made (DynamoDB rounds it to the second).
    pub approximate_creation_time: Option<SystemTime>,
    /// What the stream's records carry, as the record says.
    pub view_type: Option<StreamView>,
    /// The stream's ARN (`eventSourceARN`).
    pub event_source_arn: Option<String>,
    /// The region of the table.
    pub aws_region: String,
    /// The size of the record in bytes.
    pub size_bytes: i64,
}

impl<T: Table> Change<T> {
    /// Decodes one record of `T`'s stream with the generated conversion.
    ///
    /// Fails when the record comes from another table's stream than
    /// [`Table::table_name`]'s, has an
    /// unknown `eventName`, or its key or an image does not decode as `T`.
    pub fn from_record(record: EventRecord) -> Result<Self, RecordError> {
        Self::from_record_of(record, T::table_name())
    }

    /// Decodes one record of the stream of table `table_name`.
    pub(crate) fn from_record_of(
        record: EventRecord,
        table_name: &str,
    ) -> Result<Self, RecordError> {
        check_source(&record, table_name)?;
        let kind = match record.event_name.as_str() {
            "INSERT" => ChangeKind::Insert,
            "MODIFY" => ChangeKind::Modify,
            "REMOVE" => ChangeKind::Remove,
            _ => {
                return Err(RecordError::UnknownEventName {
                    event_name: record.event_name,
                });
            }
        };
        let expired = kind == ChangeKind::Remove
            && record.user_identity.as_ref().is_some_and(|identity| {
                identity.type_ == "Service" && identity.principal_id == "dynamodb.amazonaws.com"
            });
        let stream = record.change;
        let view_type = stream.stream_view_type.as_ref().and_then(view_type);
        let (carries_new, carries_old) = match view_type {
            Some(StreamView::KeysOnly) => (false, false),
            Some(StreamView::NewImage) => (true, false),
            Some(StreamView::OldImage) => (false, true),
            Some(StreamView::NewAndOldImages) | None => (true, true),
        };
        let key = T::Key::from_key(stream.keys.into())
            .map_err(|source| RecordError::decode(RecordPart::Keys, source))?;
        let new = || -> Result<Option<T>, RecordError> {
            image(carries_new, stream.new_image.into(), RecordPart::NewImage)
        };
        let old = || -> Result<Option<T>, RecordError> {
            image(carries_old, stream.old_image.into(), RecordPart::OldImage)
        };
        let operation = match kind {
            ChangeKind::Insert => Operation::Insert { key, new: new()? },
            ChangeKind::Modify => Operation::Modify {
                key,
                old: old()?,
                new: new()?,
            },
            ChangeKind::Remove => Operation::Remove {
                key,
                old: old()?,
                expired,
            },
        };
        // Absent in the event, the time reads as the epoch.
        let created = SystemTime::from(stream.approximate_creation_date_time);
        let record = RecordInfo {
            event_id: record.event_id,
            sequence_number: stream.sequence_number,
            approximate_creation_time: (created != SystemTime::UNIX_EPOCH).then_some(created),
            view_type,
            event_source_arn: record.event_source_arn,
            aws_region: record.aws_region,
            size_bytes: stream.size_bytes,
        };
        Ok(Change { operation, record })
    }

    /// Insert, modify or remove.
    pub fn kind(&self) -> ChangeKind {
        match self.operation {
            Operation::Insert { .. } => ChangeKind::Insert,
            Operation::Modify { .. } => ChangeKind::Modify,
            Operation::Remove { .. } => ChangeKind::Remove,
        }
    }

    /// The key of the item changed.
    pub fn key(&self) -> &T::Key {
        match &self.operation {
            Operation::Insert { key, .. }
            | Operation::Modify { key, .. }
            | Operation::Remove { key, .. } => key,
        }
    }

    /// The item after the change: `None` for a removal or when the stream
    /// carries no new images.
    pub fn new_image(&self) -> Option<&T> {
        match &self.operation {
            Operation::Insert { new, .. } | Operation::Modify { new, .. } => new.as_ref(),
            Operation::Remove { .. } => None,
        }
    }

    /// The item before the change: `None` for an insert or when the stream
    /// carries no old images.
    pub fn old_image(&self) -> Option<&T> {
        match &self.operation {
            Operation::Modify { old, .. } | Operation::Remove { old, .. } => old.as_ref(),
            Operation::Insert { .. } => None,
        }
    }

    /// The images, moved out: `(old, new)`.
    pub fn into_images(self) -> (Option<T>, Option<T>) {
        match self.operation {
            Operation::Insert { new, .. } => (None, new),
            Operation::Modify { old, new, .. } => (old, new),
            Operation::Remove { old, .. } => (old, None),
        }
    }

    /// Whether this is a deletion by DynamoDB's time to live.
    pub fn is_expired(&self) -> bool {
        matches!(self.operation, Operation::Remove { expired: true, .. })
    }

    /// The record's sequence number.
    pub fn sequence_number(&self) -> Option<&str> {
        self.record.sequence_number.as_deref()
    }

    /// The record's unique id.
    pub fn event_id(&self) -> &str {
        &self.record.event_id
    }

    /// About when the change was made.
    pub fn approximate_creation_time(&self) -> Option<SystemTime> {
        self.record.approximate_creation_time
    }
}

fn image<T: Item>(
    carried: bool,
    attributes: Attributes,
    part: RecordPart,
) -> Result<Option<T>, RecordError> {
    if !carried || attributes.is_empty() {
        return Ok(None);
    }
    T::from_item(attributes)
        .map(Some)
        .map_err(|source| RecordError::decode(part, source))
}

fn view_type(view: &StreamViewType) -> Option<StreamView> {
    match view {
        StreamViewType::KeysOnly => Some(StreamView::KeysOnly),
        StreamViewType::NewImage => Some(StreamView::NewImage),
        StreamViewType::OldImage => Some(StreamView::OldImage),
        StreamViewType::NewAndOldImages => Some(StreamView::NewAndOldImages),
        _ => None,
    }
}

/// The record must come from the stream of the table in use: its
/// `eventSourceARN` is `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>`.
/// A record without one (a hand-made event) is taken as it is.
fn check_source(record: &EventRecord, expected: &str) -> Result<(), RecordError> {
    let found = match (&record.event_source_arn, &record.table_name) {
        (Some(arn), _) => table_of_stream_arn(arn).ok_or_else(|| RecordError::OtherTable {
            expected: expected.to_owned(),
            event_source: arn.clone(),
        })?,
        (None, Some(table_name)) => table_name,
        (None, None) => return Ok(()),
    };
    if found == expected {
        Ok(())
    } else {
        Err(RecordError::OtherTable {
            expected: expected.to_owned(),
            event_source: record
                .event_source_arn
                .clone()
                .unwrap_or_else(|| found.to_owned()),
        })
    }
}

fn table_of_stream_arn(arn: &str) -> Option<&str> {
    let resource = arn.splitn(6, ':').nth(5)?;
    let rest = resource.strip_prefix("table/")?;
    let (name, _) = rest.split_once("/stream/")?;
    Some(name)
}

/// Which part of a stream record failed to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordPart {
    /// The key attributes (`dynamodb.Keys`).
    Keys,
    /// The item after the change (`dynamodb.NewImage`).
    NewImage,
    /// The item before the change (`dynamodb.OldImage`).
    OldImage,
}

impl fmt::Display for RecordPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordPart::Keys => "Keys",
            RecordPart::NewImage => "NewImage",
            RecordPart::OldImage => "OldImage",
        })
    }
}

/// A stream record that cannot become a [`Change`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The key or an image does not fit the table's types.
    #[error("cannot decode {part}: {error}")]
    Decode {
        /// The part of the record at fault.
        part: RecordPart,
        /// Which attribute, and what is wrong with it.
        error: AttributeError,
    },
    /// The record comes from another table's stream.
    #[error("record of `{event_source}`, not of table `{expected}`")]
    OtherTable {
        /// The table the handler serves.
        expected: String,
        /// The record's `eventSourceARN` (or its `tableName`).
        event_source: String,
    },
    /// The `eventName` is none of `INSERT`, `MODIFY`, `REMOVE`.
    #[error("unknown eventName `{event_name}`")]
    UnknownEventName {
        /// The name found.
        event_name: String,
    },
}

impl RecordError {
    fn decode(part: RecordPart, error: AttributeError) -> Self {
        RecordError::Decode { part, error }
    }
}

#[cfg(test)]
mod tests {
    use super::table_of_stream_arn;

    #[test]
    fn table_names_of_stream_arns() {
        assert_eq!(
            table_of_stream_arn(
                "arn:aws:dynamodb:us-east-1:123456789012:table/Example-Table/stream/2016-12-01T00:00:00.000"
            ),
            Some("Example-Table")
        );
        assert_eq!(
            table_of_stream_arn("arn:aws:dynamodb:us-east-1:1:table/a.b_c/stream/x:y"),
            Some("a.b_c")
        );
        assert_eq!(
            table_of_stream_arn("arn:aws:kinesis:us-east-1:1:stream/s"),
            None
        );
        assert_eq!(table_of_stream_arn("Users"), None);
    }
}
