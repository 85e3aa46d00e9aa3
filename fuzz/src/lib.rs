//! What the fuzz targets share: a struct of every supported field type,
//! arbitrary attribute values biased towards its attribute names, and a
//! DynamoDB client that never reaches the network.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Debug;
use std::future::Future;
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use dynamo_lambda::aws_sdk_dynamodb::config::retry::RetryConfig;
use dynamo_lambda::aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use dynamo_lambda::aws_sdk_dynamodb::{Client, Config};
use dynamo_lambda::{
    Attribute, AttributeValue, Blob, FromAttributeValue, IntoAttributeValue, Item, TableClient,
    dynamo_lambda,
};

/// A client whose every request is answered in-process, before any socket
/// is opened, with a `ValidationException` (not retryable, so no back-off
/// sleeps either): the handlers' decoding and validation run in full, and a
/// request that passes them ends as a validation error at once.
pub fn offline_client() -> Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let config = Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .endpoint_url("http://127.0.0.1:9")
                .credentials_provider(Credentials::new("fuzz", "fuzz", None, None, "fuzz"))
                .retry_config(RetryConfig::disabled())
                .http_client(http_client_fn(|_, _| SharedHttpConnector::new(Offline)))
                .build();
            Client::from_conf(config)
        })
        .clone()
}

/// The connector of [`offline_client`].
#[derive(Debug)]
struct Offline;

impl HttpConnector for Offline {
    fn call(&self, _: HttpRequest) -> HttpConnectorFuture {
        let body =
            r#"{"__type":"com.amazon.coral.validate#ValidationException","message":"offline"}"#;
        let mut response = HttpResponse::new(
            StatusCode::try_from(400).expect("a status code"),
            SdkBody::from(body),
        );
        response
            .headers_mut()
            .insert("content-type", "application/x-amz-json-1.0");
        HttpConnectorFuture::ready(Ok(response))
    }
}

/// A table client of `name` on [`offline_client`].
pub fn table<T: dynamo_lambda::Table>(name: &'static str) -> TableClient<T> {
    TableClient::new(offline_client(), name)
}

/// Runs a future to completion on one current-thread runtime per thread.
pub fn block_on<F: Future>(future: F) -> F::Output {
    thread_local! {
        static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a current-thread runtime");
    }
    RUNTIME.with(|runtime| runtime.block_on(future))
}

/// A nested item.
#[derive(Debug, Clone, PartialEq, Attribute)]
pub struct Point {
    pub x: f64,
    pub y: f32,
    #[dynamo(rename = "label")]
    pub name: Option<String>,
}

/// A unit-only enum, stored as a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Attribute)]
pub enum Colour {
    Red,
    #[dynamo(rename = "verdant")]
    Green,
}

/// Every supported field type.
#[dynamo_lambda(table = "Everything", partition_key = "id", sort_key = "n")]
#[derive(Debug, Clone, PartialEq)]
pub struct Everything {
    pub id: String,
    pub n: u64,
    pub flag: bool,
    pub tiny: i8,
    pub small: i16,
    pub medium: i32,
    pub large: i64,
    pub huge: i128,
    pub word: isize,
    pub ubyte: u8,
    pub ushort: u16,
    pub uint: u32,
    pub ulong: u64,
    pub uhuge: u128,
    pub uword: usize,
    pub single: f32,
    pub double: f64,
    pub maybe: Option<String>,
    pub words: Vec<String>,
    pub holes: Vec<Option<i32>>,
    #[dynamo(binary)]
    pub bytes: Vec<u8>,
    #[dynamo(binary)]
    pub fixed: [u8; 4],
    pub blob: Blob,
    pub string_set: HashSet<String>,
    pub number_set: BTreeSet<i64>,
    pub floats: Vec<f64>,
    pub binary_set: HashSet<Blob>,
    pub counts: HashMap<String, u32>,
    pub groups: BTreeMap<String, Vec<String>>,
    pub point: Point,
    pub maybe_point: Option<Point>,
    pub path: Vec<Point>,
    pub colour: Colour,
    pub colours: Vec<Colour>,
    #[dynamo(default)]
    pub added_later: u32,
    #[dynamo(rename = "weird name #1: ünïcode")]
    pub weird: String,
}

/// The attribute names the fuzzer picks from most of the time, so that
/// decoding gets past the first field.
pub const NAMES: &[&str] = &[
    "id",
    "n",
    "flag",
    "tiny",
    "small",
    "medium",
    "large",
    "huge",
    "word",
    "ubyte",
    "ushort",
    "uint",
    "ulong",
    "uhuge",
    "uword",
    "single",
    "double",
    "maybe",
    "words",
    "holes",
    "bytes",
    "fixed",
    "blob",
    "string_set",
    "number_set",
    "floats",
    "binary_set",
    "counts",
    "groups",
    "point",
    "maybe_point",
    "path",
    "colour",
    "colours",
    "added_later",
    "weird name #1: ünïcode",
    "x",
    "y",
    "label",
    "Red",
    "verdant",
];

/// An attribute name: usually one of [`NAMES`].
#[derive(Debug)]
pub struct Name(pub String);

impl<'a> Arbitrary<'a> for Name {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        if u.ratio(7, 8)? {
            Ok(Name((*u.choose(NAMES)?).to_owned()))
        } else {
            Ok(Name(String::arbitrary(u)?))
        }
    }
}

/// The text of an `N`: numbers of every shape and width, and junk.
#[derive(Debug, Arbitrary)]
pub enum Number {
    Int(i64),
    Wide(i128),
    UWide(u128),
    Float(f64),
    Single(f32),
    Scientific(i64, i16),
    Decimal(i64, u8),
    Text(String),
}

impl Number {
    fn text(&self) -> String {
        match self {
            Number::Int(n) => n.to_string(),
            Number::Wide(n) => n.to_string(),
            Number::UWide(n) => n.to_string(),
            Number::Float(n) => n.to_string(),
            Number::Single(n) => n.to_string(),
            Number::Scientific(mantissa, exponent) => format!("{mantissa}E{exponent}"),
            Number::Decimal(n, scale) => {
                let digits = n.unsigned_abs().to_string();
                let scale = usize::from(*scale).min(digits.len());
                let (whole, fraction) = digits.split_at(digits.len() - scale);
                let sign = if *n < 0 { "-" } else { "" };
                format!("{sign}{whole}.{fraction}")
            }
            Number::Text(text) => text.clone(),
        }
    }
}

/// An arbitrary `AttributeValue`.
#[derive(Debug, Arbitrary)]
pub enum Attr {
    S(String),
    Enum(bool),
    N(Number),
    B(Vec<u8>),
    Bool(bool),
    Null(bool),
    L(Vec<Attr>),
    M(Vec<(Name, Attr)>),
    Ss(Vec<String>),
    Ns(Vec<Number>),
    Bs(Vec<Vec<u8>>),
}

impl Attr {
    /// The SDK value.
    pub fn value(&self) -> AttributeValue {
        match self {
            Attr::S(s) => AttributeValue::S(s.clone()),
            Attr::Enum(green) => AttributeValue::S(if *green { "verdant" } else { "Red" }.into()),
            Attr::N(n) => AttributeValue::N(n.text()),
            Attr::B(b) => AttributeValue::B(Blob::new(b.clone())),
            Attr::Bool(b) => AttributeValue::Bool(*b),
            Attr::Null(b) => AttributeValue::Null(*b),
            Attr::L(list) => AttributeValue::L(list.iter().map(Attr::value).collect()),
            Attr::M(map) => AttributeValue::M(
                map.iter()
                    .map(|(name, value)| (name.0.clone(), value.value()))
                    .collect(),
            ),
            Attr::Ss(set) => AttributeValue::Ss(set.clone()),
            Attr::Ns(set) => AttributeValue::Ns(set.iter().map(Number::text).collect()),
            Attr::Bs(set) => AttributeValue::Bs(set.iter().cloned().map(Blob::new).collect()),
        }
    }
}

/// An arbitrary item.
#[derive(Debug, Arbitrary)]
pub struct ArbitraryItem(pub Vec<(Name, Attr)>);

impl ArbitraryItem {
    /// The SDK item.
    pub fn item(&self) -> HashMap<String, AttributeValue> {
        self.0
            .iter()
            .map(|(name, value)| (name.0.clone(), value.value()))
            .collect()
    }
}

/// Whether `text` is the canonical form of a number: plain decimal, no
/// leading or trailing zeros, no sign on zero.
pub fn is_canonical_number(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let whole_ok = digits(whole) && (whole == "0" || !whole.starts_with('0'));
    let fraction_ok = fraction.is_none_or(|f| digits(f) && !f.ends_with('0'));
    let zero = whole == "0" && fraction.is_none();
    whole_ok && fraction_ok && (!zero || text == "0")
}

/// Every `N` text in `value` (in `N`, `NS` and nested lists and maps).
pub fn numbers(value: &AttributeValue, out: &mut Vec<String>) {
    match value {
        AttributeValue::N(n) => out.push(n.clone()),
        AttributeValue::Ns(set) => out.extend(set.iter().cloned()),
        AttributeValue::L(list) => list.iter().for_each(|v| numbers(v, out)),
        AttributeValue::M(map) => map.values().for_each(|v| numbers(v, out)),
        _ => {}
    }
}

/// If `value` decodes as `T` and the result encodes, the encoding is
/// canonical and decodes to an equal value.
pub fn round_trip<T>(value: &AttributeValue)
where
    T: FromAttributeValue + IntoAttributeValue + PartialEq + Debug,
{
    let Ok(decoded) = T::from_attribute_value(value.clone()) else {
        return;
    };
    let Ok(encoded) = decoded.to_attribute_value() else {
        return;
    };
    let again = match encoded {
        Some(encoded) => {
            let mut texts = Vec::new();
            numbers(&encoded, &mut texts);
            for text in texts {
                assert!(is_canonical_number(&text), "not canonical: {text:?}");
            }
            T::from_attribute_value(encoded)
        }
        None => T::from_missing(),
    };
    let again = again.unwrap_or_else(|e| panic!("{decoded:?} does not read back: {e}"));
    assert_eq!(again, decoded);
}

/// [`round_trip`] for a whole item.
pub fn round_trip_item<T: Item + PartialEq + Debug>(item: HashMap<String, AttributeValue>) {
    let Ok(decoded) = T::from_item(item) else {
        return;
    };
    let Ok(encoded) = decoded.to_item() else {
        return;
    };
    let mut texts = Vec::new();
    for value in encoded.values() {
        numbers(value, &mut texts);
    }
    for text in texts {
        assert!(is_canonical_number(&text), "not canonical: {text:?}");
    }
    let again =
        T::from_item(encoded).unwrap_or_else(|e| panic!("{decoded:?} does not read back: {e}"));
    assert_eq!(again, decoded);
}

#[cfg(test)]
mod tests {
    use super::is_canonical_number;

    #[test]
    fn canonical_numbers() {
        for good in ["0", "1", "-1", "10", "0.5", "-0.05", "12.34", "100"] {
            assert!(is_canonical_number(good), "{good}");
        }
        for bad in [
            "", "-", "-0", "00", "01", "1.0", "1.", ".5", "1e5", "0.50", "1.2.3", "+1",
        ] {
            assert!(!is_canonical_number(bad), "{bad}");
        }
    }
}
