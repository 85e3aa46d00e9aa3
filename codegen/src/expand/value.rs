//! `impl IntoAttributeValue` and `impl FromAttributeValue`: the impl headers
//! every attribute type shares, around the bodies each kind writes.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Generics;

/// The bodies of the value traits' methods; `into` is the owned encoding,
/// where it differs from the borrowed one.
pub struct ValueBodies {
    pub to: TokenStream,
    pub into: Option<TokenStream>,
    pub from: TokenStream,
}

/// Both value traits for `ident`, with `bodies`.
pub fn impl_value(ident: &syn::Ident, generics: &Generics, bodies: ValueBodies) -> TokenStream {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let ValueBodies { to, into, from } = bodies;
    let into = into.map(|into| {
        quote! {
            #[inline]
            fn into_attribute_value(
                self,
            ) -> ::core::result::Result<
                ::core::option::Option<::dynamo_lambda::AttributeValue>,
                ::dynamo_lambda::AttributeError,
            > {
                #into
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics ::dynamo_lambda::IntoAttributeValue for #ident #ty_generics #where_clause {
            #[inline]
            fn to_attribute_value(
                &self,
            ) -> ::core::result::Result<
                ::core::option::Option<::dynamo_lambda::AttributeValue>,
                ::dynamo_lambda::AttributeError,
            > {
                #to
            }

            #into
        }

        #[automatically_derived]
        impl #impl_generics ::dynamo_lambda::FromAttributeValue for #ident #ty_generics #where_clause {
            #[inline]
            fn from_attribute_value(
                __value: ::dynamo_lambda::AttributeValue,
            ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                #from
            }
        }
    }
}
