//! Typed handles on a struct's stored attributes, for conditions, updates
//! and filters: `User::fields().age` is an `Attr<User, u32>`.
//!
//! The third type parameter says what an update may do with the attribute:
//! set it ([`Required`]), also remove it ([`Optional`]), or nothing at all
//! ([`KeyField`], [`VersionField`]). Conditions and filters take any of them.

use std::fmt;
use std::marker::PhantomData;

/// Marks a field that is always present.
#[derive(Debug, Clone, Copy)]
pub enum Required {}

/// Marks an `Option` field, which may be absent (and may be removed).
#[derive(Debug, Clone, Copy)]
pub enum Optional {}

/// Marks a key attribute (the table's partition or sort key): it names the
/// item, so conditions may test it but an update cannot change it.
#[derive(Debug, Clone, Copy)]
pub enum KeyField {}

/// Marks the `#[dynamo(version)]` attribute: an update writes it itself,
/// from [`Update::expected_version`](crate::Update::expected_version).
#[derive(Debug, Clone, Copy)]
pub enum VersionField {}

/// The attributes an update may change: [`Required`] and [`Optional`] ones,
/// not a [`KeyField`] or the [`VersionField`].
#[diagnostic::on_unimplemented(
    message = "an update cannot change a key or version attribute",
    label = "this attribute is a `{Self}`",
    note = "a key names the item: to change it, put the item under the new key and delete the old one",
    note = "the version attribute is written by the update itself: pass the version read with `.expected_version(v)`"
)]
pub trait Updatable {}

impl Updatable for Required {}
impl Updatable for Optional {}

/// The attribute of a field of `T` whose values are `V` (for an `Option<X>`
/// field, `V` is `X` and `K` is [`Optional`]).
pub struct Attr<T, V, K = Required> {
    name: &'static str,
    marker: PhantomData<Marker<T, V, K>>,
}

/// Ties the handle to its types without owning any (always `Send`, `Sync`, `Copy`).
type Marker<T, V, K> = fn() -> (T, V, K);

impl<T, V, K> Attr<T, V, K> {
    /// The handle of the attribute `name`; generated code makes these.
    pub const fn new(name: &'static str) -> Self {
        Attr {
            name,
            marker: PhantomData,
        }
    }

    /// The attribute name in DynamoDB.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<T, V, K> Clone for Attr<T, V, K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, V, K> Copy for Attr<T, V, K> {}

impl<T, V, K> fmt::Debug for Attr<T, V, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Attr({})", self.name)
    }
}
