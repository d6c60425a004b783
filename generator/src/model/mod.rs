//! The intermediate model: what the SDK is, independent of YAML, `openapiv3` and token streams.
//!
//! [`build`] fills it from a parsed document; the emitters read it. Names in here are already
//! Rust names (cased, keyword-escaped, collision-free); wire names are kept next to them.

mod build;
mod components;
mod features;
mod idempotency;
pub(crate) mod names;
mod pagination;
mod paths;
mod schema;
mod security;
mod shapes;
mod usage;
mod webhooks;

pub use self::build::build;
pub use self::features::GroupReach;
pub use self::names::{Scope, escape_ident, field_name, method_name, places, type_name};
pub use self::pagination::{Coverage, CoverageRow};
pub use self::usage::Usage;

use serde::{Deserialize, Serialize};

impl Api {
    /// The named type called `name` (a [`TypeRef::Named`] target).
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// Gives every type a declaration of its own, shapes the spec repeats too (`[types]
    /// repeated_shapes = "separate"`; see `shapes`).
    pub fn separate_shapes(&mut self) {
        for def in self.types.iter_mut() {
            def.same_as = None;
        }
    }

    /// Drops the spec's prose (titles, summaries, descriptions, examples), keeping what is
    /// structure: names, types, defaults and ranges.
    pub fn strip_prose(&mut self) {
        fn strip(docs: &mut Docs) {
            docs.summary = None;
            docs.description = None;
            docs.example = None;
        }
        self.description = None;
        for auth in &mut self.security_schemes {
            auth.doc = None;
        }
        for group in &mut self.groups {
            group.doc = None;
            for op in &mut group.operations {
                op.summary = None;
                op.description = None;
                for param in &mut op.params {
                    strip(&mut param.docs);
                }
                if let Some(body) = &mut op.body {
                    body.description = None;
                }
                for response in &mut op.responses {
                    response.description.clear();
                }
            }
        }
        for webhook in &mut self.webhooks {
            webhook.summary = None;
            webhook.description = None;
        }
        for def in self.types.iter_mut() {
            strip(&mut def.docs);
            if let TypeKind::Struct { fields, .. } = &mut def.kind {
                for field in fields {
                    strip(&mut field.docs);
                }
            }
        }
    }
}

/// The named types of an API, sorted by Rust name and looked up by it: built once, so no
/// step needs an index of its own or a linear search.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Vec<TypeDef>")]
pub struct TypeTable(Vec<TypeDef>);

impl From<Vec<TypeDef>> for TypeTable {
    /// A recorded model is read back sorted, whatever order the file lists it in.
    fn from(defs: Vec<TypeDef>) -> Self {
        Self::new(defs)
    }
}

impl TypeTable {
    /// A table of `defs`, which may come in any order; names must be unique.
    pub fn new(mut defs: Vec<TypeDef>) -> Self {
        defs.sort_by(|a, b| a.name.cmp(&b.name));
        debug_assert!(defs.windows(2).all(|w| w[0].name != w[1].name));
        Self(defs)
    }

    /// The type called `name`.
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.position(name).map(|i| &self.0[i])
    }

    /// The type called `name`, to change it (its name must stay).
    pub fn get_mut(&mut self, name: &str) -> Option<&mut TypeDef> {
        self.position(name).map(|i| &mut self.0[i])
    }

    /// Where the type called `name` is in [`TypeTable::as_slice`].
    pub fn position(&self, name: &str) -> Option<usize> {
        self.0
            .binary_search_by(|def| def.name.as_str().cmp(name))
            .ok()
    }

    /// The types, by name.
    pub fn iter(&self) -> std::slice::Iter<'_, TypeDef> {
        self.0.iter()
    }

    /// The types, by name, to change them (their names must stay).
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, TypeDef> {
        self.0.iter_mut()
    }

    /// The types, by name; index `i` is what [`TypeTable::position`] returns.
    pub fn as_slice(&self) -> &[TypeDef] {
        &self.0
    }

    /// How many types there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a TypeTable {
    type Item = &'a TypeDef;
    type IntoIter = std::slice::Iter<'a, TypeDef>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// A whole API, ready to be emitted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `servers[].url`, in document order; the first is the default base URL.
    pub servers: Vec<String>,
    /// The security schemes operations use that the SDK can send, in order of first use (the
    /// root `security` first).
    pub security_schemes: Vec<Auth>,
    /// The security of operations that state none of their own: the root `security`, or, when
    /// the document has none, the requirement most operations state.
    pub security: Security,
    /// The root retry policy (`x-speakeasy-retries`), when the document has one.
    pub retry: Option<RetryPolicy>,
    /// Operation groups (one per tag), in the order tags first appear.
    pub groups: Vec<Group>,
    /// Named types, sorted by Rust name.
    pub types: TypeTable,
    /// The distinct error bodies operations can return, sorted by name.
    pub error_bodies: Vec<String>,
    /// Requests the API sends to the user's server (OpenAPI 3.1 `webhooks`), in document order.
    /// (Absent from records of crates without webhooks.)
    #[serde(default)]
    pub webhooks: Vec<Webhook>,
    /// The payload property whose constant value tells the webhooks apart, when every
    /// webhook's JSON payload has one with a value of its own (e.g. `type`).
    #[serde(default)]
    pub webhook_tag: Option<String>,
}

/// A webhook: a request the API sends to the user's server, described under `webhooks`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Webhook {
    /// Its key under `webhooks`, e.g. `batch_cancelled`.
    pub name: String,
    /// Its variant of the generated `Webhook` enum, e.g. `BatchCancelled`.
    pub variant: String,
    /// Upper-case HTTP method the API sends it with.
    pub http_method: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// The payload's type (`Bytes` for a non-JSON body); `None` when there is no body.
    pub payload: Option<TypeRef>,
    /// Whether the payload is JSON (decoded into [`Webhook::payload`]) rather than raw bytes.
    pub json: bool,
    /// The value of [`Api::webhook_tag`] that marks this webhook's payload.
    pub tag: Option<String>,
}

/// Which credentials a request may carry: alternatives in order of preference, each a set of
/// scheme names (`Auth::scheme`) sent together. Empty: none. An empty set among them: the
/// request may also go without.
pub type Security = Vec<Vec<String>>;

/// One security scheme the SDK can send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Auth {
    /// The `components.securitySchemes` key.
    pub scheme: String,
    /// How the credential is sent.
    pub kind: AuthKind,
    /// `bearerFormat` or the scheme description, for docs.
    pub doc: Option<String>,
}

/// Where a credential goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic …`.
    Basic,
    /// An API key in the named header.
    ApiKeyHeader(String),
    /// An API key in the named query parameter.
    ApiKeyQuery(String),
    /// An API key in the named cookie.
    ApiKeyCookie(String),
    /// An OAuth 2 or OpenID Connect access token, sent as a bearer token (obtaining it is the
    /// caller's business).
    OAuth2,
}

impl Api {
    /// The scheme the API's main credential is for: the first one its default security names,
    /// else the first one an operation uses. What `Client::new` and `from_env` take.
    pub fn primary_auth(&self) -> Option<&Auth> {
        self.security
            .iter()
            .flatten()
            .find_map(|name| self.security_schemes.iter().find(|a| &a.scheme == name))
            .or(self.security_schemes.first())
    }
}

/// A retry policy as the document states it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// First backoff interval, milliseconds.
    pub initial_interval_ms: u64,
    /// Largest backoff interval, milliseconds.
    pub max_interval_ms: u64,
    /// Total time budget, milliseconds.
    pub max_elapsed_ms: u64,
    /// Backoff growth factor.
    pub exponent: f64,
    /// Statuses that are retried.
    pub statuses: Vec<StatusMatch>,
    /// Whether connection errors are retried.
    pub connection_errors: bool,
}

/// A status code or a class of them, as in `404` or `5XX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum StatusMatch {
    /// One status code.
    Exact(u16),
    /// A class: `Class(5)` is `5XX`.
    Class(u8),
}

/// The operations that share a tag; becomes `client.<name>()`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Snake-case accessor name, e.g. `organization_memberships`.
    pub method: String,
    /// Pascal-case struct name, e.g. `OrganizationMemberships`.
    pub type_name: String,
    /// The tag as written in the document.
    pub tag: String,
    /// The tag description.
    pub doc: Option<String>,
    /// The operations, in document order.
    pub operations: Vec<Operation>,
}

/// One HTTP operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// `operationId` (or one derived from method and path).
    pub id: String,
    /// Method on the group, e.g. `list`.
    pub method_name: String,
    /// Request builder type, e.g. `ListOrganizationMemberships`.
    pub builder_name: String,
    /// Upper-case HTTP method.
    pub http_method: String,
    /// Path template relative to the server URL, e.g. `/organizations/{organization_id}`.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Parameters in declaration order (path-item ones first).
    pub params: Vec<Param>,
    /// The JSON request body.
    pub body: Option<Body>,
    /// Documented responses.
    pub responses: Vec<Response>,
    /// How `stream()` pages, when the operation has one.
    pub pagination: Option<Pagination>,
    /// Whether the operation returns a list and looks paged (for coverage and notes).
    pub list: ListShape,
    /// The operation's security when it differs from [`Api::security`]; `Some(vec![])` for a
    /// public operation (`security: []`).
    pub security: Option<Security>,
    /// The header that carries an idempotency key (wire name of one of `params`): the SDK sends
    /// a fresh key per call unless the caller sets one, and retries the call like a GET.
    pub idempotency_key: Option<String>,
}

impl Operation {
    /// What a successful call returns, given all its 2XX responses and documented redirects
    /// ([`ResponseStatus::is_ok`]): what `send()` yields in the generated code, and what the
    /// diff compares.
    pub fn success(&self) -> Success<'_> {
        Success::of(&self.responses)
    }

    /// The media types the operation can decode, in order of preference, for `Accept`:
    /// success responses first, then error ones; the JSON type of a response that has one
    /// (the only one decoded), else all of its types (handed over as bytes).
    pub fn accept(&self) -> Vec<&str> {
        let (success, errors): (Vec<&Response>, Vec<&Response>) =
            self.responses.iter().partition(|r| r.status.is_ok());
        let mut accepted: Vec<&str> = Vec::new();
        for response in success.into_iter().chain(errors) {
            let json = response.media_types.iter().find(|m| is_json(m));
            let types: Vec<&str> = match json {
                Some(json) => vec![json.as_str()],
                None => response.media_types.iter().map(String::as_str).collect(),
            };
            // Only what can go into a header as written: `type/subtype`, visible ASCII.
            let valid = |m: &&str| {
                m.contains('/')
                    && m.bytes()
                        .all(|b| b.is_ascii_graphic() && b != b',' && b != b';')
            };
            for media in types.into_iter().filter(valid) {
                if !accepted.contains(&media) {
                    accepted.push(media);
                }
            }
        }
        accepted
    }
}

/// What a successful call returns (see [`Operation::success`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Success<'a> {
    /// No success response has a body.
    Unit,
    /// All that have a body share this type, and all have one.
    One(&'a TypeRef),
    /// Some have this body type, some (e.g. 204) none.
    Optional(&'a TypeRef),
    /// Bodies of different types: decoded as JSON values.
    Any,
}

impl<'a> Success<'a> {
    /// What a call with these documented responses returns (see [`Operation::success`]); for
    /// the model's builders, which need it before the operation exists.
    pub fn of(responses: &'a [Response]) -> Self {
        let bodies: Vec<Option<&TypeRef>> = responses
            .iter()
            .filter(|r| r.status.is_ok())
            .map(|r| r.body.as_ref())
            .collect();
        let mut types: Vec<&TypeRef> = bodies.iter().flatten().copied().collect();
        types.dedup();
        match types.as_slice() {
            [] => Success::Unit,
            [one] if bodies.iter().all(Option::is_some) => Success::One(one),
            [one] => Success::Optional(one),
            _ => Success::Any,
        }
    }
}

/// `application/json` and the `+json` types (`application/problem+json`).
pub fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json")
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParamLocation {
    /// A `{name}` path segment.
    Path,
    /// A query string pair.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// An operation parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust argument/setter name.
    pub rust_name: String,
    /// Location.
    pub location: ParamLocation,
    /// Whether the caller must give it.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// How a query parameter is written. Other locations hold one string (arrays
    /// comma-joined, as `style: simple` says) and carry `Form { explode: false }`.
    pub style: QueryStyle,
    /// Documentation from the spec.
    pub docs: Docs,
}

/// How a structured value becomes `name=value` pairs: OpenAPI's `style` with `explode`, for
/// query parameters and the properties of form bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueryStyle {
    /// `form`: arrays as repeated keys (`explode`) or comma-joined, objects as one pair per
    /// property (`explode`) or `name=k,v,…`.
    Form {
        /// `explode`.
        explode: bool,
    },
    /// `spaceDelimited` (not exploded): values joined with spaces.
    SpaceDelimited,
    /// `pipeDelimited` (not exploded): values joined with `|`.
    PipeDelimited,
    /// `deepObject`: `name[key]=value`, nested objects and arrays in brackets too.
    DeepObject,
}

/// How a request body is encoded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BodyKind {
    /// `application/json` (and `+json`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`, built with `runtime::Multipart`.
    Multipart,
    /// Any other media type, sent as bytes with this content type.
    Raw(String),
}

/// A request body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Body {
    /// Whether the body must be sent.
    pub required: bool,
    /// How it is encoded.
    pub kind: BodyKind,
    /// Its type (a named struct for object bodies).
    pub ty: TypeRef,
    /// Whether the builder takes the body's properties one by one (inline object bodies).
    pub flattened: bool,
    /// The Encoding Object's style per property of a form body (wire name), where it gives
    /// one; properties not listed use the runtime's defaults.
    pub encoding: Vec<(String, QueryStyle)>,
    /// `requestBody.description`.
    pub description: Option<String>,
}

/// A documented response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// Which statuses it covers.
    pub status: ResponseStatus,
    /// `description`.
    pub description: String,
    /// Its JSON body type, when it has one.
    pub body: Option<TypeRef>,
    /// Its content types (lower-case, without parameters), in document order.
    pub media_types: Vec<String>,
}

/// The status key of a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ResponseStatus {
    /// One status or a class.
    Status(StatusMatch),
    /// `default`: any status not listed.
    Default,
}

impl ResponseStatus {
    /// Whether this covers success (2XX) statuses.
    pub fn is_success(self) -> bool {
        matches!(
            self,
            Self::Status(StatusMatch::Exact(200..=299)) | Self::Status(StatusMatch::Class(2))
        )
    }

    /// Whether this covers redirects (3XX but `304`): the runtime follows none, so a
    /// redirect the operation documents is its answer (a login's `303` and its `Location`).
    /// `304 Not Modified` is left out: specs document it on conditional GETs, and it answers
    /// only callers who sent `If-None-Match`; as a success it would turn every such call's
    /// result into an `Option`.
    pub fn is_redirect(self) -> bool {
        matches!(
            self,
            Self::Status(StatusMatch::Exact(300..=303 | 305..=399))
                | Self::Status(StatusMatch::Class(3))
        )
    }

    /// Whether `send()` returns this response as `Ok`: successes and documented redirects.
    pub fn is_ok(self) -> bool {
        self.is_success() || self.is_redirect()
    }
}

/// As the spec's `responses` key spells it: `404`, `4XX`, `default`.
impl std::fmt::Display for ResponseStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Status(StatusMatch::Exact(code)) => write!(f, "{code}"),
            Self::Status(StatusMatch::Class(class)) => write!(f, "{class}XX"),
            Self::Default => f.write_str("default"),
        }
    }
}

/// How `stream()` walks an operation's pages (see `model/pagination.rs` for how it is found).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pagination {
    /// What identifies a page and where the next one is.
    pub strategy: Strategy,
    /// The array of items in the success body; empty when the body is the array.
    pub items: FieldPath,
    /// The type of one item.
    pub item_ty: TypeRef,
    /// What decided it.
    pub source: PaginationSource,
}

/// A paging strategy, with the Rust names of the parameters and response fields it uses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Strategy {
    /// `offset` (+ `limit`): the offset moves by the page size or the items received; ends at
    /// the total, or at an empty page.
    Offset {
        /// The offset parameter.
        offset: String,
        /// The page-size parameter, if any.
        limit: Option<String>,
        /// The total item count, if the response has one.
        total: Option<FieldPath>,
        /// The page size the response reports (Box: pages may hold fewer items).
        step: Option<FieldPath>,
    },
    /// `page` (+ `per_page`): the page number counts up; ends at an empty page or the page
    /// count.
    PageNumber {
        /// The page-number parameter.
        page: String,
        /// The page-size parameter, if any.
        size: Option<String>,
        /// The number of the first page (0 or 1).
        first: i64,
        /// The page count, if the response has one.
        total_pages: Option<FieldPath>,
        /// The boolean that says whether more pages follow, if any.
        has_more: Option<FieldPath>,
    },
    /// A cursor from the response goes into a query parameter (`starting_after`, `after`,
    /// `cursor`, `marker`); `has_more`, or an absent cursor, ends it.
    Cursor {
        /// The cursor parameter.
        param: String,
        /// Where the next cursor comes from.
        next: CursorSource,
        /// The boolean that says whether more pages follow, if any.
        has_more: Option<FieldPath>,
    },
    /// A page token (dropshot's `page_token` / `next_page`, Google's `pageToken`).
    PageToken {
        /// The token parameter.
        param: String,
        /// The response field with the next token.
        next: FieldPath,
        /// Query parameters sent on the first page only: dropshot encodes the scan parameters
        /// in the token and rejects them next to it.
        first_page_only: Vec<String>,
    },
    /// The response body has the next page's URL (Spotify `next`, Twilio `next_page_uri`).
    NextUrl {
        /// The field with the URL.
        next: FieldPath,
    },
    /// The `Link: <…>; rel="next"` response header has the next page's URL (RFC 8288).
    LinkHeader,
}

impl Strategy {
    /// The name used in `sdkgen.toml`, notes and the corpus coverage table.
    pub fn name(&self) -> &'static str {
        match self {
            Strategy::Offset { .. } => "offset",
            Strategy::PageNumber { .. } => "page",
            Strategy::Cursor { .. } => "cursor",
            Strategy::PageToken { .. } => "page-token",
            Strategy::NextUrl { .. } => "next-url",
            Strategy::LinkHeader => "link-header",
        }
    }
}

/// Where a cursor strategy finds the next cursor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CursorSource {
    /// A response field (`last_id`, `next_cursor`, `next_marker`).
    Field(FieldPath),
    /// This field (Rust name) of the last item on the page, e.g. `id` for `starting_after`.
    LastItem(String),
}

/// A field inside a response body, possibly nested (`meta.next_cursor`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldPath {
    /// Rust field names, outermost first.
    pub rust: Vec<String>,
    /// The wire names joined with `.`, for docs and messages.
    pub wire: String,
}

/// What decided an operation's pagination.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaginationSource {
    /// Parameter names and the response shape.
    Detected,
    /// The operation's `x-speakeasy-pagination` extension.
    Extension,
    /// `[pagination]` in `sdkgen.toml`.
    Config,
}

/// How an operation relates to lists, for pagination coverage and notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListShape {
    /// The success body is not a list and holds none.
    NotList,
    /// A list (an array, or an object holding one) with no sign of paging.
    Unpaged,
    /// A list with signs of paging (parameters, response fields, extensions, a `Link`
    /// header). When it has no [`Pagination`], this says why.
    Paged {
        /// Why there is no `stream()`, when there is none.
        left_out: Option<String>,
    },
}

/// Documentation gathered for an item. Absent parts are left out of the recorded model
/// (`sdkgen-model.json`), where most items have no docs at all.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Docs {
    /// Title or summary line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Default value, as JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// Inclusive lower bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// Inclusive upper bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    /// An example value, as JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
    /// Whether the item is deprecated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
}

/// A named type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Where it was defined, as a JSON pointer.
    pub origin: String,
    /// Documentation.
    pub docs: Docs,
    /// Its shape.
    pub kind: TypeKind,
    /// The type that declares this inline type's shape, when another type has it too: this
    /// one is emitted as an alias of it (see `shapes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
}

/// The shape of a named type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TypeKind {
    /// An object with known properties.
    Struct {
        /// Fields in document order.
        fields: Vec<Field>,
        /// `additionalProperties: false` on a type that is only ever sent, never received.
        deny_unknown_fields: bool,
    },
    /// A string enum; always open (unknown values decode into `Unknown(String)`).
    Enum {
        /// Known values.
        variants: Vec<Variant>,
    },
    /// `oneOf`/`anyOf`: one variant per member plus an `Unknown(serde_json::Value)` fallback.
    Union {
        /// Members in document order (the order untagged decoding tries them in).
        variants: Vec<UnionVariant>,
        /// The property that names the variant, when every variant has a tag value.
        discriminator: Option<String>,
    },
    /// Another name for a type (`type Foo = Bar;`).
    Alias(TypeRef),
    /// A wrapper struct (`struct Foo(Vec<Foo>);`): an alias that contains itself, which Rust
    /// type aliases cannot.
    Newtype(TypeRef),
}

/// A member of a [`TypeKind::Union`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnionVariant {
    /// Rust variant name.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// The discriminator value that selects it.
    pub tag: Option<String>,
    /// Boxed, because the type contains itself through this variant.
    pub boxed: bool,
}

/// A struct field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust name.
    pub rust_name: String,
    /// Type of a present, non-null value.
    pub ty: TypeRef,
    /// Whether it must be there and whether it may be `null`.
    pub presence: Presence,
    /// Boxed, because the type contains itself through this field.
    pub boxed: bool,
    /// Documentation.
    pub docs: Docs,
}

/// Whether a field must be present and whether it may be `null`; its Rust type and serde
/// attributes follow from this alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Presence {
    /// Listed in `required`, never `null`: `T`.
    Required,
    /// Listed in `required` and `nullable`: `Option<T>`, always sent (`None` as `null`).
    RequiredNullable,
    /// May be left out: `Option<T>`, skipped when `None`. Optional nullable fields of types
    /// that are never sent end up here too (absent and `null` both decode as `None`).
    Optional,
    /// Optional and nullable in a type that is sent: absent, `null` and a value stay apart
    /// (`Option<Option<T>>`). Until `settle_directions` runs, every optional nullable field.
    OptionalNullable,
    /// A required, non-nullable single-value enum: the field fills itself in, and a missing one
    /// is not an error. An optional one is [`Presence::Optional`] (sent only when the caller
    /// sets it), a nullable one [`Presence::RequiredNullable`] (the value or `null`).
    Constant,
}

impl Presence {
    /// The presence of a property, as the schema states it.
    pub fn of(required: bool, nullable: bool, constant: bool) -> Self {
        match (constant, required, nullable) {
            (true, true, false) => Self::Constant,
            // The value or `null`: nothing to fill in, the caller (or the reply) decides.
            (true, true, true) => Self::RequiredNullable,
            (true, false, nullable) => Self::of(false, nullable, false),
            (false, true, false) => Self::Required,
            (false, true, true) => Self::RequiredNullable,
            (false, false, false) => Self::Optional,
            (false, false, true) => Self::OptionalNullable,
        }
    }

    /// Whether a value is always there (`Required` and `Constant`).
    pub fn always_present(self) -> bool {
        matches!(self, Self::Required | Self::Constant)
    }

    /// Whether `null` is a valid value.
    pub fn nullable(self) -> bool {
        matches!(self, Self::RequiredNullable | Self::OptionalNullable)
    }
}

/// A value of a string enum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    /// Value on the wire.
    pub wire_name: String,
    /// Rust variant name.
    pub rust_name: String,
}

/// A reference to a type, as used by fields, parameters and bodies.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// Any JSON value.
    Json,
    /// A free-form JSON object (`serde_json::Map`), e.g. metadata.
    JsonObject,
    /// Raw bytes (`bytes::Bytes`): files and other non-JSON payloads.
    Bytes,
    /// A `multipart/form-data` body (`runtime::Multipart`).
    Multipart,
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>` (`additionalProperties: {schema}`).
    Map(Box<TypeRef>),
    /// `(A, B, …)`: an array of fixed length whose items have types of their own (3.1
    /// `prefixItems`).
    Tuple(Vec<TypeRef>),
    /// `Option<T>`: a nullable array item, map value or tuple member (`items: {$ref: X}` where
    /// `X` is `nullable`). Fields carry their nullability in [`Presence`] instead.
    Nullable(Box<TypeRef>),
    /// A [`TypeDef`] by Rust name.
    Named(String),
}

impl TypeRef {
    /// The same type with the named types `rename` knows under their new names.
    pub fn renamed(&self, rename: &impl Fn(&str) -> Option<String>) -> TypeRef {
        let inner = |ty: &TypeRef| Box::new(ty.renamed(rename));
        match self {
            TypeRef::Named(name) => TypeRef::Named(rename(name).unwrap_or_else(|| name.clone())),
            TypeRef::Array(ty) => TypeRef::Array(inner(ty)),
            TypeRef::Map(ty) => TypeRef::Map(inner(ty)),
            TypeRef::Nullable(ty) => TypeRef::Nullable(inner(ty)),
            TypeRef::Tuple(items) => {
                TypeRef::Tuple(items.iter().map(|t| t.renamed(rename)).collect())
            }
            other => other.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_that_send_returns_as_ok() {
        let exact = |code| ResponseStatus::Status(StatusMatch::Exact(code));
        let class = |class| ResponseStatus::Status(StatusMatch::Class(class));
        // (status, success, redirect, ok)
        let table = [
            (exact(200), true, false, true),
            (exact(204), true, false, true),
            (class(2), true, false, true),
            (exact(301), false, true, true),
            (exact(303), false, true, true),
            (exact(304), false, false, false),
            (exact(307), false, true, true),
            (class(3), false, true, true),
            (exact(404), false, false, false),
            (class(5), false, false, false),
            (ResponseStatus::Default, false, false, false),
        ];
        for (status, success, redirect, ok) in table {
            assert_eq!(status.is_success(), success, "{status}");
            assert_eq!(status.is_redirect(), redirect, "{status}");
            assert_eq!(status.is_ok(), ok, "{status}");
        }
        assert_eq!(class(4).to_string(), "4XX");
        assert_eq!(exact(418).to_string(), "418");
    }

    /// Every combination: a single-value enum fills itself in only where that value must be
    /// sent (a required nullable one may be `null`, so it is an ordinary required nullable field);
    /// an optional one is an ordinary optional field, so it is never sent uninvited.
    #[test]
    fn presence_table() {
        for (required, nullable, constant, presence) in [
            (true, false, false, Presence::Required),
            (true, true, false, Presence::RequiredNullable),
            (false, false, false, Presence::Optional),
            (false, true, false, Presence::OptionalNullable),
            (true, false, true, Presence::Constant),
            (true, true, true, Presence::RequiredNullable),
            (false, false, true, Presence::Optional),
            (false, true, true, Presence::OptionalNullable),
        ] {
            assert_eq!(
                Presence::of(required, nullable, constant),
                presence,
                "required {required}, nullable {nullable}, constant {constant}"
            );
        }
    }
}
