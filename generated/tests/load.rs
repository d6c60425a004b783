//! Load: 1,000 concurrent calls sharing one client against a local wiremock server all
//! succeed, and memory does not grow from one round of 1,000 to the next.
//!
//! RSS is read from `/proc/self/status` (Linux; elsewhere the figures print as unknown and the
//! growth check is skipped). The server does not record requests, so what grows is the client.

use std::time::{Duration, Instant};

use clerk_backend::Client;
use serde_json::json;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CALLS: usize = 1_000;

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn membership(i: usize) -> serde_json::Value {
    json!({
        "id": format!("orgmem_{i}"), "object": "organization_membership", "role": "org:member",
        "permissions": ["org:sys_profile:read"], "public_metadata": { "i": i },
        "private_metadata": {}, "created_at": 1_717_000_000_000_i64,
        "updated_at": 1_717_000_000_000_i64,
        "organization": {
            "object": "organization", "id": "org_1", "name": "Acme", "slug": "acme",
            "image_url": "https://img.example.com/o.png", "has_image": false,
            "max_allowed_memberships": 0, "admin_delete_enabled": true, "public_metadata": {},
            "private_metadata": {}, "created_at": 1, "updated_at": 2,
        },
    })
}

/// One round: `CALLS` list calls at once (each decoding a 10-item page), half of them through
/// `send_with_response`. Returns the elapsed time.
async fn round(client: &Client) -> Duration {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..CALLS {
        let client = client.clone();
        tasks.spawn(async move {
            let memberships = client.organization_memberships();
            let request = memberships.list(format!("org_{i}")).limit(10);
            if i % 2 == 0 {
                request.send().await.map(|page| page.data.len())
            } else {
                request
                    .send_with_response()
                    .await
                    .map(|r| r.into_body().data.len())
            }
        });
    }
    let mut ok = 0;
    while let Some(joined) = tasks.join_next().await {
        let items = joined
            .expect("no task panicked")
            .expect("every call succeeds");
        assert_eq!(items, 10);
        ok += 1;
    }
    assert_eq!(ok, CALLS);
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_on_one_client() {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let page = json!({ "data": (0..10).map(membership).collect::<Vec<_>>(), "total_count": 10 });
    Mock::given(method("GET"))
        .and(path_regex("^/v1/organizations/org_[0-9]+/memberships$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let client = Client::builder()
        .bearer_token("sk_test_load")
        .base_url(format!("{}/v1", server.uri()))
        .no_retries()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("the client builds");

    let start = rss_kib();
    let warm_up = round(&client).await;
    let mut rss = vec![rss_kib()];
    let mut times = Vec::new();
    for _ in 0..3 {
        times.push(round(&client).await);
        rss.push(rss_kib());
    }

    let show = |kib: &Option<u64>| kib.map_or("unknown".to_owned(), |k| format!("{k} KiB"));
    println!(
        "load: {CALLS} concurrent calls per round; warm-up {} ms, rounds {:?} ms",
        warm_up.as_millis(),
        times.iter().map(Duration::as_millis).collect::<Vec<_>>()
    );
    println!(
        "load: VmRSS start {}, after warm-up {}, after each round {:?}",
        show(&start),
        show(&rss[0]),
        rss[1..].iter().map(show).collect::<Vec<_>>()
    );
    // The warm-up sizes the connection pool and the allocator's arenas. Retaining anything per
    // call would then grow memory by the same amount every round (each page is about 8 KiB of
    // JSON: about 8 MiB per round of 1,000); allocator noise does not repeat. So: at least one
    // of rounds 2 and 3 grows by less than 4 MiB, and the three together by less than 24 MiB.
    if let Some(rss) = rss.into_iter().collect::<Option<Vec<u64>>>() {
        let growth: Vec<u64> = rss.windows(2).map(|w| w[1].saturating_sub(w[0])).collect();
        let total = rss[3].saturating_sub(rss[0]);
        println!("load: growth per round {growth:?} KiB, {total} KiB over 3,000 calls");
        assert!(
            growth[1].min(growth[2]) < 4 * 1024,
            "RSS keeps growing: {growth:?} KiB per round"
        );
        assert!(
            total < 24 * 1024,
            "RSS grew by {total} KiB over three rounds"
        );
    }
    let all: Duration = times.iter().sum::<Duration>() + warm_up;
    assert!(all < Duration::from_secs(10), "four rounds took {all:?}");
}
