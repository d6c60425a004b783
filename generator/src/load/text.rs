//! YAML or JSON text → one `serde_json::Value`.

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};

/// YAML or JSON text → a JSON value, with line and column on syntax errors. Public for tools
/// that read a spec as the generator does (the conformance harness takes examples from it).
pub fn parse_value(bytes: &[u8], source: &str) -> Result<serde_json::Value, Diagnostics> {
    let root = Pointer::root();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Diagnostic::error(root, format!("{source} is empty"))
            .with_help("point the generator at an OpenAPI 3.0 or 3.1 document in YAML or JSON")
            .into());
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(Diagnostic::error(
            root,
            format!("{source} is not UTF-8 text (is it a binary file?)"),
        )
        .with_help("OpenAPI documents are YAML or JSON text encoded as UTF-8")
        .into());
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\0') {
        return Err(Diagnostic::error(
            root,
            format!("{source} contains NUL bytes (is it a binary file?)"),
        )
        .with_help("OpenAPI documents are YAML or JSON text")
        .into());
    }
    let looks_like_json = text.trim_start().starts_with(['{', '[']);
    if looks_like_json {
        // serde_json's message already ends with the line and column.
        serde_json::from_str(text)
            .map(|JsonValue(value)| value)
            .map_err(|e| Diagnostic::error(root, format!("{source} is not valid JSON: {e}")).into())
    } else {
        serde_saphyr::from_str_with_options(text, yaml_options(text.len()))
            .map(|JsonValue(value)| value)
            .map_err(|e| {
                Diagnostic::error(
                    root,
                    format!("{source} is not valid YAML: {}", yaml_error(&e)),
                )
                .into()
            })
    }
}

/// How YAML is read. serde-saphyr parses as it deserializes, without first collecting the whole
/// document's events (which took about nine bytes of memory per byte of input).
fn yaml_options(input_len: usize) -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    // YAML 1.2: `yes`, `no`, `on` and `off` are strings (an enum of country codes keeps `NO`).
    options.strict_booleans = true;
    // The default budgets stop hostile input; the ones that count what any document has
    // plenty of grow with the input, so that a big but ordinary spec is not refused. The
    // default depth (64) stays: real specs nest up to about 20 levels, and the deserializer
    // recurses once per level on a thread's stack.
    if let Some(budget) = options.budget.as_mut() {
        budget.max_events = budget.max_events.max(input_len);
        budget.max_nodes = budget.max_nodes.max(input_len);
    }
    options
}

/// A YAML error in one line, worded for whoever wrote the file (not for the code that reads
/// it: serde-saphyr's developer wording names its own options).
fn yaml_error(error: &serde_saphyr::Error) -> String {
    use serde_saphyr::MessageFormatter as _;
    use serde_saphyr::budget::BudgetBreach;
    let error = error.without_snippet();
    let message = match error {
        serde_saphyr::Error::Budget {
            breach: BudgetBreach::Depth { depth },
            ..
        } => format!("nesting deeper than {} levels", depth.saturating_sub(1)).into(),
        _ => serde_saphyr::UserMessageFormatter.format_message(error),
    };
    match error.location() {
        Some(at) if at.line() > 0 => {
            format!("{message} at line {} column {}", at.line(), at.column())
        }
        _ => message.into_owned(),
    }
}

/// A JSON value read from any self-describing format, built straight from the parser's events
/// (no intermediate YAML value). YAML allows non-string keys (`200:` is an integer); OpenAPI
/// keys are strings, so scalar keys are turned into their text, as other OpenAPI tools do.
/// A tagged YAML value (`!foo bar`) is read as its value.
struct JsonValue(serde_json::Value);

impl<'de> serde::Deserialize<'de> for JsonValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(JsonValue)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value that JSON can represent")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        serde_json::Number::from_f64(v)
            .map(serde_json::Value::Number)
            .ok_or_else(|| E::custom(format!("the number {v} cannot be represented in JSON")))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(JsonValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(ScalarKey(key)) = map.next_key()? {
            let JsonValue(value) = map.next_value()?;
            if object.contains_key(&key) {
                // JSON parsers differ on which duplicate wins; do not guess.
                return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
            }
            object.insert(key, value);
        }
        Ok(serde_json::Value::Object(object))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        use serde::de::VariantAccess;
        let (serde::de::IgnoredAny, value) = data.variant()?;
        value.newtype_variant::<JsonValue>().map(|v| v.0)
    }
}

/// A mapping key: any scalar, as its text.
struct ScalarKey(String);

impl<'de> serde::Deserialize<'de> for ScalarKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = String;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a scalar mapping key")
            }

            fn visit_bool<E>(self, v: bool) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_i64<E>(self, v: i64) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_u64<E>(self, v: u64) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_f64<E>(self, v: f64) -> Result<String, E> {
                Ok(v.to_string())
            }

            fn visit_str<E>(self, v: &str) -> Result<String, E> {
                Ok(v.to_owned())
            }

            fn visit_string<E>(self, v: String) -> Result<String, E> {
                Ok(v)
            }

            fn visit_unit<E>(self) -> Result<String, E> {
                Ok("null".to_owned())
            }
        }
        deserializer.deserialize_any(KeyVisitor).map(ScalarKey)
    }
}
