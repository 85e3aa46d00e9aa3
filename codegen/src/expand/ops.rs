//! The typed operations as inherent functions: `User::get(&key)`,
//! `user.put()`, …, and `User::handler()`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Struct;
use crate::expand::key::key_ident;

pub fn inherent(item: &Struct, handler: bool) -> TokenStream {
    let ident = item.ident;
    let vis = item.vis;
    let key = key_ident(item);
    let handler = handler.then(|| {
        quote! {
            /// A Lambda handler serving this table on the shared client;
            /// run it with `dynamo_lambda::run`.
            #vis fn handler() -> ::dynamo_lambda::Handler<Self> {
                ::dynamo_lambda::Handler::new(::dynamo_lambda::TableClient::shared())
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #ident {
            /// The primary key of this item.
            #vis fn key(&self) -> #key {
                <Self as ::dynamo_lambda::Table>::key(self)
            }

            /// This table on the shared client.
            #vis fn table() -> ::dynamo_lambda::TableClient<Self> {
                ::dynamo_lambda::TableClient::shared()
            }

            /// Reads the item with `key`; `Ok(None)` when there is none.
            #vis fn get(key: &#key) -> ::dynamo_lambda::Get<'_, Self> {
                ::dynamo_lambda::TableClient::<Self>::shared().get(key)
            }

            /// Writes this item, replacing any item with the same key.
            #vis async fn put(&self) -> ::core::result::Result<(), ::dynamo_lambda::Error> {
                Self::table().put(self).await
            }

            /// Writes this item and, for a versioned struct, sets its version to
            /// the one stored.
            #vis async fn save(&mut self) -> ::core::result::Result<(), ::dynamo_lambda::Error> {
                Self::table().save(self).await
            }

            /// An update of the item with `key`: add actions (`set`, `remove`,
            /// `add`, …) with `Self::fields()`, then `.await` it.
            #vis fn update(key: #key) -> ::dynamo_lambda::Update<Self> {
                Self::table().update(key)
            }

            /// Writes this item if no item has its key, else `Error::AlreadyExists`.
            #vis async fn create(&self) -> ::core::result::Result<(), ::dynamo_lambda::Error> {
                Self::table().create(self).await
            }

            /// Deletes the item with `key` and returns it; `Ok(None)` when there was none.
            #vis async fn delete(
                key: &#key,
            ) -> ::core::result::Result<::core::option::Option<Self>, ::dynamo_lambda::Error> {
                Self::table().delete(key).await
            }

            #handler
        }
    }
}
