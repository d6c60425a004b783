//! `encode_object!`: how every generated struct that is sent in a request is encoded, written
//! once (and `encode_union!`, for the unions that are sent).
//!
//! serde's derive writes, per struct, a `serialize_field` call generic over the serializer for
//! each field (and a wrapper type with its own `Serialize` impl for each `with` field), which
//! rustc type-checks in every build of a crate that may send hundreds of types. Here a struct's
//! `Serialize` is one call that lists its fields as `erased_serde::Serialize` trait objects, and
//! the loop over them is [`object`], type-checked once for the whole crate (300 seven-field
//! structs: 2.2 s of rustc for the derive, 0.4 s for this; see the repository's
//! BENCHMARKS.md). The output is the derive's: the same fields in the same order, an optional
//! field left out when it is `None`, and the same length hint to the serializer.

use serde::Serializer;
use serde::ser::SerializeStruct;

/// A field to encode: its wire name, and its value, `None` when it is left out.
pub type Field<'a> = (&'static str, Option<&'a dyn erased_serde::Serialize>);

/// A field that is always sent (a `None` in it is sent as `null`).
pub fn always<T: serde::Serialize>(value: &T) -> Option<&dyn erased_serde::Serialize> {
    Some(value)
}

/// An `Option` field that is left out when it is `None`.
pub fn skip_none<T: serde::Serialize>(value: &Option<T>) -> Option<&dyn erased_serde::Serialize> {
    value.is_some().then_some(value)
}

/// An `Option<Option<T>>` field: left out when `None`, sent as `null` when `Some(None)`.
pub fn double_option<T: serde::Serialize>(
    value: &Option<Option<T>>,
) -> Option<&dyn erased_serde::Serialize> {
    value
        .as_ref()
        .map(|inner| inner as &dyn erased_serde::Serialize)
}

/// Encodes a struct named `name` from its fields: `Serialize::serialize` of every struct that
/// calls [`encode_object!`].
pub fn object<S: Serializer>(
    serializer: S,
    name: &'static str,
    fields: &[Field<'_>],
) -> Result<S::Ok, S::Error> {
    let present = fields.iter().filter(|(_, value)| value.is_some()).count();
    let mut object = serializer.serialize_struct(name, present)?;
    for &(wire, value) in fields {
        match value {
            Some(value) => object.serialize_field(wire, value)?,
            None => object.skip_field(wire)?,
        }
    }
    object.end()
}

/// Implements `Serialize` for a struct from its fields, each with its wire name and whether it
/// may be left out:
///
/// ```text
/// encode_object!(Pet {
///     id,                         // wire name `id`, always sent
///     r#type = "type",            // wire name other than the field's
///     size: skip_none,            // an `Option` left out when `None`
///     note: double_option,        // `Option<Option<T>>`: `None` left out, `Some(None)` `null`
/// });
/// ```
// A generated crate without request structs does not use it.
#[allow(unused_macros)]
macro_rules! encode_object {
    (
        $name:ident {
            $($field:ident $(= $wire:literal)? $(: $mode:ident)?),* $(,)?
        }
    ) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                crate::runtime::encode::object(serializer, ::core::stringify!($name), &[
                    $((
                        crate::runtime::encode_object!(@wire $field $($wire)?),
                        crate::runtime::encode_object!(@value (&self.$field) $($mode)?),
                    )),*
                ])
            }
        }
    };
    (@wire $field:ident) => { ::core::stringify!($field) };
    (@wire $field:ident $wire:literal) => { $wire };
    (@value ($value:expr)) => { crate::runtime::encode::always($value) };
    (@value ($value:expr) skip_none) => { crate::runtime::encode::skip_none($value) };
    (@value ($value:expr) double_option) => { crate::runtime::encode::double_option($value) };
}

// Reached as `crate::runtime::encode_object!` by generated models; unused where there are none.
#[allow(unused_imports)]
pub(crate) use encode_object;

/// Implements `Serialize` for a union from its variants, each of which holds one value: the
/// value is sent as it is and the variant leaves no trace (serde's `untagged`; a discriminator
/// is a property of the member itself). `encode_union!(Payment { Card, Transfer })` for
/// `enum Payment { Card(Card), Transfer(Box<Transfer>), Unknown(serde_json::Value) }`.
// A generated crate without unions that are sent does not use it.
#[allow(unused_macros)]
macro_rules! encode_union {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                let value: &dyn ::erased_serde::Serialize = match self {
                    $(Self::$variant(value) => value,)*
                    Self::Unknown(value) => value,
                };
                ::serde::Serialize::serialize(value, serializer)
            }
        }
    };
}

// Reached as `crate::runtime::encode_union!` by generated models; unused where there are none.
#[allow(unused_imports)]
pub(crate) use encode_union;
