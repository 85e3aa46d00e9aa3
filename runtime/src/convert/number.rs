//! Integers and floats as DynamoDB numbers (`N`).
//!
//! DynamoDB stores numbers with up to 38 significant digits, from 1E-130 to
//! 9.9999999999999999999999999999999999999E+125 in magnitude. Values it cannot
//! store are refused here, before a request is sent.

use aws_sdk_dynamodb::types::AttributeValue;

use super::{FromAttributeValue, IntoAttributeValue};
use crate::AttributeError;

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
                Ok(Some(AttributeValue::N(buffer.format_finite(value).to_owned())))
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
    use super::normalize_integer;

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
