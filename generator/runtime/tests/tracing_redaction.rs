//! The bearer token and request data never reach tracing output.
//!
//! This is the only test in its binary on purpose: tracing caches per-callsite interest
//! process-wide, and a concurrent test hitting the same callsites before this test installs its
//! subscriber can make the span invisible to it.

mod common;

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use common::*;
use http::Method;
use sdkgen_runtime::{RequestOptions, RequestSpec};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A subscriber that records every span name, span field, event message and event field as
/// text, at every level, so the test sees everything any subscriber could print.
#[derive(Clone, Default)]
struct Capture {
    out: Arc<Mutex<String>>,
    next_id: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Capture {
    fn text(&self) -> String {
        self.out.lock().unwrap().clone()
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut out = self.out.lock().unwrap();
        let _ = write!(out, "\nspan {}:", span.metadata().name());
        span.record(&mut Fields(&mut out));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut out = self.out.lock().unwrap();
        out.push_str("\nrecord:");
        values.record(&mut Fields(&mut out));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut out = self.out.lock().unwrap();
        let _ = write!(out, "\nevent {}:", event.metadata().target());
        event.record(&mut Fields(&mut out));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn token_never_reaches_tracing_output() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let core = core(&server.uri());

    let mut spec = RequestSpec::new("GetUser", Method::GET, "/users/{user_id}");
    spec.path_param("user_id", "user_private_123");
    spec.query("email", "person@example.com");
    let options = RequestOptions::new().header("x-session", "session-secret-value");
    let raw = core.execute::<()>(spec, &options).await.unwrap();
    assert_eq!((raw.status().as_u16(), raw.attempts()), (401, 2));

    // A transport failure, too.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let offline = builder(&format!("http://127.0.0.1:{port}"))
        .no_retries()
        .build_core::<()>()
        .unwrap();
    let _ = offline
        .execute::<()>(RequestSpec::new("GetUser", Method::GET, "/x"), &options)
        .await;

    let text = capture.text();
    // The capture works: the span, its fields and the retry event are there.
    for expected in [
        "span http.request",
        "operation_id=\"GetUser\"",
        "path_template=\"/users/{user_id}\"",
        "retrying request",
        "status=401",
        "attempts=2",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for secret in [
        TOKEN,
        "Bearer",
        "session-secret-value",
        "user_private_123",
        "person@example.com",
    ] {
        assert!(
            !text.contains(secret),
            "{secret:?} leaked into tracing output:\n{text}"
        );
    }
}
