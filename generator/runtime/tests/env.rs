//! `token_from_env` — in its own test binary because it mutates the process environment.

mod common;

use common::*;
use sdkgen_runtime::{ClientBuilder, Error, RequestOptions, RequestSpec};
use wiremock::matchers::header;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn config_error(builder: ClientBuilder) -> String {
    match builder.build_core::<()>() {
        Err(Error::Config(msg)) => msg,
        other => panic!("expected Error::Config, got {other:?}"),
    }
}

#[tokio::test]
async fn token_from_env() {
    let var = DEFAULTS.secret_env_var.unwrap();
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer sk_from_env"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let build = || {
        ClientBuilder::new(DEFAULTS)
            .base_url(server.uri())
            .token_from_env()
    };

    let msg = config_error(build());
    assert!(
        msg.contains(var) && msg.contains("not set") && msg.contains("bearer_token"),
        "{msg}"
    );

    // SAFETY: this is the only test in this binary and nothing else in the process reads or
    // writes the environment concurrently.
    unsafe { std::env::set_var(var, "  ") };
    let msg = config_error(build());
    assert!(msg.contains(var) && msg.contains("empty"), "{msg}");

    // Surrounding whitespace (a trailing newline from `$(cat key.txt)`) is not part of the key.
    // SAFETY: as above.
    unsafe { std::env::set_var(var, "sk_from_env\n") };
    let core = build().build_core::<()>().unwrap();
    // SAFETY: as above.
    unsafe { std::env::remove_var(var) };
    // Read at build time: removing the variable afterwards changes nothing.
    let raw = core
        .execute::<()>(
            RequestSpec::new("Ping", http::Method::GET, "/ping"),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    assert_eq!(raw.status(), 204);
    assert!(!format!("{core:?}").contains("sk_from_env"));
}
