//! A minimal AWS Lambda Runtime API emulator for running a function binary
//! locally: it queues events for `invocation/next` and collects the
//! function's responses and errors.

pub(crate) mod http;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::io::BufReader;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::Result;
use crate::json;

const PREFIX: &str = "/2018-06-01/runtime";

/// The outcome of one invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// The function's response body.
    Ok(String),
    /// The function reported an error; `raw` is the posted body.
    Err {
        error_type: String,
        message: String,
        raw: String,
    },
}

/// A Runtime API server on a loopback port, and the function process
/// attached to it. Dropping it kills the function and stops the server.
#[derive(Debug)]
pub struct RuntimeApi {
    name: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
    function: Option<Child>,
    /// When the function process was started.
    spawned_at: Option<Instant>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// Events waiting for `invocation/next`.
    queue: VecDeque<Event>,
    /// Ids handed to the function and not answered yet.
    in_flight: HashSet<String>,
    /// Answers not yet picked up by `invoke`.
    results: HashMap<String, Invocation>,
    /// The body posted to `init/error`, if any.
    init_error: Option<String>,
    /// When the first `invocation/next` request arrived.
    first_poll: Option<Instant>,
    shutdown: bool,
}

#[derive(Debug)]
struct Event {
    id: String,
    body: String,
    deadline_ms: u128,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl RuntimeApi {
    /// Starts serving on a free loopback port for the function `name`.
    pub fn start(name: &str) -> Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let arn: Arc<str> = format!("arn:aws:lambda:us-east-1:000000000000:function:{name}").into();
        let acceptor = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("runtime-api".into())
                .spawn(move || accept(listener, &shared, &arn))?
        };
        Ok(RuntimeApi {
            name: name.to_string(),
            addr,
            shared,
            acceptor: Some(acceptor),
            function: None,
            spawned_at: None,
        })
    }

    /// The address the server listens on.
    #[cfg(test)]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The environment a function process needs to use this server.
    pub fn env(&self) -> Vec<(String, String)> {
        let name = &self.name;
        [
            ("AWS_LAMBDA_RUNTIME_API", self.addr.to_string()),
            ("AWS_LAMBDA_FUNCTION_NAME", name.clone()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128".into()),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
            ("AWS_LAMBDA_LOG_STREAM_NAME", "demo".into()),
            ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}")),
            ("_HANDLER", "bootstrap".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// Spawns the function process with [`Self::env`] added to `cmd`; it is
    /// watched by [`Self::invoke`] and killed on drop.
    pub fn spawn(&mut self, mut cmd: Command) -> Result<()> {
        cmd.envs(self.env());
        let spawned_at = Instant::now();
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
        self.spawned_at = Some(spawned_at);
        self.function = Some(child);
        Ok(())
    }

    /// Waits up to `timeout` for the function's first `invocation/next`
    /// request and returns the time from its spawn to that request: the
    /// start-up a cold Lambda spends before it can take an event.
    pub fn wait_first_poll(&mut self, timeout: Duration) -> Result<Duration> {
        let spawned_at = self
            .spawned_at
            .ok_or("no function was spawned on this Runtime API")?;
        let deadline = spawned_at + timeout;
        let mut state = self.shared.lock();
        loop {
            if let Some(at) = state.first_poll {
                return Ok(at.saturating_duration_since(spawned_at));
            }
            if let Some(body) = &state.init_error {
                return Err(
                    format!("function `{}` failed to initialize: {body}", self.name).into(),
                );
            }
            if let Some(child) = &mut self.function
                && let Some(status) = child.try_wait()?
            {
                return Err(format!(
                    "function `{}` exited ({status}) before asking for an event",
                    self.name
                )
                .into());
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(format!(
                    "function `{}` did not ask for an event within {:.1} s",
                    self.name,
                    timeout.as_secs_f64()
                )
                .into());
            }
            let wait = (deadline - now).min(Duration::from_millis(100));
            state = self
                .shared
                .changed
                .wait_timeout(state, wait)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Queues `event_json` and waits up to `timeout` for the answer. Fails
    /// if the function reported an init error, exited, or took too long.
    pub fn invoke(&mut self, event_json: &str, timeout: Duration) -> Result<Invocation> {
        let id = request_id();
        let deadline = Instant::now() + timeout;
        let mut state = self.shared.lock();
        state.queue.push_back(Event {
            id: id.clone(),
            body: event_json.to_string(),
            deadline_ms: epoch_ms() + timeout.as_millis(),
        });
        self.shared.changed.notify_all();
        loop {
            if let Some(result) = state.results.remove(&id) {
                return Ok(result);
            }
            if let Some(body) = &state.init_error {
                return Err(
                    format!("function `{}` failed to initialize: {body}", self.name).into(),
                );
            }
            if let Some(child) = &mut self.function
                && let Some(status) = child.try_wait()?
            {
                state.queue.retain(|e| e.id != id);
                return Err(format!(
                    "function `{}` exited ({status}) before answering",
                    self.name
                )
                .into());
            }
            let now = Instant::now();
            if now >= deadline {
                state.queue.retain(|e| e.id != id);
                return Err(format!(
                    "function `{}` did not answer within {:.1} s",
                    self.name,
                    timeout.as_secs_f64()
                )
                .into());
            }
            let wait = (deadline - now).min(Duration::from_millis(100));
            state = self
                .shared
                .changed
                .wait_timeout(state, wait)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        if let Some(mut child) = self.function.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        self.shared.lock().shutdown = true;
        self.shared.changed.notify_all();
        // Wake the acceptor so it sees the shutdown.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// Accepts connections until shutdown, one thread each.
fn accept(listener: TcpListener, shared: &Arc<Shared>, arn: &Arc<str>) {
    for stream in listener.incoming() {
        if shared.lock().shutdown {
            return;
        }
        let Ok(stream) = stream else { continue };
        let (shared, arn) = (Arc::clone(shared), Arc::clone(arn));
        let _ = thread::Builder::new()
            .name("runtime-api-conn".into())
            .spawn(move || serve(stream, &shared, &arn));
    }
}

/// Answers the requests of one keep-alive connection.
fn serve(stream: TcpStream, shared: &Shared, arn: &str) {
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    while let Ok(Some(request)) = http::read_request(&mut reader, &mut writer) {
        let Some(reply) = route(&request, shared, arn) else {
            return;
        };
        let keep_alive = request.keep_alive;
        if http::write_response(
            &mut writer,
            reply.status,
            &reply.headers,
            reply.body.as_bytes(),
            keep_alive,
        )
        .is_err()
            || !keep_alive
        {
            return;
        }
    }
}

/// A response to send.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

impl Reply {
    fn json(status: u16, body: &str) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type", "application/json".into())],
            body: body.to_string(),
        }
    }

    fn accepted() -> Self {
        Reply::json(202, r#"{"status":"OK"}"#)
    }

    fn error(status: u16, error_type: &str, message: &str) -> Self {
        Reply::json(
            status,
            &format!(r#"{{"errorType":"{error_type}","errorMessage":"{message}"}}"#),
        )
    }
}

/// Handles one request; `None` closes the connection (shutdown).
fn route(request: &http::Request, shared: &Shared, arn: &str) -> Option<Reply> {
    let Some(rest) = request.path.strip_prefix(PREFIX) else {
        return Some(Reply::error(404, "InvalidRequest", "unknown path"));
    };
    let body = String::from_utf8_lossy(&request.body).into_owned();
    let segments: Vec<&str> = rest.trim_matches('/').split('/').collect();
    match (request.method.as_str(), segments.as_slice()) {
        ("GET", ["invocation", "next"]) => next_event(shared, arn),
        ("POST", ["init", "error"]) => {
            shared.lock().init_error = Some(body);
            shared.changed.notify_all();
            Some(Reply::accepted())
        }
        ("POST", ["invocation", id, kind @ ("response" | "error")]) => {
            let mut state = shared.lock();
            if !state.in_flight.remove(*id) {
                return Some(Reply::error(400, "InvalidRequestID", "unknown request id"));
            }
            let result = if *kind == "response" {
                Invocation::Ok(body)
            } else {
                error_invocation(request, body)
            };
            state.results.insert(id.to_string(), result);
            shared.changed.notify_all();
            Some(Reply::accepted())
        }
        _ => Some(Reply::error(404, "InvalidRequest", "unknown path")),
    }
}

/// Blocks until an event is queued, then hands it out.
fn next_event(shared: &Shared, arn: &str) -> Option<Reply> {
    let mut state = shared.lock();
    if state.first_poll.is_none() {
        state.first_poll = Some(Instant::now());
        shared.changed.notify_all();
    }
    let event = loop {
        if state.shutdown {
            return None;
        }
        if let Some(event) = state.queue.pop_front() {
            break event;
        }
        state = shared
            .changed
            .wait(state)
            .unwrap_or_else(PoisonError::into_inner);
    };
    state.in_flight.insert(event.id.clone());
    drop(state);
    let mut reply = Reply::json(200, &event.body);
    reply.headers.extend([
        ("Lambda-Runtime-Aws-Request-Id", event.id),
        ("Lambda-Runtime-Deadline-Ms", event.deadline_ms.to_string()),
        ("Lambda-Runtime-Invoked-Function-Arn", arn.to_string()),
        ("Lambda-Runtime-Trace-Id", trace_id()),
    ]);
    Some(reply)
}

/// An error answer: type and message from the JSON body, falling back to
/// the `Lambda-Runtime-Function-Error-Type` header and the raw body.
fn error_invocation(request: &http::Request, raw: String) -> Invocation {
    let error_type = json::string_field(&raw, "errorType")
        .or_else(|| {
            request
                .header("lambda-runtime-function-error-type")
                .map(str::to_string)
        })
        .unwrap_or_else(|| "Unknown".into());
    let message = json::string_field(&raw, "errorMessage").unwrap_or_else(|| raw.clone());
    Invocation::Err {
        error_type,
        message,
        raw,
    }
}

fn epoch_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis()
}

/// 64 unpredictable bits, distinct on every call.
fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    RandomState::new().hash_one((count, epoch_ms()))
}

/// A random id in UUID v4 form.
fn request_id() -> String {
    let (a, b) = (random_u64(), random_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        ((b >> 48) & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

/// An X-Ray style trace header value.
fn trace_id() -> String {
    let seconds = epoch_ms() / 1000;
    format!(
        "Root=1-{seconds:08x}-{:08x}{:016x};Parent={:016x};Sampled=0",
        random_u64() >> 32,
        random_u64(),
        random_u64()
    )
}
