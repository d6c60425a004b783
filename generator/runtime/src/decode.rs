//! `decode_object!`: how every generated struct that arrives in a reply is decoded, written once.
//!
//! serde's derive gives each struct a field enum with its own visitor, a visitor for the
//! struct that takes a JSON array as well as an object, and `Deserialize` impls for both:
//! several hundred lines of expansion per struct, which rustc type-checks in every build of a
//! crate that may have hundreds of reply types. Here a struct gets one `visit_map` loop, written
//! by [`decode_object!`], and everything that does not depend on its fields is the generic code
//! below (300 five-field structs: 9.7–13.3 s of rustc with the derive, 3.4–4.6 s with this;
//! see the repository's BENCHMARKS.md). What a reply decodes to, and the errors it gives
//! (`missing field`, `unknown field`, with `serde_path_to_error`'s path), are those of the
//! derive; only a JSON array, which the derive also took for a struct, is refused.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A struct decoded from a JSON object by [`decode_object!`].
pub trait Object: Sized {
    /// The struct's name, for "expected struct …".
    const NAME: &'static str;

    /// Reads the object's entries (every entry: unknown ones are skipped or refused).
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decodes a `T` from an object: `Deserialize::deserialize` of every [`Object`].
pub fn object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// Decodes an open string enum (see `open_enum!`) from a string, taking it over when the
/// format gives an owned one, so an unknown value is kept without another copy.
pub fn open_string<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: for<'a> From<&'a str> + From<String>,
    D: Deserializer<'de>,
{
    deserializer.deserialize_string(StringVisitor(PhantomData))
}

struct StringVisitor<T>(PhantomData<T>);

impl<T: for<'a> From<&'a str> + From<String>> Visitor<'_> for StringVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }
}

/// An object's key: borrowed from the input when the format allows it, so reading a reply's
/// keys allocates nothing.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value)))
    }
}

/// The value of a field the object does not have: `None` for an `Option`, otherwise the
/// error `missing field `name``, as serde's derive gives.
pub fn missing<'de, T: Deserialize<'de>, E: de::Error>(field: &'static str) -> Result<T, E> {
    T::deserialize(Missing {
        field,
        error: PhantomData,
    })
}

/// Reads a field's value into its slot; a key the object repeats is an error.
pub fn value<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    field: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(field));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads an `Option<Option<T>>` field's value, where `null` is `Some(None)`.
pub fn present<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<Option<Option<T>>>,
    field: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(field));
    }
    *slot = Some(Some(map.next_value()?));
    Ok(())
}

/// A field's value once the object is read: the one it had, or [`missing`]'s.
pub fn take<'de, T: Deserialize<'de>, E: de::Error>(
    slot: Option<T>,
    field: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => missing(field),
    }
}

/// Skips the value of a key the struct does not have, or refuses it (`deny_unknown_fields`,
/// for schemas that forbid other properties).
pub fn unknown<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: &str,
    deny: Option<&'static [&'static str]>,
) -> Result<(), A::Error> {
    match deny {
        Some(expected) => Err(de::Error::unknown_field(key, expected)),
        None => map.next_value::<de::IgnoredAny>().map(drop),
    }
}

/// A deserializer with nothing in it: `Option`s take it as `None`, every other type fails.
struct Missing<E> {
    field: &'static str,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.field))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// Implements `Deserialize` for a struct from its fields, each with how it is read:
///
/// ```text
/// decode_object!(Pet {
///     id,                         // wire name `id`; missing: an error, or `None` for an `Option`
///     r#type = "type",            // wire name other than the field's
///     kind: default,              // missing: `Default::default()` (`None` for an `Option`)
///     note: double_option,        // `Option<Option<T>>`: missing `None`, `null` `Some(None)`
/// });
/// decode_object!(Closed { id } deny_unknown_fields);
/// ```
///
/// A key that names no field is skipped (or, with `deny_unknown_fields`, refused); a key given
/// twice is an error.
// A generated crate without reply structs does not use it.
#[allow(unused_macros)]
macro_rules! decode_object {
    (
        $name:ident {
            $($field:ident $(= $wire:literal)? $(: $mode:ident)?),* $(,)?
        } $($deny:ident)?
    ) => {
        impl crate::runtime::decode::Object for $name {
            const NAME: &'static str = ::core::stringify!($name);

            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::core::result::Result<Self, A::Error> {
                $(let mut $field = ::core::option::Option::None;)*
                while let ::core::option::Option::Some(key) =
                    map.next_key::<crate::runtime::decode::Key<'de>>()?
                {
                    let read = match key.as_str() {
                        $(crate::runtime::decode_object!(@wire $field $($wire)?) =>
                            crate::runtime::decode_object!(
                                @value map $field
                                (crate::runtime::decode_object!(@wire $field $($wire)?))
                                $($mode)?
                            ),)*
                        key => crate::runtime::decode::unknown(
                            &mut map,
                            key,
                            crate::runtime::decode_object!(
                                @deny [$(crate::runtime::decode_object!(@wire $field $($wire)?)),*]
                                $($deny)?
                            ),
                        ),
                    };
                    if let ::core::result::Result::Err(error) = read {
                        return ::core::result::Result::Err(error);
                    }
                }
                ::core::result::Result::Ok(Self {
                    $($field: crate::runtime::decode_object!(
                        @finish $field (crate::runtime::decode_object!(@wire $field $($wire)?))
                        $($mode)?
                    ),)*
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                crate::runtime::decode::object(deserializer)
            }
        }
    };
    (@wire $field:ident) => { ::core::stringify!($field) };
    (@wire $field:ident $wire:literal) => { $wire };
    (@value $map:ident $field:ident ($wire:expr) $(default)?) => {
        crate::runtime::decode::value(&mut $map, &mut $field, $wire)
    };
    (@value $map:ident $field:ident ($wire:expr) double_option) => {
        crate::runtime::decode::present(&mut $map, &mut $field, $wire)
    };
    (@finish $field:ident ($wire:expr)) => {
        match crate::runtime::decode::take($field, $wire) {
            ::core::result::Result::Ok(value) => value,
            ::core::result::Result::Err(error) => return ::core::result::Result::Err(error),
        }
    };
    (@finish $field:ident ($wire:expr) $(default)? $(double_option)?) => {
        $field.unwrap_or_default()
    };
    (@deny [$($wire:expr),*]) => { ::core::option::Option::None };
    (@deny [$($wire:expr),*] deny_unknown_fields) => {
        ::core::option::Option::Some(&[$($wire),*])
    };
}

// Reached as `crate::runtime::decode_object!` by generated models; unused where there are none.
#[allow(unused_imports)]
pub(crate) use decode_object;

/// Implements `Deserialize` for a union without a discriminator from its variants, tried in
/// order: the reply becomes the first variant whose type decodes it, and `Unknown` (a
/// `serde_json::Value`) when none does, as serde's `untagged` with that last variant does.
/// `decode_untagged!(Payment { Card, Transfer })` for
/// `enum Payment { Card(Card), Transfer(Box<Transfer>), Unknown(serde_json::Value) }`.
///
/// serde's derive buffers the reply in its private `Content` and writes a decoder per variant;
/// here the buffer is a `serde_json::Value` and each try is one call.
// A generated crate without such unions does not use it.
#[allow(unused_macros)]
macro_rules! decode_untagged {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let value: ::serde_json::Value = ::serde::Deserialize::deserialize(deserializer)?;
                $(
                    if let ::core::result::Result::Ok(member) =
                        ::serde::Deserialize::deserialize(&value)
                    {
                        return ::core::result::Result::Ok(Self::$variant(member));
                    }
                )*
                ::core::result::Result::Ok(Self::Unknown(value))
            }
        }
    };
}

// Reached as `crate::runtime::decode_untagged!` by generated models; unused where there are none.
#[allow(unused_imports)]
pub(crate) use decode_untagged;
