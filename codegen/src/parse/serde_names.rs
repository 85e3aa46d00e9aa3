//! The names serde gives a struct's fields in JSON — `#[serde(rename)]`,
//! `#[serde(rename_all)]`, raw identifiers unrawed — so that the generated
//! key struct and the handler's JSON requests agree with the struct's own
//! serde impls.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, Ident, LitStr};

use crate::parse::ast::Unraw;

/// The container's `#[serde(rename_all = "…")]`, by direction.
#[derive(Default)]
pub struct Container {
    serialize: Option<Rule>,
    deserialize: Option<Rule>,
    /// The `rename_all` options as written, for a generated struct to repeat.
    pub rename_all: Vec<TokenStream>,
}

/// The names of one field in JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldNames {
    /// The name serde writes.
    pub serialize: String,
    /// The name serde reads.
    pub deserialize: String,
    /// Other names serde reads (`#[serde(alias = "…")]`).
    pub aliases: Vec<String>,
}

impl Container {
    pub fn parse(attrs: &[Attribute]) -> Self {
        let mut out = Container::default();
        for attr in serde_attrs(attrs) {
            // serde reports malformed attributes itself.
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename_all") {
                    let (ser, de) = directions(&meta)?;
                    let ser_option = ser.iter().map(|lit| quote!(serialize = #lit));
                    let de_option = de.iter().map(|lit| quote!(deserialize = #lit));
                    out.rename_all
                        .push(quote!(rename_all(#(#ser_option,)* #(#de_option),*)));
                    if let Some(rule) = ser.as_ref().and_then(|l| Rule::from_str(&l.value())) {
                        out.serialize = Some(rule);
                    }
                    if let Some(rule) = de.as_ref().and_then(|l| Rule::from_str(&l.value())) {
                        out.deserialize = Some(rule);
                    }
                    Ok(())
                } else {
                    skip(&meta)
                }
            });
        }
        out
    }

    /// The JSON names of the field `ident` with attributes `attrs`.
    pub fn field(&self, ident: &Ident, attrs: &[Attribute]) -> FieldNames {
        let rust = ident.unraw().to_string();
        let mut names = FieldNames {
            serialize: self
                .serialize
                .map_or_else(|| rust.clone(), |r| r.apply(&rust)),
            deserialize: self
                .deserialize
                .map_or_else(|| rust.clone(), |r| r.apply(&rust)),
            aliases: Vec::new(),
        };
        for attr in serde_attrs(attrs) {
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let (ser, de) = directions(&meta)?;
                    if let Some(ser) = ser {
                        names.serialize = ser.value();
                    }
                    if let Some(de) = de {
                        names.deserialize = de.value();
                    }
                    Ok(())
                } else if meta.path.is_ident("alias") {
                    let alias: LitStr = meta.value()?.parse()?;
                    names.aliases.push(alias.value());
                    Ok(())
                } else {
                    skip(&meta)
                }
            });
        }
        names
    }
}

/// `name = "x"` (both directions) or `name(serialize = "x", deserialize = "y")`.
fn directions(meta: &syn::meta::ParseNestedMeta) -> syn::Result<(Option<LitStr>, Option<LitStr>)> {
    if meta.input.peek(syn::Token![=]) {
        let lit: LitStr = meta.value()?.parse()?;
        return Ok((Some(lit.clone()), Some(lit)));
    }
    let mut ser = None;
    let mut de = None;
    meta.parse_nested_meta(|inner| {
        let lit: LitStr = inner.value()?.parse()?;
        if inner.path.is_ident("serialize") {
            ser = Some(lit);
        } else if inner.path.is_ident("deserialize") {
            de = Some(lit);
        }
        Ok(())
    })?;
    Ok((ser, de))
}

fn skip(meta: &syn::meta::ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
    }
    Ok(())
}

pub fn serde_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("serde"))
}

/// The option names of `#[serde(a = "…", b, c(…))]`; `None` if it does not parse.
pub fn serde_options(attr: &Attribute) -> Option<Vec<String>> {
    let mut names = Vec::new();
    attr.parse_nested_meta(|meta| {
        names.push(
            meta.path
                .get_ident()
                .map(Ident::to_string)
                .unwrap_or_default(),
        );
        if meta.input.peek(syn::Token![=]) {
            meta.value()?.parse::<syn::Lit>()?;
        } else if meta.input.peek(syn::token::Paren) {
            meta.parse_nested_meta(|inner| {
                if inner.input.peek(syn::Token![=]) {
                    inner.value()?.parse::<syn::Lit>()?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })
    .ok()?;
    Some(names)
}

/// serde's `rename_all` rules, as serde applies them to a field name
/// (which it takes to be snake case).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl Rule {
    fn from_str(rule: &str) -> Option<Self> {
        Some(match rule {
            "lowercase" => Rule::Lower,
            "UPPERCASE" => Rule::Upper,
            "PascalCase" => Rule::Pascal,
            "camelCase" => Rule::Camel,
            "snake_case" => Rule::Snake,
            "SCREAMING_SNAKE_CASE" => Rule::ScreamingSnake,
            "kebab-case" => Rule::Kebab,
            "SCREAMING-KEBAB-CASE" => Rule::ScreamingKebab,
            _ => return None,
        })
    }

    fn apply(self, field: &str) -> String {
        match self {
            Rule::Lower | Rule::Snake => field.to_owned(),
            Rule::Upper | Rule::ScreamingSnake => field.to_ascii_uppercase(),
            Rule::Pascal => {
                let mut pascal = String::new();
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            Rule::Camel => {
                let pascal = Rule::Pascal.apply(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            Rule::Kebab => field.replace('_', "-"),
            Rule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(container: &str, field: &str) -> FieldNames {
        let container: syn::DeriveInput =
            syn::parse_str(&format!("{container} struct S;")).unwrap();
        let field: syn::DeriveInput = syn::parse_str(&format!("struct T {{ {field} }}")).unwrap();
        let syn::Data::Struct(data) = &field.data else {
            unreachable!()
        };
        let field = data.fields.iter().next().unwrap();
        Container::parse(&container.attrs).field(field.ident.as_ref().unwrap(), &field.attrs)
    }

    #[test]
    fn rules_as_serde_applies_them() {
        let camel = "#[serde(deny_unknown_fields, rename_all = \"camelCase\")]";
        assert_eq!(names(camel, "created_at: u64").deserialize, "createdAt");
        assert_eq!(names(camel, "r#type: u64").deserialize, "type");
        assert_eq!(names("", "r#type: u64").serialize, "type");
        let pascal = "#[serde(rename_all = \"PascalCase\")]";
        assert_eq!(names(pascal, "user_id: u64").serialize, "UserId");
        let kebab = "#[serde(rename_all = \"SCREAMING-KEBAB-CASE\")]";
        assert_eq!(names(kebab, "user_id: u64").serialize, "USER-ID");
    }

    #[test]
    fn rename_wins_over_rename_all() {
        let camel = "#[serde(rename_all = \"camelCase\")]";
        let field = names(
            camel,
            "#[serde(rename = \"tenant\", alias = \"t\")] tenant_id: u64",
        );
        assert_eq!(field.deserialize, "tenant");
        assert_eq!(field.aliases, ["t"]);
        let split = names(
            "#[serde(rename_all(serialize = \"UPPERCASE\"))]",
            "#[serde(rename(deserialize = \"in\"))] name: u64",
        );
        assert_eq!(
            (split.serialize.as_str(), split.deserialize.as_str()),
            ("NAME", "in")
        );
    }
}
