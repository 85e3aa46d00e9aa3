//! The emulator driven by a plain TCP client playing the function.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::thread;
use std::time::Duration;

use super::{Invocation, RuntimeApi};

const TIMEOUT: Duration = Duration::from_secs(5);

/// One keep-alive connection of the function side.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

/// A parsed response: status, lower-cased headers, body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

impl Client {
    fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(TIMEOUT)).unwrap();
        Client {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
        }
    }

    fn send(&mut self, raw: &str) -> Response {
        self.writer.write_all(raw.as_bytes()).unwrap();
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let status = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .map(|(_, v)| v.parse().unwrap())
            .unwrap();
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).unwrap();
        Response {
            status,
            headers,
            body: String::from_utf8(body).unwrap(),
        }
    }

    fn next(&mut self) -> Response {
        self.send("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n")
    }

    fn post(&mut self, path: &str, extra_headers: &str, body: &str) -> Response {
        self.send(&format!(
            "POST {path} HTTP/1.1\r\nhost: x\r\ncontent-LENGTH: {}\r\n{extra_headers}\r\n{body}",
            body.len()
        ))
    }
}

#[test]
fn next_then_response_and_error_on_one_connection() {
    let mut api = RuntimeApi::start("fn-name").unwrap();
    let mut client = Client::connect(api.addr());
    thread::scope(|scope| {
        let invoker = scope.spawn(|| {
            let first = api.invoke(r#"{"n":1}"#, TIMEOUT).unwrap();
            let second = api.invoke(r#"{"n":2}"#, TIMEOUT).unwrap();
            (first, second)
        });

        let event = client.next();
        assert_eq!(event.status, 200);
        assert_eq!(event.body, r#"{"n":1}"#);
        assert_eq!(event.header("content-type"), "application/json");
        assert_eq!(
            event.header("lambda-runtime-invoked-function-arn"),
            "arn:aws:lambda:us-east-1:000000000000:function:fn-name"
        );
        assert!(
            event
                .header("lambda-runtime-deadline-ms")
                .parse::<u128>()
                .unwrap()
                > super::epoch_ms()
        );
        assert!(
            event
                .header("lambda-runtime-trace-id")
                .starts_with("Root=1-")
        );
        let id = event.header("lambda-runtime-aws-request-id").to_string();
        assert_eq!(id.len(), 36);
        let done = client.post(
            &format!("/2018-06-01/runtime/invocation/{id}/response"),
            "",
            r#"{"ok":true}"#,
        );
        assert_eq!(
            (done.status, done.body.as_str()),
            (202, r#"{"status":"OK"}"#)
        );

        let event = client.next();
        assert_eq!(event.body, r#"{"n":2}"#);
        let second_id = event.header("lambda-runtime-aws-request-id").to_string();
        assert_ne!(second_id, id);
        let error = r#"{"errorType":"MyError","errorMessage":"boom \"x\""}"#;
        let done = client.post(
            &format!("/2018-06-01/runtime/invocation/{second_id}/error"),
            "Lambda-Runtime-Function-Error-Type: Unhandled\r\n",
            error,
        );
        assert_eq!(done.status, 202);

        let (first, second) = invoker.join().unwrap();
        assert_eq!(first, Invocation::Ok(r#"{"ok":true}"#.into()));
        assert_eq!(
            second,
            Invocation::Err {
                error_type: "MyError".into(),
                message: "boom \"x\"".into(),
                raw: error.into(),
            }
        );
    });
}

#[test]
fn chunked_body_is_reassembled() {
    let mut api = RuntimeApi::start("chunked").unwrap();
    let mut client = Client::connect(api.addr());
    thread::scope(|scope| {
        let invoker = scope.spawn(|| api.invoke("{}", TIMEOUT).unwrap());
        let id = client
            .next()
            .header("lambda-runtime-aws-request-id")
            .to_string();
        let done = client.send(&format!(
            "POST /2018-06-01/runtime/invocation/{id}/response HTTP/1.1\r\n\
             Transfer-Encoding: chunked\r\n\r\n\
             5\r\n{{\"a\":\r\nA;ext=1\r\n\"0123456\"}}\r\n0\r\nX-Trailer: t\r\n\r\n"
        ));
        assert_eq!(done.status, 202);
        assert_eq!(
            invoker.join().unwrap(),
            Invocation::Ok(r#"{"a":"0123456"}"#.into())
        );
    });
}

#[test]
fn init_error_fails_invoke() {
    let mut api = RuntimeApi::start("init").unwrap();
    let mut client = Client::connect(api.addr());
    let done = client.post(
        "/2018-06-01/runtime/init/error",
        "",
        r#"{"errorType":"Runtime.InitError","errorMessage":"no table"}"#,
    );
    assert_eq!(done.status, 202);
    let error = api.invoke("{}", TIMEOUT).unwrap_err().to_string();
    assert!(error.contains("no table"), "{error}");
}

#[test]
fn unknown_request_id_and_path_are_rejected() {
    let api = RuntimeApi::start("reject").unwrap();
    let mut client = Client::connect(api.addr());
    let done = client.post("/2018-06-01/runtime/invocation/nope/response", "", "{}");
    assert_eq!(done.status, 400);
    let done = client.post("/elsewhere", "", "");
    assert_eq!(done.status, 404);
}

#[test]
fn invoke_times_out_without_a_function() {
    let mut api = RuntimeApi::start("idle").unwrap();
    let error = api
        .invoke("{}", Duration::from_millis(200))
        .unwrap_err()
        .to_string();
    assert!(error.contains("did not answer"), "{error}");
}

#[cfg(unix)]
#[test]
fn invoke_fails_when_the_function_exits() {
    let mut api = RuntimeApi::start("exits").unwrap();
    let mut function = Command::new("sh");
    function.args(["-c", "test -n \"$AWS_LAMBDA_RUNTIME_API\" && exit 3"]);
    api.spawn(function).unwrap();
    let error = api.invoke("{}", TIMEOUT).unwrap_err().to_string();
    assert!(error.contains("exited") && error.contains('3'), "{error}");
}
