//! `impl Item`: the struct to and from an attribute map, field by field,
//! directly against `AttributeValue`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, Type};

use crate::check::{Model, ViewField};
use crate::expand::value::{ValueBodies, impl_value};
use crate::parse::{Field, Struct};

/// One field of a generated `impl Item`.
pub struct ItemField<'a> {
    pub field: &'a Field<'a>,
    /// Its type in the struct the impl is for.
    pub ty: &'a Type,
    /// Whether a missing attribute reads as the type's default.
    pub default: bool,
    /// A table key attribute, which must not be empty.
    pub key: bool,
    /// Stored only in an entity's composed key: not written as an
    /// attribute, read from the local `__f_<field>` the key was parsed into.
    pub key_only: bool,
}

impl<'a> ItemField<'a> {
    /// The field as the annotated struct (or a nested one) has it.
    pub fn of(field: &'a Field<'a>, key: bool) -> Self {
        ItemField {
            field,
            ty: field.ty,
            default: field.attrs.default.is_some(),
            key,
            key_only: false,
        }
    }

    /// The field as a generated key struct or view has it.
    pub fn view(field: &ViewField<'a>) -> Self {
        ItemField {
            field: field.field,
            ty: field.ty,
            default: field.default,
            key: false,
            key_only: false,
        }
    }
}

/// The annotated struct's fields, its keys marked.
pub fn table_fields<'a>(model: &Model<'a>) -> Vec<ItemField<'a>> {
    let item = model.item;
    item.fields
        .iter()
        .map(|f| ItemField::of(f, model.is_key(f)))
        .collect()
}

/// `impl Item for #ident`; `owned` adds an `into_item` that moves the
/// values out instead of cloning them.
pub fn impl_item(ident: &Ident, fields: &[ItemField], owned: bool) -> TokenStream {
    impl_item_with(ident, fields, owned, &ItemExtra::default())
}

/// Code an `impl Item` runs besides its fields: an entity's composed keys.
#[derive(Default)]
pub struct ItemExtra {
    /// Attributes written besides the fields.
    pub attributes: usize,
    /// Before the fields are written, with `self` whole.
    pub to_before: TokenStream,
    /// After the fields are written, into `__item`.
    pub to_after: TokenStream,
    /// Before the fields are read from `__item`.
    pub from_before: TokenStream,
    /// After the fields are read, on the decoded `__value`.
    pub from_after: TokenStream,
}

/// `impl Item for #ident` with `extra` code around the fields.
pub fn impl_item_with(
    ident: &Ident,
    fields: &[ItemField],
    owned: bool,
    extra: &ItemExtra,
) -> TokenStream {
    let stored = || {
        fields
            .iter()
            .filter(|f| !f.field.is_skipped() && !f.key_only)
    };
    let count = stored().count() + extra.attributes;
    let ItemExtra {
        to_before,
        to_after,
        from_before,
        from_after,
        ..
    } = extra;
    let to = stored().map(|f| encode(f, false));
    let into_item = owned.then(|| {
        let into = stored().map(|f| encode(f, true));
        quote! {
            #[inline]
            fn into_item(
                self,
            ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                #to_before
                let mut __item = ::dynamo_lambda::Attributes::with_capacity(#count);
                #(#into)*
                #to_after
                ::core::result::Result::Ok(__item)
            }
        }
    });
    let from = fields.iter().map(decode);
    let from = if from_after.is_empty() {
        quote!(::core::result::Result::Ok(#ident { #(#from)* }))
    } else {
        quote! {
            let __value = #ident { #(#from)* };
            #from_after
            ::core::result::Result::Ok(__value)
        }
    };
    quote! {
        #[automatically_derived]
        impl ::dynamo_lambda::Item for #ident {
            #[inline]
            fn to_item(
                &self,
            ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                #to_before
                let mut __item = ::dynamo_lambda::Attributes::with_capacity(#count);
                #(#to)*
                #to_after
                ::core::result::Result::Ok(__item)
            }

            #into_item

            #[inline]
            fn from_item(
                mut __item: ::dynamo_lambda::Attributes,
            ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                #from_before
                #from
            }
        }
    }
}

fn encode(item_field: &ItemField, owned: bool) -> TokenStream {
    let field = item_field.field;
    let key = item_field.key;
    let name = &field.name;
    let ty = item_field.ty;
    let span = ty.span();
    // `self.#ident` spanned on the type, so a missing impl is reported under
    // the type alone rather than from the field's name to its type.
    let mut ident = field.ident.clone();
    ident.set_span(span);
    if let Some(to_attribute_value) = with_fn(field, "to_attribute_value") {
        return quote_spanned! {span=>
            ::dynamo_lambda::__private::insert(&mut __item, #name, #to_attribute_value(&self.#ident))?;
        };
    }
    // Non-key fields name the trait on the type: the borrowed and the owned
    // encoding then fail with one identical error, which rustc reports once.
    match (key, owned) {
        (false, false) => quote_spanned! {span=>
            ::dynamo_lambda::__private::insert(
                &mut __item,
                #name,
                <#ty as ::dynamo_lambda::IntoAttributeValue>::to_attribute_value(&self.#ident),
            )?;
        },
        (false, true) => quote_spanned! {span=>
            ::dynamo_lambda::__private::insert(
                &mut __item,
                #name,
                <#ty as ::dynamo_lambda::IntoAttributeValue>::into_attribute_value(self.#ident),
            )?;
        },
        (true, false) => quote_spanned! {span=>
            ::dynamo_lambda::__private::encode_key(&mut __item, #name, &self.#ident)?;
        },
        (true, true) => quote_spanned! {span=>
            ::dynamo_lambda::__private::encode_key_owned(&mut __item, #name, self.#ident)?;
        },
    }
}

fn decode(item_field: &ItemField) -> TokenStream {
    let field = item_field.field;
    let ident = field.ident;
    let name = &field.name;
    let ty = item_field.ty;
    let span = ty.span();
    if field.is_skipped() {
        return quote_spanned! {span=> #ident: ::core::default::Default::default(), };
    }
    if item_field.key_only {
        let local = crate::expand::key::parsed_local(ident);
        return quote!(#ident: #local,);
    }
    let default = item_field.default;
    match with_fn(field, "from_attribute_value") {
        Some(from_attribute_value) if default => quote_spanned! {span=>
            #ident: ::dynamo_lambda::__private::decode_field_with_or_default::<#ty>(&mut __item, #name, #from_attribute_value)?,
        },
        Some(from_attribute_value) => quote_spanned! {span=>
            #ident: ::dynamo_lambda::__private::decode_field_with::<#ty>(&mut __item, #name, #from_attribute_value)?,
        },
        None if default => quote_spanned! {span=>
            #ident: ::dynamo_lambda::__private::decode_field_or_default(&mut __item, #name)?,
        },
        None => quote_spanned! {span=>
            #ident: ::dynamo_lambda::__private::decode_field(&mut __item, #name)?,
        },
    }
}

/// `module::function` of a `with` module, spanned on the module path as
/// written, so errors about the module point at it and not at the field;
/// `binary` fits only some types, so its errors point at the field's type.
fn with_fn(field: &Field, function: &str) -> Option<TokenStream> {
    let (option, module) = field.attrs.with.as_ref()?;
    if option.is_ident("binary") {
        let span = field.ty.span();
        let function = syn::Ident::new(function, span);
        return Some(quote_spanned!(span=> ::dynamo_lambda::binary::#function));
    }
    let span = module
        .segments
        .last()
        .map_or_else(Span::call_site, |segment| segment.ident.span());
    let function = syn::Ident::new(function, span);
    Some(quote_spanned!(span=> #module::#function))
}

/// `IntoAttributeValue` / `FromAttributeValue` for a nested struct: an `M` attribute.
pub fn impl_nested(item: &Struct) -> TokenStream {
    let ident = item.ident;
    let fields: Vec<_> = item
        .fields
        .iter()
        .map(|f| ItemField::of(f, false))
        .collect();
    let item_impl = impl_item(ident, &fields, true);
    let attributes = item.stored_fields().map(|f| &f.name);
    let value = impl_value(
        ident,
        &item.original.generics,
        ValueBodies {
            to: quote!(::dynamo_lambda::__private::item_to_attribute_value(self)),
            into: Some(quote!(
                ::dynamo_lambda::__private::item_into_attribute_value(self)
            )),
            from: quote!(::dynamo_lambda::__private::item_from_attribute_value(
                __value
            )),
        },
    );
    quote! {
        #item_impl

        /// The attributes to read for this struct alone (`ProjectionExpression`).
        #[automatically_derived]
        impl ::dynamo_lambda::Projected for #ident {
            const ATTRIBUTES: &'static [&'static str] = &[#(#attributes),*];
        }

        #value
    }
}
