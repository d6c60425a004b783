//! The HTTP runtime shared by every generated SDK: client configuration, request building,
//! retries, error types and pagination.
//!
//! This module is copied verbatim from the sdkgen generator; it holds no API-specific code.
//! The generated modules call into it, and users reach its public types through the crate root.

#![deny(missing_docs)]

mod client;
pub mod double_option;
mod error;
mod hooks;
mod link_header;
mod multipart;
mod options;
mod pagination;
mod request;
mod response;
mod retry;
mod secret;

pub use self::client::{ApiDefaults, AuthScheme, ClientBuilder, Core};
pub use self::error::{ApiError, DecodeError, Error};
pub use self::hooks::{AttemptError, RequestInfo, ResponseInfo};
pub use self::multipart::Multipart;
pub use self::options::RequestOptions;
pub use self::pagination::{Cursor, Next, Page, PaginationError, PaginationErrorKind, paginate};
pub use self::request::{RequestSpec, plain_text};
pub use self::response::{RawResponse, Response};
pub use self::retry::{RetryPolicy, StatusMatch};
pub use self::secret::Secret;
