//! `open_enum!`: what every generated string enum has in common, written once.
//!
//! A generated string enum declares its variants (one per known value, plus
//! `Unknown(String)`) and then calls `open_enum!` with the wire value of each known variant.
//! The macro adds `as_str`, `Display`, `From<&str>`, `From<String>`, `FromStr` and serde's `Serialize` /
//! `Deserialize`, all going through the wire value, so a value the SDK does not know decodes
//! into `Unknown` instead of failing, and is sent back unchanged.
//!
//! Every path in the expansion is absolute (`::core::…`, `::serde::…`): the enum's own
//! variants (`Ok`, `Err`, …) and the spec's type names (`From`, `Default`, …) cannot change
//! what it means.

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

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                $(
                    if value == $wire {
                        return Self::$variant;
                    }
                )*
                Self::Unknown(::std::borrow::ToOwned::to_owned(value))
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                $(
                    if value == $wire {
                        return Self::$variant;
                    }
                )*
                Self::Unknown(value)
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
                let value: ::std::borrow::Cow<'de, str> =
                    ::serde::Deserialize::deserialize(deserializer)?;
                ::core::result::Result::Ok(<Self as ::core::convert::From<&str>>::from(&value))
            }
        }
    };
}

// Reached as `crate::runtime::open_enum!` by generated models; unused where there are none.
#[allow(unused_imports)]
pub(crate) use open_enum;

#[cfg(test)]
mod tests {
    /// Variants named like the prelude's `Ok` and `Err` (and `FromStr::Err`) must not confuse
    /// the expansion.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Status {
        #[default]
        Active,
        OnHold,
        Ok,
        Err,
        Unknown(String),
    }

    open_enum!(Status {
        Active = "active",
        OnHold = "on-hold",
        Ok = "ok",
        Err = "err",
    });

    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Nothing {
        Unknown(String),
    }

    open_enum!(Nothing {});

    #[test]
    fn known_values_round_trip_through_every_spelling() {
        for (status, wire) in [
            (Status::Active, "active"),
            (Status::OnHold, "on-hold"),
            (Status::Ok, "ok"),
            (Status::Err, "err"),
        ] {
            assert_eq!(status.as_str(), wire);
            assert_eq!(status.to_string(), wire);
            assert_eq!(Status::from(wire), status);
            assert_eq!(Status::from(wire.to_owned()), status);
            assert_eq!(wire.parse::<Status>(), Ok(status.clone()));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{wire}\""));
            assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), status);
        }
        assert_eq!(Status::default(), Status::Active);
    }

    #[test]
    fn unknown_values_are_kept_and_sent_back_unchanged() {
        let status: Status = serde_json::from_str("\"archived\"").unwrap();
        assert_eq!(status, Status::Unknown("archived".into()));
        assert_eq!(status.as_str(), "archived");
        assert_eq!(serde_json::to_string(&status).unwrap(), "\"archived\"");
        assert_eq!(
            Status::from(String::from("archived")),
            Status::Unknown("archived".into())
        );
        // Matching is exact: case and separators are part of the value.
        assert_eq!(Status::from("Active"), Status::Unknown("Active".into()));
        // Escaped JSON strings are decoded before matching.
        assert_eq!(
            serde_json::from_str::<Status>("\"on\\u002dhold\"").unwrap(),
            Status::OnHold
        );
        let nothing: Nothing = serde_json::from_str("\"x\"").unwrap();
        assert_eq!(nothing.as_str(), "x");
    }

    #[test]
    fn values_that_are_not_strings_fail_to_decode() {
        assert!(serde_json::from_str::<Status>("1").is_err());
        assert!(serde_json::from_str::<Status>("null").is_err());
        assert!(serde_json::from_str::<Status>("{\"a\":1}").is_err());
    }
}
