//! Work over many operations, split into fixed chunks that run on two
//! threads when the machine has a core to spare (natively; WebAssembly runs
//! them one after the other on its one thread).
//!
//! The chunks depend only on the number of items and [`CHUNK`], never on the
//! threads, and results come back in chunk order: a fold over them (sums of
//! floating-point numbers included) gives the same figures on one thread as
//! on two, in the CLI as in the browser.

/// Items per chunk.
pub const CHUNK: usize = 1 << 16;

/// Whether a second thread can run beside this one: never on WebAssembly,
/// natively when the machine has more than one core.
pub fn spare_core() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        false
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
    }
}

/// Runs `f` on each [`CHUNK`] of `items`, given the index of the chunk's first
/// item, and returns the results in chunk order (one result for an empty
/// slice, so a fold always has a start).
pub fn map_chunks<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(usize, &[T]) -> R + Sync,
{
    if items.len() <= CHUNK {
        return vec![f(0, items)];
    }
    let chunks: Vec<(usize, &[T])> = items
        .chunks(CHUNK)
        .enumerate()
        .map(|(i, c)| (i * CHUNK, c))
        .collect();
    if !spare_core() {
        return chunks.into_iter().map(|(at, c)| f(at, c)).collect();
    }
    two_threads(&chunks, &f)
}

/// Runs `f` on each [`CHUNK`] of `items` like [`map_chunks`] and merges the
/// results in chunk order into the first. On one thread each chunk's result is
/// merged as soon as it is built, so only two are alive at a time (in the
/// browser, memory is the scarcer resource).
pub fn fold_chunks<T, R, F, M>(items: &[T], f: F, mut merge: M) -> R
where
    T: Sync,
    R: Send,
    F: Fn(usize, &[T]) -> R + Sync,
    M: FnMut(&mut R, R),
{
    if items.len() > CHUNK && !spare_core() {
        let mut chunks = items.chunks(CHUNK).enumerate();
        let mut acc = match chunks.next() {
            Some((_, first)) => f(0, first),
            None => f(0, items),
        };
        for (i, c) in chunks {
            merge(&mut acc, f(i * CHUNK, c));
        }
        return acc;
    }
    let mut parts = map_chunks(items, &f).into_iter();
    let mut acc = match parts.next() {
        Some(first) => first,
        None => f(0, items),
    };
    for part in parts {
        merge(&mut acc, part);
    }
    acc
}

/// Runs `a` and `b`, on two threads when `worth_a_thread` and a core is
/// spare, and returns both results.
pub fn join<A, B>(
    worth_a_thread: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B)
where
    A: Send,
    B: Send,
{
    #[cfg(not(target_arch = "wasm32"))]
    if worth_a_thread && spare_core() {
        return std::thread::scope(|scope| {
            let second = scope.spawn(b);
            let a = a();
            let b = second
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (a, b)
        });
    }
    let _ = worth_a_thread;
    (a(), b())
}

/// Even chunks on this thread, odd ones on a second; interleaved back.
#[cfg(not(target_arch = "wasm32"))]
fn two_threads<T, R, F>(chunks: &[(usize, &[T])], f: &F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(usize, &[T]) -> R + Sync,
{
    let run = |parity: usize| -> Vec<R> {
        chunks
            .iter()
            .skip(parity)
            .step_by(2)
            .map(|&(at, c)| f(at, c))
            .collect()
    };
    let (even, odd) = std::thread::scope(|scope| {
        let second = scope.spawn(|| run(1));
        let even = run(0);
        // A panic on the second thread goes on on this one.
        let odd = second
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (even, odd)
    });
    let mut out = Vec::with_capacity(chunks.len());
    let mut odd = odd.into_iter();
    for e in even {
        out.push(e);
        out.extend(odd.next());
    }
    out
}

#[cfg(target_arch = "wasm32")]
fn two_threads<T, R, F>(chunks: &[(usize, &[T])], f: &F) -> Vec<R>
where
    F: Fn(usize, &[T]) -> R,
{
    chunks.iter().map(|&(at, c)| f(at, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_come_back_in_order_with_their_offsets() {
        for n in [0, 1, CHUNK, CHUNK + 1, 5 * CHUNK + 7] {
            let items: Vec<u32> = (0..n as u32).collect();
            let parts = map_chunks(&items, |at, c| (at, c.len(), c.first().copied()));
            let expected: Vec<(usize, usize, Option<u32>)> = if n <= CHUNK {
                vec![(0, n, items.first().copied())]
            } else {
                items
                    .chunks(CHUNK)
                    .enumerate()
                    .map(|(i, c)| (i * CHUNK, c.len(), c.first().copied()))
                    .collect()
            };
            assert_eq!(parts, expected, "{n} items");
        }
    }

    #[test]
    fn join_returns_both_results() {
        for worth in [false, true] {
            assert_eq!(join(worth, || 1, || "two"), (1, "two"));
        }
    }

    #[test]
    fn folds_merge_in_chunk_order() {
        for n in [0, 1, CHUNK + 1, 3 * CHUNK + 5] {
            let items: Vec<u32> = (0..n as u32).collect();
            let starts = fold_chunks(&items, |at, _| vec![at], |acc, next| acc.extend(next));
            let expected: Vec<usize> = if n <= CHUNK {
                vec![0]
            } else {
                (0..n).step_by(CHUNK).collect()
            };
            assert_eq!(starts, expected, "{n} items");
        }
    }

    #[test]
    fn float_sums_do_not_depend_on_the_threads() {
        let items: Vec<f64> = (0..3 * CHUNK + 11).map(|i| 0.1 * i as f64).collect();
        let sum = |parts: Vec<f64>| parts.into_iter().fold(0.0, |a, b| a + b);
        let threaded = sum(map_chunks(&items, |_, c| c.iter().sum::<f64>()));
        let one_thread = sum(items.chunks(CHUNK).map(|c| c.iter().sum::<f64>()).collect());
        assert_eq!(threaded.to_bits(), one_thread.to_bits());
    }
}
