//! Shared helpers for the integration tests (included with `mod common;`).
#![allow(dead_code)]

use std::time::Duration;

use sdkgen_runtime::{
    ApiDefaults, AuthScheme, ClientBuilder, Core, Error, RetryPolicy, SecurityScheme, StatusMatch,
};

pub const TOKEN: &str = "sk_test_Sup3rS3cretValue";

pub const STATUSES: &[StatusMatch] = &[StatusMatch::Class(5), StatusMatch::Exact(429)];

/// Fast retries so the suite stays quick: 10 ms first wait, 50 ms cap, 5 s budget.
pub const FAST: RetryPolicy = RetryPolicy::backoff(
    Duration::from_millis(10),
    Duration::from_millis(50),
    Duration::from_secs(5),
    2.0,
    STATUSES,
    true,
);

pub const DEFAULTS: ApiDefaults = ApiDefaults {
    base_url: "https://api.invalid/v1",
    secret_env_var: Some("SDKGEN_RUNTIME_TEST_SECRET"),
    user_agent: "sdkgen-test/1.0",
    retry: FAST,
    schemes: &[SecurityScheme {
        name: "bearerAuth",
        kind: AuthScheme::Bearer,
    }],
    security: &[&["bearerAuth"]],
};

/// Defaults for an API whose only scheme is `kind`, named `key`.
pub const fn defaults_with(schemes: &'static [SecurityScheme]) -> ApiDefaults {
    ApiDefaults {
        schemes,
        security: &[&["key"]],
        ..DEFAULTS
    }
}

pub type E = Error<serde_json::Value>;

pub fn builder(base_url: &str) -> ClientBuilder {
    ClientBuilder::new(DEFAULTS)
        .bearer_token(TOKEN)
        .base_url(base_url)
}

pub fn core(base_url: &str) -> Core {
    builder(base_url)
        .build_core::<serde_json::Value>()
        .expect("valid test client")
}

pub fn core_with(base_url: &str, policy: RetryPolicy) -> Core {
    builder(base_url)
        .retry(policy)
        .build_core::<serde_json::Value>()
        .expect("valid test client")
}
