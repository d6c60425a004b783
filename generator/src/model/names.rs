//! Rust names for spec names: casing with heck, keyword escaping, and collision-free allocation.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words reserved in any edition, plus the 2024 ones.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Escapes a keyword: `type` → `r#type`, `self` → `self_`. Leaves other names alone.
pub fn escape_ident(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// Keeps only characters valid in identifiers, turning the rest into word breaks,
/// so `x-rate-limit`, `$ref` and `a.b` all case cleanly.
///
/// Names are ASCII: other scripts are transliterated (`Übersicht` → `Ubersicht`), because
/// rustc refuses non-ASCII module names (E0754), lints mixed scripts, and a user must be able
/// to type every name. The spec's own spelling stays in the docs and on the wire.
fn words(raw: &str) -> String {
    let mut spaced = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            c if c.is_ascii_alphanumeric() => spaced.push(c),
            // Comparisons carry meaning (`StartTime<`, `StartTime>` next to `StartTime` in
            // query filters): spelled out, they keep such names apart without numbers.
            '<' => spaced.push_str(" less than "),
            '>' => spaced.push_str(" greater than "),
            c if c.is_ascii() => spaced.push(' '),
            // An accented letter stays in its word (`ü` → `u`); a longer transliteration
            // (`日` → `Ri`, `🙂` → `slight_smile`) is a word of its own.
            c => match deunicode::deunicode_char(c) {
                Some(one) if one.chars().count() == 1 => spaced.push_str(one),
                Some(word) => {
                    spaced.push(' ');
                    spaced.push_str(word);
                    spaced.push(' ');
                }
                None => spaced.push(' '),
            },
        }
    }
    // Transliterations may bring punctuation (`:`) and spaces; only letters and digits stay.
    let spaced: String = spaced
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    // A plural acronym (`URLs`, `IDs`) would otherwise split before its last capital
    // (`ur_ls`): read it as one word.
    spaced
        .split(' ')
        .map(|word| match word.strip_suffix('s') {
            Some(acronym)
                if acronym.chars().count() >= 2
                    && acronym.chars().all(|c| c.is_ascii_uppercase()) =>
            {
                let mut chars = acronym.chars();
                let first = chars.next().unwrap_or_default();
                format!("{first}{}s", chars.as_str().to_ascii_lowercase())
            }
            _ => word.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Makes a cased name a valid identifier start: Rust identifiers cannot start with a digit.
fn fix_start(name: String, prefix: &str, fallback: &str) -> String {
    match name.chars().next() {
        None => fallback.to_owned(),
        Some(c) if c.is_ascii_digit() => format!("{prefix}{name}"),
        Some(c) if !(c.is_alphabetic() || c == '_') => format!("{prefix}{name}"),
        Some(_) => name,
    }
}

/// `organization_membership` → `OrganizationMembership`.
///
/// Only casing: whether the name is free where it goes is the business of that place's
/// [`Scope`].
pub fn type_name(raw: &str) -> String {
    escape_ident(&fix_start(words(raw).to_upper_camel_case(), "T", "Type"))
}

/// The variant for a string enum value: [`type_name`] of it, except that symbols carry
/// meaning a plain casing would drop: `""` → `Empty`, `*` → `Asterisk`, `>=` →
/// `GreaterThanEquals`, `-1` → `Minus1`, `+1` → `Plus1` (rather than `Type`, `T1`, `T12`).
pub fn variant_name(value: &str) -> String {
    if value.trim().is_empty() {
        return if value.is_empty() { "Empty" } else { "Space" }.to_owned();
    }
    let spelled = |c: char| -> Option<&'static str> {
        Some(match c {
            '*' => "Asterisk",
            '+' => "Plus",
            '-' => "Minus",
            '.' => "Dot",
            '/' => "Slash",
            '\\' => "Backslash",
            ':' => "Colon",
            ';' => "Semicolon",
            ',' => "Comma",
            '=' => "Equals",
            '<' => "LessThan",
            '>' => "GreaterThan",
            '!' => "Not",
            '?' => "Question",
            '#' => "Hash",
            '@' => "At",
            '&' => "And",
            '|' => "Or",
            '%' => "Percent",
            '$' => "Dollar",
            '^' => "Caret",
            '~' => "Tilde",
            '_' => "Underscore",
            '(' => "OpenParen",
            ')' => "CloseParen",
            '[' => "OpenBracket",
            ']' => "CloseBracket",
            '{' => "OpenBrace",
            '}' => "CloseBrace",
            '\'' => "Quote",
            '"' => "DoubleQuote",
            '`' => "Backtick",
            ' ' => "Space",
            _ => return None,
        })
    };
    if !value.chars().any(char::is_alphanumeric) {
        let words: String = value.chars().filter_map(spelled).collect();
        return if words.is_empty() {
            type_name(value)
        } else {
            words
        };
    }
    // A signed number: the sign is the only thing telling `-1` from `1`.
    let mut chars = value.chars();
    if let (Some(sign @ ('-' | '+')), Some(next)) = (chars.next(), chars.next()) {
        if next.is_ascii_digit() {
            let rest = type_name(&value[1..]);
            let rest = rest.strip_prefix('T').unwrap_or(&rest);
            return format!("{}{rest}", spelled(sign).unwrap_or_default());
        }
    }
    type_name(value)
}

/// The variant for a signed key when the enum lists the key with another sign too, where
/// casing alone would give `CreatedAt` twice. With both signs it is the sort-order idiom
/// (`order_by`): `-created_at` → `CreatedAtDesc`, `+created_at` → `CreatedAtAsc`. Next to
/// the bare key only, the sign means what the API says (Clerk's `-enterprise_sso` excludes),
/// so it is spelled: `MinusEnterpriseSso`. `None` for any other value.
pub fn signed_key_name(value: &str, values: &[&str]) -> Option<String> {
    let (sign, key) = value.split_at_checked(1)?;
    let (spelled, order, opposite) = match sign {
        "-" => ("Minus", "Desc", "+"),
        "+" => ("Plus", "Asc", "-"),
        _ => return None,
    };
    if !key.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        return None;
    }
    let name = type_name(key);
    let name = name.trim_start_matches("r#");
    if values.contains(&format!("{opposite}{key}").as_str()) {
        Some(format!("{name}{order}"))
    } else if values.contains(&key) {
        Some(format!("{spelled}{name}"))
    } else {
        None
    }
}

/// The longest type name derived for an inline schema. Nested inline schemas are named after
/// their place (`GetUsersResponseDataItemAttributesAddress`), which grows with every level.
pub const MAX_TYPE_NAME: usize = 60;

/// A camel-case name cut to [`MAX_TYPE_NAME`] characters by dropping words after its first two
/// (the operation or schema it starts from) until it fits: the end, which says what the type
/// is, stays. `GetUsersResponseDataItemAttributesAddress…Geo` → `GetUsers…AddressGeo`.
pub fn shorten_type_name(name: &str) -> String {
    if name.len() <= MAX_TYPE_NAME {
        return name.to_owned();
    }
    let mut words: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    let mut len = name.len();
    while len > MAX_TYPE_NAME && words.len() > 3 {
        len -= words.remove(2).len();
    }
    let shortened = words.concat();
    // One very long word: cut it (at a character boundary).
    match shortened.char_indices().nth(MAX_TYPE_NAME) {
        Some((cut, _)) => shortened[..cut].to_owned(),
        None => shortened,
    }
}

/// `userId` → `user_id`, `type` → `r#type`.
pub fn field_name(raw: &str) -> String {
    let name = fix_start(words(raw).to_snake_case(), "_", "value");
    // `_1` or `_1_5` says nothing (clippy's `just_underscores_and_digits`).
    if name.chars().all(|c| c == '_' || c.is_ascii_digit()) {
        return format!("value{name}");
    }
    escape_ident(&name)
}

/// `ListOrganizationMemberships` → `list_organization_memberships`.
pub fn method_name(raw: &str) -> String {
    field_name(raw)
}

/// Hands out names that are unique within one scope, in a deterministic way:
/// the first taker keeps the name, later ones get `2`, `3`, … appended.
///
/// A scope can hold names the generated code itself defines or uses there (see
/// [`crate::emit::RESERVED`]); a spec name equal to one of those gets the scope's suffix
/// (`Error` → `ErrorModel`), or a number when the scope has none.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
    reserved: BTreeSet<String>,
    suffix: &'static str,
}

impl Scope {
    /// A scope in which `reserved` names are already taken: spec names equal to one of them get
    /// numbered.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Self::reserving(reserved, "")
    }

    /// A scope in which a spec name equal to one of `reserved` becomes `{name}{suffix}`.
    pub fn reserving<'a>(
        reserved: impl IntoIterator<Item = &'a str>,
        suffix: &'static str,
    ) -> Self {
        let reserved: BTreeSet<String> = reserved.into_iter().map(str::to_owned).collect();
        Self {
            taken: reserved.clone(),
            reserved,
            suffix,
        }
    }

    /// Claims a body property's name in a request builder after the parameters took theirs:
    /// one named like a parameter becomes `{name}_body` (`id` next to a path `id`), which says
    /// where it goes, rather than `id2`.
    pub fn claim_body_field(&mut self, name: String) -> String {
        let bare = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        if self.taken.contains(&bare) && !self.reserved.contains(&bare) {
            return self.claim(format!("{}_body", bare.trim_end_matches('_')));
        }
        self.claim(name)
    }

    /// Claims a deprecated item's name after the others took theirs: one named like another
    /// becomes `{name}_deprecated` (Clerk's deprecated `frontendApi` next to `frontend_api`),
    /// so the name to use stays the plain one.
    pub fn claim_deprecated(&mut self, name: String) -> String {
        let bare = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        if self.taken.contains(&bare) && !self.reserved.contains(&bare) {
            return self.claim(format!("{}_deprecated", bare.trim_end_matches('_')));
        }
        self.claim(name)
    }

    /// Claims `name`, or the first free `name2`, `name3`, ….
    ///
    /// Names are compared without `r#`: `r#mod` and `mod` are the same module file.
    pub fn claim(&mut self, name: String) -> String {
        let bare = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        if !self.suffix.is_empty() && self.reserved.contains(&bare) {
            return self.claim(format!("{bare}{}", self.suffix));
        }
        if self.taken.insert(bare.clone()) {
            return name;
        }
        // `Self_` + 2 is `Self2`: a number makes the escape unnecessary, and `Self_2` is not
        // camel case.
        let base = match bare.trim_end_matches('_') {
            "" => bare.as_str(),
            trimmed => trimmed,
        };
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }
}

/// Where spec-derived names go in the generated crate, each place with the names its generated
/// code already uses there, read from [`crate::emit::RESERVED`].
pub mod places {
    use super::Scope;
    use crate::emit::RESERVED;

    /// Schema types in `models.rs`: `Error` → `ErrorModel`.
    pub fn models() -> Scope {
        Scope::reserving(
            RESERVED.models_module.iter().copied().flatten().copied(),
            "Model",
        )
    }

    /// Group accessors on `Client`, which are also the modules under `operations/`.
    pub fn accessors() -> Scope {
        Scope::with_reserved(
            RESERVED
                .client
                .iter()
                .chain(RESERVED.operations_dir)
                .copied(),
        )
    }

    /// Group types, re-exported side by side from `operations`: `Client` → `ClientGroup`.
    pub fn group_types() -> Scope {
        Scope::reserving(
            RESERVED
                .operations_module
                .iter()
                .copied()
                .flatten()
                .copied(),
            "Group",
        )
    }

    /// Request builders, in their group's module next to the group type.
    pub fn builders(group_type: &str) -> Scope {
        let mut scope = Scope::reserving(
            RESERVED
                .operations_module
                .iter()
                .copied()
                .flatten()
                .copied(),
            "Request",
        );
        scope.taken.insert(group_type.to_owned());
        scope
    }

    /// Operation methods on a group type.
    pub fn operation_methods() -> Scope {
        Scope::with_reserved(RESERVED.group.iter().copied())
    }

    /// Fields and setters of a request builder: parameters and body properties. A spec name
    /// equal to one of the builder's own gets `_value` (`body` → `body_value`, not `body2`).
    pub fn builder_members() -> Scope {
        Scope::reserving(RESERVED.builder.iter().copied(), "_value")
    }

    /// Variants of a string enum or a union.
    pub fn variants() -> Scope {
        Scope::with_reserved(RESERVED.variants.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing() {
        assert_eq!(
            type_name("organization_membership"),
            "OrganizationMembership"
        );
        assert_eq!(type_name("JWKS.ed25519.PublicKey"), "JwksEd25519PublicKey");
        assert_eq!(field_name("userId"), "user_id");
        assert_eq!(field_name("x-rate-limit"), "x_rate_limit");
        assert_eq!(field_name("Redirect URLs"), "redirect_urls");
        assert_eq!(field_name("StartTime<"), "start_time_less_than");
        assert_eq!(field_name("StartTime>"), "start_time_greater_than");
        assert_eq!(type_name("user IDs"), "UserIds");
        assert_eq!(field_name("APIs"), "apis");
        assert_eq!(
            method_name("ListOrganizationMemberships"),
            "list_organization_memberships"
        );
    }

    #[test]
    fn keywords_and_odd_starts() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("$ref"), "r#ref");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(field_name("12"), "value_12");
        assert_eq!(field_name("1.5"), "value_1_5");
        assert_eq!(field_name(""), "value");
        assert_eq!(field_name("+"), "value");
        assert_eq!(type_name("2xx"), "T2xx");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("Error"), "Error");
        assert_eq!(type_name("über"), "Uber");
        assert_eq!(type_name("日本語"), "RiBenYu");
        assert_eq!(field_name("ünïcödé"), "unicode");
        assert_eq!(field_name("emoji🙂"), "emoji_slight_smile");
        assert_eq!(field_name("日本語"), "ri_ben_yu");
    }

    #[test]
    fn enum_values_without_letters_get_meaningful_variants() {
        for (value, variant) in [
            ("", "Empty"),
            (" ", "Space"),
            ("*", "Asterisk"),
            (">=", "GreaterThanEquals"),
            ("-", "Minus"),
            ("-1", "Minus1"),
            ("+1", "Plus1"),
            ("1", "T1"),
            ("1.5", "T15"),
            ("-1.5", "Minus15"),
            ("active", "Active"),
            ("on-hold", "OnHold"),
            ("self", "Self_"),
            ("€", "Eur"),
        ] {
            assert_eq!(variant_name(value), variant, "{value:?}");
        }
    }

    #[test]
    fn signed_keys_say_their_sign_when_the_key_comes_in_several() {
        let order_by = [
            "created_at",
            "+created_at",
            "-created_at",
            "-name",
            "+1",
            "-1",
            "-",
        ];
        let filter = ["enterprise_sso", "-enterprise_sso", "+self"];
        for (value, values, name) in [
            ("created_at", &order_by[..], None),
            ("+created_at", &order_by, Some("CreatedAtAsc")),
            ("-created_at", &order_by, Some("CreatedAtDesc")),
            // Alone in its enum, the sign tells nothing apart: casing does the job.
            ("-name", &order_by, None),
            // Signed numbers are spelled by `variant_name`.
            ("+1", &order_by, None),
            ("-1", &order_by, None),
            ("-", &order_by, None),
            // Without the opposite sign it may not be an order at all (Clerk's filters
            // exclude with `-`): the sign is spelled, not interpreted.
            ("-enterprise_sso", &filter, Some("MinusEnterpriseSso")),
            ("+self", &filter, None),
            ("-type", &["+type", "-type"], Some("TypeDesc")),
        ] {
            assert_eq!(signed_key_name(value, values).as_deref(), name, "{value:?}");
        }
    }

    #[test]
    fn long_type_names_keep_their_start_and_end() {
        let name =
            "ListIncomingPhoneNumberTollFreeResponseIncomingPhoneNumbersItemCapabilitiesVoice";
        let short = shorten_type_name(name);
        assert!(short.len() <= MAX_TYPE_NAME, "{short}");
        assert!(
            short.starts_with("ListIncoming") && short.ends_with("CapabilitiesVoice"),
            "{short}"
        );
        assert_eq!(shorten_type_name("Short"), "Short");
        assert_eq!(shorten_type_name(&"A".repeat(100)).len(), MAX_TYPE_NAME);
        assert_eq!(shorten_type_name(&"Ab".repeat(40)).len(), 60);
    }

    #[test]
    fn scope_suffixes_collisions_in_order() {
        let mut scope = Scope::with_reserved(["send"]);
        assert_eq!(scope.claim("send".into()), "send2");
        assert_eq!(scope.claim("a".into()), "a");
        assert_eq!(scope.claim("a".into()), "a2");
        assert_eq!(scope.claim("a2".into()), "a22");
        assert_eq!(scope.claim("r#type".into()), "r#type");
        assert_eq!(scope.claim("r#type".into()), "type2");
    }

    #[test]
    fn reserved_names_get_the_suffix_then_numbers() {
        let mut scope = Scope::reserving(["Error", "Option"], "Model");
        assert_eq!(scope.claim("Error".into()), "ErrorModel");
        assert_eq!(scope.claim("Error".into()), "ErrorModel2");
        assert_eq!(scope.claim("ErrorModel".into()), "ErrorModel3");
        assert_eq!(scope.claim("Thing".into()), "Thing");
        assert_eq!(scope.claim("Thing".into()), "Thing2");
    }

    #[test]
    fn every_place_avoids_what_the_generated_code_uses_there() {
        let crate_names = crate::emit::RESERVED;
        let mut models = places::models();
        for name in crate_names.models_module.iter().copied().flatten() {
            assert_eq!(models.claim((*name).to_owned()), format!("{name}Model"));
        }
        let mut accessors = places::accessors();
        for name in ["core", "new", "builder", "from_env", "clone", "mod"] {
            assert_eq!(accessors.claim(name.to_owned()), format!("{name}2"));
        }
        let mut builders = places::builders("Users");
        assert_eq!(
            builders.claim("RequestOptions".into()),
            "RequestOptionsRequest"
        );
        assert_eq!(builders.claim("Users".into()), "Users2");
        assert_eq!(builders.claim("Option".into()), "OptionRequest");
        // What a builder defines, paging included: a parameter of that name moves aside, as
        // `…_value` (`body_value`, not `body2`).
        let mut members = places::builder_members();
        for name in [
            "client",
            "options",
            "body",
            "send",
            "send_with_response",
            "send_page",
            "stream",
        ] {
            assert_eq!(members.claim(name.to_owned()), format!("{name}_value"));
        }
        let mut groups = places::group_types();
        assert_eq!(groups.claim("Client".into()), "ClientGroup");
        assert_eq!(groups.claim("Default".into()), "Default");
    }
}
