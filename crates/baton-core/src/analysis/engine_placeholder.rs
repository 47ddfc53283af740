//! TEMPORARY PLACEHOLDER until the analytics engine is merged: returns an
//! empty analysis so the CLI compiles. Delete this file and its two lines in
//! `analysis/mod.rs` when `engine::analyze` lands.

use super::{Analysis, AnalysisOptions};
use crate::model::Dataset;

/// Placeholder: an empty analysis.
pub fn analyze(_: &Dataset, _: &AnalysisOptions) -> Analysis {
    Analysis::default()
}
