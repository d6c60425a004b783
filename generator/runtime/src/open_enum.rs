//! `open_enum!`: what every generated string enum has in common, written once.
//!
//! A generated string enum declares its variants (one per known value, plus
//! `Unknown(String)`) and then calls `open_enum!` with the wire value of each known variant.
//! The macro adds `as_str`, `Display`, `From<&str>`, `From<String>`, `FromStr`, serde's
//! `Serialize` / `Deserialize`, and the comparison traits (`PartialEq`, `Eq`, `Hash`,
//! `PartialOrd`, `Ord`), all going through the wire value, so a value the SDK does not know
//! decodes into `Unknown` instead of failing, and is sent back unchanged.
//!
//! Comparing by wire value means two values are equal when the server would see the same
//! string (`Unknown("active")` is `Active`), and they sort by that string, which does not move
//! when the spec reorders its values. It is also a fraction of what rustc spends checking the
//! derived traits, which match on every pair of variants.
//!
//! Every path in the expansion is absolute (`::core::…`, `::serde::…`, `crate::runtime::…`):
//! the enum's own variants (`Ok`, `Err`, …) and the spec's type names (`From`, `Default`, …)
//! cannot change what it means. Decoding is the runtime's generic
//! [`open_string`](super::decode::open_string), so each enum adds no visitor of its own.

/// Implements an open string enum's methods and traits from its wire values:
/// `open_enum!(Status { Active = "active", OnHold = "on-hold" });` for
/// `enum Status { Active, OnHold, Unknown(String) }`.
// A generated crate without string enums does not use it.
#[allow(unused_macros)]
macro_rules! open_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::core::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::core::cmp::Eq for $name {}

        impl ::core::hash::Hash for $name {
            fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {
                ::core::hash::Hash::hash(self.as_str(), state)
            }
        }

        impl ::core::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> ::core::option::Option<::core::cmp::Ordering> {
                ::core::option::Option::Some(::core::cmp::Ord::cmp(self, other))
            }
        }

        impl ::core::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::core::cmp::Ordering {
                ::core::cmp::Ord::cmp(self.as_str(), other.as_str())
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    _ => Self::Unknown(::std::borrow::ToOwned::to_owned(value)),
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $($wire => Self::$variant,)*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            fn from_str(value: &str) -> ::core::result::Result<Self, ::core::convert::Infallible> {
                ::core::result::Result::Ok(<Self as ::core::convert::From<&str>>::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                crate::runtime::decode::open_string(deserializer)
            }
        }
    };
}

// Reached as `crate::runtime::open_enum!` by generated models; unused where there are none.
#[allow(unused_imports)]
pub(crate) use open_enum;
