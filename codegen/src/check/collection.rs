//! A collection: `#[collection(table = Shop, pk = "CUSTOMER#{username}")]`
//! on an enum whose variants each hold one entity type of the shared table.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::{DeriveInput, Ident, LitStr, Path, Type};

use crate::ctxt::Ctxt;
use crate::parse::attr::path_name;

/// The checked collection.
pub struct Collection<'a> {
    pub input: &'a DeriveInput,
    pub table: Path,
    /// The index it lives in; `None` for the table.
    pub index: Option<Ident>,
    /// The partition template as written; `None` for the table-wide enum
    /// of every entity type, which is scanned, not queried.
    pub partition: Option<String>,
    /// Its parts: literal text, or a field name.
    pub parts: Vec<CollectionPart>,
    pub variants: Vec<Member<'a>>,
}

pub enum CollectionPart {
    Literal(String),
    Field(Ident),
}

/// One variant: `Order(Order)`.
pub struct Member<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
}

/// The name of the variant the macro adds for items of no member type.
pub const UNKNOWN: &str = "Unknown";

pub fn collection<'a>(
    cx: &Ctxt,
    args: TokenStream,
    input: &'a DeriveInput,
) -> Option<Collection<'a>> {
    let mut table: Option<Path> = None;
    let mut index: Option<Ident> = None;
    let mut pk: Option<LitStr> = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("table") {
            table = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("index") {
            index = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("pk") {
            pk = Some(meta.value()?.parse()?);
        } else {
            cx.error_spanned_by(
                &meta.path,
                format!(
                    "unknown collection option `{}`; expected `table`, `index` or `pk`",
                    path_name(&meta.path)
                ),
            );
        }
        Ok(())
    });
    if let Err(error) = parser.parse2(args) {
        cx.syn_error(error);
        return None;
    }
    let syn::Data::Enum(data) = &input.data else {
        cx.error_spanned_by(
            &input.ident,
            "#[collection] goes on an enum with one variant per entity type: `enum CustomerWithOrders { Customer(Customer), Order(Order) }`",
        );
        return None;
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "#[collection] does not support generic types",
        );
    }
    let mut variants = Vec::new();
    for variant in &data.variants {
        if variant.ident == UNKNOWN {
            cx.error_spanned_by(
                &variant.ident,
                "#[collection] adds the `Unknown` variant itself, for items of none of the entity types",
            );
            continue;
        }
        match &variant.fields {
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => variants.push(Member {
                ident: &variant.ident,
                ty: &fields.unnamed[0].ty,
            }),
            _ => cx.error_spanned_by(
                variant,
                format!(
                    "a collection variant holds one entity type: `{}({})`",
                    variant.ident, variant.ident
                ),
            ),
        }
    }
    if variants.is_empty() && !data.variants.is_empty() {
        return None;
    }
    if data.variants.is_empty() {
        cx.error_spanned_by(&input.ident, "a collection needs at least one entity type");
        return None;
    }
    let Some(table) = table else {
        cx.error_at(
            Span::call_site(),
            "missing `table` option: the shared table's type, e.g. `table = Shop`",
        );
        return None;
    };
    let Some(pk) = pk else {
        cx.error_at(
            Span::call_site(),
            "missing `pk` option: the partition key template every member shares, e.g. `pk = \"CUSTOMER#{username}\"`",
        );
        return None;
    };
    let parts = parts(cx, &pk)?;
    Some(Collection {
        input,
        table,
        index,
        partition: Some(pk.value()),
        parts,
        variants,
    })
}

/// Literal text and field names; the members' own checks hold the rest,
/// and the compiler checks that their templates are this one.
fn parts(cx: &Ctxt, lit: &LitStr) -> Option<Vec<CollectionPart>> {
    let text = lit.value();
    let mut parts = Vec::new();
    let mut rest = text.as_str();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('{') {
            let Some(end) = after.find('}') else {
                cx.error_spanned_by(lit, format!("unclosed `{{` in key template `{text}`"));
                return None;
            };
            let name = after[..end].trim();
            match syn::parse_str::<Ident>(name) {
                Ok(_) => parts.push(CollectionPart::Field(Ident::new(name, lit.span()))),
                Err(_) => {
                    cx.error_spanned_by(
                        lit,
                        format!("`{{{name}}}` in key template `{text}` does not name a field"),
                    );
                    return None;
                }
            }
            rest = &after[end + 1..];
        } else {
            let end = rest.find('{').unwrap_or(rest.len());
            parts.push(CollectionPart::Literal(rest[..end].to_owned()));
            rest = &rest[end..];
        }
    }
    Some(parts)
}

/// The table-wide enum of `#[single_table(entities(...))]`: every entity
/// type of the table, told apart by both keys' shapes.
pub fn table_wide<'a>(input: &'a DeriveInput, table: Path) -> Collection<'a> {
    let syn::Data::Enum(data) = &input.data else {
        unreachable!("the table-wide enum is built as an enum")
    };
    let variants = data
        .variants
        .iter()
        .filter_map(|variant| match &variant.fields {
            syn::Fields::Unnamed(fields) => Some(Member {
                ident: &variant.ident,
                ty: &fields.unnamed[0].ty,
            }),
            _ => None,
        })
        .collect();
    Collection {
        input,
        table,
        index: None,
        partition: None,
        parts: Vec::new(),
        variants,
    }
}
