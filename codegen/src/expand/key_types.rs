//! The key types a schema declares, checked by the compiler against the
//! fields' types: an alias or a newtype stores what its `KeyValue` says,
//! whatever its name.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use crate::check::KeyTypeCheck;
use crate::schema::ScalarType;

pub fn key_type_checks(checks: &[KeyTypeCheck]) -> TokenStream {
    checks.iter().map(check).collect()
}

fn check(check: &KeyTypeCheck) -> TokenStream {
    let ty = &check.ty;
    let arms = check.mismatches.iter().map(|(found, message)| {
        let found = scalar(*found);
        // A literal `panic!` message is a format string.
        let message = message.replace('{', "{{").replace('}', "}}");
        quote_spanned! {check.span=>
            ::core::option::Option::Some(#found) => ::core::panic!(#message),
        }
    });
    let declared = scalar(check.declared);
    quote! {
        const _: () = {
            use ::dynamo_lambda::__private::NotAKeyValue as _;
            match <::dynamo_lambda::__private::KeyTypeOf<#ty>>::KEY_TYPE {
                #(#arms)*
                ::core::option::Option::Some(#declared) | ::core::option::Option::None => {}
            }
        };
    }
}

fn scalar(ty: ScalarType) -> TokenStream {
    match ty {
        ScalarType::S => quote!(::dynamo_lambda::KeyType::S),
        ScalarType::N => quote!(::dynamo_lambda::KeyType::N),
        ScalarType::B => quote!(::dynamo_lambda::KeyType::B),
    }
}
