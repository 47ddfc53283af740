//! The analysis worker: holds the [`Dataset`] across messages, imports files,
//! analyses, and answers record queries. Only aggregates go back to the page.
//!
//! [`WorkerCore`] is the logic, free of browser types so it is tested
//! natively; [`run`] (WebAssembly only) wires it to the worker's message port.
//!
//! Wire format (both directions): a JS array whose first element is a
//! `Uint8Array` holding the bincode-encoded [`Request`] / [`Response`]
//! (its buffer is transferred, not copied). A [`Request::File`] may carry an
//! empty `bytes` and the file itself (`File`/`Blob`) as the second element:
//! the worker then reads it in chunks straight into its own memory, so the
//! page never holds a file's bytes.

use baton_core::analysis::{Analysis, AnalysisOptions};
use baton_core::model::{Diagnostic, DiagnosticLevel, Source};
use baton_core::{query, Dataset};

use crate::protocol::{LoadTimings, Loaded, Request, Response};

/// Most diagnostics sent to the page per file; the rest are summarised.
pub const MAX_DIAGNOSTICS_SENT: usize = 1000;

/// Days of activity in the sample dataset.
pub const SAMPLE_DAYS: u32 = 30;

/// Most failed operations a failures query returns.
pub const MAX_FAILURES: u32 = 10_000;

/// The analytics engine and the sample data, reached through one place.
mod engine {
    use super::*;

    /// Analyses the dataset.
    pub fn analyze(ds: &Dataset, options: &AnalysisOptions) -> Analysis {
        baton_core::analysis::analyze(ds, options)
    }

    /// The embedded sample dataset.
    pub fn sample() -> Dataset {
        baton_core::sample::sample_dataset(SAMPLE_DAYS)
    }
}

/// A load in progress.
#[derive(Debug, Clone, Default)]
struct Load {
    bytes_total: u64,
    bytes_done: u64,
    /// Milliseconds spent reading files into memory and importing them.
    read_ms: f64,
    import_ms: f64,
}

/// The worker's clock, in milliseconds (`Instant` does not exist in the browser).
fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

/// The worker's state and request handling.
#[derive(Debug, Default)]
pub struct WorkerCore {
    ds: Dataset,
    load: Load,
}

impl WorkerCore {
    /// A worker with nothing loaded.
    pub fn new() -> Self {
        Self::default()
    }

    /// The dataset loaded so far.
    pub fn dataset(&self) -> &Dataset {
        &self.ds
    }

    /// Handles one request, passing each response to `out`.
    pub fn handle(&mut self, req: Request, out: &mut dyn FnMut(Response)) {
        match req {
            Request::Begin {
                files: _,
                bytes,
                replace,
            } => {
                if replace {
                    self.ds = Dataset::new();
                }
                self.load = Load {
                    bytes_total: bytes,
                    ..Load::default()
                };
            }
            Request::File { name, bytes } => {
                let size = bytes.len() as u64;
                let started = now_ms();
                let imported = baton_core::import::import_file(&mut self.ds, &name, &bytes);
                self.load.import_ms += now_ms() - started;
                if let Err(e) = imported {
                    out(Response::FileError {
                        name: name.clone(),
                        message: e.to_string(),
                    });
                }
                drop(bytes);
                self.load.bytes_done = self.load.bytes_done.saturating_add(size);
                out(self.progress(&name, 0));
            }
            Request::Finish(options) | Request::Analyze(options) => {
                out(Response::Analysis(Box::new(self.loaded(&options))));
            }
            Request::Sample(options) => {
                self.ds = engine::sample();
                self.load = Load::default();
                out(Response::Analysis(Box::new(self.loaded(&options))));
            }
            Request::SessionTimeline(id) => {
                let operations = query::session_operations(&self.ds, &id);
                out(Response::SessionTimeline { id, operations });
            }
            Request::Failures { error_type, limit } => {
                let limit = limit.min(MAX_FAILURES) as usize;
                out(Response::Failures(query::failed_operations(
                    &self.ds,
                    error_type.as_deref(),
                    limit,
                )));
            }
            Request::Clear => {
                self.ds = Dataset::new();
                self.load = Load::default();
            }
            Request::Panic => self_test_panic(),
        }
    }

    /// Progress of the current load, with `extra` bytes of the current file read.
    pub fn progress(&self, current: &str, extra: u64) -> Response {
        Response::Progress {
            bytes_done: self.load.bytes_done.saturating_add(extra),
            bytes_total: self.load.bytes_total,
            records: self.ds.total_counts().imported,
            current: current.to_string(),
        }
    }

    /// Imports a file that `read` hands over piece by piece (None at the
    /// end), without ever holding all of it where the format allows (see
    /// [`baton_core::import::import_pieces`]; `whole` reads it again whole
    /// for a document laid out otherwise), with a progress message after
    /// each piece.
    pub fn import_pieces(
        &mut self,
        name: &str,
        size: u64,
        read: &mut dyn FnMut() -> Result<Option<Vec<u8>>, String>,
        whole: &mut dyn FnMut() -> Result<Vec<u8>, String>,
        out: &mut dyn FnMut(Response),
    ) {
        let started = now_ms();
        let (done_before, total) = (self.load.bytes_done, self.load.bytes_total);
        let records = self.ds.total_counts().imported;
        let (mut read_ms, mut read_bytes) = (0.0, 0u64);
        let mut next = || {
            let t = now_ms();
            let piece = read();
            read_ms += now_ms() - t;
            let piece = piece.map_err(|reason| baton_core::Error::Invalid {
                what: name.to_string(),
                reason,
            })?;
            if let Some(p) = &piece {
                read_bytes = read_bytes.saturating_add(p.len() as u64);
                if read_bytes < size {
                    out(Response::Progress {
                        bytes_done: done_before.saturating_add(read_bytes),
                        bytes_total: total,
                        records,
                        current: name.to_string(),
                    });
                }
            }
            Ok(piece)
        };
        let imported = next().and_then(|first| {
            baton_core::import::import_pieces(
                &mut self.ds,
                name,
                size,
                first.unwrap_or_default(),
                &mut next,
                &mut || {
                    whole().map_err(|reason| baton_core::Error::Invalid {
                        what: name.to_string(),
                        reason,
                    })
                },
            )
        });
        self.load.read_ms += read_ms;
        self.load.import_ms += now_ms() - started - read_ms;
        if let Err(e) = imported {
            out(Response::FileError {
                name: name.to_string(),
                message: e.to_string(),
            });
        }
        self.load.bytes_done = done_before.saturating_add(size);
        out(self.progress(name, 0));
    }

    /// The analysis, sources and filter choices for `options`.
    pub fn loaded(&self, options: &AnalysisOptions) -> Loaded {
        let started = now_ms();
        let analysis = engine::analyze(&self.ds, options);
        let timings = LoadTimings {
            read_ms: self.load.read_ms,
            import_ms: self.load.import_ms,
            analysis_ms: now_ms() - started,
        };
        Loaded {
            timings,
            analysis,
            sources: self.ds.sources.iter().map(capped).collect(),
            choices: query::choices(&self.ds),
            engine_memory_bytes: engine_memory_bytes(),
        }
    }
}

/// Panics on purpose: the crash-recovery self-test ([`Request::Panic`]). In
/// the browser the panic hook of `run` reports it as [`Response::Crashed`],
/// then the worker stops (release builds abort on panic) and the page starts a
/// fresh one for the next request.
fn self_test_panic() {
    panic!("crash-recovery self-test: the worker panicked on request");
}

/// Size of this WebAssembly instance's memory, in bytes.
#[cfg(target_arch = "wasm32")]
fn engine_memory_bytes() -> Option<u64> {
    const PAGE_BYTES: u64 = 65_536;
    Some(core::arch::wasm32::memory_size(0) as u64 * PAGE_BYTES)
}

/// Natively (tests) there is no WebAssembly memory to report.
#[cfg(not(target_arch = "wasm32"))]
fn engine_memory_bytes() -> Option<u64> {
    None
}

/// A source with at most [`MAX_DIAGNOSTICS_SENT`] diagnostics, the rest
/// summarised in one last line.
fn capped(src: &Source) -> Source {
    if src.diagnostics.len() <= MAX_DIAGNOSTICS_SENT {
        return src.clone();
    }
    let more = src.diagnostics.len() - MAX_DIAGNOSTICS_SENT;
    let mut diagnostics: Vec<Diagnostic> = src
        .diagnostics
        .iter()
        .take(MAX_DIAGNOSTICS_SENT)
        .cloned()
        .collect();
    diagnostics.push(Diagnostic {
        level: DiagnosticLevel::Info,
        file: src.name.clone(),
        record: None,
        line: None,
        field: None,
        reason: format!("{more} more diagnostics not shown"),
    });
    Source {
        name: src.name.clone(),
        format: src.format,
        bytes: src.bytes,
        counts: src.counts,
        diagnostics,
        quality: src.quality.clone(),
    }
}

#[cfg(target_arch = "wasm32")]
pub use glue::{in_worker_scope, run};

#[cfg(target_arch = "wasm32")]
mod glue {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::{Array, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

    use super::WorkerCore;
    use crate::protocol::{decode, encode, Request, Response};

    /// Bytes read from a file per step (a progress message follows each).
    const CHUNK: f64 = 16.0 * 1024.0 * 1024.0;

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Whether this code runs in a dedicated worker (the analysis worker)
    /// rather than in the page.
    pub fn in_worker_scope() -> bool {
        js_sys::global().is_instance_of::<DedicatedWorkerGlobalScope>()
    }

    /// Posts a response to the page, transferring its buffer.
    pub(super) fn post(resp: &Response) {
        let Ok(bytes) = encode(resp) else { return };
        let arr = Uint8Array::from(bytes.as_slice());
        let msg = Array::of1(&arr);
        let transfer = Array::of1(&arr.buffer());
        let _ = scope().post_message_with_transfer(&msg, &transfer);
    }

    /// Reads a blob in chunks: each call gives the next one, None at the end.
    fn blob_pieces<'a>(
        blob: &'a Blob,
        name: &'a str,
    ) -> Result<impl FnMut() -> Result<Option<Vec<u8>>, String> + 'a, String> {
        let reader = FileReaderSync::new().map_err(|e| format!("{e:?}"))?;
        let size = blob.size();
        let mut start = 0.0;
        Ok(move || {
            if start >= size {
                return Ok(None);
            }
            let end = (start + CHUNK).min(size);
            let part = blob
                .slice_with_f64_and_f64(start, end)
                .map_err(|e| format!("{e:?}"))?;
            let buf = reader
                .read_as_array_buffer(&part)
                .map_err(|_| format!("{name}: the file could not be read"))?;
            start = end;
            Ok(Some(Uint8Array::new(&buf).to_vec()))
        })
    }

    /// Starts the worker: installs the panic hook and the message handler,
    /// then tells the page it is ready.
    pub fn run() {
        std::panic::set_hook(Box::new(|info| {
            // The page prefixes "The analysis stopped."
            post(&Response::Crashed(format!("Internal error: {info}.")));
        }));
        let core = Rc::new(RefCell::new(WorkerCore::new()));
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let data: Array = ev.data().unchecked_into();
            let header = Uint8Array::new(&data.get(0)).to_vec();
            let req: Request = match decode(&header) {
                Ok(r) => r,
                Err(e) => {
                    post(&Response::Crashed(format!("unreadable request: {e}")));
                    return;
                }
            };
            let Ok(mut core) = core.try_borrow_mut() else {
                return;
            };
            if let Request::File { name, .. } = &req {
                if let Ok(blob) = data.get(1).dyn_into::<Blob>() {
                    // Read chunk by chunk and imported as the chunks arrive.
                    // A document laid out otherwise is read again whole.
                    let mut whole = || {
                        let mut read = blob_pieces(&blob, name)?;
                        let mut all = Vec::new();
                        while let Some(piece) = read()? {
                            all.extend_from_slice(&piece);
                        }
                        Ok(all)
                    };
                    match blob_pieces(&blob, name) {
                        Ok(mut read) => core.import_pieces(
                            name,
                            blob.size() as u64,
                            &mut read,
                            &mut whole,
                            &mut |resp| post(&resp),
                        ),
                        Err(message) => post(&Response::FileError {
                            name: name.clone(),
                            message,
                        }),
                    }
                    return;
                }
            }
            core.handle(req, &mut |resp| post(&resp));
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        post(&Response::Ready);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(core: &mut WorkerCore, req: Request) -> Vec<Response> {
        let mut out = Vec::new();
        core.handle(req, &mut |r| out.push(r));
        out
    }

    #[test]
    fn a_file_read_in_pieces_loads_what_it_loads_whole() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/");
        let bytes = std::fs::read(format!("{root}baton/example.ndjson")).unwrap();
        let mut whole = WorkerCore::new();
        run(
            &mut whole,
            Request::File {
                name: "example.ndjson".into(),
                bytes: bytes.clone(),
            },
        );
        let mut pieces = WorkerCore::new();
        run(
            &mut pieces,
            Request::Begin {
                files: 1,
                bytes: bytes.len() as u64,
                replace: true,
            },
        );
        let mut parts = bytes.chunks(100).map(<[u8]>::to_vec);
        let mut out = Vec::new();
        pieces.import_pieces(
            "example.ndjson",
            bytes.len() as u64,
            &mut || Ok(parts.next()),
            &mut || Ok(bytes.clone()),
            &mut |r| out.push(r),
        );
        let counts = |c: &WorkerCore| format!("{:?}", c.dataset().sources);
        assert_eq!(counts(&pieces), counts(&whole));
        assert_eq!(
            pieces.dataset().operations.len(),
            whole.dataset().operations.len()
        );
        // A progress message after each piece but the last, and one at the end.
        let progress = out
            .iter()
            .filter(|r| matches!(r, Response::Progress { .. }))
            .count();
        assert_eq!(progress, bytes.len().div_ceil(100));
        assert!(matches!(
            out.last(),
            Some(Response::Progress { bytes_done, .. }) if *bytes_done == bytes.len() as u64
        ));

        // A read that fails part-way: the file is named with the reason, nothing loads.
        let mut failing = WorkerCore::new();
        let mut calls = 0;
        let mut out = Vec::new();
        failing.import_pieces(
            "broken.ndjson",
            bytes.len() as u64,
            &mut || {
                calls += 1;
                if calls < 3 {
                    Ok(Some(bytes[..100].to_vec()))
                } else {
                    Err("the file could not be read".into())
                }
            },
            &mut || Err("the file could not be read".into()),
            &mut |r| out.push(r),
        );
        assert!(failing.dataset().sources.is_empty());
        assert!(out.contains(&Response::FileError {
            name: "broken.ndjson".into(),
            message: "broken.ndjson: the file could not be read".into(),
        }));
    }

    #[test]
    fn a_bad_file_reports_an_error_and_progress_and_the_load_goes_on() {
        let mut core = WorkerCore::new();
        assert!(run(
            &mut core,
            Request::Begin {
                files: 2,
                bytes: 14,
                replace: true
            }
        )
        .is_empty());
        let out = run(
            &mut core,
            Request::File {
                name: "empty.json".into(),
                bytes: b"   ".to_vec(),
            },
        );
        assert_eq!(out.len(), 2);
        assert!(
            matches!(&out[0], Response::FileError { name, message } if name == "empty.json" && message.contains("empty"))
        );
        // 3 of the 14 announced bytes (3 + 11) are done.
        assert!(matches!(
            &out[1],
            Response::Progress { bytes_done: 3, bytes_total: 14, records: 0, current } if current == "empty.json"
        ));
        let out = run(
            &mut core,
            Request::File {
                name: "bad.json".into(),
                bytes: b"{\"a\": [1, 2".to_vec(),
            },
        );
        assert!(matches!(&out[0], Response::FileError { name, .. } if name == "bad.json"));
        // 3 + 11 = 14 bytes done.
        assert!(matches!(&out[1], Response::Progress { bytes_done: 14, .. }));
        let out = run(&mut core, Request::Finish(AnalysisOptions::default()));
        match out.as_slice() {
            [Response::Analysis(l)] => {
                assert!(l.sources.is_empty());
                assert_eq!(l.choices, query::Choices::default());
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    #[should_panic(expected = "crash-recovery self-test")]
    fn the_self_test_request_panics() {
        let mut core = WorkerCore::new();
        run(&mut core, Request::Panic);
    }

    #[test]
    fn queries_answer_and_clear_empties() {
        let mut core = WorkerCore::new();
        let out = run(&mut core, Request::SessionTimeline("s1".into()));
        assert!(
            matches!(&out[..], [Response::SessionTimeline { id, operations }] if id == "s1" && operations.is_empty())
        );
        let out = run(
            &mut core,
            Request::Failures {
                error_type: None,
                limit: 5,
            },
        );
        assert!(matches!(&out[..], [Response::Failures(v)] if v.is_empty()));
        assert!(run(&mut core, Request::Clear).is_empty());
        assert!(core.dataset().sources.is_empty());
    }

    #[test]
    fn the_sample_loads_and_analyses_with_choices() {
        let mut core = WorkerCore::new();
        let out = run(&mut core, Request::Sample(AnalysisOptions::default()));
        match out.as_slice() {
            [Response::Analysis(l)] => {
                assert!(l.analysis.overall.total_operations > 0);
                assert!(!l.choices.agents.is_empty());
                // Every agent the analysis lists can be chosen in the filter.
                assert!(l
                    .analysis
                    .agents
                    .keys()
                    .all(|a| l.choices.agents.contains(a)));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(!core.dataset().operations.is_empty());
    }

    #[test]
    fn diagnostics_beyond_the_cap_are_summarised() {
        let d = Diagnostic {
            level: DiagnosticLevel::Skipped,
            file: "f".into(),
            record: Some(1),
            line: None,
            field: None,
            reason: "bad".into(),
        };
        let src = Source {
            name: "f".into(),
            format: baton_core::model::Format::Baton,
            bytes: 1,
            counts: Default::default(),
            diagnostics: vec![d; MAX_DIAGNOSTICS_SENT + 5],
            quality: vec![],
        };
        let c = capped(&src);
        // 1000 kept + 1 summary line.
        assert_eq!(c.diagnostics.len(), MAX_DIAGNOSTICS_SENT + 1);
        assert_eq!(
            c.diagnostics.last().map(|d| d.reason.as_str()),
            Some("5 more diagnostics not shown")
        );
    }
}
