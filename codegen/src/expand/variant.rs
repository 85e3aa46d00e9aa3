//! A unit-only enum as a string attribute (`S`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Enum;

pub fn impl_enum(item: &Enum) -> TokenStream {
    let ident = item.ident;
    let variants: Vec<_> = item.variants.iter().map(|v| v.ident).collect();
    let names: Vec<_> = item.variants.iter().map(|v| &v.name).collect();
    let expected = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    quote! {
        #[automatically_derived]
        impl ::dynamo_lambda::IntoAttributeValue for #ident {
            fn to_attribute_value(
                &self,
            ) -> ::core::result::Result<
                ::core::option::Option<::dynamo_lambda::AttributeValue>,
                ::dynamo_lambda::AttributeError,
            > {
                let __name = match self {
                    #(#ident::#variants => #names,)*
                };
                ::core::result::Result::Ok(::core::option::Option::Some(
                    ::dynamo_lambda::AttributeValue::S(::std::borrow::ToOwned::to_owned(__name)),
                ))
            }
        }

        #[automatically_derived]
        impl ::dynamo_lambda::FromAttributeValue for #ident {
            fn from_attribute_value(
                value: ::dynamo_lambda::AttributeValue,
            ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                let __name = ::dynamo_lambda::__private::variant_name(value)?;
                match __name.as_str() {
                    #(#names => ::core::result::Result::Ok(#ident::#variants),)*
                    _ => ::core::result::Result::Err(
                        ::dynamo_lambda::__private::unknown_variant(__name, #expected),
                    ),
                }
            }
        }
    }
}
