//! A fault-injecting HTTP proxy on loopback, in front of the local server.
//!
//! A test starts a [`Proxy`] in front of the server named by
//! `AWS_ENDPOINT_URL_DYNAMODB`, builds its client with [`Proxy::client`]
//! (the library's own configuration, the proxy as endpoint), scripts
//! [`Rule`]s — which request, which operation (`X-Amz-Target`), what
//! [`Fault`] — or a seeded random schedule ([`Proxy::chaos`]), and reads
//! what the proxy did in [`Proxy::stats`].
//!
//! Every accepted connection has `SO_LINGER` 0, so a connection the proxy
//! drops is reset (RST), as a failing load balancer does, not closed.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use dynamo_lambda::aws_sdk_dynamodb::Client;
use dynamo_lambda::aws_sdk_dynamodb::config::Builder as ConfigBuilder;
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Frame, Incoming};
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ProxyBody = BoxBody<Bytes, BoxError>;

/// What the proxy does to one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// HTTP 400 `ProvisionedThroughputExceededException`; not forwarded.
    ProvisionedThroughputExceeded,
    /// HTTP 400 `ThrottlingException`; not forwarded.
    Throttling,
    /// HTTP 400 `ThrottlingException` with `x-amz-retry-after` (milliseconds); not forwarded.
    RetryAfter(Duration),
    /// HTTP 500 `InternalServerError`; not forwarded.
    InternalServerError,
    /// HTTP 503 `ServiceUnavailable`; not forwarded.
    ServiceUnavailable,
    /// The connection is reset before the request reaches the server.
    ResetBefore,
    /// The server applies the request, then the connection is reset before
    /// the response arrives: the ambiguous case.
    ResetAfter,
    /// The server applies the request; its response is held back this long.
    Slow(Duration),
    /// The server applies the request; the response announces its full
    /// length, sends half of the body, then the connection is reset.
    Truncated,
    /// The server applies the request; the response is HTTP 200 with half
    /// of the server's JSON body (complete as HTTP, broken as JSON).
    Malformed,
    /// `BatchWriteItem` / `BatchGetItem` only (other operations pass
    /// through): about half of the entries (at least one) are removed from
    /// the request before it is forwarded and answered as
    /// `UnprocessedItems` / `UnprocessedKeys`, so the server's state
    /// matches what is reported.
    Unprocessed,
}

impl Fault {
    /// A short name, the key of [`Stats::faults`].
    pub fn name(&self) -> &'static str {
        match self {
            Fault::ProvisionedThroughputExceeded => "throughput-exceeded",
            Fault::Throttling => "throttling",
            Fault::RetryAfter(_) => "retry-after",
            Fault::InternalServerError => "http-500",
            Fault::ServiceUnavailable => "http-503",
            Fault::ResetBefore => "reset-before",
            Fault::ResetAfter => "reset-after",
            Fault::Slow(_) => "slow",
            Fault::Truncated => "truncated",
            Fault::Malformed => "malformed",
            Fault::Unprocessed => "unprocessed",
        }
    }

    /// Whether the server may have applied a request this fault hit.
    pub fn reaches_server(&self) -> bool {
        matches!(
            self,
            Fault::ResetAfter
                | Fault::Slow(_)
                | Fault::Truncated
                | Fault::Malformed
                | Fault::Unprocessed
        )
    }

    fn applies_to(&self, operation: &str) -> bool {
        match self {
            Fault::Unprocessed => is_batch(operation),
            _ => true,
        }
    }
}

fn is_batch(operation: &str) -> bool {
    matches!(operation, "BatchWriteItem" | "BatchGetItem")
}

/// When a fault fires: the `from`-th request (from 1) of an operation, or
/// of any, and the `times - 1` matching requests after it.
#[derive(Debug, Clone)]
pub struct Rule {
    operation: Option<String>,
    from: u64,
    times: u64,
    fault: Fault,
    seen: u64,
    fired: u64,
}

impl Rule {
    /// `fault` on the first request of `operation` (e.g. `"PutItem"`).
    pub fn on(operation: &str, fault: Fault) -> Rule {
        Rule {
            operation: Some(operation.to_owned()),
            ..Rule::any(fault)
        }
    }

    /// `fault` on the first request, whatever its operation.
    pub fn any(fault: Fault) -> Rule {
        Rule {
            operation: None,
            from: 1,
            times: 1,
            fault,
            seen: 0,
            fired: 0,
        }
    }

    /// Starts at the `n`-th matching request (from 1) instead of the first.
    pub fn nth(mut self, n: u64) -> Rule {
        self.from = n.max(1);
        self
    }

    /// Fires on `n` matching requests in a row.
    pub fn times(mut self, n: u64) -> Rule {
        self.times = n;
        self
    }

    /// Fires on every matching request from then on.
    pub fn always(self) -> Rule {
        self.times(u64::MAX)
    }

    /// Counts the request; whether the rule fires on it.
    fn hit(&mut self, operation: &str) -> bool {
        if self.operation.as_deref().is_some_and(|o| o != operation) {
            return false;
        }
        if !self.fault.applies_to(operation) {
            return false;
        }
        self.seen += 1;
        if self.seen >= self.from && self.fired < self.times {
            self.fired += 1;
            return true;
        }
        false
    }
}

/// A seeded random fault schedule: each request gets, with probability
/// `rate`, one of `faults` (those that apply to its operation), drawn in
/// request order from the seed.
#[derive(Debug)]
struct Chaos {
    rng: fastrand::Rng,
    rate: f64,
    faults: Vec<Fault>,
}

impl Chaos {
    fn draw(&mut self, operation: &str) -> Option<Fault> {
        // Two draws per request, whatever the outcome, so the schedule
        // depends only on the number of requests.
        let roll = self.rng.f64();
        let pick = self.rng.usize(..usize::MAX);
        if roll >= self.rate {
            return None;
        }
        let applicable: Vec<&Fault> = self
            .faults
            .iter()
            .filter(|f| f.applies_to(operation))
            .collect();
        if applicable.is_empty() {
            return None;
        }
        Some(applicable[pick % applicable.len()].clone())
    }
}

/// What the proxy saw and did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Requests received per operation, faulted or not.
    pub requests: BTreeMap<String, u64>,
    /// Faults injected per [`Fault::name`].
    pub faults: BTreeMap<&'static str, u64>,
    /// Batch entries moved to `UnprocessedItems` / `UnprocessedKeys`.
    pub unprocessed_entries: u64,
}

impl Stats {
    /// Requests of `operation` received.
    pub fn requests_of(&self, operation: &str) -> u64 {
        self.requests.get(operation).copied().unwrap_or(0)
    }

    /// Requests received in all.
    pub fn total_requests(&self) -> u64 {
        self.requests.values().sum()
    }

    /// Faults of `name` injected.
    pub fn faults_of(&self, name: &str) -> u64 {
        self.faults.get(name).copied().unwrap_or(0)
    }

    /// Faults injected in all.
    pub fn total_faults(&self) -> u64 {
        self.faults.values().sum()
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} requests (", self.total_requests())?;
        for (i, (op, n)) in self.requests.iter().enumerate() {
            write!(f, "{}{op} {n}", if i == 0 { "" } else { ", " })?;
        }
        write!(f, "), {} faults (", self.total_faults())?;
        for (i, (kind, n)) in self.faults.iter().enumerate() {
            write!(f, "{}{kind} {n}", if i == 0 { "" } else { ", " })?;
        }
        write!(
            f,
            "), {} batch entries unprocessed",
            self.unprocessed_entries
        )
    }
}

#[derive(Debug, Default)]
struct State {
    rules: Vec<Rule>,
    chaos: Option<Chaos>,
    stats: Stats,
}

impl State {
    fn decide(&mut self, operation: &str) -> Option<Fault> {
        *self.stats.requests.entry(operation.to_owned()).or_default() += 1;
        let mut chosen = None;
        for rule in &mut self.rules {
            // Every rule counts the request, the first that fires wins.
            if rule.hit(operation) && chosen.is_none() {
                chosen = Some(rule.fault.clone());
            }
        }
        if chosen.is_none()
            && let Some(chaos) = &mut self.chaos
        {
            chosen = chaos.draw(operation);
        }
        if let Some(fault) = &chosen {
            *self.stats.faults.entry(fault.name()).or_default() += 1;
        }
        chosen
    }
}

struct Shared {
    upstream: String,
    http: HttpClient<HttpConnector, Full<Bytes>>,
    state: Mutex<State>,
}

/// The proxy: listens on a free loopback port until dropped.
#[derive(Debug)]
pub struct Proxy {
    url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shared")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    /// A proxy in front of the server of `AWS_ENDPOINT_URL_DYNAMODB`.
    pub async fn start() -> Proxy {
        let upstream = std::env::var("AWS_ENDPOINT_URL_DYNAMODB").expect(
            "AWS_ENDPOINT_URL_DYNAMODB is not set: run the suite with `cargo xtask test`, \
             which starts a local DynamoDB server",
        );
        Proxy::start_for(&upstream).await
    }

    /// A proxy in front of `upstream` (`http://host:port`).
    pub async fn start_for(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the proxy to a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("proxy address"));
        let shared = Arc::new(Shared {
            upstream: upstream.trim_end_matches('/').to_owned(),
            http: HttpClient::builder(TokioExecutor::new()).build_http(),
            state: Mutex::new(State::default()),
        });
        let task = tokio::spawn(accept(listener, shared.clone()));
        Proxy { url, shared, task }
    }

    /// The proxy's address, to use as endpoint URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A client like [`local_client`](crate::local_client)'s (the library's
    /// configuration, requests checked for unused placeholders) whose
    /// requests go through the proxy.
    pub async fn client(&self) -> Client {
        self.client_with(|builder| builder).await
    }

    /// [`client`](Self::client), with the configuration changed by `change`
    /// (shorter timeouts, another retry policy, …).
    pub async fn client_with(&self, change: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Client {
        let base = crate::local_client().await;
        let builder = base.config().to_builder().endpoint_url(&self.url);
        Client::from_conf(change(builder).build())
    }

    /// Adds a rule; rules are checked in the order added.
    pub fn script(&self, rule: Rule) -> &Self {
        self.lock().rules.push(rule);
        self
    }

    /// Removes every rule and the random schedule: requests pass through.
    pub fn clear(&self) {
        let mut state = self.lock();
        state.rules.clear();
        state.chaos = None;
    }

    /// A seeded random schedule: each request not hit by a rule gets, with
    /// probability `rate`, one of `faults`.
    pub fn chaos(&self, seed: u64, rate: f64, faults: Vec<Fault>) {
        self.lock().chaos = Some(Chaos {
            rng: fastrand::Rng::with_seed(seed),
            rate,
            faults,
        });
    }

    /// What the proxy saw and did so far.
    pub fn stats(&self) -> Stats {
        self.lock().stats.clone()
    }

    /// Forgets the figures so far.
    pub fn reset_stats(&self) {
        self.lock().stats = Stats::default();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared.state.lock().expect("proxy state lock")
    }
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        // Dropping the connection then sends RST, not FIN.
        let _ = stream.set_zero_linger();
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = shared.clone();
                async move { handle(&shared, request).await }
            });
            // An error here is a connection the proxy dropped on purpose,
            // or one the client gave up on.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// A connection dropped on purpose.
#[derive(Debug)]
struct Dropped(&'static str);

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connection dropped by the fault proxy ({})", self.0)
    }
}

impl std::error::Error for Dropped {}

async fn handle(
    shared: &Shared,
    request: Request<Incoming>,
) -> Result<Response<ProxyBody>, Dropped> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|_| Dropped("request body"))?
        .to_bytes();
    let operation = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.rsplit('.').next())
        .unwrap_or_default()
        .to_owned();
    let fault = shared
        .state
        .lock()
        .expect("proxy state lock")
        .decide(&operation);
    let (body, moved) = match &fault {
        None => (body, None),
        Some(Fault::ResetBefore) => return Err(Dropped("reset before")),
        Some(Fault::ProvisionedThroughputExceeded) => {
            return Ok(error_response(
                400,
                "ProvisionedThroughputExceededException",
                None,
            ));
        }
        Some(Fault::Throttling) => return Ok(error_response(400, "ThrottlingException", None)),
        Some(Fault::RetryAfter(after)) => {
            return Ok(error_response(400, "ThrottlingException", Some(*after)));
        }
        Some(Fault::InternalServerError) => {
            return Ok(error_response(500, "InternalServerError", None));
        }
        Some(Fault::ServiceUnavailable) => {
            return Ok(error_response(503, "ServiceUnavailable", None));
        }
        Some(Fault::Unprocessed) => match hold_back(&operation, &body) {
            Some((forwarded, moved, count)) => {
                shared
                    .state
                    .lock()
                    .expect("proxy state lock")
                    .stats
                    .unprocessed_entries += count;
                (forwarded, Some(moved))
            }
            None => (body, None),
        },
        Some(_) => (body, None),
    };
    let upstream = match (&moved, body.is_empty()) {
        // Everything held back: nothing to forward.
        (Some(_), true) => Upstream {
            status: StatusCode::OK,
            headers: http::HeaderMap::new(),
            body: Bytes::from_static(b"{}"),
        },
        _ => forward(shared, &parts, body).await?,
    };
    let Upstream {
        status,
        mut headers,
        mut body,
    } = upstream;
    headers.remove(http::header::CONTENT_LENGTH);
    headers.remove(http::header::TRANSFER_ENCODING);
    headers.remove(http::header::CONNECTION);
    if let Some(moved) = moved {
        body = merge_unprocessed(&operation, &body, moved);
        headers.remove("x-amz-crc32");
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-amz-json-1.0"),
        );
    }
    let response = |headers: http::HeaderMap, body: ProxyBody| {
        let mut response = Response::new(body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        response
    };
    match fault {
        Some(Fault::ResetAfter) => Err(Dropped("reset after")),
        Some(Fault::Slow(delay)) => {
            tokio::time::sleep(delay).await;
            Ok(response(headers, full(body)))
        }
        Some(Fault::Truncated) => {
            headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(body.len()));
            let half = body.slice(..body.len() / 2);
            Ok(response(headers, Truncated(Some(half)).boxed()))
        }
        Some(Fault::Malformed) => {
            headers.remove("x-amz-crc32");
            let half = body.slice(..body.len() / 2);
            Ok(response(headers, full(half)))
        }
        _ => Ok(response(headers, full(body))),
    }
}

struct Upstream {
    status: StatusCode,
    headers: http::HeaderMap,
    body: Bytes,
}

async fn forward(
    shared: &Shared,
    parts: &http::request::Parts,
    body: Bytes,
) -> Result<Upstream, Dropped> {
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut request = Request::new(Full::new(body));
    *request.method_mut() = parts.method.clone();
    *request.uri_mut() = format!("{}{path}", shared.upstream)
        .parse()
        .map_err(|_| Dropped("upstream address"))?;
    *request.headers_mut() = parts.headers.clone();
    request.headers_mut().remove(http::header::CONTENT_LENGTH);
    request.headers_mut().remove(http::header::HOST);
    let response = shared
        .http
        .request(request)
        .await
        .map_err(|_| Dropped("upstream unreachable"))?;
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|_| Dropped("upstream body"))?
        .to_bytes();
    Ok(Upstream {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

fn full(body: Bytes) -> ProxyBody {
    Full::new(body)
        .map_err(|never: Infallible| match never {})
        .boxed()
}

/// DynamoDB's JSON error answer.
fn error_response(status: u16, code: &str, retry_after: Option<Duration>) -> Response<ProxyBody> {
    let body = json!({
        "__type": format!("com.amazonaws.dynamodb.v20120810#{code}"),
        "message": format!("injected by the fault proxy: {code}"),
    });
    let mut response = Response::new(full(Bytes::from(body.to_string())));
    *response.status_mut() = StatusCode::from_u16(status).expect("status code");
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-amz-json-1.0"),
    );
    headers.insert(
        "x-amzn-requestid",
        HeaderValue::from_static("FAULTPROXY0000000000000000000000000000000000000000000"),
    );
    if let Some(after) = retry_after {
        headers.insert(
            "x-amz-retry-after",
            HeaderValue::from(after.as_millis() as u64),
        );
    }
    response
}

/// Removes about half of a batch request's entries (the last ones, at least
/// one): the body to forward (empty when nothing is left), the removed
/// entries per table as `UnprocessedItems` / `UnprocessedKeys` want them,
/// and how many.
fn hold_back(operation: &str, body: &Bytes) -> Option<(Bytes, Map<String, Value>, u64)> {
    let mut request: Value = serde_json::from_slice(body).ok()?;
    let tables = request.get_mut("RequestItems")?.as_object_mut()?;
    let mut moved = Map::new();
    let mut count = 0;
    for (table, entries) in tables.iter_mut() {
        let list = match operation {
            "BatchWriteItem" => entries.as_array_mut()?,
            _ => entries.get_mut("Keys")?.as_array_mut()?,
        };
        let keep = list.len() / 2;
        let removed: Vec<Value> = list.split_off(keep);
        count += removed.len() as u64;
        let unprocessed = match operation {
            "BatchWriteItem" => Value::Array(removed),
            _ => {
                let mut keys_and_attributes = entries.as_object()?.clone();
                keys_and_attributes.insert("Keys".to_owned(), Value::Array(removed));
                Value::Object(keys_and_attributes)
            }
        };
        moved.insert(table.clone(), unprocessed);
    }
    let empty = |entries: &Value| match operation {
        "BatchWriteItem" => entries.as_array().is_none_or(Vec::is_empty),
        _ => entries["Keys"].as_array().is_none_or(Vec::is_empty),
    };
    tables.retain(|_, entries| !empty(entries));
    let forwarded = if tables.is_empty() {
        Bytes::new()
    } else {
        Bytes::from(request.to_string())
    };
    Some((forwarded, moved, count))
}

/// Adds the held-back entries to the server's answer.
fn merge_unprocessed(operation: &str, body: &Bytes, moved: Map<String, Value>) -> Bytes {
    let Ok(Value::Object(mut answer)) = serde_json::from_slice::<Value>(body) else {
        // An error answer: pass it on untouched.
        return body.clone();
    };
    if answer.contains_key("__type") {
        return body.clone();
    }
    let field = match operation {
        "BatchWriteItem" => "UnprocessedItems",
        _ => "UnprocessedKeys",
    };
    let slot = answer
        .entry(field)
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    let slot = slot.as_object_mut().expect("an object");
    for (table, entries) in moved {
        match (slot.get_mut(&table), entries) {
            (Some(Value::Array(existing)), Value::Array(more)) => existing.extend(more),
            (Some(Value::Object(existing)), Value::Object(more)) => {
                if let (Some(Value::Array(keys)), Some(Value::Array(more_keys))) =
                    (existing.get_mut("Keys"), more.get("Keys"))
                {
                    keys.extend(more_keys.iter().cloned());
                }
            }
            (_, entries) => {
                slot.insert(table, entries);
            }
        }
    }
    Bytes::from(Value::Object(answer).to_string())
}

/// A body that sends its bytes, then fails: hyper resets the connection.
struct Truncated(Option<Bytes>);

impl hyper::body::Body for Truncated {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        Poll::Ready(Some(match self.0.take() {
            Some(data) => Ok(Frame::data(data)),
            None => Err(Box::new(Dropped("truncated body"))),
        }))
    }
}
