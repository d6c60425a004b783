//! Structured values as `name=value` pairs, by OpenAPI style: query parameters and
//! `application/x-www-form-urlencoded` bodies.
//!
//! No serde format crate fits: `serde_urlencoded` and `serde_html_form` cannot nest, and
//! `serde_qs` applies one array format to every level, while OpenAPI needs repeated keys for a
//! top-level array (`MediaUrl=a&MediaUrl=b`) next to indexed brackets for nested ones
//! (`items[0][price]=…`), plus a style per property.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

/// Everything but RFC 3986 "unreserved" characters: `+` becomes `%2B` (a literal `+` means a
/// space in forms, which would silently corrupt values such as `+created_at`), `&`, `=`, `,`,
/// `|`, `[` and `]` are encoded, and a space becomes `%20`.
pub(super) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How a structured query parameter or form property is written, as OpenAPI's `style` and
/// `explode` say.
///
/// | value            | `Form { explode: true }` | `Form { explode: false }` | `SpaceDelimited` | `PipeDelimited` | `DeepObject`          |
/// |------------------|--------------------------|---------------------------|------------------|-----------------|-----------------------|
/// | `[a, b]`         | `n=a&n=b`                | `n=a,b`                   | `n=a%20b`        | `n=a\|b`        | `n=a&n=b`             |
/// | `{x: 1, y: 2}`   | `x=1&y=2`                | `n=x,1,y,2`               | `n=x%201%20y%202`| `n=x\|1\|y\|2`  | `n[x]=1&n[y]=2`       |
/// | `[{x: 1}]`       | `n={"x":1}`              | `n={"x":1}`               | as form          | as form         | `n[0][x]=1`           |
///
/// `DeepObject` nests: `{a: {b: [1]}}` is `n[a][b][0]=1`. Brackets go out percent-encoded
/// (`n%5Bx%5D=1`), which every form decoder reads as `n[x]=1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `style: form`, the default for query parameters.
    Form {
        /// Arrays as repeated keys and objects as one pair per property, rather than joined.
        explode: bool,
    },
    /// `style: spaceDelimited`: values joined with spaces.
    SpaceDelimited,
    /// `style: pipeDelimited`: values joined with `|`.
    PipeDelimited,
    /// `style: deepObject`: objects (at any depth) as `name[key]=value`, arrays inside them
    /// as `name[key][0]=value`.
    DeepObject,
}

impl Style {
    /// OpenAPI's default for query parameters: `form`, exploded (`n=a&n=b`).
    pub const FORM: Style = Style::Form { explode: true };
    /// `form` without `explode` (`n=a,b`).
    pub const FORM_UNEXPLODED: Style = Style::Form { explode: false };
}

/// Whether a `null` is sent (as an empty value) or left out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Nulls {
    /// Query parameters: an absent value and `null` are the same.
    Skip,
    /// Form bodies: `name=` clears a field on the servers that take forms (Stripe's
    /// convention), and is the only way a form says "no value".
    Empty,
}

/// Appends `name=value` pairs for `value` in `style` to `out` (a query string or form body,
/// `&`-separated), percent-encoding names and values.
pub(super) fn write_pairs(out: &mut String, name: &str, value: &Value, style: Style, nulls: Nulls) {
    let mut writer = Writer { out, nulls };
    match (value, style) {
        (Value::Array(items), Style::Form { explode: true }) => {
            for item in items {
                writer.pair(name, item);
            }
        }
        (Value::Array(items), Style::DeepObject) if items.iter().all(is_scalar) => {
            for item in items {
                writer.pair(name, item);
            }
        }
        (Value::Array(items), Style::DeepObject) => {
            for (i, item) in items.iter().enumerate() {
                writer.nested(&format!("{name}[{i}]"), item);
            }
        }
        (Value::Object(map), Style::DeepObject) => {
            for (key, item) in map {
                writer.nested(&format!("{name}[{key}]"), item);
            }
        }
        (Value::Object(map), Style::Form { explode: true }) => {
            for (key, item) in map {
                writer.pair(key, item);
            }
        }
        (Value::Array(items), style) => {
            let texts: Vec<String> = items.iter().map(text).collect();
            writer.joined(name, &texts, style);
        }
        (Value::Object(map), style) => {
            let texts: Vec<String> = map
                .iter()
                .flat_map(|(key, item)| [key.clone(), text(item)])
                .collect();
            writer.joined(name, &texts, style);
        }
        (scalar, _) => writer.pair(name, scalar),
    }
}

struct Writer<'a> {
    out: &'a mut String,
    nulls: Nulls,
}

impl Writer<'_> {
    /// `name=value` with a scalar (or, for a nested value in a non-nesting style, its JSON).
    fn pair(&mut self, name: &str, value: &Value) {
        if value.is_null() && self.nulls == Nulls::Skip {
            return;
        }
        let encoded = utf8_percent_encode(&text(value), COMPONENT).to_string();
        self.encoded(name, &encoded);
    }

    /// `name[key]…=value` for every scalar inside `value`.
    fn nested(&mut self, name: &str, value: &Value) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    self.nested(&format!("{name}[{key}]"), item);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.nested(&format!("{name}[{i}]"), item);
                }
            }
            scalar => self.pair(name, scalar),
        }
    }

    /// One pair whose value is `texts` joined by the style's delimiter (each part encoded, so
    /// a delimiter inside a value cannot split it). Nothing for an empty list.
    fn joined(&mut self, name: &str, texts: &[String], style: Style) {
        if texts.is_empty() {
            return;
        }
        let delimiter = match style {
            Style::SpaceDelimited => "%20",
            Style::PipeDelimited => "|",
            _ => ",",
        };
        let encoded: Vec<String> = texts
            .iter()
            .map(|t| utf8_percent_encode(t, COMPONENT).to_string())
            .collect();
        self.encoded(name, &encoded.join(delimiter));
    }

    fn encoded(&mut self, name: &str, encoded_value: &str) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        self.out.extend(utf8_percent_encode(name, COMPONENT));
        self.out.push('=');
        self.out.push_str(encoded_value);
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// A value as text: strings without JSON quotes, `null` as nothing, everything else as JSON.
pub(super) fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// An `application/x-www-form-urlencoded` body: each property of `body` (an object) in the
/// style `encoding` gives it, else `DeepObject`, which writes scalars and arrays of scalars as
/// OpenAPI's default `form` style does (`a=1&tags=x&tags=y`) and nests objects and arrays of
/// objects in brackets (`a[b][c]=d`, `a[0][b]=c`), as servers that take nested forms expect.
pub(super) fn form_body(body: &Value, encoding: &[(&str, Style)]) -> Result<String, String> {
    let Value::Object(map) = body else {
        return Err(format!(
            "a form body must be an object with properties, not {}",
            kind(body)
        ));
    };
    let mut out = String::new();
    for (name, value) in map {
        let style = encoding
            .iter()
            .find(|(property, _)| property == name)
            .map_or(Style::DeepObject, |(_, style)| *style);
        write_pairs(&mut out, name, value, style, Nulls::Empty);
    }
    Ok(out)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(value: Value, style: Style) -> String {
        let mut out = String::new();
        write_pairs(&mut out, "n", &value, style, Nulls::Skip);
        out
    }

    #[test]
    fn query_styles_follow_the_openapi_table() {
        let form = Style::Form { explode: true };
        let joined = Style::Form { explode: false };
        let array = || json!(["a b", "c,d", "e|f"]);
        let object = || json!({"x": 1, "y": "z"});
        let table = [
            (array(), form, "n=a%20b&n=c%2Cd&n=e%7Cf"),
            (array(), joined, "n=a%20b,c%2Cd,e%7Cf"),
            (array(), Style::SpaceDelimited, "n=a%20b%20c%2Cd%20e%7Cf"),
            (array(), Style::PipeDelimited, "n=a%20b|c%2Cd|e%7Cf"),
            (array(), Style::DeepObject, "n=a%20b&n=c%2Cd&n=e%7Cf"),
            (object(), form, "x=1&y=z"),
            (object(), joined, "n=x,1,y,z"),
            (object(), Style::SpaceDelimited, "n=x%201%20y%20z"),
            (object(), Style::PipeDelimited, "n=x|1|y|z"),
            (object(), Style::DeepObject, "n%5Bx%5D=1&n%5By%5D=z"),
            (json!(true), Style::PipeDelimited, "n=true"),
            (json!(null), form, ""),
            (json!([]), joined, ""),
            (json!([]), form, ""),
            (
                json!({"a": {"b": [1, {"c": null}]}}),
                Style::DeepObject,
                "n%5Ba%5D%5Bb%5D%5B0%5D=1",
            ),
            (
                json!([{"x": 1}, [2]]),
                form,
                "n=%7B%22x%22%3A1%7D&n=%5B2%5D",
            ),
        ];
        for (value, style, expected) in table {
            assert_eq!(pairs(value.clone(), style), expected, "{value} {style:?}");
        }
    }

    #[test]
    fn form_bodies_nest_and_honour_each_property_style() {
        let body = json!({
            "To": "+15551234567",
            "MediaUrl": ["https://x.test/a.png", "https://x.test/b.png"],
            "metadata": {"plan": "pro", "legacy": null},
            "items": [{"price": "p_1", "quantity": 2}],
            "tags": ["a", "b"],
            "ids": [1, 2],
            "empty": [],
        });
        let encoded = form_body(
            &body,
            &[
                ("tags", Style::Form { explode: false }),
                ("ids", Style::PipeDelimited),
            ],
        )
        .unwrap();
        assert_eq!(
            encoded,
            "To=%2B15551234567\
             &MediaUrl=https%3A%2F%2Fx.test%2Fa.png&MediaUrl=https%3A%2F%2Fx.test%2Fb.png\
             &metadata%5Bplan%5D=pro&metadata%5Blegacy%5D=\
             &items%5B0%5D%5Bprice%5D=p_1&items%5B0%5D%5Bquantity%5D=2\
             &tags=a,b&ids=1|2"
        );
        // An explicit `style: form` on an object spreads it, as OpenAPI says.
        let spread = form_body(
            &json!({"address": {"city": "Paris", "zip": "75001"}}),
            &[("address", Style::Form { explode: true })],
        )
        .unwrap();
        assert_eq!(spread, "city=Paris&zip=75001");
        assert!(
            form_body(&json!([1]), &[])
                .unwrap_err()
                .contains("an array")
        );
        assert_eq!(form_body(&json!({}), &[]).unwrap(), "");
    }
}
