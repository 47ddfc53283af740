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
pub mod otlp;
pub mod peek;
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
    check_text(name, bytes)?;
    let p = peek(bytes);
    let mut tried = Vec::new();
    for (format, detector) in detectors() {
        match detector(&p) {
            Ok(()) => return Ok(format),
            Err(missed) => tried.push((format.label().to_string(), missed)),
        }
    }
    // Not a known shape: if it is not even JSON, say where it breaks.
    if p.shape != peek::Shape::Other {
        return Err(Error::UnknownFormat {
            file: name.to_string(),
            tried,
        });
    }
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(strip_bom(bytes)) {
        return Err(common::syntax_error(name, &e));
    }
    Err(Error::UnknownFormat {
        file: name.to_string(),
        tried,
    })
}

/// Refuses what cannot be text: empty files, UTF-16, binary.
fn check_text(name: &str, bytes: &[u8]) -> Result<(), Error> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            file: name.to_string(),
            bytes: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
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
    if head.contains(&0) {
        return Err(Error::Encoding {
            file: name.to_string(),
            reason: "binary data (NUL bytes)".to_string(),
        });
    }
    Ok(())
}

/// Imports one file into the dataset, detecting its format. On error nothing
/// is added. Returns the new source's id.
pub fn import_file(ds: &mut Dataset, name: &str, bytes: &[u8]) -> Result<SourceId, Error> {
    let format = detect(name, bytes)?;
    import_as(ds, name, bytes, format)
}

/// Imports one file in a known format.
pub fn import_as(
    ds: &mut Dataset,
    name: &str,
    bytes: &[u8],
    format: Format,
) -> Result<SourceId, Error> {
    let source = SourceId(u32::try_from(ds.sources.len()).unwrap_or(u32::MAX));
    let body = strip_bom(bytes);
    let mut ctx = Ctx::new(ds, source, name);
    run_importer(&mut ctx, format, body)?;
    let (counts, diagnostics, quality) = ctx.finish();
    ds.sources.push(Source {
        name: name.to_string(),
        format,
        bytes: bytes.len() as u64,
        counts,
        diagnostics,
        quality,
    });
    Ok(source)
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
