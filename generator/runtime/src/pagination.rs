//! Offset pagination as a lazy stream of items.

use std::collections::VecDeque;
use std::future::Future;

use futures_core::Stream;

use super::error::Error;

/// One page of a list endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The total number of items across all pages, when the API reports it.
    pub total_count: Option<i64>,
}

struct State<T, F> {
    fetch: F,
    offset: i64,
    buffer: VecDeque<T>,
    done: bool,
}

/// Streams every item of an offset-paginated list, fetching pages only as they are needed.
///
/// `fetch(offset)` loads the page starting at `offset`. The next offset is the current one plus
/// the number of items received (so it is correct whatever page size the server chose). The
/// stream ends after a page that reaches `total_count`, or after an empty page. A failed fetch
/// is yielded as an `Err` item and ends the stream; the caller can resume with a new stream
/// from the offset it reached.
///
/// The stream is not `Unpin`; pin it (`std::pin::pin!` or `Box::pin`) before calling `next()`.
pub fn paginate<T, B, F, Fut>(
    first_offset: i64,
    fetch: F,
) -> impl Stream<Item = Result<T, Error<B>>>
where
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error<B>>>,
{
    let state = State {
        fetch,
        offset: first_offset,
        buffer: VecDeque::new(),
        done: false,
    };
    futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), state));
            }
            if state.done {
                return None;
            }
            match (state.fetch)(state.offset).await {
                Err(e) => {
                    state.done = true;
                    return Some((Err(e), state));
                }
                Ok(page) => {
                    if page.items.is_empty() {
                        return None;
                    }
                    let received = i64::try_from(page.items.len()).unwrap_or(i64::MAX);
                    state.offset = state.offset.saturating_add(received);
                    // A server that keeps returning items past total_count (or an offset that
                    // saturates) must not make the stream loop forever.
                    state.done = page.total_count.is_some_and(|total| state.offset >= total)
                        || state.offset == i64::MAX;
                    state.buffer.extend(page.items);
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A fake list endpoint over `total` items with the given page size; records requested
    /// offsets, and fails at `fail_at` if set.
    fn endpoint(
        total: i64,
        page_size: i64,
        report_total: bool,
        fail_at: Option<i64>,
        calls: Rc<RefCell<Vec<i64>>>,
    ) -> impl FnMut(i64) -> std::future::Ready<Result<Page<i64>, Error<()>>> {
        move |offset| {
            calls.borrow_mut().push(offset);
            if fail_at == Some(offset) {
                return std::future::ready(Err(Error::InvalidRequest("boom".into())));
            }
            let items = (offset..total.min(offset + page_size)).collect();
            std::future::ready(Ok(Page {
                items,
                total_count: report_total.then_some(total),
            }))
        }
    }

    async fn run(
        total: i64,
        page: i64,
        report_total: bool,
        fail_at: Option<i64>,
    ) -> (Vec<Result<i64, String>>, Vec<i64>) {
        let calls = Rc::new(RefCell::new(Vec::new()));
        let stream = paginate(
            0,
            endpoint(total, page, report_total, fail_at, calls.clone()),
        );
        let items = stream
            .map(|r| r.map_err(|e| format!("{e:?}")))
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
    async fn exactly_one_page() {
        assert_eq!(run(10, 10, true, None).await, (oks(10), vec![0]));
        assert_eq!(run(10, 10, false, None).await, (oks(10), vec![0, 10]));
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
        let calls = Rc::new(RefCell::new(Vec::new()));
        let stream = paginate(5, endpoint(100, 10, true, None, calls.clone()));
        let first: Vec<_> = stream.take(3).collect().await;
        assert_eq!(first.len(), 3);
        assert_eq!(*calls.borrow(), vec![5]);
    }

    #[tokio::test]
    async fn overlong_pages_stop_at_total_count() {
        // A server that always returns a full page and a small total must not loop forever.
        let stream = paginate(0, |offset| async move {
            Ok::<_, Error<()>>(Page {
                items: vec![offset; 3],
                total_count: Some(4),
            })
        });
        assert_eq!(stream.collect::<Vec<_>>().await.len(), 6);
    }
}
