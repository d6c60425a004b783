//! One entry of a report: what changed, which Rust item it touches, where in both specs, and
//! what it means for the crate's users.

use serde::Serialize;

/// What a change means for the generated crate's users, most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Code that compiled against the old crate may not compile against the new one.
    Breaking,
    /// The Rust API stays the same, but what goes over the wire changes so that a client built
    /// from one spec fails against a server that follows the other.
    Wire,
    /// Additions and changes that existing code and deployed clients survive.
    Compatible,
    /// Only the generated documentation changes.
    Docs,
}

impl Effect {
    /// Every effect, most severe first.
    pub const ALL: [Effect; 4] = [
        Effect::Breaking,
        Effect::Wire,
        Effect::Compatible,
        Effect::Docs,
    ];

    /// A heading for the report's section of this effect.
    pub fn heading(self) -> &'static str {
        match self {
            Effect::Breaking => "Breaking: Rust API",
            Effect::Wire => "Breaking on the wire, Rust API unchanged",
            Effect::Compatible => "Compatible",
            Effect::Docs => "Documentation only",
        }
    }

    /// Whether the change breaks users, at compile time or on the wire.
    pub fn is_breaking(self) -> bool {
        matches!(self, Effect::Breaking | Effect::Wire)
    }
}

/// Declares [`Kind`] with the label each kind has in reports.
macro_rules! kinds {
    ($($(#[$doc:meta])* $kind:ident => $label:literal,)*) => {
        /// What kind of change an entry is. Serialized in `snake_case`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Kind {
            $($(#[$doc])* $kind,)*
        }

        impl Kind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [Kind] = &[$(Kind::$kind,)*];

            /// How reports name the kind.
            pub fn label(self) -> &'static str {
                match self {
                    $(Kind::$kind => $label,)*
                }
            }
        }
    };
}

kinds! {
    /// `servers[0]`, the client's default base URL.
    ServerChanged => "default server changed",
    /// What `Client::new` takes for the API's main credential.
    AuthChanged => "authentication changed",
    /// A security scheme operations use, so a credential the client can hold.
    SchemeAdded => "security scheme added",
    /// A security scheme no operation uses any more.
    SchemeRemoved => "security scheme removed",
    /// The same kind of credential under another `components.securitySchemes` key.
    SchemeRenamed => "security scheme renamed",
    /// Where a scheme's credential goes (its kind, header, query parameter or cookie).
    SchemeChanged => "security scheme changed",
    /// The credentials operations that state no `security` of their own send.
    DefaultSecurityChanged => "default security changed",
    /// The default retry policy (`x-speakeasy-retries`).
    RetryPolicyChanged => "retry policy changed",
    /// A new `ErrorBody` variant.
    ErrorBodyAdded => "error body added",
    /// An `ErrorBody` variant that is gone.
    ErrorBodyRemoved => "error body removed",
    /// A new tag, so a new `Client` accessor.
    GroupAdded => "group added",
    /// A tag that is gone with its `Client` accessor.
    GroupRemoved => "group removed",
    /// A new operation.
    OperationAdded => "operation added",
    /// An operation that is gone.
    OperationRemoved => "operation removed",
    /// The same HTTP operation under another group or method name.
    OperationRenamed => "operation renamed",
    /// The request builder type is named after the operationId, which changed.
    BuilderRenamed => "request builder renamed",
    /// The path template.
    PathChanged => "path changed",
    /// The HTTP method.
    HttpMethodChanged => "HTTP method changed",
    /// Which credentials the operation sends (its `security`).
    AuthRequirementChanged => "authentication requirement changed",
    /// What `send()` returns.
    ReturnTypeChanged => "return type changed",
    /// A new `stream()` over every page.
    StreamAdded => "pagination added",
    /// `stream()` is gone.
    StreamRemoved => "pagination removed",
    /// What `stream()` yields.
    StreamChanged => "pagination changed",
    /// How `stream()` pages (strategy, the parameter that moves, the response fields it reads):
    /// the Rust API stays, the requests for later pages differ.
    PagingChanged => "pagination strategy changed",
    /// How the request body is encoded (JSON, form, multipart, raw media type).
    BodyEncodingChanged => "request body encoding changed",
    /// Whether the builder takes the body property by property or whole.
    BodyShapeChanged => "request body shape changed",
    /// A newly documented response status.
    ResponseAdded => "response added",
    /// A response status no longer documented.
    ResponseRemoved => "response removed",
    /// The body of a documented error status.
    ErrorResponseChanged => "error response changed",
    /// A new required value: a new argument of the operation's method.
    ArgumentAdded => "argument added",
    /// A new optional value: a new builder setter.
    SetterAdded => "setter added",
    /// An argument of the operation's method that is gone.
    ArgumentRemoved => "argument removed",
    /// A builder setter that is gone.
    SetterRemoved => "setter removed",
    /// An optional value became required: the setter is now an argument.
    BecameRequired => "setter became argument",
    /// A required value became optional: the argument is now a setter.
    BecameOptional => "argument became setter",
    /// The operation's method takes its arguments in another order.
    ArgumentsReordered => "arguments reordered",
    /// The Rust name of an item changed while its name on the wire did not.
    RustNameChanged => "Rust name changed",
    /// The Rust type of an item.
    TypeChanged => "type changed",
    /// The name on the wire of a parameter, property or enum value, with the Rust name kept.
    WireNameChanged => "wire name changed",
    /// Where a parameter goes (path, query, header, cookie).
    ParamLocationChanged => "parameter location changed",
    /// How a query parameter is serialized (`explode`, `deepObject`).
    ParamStyleChanged => "parameter style changed",
    /// A new `…_null()` setter (the property can be sent as `null`).
    NullSetterAdded => "null setter added",
    /// A `…_null()` setter that is gone.
    NullSetterRemoved => "null setter removed",
    /// Whether the spec requires a property or parameter on the wire.
    PresenceChanged => "required on the wire changed",
    /// Whether a value may be `null`.
    NullabilityChanged => "nullability changed",
    /// A new named type.
    TypeAdded => "type added",
    /// A named type that is gone.
    TypeRemoved => "type removed",
    /// The same schema under another Rust name, or a schema renamed in the spec with the same
    /// shape.
    TypeRenamed => "type renamed",
    /// A struct became an enum, an alias, … .
    TypeKindChanged => "type kind changed",
    /// Which type an inline type is, when another type has its shape too (it is an alias).
    SameTypeChanged => "same type as",
    /// Whether the struct is `#[non_exhaustive]`.
    NonExhaustiveChanged => "non_exhaustive changed",
    /// Whether decoding rejects unknown fields (`additionalProperties: false`).
    UnknownFieldsChanged => "unknown fields policy changed",
    /// A new struct field.
    FieldAdded => "field added",
    /// A struct field that is gone.
    FieldRemoved => "field removed",
    /// Whether a single-value enum field fills itself in.
    SelfFillingChanged => "self-filling field changed",
    /// A new enum or union variant.
    VariantAdded => "variant added",
    /// An enum or union variant that is gone.
    VariantRemoved => "variant removed",
    /// Whether a single-value enum implements `Default`.
    EnumDefaultChanged => "enum Default changed",
    /// The property that picks a union's variant.
    DiscriminatorChanged => "discriminator changed",
    /// The discriminator value of a union variant.
    VariantTagChanged => "variant tag changed",
    /// The order in which an untagged union tries its variants.
    VariantOrderChanged => "variant order changed",
    /// `deprecated` was set or cleared.
    DeprecationChanged => "deprecation changed",
    /// A new webhook: a new `webhooks::Webhook` variant.
    WebhookAdded => "webhook added",
    /// A webhook that is gone with its `webhooks::Webhook` variant.
    WebhookRemoved => "webhook removed",
    /// The payload property `Webhook::from_body` reads, or a webhook's value of it.
    WebhookTagChanged => "webhook tag changed",
    /// Prose, defaults or documented bounds.
    DocsChanged => "docs changed",
}

/// One change between two versions of a generated crate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: Kind,
    /// What it means for the crate's users.
    pub effect: Effect,
    /// The Rust item it touches, e.g. `organization_memberships().list()` or
    /// `models::OrganizationMembership::role`.
    pub item: String,
    /// The change itself, e.g. "`Option<String>` → `String`". Never the spec's prose.
    pub detail: String,
    /// JSON pointer in the old spec, when the item is there.
    pub old: Option<String>,
    /// JSON pointer in the new spec, when the item is there.
    pub new: Option<String>,
}
