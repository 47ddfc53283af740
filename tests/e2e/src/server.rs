//! A small static file server for the built app: serves one folder under a URL
//! prefix on a loopback port and records every request it answers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// One request the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// HTTP method, e.g. `GET`.
    pub method: String,
    /// Request target as sent by the browser (path and query).
    pub path: String,
    /// Status code of the response.
    pub status: u16,
}

/// A running static file server. Stops when dropped.
pub struct StaticServer {
    addr: SocketAddr,
    prefix: String,
    log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    offline: Arc<AtomicBool>,
}

impl StaticServer {
    /// Serves `root` under `prefix` (e.g. `/` or `/baton/`) on `127.0.0.1`, on a
    /// port chosen by the system.
    pub fn start(root: &Path, prefix: &str) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let prefix = normalize_prefix(prefix);
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let offline = Arc::new(AtomicBool::new(false));
        let (root, thread_prefix, thread_log, thread_stop, thread_offline) = (
            root.to_path_buf(),
            prefix.clone(),
            log.clone(),
            stop.clone(),
            offline.clone(),
        );
        thread::spawn(move || {
            for stream in listener.incoming() {
                if thread_stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (root, prefix, log) = (root.clone(), thread_prefix.clone(), thread_log.clone());
                let offline = thread_offline.clone();
                thread::spawn(move || {
                    let _ = handle(stream, &root, &prefix, &log, &offline);
                });
            }
        });
        Ok(Self {
            addr,
            prefix,
            log,
            stop,
            offline,
        })
    }

    /// While `offline` is true, every connection is closed without an answer (as
    /// if the network were down); nothing is recorded.
    pub fn set_offline(&self, offline: bool) {
        self.offline.store(offline, Ordering::SeqCst);
    }

    /// The URL of the app's root, e.g. `http://127.0.0.1:41234/baton/`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.prefix)
    }

    /// The origin, e.g. `http://127.0.0.1:41234`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request answered so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn normalize_prefix(prefix: &str) -> String {
    let trimmed = prefix.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

/// Answers the requests of one connection (keep-alive) until the client closes it.
fn handle(
    stream: TcpStream,
    root: &Path,
    prefix: &str,
    log: &Mutex<Vec<Request>>,
    offline: &AtomicBool,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        if offline.load(Ordering::SeqCst) {
            return out.shutdown(Shutdown::Both);
        }
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        if offline.load(Ordering::SeqCst) {
            return out.shutdown(Shutdown::Both);
        }
        let mut content_length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 {
                return Ok(());
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        // Discard any request body.
        std::io::copy(
            &mut (&mut reader).take(content_length as u64),
            &mut std::io::sink(),
        )?;

        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let target = parts.next().unwrap_or("").to_string();
        let (status, content_type, body) = respond(&method, &target, root, prefix);
        log.lock().unwrap_or_else(|e| e.into_inner()).push(Request {
            method: method.clone(),
            path: target,
            status,
        });
        let reason = match status {
            200 => "OK",
            404 => "Not Found",
            _ => "Method Not Allowed",
        };
        let head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n",
            body.len()
        );
        out.write_all(head.as_bytes())?;
        if method != "HEAD" {
            out.write_all(&body)?;
        }
        out.flush()?;
        if status == 405 {
            let _ = out.shutdown(Shutdown::Both);
            return Ok(());
        }
    }
}

fn respond(method: &str, target: &str, root: &Path, prefix: &str) -> (u16, &'static str, Vec<u8>) {
    if method != "GET" && method != "HEAD" {
        return (405, "text/plain", b"method not allowed".to_vec());
    }
    let not_found = (404, "text/plain", b"not found".to_vec());
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(rest) = path.strip_prefix(prefix).or_else(|| {
        // `/baton` without the trailing slash is the app's root too.
        (format!("{path}/") == prefix).then_some("")
    }) else {
        return not_found;
    };
    let Some(file) = resolve(root, &percent_decode(rest)) else {
        return not_found;
    };
    match std::fs::read(&file) {
        Ok(body) => (200, content_type(&file), body),
        Err(_) => not_found,
    }
}

/// Maps a URL path below the prefix to a file below `root`, refusing `..`.
fn resolve(root: &Path, rest: &str) -> Option<PathBuf> {
    let mut file = root.to_path_buf();
    for component in Path::new(rest).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Content-Type by file extension.
pub fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "csv" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(server: &StaticServer, path: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut status_line = String::new();
        reader.read_line(&mut status_line).unwrap();
        let status = status_line
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let (mut content_type, mut length) = (String::new(), 0usize);
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).unwrap();
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(": ").unwrap();
            match name {
                "Content-Type" => content_type = value.to_string(),
                "Content-Length" => length = value.parse().unwrap(),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        (status, content_type, body)
    }

    fn fixture() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("baton-e2e-server-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("index.html"), "<p>home</p>").unwrap();
        std::fs::write(dir.join("app_bg.wasm"), [0, 97, 115, 109]).unwrap();
        std::fs::write(dir.join("sub/a b.js"), "1").unwrap();
        dir
    }

    #[test]
    fn serves_files_under_a_prefix_with_content_types_and_logs_requests() {
        let root = fixture();
        let server = StaticServer::start(&root, "baton").unwrap();
        assert!(server.url().ends_with("/baton/"));

        let (status, content_type, body) = get(&server, "/baton/");
        assert_eq!(
            (status, content_type.as_str()),
            (200, "text/html; charset=utf-8")
        );
        assert_eq!(body, b"<p>home</p>");
        assert_eq!(get(&server, "/baton").0, 200);
        let (status, content_type, body) = get(&server, "/baton/app_bg.wasm?v=1");
        assert_eq!((status, content_type.as_str()), (200, "application/wasm"));
        assert_eq!(body, [0, 97, 115, 109]);
        let (status, content_type, _) = get(&server, "/baton/sub/a%20b.js");
        assert_eq!(
            (status, content_type.as_str()),
            (200, "text/javascript; charset=utf-8")
        );
        // Outside the prefix, missing, or escaping the root: 404.
        assert_eq!(get(&server, "/index.html").0, 404);
        assert_eq!(get(&server, "/baton/missing.js").0, 404);
        assert_eq!(get(&server, "/baton/../baton-e2e-x/index.html").0, 404);

        let statuses: Vec<(String, u16)> = server
            .requests()
            .into_iter()
            .map(|r| (r.path, r.status))
            .collect();
        assert_eq!(statuses.len(), 7);
        assert_eq!(statuses[2], ("/baton/app_bg.wasm?v=1".to_string(), 200));
        assert_eq!(statuses[6].1, 404);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn content_types_of_web_files() {
        assert_eq!(content_type(Path::new("a.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("a.css")), "text/css; charset=utf-8");
        assert_eq!(
            content_type(Path::new("m.webmanifest")),
            "application/manifest+json"
        );
        assert_eq!(content_type(Path::new("d.json")), "application/json");
    }
}
