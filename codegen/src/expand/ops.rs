//! The typed operations as inherent functions: `User::get(&key)`,
//! `user.put()`, …, and the handlers `User::handler()`, `User::http_handler()`
//! and `User::stream_handler(…)`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::expand::key::key_ident;
use crate::parse::Struct;

/// The operations and, when the struct derives serde, the handlers.
pub fn inherent(item: &Struct, serde: bool) -> TokenStream {
    let ident = item.ident;
    let operations = operations(item);
    let handlers = handlers(item, serde);
    quote! {
        #[automatically_derived]
        impl #ident {
            #operations
            #handlers
        }
    }
}

/// `User::handler()`, `User::http_handler()` and `User::stream_handler(…)`.
fn handlers(item: &Struct, serde: bool) -> TokenStream {
    let vis = item.vis;
    let handler = serde.then(|| {
        quote! {
            /// A Lambda handler serving this table on the shared client;
            /// run it with `dynamo_lambda::run`.
            #[inline]
            #vis fn handler() -> impl ::dynamo_lambda::DirectService<Self> {
                ::dynamo_lambda::Handler::new(::dynamo_lambda::TableClient::shared()).into_service()
            }
        }
    });
    let http_handler = (serde && cfg!(feature = "http")).then(|| {
        quote! {
            /// A `lambda_http` service serving this table over HTTP (API
            /// Gateway, Function URLs, ALB) on the shared client; run it with
            /// `dynamo_lambda::http::run`.
            #[inline]
            #vis fn http_handler() -> ::dynamo_lambda::http::HttpHandler<Self> {
                ::dynamo_lambda::http::HttpHandler::new(::dynamo_lambda::TableClient::shared())
            }
        }
    });
    let stream_handler = cfg!(feature = "streams").then(|| {
        quote! {
            /// A Lambda handler for this table's DynamoDB Streams events: `on_change`
            /// receives each record as a typed change; records it fails are
            /// reported as `batchItemFailures`.
            #[inline]
            #vis fn stream_handler<F>(on_change: F) -> ::dynamo_lambda::stream::StreamHandler<Self, F> {
                ::dynamo_lambda::stream::StreamHandler::new(on_change)
            }
        }
    });
    quote! {
        #handler
        #http_handler
        #stream_handler
    }
}

/// The typed operations on the shared client, as inherent functions.
pub fn operations(item: &Struct) -> TokenStream {
    let vis = item.vis;
    let key = key_ident(item);
    quote! {
        /// The primary key of this item.
        #[inline]
        #vis fn key(&self) -> #key {
            <Self as ::dynamo_lambda::Table>::key(self)
        }

        /// This table on the shared client.
        #[inline]
        #vis fn table() -> ::dynamo_lambda::TableClient<Self> {
            ::dynamo_lambda::TableClient::shared()
        }

        /// Reads the item with `key`; `Ok(None)` when there is none.
        #[inline]
        #vis fn get(key: &#key) -> ::dynamo_lambda::Get<'_, Self> {
            ::dynamo_lambda::TableClient::<Self>::shared().get(key)
        }

        /// Writes this item, replacing any item with the same key.
        #[inline]
        #vis async fn put(&self) -> ::core::result::Result<(), ::dynamo_lambda::Error> {
            Self::table().put(self).await
        }

        /// Writes this item and, for a versioned struct, sets its version to
        /// the one stored.
        #[inline]
        #vis async fn save(&mut self) -> ::core::result::Result<(), ::dynamo_lambda::Error> {
            Self::table().save(self).await
        }

        /// An update of the item with `key`: add actions (`set`, `remove`,
        /// `add`, …) with `Self::fields()`, then `.await` it.
        #[inline]
        #vis fn update(key: #key) -> ::dynamo_lambda::Update<Self> {
            Self::table().update(key)
        }

        /// Writes this item if no item has its key, else `Error::AlreadyExists`.
        #[inline]
        #vis async fn create(&self) -> ::core::result::Result<(), ::dynamo_lambda::Error> {
            Self::table().create(self).await
        }

        /// Deletes the item with `key` and returns it; `Ok(None)` when there was none.
        #[inline]
        #vis async fn delete(
            key: &#key,
        ) -> ::core::result::Result<::core::option::Option<Self>, ::dynamo_lambda::Error> {
            Self::table().delete(key).await
        }
    }
}
