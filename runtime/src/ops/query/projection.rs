//! Reading one item's selected attributes into a partial view.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use super::Projected;
use crate::model::error::Error;
use crate::model::item::{Key, Table};
use crate::ops::expression::Placeholders;
use crate::ops::table::TableClient;
use crate::ops::table::decode;

impl<T: Table> TableClient<T> {
    /// Reads the attributes of `W` of the item with `key`, decoded as a `W`;
    /// `Ok(None)` when there is no such item. `W` may be `T` itself: it is
    /// then read only if every attribute it needs (all but `default` ones)
    /// is there, else [`Error::Decode`] names the missing one.
    pub fn get_projected<'a, W: Projected>(&self, key: &'a T::Key) -> GetProjected<'a, T, W> {
        GetProjected {
            table: self.clone(),
            key,
            consistent_read: false,
            output: PhantomData,
        }
    }
}

/// A pending [`TableClient::get_projected`]; `.await` it.
#[must_use = "a get does nothing until it is awaited"]
pub struct GetProjected<'a, T: Table, W> {
    table: TableClient<T>,
    key: &'a T::Key,
    consistent_read: bool,
    output: PhantomData<fn() -> W>,
}

impl<T: Table, W> fmt::Debug for GetProjected<'_, T, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetProjected")
            .field("table", &self.table.name())
            .field("key", self.key)
            .field("output", &std::any::type_name::<W>())
            .field("consistent_read", &self.consistent_read)
            .finish()
    }
}

impl<T: Table, W> GetProjected<'_, T, W> {
    /// Reads with strong consistency.
    pub fn consistent_read(mut self) -> Self {
        self.consistent_read = true;
        self
    }
}

impl<'a, T, W> IntoFuture for GetProjected<'a, T, W>
where
    T: Table + 'a,
    W: Projected + Send + 'a,
{
    type Output = Result<Option<W>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let key = self.key.to_key().map_err(Error::encode)?;
            let mut placeholders = Placeholders::default();
            let projection = (!W::ATTRIBUTES.is_empty()).then(|| {
                W::ATTRIBUTES
                    .iter()
                    .map(|a| placeholders.name(a))
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            let (names, _) = placeholders.into_maps();
            let name = self.table.name();
            let output = self
                .table
                .client()
                .await
                .get_item()
                .table_name(name)
                .set_key(Some(key))
                .set_projection_expression(projection)
                .set_expression_attribute_names(names)
                .set_consistent_read(self.consistent_read.then_some(true))
                .send()
                .await
                .map_err(|e| Error::from_sdk(e, name))?;
            decode(output.item)
        })
    }
}
