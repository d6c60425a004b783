//! Without a retry extension in the spec, a refused connection is retried a few times, not for a
//! minute, and every retry is logged at `info`.
//!
//! The only test in its binary on purpose: tracing caches per-callsite interest process-wide
//! (see `tracing_redaction.rs`).

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use http::Method;
use sdkgen_runtime::{ApiDefaults, ClientBuilder, Error, RequestOptions, RequestSpec, RetryPolicy};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// Records the level and message of every event.
#[derive(Clone, Default)]
struct Events {
    seen: Arc<Mutex<Vec<(Level, String)>>>,
    next_id: Arc<AtomicU64>,
}

struct Message<'a>(&'a mut String);

impl Visit for Message<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            *self.0 = format!("{value:?}");
        }
    }
}

impl Subscriber for Events {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut message = String::new();
        event.record(&mut Message(&mut message));
        let level = *event.metadata().level();
        self.seen.lock().unwrap().push((level, message));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn the_default_policy_gives_up_on_a_refused_connection_after_four_attempts() {
    let events = Events::default();
    let _guard = tracing::subscriber::set_default(events.clone());
    // A port that was just free: nothing listens there, so every connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    const SPEC_WITHOUT_RETRIES: ApiDefaults = ApiDefaults {
        retry: RetryPolicy::DEFAULT,
        ..DEFAULTS
    };
    let core = ClientBuilder::new(SPEC_WITHOUT_RETRIES)
        .bearer_token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .build_core::<serde_json::Value>()
        .unwrap();

    let started = Instant::now();
    let result = core
        .execute::<serde_json::Value>(
            RequestSpec::new("ListThings", Method::GET, "/things"),
            &RequestOptions::new(),
        )
        .await;
    let elapsed = started.elapsed();

    match result {
        Err(Error::Transport { attempts, .. }) => assert_eq!(attempts, 4),
        other => panic!("expected a transport error, got {other:?}"),
    }
    // Three waits of at most 0.5, 1 and 2 s (full jitter): never the minute it used to take.
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    let retries: Vec<Level> = events
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, message)| message == "retrying request")
        .map(|(level, _)| *level)
        .collect();
    assert_eq!(retries, [Level::INFO; 3]);
}
