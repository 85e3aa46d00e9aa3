//! Just enough JSON for showing payloads: re-indenting text and reading a
//! string field of a top-level object.

/// Re-indents JSON text with two spaces per level; string contents are kept
/// as they are. Text that does not start with `{` or `[` is returned as is.
pub fn pretty(json: &str) -> String {
    let trimmed = json.trim();
    if !trimmed.starts_with(['{', '[']) {
        return trimmed.to_string();
    }
    let mut out = String::with_capacity(trimmed.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                while chars.next_if(|c| c.is_whitespace()).is_some() {}
                let close = if c == '{' { '}' } else { ']' };
                out.push(c);
                if chars.next_if_eq(&close).is_some() {
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n("  ", depth));
}

/// The string value of `key` in the top-level object of `json`, unescaped;
/// `None` when the text is no object, lacks the key or it holds no string.
pub fn string_field(json: &str, key: &str) -> Option<String> {
    let mut p = Parser {
        bytes: json.as_bytes(),
        at: 0,
    };
    p.expect(b'{')?;
    loop {
        p.skip_whitespace();
        if p.peek()? == b'}' {
            return None;
        }
        let name = p.string()?;
        p.expect(b':')?;
        p.skip_whitespace();
        if name == key {
            return if p.peek()? == b'"' { p.string() } else { None };
        }
        p.skip_value()?;
        p.expect(b',')?;
    }
}

/// A cursor over JSON text.
struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// Skips whitespace, then consumes `byte` if it is next.
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.bump()? == byte).then_some(())
    }

    /// Reads a string literal starting at the cursor.
    fn string(&mut self) -> Option<String> {
        if self.bump()? != b'"' {
            return None;
        }
        let mut out = Vec::new();
        loop {
            match self.bump()? {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let c = match self.bump()? {
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'u' => self.unicode_escape()?,
                        other => char::from(other),
                    };
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                b => out.push(b),
            }
        }
    }

    /// Reads the hex digits after `\u`, joining a surrogate pair.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return Some(char::from_u32(high).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
            return Some(char::REPLACEMENT_CHARACTER);
        }
        self.at += 2;
        let low = self.hex4()?;
        let code = 0x10000 + ((high - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF);
        Some(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        self.at += 4;
        u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    }

    /// Skips one value of any kind.
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => depth -= 1,
                        _ => {}
                    }
                    self.at += 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.at += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_indents_nested_values_and_keeps_strings() {
        let text = r#"{"a":[1,{"b":"x, {y}: \"z\""}],"e":{},"f":[ ]}"#;
        let expected = "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"x, {y}: \\\"z\\\"\"\n    }\n  ],\n  \"e\": {},\n  \"f\": []\n}";
        assert_eq!(pretty(text), expected);
        assert_eq!(pretty(" plain text \n"), "plain text");
    }

    #[test]
    fn string_field_reads_top_level_strings_only() {
        let text = r#" { "nested": {"errorType": "inner"}, "n": -1.5e3, "list": ["]"],
            "errorType" : "Bad\"Thing\u00e9\ud83d\ude00", "errorMessage": "line\nnext" } "#;
        assert_eq!(
            string_field(text, "errorType").as_deref(),
            Some("Bad\"Thing\u{e9}\u{1F600}")
        );
        assert_eq!(
            string_field(text, "errorMessage").as_deref(),
            Some("line\nnext")
        );
        assert_eq!(string_field(text, "n"), None);
        assert_eq!(string_field(text, "missing"), None);
        assert_eq!(string_field("[1]", "a"), None);
        assert_eq!(string_field("{\"a\":", "a"), None);
    }
}
