//! Serde helpers for `Option<Option<T>>` fields: absent (`None`), `null` (`Some(None)`) and a
//! value (`Some(Some(v))`) stay three different things, which PATCH-style bodies need.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Serializes `Some(None)` as `null` and `Some(Some(v))` as `v`. Pair it with
/// `skip_serializing_if = "Option::is_none"` so that `None` leaves the field out.
pub fn serialize<T: Serialize, S: Serializer>(
    value: &Option<Option<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(inner) => inner.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

/// Deserializes a present field: `null` becomes `Some(None)`. Pair it with `default` so that an
/// absent field becomes `None`.
pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super")]
        name: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_value_round_trip() {
        for (patch, json) in [
            (Patch { name: None }, "{}"),
            (Patch { name: Some(None) }, r#"{"name":null}"#),
            (
                Patch {
                    name: Some(Some("a".into())),
                },
                r#"{"name":"a"}"#,
            ),
        ] {
            assert_eq!(serde_json::to_string(&patch).unwrap(), json);
            assert_eq!(serde_json::from_str::<Patch>(json).unwrap(), patch);
        }
    }
}
