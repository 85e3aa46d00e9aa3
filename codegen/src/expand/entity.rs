//! An entity of a shared table: its key struct composing and parsing the
//! key templates, `impl Item` writing and checking the composed keys,
//! `impl Table` and `impl Entity`, the compile-time checks against the
//! shared table, and the queries on the entity's own key prefix.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, Type};

use crate::check::entity::{Entity, EntityIndex};
use crate::check::template::{Part, Template, TemplateField};
use crate::expand::item::{ItemExtra, ItemField, impl_item_with};
use crate::expand::key::{self, key_ident};
use crate::expand::{fields, ops, query, table};
use crate::naming;

/// Everything `#[dynamo_lambda(table = Shop, entity = …)]` adds beside the struct.
pub fn entity(model: &Entity) -> TokenStream {
    let key_struct = key_struct(model);
    let item_impl = item_impl(model);
    let table_impl = table_impl(model);
    let checks = checks(model);
    let item = model.item;
    let ident = item.ident;
    let operations = ops::operations(item);
    let fields = fields::handles(item, |f| model.in_template(f), model.version);
    let queries = queries(model);
    quote! {
        #key_struct
        #item_impl
        #table_impl
        #checks

        #[automatically_derived]
        impl #ident {
            #operations
        }

        #fields
        #queries
    }
}

/// `<Shop as SharedTable>`.
fn shared(model: &Entity) -> TokenStream {
    let table = &model.table;
    quote_spanned!(table.span()=> <#table as ::dynamo_lambda::SharedTable>)
}

/// The table's partition and sort key attribute names.
fn table_attributes(model: &Entity) -> (TokenStream, TokenStream) {
    let shared = shared(model);
    (
        quote!(#shared::DEFINITION.partition_key.attribute),
        quote!(::dynamo_lambda::__private::sort_key_attribute(#shared::DEFINITION)),
    )
}

/// An index's partition and sort key attribute names: `Shop::GSI1.partition_key`.
fn index_attributes(model: &Entity, index: &EntityIndex) -> (TokenStream, TokenStream) {
    let table = &model.table;
    let name = &index.name;
    let constant = quote_spanned!(name.span()=> #table::#name);
    (
        quote!(#constant.partition_key),
        quote!(::dynamo_lambda::__private::index_sort_key(#constant)),
    )
}

/// The expression composing `template`; `value` gives each field's value
/// (a reference to its segment type).
fn compose(template: &Template, value: impl Fn(&TemplateField) -> TokenStream) -> TokenStream {
    // The literal text and every field's size hint: one allocation.
    let literal = template
        .parts
        .iter()
        .map(|part| match part {
            Part::Literal(text) => text.len(),
            Part::Field(_) => 0,
        })
        .sum::<usize>();
    let hints = template.fields().map(|field| {
        let value = value(field);
        quote!(+ ::dynamo_lambda::__private::Segment::size_hint(#value))
    });
    let capacity = quote!(#literal #(#hints)*);
    let writes = template.parts.iter().map(|part| match part {
        Part::Literal(text) => quote!(__key.push_str(#text);),
        Part::Field(field) => {
            let value = value(field);
            let span = field.ty.span();
            quote_spanned!(span=> ::dynamo_lambda::__private::segment(&mut __key, #value);)
        }
    });
    quote! {{
        let mut __key = ::std::string::String::with_capacity(#capacity);
        #(#writes)*
        __key
    }}
}

/// Statements reading `key` (a `&str`) with `template` into locals
/// `__f_<field>`, errors at `attribute`.
fn parse_key(template: &Template, key: &TokenStream, attribute: &TokenStream) -> TokenStream {
    parse_fields(template, key, attribute, false)
}

/// [`parse_key`], binding only the `key_only` fields when `key_only_fields`.
fn parse_fields(
    template: &Template,
    key: &TokenStream,
    attribute: &TokenStream,
    key_only_fields: bool,
) -> TokenStream {
    let text = &template.text;
    let reads = template.parts.iter().map(|part| match part {
        Part::Literal(literal) => quote!(__reader.literal(#literal)?;),
        Part::Field(field) if key_only_fields && field.field.attrs.key_only.is_none() => {
            let ty = field.ty;
            quote_spanned!(ty.span()=> __reader.segment::<#ty>()?;)
        }
        Part::Field(field) => {
            let local = key::parsed_local(field.field.ident);
            let ty = field.ty;
            quote_spanned!(ty.span()=> let #local = __reader.segment::<#ty>()?;)
        }
    });
    quote! {
        let mut __reader = ::dynamo_lambda::__private::KeyReader::new(#key, #text).at(#attribute);
        #(#reads)*
        __reader.end()?;
    }
}

/// `OrderKey`: the fields of the primary key's templates, and its `impl Key`.
fn key_struct(model: &Entity) -> TokenStream {
    let item = model.item;
    let vis = item.vis;
    let key = key_ident(item);
    let fields = model.key_fields();
    let doc = format!(
        "The primary key of a [`{}`]: `{}`{}.",
        item.ident,
        model.partition.text,
        model
            .sort
            .as_ref()
            .map(|sort| format!(", `{}`", sort.text))
            .unwrap_or_default()
    );
    let (pk, sk) = table_attributes(model);
    let compose_pk = compose(&model.partition, |f| {
        let ident = f.field.ident;
        quote!(&self.#ident)
    });
    let parse_pk = parse_key(&model.partition, &quote!(&__pk), &pk);
    let (compose_sk, parse_sk) = match &model.sort {
        Some(sort) => {
            let compose = compose(sort, |f| {
                let ident = f.field.ident;
                quote!(&self.#ident)
            });
            let parse = parse_key(sort, &quote!(&__sk), &sk);
            (
                quote!(::dynamo_lambda::__private::insert_key(&mut __item, #sk, #compose)?;),
                quote! {
                    let __sk = ::dynamo_lambda::__private::take_key(&mut __key, #sk)?;
                    #parse
                },
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let idents: Vec<_> = fields.iter().map(|f| f.field.ident).collect();
    let types: Vec<_> = fields.iter().map(|f| f.ty).collect();
    let locals = idents.iter().map(|i| key::parsed_local(i));
    let docs = fields
        .iter()
        .map(|f| format!("The `{}` field of the key.", f.field.ident));
    let declared = idents
        .iter()
        .zip(&types)
        .zip(docs.zip(fields.iter().map(|f| &f.field.serde_attrs)))
        .map(|((ident, ty), (doc, serde))| quote!(#[doc = #doc] #(#serde)* pub #ident: #ty));
    let declaration = key::declare(&doc, vis, &key, &item.serde.rename_all, declared);
    quote! {
        #declaration

        #[automatically_derived]
        impl ::dynamo_lambda::Key for #key {
            #[inline]
            fn to_key(
                &self,
            ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                let mut __item = ::dynamo_lambda::Attributes::with_capacity(2);
                ::dynamo_lambda::__private::insert_key(&mut __item, #pk, #compose_pk)?;
                #compose_sk
                ::core::result::Result::Ok(__item)
            }

            #[inline]
            fn from_key(
                mut __key: ::dynamo_lambda::Attributes,
            ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                let __pk = ::dynamo_lambda::__private::take_key(&mut __key, #pk)?;
                #parse_pk
                #parse_sk
                ::core::result::Result::Ok(#key {
                    #(#idents: #locals,)*
                })
            }
        }
    }
}

/// `impl Item`: the fields, the composed keys, the tag and each index's
/// keys (left out when one of their fields is `None`); on read, the tag and
/// the stored keys are checked against the fields.
fn item_impl(model: &Entity) -> TokenStream {
    let item = model.item;
    let shared = shared(model);
    let (pk, sk) = table_attributes(model);
    let fields: Vec<_> = item
        .fields
        .iter()
        .map(|f| ItemField {
            key_only: f.attrs.key_only.is_some(),
            ..ItemField::of(f, false)
        })
        .collect();
    let of_self = |f: &TemplateField| {
        let ident = f.field.ident;
        quote!(&self.#ident)
    };
    let compose_pk = compose(&model.partition, of_self);
    // A template whose fields were all parsed from the key needs no check:
    // only the key a value composes parses into it.
    let parsed = |template: &Template| {
        !template.is_constant() && template.fields().all(|f| f.field.attrs.key_only.is_some())
    };
    let check_pk =
        (!parsed(&model.partition)).then(|| check_key(&model.partition, &pk, &quote!(__pk)));
    let (compose_sk, insert_sk, take_sk, check_sk) = match &model.sort {
        Some(sort) => (
            {
                let compose = compose(sort, of_self);
                quote!(let __sk = #compose;)
            },
            quote!(::dynamo_lambda::__private::insert_key(&mut __item, #sk, __sk)?;),
            quote!(let __sk = ::dynamo_lambda::__private::take_key(&mut __item, #sk)?;),
            if parsed(sort) {
                TokenStream::new()
            } else {
                check_key(sort, &sk, &quote!(__sk))
            },
        ),
        None => Default::default(),
    };
    // Fields stored only in a key are read from it.
    let key_only =
        |template: &Template| template.fields().any(|f| f.field.attrs.key_only.is_some());
    let parse_pk_only = key_only(&model.partition)
        .then(|| parse_fields(&model.partition, &quote!(&__pk), &pk, true));
    let parse_sk_only = model
        .sort
        .as_ref()
        .filter(|sort| key_only(sort))
        .map(|sort| parse_fields(sort, &quote!(&__sk), &sk, true));
    let (compose_indexes, insert_indexes): (Vec<_>, Vec<_>) = model
        .indexes
        .iter()
        .enumerate()
        .map(|(i, index)| index_keys(model, index, i))
        .unzip();
    let tag = &model.tag;
    let aliases = &model.aliases;
    let extra = ItemExtra {
        attributes: 3 + 2 * model.indexes.len(),
        to_before: quote! {
            let __pk = #compose_pk;
            #compose_sk
            #(#compose_indexes)*
        },
        to_after: quote! {
            ::dynamo_lambda::__private::insert_key(&mut __item, #pk, __pk)?;
            #insert_sk
            ::dynamo_lambda::__private::insert_tag(&mut __item, #shared::TYPE_ATTRIBUTE, #tag);
            #(#insert_indexes)*
        },
        from_before: quote! {
            ::dynamo_lambda::__private::check_tag(&mut __item, #shared::TYPE_ATTRIBUTE, #tag, &[#(#aliases),*])?;
            let __pk = ::dynamo_lambda::__private::take_key(&mut __item, #pk)?;
            #parse_pk_only
            #take_sk
            #parse_sk_only
        },
        from_after: quote! {
            #check_pk
            #check_sk
        },
    };
    impl_item_with(item.ident, &fields, true, &extra)
}

/// Checks the stored key `stored` against the decoded `__value`'s fields
/// without composing it; only a mismatch composes, for the error.
fn check_key(template: &Template, attribute: &TokenStream, stored: &TokenStream) -> TokenStream {
    let steps = template.parts.iter().map(|part| match part {
        Part::Literal(text) => quote!(.literal(#text)),
        Part::Field(field) => {
            let ident = field.field.ident;
            quote!(.segment(&__value.#ident))
        }
    });
    let text = &template.text;
    let composed = compose(template, |f| {
        let ident = f.field.ident;
        quote!(&__value.#ident)
    });
    quote! {
        if !::dynamo_lambda::__private::KeyCheck::new(&#stored) #(#steps)* .matches() {
            return ::core::result::Result::Err(
                ::dynamo_lambda::__private::mismatch(#attribute, #text, #stored, #composed),
            );
        }
    }
}

/// An index's keys composed before the fields move (`None` when a field of
/// a template is `None`), and written after.
fn index_keys(model: &Entity, index: &EntityIndex, i: usize) -> (TokenStream, TokenStream) {
    let local = format_ident!("__index{}", i);
    let fields = index.fields();
    let optional: Vec<_> = fields.iter().filter(|f| f.optional).collect();
    let bindings: Vec<_> = optional.iter().map(|f| local_of(f.field.ident)).collect();
    let value = |f: &TemplateField| {
        if f.optional {
            let binding = local_of(f.field.ident);
            quote!(#binding)
        } else {
            let ident = f.field.ident;
            quote!(&self.#ident)
        }
    };
    let partition = compose(&index.partition, value);
    let sort = match &index.sort {
        Some(sort) => {
            let sort = compose(sort, value);
            quote!(::core::option::Option::Some(#sort))
        }
        None => quote!(::core::option::Option::None),
    };
    let composed = quote!((#partition, #sort));
    let compose = if optional.is_empty() {
        quote!(let #local = ::core::option::Option::Some(#composed);)
    } else {
        let sources = optional.iter().map(|f| {
            let ident = f.field.ident;
            quote!(&self.#ident)
        });
        let patterns = bindings
            .iter()
            .map(|b| quote!(::core::option::Option::Some(#b)));
        quote! {
            let #local = match (#(#sources,)*) {
                (#(#patterns,)*) => ::core::option::Option::Some(#composed),
                _ => ::core::option::Option::None,
            };
        }
    };
    let (pk, sk) = index_attributes(model, index);
    let insert = quote! {
        if let ::core::option::Option::Some((__partition, __sort)) = #local {
            ::dynamo_lambda::__private::insert_key(&mut __item, #pk, __partition)?;
            if let ::core::option::Option::Some(__sort) = __sort {
                ::dynamo_lambda::__private::insert_key(&mut __item, #sk, __sort)?;
            }
        }
    };
    (compose, insert)
}

fn local_of(ident: &Ident) -> Ident {
    format_ident!("__v_{}", syn::ext::IdentExt::unraw(ident))
}

/// `impl Table` on the shared table's definition, and `impl Entity`.
fn table_impl(model: &Entity) -> TokenStream {
    let item = model.item;
    let ident = item.ident;
    let key = key_ident(item);
    let shared = shared(model);
    let table = &model.table;
    let idents = model.key_fields().into_iter().map(|f| f.field.ident);
    let version = model.version.map(table::version_items);
    let ttl = model.ttl.as_ref().map(table::ttl_items);
    let versioned = model.version.map(|_| table::impl_versioned(ident));
    let tag = &model.tag;
    let aliases = &model.aliases;
    let partition = &model.partition.text;
    let option = |value: Option<String>| match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    };
    let sort = option(model.sort.as_ref().map(|s| s.text.clone()));
    let prefix = option(model.sort.as_ref().map(Template::prefix));
    let index_templates = model.indexes.iter().map(|index| {
        let name = &index.name;
        let partition = &index.partition.text;
        let sort = option(index.sort.as_ref().map(|s| s.text.clone()));
        let prefix = option(index.sort.as_ref().map(Template::prefix));
        quote! {
            ::dynamo_lambda::IndexTemplates {
                index: #table::#name.name,
                partition: #partition,
                sort: #sort,
                sort_prefix: #prefix,
            }
        }
    });
    let table_fields = partition_fields(ident, &quote!(0), &model.partition, &key);
    let index_partition_fields = model.indexes.iter().map(|index| {
        let name = &index.name;
        let id = naming::index_id(&name.to_string());
        let id = quote!(#id);
        partition_fields(ident, &id, &index.partition, &index_key_ident(model, index))
    });
    quote! {
        #versioned

        #[automatically_derived]
        impl ::dynamo_lambda::Table for #ident {
            type Key = #key;

            const DEFINITION: ::dynamo_lambda::TableDefinition = #shared::DEFINITION;

            #[inline]
            fn key(&self) -> #key {
                #key {
                    #(#idents: ::core::clone::Clone::clone(&self.#idents),)*
                }
            }

            #[inline]
            fn table_name() -> &'static str {
                #shared::table_name()
            }

            #version
            #ttl
        }

        #[automatically_derived]
        impl ::dynamo_lambda::Entity for #ident {
            type Shared = #table;
            const TAG: &'static str = #tag;
            const ALIASES: &'static [&'static str] = &[#(#aliases),*];
            const PARTITION_TEMPLATE: &'static str = #partition;
            const SORT_TEMPLATE: ::core::option::Option<&'static str> = #sort;
            const SORT_PREFIX: ::core::option::Option<&'static str> = #prefix;
            const INDEXES: &'static [::dynamo_lambda::IndexTemplates] = &[#(#index_templates),*];
        }

        #table_fields
        #(#index_partition_fields)*
    }
}

/// `impl PartitionField<INDEX, I>` for each field of a partition template,
/// and `impl IndexKeyOf<INDEX>`: what a collection in that index needs.
fn partition_fields(
    ident: &Ident,
    index: &TokenStream,
    template: &Template,
    key: &Ident,
) -> TokenStream {
    let impls = template.fields().enumerate().map(|(i, field)| {
        let ty = field.ty;
        let arg = argument_type(ty);
        quote! {
            #[automatically_derived]
            impl ::dynamo_lambda::__private::PartitionField<#index, #i> for #ident {
                type Type = #ty;
                type Arg = #arg;
            }
        }
    });
    quote! {
        #(#impls)*

        #[automatically_derived]
        impl ::dynamo_lambda::__private::IndexKeyOf<#index> for #ident {
            type Key = #key;
        }
    }
}

/// What only the shared table knows, checked when the crate compiles: the
/// sort key and time to live agree with it, each index has the keys the
/// templates give, and no field is stored as one of its key attributes.
fn checks(model: &Entity) -> TokenStream {
    let shared = shared(model);
    let table = &model.table;
    let has_sort = model.sort.is_some();
    let sort_message = if has_sort {
        format!(
            "`{}` gives a sort key template, but the shared table has no sort key",
            model.item.ident
        )
    } else {
        format!(
            "`{}` needs a sort key template, `sk = \"…\"`: the shared table has a sort key",
            model.item.ident
        )
    };
    let sort_span = model.sort.as_ref().map_or(model.partition.span, |s| s.span);
    let sort_check = quote_spanned! {sort_span=>
        ::core::assert!(#shared::DEFINITION.sort_key.is_some() == #has_sort, #sort_message);
    };
    let ttl_check = model.ttl.as_ref().map(|ttl| {
        let name = &ttl.field.name;
        let message = format!(
            "`{}` is the time-to-live field, but the shared table's `ttl` attribute is not `{name}`",
            ttl.field.ident
        );
        let span = ttl.field.attrs.ttl.as_ref().map_or(ttl.field.ident.span(), |p| p.span());
        quote_spanned! {span=>
            ::core::assert!(
                ::dynamo_lambda::__private::is_ttl_attribute(#shared::DEFINITION, #name),
                #message
            );
        }
    });
    let index_checks = model.indexes.iter().map(|index| {
        let name = &index.name;
        let has_sort = index.sort.is_some();
        let message = if has_sort {
            format!("index `{name}` has no sort key, but a sort key template is given")
        } else {
            format!("index `{name}` has a sort key: give its template, `sk = \"…\"`")
        };
        quote_spanned! {name.span()=>
            ::core::assert!(#table::#name.sort_key.is_some() == #has_sort, #message);
        }
    });
    let index_consts: Vec<_> = model
        .indexes
        .iter()
        .map(|index| {
            let name = &index.name;
            quote_spanned!(name.span()=> #table::#name)
        })
        .collect();
    let field_checks = model
        .item
        .stored_fields()
        .filter(|f| f.attrs.key_only.is_none())
        .map(|field| {
        let name = &field.name;
        let message = format!(
            "field `{}` is stored as `{name}`, which the shared table uses for its keys or entity tags; rename it with `#[dynamo(rename = \"…\")]`",
            field.ident
        );
        quote_spanned! {field.name_span=>
            ::core::assert!(
                !::dynamo_lambda::__private::is_reserved::<#table>(#name, &[#(#index_consts),*]),
                #message
            );
        }
    });
    quote! {
        const _: () = {
            #sort_check
            #ttl_check
            #(#index_checks)*
            #(#field_checks)*
        };
    }
}

/// `Order::query(&user_id)` on the entity's sort-key prefix, and `Order::query_gsi1(&order_id)` per index, with their key types.
fn queries(model: &Entity) -> TokenStream {
    let item = model.item;
    let ident = item.ident;
    let key = key_ident(item);
    let shared = shared(model);
    let (pk, sk) = table_attributes(model);
    let attributes = item
        .stored_fields()
        .filter(|f| f.attrs.key_only.is_none())
        .map(|f| &f.name);
    let index_attributes = model.indexes.iter().map(|index| {
        let (pk, sk) = index_attributes(model, index);
        let sk = index.sort.as_ref().map(|_| quote!(#sk,));
        quote!(#pk, #sk)
    });
    let sk_attribute = model.sort.as_ref().map(|_| quote!(#sk,));
    let table_query = query_fn(
        model,
        &format_ident!("query"),
        &key,
        &model.partition,
        model.sort.as_ref(),
        format!(
            "A query of the `{ident}` items in the partition `{}`, in sort key order: only this entity's, by the sort key's prefix.",
            model.partition.text
        ),
    );
    let index_items = model.indexes.iter().map(|index| index_key(model, index));
    let index_queries = model.indexes.iter().map(|index| {
        let key = index_key_ident(model, index);
        let name = format_ident!("query_{}", naming::snake_case(&index.name.to_string()));
        query_fn(
            model,
            &name,
            &key,
            &index.partition,
            index.sort.as_ref(),
            format!(
                "A query of index `{}` for the `{ident}` items in its partition `{}`: only this entity's, by the sort key's prefix.",
                index.name, index.partition.text
            ),
        )
    });
    let table_key = query::table_key_impls(
        ident,
        &key,
        &quote!(::std::string::String),
        &quote!(::dynamo_lambda::NoSortKey),
        quote! {
            #(#attributes,)*
            #pk,
            #sk_attribute
            #shared::TYPE_ATTRIBUTE,
            #(#index_attributes)*
        },
    );
    quote! {
        #table_key

        #(#index_items)*

        #[automatically_derived]
        impl #ident {
            #table_query

            #(#index_queries)*
        }
    }
}

/// A query function taking the partition template's fields.
fn query_fn(
    model: &Entity,
    name: &Ident,
    key: &Ident,
    partition: &Template,
    sort: Option<&Template>,
    doc: String,
) -> TokenStream {
    let vis = model.item.vis;
    let params = partition.fields().map(|f| {
        let ident = f.field.ident;
        let ty = argument_type(f.ty);
        quote!(#ident: &#ty)
    });
    let composed = compose(partition, |f| {
        let ident = f.field.ident;
        quote!(#ident)
    });
    let (prefix, exact) = match sort {
        Some(sort) => {
            let prefix = sort.prefix();
            (
                quote!(::core::option::Option::Some(#prefix)),
                sort.is_constant(),
            )
        }
        None => (quote!(::core::option::Option::None), false),
    };
    quote! {
        #[doc = #doc]
        #[inline]
        #vis fn #name(#(#params),*) -> ::dynamo_lambda::Query<#key> {
            ::dynamo_lambda::__private::entity_query(#composed, #prefix, #exact)
        }
    }
}

/// `&str` for a `String` field, else a reference to the field's type.
fn argument_type(ty: &Type) -> TokenStream {
    match ty {
        Type::Path(path) if path.qself.is_none() && path.path.is_ident("String") => quote!(str),
        _ => quote!(#ty),
    }
}

/// `OrderGsi1Key`.
fn index_key_ident(model: &Entity, index: &EntityIndex) -> Ident {
    format_ident!(
        "{}{}Key",
        model.item.ident,
        naming::pascal_case(&index.name.to_string())
    )
}

/// The key of an entity's item in an index: the index's template fields
/// and the table's, what a page's cursor resumes from.
fn index_key(model: &Entity, index: &EntityIndex) -> TokenStream {
    let item = model.item;
    let ident = item.ident;
    let vis = item.vis;
    let key = index_key_ident(model, index);
    let mut fields = index.fields();
    for field in model.key_fields() {
        if !fields.iter().any(|f| f.field.ident == field.field.ident) {
            fields.push(field);
        }
    }
    let idents: Vec<_> = fields.iter().map(|f| f.field.ident).collect();
    let types: Vec<_> = fields.iter().map(|f| f.ty).collect();
    let locals: Vec<_> = idents.iter().map(|i| key::parsed_local(i)).collect();
    let (pk, sk) = table_attributes(model);
    let (index_pk, index_sk) = index_attributes(model, index);
    let of_self = |f: &TemplateField| {
        let ident = f.field.ident;
        quote!(&self.#ident)
    };
    let mut writes = vec![{
        let composed = compose(&index.partition, of_self);
        quote!(::dynamo_lambda::__private::insert_key(&mut __item, #index_pk, #composed)?;)
    }];
    let mut reads = vec![{
        let parse = parse_key(&index.partition, &quote!(&__ipk), &index_pk);
        quote! {
            let __ipk = ::dynamo_lambda::__private::take_key(&mut __key, #index_pk)?;
            #parse
        }
    }];
    if let Some(sort) = &index.sort {
        let composed = compose(sort, of_self);
        writes.push(
            quote!(::dynamo_lambda::__private::insert_key(&mut __item, #index_sk, #composed)?;),
        );
        let parse = parse_key(sort, &quote!(&__isk), &index_sk);
        reads.push(quote! {
            let __isk = ::dynamo_lambda::__private::take_key(&mut __key, #index_sk)?;
            #parse
        });
    }
    let composed = compose(&model.partition, of_self);
    writes.push(quote!(::dynamo_lambda::__private::insert_key(&mut __item, #pk, #composed)?;));
    let parse = parse_key(&model.partition, &quote!(&__pk), &pk);
    reads.push(quote! {
        let __pk = ::dynamo_lambda::__private::take_key(&mut __key, #pk)?;
        #parse
    });
    if let Some(sort) = &model.sort {
        let composed = compose(sort, of_self);
        writes.push(quote!(::dynamo_lambda::__private::insert_key(&mut __item, #sk, #composed)?;));
        let parse = parse_key(sort, &quote!(&__sk), &sk);
        reads.push(quote! {
            let __sk = ::dynamo_lambda::__private::take_key(&mut __key, #sk)?;
            #parse
        });
    }
    let doc = format!(
        "The key of a [`{ident}`] in index `{}`, where a page of `{ident}::query_{}` resumes.",
        index.name,
        naming::snake_case(&index.name.to_string())
    );
    let table = &model.table;
    let name = &index.name;
    let docs = idents
        .iter()
        .map(|i| format!("The `{i}` field of the key."));
    quote! {
        #[doc = #doc]
        #[derive(
            ::core::fmt::Debug,
            ::core::clone::Clone,
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
            ::core::hash::Hash,
        )]
        #vis struct #key {
            #(
                #[doc = #docs]
                pub #idents: #types,
            )*
        }

        #[automatically_derived]
        impl ::dynamo_lambda::IndexKey for #key {
            type Table = #ident;
            type Item = #ident;
            type Partition = ::std::string::String;
            type Sort = ::dynamo_lambda::NoSortKey;
            const INDEX: ::core::option::Option<&'static str> =
                ::core::option::Option::Some(#table::#name.name);

            #[inline]
            fn to_attributes(
                &self,
            ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                let mut __item = ::dynamo_lambda::Attributes::with_capacity(4);
                #(#writes)*
                ::core::result::Result::Ok(__item)
            }

            #[inline]
            fn from_attributes(
                mut __key: ::dynamo_lambda::Attributes,
            ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                #(#reads)*
                ::core::result::Result::Ok(#key {
                    #(#idents: #locals,)*
                })
            }
        }
    }
}
