//! Key templates: `USER#{user_id}`, `ORDER#{created_at}#{order_id}` —
//! literal text and fields, checked so that every composed key parses
//! back into its fields and every prefix ends on a delimiter.

use proc_macro2::Span;
use syn::{LitStr, Type};

use crate::ctxt::Ctxt;
use crate::parse::ast::type_argument;
use crate::parse::{Field, Struct};

/// What separates the segments of a composed key (`composite::DELIMITER`).
pub const DELIMITER: char = '#';

/// A checked key template.
pub struct Template<'a> {
    /// The template as written.
    pub text: String,
    pub span: Span,
    pub parts: Vec<Part<'a>>,
}

pub enum Part<'a> {
    Literal(String),
    Field(TemplateField<'a>),
}

/// A field of a template.
pub struct TemplateField<'a> {
    pub field: &'a Field<'a>,
    /// The type a segment is written from: the field's, or the `T` of an
    /// `Option<T>` in an index template (items without it are not in the index).
    pub ty: &'a Type,
    pub optional: bool,
}

/// Where a template is used, for messages and for what it may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The table's partition or sort key: every item has it.
    Primary,
    /// An index's key: items without one of its fields are left out.
    Index,
}

impl<'a> Template<'a> {
    /// The fields, in order.
    pub fn fields(&self) -> impl Iterator<Item = &TemplateField<'a>> {
        self.parts.iter().filter_map(|part| match part {
            Part::Field(field) => Some(field),
            Part::Literal(_) => None,
        })
    }

    /// The literal text up to the first field, or all of it: what every key
    /// composed with this template begins with.
    pub fn prefix(&self) -> String {
        match self.parts.first() {
            Some(Part::Literal(text)) => text.clone(),
            _ => String::new(),
        }
    }

    /// Whether the template is a constant: no fields.
    pub fn is_constant(&self) -> bool {
        self.fields().next().is_none()
    }
}

/// Parses and checks `lit` as a template over `item`'s fields.
pub fn template<'a>(
    cx: &Ctxt,
    item: &'a Struct<'a>,
    lit: &LitStr,
    role: Role,
) -> Option<Template<'a>> {
    let text = lit.value();
    let error = |message: String| {
        cx.error_spanned_by(lit, message);
        None
    };
    if text.is_empty() {
        return error("a key template must not be empty: DynamoDB refuses empty keys".into());
    }
    let mut parts = Vec::new();
    let mut rest = text.as_str();
    let mut ok = true;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('{') {
            let Some(end) = after.find('}') else {
                return error(format!("unclosed `{{` in key template `{text}`"));
            };
            let name = after[..end].trim();
            rest = &after[end + 1..];
            if name.is_empty() {
                return error(format!(
                    "empty `{{}}` in key template `{text}`: name a field, e.g. `{{id}}`"
                ));
            }
            let Some(field) = item.field(name) else {
                let mut message = format!(
                    "key template `{text}` names no field `{name}` of `{}`",
                    item.ident
                );
                if let Some(renamed) = item.stored_fields().find(|f| f.name == name) {
                    message.push_str(&format!(
                        "\n\nhelp: `{name}` is the attribute of field `{}`; templates name the Rust field",
                        renamed.ident
                    ));
                }
                cx.error_spanned_by(lit, message);
                ok = false;
                continue;
            };
            if let Some(Part::Field(previous)) = parts.last() {
                let previous: &TemplateField = previous;
                cx.error_spanned_by(
                    lit,
                    format!(
                        "`{{{}}}{{{name}}}` in key template `{text}`: two fields side by side cannot be read back apart; put a `{DELIMITER}` between them: `{{{}}}{DELIMITER}{{{name}}}`",
                        previous.field.ident, previous.field.ident
                    ),
                );
                ok = false;
            }
            match template_field(cx, field, role, lit) {
                Some(field) => parts.push(Part::Field(field)),
                None => ok = false,
            }
        } else {
            let end = rest.find('{').unwrap_or(rest.len());
            let literal = &rest[..end];
            if literal.contains('}') {
                return error(format!("unmatched `}}` in key template `{text}`"));
            }
            parts.push(Part::Literal(literal.to_owned()));
            rest = &rest[end..];
        }
    }
    ok &= delimited(cx, lit, &text, &parts);
    ok &= distinct(cx, lit, &text, &parts);
    ok.then_some(Template {
        text,
        span: lit.span(),
        parts,
    })
}

/// Text before a field ends with the delimiter and text after one starts
/// with it: a field's segment is then found again, and a prefix of keys
/// never ends inside a value (`USER#1` would also match `USER#10`).
fn delimited(cx: &Ctxt, lit: &LitStr, text: &str, parts: &[Part]) -> bool {
    let mut ok = true;
    for pair in parts.windows(2) {
        match pair {
            [Part::Literal(before), Part::Field(field)] if !before.ends_with(DELIMITER) => {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "in key template `{text}`, the text before `{{{}}}` must end with `{DELIMITER}`, so that a key prefix ends on a delimiter: `{before}{DELIMITER}{{{}}}`",
                        field.field.ident, field.field.ident
                    ),
                );
                ok = false;
            }
            [Part::Field(field), Part::Literal(after)] if !after.starts_with(DELIMITER) => {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "in key template `{text}`, the text after `{{{}}}` must start with `{DELIMITER}`, where the field's value ends: `{{{}}}{DELIMITER}{after}`",
                        field.field.ident, field.field.ident
                    ),
                );
                ok = false;
            }
            _ => {}
        }
    }
    ok
}

fn distinct(cx: &Ctxt, lit: &LitStr, text: &str, parts: &[Part]) -> bool {
    let fields: Vec<_> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Field(f) => Some(f.field.ident),
            Part::Literal(_) => None,
        })
        .collect();
    for (i, ident) in fields.iter().enumerate() {
        if fields[..i].contains(ident) {
            cx.error_spanned_by(
                lit,
                format!("key template `{text}` names `{{{ident}}}` twice"),
            );
            return false;
        }
    }
    true
}

/// A field as a template segment: stored as itself, of a type with a key
/// encoding; `Option` only in an index template.
fn template_field<'a>(
    cx: &Ctxt,
    field: &'a Field<'a>,
    role: Role,
    lit: &LitStr,
) -> Option<TemplateField<'a>> {
    let ident = field.ident;
    if let Some(skip) = &field.attrs.skip {
        let _ = lit;
        cx.error_spanned_by(skip, format!("the key field `{ident}` cannot be skipped"));
        return None;
    }
    if let Some((option, _)) = &field.attrs.with {
        cx.error_spanned_by(
            option,
            format!("`{}` cannot be used on the key field `{ident}`: a key template writes the field as itself", crate::parse::attr::path_name(option)),
        );
        return None;
    }
    if let Some(default) = &field.attrs.default
        && role == Role::Primary
    {
        cx.error_spanned_by(
            default,
            format!("the key field `{ident}` cannot be `default`: every item has its key"),
        );
        return None;
    }
    let (ty, optional) = match type_argument(field.ty, "Option") {
        Some(inner) if role == Role::Index => (inner, true),
        Some(_) => {
            cx.error_spanned_by(
                field.ty,
                format!("the primary key field `{ident}` cannot be an `Option`: every item has its key; an `Option` may be in an index template, whose index then leaves out the items without it"),
            );
            return None;
        }
        None => (field.ty, false),
    };
    segment_type(cx, ty, ident).then_some(TemplateField {
        field,
        ty,
        optional,
    })
}

/// Types with no key encoding, known by name; others are left to the
/// `KeySegment` bound.
fn segment_type(cx: &Ctxt, ty: &Type, ident: &syn::Ident) -> bool {
    let refuse = |what: &str| {
        cx.error_spanned_by(
            ty,
            format!("the key field `{ident}` is {what}, which has no key encoding that parses back and sorts; a key template's fields are strings, integers, `char` or `bool`"),
        );
        false
    };
    let Type::Path(path) = ty else {
        return refuse("not a named type");
    };
    let Some(last) = path.path.segments.last() else {
        return true;
    };
    match last.ident.to_string().as_str() {
        "f32" | "f64" => refuse("a floating-point number"),
        "Vec" | "VecDeque" | "LinkedList" => refuse("a list"),
        "HashMap" | "BTreeMap" => refuse("a map"),
        "HashSet" | "BTreeSet" => refuse("a set"),
        "Option" => refuse("an `Option` inside an `Option`"),
        _ => true,
    }
}
