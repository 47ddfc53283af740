//! Importers: bytes of any supported format in, canonical records and
//! diagnostics out. Formats are detected from content ([`detect`]); each
//! format lives in its own module and parses straight into typed, borrowed
//! structs.
//!
//! Contract of every importer: a file that cannot be parsed at all is an
//! [`Error`] naming the file and position, and adds nothing to the dataset; a
//! record that cannot be used is skipped with a diagnostic and the rest of
//! the file loads; the counts read = imported + duplicates + skipped hold.

pub mod baton;
pub mod claude;
pub mod common;
pub mod langfuse;
mod layout;
pub mod otlp;
pub mod peek;
mod pipeline;
pub mod records;
pub mod seed000;
pub mod seed001;
pub mod seed002;
pub mod seed003;
pub mod seed003_csv;
pub mod seed004;
mod spans;

use crate::model::{Dataset, Format, Source, SourceId};
use crate::Error;
pub use common::Ctx;
use peek::{peek, strip_bom, Peek};

/// Files above this size are refused before parsing (1.5 GiB): the parsed
/// dataset has to fit in 32-bit WebAssembly memory beside the bytes.
pub const MAX_FILE_BYTES: u64 = 1536 * 1024 * 1024;

/// Limits applied to one file's import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    /// Files above this many bytes are refused before parsing.
    pub max_file_bytes: u64,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            max_file_bytes: MAX_FILE_BYTES,
        }
    }
}

/// One format's detector: Ok when the peek looks like it, else what it missed.
type Detector = fn(&Peek) -> Result<(), String>;

/// Every format with its detector, most specific first.
fn detectors() -> Vec<(Format, Detector)> {
    vec![
        (Format::BatonNdjson, baton::detect_ndjson),
        (Format::Baton, baton::detect_json),
        (Format::MonitorExport, seed004::detect),
        (Format::MoaiMetrics, seed003::detect),
        (Format::MoaiCsv, seed003_csv::detect),
        (Format::OrchestratorReport, seed000::detect),
        (Format::DroidMetrics, seed001::detect),
        (Format::RunLogger, seed002::detect),
        (Format::Otlp, otlp::detect),
        (Format::Langfuse, langfuse::detect),
        (Format::ClaudeCode, claude::detect),
    ]
}

/// Detects the format of a file from its content (the name only breaks ties
/// between formats whose content looks the same).
pub fn detect(name: &str, bytes: &[u8]) -> Result<Format, Error> {
    detect_with_limits(name, bytes, &ImportLimits::default())
}

/// [`detect`] with explicit limits.
pub fn detect_with_limits(
    name: &str,
    bytes: &[u8],
    limits: &ImportLimits,
) -> Result<Format, Error> {
    check_text(name, bytes, limits)?;
    let p = peek(bytes);
    let mut tried = Vec::new();
    for (format, detector) in detectors() {
        match detector(&p) {
            Ok(()) => return Ok(format),
            Err(missed) => tried.push((format.label().to_string(), missed)),
        }
    }
    // Not a known shape: if it is not even JSON, say where it breaks (a
    // truncated file of a known format often shows too few keys to be
    // recognised; its syntax error says more than "no format matches").
    if p.shape != peek::Shape::Lines {
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(strip_bom(bytes)) {
            return Err(common::syntax_error(name, &e));
        }
    }
    Err(Error::UnknownFormat {
        file: name.to_string(),
        tried,
    })
}

/// Refuses what cannot be text: empty files, UTF-16, binary.
fn check_text(name: &str, bytes: &[u8], limits: &ImportLimits) -> Result<(), Error> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Error::TooLarge {
            file: name.to_string(),
            bytes: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    let body = strip_bom(bytes);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty {
            file: name.to_string(),
        });
    }
    if body.starts_with(&[0xFF, 0xFE]) || body.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::Encoding {
            file: name.to_string(),
            reason: "UTF-16 text; save the file as UTF-8".to_string(),
        });
    }
    let head = body.get(..body.len().min(4096)).unwrap_or(body);
    if let Some(kind) = compressed(head) {
        return Err(Error::Encoding {
            file: name.to_string(),
            reason: format!("{kind}-compressed data; decompress the file first"),
        });
    }
    if looks_utf16(head) {
        return Err(Error::Encoding {
            file: name.to_string(),
            reason: "UTF-16 text; save the file as UTF-8".to_string(),
        });
    }
    if head.contains(&0) {
        return Err(Error::Encoding {
            file: name.to_string(),
            reason: "binary data (NUL bytes)".to_string(),
        });
    }
    Ok(())
}

/// The compression a file's magic bytes show, if any.
fn compressed(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0x1F, 0x8B]) {
        Some("gzip")
    } else if head.starts_with(b"PK\x03\x04") {
        Some("zip")
    } else if head.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
        Some("zstd")
    } else if head.starts_with(b"BZh") && head.get(3).is_some_and(u8::is_ascii_digit) {
        Some("bzip2")
    } else if head.starts_with(&[0xFD, b'7', b'z', b'X', b'Z', 0x00]) {
        Some("xz")
    } else {
        None
    }
}

/// UTF-16 without a byte-order mark: ASCII text with a NUL at every other
/// byte (little- or big-endian) over the first bytes.
fn looks_utf16(head: &[u8]) -> bool {
    let pairs: Vec<&[u8]> = head.chunks_exact(2).take(64).collect();
    if pairs.len() < 2 {
        return false;
    }
    let le = pairs
        .iter()
        .all(|p| matches!(p, [a, 0] if *a != 0 && a.is_ascii()));
    let be = pairs
        .iter()
        .all(|p| matches!(p, [0, b] if *b != 0 && b.is_ascii()));
    le || be
}

/// Imports one file into the dataset, detecting its format. On error nothing
/// is added. Returns the new source's id.
pub fn import_file(ds: &mut Dataset, name: &str, bytes: &[u8]) -> Result<SourceId, Error> {
    import_file_with_limits(ds, name, bytes, &ImportLimits::default())
}

/// [`import_file`] with explicit limits (a smaller memory budget, for instance).
pub fn import_file_with_limits(
    ds: &mut Dataset,
    name: &str,
    bytes: &[u8],
    limits: &ImportLimits,
) -> Result<SourceId, Error> {
    let format = detect_with_limits(name, bytes, limits)?;
    import_as(ds, name, bytes, format)
}

/// Imports one file in a known format.
pub fn import_as(
    ds: &mut Dataset,
    name: &str,
    bytes: &[u8],
    format: Format,
) -> Result<SourceId, Error> {
    let body = strip_bom(bytes);
    let source = import_into(ds, name, bytes.len() as u64, format, |ctx| {
        run_importer(ctx, format, body).map(|()| true)
    })?;
    source.ok_or_else(|| Error::Invalid {
        what: name.to_string(),
        reason: "the importer gave up".to_string(),
    })
}

/// Runs `import` on a new source's context and records the source, or
/// undoes everything it loaded if it fails part-way (an error) or gives up
/// (Ok(false): None, for the caller to read the file another way).
fn import_into(
    ds: &mut Dataset,
    name: &str,
    bytes: u64,
    format: Format,
    import: impl FnOnce(&mut Ctx<'_>) -> Result<bool, Error>,
) -> Result<Option<SourceId>, Error> {
    let source = SourceId(u32::try_from(ds.sources.len()).unwrap_or(u32::MAX));
    let mark = ds.mark();
    let mut ctx = Ctx::new(ds, source, name);
    let start = ctx.checkpoint();
    let result = import(&mut ctx);
    if matches!(result, Ok(false)) {
        ctx.restore(start);
        return Ok(None);
    }
    let (counts, diagnostics, quality) = ctx.finish();
    if let Err(e) = result {
        // A file that fails part-way adds nothing.
        ds.rollback(mark);
        return Err(e);
    }
    ds.sources.push(Source {
        name: name.to_string(),
        format,
        bytes,
        counts,
        diagnostics,
        quality,
    });
    Ok(Some(source))
}

/// How much of a file [`import_pieces`] gathers before detecting its format:
/// more than the text checks (4 KiB) and the detectors read.
const DETECTION_BYTES: usize = 256 * 1024;

/// Imports a file handed over piece by piece (read in chunks), without
/// holding all of it where the format allows: Baton NDJSON and Baton
/// documents laid out as Baton writes them are imported as the pieces arrive,
/// with what [`import_file`] loads from the whole file. Any other format (or
/// a file whose first piece does not show it) is gathered whole and imported
/// by [`import_file`]; a document that turns out otherwise laid out part-way
/// is undone and read again through `whole`, which gives the whole file.
/// `total_bytes` is the file's size; `next` gives the next piece, None at the
/// end. A file that fails part-way adds nothing.
pub fn import_pieces(
    ds: &mut Dataset,
    name: &str,
    total_bytes: u64,
    first: Vec<u8>,
    next: &mut dyn FnMut() -> Result<Option<Vec<u8>>, Error>,
    whole: &mut dyn FnMut() -> Result<Vec<u8>, Error>,
) -> Result<SourceId, Error> {
    let limits = ImportLimits::default();
    if total_bytes > limits.max_file_bytes {
        return Err(Error::TooLarge {
            file: name.to_string(),
            bytes: total_bytes,
            limit: limits.max_file_bytes,
        });
    }
    // Detection and the text checks read the start of a file: give them as
    // much of it as a whole-file import would see.
    let (mut first, mut ended) = (first, false);
    while first.len() < DETECTION_BYTES && !ended {
        match next()? {
            Some(piece) => first.extend_from_slice(&piece),
            None => ended = true,
        }
    }
    let mut next = move || if ended { Ok(None) } else { next() };
    let next = &mut next;
    let format = detect(name, &first).ok();
    if !matches!(format, Some(Format::BatonNdjson | Format::Baton)) {
        let mut whole = first;
        let rest = usize::try_from(total_bytes).unwrap_or(usize::MAX);
        whole
            .try_reserve_exact(rest.saturating_sub(whole.len()))
            .map_err(|_| Error::Invalid {
                what: name.to_string(),
                reason: format!("not enough memory to read {total_bytes} bytes"),
            })?;
        while let Some(piece) = next()? {
            whole.extend_from_slice(&piece);
        }
        return import_file(ds, name, &whole);
    }
    if first.len() != strip_bom(&first).len() {
        first.drain(..3);
    }
    let source = if format == Some(Format::Baton) {
        import_into(ds, name, total_bytes, Format::Baton, |ctx| {
            baton::import_json_pieces(ctx, total_bytes, first, next)
        })?
    } else {
        import_into(ds, name, total_bytes, Format::BatonNdjson, |ctx| {
            baton::import_ndjson_pieces(ctx, total_bytes, first, next).map(|()| true)
        })?
    };
    match source {
        Some(source) => Ok(source),
        None => import_file(ds, name, &whole()?),
    }
}

/// Runs the importer of `format` on a file's bytes (BOM already stripped).
fn run_importer(ctx: &mut Ctx<'_>, format: Format, body: &[u8]) -> Result<(), Error> {
    match format {
        Format::OrchestratorReport => seed000::import(ctx, body),
        Format::DroidMetrics => seed001::import(ctx, body),
        Format::RunLogger => seed002::import(ctx, body),
        Format::MoaiMetrics => seed003::import(ctx, body),
        Format::MoaiCsv => seed003_csv::import(ctx, body),
        Format::MonitorExport => seed004::import(ctx, body),
        Format::Baton => baton::import_json(ctx, body),
        Format::BatonNdjson => baton::import_ndjson(ctx, body),
        Format::ClaudeCode => claude::import(ctx, body),
        Format::Otlp => otlp::import(ctx, body),
        Format::Langfuse => langfuse::import(ctx, body),
    }
}
