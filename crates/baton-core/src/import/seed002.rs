//! Placeholder.
use super::peek::Peek;
use super::Ctx;
use crate::Error;
/// Detector.
pub fn detect(_p: &Peek) -> Result<(), String> {
    Err("todo".into())
}
/// Importer.
pub fn import(_ctx: &mut Ctx<'_>, _body: &[u8]) -> Result<(), Error> {
    Ok(())
}
