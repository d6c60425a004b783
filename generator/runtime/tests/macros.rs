//! The runtime's macros, `open_enum!` and `decode_object!`, on their own. `decode_object!`
//! decodes what serde's derive decodes, and fails where it fails, with the same message: each
//! input of a table is decoded by a struct the macro implements and by its twin that derives
//! `Deserialize` with the attributes the generator used to write.

// The macros reach the runtime as `crate::runtime::…`, as in a generated crate.
#[path = "../src/decode.rs"]
mod decode;
#[path = "../src/open_enum.rs"]
mod open_enum;

mod runtime {
    pub(crate) use super::decode;
    pub(crate) use super::decode::decode_object;
    pub(crate) use super::open_enum::open_enum;
}

mod open_enums {
    use super::runtime::open_enum;

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

use serde::Deserialize;

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
enum Kind {
    #[default]
    #[serde(rename = "pet")]
    Pet,
}

#[derive(Debug, PartialEq)]
struct Pet {
    id: String,
    name: Option<String>,
    r#type: String,
    age_years: Option<i64>,
    kind: Kind,
    note: Option<Option<String>>,
    tags: Vec<String>,
    owner: Option<Box<Pet>>,
}

runtime::decode_object!(Pet {
    id,
    name,
    r#type = "type",
    age_years = "age-years": default,
    kind: default,
    note: double_option,
    tags,
    owner,
});

/// What `#[derive(Deserialize)]` made of `Pet` before `decode_object!`.
#[derive(Debug, PartialEq, Deserialize)]
struct DerivedPet {
    id: String,
    name: Option<String>,
    r#type: String,
    #[serde(rename = "age-years")]
    age_years: Option<i64>,
    #[serde(default)]
    kind: Kind,
    #[serde(default, with = "double_option")]
    note: Option<Option<String>>,
    tags: Vec<String>,
    owner: Option<Box<DerivedPet>>,
}

mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

#[derive(Debug, PartialEq)]
struct Closed {
    id: String,
    size: Option<i64>,
}

runtime::decode_object!(Closed { id, size } deny_unknown_fields);

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct DerivedClosed {
    id: String,
    size: Option<i64>,
}

#[derive(Debug, PartialEq)]
struct Empty {}

runtime::decode_object!(Empty {});

#[derive(Debug, PartialEq, Deserialize)]
struct DerivedEmpty {}

const PETS: &[&str] = &[
    // Every field, then each optional one left out or `null`.
    r#"{"id": "p1", "name": "Rex", "type": "dog", "age-years": 3, "kind": "pet", "note": "hi", "tags": ["a"], "owner": null}"#,
    r#"{"id": "p1", "type": "dog", "tags": []}"#,
    r#"{"id": "p1", "name": null, "type": "dog", "age-years": null, "note": null, "tags": []}"#,
    // Nested, keys in another order, unknown keys of every JSON type skipped.
    r#"{"tags": [], "type": "cat", "owner": {"id": "o", "type": "human", "tags": ["x"], "extra": {"deep": [1, 2]}}, "id": "p2", "more": [null, true, 1.5]}"#,
    // An escaped key (not borrowed from the input), then a repeated key.
    r#"{"i\u0064": "p3", "type": "dog", "tags": [], "name": "a"}"#,
    r#"{"id": "p3", "type": "dog", "tags": [], "name": "a", "name": "b"}"#,
    // Missing required fields, also nested.
    r#"{"type": "dog", "tags": []}"#,
    r#"{"id": "p1", "tags": []}"#,
    r#"{"id": "p1", "type": "dog"}"#,
    r#"{"id": "p1", "type": "dog", "tags": [], "owner": {"id": "o", "tags": []}}"#,
    // Wrong types: the object itself, a field, a nested field, a single-value enum.
    r#"["p1", "dog"]"#,
    r#""p1""#,
    r#"null"#,
    r#"{"id": 7, "type": "dog", "tags": []}"#,
    r#"{"id": "p1", "type": "dog", "tags": [1]}"#,
    r#"{"id": "p1", "type": "dog", "tags": [], "kind": "cat"}"#,
    r#"{"id": "p1", "type": "dog", "tags": [], "note": 5}"#,
    // Broken JSON.
    r#"{"id": "p1", "type": "dog", "tags": []"#,
    r#"{"id": "p1" "type": "dog"}"#,
];

const CLOSED: &[&str] = &[
    r#"{"id": "c"}"#,
    r#"{"id": "c", "size": 2}"#,
    r#"{"id": "c", "colour": "red"}"#,
    r#"{"colour": "red"}"#,
    r#"{}"#,
];

const EMPTY: &[&str] = &[r#"{}"#, r#"{"a": 1}"#, r#"[]"#];

/// The derived twin's result, in the macro's types (their fields are the same).
fn derived_pet(pet: DerivedPet) -> Pet {
    Pet {
        id: pet.id,
        name: pet.name,
        r#type: pet.r#type,
        age_years: pet.age_years,
        kind: pet.kind,
        note: pet.note,
        tags: pet.tags,
        owner: pet.owner.map(|owner| Box::new(derived_pet(*owner))),
    }
}

/// Asserts the two decodings agree. The twins' names differ (`DerivedPet`), and the derive also
/// takes a JSON array for a struct, which a reply's object never is: there the macro's error is
/// the one a wrong type gives.
fn same<T: std::fmt::Debug + PartialEq>(
    input: &str,
    ours: Result<T, String>,
    derived: Result<T, String>,
) {
    let derived = derived.map_err(|e| e.replace("struct Derived", "struct "));
    if input.starts_with('[') {
        let error = ours.expect_err(input);
        assert!(
            error.starts_with("invalid type: sequence, expected struct "),
            "{input}: {error}"
        );
        return;
    }
    assert_eq!(ours, derived, "input: {input}");
}

#[test]
fn objects_decode_as_the_derive_does_from_text() {
    for input in PETS {
        let ours = serde_json::from_str::<Pet>(input).map_err(|e| e.to_string());
        let derived = serde_json::from_str::<DerivedPet>(input)
            .map(derived_pet)
            .map_err(|e| e.to_string());
        same(input, ours, derived);
    }
    for input in CLOSED {
        let ours = serde_json::from_str::<Closed>(input).map_err(|e| e.to_string());
        let derived = serde_json::from_str::<DerivedClosed>(input)
            .map(|c| Closed {
                id: c.id,
                size: c.size,
            })
            .map_err(|e| e.to_string());
        same(input, ours, derived);
    }
    for input in EMPTY {
        let ours = serde_json::from_str::<Empty>(input).map_err(|e| e.to_string());
        let derived = serde_json::from_str::<DerivedEmpty>(input)
            .map(|DerivedEmpty {}| Empty {})
            .map_err(|e| e.to_string());
        same(input, ours, derived);
    }
}

/// Tagged unions decode a member from a `serde_json::Value`, whose keys are owned strings, and
/// `serde_path_to_error` reports where a reply broke: both see what they saw with the derive.
#[test]
fn objects_decode_as_the_derive_does_from_values_and_with_paths() {
    for input in PETS {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(input) else {
            continue;
        };
        let ours = Pet::deserialize(&value).map_err(|e| e.to_string());
        let derived = DerivedPet::deserialize(&value)
            .map(derived_pet)
            .map_err(|e| e.to_string());
        same(input, ours, derived);

        let path = |result: Result<(), serde_path_to_error::Error<serde_json::Error>>| {
            result.map_err(|e| format!("{} at {}", e.inner(), e.path()))
        };
        let ours = path(
            serde_path_to_error::deserialize::<_, Pet>(&mut serde_json::Deserializer::from_str(
                input,
            ))
            .map(drop),
        );
        let derived = path(
            serde_path_to_error::deserialize::<_, DerivedPet>(
                &mut serde_json::Deserializer::from_str(input),
            )
            .map(drop),
        );
        same(input, ours, derived);
    }
}

#[test]
fn the_table_reaches_every_outcome() {
    // Guards the table above against losing the cases that make it a test.
    let outcomes: Vec<String> = PETS
        .iter()
        .map(|input| match serde_json::from_str::<Pet>(input) {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.to_string(),
        })
        .collect();
    for wanted in [
        "ok",
        "missing field `id`",
        "missing field `type`",
        "missing field `tags`",
        "invalid type: sequence, expected struct Pet",
        "invalid type: integer `7`, expected a string",
        "unknown variant `cat`",
        "duplicate field `name`",
    ] {
        assert!(
            outcomes.iter().any(|o| o.starts_with(wanted)),
            "no input gives {wanted:?}: {outcomes:#?}"
        );
    }
    let pet: Pet = serde_json::from_str(PETS[4]).unwrap();
    assert_eq!((pet.id.as_str(), pet.name.as_deref()), ("p3", Some("a")));
    let pet: Pet = serde_json::from_str(PETS[2]).unwrap();
    assert_eq!(pet.note, Some(None));
    let pet: Pet = serde_json::from_str(PETS[1]).unwrap();
    assert_eq!((pet.note, pet.kind), (None, Kind::Pet));
    let closed = serde_json::from_str::<Closed>(CLOSED[2]).unwrap_err();
    assert!(
        closed
            .to_string()
            .starts_with("unknown field `colour`, expected `id` or `size`"),
        "{closed}"
    );
}
