//! The table's DynamoDB Streams events: `User::stream_handler(...)`.

use std::marker::PhantomData;

/// A Lambda handler for DynamoDB Streams events of one table.
#[derive(Debug)]
pub struct StreamHandler<T, F> {
    on_change: F,
    _item: PhantomData<fn() -> T>,
}

impl<T, F> StreamHandler<T, F> {
    /// A handler calling `on_change` for each record.
    pub fn new(on_change: F) -> Self {
        StreamHandler {
            on_change,
            _item: PhantomData,
        }
    }
}
