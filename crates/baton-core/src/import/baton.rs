//! Baton's canonical format (in progress).
use super::common::Ctx;
use super::peek::Peek;
use crate::Error;

/// Detects a Baton JSON document.
pub fn detect_json(_p: &Peek) -> Result<(), String> {
    Err("not yet".into())
}
/// Detects Baton NDJSON.
pub fn detect_ndjson(_p: &Peek) -> Result<(), String> {
    Err("not yet".into())
}
/// Imports a Baton document.
pub fn import_json(ctx: &mut Ctx<'_>, _body: &[u8]) -> Result<(), Error> {
    Err(Error::Invalid {
        what: ctx.file.clone(),
        reason: "not yet".into(),
    })
}
/// Imports Baton NDJSON.
pub fn import_ndjson(ctx: &mut Ctx<'_>, _body: &[u8]) -> Result<(), Error> {
    Err(Error::Invalid {
        what: ctx.file.clone(),
        reason: "not yet".into(),
    })
}
