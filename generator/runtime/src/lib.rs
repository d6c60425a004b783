//! The HTTP runtime shared by every generated SDK: client configuration, request building,
//! retries, error types and pagination.
//!
//! This module is copied verbatim from the sdkgen generator; it holds no API-specific code.
//! The generated modules call into it, and users reach its public types through the crate root.
//! Items marked `#[doc(hidden)]` are for generated code only and may change between versions.

#![deny(missing_docs)]

mod auth;
mod call;
mod client;
#[doc(hidden)]
pub mod decode;
#[doc(hidden)]
pub mod encode;
mod error;
mod form;
mod hooks;
mod link_header;
mod multipart;
mod open_enum;
mod options;
mod pagination;
mod request;
mod response;
mod retry;
mod secret;

#[doc(hidden)]
pub use self::auth::{AuthScheme, Security, SecurityScheme};
#[doc(hidden)]
pub use self::call::into_body;
pub use self::client::ClientBuilder;
#[doc(hidden)]
pub use self::client::{ApiDefaults, Core};
pub use self::error::{ApiError, DecodeError, Error, TimeLimit};
#[doc(hidden)]
pub use self::form::Style;
pub use self::hooks::{AttemptError, RequestInfo, ResponseInfo};
pub use self::multipart::Multipart;
// Generated structs and unions call `crate::runtime::decode_object!`, `encode_object!`,
// `decode_untagged!` and `encode_union!`; a crate without them does not.
#[allow(unused_imports)]
pub(crate) use self::decode::{decode_object, decode_untagged};
#[allow(unused_imports)]
pub(crate) use self::encode::{encode_object, encode_union};
// Generated string enums call `crate::runtime::open_enum!`; a crate without any does not.
#[allow(unused_imports)]
pub(crate) use self::open_enum::open_enum;
pub use self::options::RequestOptions;
#[doc(hidden)]
pub use self::pagination::{Cursor, Next, Page, paginate, read_page};
pub use self::pagination::{PaginationError, PaginationErrorKind};
#[doc(hidden)]
pub use self::request::{RequestSpec, plain_text};
#[doc(hidden)]
pub use self::response::RawResponse;
pub use self::response::Response;
pub use self::retry::{RetryPolicy, StatusMatch};
pub use self::secret::Secret;
