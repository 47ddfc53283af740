//! The page's side of the worker: spawns it, queues requests until it is
//! ready, sends files as `File` handles (the worker reads them), terminates
//! it on cancel, and turns its messages and errors into [`Response`]s.
//! See [`crate::worker`] for the wire format. Natively (tests) a stub that
//! does nothing stands in.

use crate::protocol::{Request, Response};

/// A file the user picked or dropped, not yet read.
#[derive(Debug, Clone, PartialEq)]
pub struct PickedFile {
    /// Name (a path relative to a dropped or picked folder).
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// The browser's handle.
    #[cfg(target_arch = "wasm32")]
    pub file: web_sys::File,
}

#[cfg(target_arch = "wasm32")]
pub use wasm::WorkerHandle;

#[cfg(not(target_arch = "wasm32"))]
pub use native::WorkerHandle;

/// The module script the worker starts from: it loads the page's own
/// WebAssembly module (already in the browser's cache), whose entry point
/// sees it runs in a worker and serves requests instead of drawing the page.
/// Written next to index.html by `scripts/trunk-post-build.sh`; relative, so
/// the app works under a sub-path.
pub const WORKER_URL: &str = "worker.js";

#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use js_sys::{Array, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

    use super::{PickedFile, Request, Response, WORKER_URL};
    use crate::protocol::{decode, encode};

    /// A running worker.
    pub struct WorkerHandle {
        worker: Worker,
        ready: Rc<Cell<bool>>,
        queue: Rc<RefCell<Vec<Array>>>,
        _on_message: Closure<dyn Fn(MessageEvent)>,
        _on_error: Closure<dyn Fn(ErrorEvent)>,
    }

    impl WorkerHandle {
        /// Starts a worker; its responses (and its failures, as
        /// [`Response::Crashed`]) go to `on_response`.
        pub fn spawn(on_response: impl Fn(Response) + 'static) -> Result<Self, String> {
            let options = WorkerOptions::new();
            options.set_type(WorkerType::Module);
            let worker =
                Worker::new_with_options(WORKER_URL, &options).map_err(|e| format!("{e:?}"))?;
            let ready = Rc::new(Cell::new(false));
            let queue: Rc<RefCell<Vec<Array>>> = Rc::default();
            let on_response = Rc::new(on_response);
            let on_message = {
                let (worker, ready, queue, on_response) = (
                    worker.clone(),
                    ready.clone(),
                    queue.clone(),
                    on_response.clone(),
                );
                Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
                    let data: Array = ev.data().unchecked_into();
                    let bytes = Uint8Array::new(&data.get(0)).to_vec();
                    let resp = decode::<Response>(&bytes)
                        .unwrap_or_else(|e| Response::Crashed(format!("unreadable message: {e}")));
                    if resp == Response::Ready {
                        ready.set(true);
                        for msg in queue.take() {
                            post(&worker, &msg);
                        }
                    }
                    on_response(resp);
                })
            };
            let on_error = Closure::<dyn Fn(ErrorEvent)>::new(move |ev: ErrorEvent| {
                ev.prevent_default();
                let msg = ev.message();
                let msg = if msg.is_empty() {
                    "the analysis engine could not start or stopped unexpectedly".to_string()
                } else {
                    msg
                };
                on_response(Response::Crashed(msg));
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            Ok(WorkerHandle {
                worker,
                ready,
                queue,
                _on_message: on_message,
                _on_error: on_error,
            })
        }

        fn enqueue(&self, msg: Array) {
            if self.ready.get() {
                post(&self.worker, &msg);
            } else {
                self.queue.borrow_mut().push(msg);
            }
        }

        /// Sends a request.
        pub fn send(&self, req: &Request) {
            if let Some(msg) = message(req) {
                self.enqueue(msg);
            }
        }

        /// Sends a file: its name, and its handle for the worker to read.
        pub fn send_file(&self, file: &PickedFile) {
            let req = Request::File {
                name: file.name.clone(),
                bytes: Vec::new(),
            };
            if let Some(msg) = message(&req) {
                msg.push(&file.file);
                self.enqueue(msg);
            }
        }

        /// Stops the worker at once, even in the middle of a file.
        pub fn terminate(&self) {
            self.worker.set_onmessage(None);
            self.worker.set_onerror(None);
            self.worker.terminate();
        }
    }

    impl Drop for WorkerHandle {
        fn drop(&mut self) {
            self.terminate();
        }
    }

    fn message(req: &Request) -> Option<Array> {
        let bytes = encode(req).ok()?;
        Some(Array::of1(&Uint8Array::from(bytes.as_slice())))
    }

    fn post(worker: &Worker, msg: &Array) {
        let header: Uint8Array = msg.get(0).unchecked_into();
        let transfer = Array::of1(&header.buffer());
        let _ = worker.post_message_with_transfer(msg, &transfer);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::{PickedFile, Request, Response};

    /// No worker outside the browser: requests go nowhere.
    pub struct WorkerHandle;

    impl WorkerHandle {
        /// A handle that ignores everything.
        pub fn spawn(on_response: impl Fn(Response) + 'static) -> Result<Self, String> {
            let _ = on_response;
            Ok(WorkerHandle)
        }

        /// Ignored.
        pub fn send(&self, req: &Request) {
            let _ = req;
        }

        /// Ignored.
        pub fn send_file(&self, file: &PickedFile) {
            let _ = file;
        }

        /// Ignored.
        pub fn terminate(&self) {}
    }
}
