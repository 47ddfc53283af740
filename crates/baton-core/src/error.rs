//! The core's one error type.

use std::fmt;

/// What went wrong, with the file and position it concerns.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The file is not valid JSON (or NDJSON / CSV) where it has to be.
    Syntax {
        /// File name.
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// What the parser said.
        reason: String,
    },
    /// The file parsed but matches no known format.
    UnknownFormat {
        /// File name.
        file: String,
        /// Each format tried, with what it missed.
        tried: Vec<(String, String)>,
    },
    /// The file cannot be decoded as text (binary, UTF-16 ...).
    Encoding {
        /// File name.
        file: String,
        /// Why.
        reason: String,
    },
    /// The file is empty or holds only whitespace.
    Empty {
        /// File name.
        file: String,
    },
    /// The file is larger than the memory budget.
    TooLarge {
        /// File name.
        file: String,
        /// Its size in bytes.
        bytes: u64,
        /// The budget in bytes.
        limit: u64,
    },
    /// A value the caller gave (option, threshold file, price override) is invalid.
    Invalid {
        /// What was given.
        what: String,
        /// Why it is refused.
        reason: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Syntax {
                file,
                line,
                column,
                reason,
            } => {
                write!(
                    f,
                    "{file}: not valid at line {line}, column {column}: {reason}"
                )
            }
            Error::UnknownFormat { file, tried } => {
                write!(f, "{file}: no known format matches")?;
                for (i, (format, missed)) in tried.iter().enumerate() {
                    let sep = if i == 0 { " (" } else { "; " };
                    write!(f, "{sep}{format}: {missed}")?;
                }
                if !tried.is_empty() {
                    write!(f, ")")?;
                }
                Ok(())
            }
            Error::Encoding { file, reason } => {
                write!(f, "{file}: cannot be read as text: {reason}")
            }
            Error::Empty { file } => write!(f, "{file}: the file is empty"),
            Error::TooLarge { file, bytes, limit } => write!(
                f,
                "{file}: {bytes} bytes is more than the {limit}-byte limit"
            ),
            Error::Invalid { what, reason } => write!(f, "{what}: {reason}"),
        }
    }
}

impl std::error::Error for Error {}
