//! The table over HTTP: `User::http_handler()` on `lambda_http`, for API
//! Gateway REST and HTTP APIs, Function URLs and ALB.
//!
#![doc = include_str!("../../../docs/http.md")]

mod body;
pub(crate) mod key_text;
mod operations;
mod problem;
mod routes;
pub(crate) mod text;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

pub use lambda_http;

pub use self::key_text::KeyText;
use lambda_http::http::{Method, Response};
use lambda_http::{Body, IntoResponse, Request, RequestExt, Service};
use serde::Serialize;
use serde::de::DeserializeOwned;

use self::problem::Problem;
use self::routes::Resource;
use crate::model::error::Error;
use crate::model::item::Table;
use crate::ops::table::TableClient;
use crate::serve::direct::{JsonQuery, JsonUpdate};
use lambda_runtime::Diagnostic;

/// A `lambda_http` service serving one table under a base path; see the
/// module docs for the routes.
pub struct HttpHandler<T> {
    table: TableClient<T>,
    base: Arc<str>,
    segments: Arc<[String]>,
}

impl<T> Clone for HttpHandler<T> {
    fn clone(&self) -> Self {
        HttpHandler {
            table: self.table.clone(),
            base: self.base.clone(),
            segments: self.segments.clone(),
        }
    }
}

impl<T> fmt::Debug for HttpHandler<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpHandler")
            .field("table", &self.table)
            .field("base_path", &self.base)
            .finish()
    }
}

impl<T: Table> HttpHandler<T> {
    /// A handler serving `table` under `/` and the table's name in lower
    /// case: `/users` for table `Users`.
    pub fn new(table: TableClient<T>) -> Self {
        let base = format!("/{}", T::DEFINITION.name.to_lowercase());
        HttpHandler {
            table,
            base: Arc::from(""),
            segments: Arc::from(Vec::new()),
        }
        .base_path(&base)
    }

    /// Serves the table under `path` instead, e.g. `/v1/users`; `/` serves
    /// it at the root.
    pub fn base_path(mut self, path: &str) -> Self {
        let segments = routes::segments(path);
        self.base = Arc::from(segments.iter().map(|s| format!("/{s}")).collect::<String>());
        self.segments = Arc::from(segments);
        self
    }

    /// The base path, without a trailing `/` (empty for the root).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The table this handler serves.
    pub fn table(&self) -> &TableClient<T> {
        &self.table
    }
}

impl<T> HttpHandler<T>
where
    T: JsonUpdate + JsonQuery + KeyText + Serialize + DeserializeOwned + Send + Sync + 'static,
    T::Key: Clone + PartialEq + Serialize + 'static,
{
    /// Answers one request; errors are problem responses, never `Err`.
    pub async fn handle(&self, request: Request) -> Response<Body> {
        match self.route(&request).await {
            Ok(response) => response,
            Err(problem) => {
                let request_id = request.lambda_context_ref().map(|c| c.request_id.as_str());
                problem.into_response(request_id)
            }
        }
    }

    async fn route(&self, request: &Request) -> operations::Reply {
        let has_sort_key = T::DEFINITION.sort_key.is_some();
        let path = routes::request_path(request);
        let resource = routes::resolve(&self.segments, path, has_sort_key)?;
        let table = &self.table;
        let method = request.method();
        let (pk, sk) = match &resource {
            Resource::Collection if method == Method::POST => {
                return operations::create(table, request, &self.base).await;
            }
            Resource::Collection => {
                return Err(Problem::method_not_allowed(resource.allow(has_sort_key)));
            }
            Resource::Partition(pk) => (pk.as_str(), None),
            Resource::Item(pk, sk) => (pk.as_str(), Some(sk.as_str())),
        };
        let is_query = matches!(resource, Resource::Partition(_))
            && (has_sort_key || text::Params::of(request).contains("index"));
        match *method {
            Method::GET if is_query => operations::query(table, request, pk).await,
            Method::GET => operations::get(table, request, pk, sk).await,
            _ if has_sort_key && sk.is_none() => {
                Err(Problem::method_not_allowed(resource.allow(has_sort_key)))
            }
            Method::PUT => operations::put(table, request, pk, sk).await,
            Method::PATCH => operations::patch(table, request, pk, sk).await,
            Method::DELETE => operations::delete(table, request, pk, sk).await,
            _ => Err(Problem::method_not_allowed(resource.allow(has_sort_key))),
        }
    }
}

impl<T> Service<Request> for HttpHandler<T>
where
    T: JsonUpdate + JsonQuery + KeyText + Serialize + DeserializeOwned + Send + Sync + 'static,
    T::Key: Clone + PartialEq + Serialize + 'static,
{
    type Response = Response<Body>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Body>, Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let handler = self.clone();
        Box::pin(async move { Ok(handler.handle(request).await) })
    }
}

/// Runs a Lambda function serving HTTP requests: sets up `tracing` like
/// [`crate::run`] and serves each request with `handler` until the runtime
/// stops.
pub async fn run<S, R, E>(handler: S) -> Result<(), Error>
where
    S: Service<Request, Response = R, Error = E>,
    S::Future: Send,
    R: IntoResponse,
    E: fmt::Debug + Into<Diagnostic>,
{
    lambda_runtime::tracing::init_default_subscriber();
    lambda_http::run(handler).await.map_err(Error::Runtime)
}
