//! Reading and loading a big file at once: one thread parses records while
//! this one loads them into the dataset, in file order. Parsing touches
//! nothing shared, and loading (names, ids, counts, diagnostics) stays on
//! one thread in record order, so the result is the same as reading on one
//! thread. WebAssembly builds, small files and one-core machines read on
//! one thread.

/// Files from this size on are worth a second thread.
const MIN_BYTES: usize = 4 << 20;

/// Items handed over at once (a few hundred KB of parsed records).
#[cfg(not(target_arch = "wasm32"))]
const BLOCK: usize = 512;

/// Blocks in flight: bounds the memory of a parser running ahead.
#[cfg(not(target_arch = "wasm32"))]
const IN_FLIGHT: usize = 8;

/// Whether a file of `len` bytes is read with a second thread here.
pub fn worth_a_thread(len: usize) -> bool {
    len >= MIN_BYTES && crate::par::spare_core()
}

/// Runs `produce`, which hands its items to the function it is given (that
/// returns false when no more are wanted), and feeds them in order to
/// `consume`; stops at the first error of `consume`. With `threaded`,
/// `produce` runs on a second thread (on WebAssembly it never does).
/// Returns what `produce` returned, or None if it could not finish (its
/// thread failed).
pub fn run<T, P, E>(
    threaded: bool,
    produce: impl FnOnce(&mut dyn FnMut(T) -> bool) -> P + Send,
    mut consume: impl FnMut(T) -> Result<(), E>,
) -> Result<Option<P>, E>
where
    T: Send,
    P: Send,
{
    #[cfg(not(target_arch = "wasm32"))]
    if threaded {
        return two_threads(produce, consume);
    }
    let _ = threaded;
    let mut failed = None;
    let p = produce(&mut |item| match consume(item) {
        Ok(()) => true,
        Err(e) => {
            failed = Some(e);
            false
        }
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(Some(p)),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn two_threads<T, P, E>(
    produce: impl FnOnce(&mut dyn FnMut(T) -> bool) -> P + Send,
    mut consume: impl FnMut(T) -> Result<(), E>,
) -> Result<Option<P>, E>
where
    T: Send,
    P: Send,
{
    use std::sync::mpsc;
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = mpsc::sync_channel::<Vec<T>>(IN_FLIGHT);
        let (empty_tx, empty_rx) = mpsc::channel::<Vec<T>>();
        let parser = scope.spawn(move || {
            let mut block = Vec::with_capacity(BLOCK);
            let mut wanted = true;
            let p = produce(&mut |item| {
                block.push(item);
                if block.len() >= BLOCK {
                    let next = empty_rx
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(BLOCK));
                    let full = std::mem::replace(&mut block, next);
                    // The loader hung up: it met an error, stop.
                    wanted = full_tx.send(full).is_ok();
                }
                wanted
            });
            if wanted && !block.is_empty() {
                let _ = full_tx.send(block);
            }
            p
        });
        let mut result = Ok(());
        'blocks: for mut block in full_rx.iter() {
            for item in block.drain(..) {
                if let Err(e) = consume(item) {
                    result = Err(e);
                    break 'blocks;
                }
            }
            let _ = empty_tx.send(block);
        }
        // Hanging up stops a parser still running (after an error).
        drop(full_rx);
        let p = parser.join().ok();
        result.map(|()| p)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_arrive_in_order_and_errors_stop_the_producer() {
        for threaded in [false, true] {
            let mut seen = Vec::new();
            let r: Result<Option<usize>, ()> = run(
                threaded,
                |emit| (0..5000).take_while(|i| emit(*i)).count(),
                |i| {
                    seen.push(i);
                    Ok(())
                },
            );
            assert_eq!(r, Ok(Some(5000)));
            assert_eq!(seen, (0..5000).collect::<Vec<_>>());

            let mut seen = 0;
            let r: Result<Option<usize>, usize> = run(
                threaded,
                |emit| (0..5000).take_while(|i| emit(*i)).count(),
                |i| {
                    seen += 1;
                    if i == 1234 {
                        Err(i)
                    } else {
                        Ok(())
                    }
                },
            );
            assert_eq!(r, Err(1234));
            assert_eq!(seen, 1235);
        }
    }
}
