//! Integers and floats as DynamoDB numbers (`N`).
//!
//! DynamoDB stores numbers with up to 38 significant digits, from 1E-130 to
//! 9.9999999999999999999999999999999999999E+125 in magnitude. Values it cannot
//! store are refused here, before a request is sent.
//!
//! Numbers are written in the canonical form DynamoDB stores and returns:
//! plain decimal notation, no exponent, leading and trailing zeros trimmed,
//! no sign on zero (`2`, `10000000000000000`, `0.00000015`, `0`). DynamoDB
//! normalises whatever it is sent; a local server may store the text as sent,
//! so writing the canonical text keeps both the same.

use aws_sdk_dynamodb::types::AttributeValue;

use super::{FromAttributeValue, IntoAttributeValue};
use crate::model::error::AttributeError;

/// The most significant digits DynamoDB keeps.
const MAX_SIGNIFICANT_DIGITS: usize = 38;

/// The text of an `N` attribute, or the error naming what was found instead.
#[inline]
pub(crate) fn number_text(value: AttributeValue) -> Result<String, AttributeError> {
    match value {
        AttributeValue::N(n) => Ok(n),
        other => Err(AttributeError::wrong_type("N (number)", &other)),
    }
}

/// Whether an integer written in decimal fits DynamoDB's precision.
fn check_significant_digits(text: &str) -> Result<(), AttributeError> {
    let digits = text.trim_start_matches('-').trim_end_matches('0');
    if digits.len() > MAX_SIGNIFICANT_DIGITS {
        return Err(AttributeError::number(
            text,
            "has more than 38 significant digits, the most DynamoDB stores",
        ));
    }
    Ok(())
}

/// Rewrites a number in exponent or decimal notation (`1.5E+3`) as a plain
/// integer (`1500`), or says why it is not one.
#[cold]
fn normalize_integer(text: &str) -> Result<String, AttributeError> {
    let not_integer = || AttributeError::number(text, "is not an integer");
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => {
            let exponent: i32 = unsigned[at + 1..].parse().map_err(|_| not_integer())?;
            (&unsigned[..at], exponent)
        }
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(not_integer());
    }
    let mut digits: String = whole.chars().chain(fraction.chars()).collect();
    let point = i64::from(exponent) + whole.len() as i64;
    if point < 0 {
        return if digits.bytes().all(|b| b == b'0') {
            Ok("0".to_owned())
        } else {
            Err(not_integer())
        };
    }
    let point = point as usize;
    if point > 200 {
        return Err(AttributeError::number(text, "is out of range"));
    }
    if digits.len() > point {
        if !digits[point..].bytes().all(|b| b == b'0') {
            return Err(not_integer());
        }
        digits.truncate(point);
    } else {
        digits.extend(std::iter::repeat_n('0', point - digits.len()));
    }
    let trimmed = digits.trim_start_matches('0');
    let mut out = String::with_capacity(trimmed.len() + 1);
    if negative && !trimmed.is_empty() {
        out.push('-');
    }
    out.push_str(if trimmed.is_empty() { "0" } else { trimmed });
    Ok(out)
}

macro_rules! integer {
    ($($ty:ty => $wide:literal),* $(,)?) => {$(
        impl IntoAttributeValue for $ty {
            #[inline]
            fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
                let mut buffer = itoa::Buffer::new();
                let text = buffer.format(*self);
                if $wide {
                    check_significant_digits(text)?;
                }
                Ok(Some(AttributeValue::N(text.to_owned())))
            }
        }

        impl FromAttributeValue for $ty {
            #[inline]
            fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
                let text = number_text(value)?;
                if let Ok(n) = text.parse::<$ty>() {
                    return Ok(n);
                }
                normalize_integer(&text)?.parse::<$ty>().map_err(|_| {
                    AttributeError::number(text, concat!("does not fit in ", stringify!($ty)))
                })
            }
        }
    )*};
}

integer! {
    i8 => false, i16 => false, i32 => false, i64 => false, isize => false,
    u8 => false, u16 => false, u32 => false, u64 => false, usize => false,
    i128 => true, u128 => true,
}

/// The canonical text of a number `ryu` wrote (`2.0`, `1e16`, `1.5e-7`,
/// `-0.0`): `2`, `10000000000000000`, `0.00000015`, `0`.
#[inline]
fn canonical_float(text: &str) -> String {
    if !text.contains('e') {
        // `ryu` writes no leading zeros but the one before the point and no
        // trailing zeros but the one of a whole number.
        return match text.strip_suffix(".0") {
            Some("0" | "-0") => "0".to_owned(),
            Some(whole) => whole.to_owned(),
            None => text.to_owned(),
        };
    }
    canonical_scientific(text)
}

/// The plain decimal text of a number in scientific notation (`-1.25e-7`).
#[cold]
fn canonical_scientific(text: &str) -> String {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = unsigned.split_once(['e', 'E']).unwrap_or((unsigned, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = whole.chars().chain(fraction.chars()).collect();
    // The decimal point sits after `point` digits of `digits`.
    let mut point = whole.len() as i64 + exponent;
    let leading = digits.len() - digits.trim_start_matches('0').len();
    point -= leading as i64;
    let digits = digits[leading..].trim_end_matches('0');
    if digits.is_empty() {
        return "0".to_owned();
    }
    let mut out = String::with_capacity(digits.len() + point.unsigned_abs() as usize + 3);
    if negative {
        out.push('-');
    }
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(digits);
    } else if point as usize >= digits.len() {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        let (int, frac) = digits.split_at(point as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    }
    out
}

macro_rules! float {
    ($($ty:ty),* $(,)?) => {$(
        impl IntoAttributeValue for $ty {
            #[inline]
            fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
                let value = *self;
                if !value.is_finite() {
                    return Err(AttributeError::number(
                        value.to_string(),
                        "is not finite; DynamoDB numbers cannot be NaN or infinite",
                    ));
                }
                let magnitude = f64::from(value).abs();
                if magnitude != 0.0 && !(1e-130..1e126).contains(&magnitude) {
                    return Err(AttributeError::number(
                        value.to_string(),
                        "is outside DynamoDB's number range (1E-130 to 1E+126 in magnitude)",
                    ));
                }
                let mut buffer = ryu::Buffer::new();
                Ok(Some(AttributeValue::N(canonical_float(buffer.format_finite(value)))))
            }
        }

        impl FromAttributeValue for $ty {
            #[inline]
            fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
                let text = number_text(value)?;
                match text.parse::<$ty>() {
                    Ok(n) if n.is_finite() => Ok(n),
                    _ => Err(AttributeError::number(text, concat!("is not a valid ", stringify!($ty)))),
                }
            }
        }
    )*};
}

float!(f32, f64);

#[cfg(test)]
mod tests {
    use super::{canonical_float, normalize_integer};
    use crate::value::convert::IntoAttributeValue;
    use aws_sdk_dynamodb::types::AttributeValue;

    fn written<T: IntoAttributeValue>(value: T) -> String {
        match value.to_attribute_value() {
            Ok(Some(AttributeValue::N(text))) => text,
            other => panic!("not a number: {other:?}"),
        }
    }

    #[test]
    fn floats_are_written_in_canonical_form() {
        assert_eq!(written(2.0f64), "2");
        assert_eq!(written(-2.0f64), "-2");
        assert_eq!(written(0.0f64), "0");
        assert_eq!(written(-0.0f64), "0");
        assert_eq!(written(-0.0f32), "0");
        assert_eq!(written(0.1f64), "0.1");
        assert_eq!(written(0.1f32), "0.1");
        assert_eq!(written(1e16f64), "10000000000000000");
        assert_eq!(written(1.5e-7f64), "0.00000015");
        assert_eq!(written(-1.25e20f64), "-125000000000000000000");
        assert_eq!(written(123.456f64), "123.456");
        assert_eq!(written(1e125f64), format!("1{}", "0".repeat(125)));
        assert_eq!(written(1e-130f64), format!("0.{}1", "0".repeat(129)));
        assert_eq!(written(f64::EPSILON), "0.0000000000000002220446049250313");
        assert_eq!(written(16777216f32), "16777216");
        assert_eq!(written(3.0e38f32), format!("3{}", "0".repeat(38)));
    }

    #[test]
    fn canonical_text_reads_back_as_the_same_float() {
        for value in [
            0.1,
            1.0 / 3.0,
            -2.5e-100,
            f64::from_bits(1e126f64.to_bits() - 1),
            1e-130,
            123_456_789.012_345_67,
            f64::from(f32::MAX),
        ] {
            let text = canonical_float(ryu::Buffer::new().format_finite(value));
            assert!(!text.contains(['e', 'E', '+']), "{text}");
            assert_eq!(text.parse::<f64>().unwrap(), value, "{text}");
        }
    }

    #[test]
    fn integers_are_written_in_canonical_form() {
        assert_eq!(written(0u8), "0");
        assert_eq!(written(-7i64), "-7");
        assert_eq!(
            written(u128::MAX / 10_000_000),
            (u128::MAX / 10_000_000).to_string()
        );
        assert_eq!(written(10u128.pow(38)), format!("1{}", "0".repeat(38)));
    }

    #[test]
    fn normalizes_exponent_and_decimal_forms() {
        assert_eq!(normalize_integer("1.5E+3").unwrap(), "1500");
        assert_eq!(normalize_integer("-12e1").unwrap(), "-120");
        assert_eq!(normalize_integer("42.000").unwrap(), "42");
        assert_eq!(normalize_integer("0.0").unwrap(), "0");
        assert_eq!(normalize_integer("-0").unwrap(), "0");
        assert_eq!(
            normalize_integer("1E38").unwrap(),
            format!("1{}", "0".repeat(38))
        );
        assert!(normalize_integer("1.5").is_err());
        assert!(normalize_integer("1e-1").is_err());
        assert!(normalize_integer("abc").is_err());
        assert!(normalize_integer("").is_err());
        assert!(normalize_integer("1e999999").is_err());
    }
}
