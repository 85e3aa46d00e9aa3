//! DynamoDB's naming rules and the word splitting of generated names,
//! shared by the attribute checks and the schema-file rules.

/// Why a table or index name is not one DynamoDB takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    /// Not 3 to 255 characters long; the length it has.
    Length(usize),
    /// A character other than `a-z A-Z 0-9 _ - .`.
    Character(char),
}

/// Table and index names: 3 to 255 of `a-z A-Z 0-9 _ - .`.
pub fn check_name(name: &str) -> Result<(), NameError> {
    if !(3..=255).contains(&name.len()) {
        return Err(NameError::Length(name.len()));
    }
    match name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_-.".contains(*c)))
    {
        Some(bad) => Err(NameError::Character(bad)),
        None => Ok(()),
    }
}

/// `byStatus`, `by-status`, `ByStatus` → `by_status`: words split at a
/// lower-case letter or digit followed by an upper-case one and at every
/// run of other characters, joined by `_`, in lower case.
pub fn snake_case(name: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
            {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        previous = Some(c);
    }
    out.trim_end_matches('_').to_owned()
}

/// `GSI1` → `Gsi1`, `by_status` → `ByStatus`: the words of
/// [`snake_case`], each capitalised.
pub fn pascal_case(name: &str) -> String {
    snake_case(name)
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The number of an index in the impl headers of `PartitionField` and
/// `IndexKeyOf`: FNV-1a of its name, never 0, which is the table.
pub fn index_id(name: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    if hash == 0 { 1 } else { hash }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_dynamodb_takes() {
        assert_eq!(check_name("Users"), Ok(()));
        assert_eq!(check_name("my-table.v2_1"), Ok(()));
        assert_eq!(check_name("ab"), Err(NameError::Length(2)));
        assert_eq!(check_name(&"a".repeat(256)), Err(NameError::Length(256)));
        assert_eq!(check_name("user table"), Err(NameError::Character(' ')));
    }

    #[test]
    fn words_split_at_case_changes_and_separators() {
        assert_eq!(snake_case("byStatus"), "by_status");
        assert_eq!(snake_case("ByStatus"), "by_status");
        assert_eq!(snake_case("by-status"), "by_status");
        assert_eq!(snake_case("OrderItems"), "order_items");
        assert_eq!(snake_case("my-table.v2"), "my_table_v2");
        assert_eq!(snake_case("orders_2024"), "orders_2024");
        assert_eq!(snake_case("GSI1"), "gsi1");
        assert_eq!(snake_case("v2Index"), "v2_index");
        assert_eq!(snake_case("by_status"), "by_status");
        assert_eq!(snake_case("by-status.v2"), "by_status_v2");
        assert_eq!(snake_case("status_index_"), "status_index");
    }

    #[test]
    fn pascal_case_capitalises_the_words() {
        assert_eq!(pascal_case("GSI1"), "Gsi1");
        assert_eq!(pascal_case("by_status"), "ByStatus");
        assert_eq!(pascal_case("byOrderId"), "ByOrderId");
    }
}
