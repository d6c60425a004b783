//! SDK per-request overhead: the generated `clerk-backend` client against bare reqwest + serde,
//! both fetching the same 100-membership list page from an in-process axum server on
//! 127.0.0.1 and decoding it into the same generated model type.
//!
//! The server runs on its own thread (a current-thread runtime); the client side runs on the
//! calling thread in a current-thread runtime, so all client work (request building, hyper's
//! connection tasks, decoding) happens on one thread and its CPU time is `RUSAGE_THREAD`.
//! The two clients are measured in ABBA order within each mode to cancel drift.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::get;
use clerk_backend::models::OrganizationMemberships;
use serde_json::{Value, json};

use super::measure::thread_cpu;

const TOKEN: &str = "sk_test_4f8e2a1c9b7d6e5f";
const PAGE: usize = 100;

/// Latency and cost of one client in one mode.
pub struct Stats {
    pub requests: usize,
    pub median_us: f64,
    pub p99_us: f64,
    pub per_second: f64,
    pub cpu_us_per_call: f64,
}

/// Both clients in one mode (sequential, or `concurrency` requests in flight).
pub struct Mode {
    pub concurrency: usize,
    pub generated: Stats,
    pub bare: Stats,
}

/// The settings and results of the whole SDK benchmark.
pub struct Report {
    pub body_bytes: usize,
    pub warmup: usize,
    pub modes: Vec<Mode>,
}

pub fn run(warmup: usize, requests: usize, concurrency: usize) -> Result<Report, String> {
    let body = Bytes::from(page_json(PAGE).to_string());
    let body_bytes = body.len();

    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || -> Result<(), String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(async move {
            let listener =
                tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
            let app = Router::new().route(
                "/v1/organizations/{organization_id}/memberships",
                get(move |headers: HeaderMap| {
                    let body = body.clone();
                    async move { respond(&headers, body) }
                }),
            );
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .map_err(|e| e.to_string())
        })
    });

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let result = runtime.block_on(async {
        let generated = clerk_backend::Client::builder()
            .bearer_token(TOKEN)
            .base_url(format!("http://{addr}/v1"))
            .build()
            .map_err(|e| e.to_string())?;
        let bare = reqwest::Client::builder()
            .user_agent("clerk-backend/0.1.0")
            .build()
            .map_err(|e| e.to_string())?;
        let url = format!("http://{addr}/v1/organizations/org_123/memberships");

        let call_generated = || async {
            let page = generated
                .organization_memberships()
                .list("org_123")
                .limit(PAGE as i64)
                .send()
                .await
                .map_err(|e| format!("generated client: {e}"))?;
            check(&page)
        };
        let call_bare = || async {
            let page: OrganizationMemberships = bare
                .get(&url)
                .bearer_auth(TOKEN)
                .query(&[("limit", PAGE)])
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .map_err(|e| format!("bare reqwest: {e}"))?
                .json()
                .await
                .map_err(|e| format!("bare reqwest: {e}"))?;
            check(&page)
        };

        let mut modes = Vec::new();
        let mut levels = vec![1];
        if concurrency > 1 {
            levels.push(concurrency);
        }
        for level in levels {
            eprintln!(
                "bench: SDK overhead, concurrency {level}: {warmup} warm-up + {requests} measured requests per client"
            );
            drive(warmup, level, &call_generated).await?;
            drive(warmup, level, &call_bare).await?;
            // ABBA: generated, bare, bare, generated, each half the requests.
            let first = requests / 2;
            let second = requests - first;
            let g1 = drive(first, level, &call_generated).await?;
            let b1 = drive(first, level, &call_bare).await?;
            let b2 = drive(second, level, &call_bare).await?;
            let g2 = drive(second, level, &call_generated).await?;
            modes.push(Mode {
                concurrency: level,
                generated: g1.merge(g2).stats(),
                bare: b1.merge(b2).stats(),
            });
        }
        Ok::<_, String>(modes)
    });
    drop(runtime);
    let _ = stop.send(());
    match server.join() {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(format!("bench server: {e}")),
        Err(_) => return Err("bench server panicked".into()),
    }
    Ok(Report {
        body_bytes,
        warmup,
        modes: result?,
    })
}

fn respond(
    headers: &HeaderMap,
    body: Bytes,
) -> (StatusCode, [(header::HeaderName, &'static str); 1], Bytes) {
    let authorized = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.strip_prefix("Bearer ") == Some(TOKEN));
    if authorized {
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "application/json")],
            Bytes::from_static(br#"{"errors":[]}"#),
        )
    }
}

fn check(page: &OrganizationMemberships) -> Result<(), String> {
    if page.data.len() == PAGE {
        Ok(())
    } else {
        Err(format!(
            "expected {PAGE} memberships, decoded {}",
            page.data.len()
        ))
    }
}

/// Raw measurements of one or more rounds.
struct Samples {
    latencies: Vec<Duration>,
    wall: Duration,
    cpu: Duration,
}

impl Samples {
    fn merge(mut self, other: Samples) -> Samples {
        self.latencies.extend(other.latencies);
        self.wall += other.wall;
        self.cpu += other.cpu;
        self
    }

    fn stats(mut self) -> Stats {
        self.latencies.sort_unstable();
        let n = self.latencies.len().max(1);
        let at = |q: f64| {
            let index = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
            self.latencies
                .get(index)
                .map_or(0.0, |d| d.as_secs_f64() * 1e6)
        };
        Stats {
            requests: self.latencies.len(),
            median_us: at(0.5),
            p99_us: at(0.99),
            per_second: self.latencies.len() as f64 / self.wall.as_secs_f64().max(1e-9),
            cpu_us_per_call: self.cpu.as_secs_f64() * 1e6 / n as f64,
        }
    }
}

/// `total` calls with `concurrency` of them in flight, each timed from call to decoded page.
async fn drive<F, Fut>(total: usize, concurrency: usize, call: &F) -> Result<Samples, String>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let next = AtomicUsize::new(0);
    let cpu = thread_cpu();
    let started = Instant::now();
    let workers = (0..concurrency).map(|_| async {
        let mut latencies = Vec::with_capacity(total / concurrency + 1);
        while next.fetch_add(1, Ordering::Relaxed) < total {
            let t = Instant::now();
            call().await?;
            latencies.push(t.elapsed());
        }
        Ok::<_, String>(latencies)
    });
    let results = futures_util::future::join_all(workers).await;
    let wall = started.elapsed();
    let cpu = thread_cpu().saturating_sub(cpu);
    let mut latencies = Vec::with_capacity(total);
    for result in results {
        latencies.extend(result?);
    }
    Ok(Samples {
        latencies,
        wall,
        cpu,
    })
}

/// A page of `count` memberships shaped like Clerk's (the same document the generated crate's
/// HTTP tests use: nested organization and user data, nulls, unknown extra fields).
fn page_json(count: usize) -> Value {
    let data: Vec<Value> = (0..count)
        .map(|i| membership_json(&format!("orgmem_{i}"), &format!("user_{i}")))
        .collect();
    json!({"data": data, "total_count": 2 * count})
}

fn membership_json(id: &str, user_id: &str) -> Value {
    json!({
        "id": id,
        "object": "organization_membership",
        "role": "org:admin",
        "role_name": "Admin",
        "permissions": ["org:sys_memberships:manage", "org:sys_profile:read"],
        "public_metadata": {"team": "platform", "nested": {"level": 2, "none": null}},
        "private_metadata": {"seat_id": 42},
        "organization": {
            "object": "organization",
            "id": "org_123",
            "name": "Acme Inc",
            "slug": "acme-inc",
            "image_url": "https://img.example.com/org_123.png",
            "has_image": true,
            "members_count": 12,
            "missing_member_with_elevated_permissions": false,
            "pending_invitations_count": 2,
            "max_allowed_memberships": 0,
            "admin_delete_enabled": true,
            "public_metadata": {"plan": "business"},
            "private_metadata": {"billing_id": "cus_001"},
            "created_by": "user_001",
            "created_at": 1_700_000_000_000_i64,
            "updated_at": 1_716_000_000_000_i64,
            "last_active_at": 1_717_000_000_000_i64,
            "role_set_key": null,
            "a_field_added_later": {"nested": [1, 2, 3]}
        },
        "public_user_data": {
            "user_id": user_id,
            "first_name": "Jane",
            "last_name": null,
            "profile_image_url": null,
            "image_url": "https://img.example.com/user_456.png",
            "has_image": true,
            "identifier": "jane@example.com",
            "username": null,
            "banned": false,
            "deprovisioned": false,
            "unknown_user_field": "ignored"
        },
        "created_at": 1_717_000_000_000_i64,
        "updated_at": 1_717_000_500_000_i64,
        "unknown_top_level_field": {"from": "a newer API version"}
    })
}
