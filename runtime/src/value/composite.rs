//! Composite keys: several values in one string attribute, the way
//! single-table designs write them — `USER#{user_id}`,
//! `ORDER#{created_at}#{order_id}`.
//!
//! The encoding keeps three promises, which property tests check:
//!
//! - **It parses back.** Every value comes out of the key as it went in:
//!   case is never changed, nothing is trimmed.
//! - **It is injective.** Different values give different keys, whatever
//!   the values contain: `("a#b", "c")` and `("a", "b#c")` do not meet.
//! - **It sorts like the values.** DynamoDB compares string keys byte by
//!   byte; keys composed with one template compare as their values do, so a
//!   sort-key range over composed keys is a range over the values.
//!
//! Segments are separated by [`DELIMITER`] (`#`). A string segment writes
//! every character above `$` as itself and every character up to `$` —
//! the control characters, space, `!`, `"`, `#` and `$` itself — as `$`
//! followed by the character: `"John Smith"` is `John$ Smith`, `"a#b"` is
//! `a$#b`. Every encoded character then starts with a byte above `#`, so
//! the delimiter sorts below anything a segment can continue with, and a
//! segment's end is the first `#` not escaped.
//!
//! Integers are fixed-width decimal, so they sort as numbers:
//! unsigned ones zero-padded to the width of their type's maximum (`u32`
//! 42 is `0000000042`), signed ones with a sign place first — `0` then the
//! zero-padded value for 0 and above (`i64` 42 is `00000000000000000042`),
//! `-` then the zero-padded distance from the type's minimum below 0 (`i64`
//! -1 is `-9223372036854775807`). `usize` and `isize` are written as `u64`
//! and `i64`, the same on every platform. `bool` is `false` or `true`.
//!
//! Time types have no impl here: implement [`KeySegment`] for yours with a
//! text that sorts as time does (RFC 3339 in UTC with a fixed number of
//! fractional digits, or epoch seconds as an integer).
//!
//! ```
//! use dynamo_lambda::composite::{KeyReader, KeySegment};
//!
//! let mut key = String::from("ORDER#");
//! 1_700_000_000_u64.write_segment(&mut key);
//! key.push('#');
//! "a#1".to_owned().write_segment(&mut key);
//! assert_eq!(key, "ORDER#00000000001700000000#a$#1");
//!
//! let mut reader = KeyReader::new(&key, "ORDER#{created_at}#{order_id}");
//! reader.literal("ORDER#")?;
//! let created_at: u64 = reader.segment()?;
//! reader.literal("#")?;
//! let order_id: String = reader.segment()?;
//! reader.end()?;
//! assert_eq!((created_at, order_id.as_str()), (1_700_000_000, "a#1"));
//! # Ok::<(), dynamo_lambda::AttributeError>(())
//! ```

use std::fmt;

use crate::model::error::{AttributeError, AttributeErrorKind};

/// What separates the segments of a composite key.
pub const DELIMITER: char = '#';

/// What escapes a character up to itself inside a string segment.
pub const ESCAPE: char = '$';

/// A value that can be one segment of a composite key.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a field of a key template",
    label = "a key template's fields are strings, integers, `char` or `bool`",
    note = "floating-point numbers, lists, maps and sets have no key encoding that parses back and sorts; implement `dynamo_lambda::composite::KeySegment` for a type of your own"
)]
pub trait KeySegment: Sized {
    /// Appends the value's encoding to `out`.
    fn write_segment(&self, out: &mut String);

    /// Reads a value from the start of `input`: the value and what follows it.
    fn read_segment(input: &str) -> Result<(Self, &str), SegmentError>;

    /// What follows this value's encoding at the start of `input`, or
    /// `None` when `input` does not start with it: checks a stored key
    /// against a value without composing the key. By default it writes the
    /// encoding to a buffer and compares.
    fn strip_segment<'a>(&self, input: &'a str) -> Option<&'a str> {
        let mut encoded = String::new();
        self.write_segment(&mut encoded);
        input.strip_prefix(encoded.as_str())
    }

    /// About how many bytes the encoding takes, to size a key at once.
    fn segment_size_hint(&self) -> usize {
        16
    }
}

/// Why a segment of a composite key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SegmentError {
    /// The key ends where a segment was expected.
    #[error("it ends where {expected} was expected")]
    Ended {
        /// What was expected, e.g. "a 20-digit `u64`".
        expected: &'static str,
    },
    /// Text that is not what the segment's type writes.
    #[error("`{found}` is not {expected}")]
    Invalid {
        /// The text read.
        found: String,
        /// What the type writes.
        expected: &'static str,
    },
    /// A character a string segment writes escaped, found as itself.
    #[error("`{0:?}` must be escaped as `${0}` in a string segment")]
    Unescaped(char),
    /// An escape not followed by a character it escapes.
    #[error("`$` must be followed by a character up to `$`, found {0}")]
    BadEscape(Found),
}

/// What followed a bad escape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// This character.
    Char(char),
    /// The end of the key.
    End,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Char(c) => write!(f, "`{c}`"),
            Found::End => f.write_str("the end of the key"),
        }
    }
}

/// Whether a string segment writes the byte escaped. Every such byte is
/// ASCII (below 0x80), so the segments are scanned byte by byte: no byte of
/// a multi-byte character is one.
fn escaped_byte(b: u8) -> bool {
    b <= ESCAPE as u8
}

/// Writes `value` as a string segment.
pub fn write_str_segment(value: &str, out: &mut String) {
    // Room for a few escapes besides the value itself.
    out.reserve(value.len() + 4);
    let bytes = value.as_bytes();
    let mut plain = 0;
    for (at, &b) in bytes.iter().enumerate() {
        if escaped_byte(b) {
            out.push_str(&value[plain..at]);
            out.push(ESCAPE);
            out.push(b as char);
            plain = at + 1;
        }
    }
    out.push_str(&value[plain..]);
}

/// What follows `value`, as a string segment, at the start of `input`.
pub fn strip_str_segment<'a>(value: &str, input: &'a str) -> Option<&'a str> {
    let mut rest = input.as_bytes();
    let bytes = value.as_bytes();
    let mut plain = 0;
    for (at, &b) in bytes.iter().enumerate() {
        if escaped_byte(b) {
            rest = rest.strip_prefix(&bytes[plain..at])?;
            rest = rest.strip_prefix(&[ESCAPE as u8, b])?;
            plain = at + 1;
        }
    }
    rest = rest.strip_prefix(&bytes[plain..])?;
    // The rest starts after a whole character of `input`: the last byte
    // matched ends a character of `value`, which is valid UTF-8.
    Some(&input[input.len() - rest.len()..])
}

/// Reads a string segment: up to the first unescaped [`DELIMITER`] or the end.
pub fn read_str_segment(input: &str) -> Result<(String, &str), SegmentError> {
    let bytes = input.as_bytes();
    // The segment is at most the rest of the key: one allocation.
    let mut out = String::with_capacity(input.len());
    let mut plain = 0;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if !escaped_byte(b) {
            at += 1;
            continue;
        }
        if b == DELIMITER as u8 {
            out.push_str(&input[plain..at]);
            return Ok((out, &input[at..]));
        }
        if b != ESCAPE as u8 {
            return Err(SegmentError::Unescaped(b as char));
        }
        out.push_str(&input[plain..at]);
        match bytes.get(at + 1) {
            Some(&next) if escaped_byte(next) => {
                out.push(next as char);
                plain = at + 2;
                at += 2;
            }
            Some(_) => {
                let next = input[at + 1..].chars().next().expect("a character follows");
                return Err(SegmentError::BadEscape(Found::Char(next)));
            }
            None => return Err(SegmentError::BadEscape(Found::End)),
        }
    }
    out.push_str(&input[plain..]);
    Ok((out, ""))
}

impl KeySegment for String {
    fn write_segment(&self, out: &mut String) {
        write_str_segment(self, out);
    }

    fn read_segment(input: &str) -> Result<(Self, &str), SegmentError> {
        read_str_segment(input)
    }

    fn strip_segment<'a>(&self, input: &'a str) -> Option<&'a str> {
        strip_str_segment(self, input)
    }

    fn segment_size_hint(&self) -> usize {
        self.len() + 4
    }
}

impl KeySegment for Box<str> {
    fn write_segment(&self, out: &mut String) {
        write_str_segment(self, out);
    }

    fn read_segment(input: &str) -> Result<(Self, &str), SegmentError> {
        read_str_segment(input).map(|(value, rest)| (value.into_boxed_str(), rest))
    }

    fn strip_segment<'a>(&self, input: &'a str) -> Option<&'a str> {
        strip_str_segment(self, input)
    }

    fn segment_size_hint(&self) -> usize {
        self.len() + 4
    }
}

impl KeySegment for char {
    fn write_segment(&self, out: &mut String) {
        write_str_segment(self.encode_utf8(&mut [0; 4]), out);
    }

    fn read_segment(input: &str) -> Result<(Self, &str), SegmentError> {
        let (value, rest) = read_str_segment(input)?;
        let mut chars = value.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok((c, rest)),
            _ => Err(SegmentError::Invalid {
                found: value,
                expected: "one character",
            }),
        }
    }
}

impl KeySegment for bool {
    fn write_segment(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }

    fn read_segment(input: &str) -> Result<(Self, &str), SegmentError> {
        if let Some(rest) = input.strip_prefix("false") {
            Ok((false, rest))
        } else if let Some(rest) = input.strip_prefix("true") {
            Ok((true, rest))
        } else {
            Err(SegmentError::Invalid {
                found: until_delimiter(input).to_owned(),
                expected: "`true` or `false`",
            })
        }
    }
}

/// The text up to the next delimiter, for messages.
fn until_delimiter(input: &str) -> &str {
    input.split(DELIMITER).next().unwrap_or(input)
}

/// Splits off the first `width` bytes if they are ASCII digits.
fn digits<'a>(
    input: &'a str,
    width: usize,
    expected: &'static str,
) -> Result<(&'a str, &'a str), SegmentError> {
    if input.is_empty() {
        return Err(SegmentError::Ended { expected });
    }
    match input.get(..width) {
        Some(head) if head.bytes().all(|b| b.is_ascii_digit()) => Ok((head, &input[width..])),
        _ => Err(SegmentError::Invalid {
            found: until_delimiter(input).to_owned(),
            expected,
        }),
    }
}

/// Appends `value` zero-padded to `width` digits.
fn write_padded(value: u128, width: usize, out: &mut String) {
    let mut buffer = itoa::Buffer::new();
    let text = buffer.format(value);
    for _ in text.len()..width {
        out.push('0');
    }
    out.push_str(text);
}

/// What follows `value` zero-padded to `width` digits at the start of `input`.
fn strip_padded(value: u128, width: usize, input: &str) -> Option<&str> {
    let mut buffer = itoa::Buffer::new();
    let text = buffer.format(value);
    let zeros = width.checked_sub(text.len())?;
    let head = input.get(..width)?;
    (head.bytes().take(zeros).all(|b| b == b'0') && head[zeros..] == *text).then(|| &input[width..])
}

macro_rules! unsigned_segment {
    ($($ty:ty as $wide:ty, $width:expr, $expected:expr;)*) => {$(
        impl KeySegment for $ty {
            fn write_segment(&self, out: &mut String) {
                write_padded(*self as u128, $width, out);
            }

            fn strip_segment<'a>(&self, input: &'a str) -> Option<&'a str> {
                strip_padded(*self as u128, $width, input)
            }

            fn segment_size_hint(&self) -> usize {
                $width
            }

            fn read_segment(input: &str) -> Result<(Self, &str), SegmentError> {
                let (head, rest) = digits(input, $width, $expected)?;
                let invalid = || SegmentError::Invalid {
                    found: head.to_owned(),
                    expected: $expected,
                };
                let value: $wide = head.parse().map_err(|_| invalid())?;
                let value = <$ty>::try_from(value).map_err(|_| invalid())?;
                Ok((value, rest))
            }
        }
    )*};
}

unsigned_segment! {
    u8 as u8, 3, "a 3-digit `u8`";
    u16 as u16, 5, "a 5-digit `u16`";
    u32 as u32, 10, "a 10-digit `u32`";
    u64 as u64, 20, "a 20-digit `u64`";
    u128 as u128, 39, "a 39-digit `u128`";
    usize as u64, 20, "a 20-digit `usize`";
}

macro_rules! signed_segment {
    ($($ty:ty as $wide:ty, $width:expr, $expected:expr;)*) => {$(
        impl KeySegment for $ty {
            fn write_segment(&self, out: &mut String) {
                let value = *self as $wide;
                if value >= 0 {
                    out.push('0');
                    write_padded(value as u128, $width, out);
                } else {
                    out.push('-');
                    // The distance from the minimum, below `MAX`: it fits.
                    write_padded(value.abs_diff(<$wide>::MIN) as u128, $width, out);
                }
            }

            fn segment_size_hint(&self) -> usize {
                $width + 1
            }

            fn strip_segment<'a>(&self, input: &'a str) -> Option<&'a str> {
                let value = *self as $wide;
                if value >= 0 {
                    strip_padded(value as u128, $width, input.strip_prefix('0')?)
                } else {
                    strip_padded(value.abs_diff(<$wide>::MIN) as u128, $width, input.strip_prefix('-')?)
                }
            }

            fn read_segment(input: &str) -> Result<(Self, &str), SegmentError> {
                let invalid = |found: &str| SegmentError::Invalid {
                    found: found.to_owned(),
                    expected: $expected,
                };
                let negative = match input.as_bytes().first() {
                    None => return Err(SegmentError::Ended { expected: $expected }),
                    Some(b'0') => false,
                    Some(b'-') => true,
                    Some(_) => return Err(invalid(until_delimiter(input))),
                };
                let (head, rest) = digits(&input[1..], $width, $expected)
                    .map_err(|_| invalid(until_delimiter(input)))?;
                let magnitude: u128 = head.parse().map_err(|_| invalid(head))?;
                let max = <$wide>::MAX as u128;
                if magnitude > max {
                    return Err(invalid(&input[..=$width]));
                }
                let value = if negative {
                    // MIN + magnitude, in range because magnitude <= MAX.
                    (<$wide>::MIN as i128 + magnitude as i128) as $wide
                } else {
                    magnitude as $wide
                };
                let value = <$ty>::try_from(value).map_err(|_| invalid(&input[..=$width]))?;
                Ok((value, rest))
            }
        }
    )*};
}

signed_segment! {
    i8 as i8, 3, "a sign and 3 digits (`i8`)";
    i16 as i16, 5, "a sign and 5 digits (`i16`)";
    i32 as i32, 10, "a sign and 10 digits (`i32`)";
    i64 as i64, 19, "a sign and 19 digits (`i64`)";
    isize as i64, 19, "a sign and 19 digits (`isize`)";
    i128 as i128, 39, "a sign and 39 digits (`i128`)";
}

/// Reads a composite key against its template, literal by literal and
/// segment by segment; errors name the key, the template and what is wrong.
#[derive(Debug)]
pub struct KeyReader<'a> {
    key: &'a str,
    rest: &'a str,
    template: &'static str,
    attribute: Option<&'static str>,
}

impl<'a> KeyReader<'a> {
    /// A reader of `key`, composed with `template` (named in errors).
    pub fn new(key: &'a str, template: &'static str) -> Self {
        KeyReader {
            key,
            rest: key,
            template,
            attribute: None,
        }
    }

    /// The same reader, its errors at the key attribute `attribute`.
    pub fn at(self, attribute: &'static str) -> Self {
        KeyReader {
            attribute: Some(attribute),
            ..self
        }
    }

    fn error(&self, reason: impl fmt::Display) -> AttributeError {
        let error = AttributeError::new(AttributeErrorKind::KeyTemplate {
            value: self.key.to_owned(),
            template: self.template,
            reason: reason.to_string(),
        });
        match self.attribute {
            Some(attribute) => error.in_field(attribute),
            None => error,
        }
    }

    /// Reads the literal text `literal`.
    pub fn literal(&mut self, literal: &str) -> Result<(), AttributeError> {
        match self.rest.strip_prefix(literal) {
            Some(rest) => {
                self.rest = rest;
                Ok(())
            }
            None => Err(self.error(format_args!(
                "expected `{literal}` at byte {}",
                self.key.len() - self.rest.len()
            ))),
        }
    }

    /// Reads one segment.
    pub fn segment<T: KeySegment>(&mut self) -> Result<T, AttributeError> {
        match T::read_segment(self.rest) {
            Ok((value, rest)) => {
                self.rest = rest;
                Ok(value)
            }
            Err(error) => Err(self.error(error)),
        }
    }

    /// Checks that nothing follows.
    pub fn end(self) -> Result<(), AttributeError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.error(format_args!("`{}` follows the template's end", self.rest)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode<T: KeySegment>(value: &T) -> String {
        let mut out = String::new();
        value.write_segment(&mut out);
        out
    }

    fn decode<T: KeySegment>(text: &str) -> Result<T, SegmentError> {
        let (value, rest) = T::read_segment(text)?;
        assert_eq!(rest, "", "the whole of {text:?} is read");
        Ok(value)
    }

    fn strips<T: KeySegment>(value: &T, rest: &str) -> bool {
        let mut key = encode(value);
        key.push_str(rest);
        value.strip_segment(&key) == Some(rest)
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(4096))]

        #[test]
        fn stripping_a_segment_agrees_with_writing_it(
            a in "[#$! a-z\u{0}-\u{1f}ü😀]{0,6}",
            b in "[#$! a-z\u{0}-\u{1f}ü😀]{0,6}",
            n in proptest::prelude::any::<i64>(),
            m in proptest::prelude::any::<i64>(),
            u in proptest::prelude::any::<u32>(),
        ) {
            proptest::prop_assert!(strips(&a, "#x"));
            proptest::prop_assert!(strips(&n, "#x"));
            proptest::prop_assert!(strips(&u, ""));
            // Another value's encoding is not stripped, unless it is this
            // one's followed by more (which the next literal then refuses).
            let other = encode(&b);
            let stripped = a.strip_segment(&other);
            proptest::prop_assert_eq!(stripped.is_some(), other.starts_with(&encode(&a)));
            proptest::prop_assert_eq!(n.strip_segment(&encode(&m)).is_some(), n == m);
        }
    }

    #[test]
    fn strings_escape_what_sorts_up_to_the_escape() {
        assert_eq!(encode(&"John Smith".to_owned()), "John$ Smith");
        assert_eq!(encode(&"a#b".to_owned()), "a$#b");
        assert_eq!(encode(&"$5!".to_owned()), "$$5$!");
        assert_eq!(encode(&"ÄÖ%é".to_owned()), "ÄÖ%é");
        assert_eq!(decode::<String>("a$#b"), Ok("a#b".to_owned()));
        assert_eq!(String::read_segment("a$#b#c"), Ok(("a#b".to_owned(), "#c")));
    }

    #[test]
    fn non_canonical_strings_are_refused() {
        assert_eq!(decode::<String>("a b"), Err(SegmentError::Unescaped(' ')));
        assert_eq!(
            decode::<String>("a$b"),
            Err(SegmentError::BadEscape(Found::Char('b')))
        );
        assert_eq!(
            decode::<String>("a$"),
            Err(SegmentError::BadEscape(Found::End))
        );
    }

    #[test]
    fn integers_are_fixed_width_and_sign_aware() {
        assert_eq!(encode(&42_u32), "0000000042");
        assert_eq!(encode(&u64::MAX), "18446744073709551615");
        assert_eq!(encode(&42_i64), "00000000000000000042");
        assert_eq!(encode(&-1_i64), "-9223372036854775807");
        assert_eq!(encode(&i64::MIN), "-0000000000000000000");
        assert_eq!(encode(&-128_i8), "-000");
        assert_eq!(encode(&127_i8), "0127");
        assert_eq!(decode::<i8>("-000"), Ok(-128));
        assert_eq!(decode::<i64>("-9223372036854775807"), Ok(-1));
        assert_eq!(decode::<i128>(&encode(&i128::MIN)), Ok(i128::MIN));
        assert_eq!(decode::<u128>(&encode(&u128::MAX)), Ok(u128::MAX));
    }

    #[test]
    fn integers_out_of_range_or_short_are_refused() {
        assert!(matches!(
            decode::<u8>("256"),
            Err(SegmentError::Invalid { .. })
        ));
        assert!(matches!(
            decode::<i8>("0128"),
            Err(SegmentError::Invalid { .. })
        ));
        assert!(matches!(
            u32::read_segment("42#x"),
            Err(SegmentError::Invalid { .. })
        ));
        assert_eq!(
            u32::read_segment(""),
            Err(SegmentError::Ended {
                expected: "a 10-digit `u32`"
            })
        );
        assert!(matches!(
            decode::<i32>("+0000000001"),
            Err(SegmentError::Invalid { .. })
        ));
    }

    #[test]
    fn the_reader_names_the_key_and_the_template() {
        let mut reader = KeyReader::new("USER#7", "ORDER#{id}");
        let error = reader.literal("ORDER#").unwrap_err();
        assert_eq!(
            error.to_string(),
            "key `USER#7` does not match template `ORDER#{id}`: expected `ORDER#` at byte 0"
        );
        let mut reader = KeyReader::new("N#0000000001#x", "N#{n}");
        reader.literal("N#").unwrap();
        assert_eq!(reader.segment::<u32>().unwrap(), 1);
        assert!(
            reader
                .end()
                .unwrap_err()
                .to_string()
                .contains("`#x` follows")
        );
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;
        use super::{decode, encode};

        const CASES: u32 = 4096;

        /// Any string, and strings of the characters that matter here: the
        /// delimiter, the escape, what sorts around them, and beyond ASCII.
        fn text() -> impl Strategy<Value = String> {
            let tricky = proptest::collection::vec(
                prop_oneof![
                    Just('#'),
                    Just('$'),
                    Just('%'),
                    Just('"'),
                    Just(' '),
                    Just('\0'),
                    Just('a'),
                    Just('A'),
                    Just('é'),
                    Just('😀'),
                ],
                0..8,
            )
            .prop_map(|chars| chars.into_iter().collect());
            prop_oneof![any::<String>(), tricky]
        }

        /// `value1#value2`, as a template `{a}#{b}` composes them.
        fn pair<A: KeySegment, B: KeySegment>(a: &A, b: &B) -> String {
            let mut out = String::new();
            a.write_segment(&mut out);
            out.push(DELIMITER);
            b.write_segment(&mut out);
            out
        }

        fn read_pair<A: KeySegment, B: KeySegment>(key: &str) -> (A, B) {
            let mut reader = KeyReader::new(key, "{a}#{b}");
            let a = reader.segment().expect("first segment");
            reader.literal("#").expect("delimiter");
            let b = reader.segment().expect("second segment");
            reader.end().expect("end");
            (a, b)
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(CASES))]

            #[test]
            fn strings_round_trip_and_sort_as_themselves(a in text(), b in text()) {
                prop_assert_eq!(decode::<String>(&encode(&a)), Ok(a.clone()));
                prop_assert_eq!(encode(&a).cmp(&encode(&b)), a.cmp(&b));
            }

            #[test]
            fn integers_round_trip_and_sort_as_numbers(
                a in any::<i64>(), b in any::<i64>(),
                c in any::<u32>(), d in any::<u32>(),
                e in any::<i8>(), f in any::<i8>(),
                g in any::<i128>(), h in any::<i128>(),
                i in any::<u128>(), j in any::<u128>(),
            ) {
                prop_assert_eq!(decode::<i64>(&encode(&a)), Ok(a));
                prop_assert_eq!(encode(&a).cmp(&encode(&b)), a.cmp(&b));
                prop_assert_eq!(decode::<u32>(&encode(&c)), Ok(c));
                prop_assert_eq!(encode(&c).cmp(&encode(&d)), c.cmp(&d));
                prop_assert_eq!(decode::<i8>(&encode(&e)), Ok(e));
                prop_assert_eq!(encode(&e).cmp(&encode(&f)), e.cmp(&f));
                prop_assert_eq!(decode::<i128>(&encode(&g)), Ok(g));
                prop_assert_eq!(encode(&g).cmp(&encode(&h)), g.cmp(&h));
                prop_assert_eq!(decode::<u128>(&encode(&i)), Ok(i));
                prop_assert_eq!(encode(&i).cmp(&encode(&j)), i.cmp(&j));
            }

            #[test]
            fn string_pairs_are_distinct_and_ordered_as_the_pairs(
                a in (text(), text()),
                b in (text(), text()),
            ) {
                let (ka, kb) = (pair(&a.0, &a.1), pair(&b.0, &b.1));
                prop_assert_eq!(ka == kb, a == b);
                prop_assert_eq!(ka.cmp(&kb), a.cmp(&b));
                prop_assert_eq!(read_pair::<String, String>(&ka), a);
            }

            #[test]
            fn mixed_pairs_are_distinct_and_ordered_as_the_pairs(
                a in (any::<i64>(), text()),
                b in (any::<i64>(), text()),
                c in (text(), any::<u16>()),
                d in (text(), any::<u16>()),
            ) {
                let (ka, kb) = (pair(&a.0, &a.1), pair(&b.0, &b.1));
                prop_assert_eq!(ka == kb, a == b);
                prop_assert_eq!(ka.cmp(&kb), a.cmp(&b));
                prop_assert_eq!(read_pair::<i64, String>(&ka), a);
                let (kc, kd) = (pair(&c.0, &c.1), pair(&d.0, &d.1));
                prop_assert_eq!(kc == kd, c == d);
                prop_assert_eq!(kc.cmp(&kd), c.cmp(&d));
                prop_assert_eq!(read_pair::<String, u16>(&kc), c);
            }

            #[test]
            fn any_text_reads_as_a_segment_or_fails_without_panicking(input in text()) {
                // What reads back writes the same text: one encoding per value.
                if let Ok((value, rest)) = String::read_segment(&input) {
                    let mut written = encode(&value);
                    written.push_str(rest);
                    prop_assert_eq!(written, input.clone());
                }
                let _ = i64::read_segment(&input);
                let _ = u128::read_segment(&input);
                let _ = bool::read_segment(&input);
            }
        }
    }
}
