//! The runtime's macros, `open_enum!`, `decode_object!` and `encode_object!`, on their own.
//! `decode_object!` decodes what serde's derive decodes, and fails where it fails, with the same
//! message: each input of a table is decoded by a struct the macro implements and by its twin
//! that derives `Deserialize` with the attributes the generator used to write.
//! `encode_object!` likewise writes what the derived `Serialize` writes, and
//! `decode_untagged!` / `encode_union!` do what `#[serde(untagged)]` does.

// The macros reach the runtime as `crate::runtime::…`, as in a generated crate.
#[path = "../src/decode.rs"]
mod decode;
#[path = "../src/encode.rs"]
mod encode;
#[path = "../src/open_enum.rs"]
mod open_enum;

mod runtime {
    pub(crate) use super::decode;
    pub(crate) use super::decode::{decode_object, decode_untagged};
    pub(crate) use super::encode;
    pub(crate) use super::encode::{encode_object, encode_union};
    pub(crate) use super::open_enum::open_enum;
}

mod open_enums {
    use super::runtime::open_enum;

    /// Variants named like the prelude's `Ok` and `Err` (and `FromStr::Err`) must not confuse
    /// the expansion.
    #[derive(Clone, Debug, Default)]
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

    #[derive(Clone, Debug)]
    enum Nothing {
        Unknown(String),
    }

    open_enum!(Nothing {});

    /// Asserts two values are the same variant. `==` compares wire values, which would call
    /// `Unknown("active")` and `Active` the same; `Debug` is derived and tells them apart.
    fn same_variant(a: &Status, b: &Status) {
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

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
            same_variant(&Status::from(wire), &status);
            same_variant(&Status::from(wire.to_owned()), &status);
            same_variant(&wire.parse::<Status>().unwrap(), &status);
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{wire}\""));
            same_variant(&serde_json::from_str::<Status>(&json).unwrap(), &status);
        }
        same_variant(&Status::default(), &Status::Active);
    }

    #[test]
    fn unknown_values_are_kept_and_sent_back_unchanged() {
        let status: Status = serde_json::from_str("\"archived\"").unwrap();
        same_variant(&status, &Status::Unknown("archived".into()));
        assert_eq!(status.as_str(), "archived");
        assert_eq!(serde_json::to_string(&status).unwrap(), "\"archived\"");
        same_variant(
            &Status::from(String::from("archived")),
            &Status::Unknown("archived".into()),
        );
        // Matching is exact: case and separators are part of the value.
        same_variant(&Status::from("Active"), &Status::Unknown("Active".into()));
        // Escaped JSON strings are decoded before matching.
        same_variant(
            &serde_json::from_str::<Status>("\"on\\u002dhold\"").unwrap(),
            &Status::OnHold,
        );
        let nothing: Nothing = serde_json::from_str("\"x\"").unwrap();
        assert_eq!(nothing.as_str(), "x");
    }

    /// Equality, hashing and order go by the wire value: the same string is the same value
    /// whichever variant holds it, and values sort as their strings do, not in the spec's order.
    #[test]
    fn values_compare_hash_and_sort_by_their_wire_value() {
        use std::collections::HashSet;
        use std::hash::{BuildHasher, RandomState};

        let hasher = RandomState::new();
        let known = Status::Active;
        let spelled = Status::Unknown("active".into());
        assert_eq!(known, spelled);
        assert_eq!(hasher.hash_one(&known), hasher.hash_one(&spelled));
        assert_eq!(known.cmp(&spelled), std::cmp::Ordering::Equal);
        assert_ne!(Status::Active, Status::OnHold);
        assert_ne!(Status::Unknown("Active".into()), Status::Active);

        let mut values = [
            Status::OnHold,
            Status::Unknown("archived".into()),
            Status::Ok,
            Status::Active,
            Status::Err,
        ];
        values.sort();
        let sorted: Vec<&str> = values.iter().map(Status::as_str).collect();
        assert_eq!(sorted, ["active", "archived", "err", "ok", "on-hold"]);
        assert_eq!(
            Status::Active.partial_cmp(&Status::OnHold),
            Some(std::cmp::Ordering::Less)
        );
        let set: HashSet<Status> = [known, spelled, Status::Ok].into_iter().collect();
        assert_eq!(set.len(), 2);
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

mod encoding {
    //! `encode_object!` against `#[derive(Serialize)]` with the attributes the generator wrote
    //! for a sent struct before it (`rename`, `skip_serializing_if`, `with = double_option`).

    use serde::Serialize;
    use serde_test::{Token, assert_ser_tokens, assert_ser_tokens_error};

    #[derive(Clone, Debug, Default, PartialEq, Serialize)]
    enum Kind {
        #[default]
        #[serde(rename = "order")]
        Order,
    }

    /// A value whose encoding fails, as a map with non-string keys does in JSON.
    #[derive(Clone, Debug, PartialEq)]
    struct Broken;

    impl Serialize for Broken {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("broken value"))
        }
    }

    #[derive(Clone, Debug, Default, PartialEq)]
    struct Order {
        id: String,
        r#type: String,
        kind: Kind,
        quantity: Option<i64>,
        note: Option<Option<String>>,
        coupon: Option<String>,
        lines: Vec<Line>,
        parent: Option<Box<Order>>,
    }

    crate::runtime::encode_object!(Order {
        id,
        r#type = "type",
        kind,
        quantity = "qty": skip_none,
        note: double_option,
        coupon,
        lines,
        parent: skip_none,
    });

    #[derive(Clone, Debug, Default, PartialEq)]
    struct Line {
        sku: String,
        extra: Option<Broken>,
    }

    crate::runtime::encode_object!(Line {
        sku,
        extra: skip_none
    });

    #[derive(Debug, PartialEq)]
    struct Empty {}

    crate::runtime::encode_object!(Empty {});

    /// What `#[derive(Serialize)]` made of `Order`. `coupon` is a required nullable field:
    /// always sent, `null` when `None`.
    #[derive(Serialize)]
    struct DerivedOrder {
        id: String,
        r#type: String,
        kind: Kind,
        #[serde(rename = "qty", skip_serializing_if = "Option::is_none")]
        quantity: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none", with = "double_option")]
        note: Option<Option<String>>,
        coupon: Option<String>,
        lines: Vec<DerivedLine>,
        #[serde(skip_serializing_if = "Option::is_none")]
        parent: Option<Box<DerivedOrder>>,
    }

    #[derive(Serialize)]
    struct DerivedLine {
        sku: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        extra: Option<Broken>,
    }

    #[derive(Serialize)]
    struct DerivedEmpty {}

    mod double_option {
        use serde::{Serialize, Serializer};

        pub fn serialize<T: Serialize, S: Serializer>(
            value: &Option<Option<T>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(inner) => inner.serialize(serializer),
                None => serializer.serialize_none(),
            }
        }
    }

    fn derived(order: &Order) -> DerivedOrder {
        DerivedOrder {
            id: order.id.clone(),
            r#type: order.r#type.clone(),
            kind: order.kind.clone(),
            quantity: order.quantity,
            note: order.note.clone(),
            coupon: order.coupon.clone(),
            lines: order
                .lines
                .iter()
                .map(|line| DerivedLine {
                    sku: line.sku.clone(),
                    extra: line.extra.clone(),
                })
                .collect(),
            parent: order
                .parent
                .as_ref()
                .map(|parent| Box::new(derived(parent))),
        }
    }

    fn orders() -> Vec<Order> {
        let full = Order {
            id: "o1".into(),
            r#type: "retail".into(),
            kind: Kind::Order,
            quantity: Some(3),
            note: Some(Some("gift".into())),
            coupon: Some("SAVE".into()),
            lines: vec![Line {
                sku: "a".into(),
                extra: None,
            }],
            parent: None,
        };
        vec![
            // Every field set, then every optional one `None`, then `note` as an explicit null.
            full.clone(),
            Order::default(),
            Order {
                note: Some(None),
                ..Order::default()
            },
            // Nested: a parent that is itself an order.
            Order {
                parent: Some(Box::new(full.clone())),
                ..full.clone()
            },
            // Text that JSON must escape.
            Order {
                id: "quote \" and \\ and \u{1F600}".into(),
                ..Order::default()
            },
        ]
    }

    /// The tokens an `Order` with default `id`, `type` and `kind` starts with: the struct
    /// (named `name`, `len` fields sent) and those three fields.
    fn order_head(name: &'static str, len: usize) -> [Token; 7] {
        [
            Token::Struct { name, len },
            Token::Str("id"),
            Token::Str(""),
            Token::Str("type"),
            Token::Str(""),
            Token::Str("kind"),
            Token::UnitVariant {
                name: "Kind",
                variant: "order",
            },
        ]
    }

    #[test]
    fn objects_encode_as_the_derive_does() {
        for order in orders() {
            let twin = derived(&order);
            assert_eq!(
                serde_json::to_string(&order).unwrap(),
                serde_json::to_string(&twin).unwrap(),
                "{order:?}"
            );
            assert_eq!(
                serde_json::to_string_pretty(&order).unwrap(),
                serde_json::to_string_pretty(&twin).unwrap(),
            );
            assert_eq!(
                serde_json::to_value(&order).unwrap(),
                serde_json::to_value(&twin).unwrap(),
            );
        }
        assert_eq!(
            serde_json::to_string(&Empty {}).unwrap(),
            serde_json::to_string(&DerivedEmpty {}).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&orders()[2]).unwrap(),
            r#"{"id":"","type":"","kind":"order","note":null,"coupon":null,"lines":[]}"#
        );
    }

    #[test]
    fn a_field_that_fails_fails_the_object_as_with_the_derive() {
        let order = Order {
            lines: vec![Line {
                sku: "a".into(),
                extra: Some(Broken),
            }],
            ..Order::default()
        };
        let ours = serde_json::to_string(&order).unwrap_err().to_string();
        let derived = serde_json::to_string(&derived(&order))
            .unwrap_err()
            .to_string();
        assert_eq!(ours, "broken value");
        assert_eq!(ours, derived);
        let tokens = [
            Token::Str("coupon"),
            Token::None,
            Token::Str("lines"),
            Token::Seq { len: Some(1) },
            Token::Struct {
                name: "Line",
                len: 2,
            },
            Token::Str("sku"),
            Token::Str("a"),
            Token::Str("extra"),
            Token::Some,
        ];
        assert_ser_tokens_error(
            &order,
            &[&order_head("Order", 5)[..], &tokens].concat(),
            "broken value",
        );
    }

    /// The serializer sees what the derive showed it: the struct's name, the number of fields
    /// sent, and each sent field by wire name, an `Option` as an `Option`.
    #[test]
    fn the_serializer_sees_the_derives_calls() {
        let order = Order {
            quantity: Some(2),
            note: Some(None),
            ..Order::default()
        };
        let tokens = [
            Token::Str("qty"),
            Token::Some,
            Token::I64(2),
            Token::Str("note"),
            Token::None,
            Token::Str("coupon"),
            Token::None,
            Token::Str("lines"),
            Token::Seq { len: Some(0) },
            Token::SeqEnd,
            Token::StructEnd,
        ];
        assert_ser_tokens(&order, &[&order_head("Order", 7)[..], &tokens].concat());
        assert_ser_tokens(
            &derived(&order),
            &[&order_head("DerivedOrder", 7)[..], &tokens].concat(),
        );
    }
}

mod untagged {
    //! `decode_untagged!` / `encode_union!` against `#[serde(untagged)]` with the same
    //! variants, the last one holding any value.

    use serde::{Deserialize, Serialize};

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Card {
        number: String,
        cvc: Option<String>,
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Transfer {
        iban: String,
    }

    #[derive(Clone, Debug, PartialEq)]
    enum Payment {
        Card(Card),
        Transfer(Box<Transfer>),
        Code(i64),
        Label(String),
        Several(Vec<Card>),
        Unknown(serde_json::Value),
    }

    crate::runtime::decode_untagged!(Payment {
        Card,
        Transfer,
        Code,
        Label,
        Several
    });
    crate::runtime::encode_union!(Payment {
        Card,
        Transfer,
        Code,
        Label,
        Several
    });

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(untagged)]
    enum DerivedPayment {
        Card(Card),
        Transfer(Box<Transfer>),
        Code(i64),
        Label(String),
        Several(Vec<Card>),
        Unknown(serde_json::Value),
    }

    fn converted(derived: DerivedPayment) -> Payment {
        match derived {
            DerivedPayment::Card(v) => Payment::Card(v),
            DerivedPayment::Transfer(v) => Payment::Transfer(v),
            DerivedPayment::Code(v) => Payment::Code(v),
            DerivedPayment::Label(v) => Payment::Label(v),
            DerivedPayment::Several(v) => Payment::Several(v),
            DerivedPayment::Unknown(v) => Payment::Unknown(v),
        }
    }

    const PAYMENTS: &[&str] = &[
        // Each variant; a value two variants take goes to the first (a card with an extra key
        // is still a card; a transfer refuses one and becomes `Unknown`).
        r#"{"number": "4242", "cvc": "123"}"#,
        r#"{"number": "4242", "iban": "DE00"}"#,
        r#"{"iban": "DE00"}"#,
        r#"{"iban": "DE00", "bic": "X"}"#,
        r#"7"#,
        r#"-7"#,
        r#"7.5"#,
        r#"18446744073709551615"#,
        r#""seven""#,
        r#""esc\u0061ped""#,
        r#"[{"number": "1"}, {"number": "2", "cvc": null}]"#,
        r#"[{"number": "1"}, 2]"#,
        // What no variant takes is kept.
        r#"null"#,
        r#"true"#,
        r#"{}"#,
        r#"{"number": 4242}"#,
        r#"{"a": {"b": [1, "x", null]}}"#,
        // Broken JSON.
        r#"{"number": "4242""#,
        r#"[1, 2"#,
    ];

    #[test]
    fn unions_decode_as_the_derive_does() {
        let mut kinds = std::collections::BTreeSet::new();
        for input in PAYMENTS {
            let derived = serde_json::from_str::<DerivedPayment>(input)
                .map(converted)
                .map_err(|e| e.to_string());
            let ours = serde_json::from_str::<Payment>(input).map_err(|e| e.to_string());
            assert_eq!(ours, derived, "input: {input}");
            kinds.insert(match &ours {
                Ok(payment) => format!("{payment:?}").split('(').next().unwrap().to_owned(),
                Err(_) => "error".to_owned(),
            });
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(input) {
                let derived = DerivedPayment::deserialize(&value)
                    .map(converted)
                    .map_err(|e| e.to_string());
                assert_eq!(
                    Payment::deserialize(&value).map_err(|e| e.to_string()),
                    derived
                );
            }
        }
        // Guards the table: every variant and an error are reached.
        let every = [
            "Card", "Code", "Label", "Several", "Transfer", "Unknown", "error",
        ];
        assert_eq!(kinds.into_iter().collect::<Vec<_>>(), every);
    }

    #[test]
    fn unions_encode_as_the_derive_does() {
        for input in PAYMENTS {
            let (Ok(ours), Ok(derived)) = (
                serde_json::from_str::<Payment>(input),
                serde_json::from_str::<DerivedPayment>(input),
            ) else {
                continue;
            };
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&derived).unwrap(),
                "input: {input}"
            );
        }
    }
}
