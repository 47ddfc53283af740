//! A cheap look at the start of a file to detect its format from content:
//! the keys of the top-level object (or of the first array element, or of
//! the first line of NDJSON), and the keys one level below. Reads at most
//! [`PEEK_BYTES`], builds no value tree, never fails: a cut-off prefix just
//! yields fewer keys.

/// How many bytes detection looks at.
pub const PEEK_BYTES: usize = 64 * 1024;

/// The overall shape of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One JSON object.
    Object,
    /// One JSON array (keys are those of its first element).
    Array,
    /// Several JSON values, one per line (keys are those of the first line).
    Lines,
    /// Not JSON at the start (CSV, binary, empty).
    Other,
}

/// What detection sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peek {
    /// Overall shape.
    pub shape: Shape,
    /// Keys of the top-level object (first element / first line).
    pub keys: Vec<String>,
    /// For each top-level key whose value is an object, its keys; whose value
    /// is an array of objects, the keys of its first element.
    pub children: Vec<(String, Vec<String>)>,
    /// The first line of the file, for CSV headers (at most 4 KB).
    pub first_line: String,
}

impl Peek {
    /// True when the top level has this key.
    pub fn has(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }

    /// The keys below a top-level key, if it holds an object or array of objects.
    pub fn child(&self, key: &str) -> Option<&[String]> {
        self.children
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    }

    /// True when the key below `parent` exists.
    pub fn child_has(&self, parent: &str, key: &str) -> bool {
        self.child(parent)
            .is_some_and(|keys| keys.iter().any(|k| k == key))
    }
}

/// Looks at the start of `bytes` (after a UTF-8 BOM and whitespace).
pub fn peek(bytes: &[u8]) -> Peek {
    let bytes = strip_bom(bytes);
    let window = bytes.get(..bytes.len().min(PEEK_BYTES)).unwrap_or(bytes);
    let first_line_end = window
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(window.len())
        .min(4096);
    let first_line = String::from_utf8_lossy(window.get(..first_line_end).unwrap_or(&[]))
        .trim_end_matches('\r')
        .to_string();
    let mut s = Scanner { b: window, i: 0 };
    s.ws();
    let mut peek = Peek {
        shape: Shape::Other,
        keys: Vec::new(),
        children: Vec::new(),
        first_line,
    };
    match s.cur() {
        Some(b'{') => {
            peek.shape = Shape::Object;
            s.object(&mut peek.keys, Some(&mut peek.children));
            // A second value after the first object means NDJSON.
            s.ws();
            if s.cur() == Some(b'{') {
                peek.shape = Shape::Lines;
            }
        }
        Some(b'[') => {
            peek.shape = Shape::Array;
            s.i += 1;
            s.ws();
            if s.cur() == Some(b'{') {
                s.object(&mut peek.keys, Some(&mut peek.children));
            }
        }
        _ => {}
    }
    peek
}

/// Drops a UTF-8 byte-order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn cur(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.cur(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Reads a string at the cursor (which is on the opening quote).
    fn string(&mut self) -> Option<String> {
        if self.cur() != Some(b'"') {
            return None;
        }
        self.i += 1;
        let start = self.i;
        while let Some(c) = self.cur() {
            match c {
                b'\\' => self.i += 2,
                b'"' => {
                    let raw = self.b.get(start..self.i).unwrap_or(&[]);
                    self.i += 1;
                    return Some(String::from_utf8_lossy(raw).into_owned());
                }
                _ => self.i += 1,
            }
        }
        None
    }

    /// Skips any value at the cursor, iteratively (no recursion, so deep
    /// nesting cannot overflow the stack).
    fn skip_value(&mut self) {
        let mut depth: usize = 0;
        loop {
            self.ws();
            match self.cur() {
                None => return,
                Some(b'"') => {
                    if self.string().is_none() {
                        return;
                    }
                }
                Some(b'{' | b'[') => {
                    depth += 1;
                    self.i += 1;
                    continue;
                }
                Some(b'}' | b']') => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    self.i += 1;
                }
                Some(b',' | b':') => {
                    if depth == 0 {
                        return;
                    }
                    self.i += 1;
                    continue;
                }
                Some(_) => {
                    while let Some(c) = self.cur() {
                        if matches!(
                            c,
                            b',' | b'}' | b']' | b':' | b' ' | b'\n' | b'\r' | b'\t' | b'"'
                        ) {
                            break;
                        }
                        self.i += 1;
                    }
                }
            }
            if depth == 0 {
                return;
            }
        }
    }

    /// Reads an object's keys; with `children`, also the keys one level below.
    fn object(
        &mut self,
        keys: &mut Vec<String>,
        mut children: Option<&mut Vec<(String, Vec<String>)>>,
    ) {
        if self.cur() != Some(b'{') {
            return;
        }
        self.i += 1;
        loop {
            self.ws();
            match self.cur() {
                Some(b'}') => {
                    self.i += 1;
                    return;
                }
                Some(b',') => {
                    self.i += 1;
                    continue;
                }
                Some(b'"') => {}
                _ => return,
            }
            let Some(key) = self.string() else { return };
            self.ws();
            if self.cur() != Some(b':') {
                return;
            }
            self.i += 1;
            self.ws();
            match (self.cur(), children.as_deref_mut()) {
                (Some(b'{'), Some(ch)) => {
                    let mut sub = Vec::new();
                    self.object(&mut sub, None);
                    ch.push((key.clone(), sub));
                }
                (Some(b'['), Some(ch)) => {
                    self.i += 1;
                    self.ws();
                    let mut sub = Vec::new();
                    if self.cur() == Some(b'{') {
                        self.object(&mut sub, None);
                    }
                    ch.push((key.clone(), sub));
                    // Skip the rest of the array.
                    loop {
                        self.ws();
                        match self.cur() {
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            Some(b',') => {
                                self.i += 1;
                                self.skip_value();
                            }
                            None => break,
                            Some(_) => {
                                // A stray `}` or `:` is not a value: step over
                                // it, or this loop would never end.
                                let before = self.i;
                                self.skip_value();
                                if self.i == before {
                                    self.i += 1;
                                }
                            }
                        }
                    }
                }
                _ => self.skip_value(),
            }
            keys.push(key);
        }
    }
}

#[cfg(test)]
mod tests {
    /// Found by fuzzing: a stray `}` or `:` inside the first array looped forever.
    #[test]
    fn malformed_arrays_end() {
        for text in [
            &b"{\"a\":[{\"x\":1}}"[..],
            b"{\"a\":[1:2]}",
            b"{\"a\":[}}}}",
            b"[{\"a\":[:",
        ] {
            let p = peek(text);
            assert_eq!(p.keys.first().map(String::as_str), Some("a"));
        }
    }

    use super::*;

    #[test]
    fn object_keys_and_children() {
        let p = peek(
            br#"{"tasks": [{"task_id": "t1", "agent": "a"}, {"x": 1}], "meta": {"v": 2}, "n": 3}"#,
        );
        assert_eq!(p.shape, Shape::Object);
        assert_eq!(p.keys, vec!["tasks", "meta", "n"]);
        assert!(p.child_has("tasks", "task_id"));
        assert!(p.child_has("meta", "v"));
    }

    #[test]
    fn lines_arrays_and_cut_prefixes() {
        assert_eq!(peek(b"{\"a\":1}\n{\"a\":2}\n").shape, Shape::Lines);
        let a = peek(br#"[{"id": 1, "status": "ok"}]"#);
        assert_eq!(
            (a.shape, a.keys),
            (Shape::Array, vec!["id".to_string(), "status".to_string()])
        );
        let cut = peek(br#"{"orchestrations": [{"id": "o1", "sta"#);
        assert!(cut.child_has("orchestrations", "id"));
        assert_eq!(peek(b"task_id,agent\n1,a").shape, Shape::Other);
        assert_eq!(peek(b"task_id,agent\n1,a").first_line, "task_id,agent");
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let mut deep = b"{\"a\":".to_vec();
        deep.extend(std::iter::repeat_n(b'[', 100_000));
        let p = peek(&deep);
        assert_eq!(p.shape, Shape::Object);
    }
}
