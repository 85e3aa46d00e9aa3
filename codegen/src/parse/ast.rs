//! A typed view of the annotated item that keeps references to its syntax.

use proc_macro2::Span;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, Path, Type, Visibility};

use crate::ctxt::Ctxt;
use crate::parse::attr::{self, FieldAttrs};
use crate::parse::serde_names::{self, FieldNames, serde_attrs};

/// A struct with named fields.
pub struct Struct<'a> {
    pub original: &'a DeriveInput,
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub fields: Vec<Field<'a>>,
    /// Each `#[derive(...)]` path, with its last segment's name.
    pub derives: Vec<(String, Path)>,
    /// The struct's `#[serde(...)]` attributes.
    pub serde_attrs: Vec<&'a Attribute>,
    /// The struct's `#[serde(rename_all)]`.
    pub serde: serde_names::Container,
}

pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
    /// The DynamoDB attribute name: the `rename` or the field's name.
    pub name: String,
    /// Where the attribute name is written.
    pub name_span: Span,
    /// The field's names in the struct's serde JSON.
    pub json: FieldNames,
    /// The field's `#[serde(...)]` attributes.
    pub serde_attrs: Vec<&'a Attribute>,
}

impl Field<'_> {
    pub fn is_skipped(&self) -> bool {
        self.attrs.skip.is_some()
    }
}

/// A unit-only enum.
pub struct Enum<'a> {
    pub original: &'a DeriveInput,
    pub ident: &'a Ident,
    pub variants: Vec<Variant<'a>>,
}

pub struct Variant<'a> {
    pub ident: &'a Ident,
    /// The string stored: the `rename` or the variant's name.
    pub name: String,
    pub name_span: Span,
}

impl<'a> Struct<'a> {
    /// `what` names the macro in messages, e.g. "#[dynamo_lambda]".
    pub fn from_input(cx: &Ctxt, input: &'a DeriveInput, what: &str) -> Option<Self> {
        no_generics(cx, input, what);
        no_type_options(cx, input);
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(fields) => fields,
                Fields::Unnamed(fields) => {
                    cx.error_spanned_by(
                        fields,
                        format!("{what} needs a struct with named fields, not a tuple struct"),
                    );
                    return None;
                }
                Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        format!("{what} needs a struct with named fields, not a unit struct"),
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                cx.error_spanned_by(
                    data.enum_token,
                    format!("{what} needs a struct with named fields, not an enum"),
                );
                return None;
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    format!("{what} needs a struct with named fields, not a union"),
                );
                return None;
            }
        };
        let serde = serde_names::Container::parse(&input.attrs);
        let fields = fields
            .named
            .iter()
            .map(|field| {
                let ident = field.ident.as_ref().expect("named field");
                let attrs = FieldAttrs::parse(cx, &field.attrs);
                let (name, name_span) = match &attrs.rename {
                    Some(rename) => (rename.value(), rename.span()),
                    None => (ident.unraw().to_string(), ident.span()),
                };
                Field {
                    ident,
                    ty: &field.ty,
                    attrs,
                    name,
                    name_span,
                    json: serde.field(ident, &field.attrs),
                    serde_attrs: serde_attrs(&field.attrs).collect(),
                }
            })
            .collect();
        Some(Struct {
            original: input,
            ident: &input.ident,
            vis: &input.vis,
            fields,
            derives: derives(&input.attrs),
            serde_attrs: serde_attrs(&input.attrs).collect(),
            serde,
        })
    }

    /// Whether the struct derives both serde traits, which the handlers need.
    pub fn derives_serde(&self) -> bool {
        ["Serialize", "Deserialize"]
            .iter()
            .all(|wanted| self.derives.iter().any(|(name, _)| name == wanted))
    }

    /// The field named `name` in Rust (`type` or `r#type` for `r#type`).
    pub fn field(&self, name: &str) -> Option<&Field<'a>> {
        self.fields
            .iter()
            .find(|f| f.ident == name || f.ident.unraw() == name)
    }

    pub fn stored_fields(&self) -> impl Iterator<Item = &Field<'a>> {
        self.fields.iter().filter(|f| !f.is_skipped())
    }
}

impl<'a> Enum<'a> {
    pub fn from_input(cx: &Ctxt, input: &'a DeriveInput, what: &str) -> Option<Self> {
        no_generics(cx, input, what);
        no_type_options(cx, input);
        let Data::Enum(data) = &input.data else {
            return None;
        };
        let variants = data
            .variants
            .iter()
            .map(|variant| {
                if !matches!(variant.fields, Fields::Unit) {
                    cx.error_spanned_by(
                        &variant.fields,
                        format!(
                            "{what} stores enums as strings: variant `{}` must have no fields",
                            variant.ident
                        ),
                    );
                }
                let (name, name_span) = match attr::variant_rename(cx, &variant.attrs) {
                    Some(rename) => (rename.value(), rename.span()),
                    None => (variant.ident.unraw().to_string(), variant.ident.span()),
                };
                Variant {
                    ident: &variant.ident,
                    name,
                    name_span,
                }
            })
            .collect();
        Some(Enum {
            original: input,
            ident: &input.ident,
            variants,
        })
    }
}

/// The paths of the item's `#[derive(...)]` attributes, in order.
fn derives(attrs: &[Attribute]) -> Vec<(String, Path)> {
    let mut paths = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        // rustc reports malformed derives itself.
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                paths.push((last.ident.to_string(), meta.path.clone()));
            }
            Ok(())
        });
    }
    paths
}

fn no_generics(cx: &Ctxt, input: &DeriveInput, what: &str) {
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            format!("{what} does not support generic types"),
        );
    }
}

/// `#[dynamo(...)]` on the type itself would otherwise be silently ignored.
fn no_type_options(cx: &Ctxt, input: &DeriveInput) {
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("dynamo")) {
        cx.error_spanned_by(
            attr.path(),
            "#[dynamo(...)] goes on a field or a variant, not on the type",
        );
    }
}

pub trait Unraw {
    fn unraw(&self) -> Ident;
}

impl Unraw for Ident {
    fn unraw(&self) -> Ident {
        syn::ext::IdentExt::unraw(self)
    }
}

/// `T` of `Wrapper<T>`, e.g. the `T` of an `Option<T>` field.
pub fn type_argument<'t>(ty: &'t Type, wrapper: &str) -> Option<&'t Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// The integer types, by name, as the checks recognise them.
pub const INTEGER_TYPES: &[&str] = &[
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
];
