//! `impl Item`: the struct to and from an attribute map, field by field,
//! directly against `AttributeValue`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Field, Struct};

/// `keys` are the fields whose attributes must not be empty.
pub fn impl_item(item: &Struct, keys: &[&Field]) -> TokenStream {
    let ident = item.ident;
    let count = item.stored_fields().count();
    let is_key = |field: &Field| keys.iter().any(|k| k.ident == field.ident);
    let to = item.stored_fields().map(|f| encode(f, is_key(f), false));
    let into = item.stored_fields().map(|f| encode(f, is_key(f), true));
    let from = item.fields.iter().map(decode);
    quote! {
        #[automatically_derived]
        impl ::dynamo_lambda::Item for #ident {
            fn to_item(
                &self,
            ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                let mut __item = ::dynamo_lambda::Attributes::with_capacity(#count);
                #(#to)*
                ::core::result::Result::Ok(__item)
            }

            fn into_item(
                self,
            ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                let mut __item = ::dynamo_lambda::Attributes::with_capacity(#count);
                #(#into)*
                ::core::result::Result::Ok(__item)
            }

            fn from_item(
                mut __item: ::dynamo_lambda::Attributes,
            ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                ::core::result::Result::Ok(#ident {
                    #(#from)*
                })
            }
        }
    }
}

fn encode(field: &Field, key: bool, owned: bool) -> TokenStream {
    let name = &field.name;
    let ty = field.ty;
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

fn decode(field: &Field) -> TokenStream {
    let ident = field.ident;
    let name = &field.name;
    let ty = field.ty;
    let span = ty.span();
    if field.is_skipped() {
        return quote_spanned! {span=> #ident: ::core::default::Default::default(), };
    }
    let default = field.attrs.default.is_some();
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
    let item_impl = impl_item(item, &[]);
    let attributes = item.stored_fields().map(|f| &f.name);
    quote! {
        #item_impl

        /// The attributes to read for this struct alone (`ProjectionExpression`).
        #[automatically_derived]
        impl ::dynamo_lambda::Projected for #ident {
            const ATTRIBUTES: &'static [&'static str] = &[#(#attributes),*];
        }

        #[automatically_derived]
        impl ::dynamo_lambda::IntoAttributeValue for #ident {
            fn to_attribute_value(
                &self,
            ) -> ::core::result::Result<
                ::core::option::Option<::dynamo_lambda::AttributeValue>,
                ::dynamo_lambda::AttributeError,
            > {
                ::dynamo_lambda::__private::item_to_attribute_value(self)
            }

            fn into_attribute_value(
                self,
            ) -> ::core::result::Result<
                ::core::option::Option<::dynamo_lambda::AttributeValue>,
                ::dynamo_lambda::AttributeError,
            > {
                ::dynamo_lambda::__private::item_into_attribute_value(self)
            }
        }

        #[automatically_derived]
        impl ::dynamo_lambda::FromAttributeValue for #ident {
            fn from_attribute_value(
                value: ::dynamo_lambda::AttributeValue,
            ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                ::dynamo_lambda::__private::item_from_attribute_value(value)
            }
        }
    }
}
