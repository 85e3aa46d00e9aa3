//! The table over HTTP: `User::http_handler()` on `lambda_http`.

use std::marker::PhantomData;

use crate::TableClient;

/// A `lambda_http` service serving one table.
#[derive(Debug)]
pub struct HttpHandler<T> {
    table: TableClient<T>,
    _item: PhantomData<T>,
}

impl<T> HttpHandler<T> {
    /// A handler serving `table`.
    pub fn new(table: TableClient<T>) -> Self {
        HttpHandler {
            table,
            _item: PhantomData,
        }
    }
}
