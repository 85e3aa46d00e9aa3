//! A collection enum: its `Unknown` variant, `impl Collection`, each member's
//! `impl Member`, `impl Item` telling members apart by their sort key's
//! shape first and their tag second, the query, and the compile-time checks
//! that the members share the partition and cannot share a key.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, parse_quote};

use crate::check::collection::{Collection, CollectionPart, UNKNOWN};

pub fn collection(model: &Collection) -> TokenStream {
    let mut input: DeriveInput = model.input.clone();
    if let syn::Data::Enum(data) = &mut input.data {
        let unknown = syn::Ident::new(UNKNOWN, proc_macro2::Span::call_site());
        data.variants.push(parse_quote! {
            /// An item of none of the collection's entity types, as stored.
            #unknown(::dynamo_lambda::Attributes)
        });
    }
    let ident = &input.ident;
    let vis = &input.vis;
    let table = &model.table;
    let shared = quote!(<#table as ::dynamo_lambda::SharedTable>);
    let (index_id, index_name, partition_attribute, sort_attribute) = match &model.index {
        None => (
            quote!(0),
            quote!(::core::option::Option::None),
            quote!(#shared::DEFINITION.partition_key.attribute),
            quote!(::dynamo_lambda::__private::sort_key_attribute(#shared::DEFINITION)),
        ),
        Some(index) => (
            {
                let id = crate::naming::index_id(&index.to_string());
                quote!(#id)
            },
            quote!(::core::option::Option::Some(#table::#index.name)),
            quote!(#table::#index.partition_key),
            quote!(::dynamo_lambda::__private::index_sort_key(#table::#index)),
        ),
    };
    let templates = |ty: &syn::Type| match &model.index {
        None => (
            quote!(<#ty as ::dynamo_lambda::Entity>::PARTITION_TEMPLATE),
            quote!(<#ty as ::dynamo_lambda::Entity>::SORT_TEMPLATE),
            quote!(<#ty as ::dynamo_lambda::Entity>::SORT_PREFIX),
        ),
        Some(index) => {
            let found = quote_spanned! {ty.span()=>
                ::dynamo_lambda::__private::index_templates::<#ty>(#table::#index.name)
            };
            (
                quote!(#found.partition),
                quote!(#found.sort),
                quote!(#found.sort_prefix),
            )
        }
    };
    let first = model.variants[0].ty;
    let variants: Vec<_> = model.variants.iter().map(|v| v.ident).collect();
    let types: Vec<_> = model.variants.iter().map(|v| v.ty).collect();
    let members = types.iter().filter(|_| model.partition.is_some()).map(|ty| {
        let (_, sort, prefix) = templates(ty);
        quote! {
            #[automatically_derived]
            impl ::dynamo_lambda::Member<#ident> for #ty {
                type MemberKey = <#ty as ::dynamo_lambda::__private::IndexKeyOf<#index_id>>::Key;
                const PREFIX: ::core::option::Option<&'static str> = #prefix;
                const EXACT: bool = ::dynamo_lambda::__private::is_constant_template(#sort);
            }
        }
    });
    let by_shape = types.iter().enumerate().map(|(i, ty)| {
        let (partition, sort, _) = templates(ty);
        quote! {
            if ::dynamo_lambda::__private::matches_template(__sort, #sort)
                && ::dynamo_lambda::__private::matches_template(__partition, ::core::option::Option::Some(#partition))
            {
                break 'which #i;
            }
        }
    });
    let by_tag = types.iter().enumerate().map(|(i, ty)| {
        quote! {
            if __tag.is_some_and(<#ty as ::dynamo_lambda::Entity>::is_tag) {
                break 'which #i;
            }
        }
    });
    let indices = 0..types.len();
    let unknown = syn::Ident::new(UNKNOWN, proc_macro2::Span::call_site());
    let item_impl = quote! {
        #[automatically_derived]
        impl ::dynamo_lambda::Item for #ident {
            #[inline]
            fn to_item(
                &self,
            ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                match self {
                    #(Self::#variants(__value) => ::dynamo_lambda::Item::to_item(__value),)*
                    Self::#unknown(__item) => ::core::result::Result::Ok(::core::clone::Clone::clone(__item)),
                }
            }

            #[inline]
            fn into_item(
                self,
            ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                match self {
                    #(Self::#variants(__value) => ::dynamo_lambda::Item::into_item(__value),)*
                    Self::#unknown(__item) => ::core::result::Result::Ok(__item),
                }
            }

            /// The member whose key templates the item's keys have;
            /// else the one its type attribute names; else `Unknown`.
            #[inline]
            fn from_item(
                __item: ::dynamo_lambda::Attributes,
            ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                let __which: usize = 'which: {
                    let __partition = ::dynamo_lambda::__private::string_attribute(&__item, #partition_attribute);
                    let __sort = ::dynamo_lambda::__private::string_attribute(&__item, #sort_attribute);
                    #(#by_shape)*
                    let __tag = ::dynamo_lambda::__private::string_attribute(&__item, #shared::TYPE_ATTRIBUTE);
                    #(#by_tag)*
                    usize::MAX
                };
                match __which {
                    #(#indices => ::dynamo_lambda::Item::from_item(__item).map(Self::#variants),)*
                    _ => ::core::result::Result::Ok(Self::#unknown(__item)),
                }
            }
        }
    };
    let query = match &model.partition {
        Some(partition) => query(model, partition, ident, vis, first, &index_id),
        None => scan(ident, vis, first),
    };
    let table_collection = model.index.is_none().then(|| {
        quote! {
            #[automatically_derived]
            impl ::dynamo_lambda::TableCollection for #ident {}
        }
    });
    let checks = checks(model, &types, &templates, &index_id);
    quote! {
        #input

        #[automatically_derived]
        impl ::dynamo_lambda::Collection for #ident {
            type Table = #first;
            const INDEX: ::core::option::Option<&'static str> = #index_name;
        }

        #table_collection
        #(#members)*
        #item_impl
        #query
        #checks
    }
}

/// `ShopItem::scan()`: every item of the table as the table-wide enum.
fn scan(ident: &syn::Ident, vis: &syn::Visibility, first: &syn::Type) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl #ident {
            /// A scan of every item of the table, each as its entity type
            /// (or `Unknown`); `.await` it for a page, `.stream()` every item,
            /// or split it with `.segments(n)`.
            #[inline]
            #vis fn scan() -> ::dynamo_lambda::Scan<::dynamo_lambda::CollectionKey<Self>, Self> {
                ::dynamo_lambda::TableClient::<#first>::shared()
                    .scan_index::<::dynamo_lambda::CollectionKey<Self>>()
            }
        }
    }
}

fn query(
    model: &Collection,
    partition: &str,
    ident: &syn::Ident,
    vis: &syn::Visibility,
    first: &syn::Type,
    index_id: &TokenStream,
) -> TokenStream {
    let mut position = 0_usize;
    let mut params = Vec::new();
    let writes: Vec<_> = model
        .parts
        .iter()
        .map(|part| match part {
            CollectionPart::Literal(text) => quote!(__key.push_str(#text);),
            CollectionPart::Field(name) => {
                let i = position;
                position += 1;
                params.push(quote! {
                    #name: &<#first as ::dynamo_lambda::__private::PartitionField<#index_id, #i>>::Arg
                });
                quote!(::dynamo_lambda::__private::segment(&mut __key, #name);)
            }
        })
        .collect();
    let doc = format!(
        "A query of the partition `{}`{}: every member's items, in sort key order, as `{ident}`; narrow it to one type with `.only::<T>()`.",
        partition,
        model
            .index
            .as_ref()
            .map(|i| format!(" of index `{i}`"))
            .unwrap_or_default()
    );
    quote! {
        #[automatically_derived]
        impl #ident {
            #[doc = #doc]
            #[inline]
            #vis fn query(#(#params),*) -> ::dynamo_lambda::Query<::dynamo_lambda::CollectionKey<Self>, Self> {
                let mut __key = ::std::string::String::new();
                #(#writes)*
                ::dynamo_lambda::__private::collection_query(__key)
            }
        }
    }
}

/// Every member is an entity of the table with the collection's partition
/// template (and its field types), the tags differ, and no two sort key
/// templates can compose the same key.
fn checks(
    model: &Collection,
    types: &[&syn::Type],
    templates: &dyn Fn(&syn::Type) -> (TokenStream, TokenStream, TokenStream),
    index_id: &TokenStream,
) -> TokenStream {
    let table = &model.table;
    let first = types[0];
    let fields = model
        .parts
        .iter()
        .filter(|p| matches!(p, CollectionPart::Field(_)))
        .count();
    let mut asserts = Vec::new();
    let mut same_types = Vec::new();
    for (i, ty) in types.iter().enumerate() {
        let (partition_template, sort, _) = templates(ty);
        same_types.push(quote_spanned! {ty.span()=>
            __same_table::<<#ty as ::dynamo_lambda::Entity>::Shared>();
        });
        if let Some(partition) = &model.partition {
            let message = format!(
                "`{}` is not composed with the collection's partition key template `{}`",
                quote!(#ty),
                partition.replace('{', "{{").replace('}', "}}")
            );
            asserts.push(quote_spanned! {ty.span()=>
                ::core::assert!(::dynamo_lambda::__private::str_eq(#partition_template, #partition), #message);
            });
            for k in 0..fields {
                same_types.push(quote_spanned! {ty.span()=>
                    __same_type::<
                        <#first as ::dynamo_lambda::__private::PartitionField<#index_id, #k>>::Type,
                        <#ty as ::dynamo_lambda::__private::PartitionField<#index_id, #k>>::Type,
                    >();
                });
            }
        }
        for other in &types[..i] {
            let (other_partition, other_sort, _) = templates(other);
            let (a, b) = (quote!(#other), quote!(#ty));
            let collide = match &model.partition {
                Some(_) => {
                    quote!(::dynamo_lambda::__private::sort_keys_may_collide(#other_sort, #sort))
                }
                None => quote! {
                    ::dynamo_lambda::__private::may_collide(#other_partition, #partition_template)
                        && ::dynamo_lambda::__private::sort_keys_may_collide(#other_sort, #sort)
                },
            };
            let message = match &model.partition {
                Some(_) => format!(
                    "`{a}` and `{b}` can compose the same sort key: give one a different literal text, e.g. a prefix of its own"
                ),
                None => format!(
                    "`{a}` and `{b}` can compose the same primary key, and one would overwrite the other: give one a different literal text, e.g. a prefix of its own"
                ),
            };
            asserts.push(quote_spanned! {ty.span()=>
                ::core::assert!(!(#collide), #message);
            });
            if model.partition.is_none() {
                let message = format!(
                    "`{a}` and `{b}` can compose the same key in an index they share, so a query of one would read the other: give one a different literal text"
                );
                asserts.push(quote_spanned! {ty.span()=>
                    ::core::assert!(!::dynamo_lambda::__private::indexes_may_collide::<#other, #ty>(), #message);
                });
            }
            let message = format!("`{a}` and `{b}` have the same entity tag");
            asserts.push(quote_spanned! {ty.span()=>
                ::core::assert!(!::dynamo_lambda::__private::str_eq(
                    <#other as ::dynamo_lambda::Entity>::TAG,
                    <#ty as ::dynamo_lambda::Entity>::TAG,
                ), #message);
            });
        }
    }
    quote! {
        const _: () = {
            #(#asserts)*
        };

        const _: () = {
            fn __same_table<T: ::dynamo_lambda::SharedTable>()
            where
                T: ::dynamo_lambda::__private::SameAs<#table>,
            {
            }
            fn __same_type<A, B>()
            where
                A: ::dynamo_lambda::__private::SameAs<B>,
            {
            }
            fn __checks() {
                #(#same_types)*
            }
        };
    }
}
