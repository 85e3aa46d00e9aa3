//! A unit-only enum as a string attribute (`S`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::expand::value::{ValueBodies, impl_value};
use crate::parse::Enum;

pub fn impl_enum(item: &Enum) -> TokenStream {
    let ident = item.ident;
    let variants: Vec<_> = item.variants.iter().map(|v| v.ident).collect();
    let names: Vec<_> = item.variants.iter().map(|v| &v.name).collect();
    let expected = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    impl_value(
        ident,
        &item.original.generics,
        ValueBodies {
            to: quote! {
                let __name = match self {
                    #(#ident::#variants => #names,)*
                };
                ::core::result::Result::Ok(::core::option::Option::Some(
                    ::dynamo_lambda::AttributeValue::S(::std::borrow::ToOwned::to_owned(__name)),
                ))
            },
            into: None,
            from: quote! {
                let __name = ::dynamo_lambda::__private::variant_name(__value)?;
                match __name.as_str() {
                    #(#names => ::core::result::Result::Ok(#ident::#variants),)*
                    _ => ::core::result::Result::Err(
                        ::dynamo_lambda::__private::unknown_variant(__name, #expected),
                    ),
                }
            },
        },
    )
}
