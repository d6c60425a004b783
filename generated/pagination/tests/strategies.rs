//! Every pagination strategy over real HTTP: an in-process server on 127.0.0.1 pages a known
//! set of 7 items in pages of 2 the way one API style does; `stream()` must yield exactly those
//! items in order and keep the filter (`color=red`) and page size on every request. Then the
//! servers that would make a stream run forever: each must end it with an error, in a bounded
//! number of requests.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::StreamExt;
use paging_fixture::runtime::PaginationErrorKind;
use paging_fixture::{Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOTAL: usize = 7;
const PAGE: usize = 2;

/// Item `i` (1-based) of the known set.
fn item(i: usize) -> Value {
    json!({ "id": format!("it_{i}"), "n": i })
}

/// Items `from..` (0-based start), at most `PAGE` of them.
fn page_from(from: usize) -> Vec<Value> {
    (from..TOTAL.min(from + PAGE))
        .map(|i| item(i + 1))
        .collect()
}

/// The 0-based start after the item with this id.
fn after_id(id: &str) -> usize {
    id.strip_prefix("it_")
        .and_then(|n| n.parse().ok())
        .expect("an item id")
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn number(request: &Request, name: &str) -> Option<usize> {
    query(request, name).map(|v| v.parse().expect("a number"))
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// A server answering GET `route` (under `/v1`) with `respond`.
async fn serve(
    route: &str,
    respond: impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1{route}")))
        .respond_with(respond)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .no_retries()
        .build()
        .expect("the client builds")
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

/// The ids a stream yielded, failing on any error.
async fn ids<S>(stream: S) -> Vec<String>
where
    S: futures_util::Stream<Item = Result<paging_fixture::models::Item, Error>>,
{
    let items: Vec<_> = std::pin::pin!(stream).collect().await;
    items
        .into_iter()
        .map(|r| r.expect("every page succeeds").id)
        .collect()
}

fn all_ids() -> Vec<String> {
    (1..=TOTAL).map(|i| format!("it_{i}")).collect()
}

/// Every request kept the filter, and `size_param` when given.
fn assert_kept(requests: &[Request], size_param: Option<&str>) {
    for request in requests {
        assert_eq!(
            query(request, "color").as_deref(),
            Some("red"),
            "filter lost in {}",
            request.url
        );
        if let Some(size) = size_param {
            assert_eq!(
                number(request, size),
                Some(PAGE),
                "page size lost in {}",
                request.url
            );
        }
    }
}

/// The items and the final error of a stream that is expected to fail.
async fn until_error<S>(stream: S) -> (Vec<String>, Error)
where
    S: futures_util::Stream<Item = Result<paging_fixture::models::Item, Error>>,
{
    let results: Vec<_> = std::pin::pin!(stream).take(100).collect().await;
    let mut ids = Vec::new();
    let mut error = None;
    for result in results {
        match result {
            Ok(item) if error.is_none() => ids.push(item.id),
            Ok(item) => panic!("item {} after the error", item.id),
            Err(e) => {
                assert!(error.is_none(), "two errors");
                error = Some(e);
            }
        }
    }
    (ids, error.expect("the stream ends with an error"))
}

fn pagination_kind(error: &Error) -> PaginationErrorKind {
    match error {
        Error::Pagination(e) => e.kind().clone(),
        other => panic!("expected Error::Pagination, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Offsets and page numbers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn offset_with_a_total_stops_at_the_total() {
    let server = serve("/offset/total", |r| {
        let offset = number(r, "offset").unwrap_or(0);
        ok(json!({ "data": page_from(offset), "total_count": TOTAL }))
    })
    .await;
    let stream = client(&server)
        .offsets()
        .list_with_total()
        .color("red")
        .limit(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    let offsets: Vec<_> = requests.iter().map(|r| number(r, "offset")).collect();
    assert_eq!(offsets, [Some(0), Some(2), Some(4), Some(6)]);
    assert_kept(&requests, Some("limit"));
}

#[tokio::test]
async fn offset_typed_number_is_sent_as_whole_numbers() {
    // `number` offsets go out as `2`, not `2.0` (`number()` parses an integer or panics).
    let server = serve("/offset/numbers", |r| {
        let offset = number(r, "offset").unwrap_or(0);
        ok(json!({ "data": page_from(offset), "total_count": TOTAL }))
    })
    .await;
    let stream = client(&server)
        .offsets()
        .list_number_typed()
        .color("red")
        .limit(2.0)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    let offsets: Vec<_> = requests.iter().map(|r| number(r, "offset")).collect();
    assert_eq!(offsets, [Some(0), Some(2), Some(4), Some(6)]);
    assert_kept(&requests, Some("limit"));
}

#[tokio::test]
async fn offset_over_a_bare_array_stops_at_an_empty_page() {
    let server = serve("/offset/bare", |r| {
        ok(json!(page_from(number(r, "offset").unwrap_or(0))))
    })
    .await;
    let stream = client(&server)
        .offsets()
        .list_bare_array()
        .color("red")
        .limit(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    let offsets: Vec<_> = requests.iter().map(|r| number(r, "offset")).collect();
    assert_eq!(offsets, [Some(0), Some(2), Some(4), Some(6), Some(7)]);
    assert_kept(&requests, Some("limit"));
}

#[tokio::test]
async fn offset_moves_by_the_page_size_the_server_reports() {
    // Box: a page may hold fewer entries than its page size (item 3 is not visible to this
    // caller) without being the last; the next offset is offset + the reported `limit`. Moving
    // by the entries received would ask for offset 3 and yield item 4 twice.
    let server = serve("/offset/reported-limit", |r| {
        let offset = number(r, "offset").unwrap_or(0);
        let entries: Vec<Value> = (offset..TOTAL.min(offset + PAGE))
            .filter(|position| *position != 2)
            .map(|position| item(position + 1))
            .collect();
        ok(json!({
            "entries": entries,
            "limit": PAGE,
            "offset": offset,
            "total_count": TOTAL,
            "order": [{ "by": "id" }],
        }))
    })
    .await;
    let stream = client(&server)
        .offsets()
        .list_reported_limit()
        .color("red")
        .limit(2)
        .stream();
    assert_eq!(
        ids(stream).await,
        ["it_1", "it_2", "it_4", "it_5", "it_6", "it_7"]
    );
    let requests = requests(&server).await;
    let offsets: Vec<_> = requests.iter().map(|r| number(r, "offset")).collect();
    assert_eq!(offsets, [Some(0), Some(2), Some(4), Some(6)]);
    assert_kept(&requests, Some("limit"));
}

#[tokio::test]
async fn page_numbers_stop_after_the_last_page() {
    let server = serve("/pages", |r| {
        let page = number(r, "page").expect("the page is always sent");
        let per_page = number(r, "per_page").unwrap_or(PAGE);
        ok(json!({
            "items": page_from((page - 1) * per_page),
            "total_pages": TOTAL.div_ceil(per_page),
        }))
    })
    .await;
    let stream = client(&server)
        .pages()
        .list()
        .color("red")
        .per_page(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    let pages: Vec<_> = requests.iter().map(|r| number(r, "page")).collect();
    assert_eq!(pages, [Some(1), Some(2), Some(3), Some(4)]);
    assert_kept(&requests, Some("per_page"));
}

// ---------------------------------------------------------------------------------------------
// Cursors and tokens
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn starting_after_the_last_item_while_has_more() {
    let server = serve("/cursor/starting-after", |r| {
        let from = query(r, "starting_after").map_or(0, |id| after_id(&id));
        ok(json!({
            "object": "list",
            "data": page_from(from),
            "has_more": from + PAGE < TOTAL,
        }))
    })
    .await;
    let stream = client(&server)
        .cursors()
        .list_starting_after()
        .color("red")
        .limit(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    let cursors: Vec<_> = requests
        .iter()
        .map(|r| query(r, "starting_after"))
        .collect();
    assert_eq!(
        cursors,
        [
            None,
            Some("it_2".into()),
            Some("it_4".into()),
            Some("it_6".into())
        ]
    );
    assert_kept(&requests, Some("limit"));
}

#[tokio::test]
async fn after_the_last_id_while_has_more() {
    let server = serve("/cursor/after", |r| {
        assert_eq!(query(r, "order").as_deref(), Some("desc"), "{}", r.url);
        let from = query(r, "after").map_or(0, |id| after_id(&id));
        let data = page_from(from);
        ok(json!({
            "object": "list",
            "first_id": data.first().map(|i| i["id"].clone()),
            "last_id": data.last().map(|i| i["id"].clone()),
            "has_more": from + PAGE < TOTAL,
            "data": data,
        }))
    })
    .await;
    let stream = client(&server)
        .cursors()
        .list_after_last_id()
        .color("red")
        .order("desc")
        .limit(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4);
    assert_kept(&requests, Some("limit"));
}

/// `next_cursor` values that are not item ids, so the test sees they come from the field.
fn cursor_for(start: usize) -> String {
    format!("c{start}")
}

fn start_of(cursor: Option<String>) -> usize {
    cursor.map_or(0, |c| c[1..].parse().expect("a cursor from this server"))
}

#[tokio::test]
async fn cursor_from_a_nested_field_until_there_is_none() {
    let server = serve("/cursor/next-cursor", |r| {
        let from = start_of(query(r, "cursor"));
        let next = (from + PAGE < TOTAL).then(|| cursor_for(from + PAGE));
        ok(json!({ "results": page_from(from), "meta": { "next_cursor": next } }))
    })
    .await;
    let stream = client(&server)
        .cursors()
        .list_next()
        .color("red")
        .limit(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4);
    assert_kept(&requests, Some("limit"));
}

#[tokio::test]
async fn box_marker_from_next_marker() {
    let server = serve("/cursor/marker", |r| {
        let from = start_of(query(r, "marker"));
        let next = (from + PAGE < TOTAL).then(|| cursor_for(from + PAGE));
        ok(json!({ "entries": page_from(from), "next_marker": next, "limit": PAGE }))
    })
    .await;
    let stream = client(&server)
        .cursors()
        .list_marker()
        .color("red")
        .limit(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4);
    assert_kept(&requests, Some("limit"));
}

#[tokio::test]
async fn spotify_cursor_inside_a_paging_object() {
    let server = serve("/cursor/nested", |r| {
        let from = start_of(query(r, "after"));
        let next = (from + PAGE < TOTAL).then(|| cursor_for(from + PAGE));
        ok(json!({ "artists": { "href": "x", "items": page_from(from), "cursors": { "after": next } } }))
    })
    .await;
    let stream = client(&server)
        .cursors()
        .list_nested()
        .color("red")
        .limit(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4);
    assert_kept(&requests, Some("limit"));
}

#[tokio::test]
async fn google_page_token_keeps_the_filters() {
    let server = serve("/tokens/google", |r| {
        let from = start_of(query(r, "pageToken"));
        let mut body = json!({ "things": page_from(from) });
        if from + PAGE < TOTAL {
            body["nextPageToken"] = json!(cursor_for(from + PAGE));
        }
        ok(body)
    })
    .await;
    let stream = client(&server)
        .tokens()
        .list_page()
        .color("red")
        .page_size(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4);
    assert_kept(&requests, Some("pageSize"));
}

#[tokio::test]
async fn dropshot_sends_scan_parameters_with_the_first_page_only() {
    // Dropshot encodes the scan (here `sort_by`) in the token and rejects it next to one.
    let server = serve("/tokens/dropshot", |r| {
        let token = query(r, "page_token");
        if token.is_some() && query(r, "sort_by").is_some() {
            return ResponseTemplate::new(400).set_body_string("sort_by with page_token");
        }
        let from = start_of(token);
        let next = (from + PAGE < TOTAL).then(|| cursor_for(from + PAGE));
        ok(json!({ "items": page_from(from), "next_page": next }))
    })
    .await;
    let stream = client(&server)
        .tokens()
        .list_dropshot()
        .sort_by("name_descending")
        .limit(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4);
    assert_eq!(
        query(&requests[0], "sort_by").as_deref(),
        Some("name_descending")
    );
    for request in &requests {
        assert_eq!(number(request, "limit"), Some(PAGE), "{}", request.url);
    }
}

// ---------------------------------------------------------------------------------------------
// Next-page URLs: in the body, and in `Link` headers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn spotify_absolute_next_urls() {
    let server = MockServer::start().await;
    let base = format!("{}/v1", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1/next-url/absolute"))
        .respond_with(move |r: &Request| {
            let from = number(r, "offset").unwrap_or(0);
            let limit = number(r, "limit").expect("the limit is in every URL");
            let next = (from + limit < TOTAL).then(|| {
                format!(
                    "{base}/next-url/absolute?offset={}&limit={limit}&color=red",
                    from + limit
                )
            });
            ok(json!({ "href": "x", "items": page_from(from), "next": next }))
        })
        .mount(&server)
        .await;
    let stream = client(&server)
        .links()
        .list_next_url()
        .color("red")
        .limit(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4);
    assert_kept(&requests, Some("limit"));
}

#[tokio::test]
async fn twilio_relative_next_page_uris() {
    let server = serve("/next-url/relative.json", |r| {
        let page = number(r, "Page").unwrap_or(0);
        let size = number(r, "PageSize").expect("the page size is in every URL");
        let from = page * size;
        let next = (from + size < TOTAL).then(|| {
            format!(
                "/v1/next-url/relative.json?color=red&PageSize={size}&Page={}&PageToken=PA{}",
                page + 1,
                from + size
            )
        });
        ok(json!({
            "calls": page_from(from),
            "first_page_uri": "/v1/next-url/relative.json?color=red&PageSize=2&Page=0",
            "next_page_uri": next,
            "page": page,
            "page_size": size,
        }))
    })
    .await;
    let stream = client(&server)
        .links()
        .list_next_page_uri()
        .color("red")
        .page_size(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4);
    assert_kept(&requests, Some("PageSize"));
}

#[tokio::test]
async fn github_link_headers() {
    let server = serve("/pages/link", |r| {
        let page = number(r, "page").unwrap_or(1);
        let per_page = number(r, "per_page").expect("per_page is in every URL");
        let from = (page - 1) * per_page;
        let mut reply = ok(json!(page_from(from)));
        let last = TOTAL.div_ceil(per_page);
        let mut links = vec![format!(
            "</v1/pages/link?per_page={per_page}&page={last}&color=red>; rel=\"last\""
        )];
        if page < last {
            links.insert(
                0,
                format!(
                    "</v1/pages/link?per_page={per_page}&page={}&color=red>; rel=\"next\"",
                    page + 1
                ),
            );
        }
        reply = reply.insert_header("link", links.join(", ").as_str());
        reply
    })
    .await;
    let stream = client(&server)
        .links()
        .list_by_link_header()
        .color("red")
        .per_page(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4);
    assert_kept(&requests, Some("per_page"));
}

// ---------------------------------------------------------------------------------------------
// Declared paging: x-speakeasy-pagination and sdkgen.toml
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn x_speakeasy_pagination_cursor_from_the_last_row() {
    let server = serve("/declared/extension", |r| {
        let from = query(r, "since").map_or(0, |id| after_id(&id));
        let max = number(r, "max").expect("max is kept");
        ok(json!({ "rows": (from..TOTAL.min(from + max)).map(|i| item(i + 1)).collect::<Vec<_>>() }))
    })
    .await;
    let stream = client(&server)
        .declared()
        .list()
        .color("red")
        .max(2)
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    // No `has_more`: an empty page ends it.
    assert_eq!(requests.len(), 5);
    assert_kept(&requests, Some("max"));
}

#[tokio::test]
async fn sdkgen_toml_rule_cursor_under_unusual_names() {
    let server = serve("/declared/config", |r| {
        let from = start_of(query(r, "from"));
        let next = (from + PAGE < TOTAL).then(|| cursor_for(from + PAGE));
        ok(json!({ "rows": page_from(from), "continue_from": next }))
    })
    .await;
    let stream = client(&server)
        .declared()
        .list_configured()
        .color("red")
        .stream();
    assert_eq!(ids(stream).await, all_ids());
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4);
    assert_kept(&requests, None);
}

// ---------------------------------------------------------------------------------------------
// Servers that would make a stream run forever, or lead it astray
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_repeating_cursor_ends_with_an_error() {
    let server = serve("/cursor/next-cursor", |r| {
        let from = if query(r, "cursor").is_some() { 2 } else { 0 };
        ok(json!({ "results": page_from(from), "meta": { "next_cursor": "same" } }))
    })
    .await;
    let stream = client(&server).cursors().list_next().color("red").stream();
    let (ids, error) = until_error(stream).await;
    assert_eq!(ids, ["it_1", "it_2", "it_3", "it_4"]);
    assert_eq!(pagination_kind(&error), PaginationErrorKind::RepeatedCursor);
    assert_eq!(requests(&server).await.len(), 2);
    assert!(error.to_string().contains("ListNextCursor"), "{error}");
}

#[tokio::test]
async fn a_next_url_pointing_to_itself_ends_with_an_error() {
    let server = MockServer::start().await;
    let base = format!("{}/v1", server.uri());
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    Mock::given(method("GET"))
        .and(path("/v1/next-url/absolute"))
        .respond_with(move |r: &Request| {
            // Different items each time, so only the repeated URL can stop the loop.
            let call = counter.fetch_add(1, Ordering::SeqCst);
            let own = format!("{base}/next-url/absolute?{}", r.url.query().unwrap_or(""));
            ok(json!({ "href": own, "items": [item(call + 1)], "next": own }))
        })
        .mount(&server)
        .await;
    let stream = client(&server)
        .links()
        .list_next_url()
        .color("red")
        .stream();
    let (ids, error) = until_error(stream).await;
    assert_eq!(ids, ["it_1", "it_2"]);
    assert_eq!(pagination_kind(&error), PaginationErrorKind::RepeatedCursor);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn offset_paging_against_a_server_that_ignores_offset_ends_with_an_error() {
    // Issue 17 item 4: the same page forever, with a huge total.
    let server = serve("/offset/total", |_| {
        ok(json!({ "data": page_from(0), "total_count": 9_000_000_000_000_i64 }))
    })
    .await;
    let stream = client(&server)
        .offsets()
        .list_with_total()
        .limit(2)
        .stream();
    let (ids, error) = until_error(stream).await;
    assert_eq!(ids, ["it_1", "it_2"]);
    assert_eq!(pagination_kind(&error), PaginationErrorKind::RepeatedPage);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_next_url_on_another_host_is_not_followed() {
    let server = serve("/next-url/absolute", |_| {
        ok(json!({ "items": page_from(0), "next": "https://elsewhere.invalid/v1/next-url/absolute?offset=2" }))
    })
    .await;
    let stream = client(&server).links().list_next_url().stream();
    let (ids, error) = until_error(stream).await;
    assert_eq!(ids, ["it_1", "it_2"]);
    assert!(matches!(
        pagination_kind(&error),
        PaginationErrorKind::Refused(reason) if reason.contains("another origin")
    ));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn has_more_without_a_last_id_ends_with_an_error() {
    let server = serve("/cursor/after", |_| {
        ok(json!({
            "object": "list", "data": page_from(0), "first_id": null, "last_id": null, "has_more": true,
        }))
    })
    .await;
    let stream = client(&server).cursors().list_after_last_id().stream();
    let (ids, error) = until_error(stream).await;
    assert_eq!(ids, ["it_1", "it_2"]);
    assert_eq!(
        pagination_kind(&error),
        PaginationErrorKind::MissingCursor("last_id")
    );
}

#[tokio::test]
async fn a_failed_page_is_yielded_as_an_error_and_ends_the_stream() {
    let server = serve("/cursor/next-cursor", |r| {
        if query(r, "cursor").is_some() {
            return ResponseTemplate::new(503);
        }
        ok(json!({ "results": page_from(0), "meta": { "next_cursor": "c2" } }))
    })
    .await;
    let stream = client(&server).cursors().list_next().stream();
    let (ids, error) = until_error(stream).await;
    assert_eq!(ids, ["it_1", "it_2"]);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
    assert_eq!(requests(&server).await.len(), 2);
}
