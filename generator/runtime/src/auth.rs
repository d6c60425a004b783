//! Credentials: the schemes an API declares, the credentials a client holds, where each goes on
//! the wire, and which of them one request carries.

use std::fmt;

use http::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue};

use super::secret::Secret;

/// How one security scheme sends its credential, from the spec's `securitySchemes`. OAuth 2
/// and OpenID Connect access tokens are bearer tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// The key in the named header.
    ApiKeyHeader(&'static str),
    /// The key in the named query parameter.
    ApiKeyQuery(&'static str),
    /// The key in the named cookie.
    ApiKeyCookie(&'static str),
}

impl AuthScheme {
    fn family(self) -> Family {
        match self {
            AuthScheme::Bearer => Family::Bearer,
            AuthScheme::Basic => Family::Basic,
            AuthScheme::ApiKeyHeader(_)
            | AuthScheme::ApiKeyQuery(_)
            | AuthScheme::ApiKeyCookie(_) => Family::ApiKey,
        }
    }
}

/// One entry of the API's `components.securitySchemes` that the SDK can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's key in `components.securitySchemes`, e.g. `bearerAuth`.
    pub name: &'static str,
    /// Where its credential goes.
    pub kind: AuthScheme,
}

/// Which credentials a request may carry, as the spec's `security` says: alternatives in order
/// of preference, each a set of scheme names sent together. `&[]` means none (`security: []`);
/// an empty set among the alternatives (`{}`) means the request may also go without.
pub type Security = &'static [&'static [&'static str]];

/// The kinds of credential the builder's setters name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Bearer,
    ApiKey,
    Basic,
}

/// What a builder setter said the credential is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// `bearer_token`: every bearer (OAuth 2, OpenID Connect) scheme.
    Bearer,
    /// `api_key`: every API key scheme.
    ApiKey,
    /// `basic_auth`: every basic scheme.
    Basic,
    /// `token_from_env`: the schemes of the API's main kind of credential.
    Primary,
    /// `credential(name, …)`: exactly this scheme.
    Scheme(String),
}

/// A credential as given to the builder.
pub(super) enum Credential {
    Token(Secret),
    Basic(String, Secret),
    /// Read from the API's environment variable when the client is built.
    FromEnv,
}

/// The credentials given to the builder, before they are placed.
pub(super) enum Given {
    /// Nothing chosen: building fails for APIs whose operations need a credential, so a
    /// forgotten key is a clear error at start-up instead of a 401 on the first call.
    Unset,
    /// `unauthenticated()`: send none.
    Anonymous,
    /// In the order they were set; a later one for the same target wins.
    Some(Vec<(Target, Credential)>),
}

impl Given {
    pub(super) fn add(&mut self, target: Target, credential: Credential) {
        match self {
            Given::Some(list) => {
                list.retain(|(t, _)| *t != target);
                list.push((target, credential));
            }
            _ => *self = Given::Some(vec![(target, credential)]),
        }
    }

    /// A description for `Debug`, without any value.
    pub(super) fn describe(&self) -> String {
        match self {
            Given::Unset => "unset".to_owned(),
            Given::Anonymous => "none".to_owned(),
            Given::Some(list) => list
                .iter()
                .map(|(target, credential)| {
                    let what = match target {
                        Target::Bearer => "bearer",
                        Target::ApiKey => "api key",
                        Target::Basic => "basic",
                        Target::Primary => "primary",
                        Target::Scheme(name) => name.as_str(),
                    };
                    match credential {
                        Credential::FromEnv => format!("{what} from environment"),
                        _ => format!("{what} [REDACTED]"),
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// Where one credential goes on each request that carries it.
pub(super) enum AuthParts {
    Header(HeaderName, HeaderValue),
    /// `name=key`, added to the request's cookies.
    Cookie(HeaderValue),
    Query(&'static str, Secret),
}

/// The client's credentials, placed: one slot per scheme of the API.
pub(super) struct Keyring {
    schemes: &'static [SecurityScheme],
    /// Parallel to `schemes`.
    parts: Vec<Option<AuthParts>>,
    /// For APIs that declare no scheme at all: a token given anyway is sent as a bearer token on
    /// every request but those marked unauthenticated.
    implicit: Option<AuthParts>,
    default: Security,
    anonymous: bool,
}

/// The credentials one request carries.
pub(super) enum Choice<'a> {
    Send(Vec<&'a AuthParts>),
    /// The request goes without, as its security allows.
    Nothing,
    /// The operation needs a credential the client does not hold; the request goes without
    /// and the server decides.
    Missing,
}

impl Keyring {
    /// Places the given credentials. Every problem is a message for `Error::Config`; none
    /// contains the credential.
    pub(super) fn new(
        schemes: &'static [SecurityScheme],
        default: Security,
        env_var: Option<&'static str>,
        given: Given,
    ) -> Result<Self, String> {
        let mut keyring = Keyring {
            schemes,
            parts: schemes.iter().map(|_| None).collect(),
            implicit: None,
            default,
            anonymous: false,
        };
        let given = match given {
            Given::Anonymous => {
                keyring.anonymous = true;
                return Ok(keyring);
            }
            Given::Unset if needs_credential(default) => {
                let env = env_var
                    .map(|var| format!(", or set {var} and call `.token_from_env()`"))
                    .unwrap_or_default();
                return Err(format!(
                    "no credential configured: call `.bearer_token(..)`/`.api_key(..)`{env} \
                     (or `.unauthenticated()` to send none)"
                ));
            }
            Given::Unset => return Ok(keyring),
            Given::Some(list) => list,
        };
        let primary = keyring.primary_family();
        let mut resolved: Vec<(Target, Credential)> = Vec::with_capacity(given.len());
        for (target, credential) in given {
            let target = match target {
                Target::Primary => match primary {
                    Family::Bearer => Target::Bearer,
                    Family::ApiKey => Target::ApiKey,
                    Family::Basic => Target::Basic,
                },
                other => other,
            };
            let credential = match credential {
                Credential::FromEnv => Credential::Token(token_from_env(env_var)?),
                other => other,
            };
            resolved.push((target, credential));
        }
        if schemes.is_empty() {
            keyring.implicit = match resolved.pop() {
                Some((Target::Scheme(name), _)) => return Err(unknown_scheme(&name, schemes)),
                Some((_, credential)) => Some(place(AuthScheme::Bearer, &credential)?),
                None => None,
            };
            return Ok(keyring);
        }
        let has = |family: Family| schemes.iter().any(|s| s.kind.family() == family);
        // The most specific credential wins: one named after the scheme, then one for its kind,
        // then a token whose own kind the API does not have (an `api_key` for a bearer API, as
        // env vars and habits have it).
        let rank = |target: &Target, scheme: &SecurityScheme| match target {
            Target::Scheme(name) if name == scheme.name => Some(0),
            Target::Bearer if scheme.kind.family() == Family::Bearer => Some(1),
            Target::ApiKey if scheme.kind.family() == Family::ApiKey => Some(1),
            Target::Basic if scheme.kind.family() == Family::Basic => Some(1),
            Target::Bearer if !has(Family::Bearer) => Some(2),
            Target::ApiKey if !has(Family::ApiKey) => Some(2),
            _ => None,
        };
        for (slot, scheme) in schemes.iter().enumerate() {
            let best = resolved
                .iter()
                .enumerate()
                .filter_map(|(i, (target, _))| rank(target, scheme).map(|r| (r, i)))
                .min_by_key(|&(r, i)| (r, std::cmp::Reverse(i)));
            if let Some((_, i)) = best {
                keyring.parts[slot] = Some(place(scheme.kind, &resolved[i].1)?);
            }
        }
        // A credential no scheme could take is a mistake to report, not to drop.
        let fits = |target: &Target| schemes.iter().any(|scheme| rank(target, scheme).is_some());
        if let Some(i) = resolved.iter().position(|(target, _)| !fits(target)) {
            return Err(match &resolved[i].0 {
                Target::Scheme(name) => unknown_scheme(name, schemes),
                _ => "this API takes a token or API key, not basic authentication".to_owned(),
            });
        }
        Ok(keyring)
    }

    /// The kind of the first scheme the API's default security names (else of its first
    /// scheme): what `token_from_env` and `Client::new` are for.
    fn primary_family(&self) -> Family {
        self.default
            .iter()
            .flat_map(|set| set.iter())
            .find_map(|name| self.schemes.iter().find(|s| s.name == *name))
            .or(self.schemes.first())
            .map_or(Family::Bearer, |s| s.kind.family())
    }

    /// The credentials a request with `security` (the API's default when `None`) carries: the
    /// first alternative whose every scheme the client holds.
    pub(super) fn choose(&self, security: Option<Security>) -> Choice<'_> {
        let unauthenticated = matches!(security, Some([]));
        if self.anonymous || (unauthenticated && self.schemes.is_empty()) {
            return Choice::Nothing;
        }
        if self.schemes.is_empty() {
            return self
                .implicit
                .as_ref()
                .map_or(Choice::Nothing, |parts| Choice::Send(vec![parts]));
        }
        let security = security.unwrap_or(self.default);
        for set in security.iter().filter(|set| !set.is_empty()) {
            let parts: Option<Vec<&AuthParts>> = set
                .iter()
                .map(|name| {
                    let slot = self.schemes.iter().position(|s| s.name == *name)?;
                    self.parts[slot].as_ref()
                })
                .collect();
            if let Some(parts) = parts {
                return Choice::Send(parts);
            }
        }
        if needs_credential(security) {
            Choice::Missing
        } else {
            Choice::Nothing
        }
    }

    /// Headers that carry one of the client's credentials, hidden from request hooks.
    pub(super) fn header_names(&self) -> Vec<HeaderName> {
        self.parts
            .iter()
            .chain(std::iter::once(&self.implicit))
            .flatten()
            .filter_map(|parts| match parts {
                AuthParts::Header(name, _) => Some(name.clone()),
                AuthParts::Cookie(_) => Some(COOKIE),
                AuthParts::Query(..) => None,
            })
            .collect()
    }

    /// Whether any credential is configured.
    pub(super) fn is_configured(&self) -> bool {
        self.implicit.is_some() || self.parts.iter().any(Option::is_some)
    }

    /// The names of the schemes `security` (the API's default when `None`) accepts, for a
    /// message about a missing credential.
    pub(super) fn accepted(&self, security: Option<Security>) -> String {
        let names: Vec<String> = security
            .unwrap_or(self.default)
            .iter()
            .map(|set| set.join(" + "))
            .collect();
        names.join(" or ")
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held: Vec<&str> = self
            .schemes
            .iter()
            .zip(&self.parts)
            .filter(|(_, parts)| parts.is_some())
            .map(|(scheme, _)| scheme.name)
            .collect();
        f.debug_struct("Keyring")
            .field("schemes", &held)
            .field("implicit_bearer", &self.implicit.is_some())
            .finish_non_exhaustive()
    }
}

/// Whether requests with this security need a credential: some alternative exists and none of
/// them is empty.
fn needs_credential(security: Security) -> bool {
    !security.is_empty() && security.iter().all(|set| !set.is_empty())
}

fn unknown_scheme(name: &str, schemes: &[SecurityScheme]) -> String {
    let known: Vec<&str> = schemes.iter().map(|s| s.name).collect();
    if known.is_empty() {
        format!("this API declares no security scheme, so there is none named {name:?}")
    } else {
        format!(
            "this API has no security scheme named {name:?}; its schemes are {}",
            known.join(", ")
        )
    }
}

/// Puts a credential where `scheme` sends it, after checking that it can travel there.
fn place(scheme: AuthScheme, credential: &Credential) -> Result<AuthParts, String> {
    let sensitive = |value: String| {
        let mut value = HeaderValue::from_str(&value).map_err(|_| {
            "the credential contains characters not allowed in an HTTP header".to_owned()
        })?;
        // Keeps it out of HPACK tables and out of `HeaderMap`'s Debug output.
        value.set_sensitive(true);
        Ok::<_, String>(value)
    };
    let token = || match credential {
        Credential::Token(token) => header_safe(token.expose()),
        Credential::Basic(..) => {
            Err("this API takes a token or API key, not basic authentication".to_owned())
        }
        Credential::FromEnv => Err("internal error: unresolved environment credential".into()),
    };
    match scheme {
        AuthScheme::Basic => {
            let (user, password) = match credential {
                Credential::Basic(user, password) => (user.as_str(), password.expose()),
                // A token for a basic-auth API is taken as `user:password`, as env vars hold it.
                Credential::Token(token) => token
                    .expose()
                    .trim()
                    .split_once(':')
                    .ok_or("basic authentication needs `user:password`")?,
                Credential::FromEnv => return Err("internal error: unresolved credential".into()),
            };
            if user.contains(':') || format!("{user}{password}").chars().any(char::is_control) {
                return Err(
                    "the basic-auth user must not contain `:`, and neither part control \
                     characters"
                        .to_owned(),
                );
            }
            let encoded = base64_encode(format!("{user}:{password}").as_bytes());
            Ok(AuthParts::Header(
                AUTHORIZATION,
                sensitive(format!("Basic {encoded}"))?,
            ))
        }
        AuthScheme::Bearer => Ok(AuthParts::Header(
            AUTHORIZATION,
            sensitive(format!("Bearer {}", token()?))?,
        )),
        AuthScheme::ApiKeyHeader(name) => {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("invalid API key header name {name:?}"))?;
            let value = sensitive(token()?.to_owned())?;
            Ok(AuthParts::Header(name, value))
        }
        AuthScheme::ApiKeyCookie(name) => {
            let token = token()?;
            if token.contains([';', ',', '"', '\\']) {
                return Err(
                    "the credential contains a character not allowed in a cookie (`;`, `,`, \
                     `\"` or `\\`)"
                        .to_owned(),
                );
            }
            Ok(AuthParts::Cookie(sensitive(format!("{name}={token}"))?))
        }
        AuthScheme::ApiKeyQuery(name) => Ok(AuthParts::Query(name, Secret::new(token()?))),
    }
}

/// The token without surrounding whitespace, if it is printable ASCII: API keys and tokens
/// are, and anything else is a copy-and-paste accident (a non-breaking space, a typographic
/// quote) that would otherwise go out as raw bytes. The message never quotes the token.
fn header_safe(token: &str) -> Result<&str, String> {
    let token = token.trim_matches(|c: char| c.is_ascii_whitespace());
    if token.is_empty() {
        return Err("the credential is empty".to_owned());
    }
    if let Some(rest) = token.strip_prefix("Bearer ") {
        if !rest.trim().is_empty() {
            return Err("pass the token without its `Bearer ` prefix".to_owned());
        }
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(
            "the credential contains spaces, control or non-ASCII characters (often a \
             non-breaking space or typographic quote picked up by copy and paste); API keys and \
             tokens are printable ASCII"
                .to_owned(),
        );
    }
    Ok(token)
}

/// Reads the credential from the API's environment variable; surrounding whitespace is not
/// part of it.
fn token_from_env(var: Option<&'static str>) -> Result<Secret, String> {
    let Some(var) = var else {
        return Err(
            "`.token_from_env()` was called but this API names no environment variable \
                    for its key; use `.bearer_token(..)`"
                .to_owned(),
        );
    };
    match std::env::var(var) {
        Ok(value) if !value.trim().is_empty() => Ok(Secret::from(value.trim())),
        Ok(_) => Err(format!(
            "environment variable {var} is empty; set it to your API key or pass the key with \
             `.bearer_token(..)`"
        )),
        Err(std::env::VarError::NotPresent) => Err(format!(
            "environment variable {var} is not set; export {var}=<your API key> or pass the key \
             with `.bearer_token(..)`"
        )),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(format!("environment variable {var} is not valid UTF-8"))
        }
    }
}

/// Standard base64 with padding (RFC 4648), for basic authentication.
fn base64_encode(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEARER: SecurityScheme = SecurityScheme {
        name: "bearer",
        kind: AuthScheme::Bearer,
    };
    const KEY: SecurityScheme = SecurityScheme {
        name: "key",
        kind: AuthScheme::ApiKeyHeader("X-Api-Key"),
    };
    const BASIC: SecurityScheme = SecurityScheme {
        name: "basic",
        kind: AuthScheme::Basic,
    };

    fn given(list: Vec<(Target, &str)>) -> Given {
        let mut given = Given::Unset;
        for (target, token) in list {
            given.add(target, Credential::Token(Secret::new(token)));
        }
        given
    }

    fn shown(parts: Option<&AuthParts>) -> String {
        match parts {
            Some(AuthParts::Header(name, value)) => {
                assert!(value.is_sensitive());
                format!("{name}: {}", value.to_str().unwrap())
            }
            Some(AuthParts::Cookie(value)) => format!("cookie: {}", value.to_str().unwrap()),
            Some(AuthParts::Query(name, key)) => format!("?{name}={}", key.expose()),
            None => "none".to_owned(),
        }
    }

    impl Keyring {
        fn slot(&self, name: &str) -> Option<&AuthParts> {
            let slot = self.schemes.iter().position(|s| s.name == name)?;
            self.parts[slot].as_ref()
        }
    }

    fn keyring(schemes: &'static [SecurityScheme], given: Given) -> Result<Keyring, String> {
        Keyring::new(schemes, &[], Some("EXAMPLE_TOKEN"), given)
    }

    #[test]
    fn credentials_go_where_each_scheme_says() {
        let one = |scheme: &'static [SecurityScheme], target, token| {
            let ring = keyring(scheme, given(vec![(target, token)])).unwrap();
            shown(ring.slot(scheme[0].name))
        };
        const COOKIE_KEY: &[SecurityScheme] = &[SecurityScheme {
            name: "c",
            kind: AuthScheme::ApiKeyCookie("session"),
        }];
        const QUERY_KEY: &[SecurityScheme] = &[SecurityScheme {
            name: "q",
            kind: AuthScheme::ApiKeyQuery("key"),
        }];
        assert_eq!(
            one(&[BEARER], Target::Bearer, " sk_1 \n"),
            "authorization: Bearer sk_1"
        );
        assert_eq!(one(&[KEY], Target::ApiKey, "k1"), "x-api-key: k1");
        assert_eq!(one(COOKIE_KEY, Target::ApiKey, "k2"), "cookie: session=k2");
        assert_eq!(one(QUERY_KEY, Target::ApiKey, "k3"), "?key=k3");
        assert_eq!(
            one(&[BASIC], Target::ApiKey, "user:pw"),
            "authorization: Basic dXNlcjpwdw=="
        );
        // A token for a kind the API lacks goes to what it has.
        assert_eq!(one(&[KEY], Target::Bearer, "k4"), "x-api-key: k4");
        assert_eq!(
            one(&[BEARER], Target::ApiKey, "k5"),
            "authorization: Bearer k5"
        );
        let mut basic = Given::Unset;
        basic.add(
            Target::Basic,
            Credential::Basic("aladdin".into(), Secret::new("opensesame")),
        );
        let ring = keyring(&[BASIC], basic).unwrap();
        assert_eq!(
            shown(ring.slot("basic")),
            "authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l"
        );
    }

    #[test]
    fn several_schemes_each_get_their_own_credential() {
        const BOTH: &[SecurityScheme] = &[BEARER, KEY];
        let ring = keyring(
            BOTH,
            given(vec![(Target::Bearer, "tok"), (Target::ApiKey, "key")]),
        )
        .unwrap();
        assert_eq!(shown(ring.slot("bearer")), "authorization: Bearer tok");
        assert_eq!(shown(ring.slot("key")), "x-api-key: key");
        // Named credentials beat kinds; later settings of one target win.
        let ring = keyring(
            BOTH,
            given(vec![
                (Target::Scheme("key".into()), "named"),
                (Target::ApiKey, "kind"),
                (Target::Bearer, "old"),
                (Target::Bearer, "new"),
            ]),
        )
        .unwrap();
        assert_eq!(shown(ring.slot("key")), "x-api-key: named");
        assert_eq!(shown(ring.slot("bearer")), "authorization: Bearer new");
        let err = keyring(BOTH, given(vec![(Target::Scheme("nope".into()), "x")])).unwrap_err();
        assert!(
            err.contains("\"nope\"") && err.contains("bearer, key"),
            "{err}"
        );
    }

    #[test]
    fn operations_use_the_first_alternative_the_client_holds() {
        const BOTH: &[SecurityScheme] = &[BEARER, KEY];
        let key_only = keyring(BOTH, given(vec![(Target::ApiKey, "key")])).unwrap();
        let either: Security = &[&["bearer"], &["key"]];
        let chosen = |ring: &Keyring, security| match ring.choose(security) {
            Choice::Send(parts) => parts.into_iter().map(|p| shown(Some(p))).collect(),
            Choice::Nothing => vec!["nothing".to_owned()],
            Choice::Missing => vec!["missing".to_owned()],
        };
        assert_eq!(chosen(&key_only, Some(either)), ["x-api-key: key"]);
        assert_eq!(chosen(&key_only, Some(&[&["bearer"]])), ["missing"]);
        assert_eq!(chosen(&key_only, Some(&[&["bearer"], &[]])), ["nothing"]);
        assert_eq!(chosen(&key_only, Some(&[])), ["nothing"]);
        let both = keyring(
            BOTH,
            given(vec![(Target::Bearer, "tok"), (Target::ApiKey, "key")]),
        )
        .unwrap();
        assert_eq!(
            chosen(&both, Some(&[&["bearer", "key"]])),
            ["authorization: Bearer tok", "x-api-key: key"]
        );
        assert_eq!(chosen(&both, Some(either)), ["authorization: Bearer tok"]);
        // The API's default security applies when the operation has none of its own.
        let ring = Keyring::new(BOTH, &[&["key"]], None, given(vec![(Target::ApiKey, "k")]));
        assert_eq!(chosen(&ring.unwrap(), None), ["x-api-key: k"]);
    }

    #[test]
    fn a_missing_credential_fails_only_where_one_is_needed() {
        const BOTH: &[SecurityScheme] = &[BEARER, KEY];
        let err = Keyring::new(BOTH, &[&["bearer"]], Some("X_TOKEN"), Given::Unset).unwrap_err();
        assert!(
            err.contains("X_TOKEN") && err.contains("bearer_token"),
            "{err}"
        );
        // Optional auth (`{}` among the alternatives) or none by default: building works.
        assert!(Keyring::new(BOTH, &[&["bearer"], &[]], None, Given::Unset).is_ok());
        assert!(Keyring::new(BOTH, &[], None, Given::Unset).is_ok());
        assert!(Keyring::new(&[], &[], None, Given::Unset).is_ok());
    }

    #[test]
    fn unsafe_credentials_are_refused_without_echoing_them() {
        for bad in [
            "sk_live_\u{a0}secret",
            "sk_live_“secret”",
            "sk_live secret",
            "sk_live_\u{7f}secret",
            "sk_live_é",
            "   ",
        ] {
            for scheme in [BEARER, KEY] {
                let schemes: &'static [SecurityScheme] =
                    if scheme == BEARER { &[BEARER] } else { &[KEY] };
                let err = keyring(schemes, given(vec![(Target::ApiKey, bad)])).unwrap_err();
                assert!(!err.contains("secret") && !err.contains('é'), "{err}");
            }
        }
        let err = keyring(&[BEARER], given(vec![(Target::Bearer, "Bearer sk_1")])).unwrap_err();
        assert!(err.contains("prefix") && !err.contains("sk_1"), "{err}");
        let err = keyring(&[BASIC], given(vec![(Target::ApiKey, "no-colon")])).unwrap_err();
        assert!(err.contains("user:password"), "{err}");
        let mut basic = Given::Unset;
        basic.add(
            Target::Basic,
            Credential::Basic("u".into(), Secret::new("p")),
        );
        let err = keyring(&[BEARER], basic).unwrap_err();
        assert!(err.contains("not basic"), "{err}");
        const COOKIE_KEY: &[SecurityScheme] = &[SecurityScheme {
            name: "c",
            kind: AuthScheme::ApiKeyCookie("session"),
        }];
        let err = keyring(COOKIE_KEY, given(vec![(Target::ApiKey, "a;b=c")])).unwrap_err();
        assert!(err.contains("cookie"), "{err}");
    }

    #[test]
    fn apis_without_schemes_send_a_given_token_as_bearer() {
        let ring = keyring(&[], given(vec![(Target::ApiKey, "tok")])).unwrap();
        match ring.choose(None) {
            Choice::Send(parts) => assert_eq!(shown(Some(parts[0])), "authorization: Bearer tok"),
            _ => panic!("expected the implicit bearer token"),
        }
        assert!(matches!(ring.choose(Some(&[])), Choice::Nothing));
        assert!(keyring(&[], given(vec![(Target::Scheme("x".into()), "t")])).is_err());
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, output) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(input.as_bytes()), output);
        }
    }
}
