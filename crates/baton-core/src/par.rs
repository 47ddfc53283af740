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
    fn float_sums_do_not_depend_on_the_threads() {
        let items: Vec<f64> = (0..3 * CHUNK + 11).map(|i| 0.1 * i as f64).collect();
        let sum = |parts: Vec<f64>| parts.into_iter().fold(0.0, |a, b| a + b);
        let threaded = sum(map_chunks(&items, |_, c| c.iter().sum::<f64>()));
        let one_thread = sum(items.chunks(CHUNK).map(|c| c.iter().sum::<f64>()).collect());
        assert_eq!(threaded.to_bits(), one_thread.to_bits());
    }
}
