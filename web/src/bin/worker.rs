//! Entry point of the analysis worker.
fn main() {}
