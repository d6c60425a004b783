//! Paging through a list endpoint as a lazy stream of items, whatever the paging style.
//!
//! Generated `stream()` methods describe one strategy each: what identifies a page (an offset,
//! a page number, a cursor or token, a next-page URL) and, from each page, where the next one is
//! ([`Next`]). [`paginate`] drives them all and guards against servers that would make a
//! stream run forever: a cursor or URL seen before, a page identical to the previous one, or a
//! long run of empty pages ends the stream with [`Error::Pagination`].

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::hash::Hash;

use futures_core::Stream;
use futures_util::TryFutureExt;
use futures_util::future::MapOk;
use http::HeaderMap;

use super::error::{Capped, Error, write_capped};

/// Empty pages in a row after which a stream that is still told to go on gives up. Some APIs
/// return an empty page now and then (everything on it was filtered out); none returns this
/// many in a row and still has items.
const MAX_EMPTY_PAGES: u32 = 5;

/// One page of a list endpoint: its items, and where the next page is.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T, S> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Where to go next, as this page says.
    pub next: Next<S>,
}

/// A page request's future: the call's, with its reply read into a [`Page`] by `read` when it
/// arrives. A plain `map_ok` rather than an `async` block per list operation, which rustc would
/// check as a state machine of its own.
pub fn read_page<Fut, R, T, S, B, P>(call: Fut, read: P) -> MapOk<Fut, P>
where
    Fut: Future<Output = Result<R, Error<B>>>,
    P: FnOnce(R) -> Page<T, S>,
{
    call.map_ok(read)
}

/// Where the next page is, as the last page said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next<S> {
    /// Fetch the page identified by this (an offset, a page number, a cursor, a URL).
    At(S),
    /// There are no more pages.
    End,
    /// The page says there is more (`has_more: true`) but not where: this response field,
    /// which should hold the cursor, was absent or empty.
    Missing(&'static str),
    /// The server pointed at a next page that cannot be followed safely.
    Refused(String),
}

impl Next<i64> {
    /// Offset paging: the page at `offset` brought `received` items. The next offset moves by
    /// `step` (the page size the server reports, when it does: some APIs return fewer items
    /// than the page size without being at the end) or else by the items received. It ends at
    /// `total` when the server reports one, and at an empty page when nothing says there is
    /// more.
    pub fn offset(offset: i64, received: usize, step: Option<i64>, total: Option<i64>) -> Self {
        let received = i64::try_from(received).unwrap_or(i64::MAX);
        let step = step.filter(|s| *s > 0).unwrap_or(0).max(received);
        if step == 0 || (received == 0 && total.is_none()) {
            return Next::End;
        }
        let next = offset.saturating_add(step);
        if next == i64::MAX || total.is_some_and(|total| next >= total) {
            return Next::End;
        }
        Next::At(next)
    }

    /// Page-number paging: page `page` brought `received` items. Ends at an empty page, after
    /// the last page when the server reports how many there are (`total_pages`, counted from
    /// `first`), or when it says there are no more (`has_more`).
    pub fn page(
        page: i64,
        first: i64,
        received: usize,
        total_pages: Option<i64>,
        has_more: Option<bool>,
    ) -> Self {
        if received == 0 || has_more == Some(false) {
            return Next::End;
        }
        if total_pages.is_some_and(|total| page >= first.saturating_add(total).saturating_sub(1)) {
            return Next::End;
        }
        match page.checked_add(1) {
            Some(next) => Next::At(next),
            None => Next::End,
        }
    }
}

impl<C: Cursor> Next<Option<C>> {
    /// Cursor or token paging. With a `has_more` flag it decides (and `true` without a cursor
    /// is [`Next::Missing`]); without one, an absent or empty cursor is the end.
    pub fn cursor(cursor: Option<C>, has_more: Option<bool>, field: &'static str) -> Self {
        let cursor = cursor.filter(|c| !c.is_end());
        match (has_more, cursor) {
            (Some(false), _) => Next::End,
            (Some(true), None) => Next::Missing(field),
            (_, Some(cursor)) => Next::At(Some(cursor)),
            (None, None) => Next::End,
        }
    }
}

impl Next<Option<String>> {
    /// A next-page URL from the response body (`next`, `next_page_uri`…). Relative references
    /// are resolved against the client's base URL; a URL on another host (or with another
    /// scheme or port) is refused, since following it would send the credential there.
    pub fn url(base_url: &str, next: Option<&str>) -> Self {
        match next.map(str::trim).filter(|n| !n.is_empty()) {
            None => Next::End,
            Some(next) => match resolve(base_url, next) {
                Ok(url) => Next::At(Some(url)),
                Err(reason) => Next::Refused(reason),
            },
        }
    }

    /// The `rel="next"` target of the response's `Link` headers (RFC 8288), resolved and
    /// checked like [`Next::url`]; no such link is the end.
    pub fn link(base_url: &str, headers: &HeaderMap) -> Self {
        Self::url(base_url, super::link_header::next_link(headers).as_deref())
    }
}

/// A cursor or page token value: a string, or an integer some APIs use instead.
pub trait Cursor: Clone + Eq + Hash {
    /// Whether this value means "no more pages" (an empty string).
    fn is_end(&self) -> bool;
}

impl Cursor for String {
    fn is_end(&self) -> bool {
        self.trim().is_empty()
    }
}

impl Cursor for i64 {
    fn is_end(&self) -> bool {
        false
    }
}

impl Cursor for i32 {
    fn is_end(&self) -> bool {
        false
    }
}

/// `next` resolved against `base_url` (RFC 3986), if it stays on the same origin.
fn resolve(base_url: &str, next: &str) -> Result<String, String> {
    // The base URL has no trailing slash; with one, a relative path stays below it.
    let base = reqwest::Url::parse(&format!("{}/", base_url.trim_end_matches('/')))
        .map_err(|_| "the client's base URL cannot be parsed".to_owned())?;
    let url = base
        .join(next)
        .map_err(|_| "the next-page link is not a valid URL".to_owned())?;
    if url.origin() != base.origin() {
        return Err(format!(
            "the next-page link points to another origin ({}://{}), not to the client's base URL; \
             it is not followed so that the credential is never sent there",
            url.scheme(),
            url.host_str().unwrap_or("?"),
        ));
    }
    Ok(url.into())
}

/// Why a stream stopped paging.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationErrorKind {
    /// The server sent a next-page cursor, token or URL it had already sent: following it would
    /// repeat pages forever.
    RepeatedCursor,
    /// A page added nothing new: it held only items of the page before it (the same page, or
    /// the same items in another order). The server ignores the paging parameter (for example
    /// `offset`), so the stream would yield the same items again and again.
    RepeatedPage,
    /// This many empty pages in a row, each saying there was more.
    EmptyPages(u32),
    /// The page said there were more items, but this response field, which should say where,
    /// was absent or empty.
    MissingCursor(&'static str),
    /// The next-page link could not be followed (why is in the text).
    Refused(String),
}

/// The error that ends a stream whose server would otherwise make it loop forever or that
/// points it somewhere it must not go. Items received before it were yielded.
#[derive(Clone, PartialEq, Eq)]
pub struct PaginationError {
    pub(super) operation_id: &'static str,
    pub(super) page: u32,
    pub(super) kind: PaginationErrorKind,
}

impl PaginationError {
    /// The operation being paged through.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The page (counted from 1) whose response ended the stream.
    pub fn page(&self) -> u32 {
        self.page
    }

    /// What went wrong.
    pub fn kind(&self) -> &PaginationErrorKind {
        &self.kind
    }
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` stopped paging at page {}: ",
            self.operation_id, self.page
        )?;
        match &self.kind {
            PaginationErrorKind::RepeatedCursor => f.write_str(
                "the server sent a next-page cursor it had already sent, so the pages would repeat forever",
            ),
            PaginationErrorKind::RepeatedPage => f.write_str(
                "the page is identical to the previous one (it holds only items already on it), so the server is not moving to the next page (it may ignore the paging parameter)",
            ),
            PaginationErrorKind::EmptyPages(n) => write!(
                f,
                "{n} empty pages in a row, each saying there are more items"
            ),
            PaginationErrorKind::MissingCursor(field) => write!(
                f,
                "the page says there are more items, but `{field}`, which says where they are, is absent or empty"
            ),
            // The reason can quote the server's link: capped like every server-derived text.
            PaginationErrorKind::Refused(reason) => write_capped(f, format_args!("{reason}")),
        }
    }
}

impl fmt::Debug for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaginationError")
            .field("operation_id", &self.operation_id)
            .field("page", &self.page)
            .field("kind", &Capped(&self.kind))
            .finish()
    }
}

impl std::error::Error for PaginationError {}

struct State<T, S, F> {
    operation_id: &'static str,
    fetch: F,
    /// The page to fetch next; `None` once the stream is over.
    next: Option<S>,
    buffer: VecDeque<T>,
    /// The items of the last page, to notice a server that keeps sending the same one.
    previous: Vec<T>,
    /// Every page identifier used so far: meeting one again means a loop.
    seen: HashSet<S>,
    pages: u32,
    empty_run: u32,
    /// Ends the stream once this page's items have been yielded.
    pending: Option<PaginationErrorKind>,
}

/// Streams every item of a paged list, fetching pages only as they are needed.
///
/// `fetch(at)` loads the page identified by `at`, starting with `first`, and says where the
/// next one is. The stream ends at [`Next::End`]. A failed fetch is yielded as an `Err` and
/// ends the stream. So does [`Error::Pagination`] when the server would make the stream loop
/// or points it somewhere it must not go: a page identifier seen before (its items are still
/// yielded), a page identical to the previous one (its items are not), too many empty pages in
/// a row, `has_more` without a cursor, or a next-page URL on another origin.
///
/// The stream is not `Unpin`; pin it (`std::pin::pin!` or `Box::pin`) before calling `next()`.
pub fn paginate<T, S, B, F, Fut>(
    operation_id: &'static str,
    first: S,
    fetch: F,
) -> impl Stream<Item = Result<T, Error<B>>>
where
    T: PartialEq + Clone,
    S: Clone + Eq + Hash,
    F: FnMut(S) -> Fut,
    Fut: Future<Output = Result<Page<T, S>, Error<B>>>,
{
    let state = State {
        operation_id,
        fetch,
        seen: HashSet::from([first.clone()]),
        next: Some(first),
        buffer: VecDeque::new(),
        previous: Vec::new(),
        pages: 0,
        empty_run: 0,
        pending: None,
    };
    futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), state));
            }
            if let Some(kind) = state.pending.take() {
                state.next = None;
                let error = PaginationError {
                    operation_id: state.operation_id,
                    page: state.pages,
                    kind,
                };
                return Some((Err(Error::Pagination(Box::new(error))), state));
            }
            let at = state.next.take()?;
            let page = match (state.fetch)(at).await {
                Ok(page) => page,
                Err(e) => return Some((Err(e), state)),
            };
            state.pages = state.pages.saturating_add(1);
            state.accept(page);
        }
    })
}

impl<T: PartialEq + Clone, S: Clone + Eq + Hash, F> State<T, S, F> {
    /// Takes in a fetched page: decides what comes next and buffers its items.
    fn accept(&mut self, page: Page<T, S>) {
        // Only `PartialEq` is known of items, so this is a scan of the previous page; it stops
        // at the first new item, which on a moving server is the first one.
        if !page.items.is_empty() && page.items.iter().all(|item| self.previous.contains(item)) {
            self.pending = Some(PaginationErrorKind::RepeatedPage);
            return;
        }
        self.empty_run = if page.items.is_empty() {
            self.empty_run.saturating_add(1)
        } else {
            0
        };
        match page.next {
            Next::End => {}
            Next::At(at) if !self.seen.insert(at.clone()) => {
                self.pending = Some(PaginationErrorKind::RepeatedCursor);
            }
            Next::At(_) if self.empty_run >= MAX_EMPTY_PAGES => {
                self.pending = Some(PaginationErrorKind::EmptyPages(self.empty_run));
            }
            Next::At(at) => self.next = Some(at),
            Next::Missing(field) => {
                self.pending = Some(PaginationErrorKind::MissingCursor(field));
            }
            Next::Refused(reason) => self.pending = Some(PaginationErrorKind::Refused(reason)),
        }
        self.previous.clone_from(&page.items);
        self.buffer.extend(page.items);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::cell::RefCell;
    use std::rc::Rc;

    type Calls = Rc<RefCell<Vec<i64>>>;

    /// A fake offset endpoint over `total` items with the given page size; records requested
    /// offsets, and fails at `fail_at` if set.
    fn endpoint(
        total: i64,
        page_size: i64,
        report_total: bool,
        fail_at: Option<i64>,
        calls: Calls,
    ) -> impl FnMut(i64) -> std::future::Ready<Result<Page<i64, i64>, Error<()>>> {
        move |offset| {
            calls.borrow_mut().push(offset);
            if fail_at == Some(offset) {
                return std::future::ready(Err(Error::InvalidRequest("boom".into())));
            }
            let items: Vec<i64> = (offset..total.min(offset + page_size)).collect();
            let total = report_total.then_some(total);
            std::future::ready(Ok(Page {
                next: Next::offset(offset, items.len(), None, total),
                items,
            }))
        }
    }

    async fn run(
        total: i64,
        page: i64,
        report_total: bool,
        fail_at: Option<i64>,
    ) -> (Vec<Result<i64, String>>, Vec<i64>) {
        let calls = Calls::default();
        let stream = paginate(
            "list",
            0,
            endpoint(total, page, report_total, fail_at, calls.clone()),
        );
        let items = stream
            .map(|r| r.map_err(|e| e.to_string()))
            .collect::<Vec<_>>()
            .await;
        let calls = calls.borrow().clone();
        (items, calls)
    }

    fn oks(n: i64) -> Vec<Result<i64, String>> {
        (0..n).map(Ok).collect()
    }

    #[tokio::test]
    async fn empty_list() {
        assert_eq!(run(0, 10, true, None).await, (vec![], vec![0]));
        assert_eq!(run(0, 10, false, None).await, (vec![], vec![0]));
    }

    #[tokio::test]
    async fn single_item() {
        assert_eq!(run(1, 10, true, None).await, (oks(1), vec![0]));
        // Without total_count, one extra request discovers the end.
        assert_eq!(run(1, 10, false, None).await, (oks(1), vec![0, 1]));
    }

    #[tokio::test]
    async fn many_pages() {
        assert_eq!(run(25, 10, true, None).await, (oks(25), vec![0, 10, 20]));
        assert_eq!(
            run(25, 10, false, None).await,
            (oks(25), vec![0, 10, 20, 25])
        );
    }

    #[tokio::test]
    async fn error_mid_stream_is_yielded_then_ends() {
        let (items, calls) = run(25, 10, true, Some(10)).await;
        assert_eq!(calls, vec![0, 10]);
        assert_eq!(items.len(), 11);
        assert_eq!(items[..10], oks(10)[..]);
        assert!(items[10].as_ref().is_err_and(|e| e.contains("boom")));
    }

    #[tokio::test]
    async fn pages_are_fetched_lazily() {
        let calls = Calls::default();
        let stream = paginate("list", 5, endpoint(100, 10, true, None, calls.clone()));
        let first: Vec<_> = stream.take(3).collect().await;
        assert_eq!(first.len(), 3);
        assert_eq!(*calls.borrow(), vec![5]);
    }

    /// Collects a stream of `fetch` pages: the items, then the error text if it ended in one.
    async fn collect<S: Clone + Eq + Hash>(
        first: S,
        fetch: impl FnMut(S) -> std::future::Ready<Result<Page<i64, S>, Error<()>>>,
    ) -> (Vec<i64>, Option<String>) {
        let results: Vec<_> = paginate("list", first, fetch).collect().await;
        let mut items = Vec::new();
        let mut error = None;
        for result in results {
            match result {
                Ok(item) => items.push(item),
                Err(e) => {
                    assert!(error.is_none(), "a second error after {error:?}");
                    error = Some(e.to_string());
                }
            }
        }
        (items, error)
    }

    #[tokio::test]
    async fn a_server_ignoring_the_offset_ends_with_an_error_after_two_pages() {
        let mut calls = 0;
        let (items, error) = collect(0, |offset| {
            calls += 1;
            std::future::ready(Ok(Page {
                items: vec![1, 2],
                next: Next::offset(offset, 2, None, Some(1_000_000)),
            }))
        })
        .await;
        assert_eq!(calls, 2);
        assert_eq!(items, vec![1, 2]);
        assert!(error.is_some_and(|e| e.contains("identical to the previous one")));
    }

    #[tokio::test]
    async fn a_page_of_only_the_previous_pages_items_ends_with_an_error() {
        // The server ignores the offset and shuffles: no page is identical, none adds anything.
        let mut calls = 0;
        let (items, error) = collect(0, |offset| {
            calls += 1;
            let items = if calls % 2 == 1 {
                vec![1, 2, 3]
            } else {
                vec![3, 1, 2]
            };
            std::future::ready(Ok(Page {
                next: Next::offset(offset, items.len(), None, Some(1_000_000)),
                items,
            }))
        })
        .await;
        assert_eq!((calls, items), (2, vec![1, 2, 3]));
        assert!(error.is_some_and(|e| e.contains("only items already on it")));

        // Overlap with new items is progress (items inserted at the head shift a page).
        let (items, error) = collect(0, |offset| {
            let items = match offset {
                0 => vec![1, 2],
                2 => vec![2, 3],
                _ => vec![],
            };
            std::future::ready(Ok(Page {
                next: Next::offset(offset, items.len(), None, None),
                items,
            }))
        })
        .await;
        assert_eq!((items, error), (vec![1, 2, 2, 3], None));
    }

    #[tokio::test]
    async fn a_repeated_cursor_ends_with_an_error_after_its_items() {
        let (items, error) = collect(None, |cursor: Option<String>| {
            let (items, next) = match cursor.as_deref() {
                None => (vec![1, 2], "a"),
                Some("a") => (vec![3, 4], "b"),
                _ => (vec![5, 6], "a"),
            };
            std::future::ready(Ok(Page {
                items,
                next: Next::cursor(Some(next.to_owned()), None, "next_cursor"),
            }))
        })
        .await;
        assert_eq!(items, vec![1, 2, 3, 4, 5, 6]);
        assert!(error.is_some_and(|e| e.contains("already sent") && e.contains("page 3")));
    }

    #[tokio::test]
    async fn endless_empty_pages_end_with_an_error() {
        let mut calls = 0;
        let (items, error) = collect(0_i64, |at| {
            calls += 1;
            std::future::ready(Ok(Page {
                items: vec![],
                next: Next::At(at + 1),
            }))
        })
        .await;
        assert!(items.is_empty());
        assert_eq!(calls, MAX_EMPTY_PAGES);
        assert!(error.is_some_and(|e| e.contains("empty pages in a row")));
    }

    #[tokio::test]
    async fn has_more_without_a_cursor_is_an_error() {
        let (items, error) = collect(None, |_: Option<String>| {
            std::future::ready(Ok(Page {
                items: vec![1],
                next: Next::cursor(None, Some(true), "last_id"),
            }))
        })
        .await;
        assert_eq!(items, vec![1]);
        assert!(error.is_some_and(|e| e.contains("`last_id`")));
    }

    #[test]
    fn offsets_move_by_the_reported_page_size_and_stop_at_the_total() {
        assert_eq!(Next::offset(0, 10, None, None), Next::At(10));
        assert_eq!(Next::offset(0, 0, None, None), Next::End);
        // Fewer items than the page size (Box): move by the page size.
        assert_eq!(Next::offset(0, 7, Some(10), Some(100)), Next::At(10));
        assert_eq!(Next::offset(0, 0, Some(10), Some(100)), Next::At(10));
        assert_eq!(Next::offset(0, 0, Some(10), None), Next::End);
        assert_eq!(Next::offset(90, 10, Some(10), Some(100)), Next::End);
        assert_eq!(Next::offset(i64::MAX - 1, 5, None, None), Next::End);
        // A nonsense page size is ignored.
        assert_eq!(Next::offset(0, 3, Some(-4), None), Next::At(3));
    }

    #[test]
    fn page_numbers_stop_at_an_empty_page_or_the_page_count() {
        assert_eq!(Next::page(1, 1, 2, None, None), Next::At(2));
        assert_eq!(Next::page(1, 1, 0, None, None), Next::End);
        assert_eq!(Next::page(3, 1, 2, Some(3), None), Next::End);
        assert_eq!(Next::page(2, 0, 2, Some(3), None), Next::End);
        assert_eq!(Next::page(1, 0, 2, Some(3), None), Next::At(2));
        assert_eq!(Next::page(1, 1, 2, None, Some(false)), Next::End);
        assert_eq!(Next::page(1, 1, 2, None, Some(true)), Next::At(2));
        assert_eq!(Next::page(i64::MAX, 1, 2, None, None), Next::End);
    }

    #[test]
    fn cursors_end_when_has_more_says_so_or_when_empty() {
        let c = |s: &str| Some(s.to_owned());
        assert_eq!(Next::cursor(c("x"), None, "f"), Next::At(c("x")));
        assert_eq!(Next::cursor(c(""), None, "f"), Next::End);
        assert_eq!(Next::cursor(None::<String>, None, "f"), Next::End);
        assert_eq!(Next::cursor(c("x"), Some(false), "f"), Next::End);
        assert_eq!(Next::cursor(c("x"), Some(true), "f"), Next::At(c("x")));
        assert_eq!(Next::cursor(c(" "), Some(true), "f"), Next::Missing("f"));
        assert_eq!(Next::cursor(Some(0_i64), None, "f"), Next::At(Some(0)));
    }

    #[test]
    fn next_urls_resolve_against_the_base_url_and_stay_on_its_origin() {
        let base = "https://api.example.com/v1";
        let at = |s: &str| Next::At(Some(s.to_owned()));
        assert_eq!(
            Next::url(base, Some("https://api.example.com/v1/items?offset=2")),
            at("https://api.example.com/v1/items?offset=2")
        );
        assert_eq!(
            Next::url(base, Some("/2010-04-01/Calls.json?Page=1")),
            at("https://api.example.com/2010-04-01/Calls.json?Page=1")
        );
        assert_eq!(
            Next::url(base, Some("items?cursor=x")),
            at("https://api.example.com/v1/items?cursor=x")
        );
        assert_eq!(Next::url(base, None), Next::End);
        assert_eq!(Next::url(base, Some("  ")), Next::End);
        for foreign in [
            "https://evil.example.net/v1/items",
            "http://api.example.com/v1/items",
            "https://api.example.com:8443/v1/items",
            "//evil.example.net/x",
        ] {
            assert!(
                matches!(Next::url(base, Some(foreign)), Next::Refused(r) if r.contains("another origin")),
                "{foreign}"
            );
        }
        assert!(matches!(
            Next::url(base, Some("http://[::1")),
            Next::Refused(_)
        ));
    }

    #[test]
    fn errors_stay_short_and_name_the_operation() {
        let error = PaginationError {
            operation_id: "ListThings",
            page: 3,
            kind: PaginationErrorKind::MissingCursor("last_id"),
        };
        let text = error.to_string();
        assert!(
            text.starts_with("`ListThings` stopped paging at page 3"),
            "{text}"
        );
        assert!(format!("{error:?}").len() < 200);
    }

    #[test]
    fn a_refused_link_quotes_the_server_only_up_to_the_cap() {
        // The host of a refused link comes from the server: a huge one must not reach logs.
        let host = "a".repeat(60) + "." + &"b".repeat(60);
        let link = format!("https://{}.example.net/next", [host.as_str(); 80].join("."));
        let Next::Refused(reason) = Next::url("https://api.example.com", Some(&link)) else {
            panic!("a link to another origin is refused");
        };
        assert!(reason.len() > 5_000, "the reason quotes the host");
        let error = PaginationError {
            operation_id: "ListThings",
            page: 1,
            kind: PaginationErrorKind::Refused(reason),
        };
        let as_error: Error<()> = Error::Pagination(Box::new(error.clone()));
        for text in [
            error.to_string(),
            format!("{error:?}"),
            format!("{error:#?}"),
            as_error.to_string(),
            format!("{as_error:?}"),
        ] {
            assert!(text.len() < 600, "{} bytes", text.len());
            assert!(text.contains('…'), "a cut is marked: {text}");
        }
    }
}
