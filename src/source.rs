//! Reading one Dockerfile: a size limit and UTF-8 checked with a position.
//!
//! restage holds a few dozen bytes per byte of input while it works on a file (spans, the
//! masked copy, offsets), so an accidental multi-gigabyte "Dockerfile" would take the whole
//! machine's memory: files larger than the limit are an error for that file, reported with
//! their size. The limit is checked on what is actually read, not only on the size the file
//! system reports (pipes, `/proc` files and growing files report something else).

use std::io::Read;
use std::path::Path;

/// Default size limit: far beyond any real Dockerfile (the largest in the corpus is ~40 KB).
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// Why a file could not be read as Dockerfile text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceErrorKind {
    /// Larger than the limit; `size` is what the file system reports (or at least `limit + 1`).
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// Not UTF-8; the position is the first invalid byte.
    NotUtf8,
    Io(std::io::ErrorKind),
}

/// A read failure with the 1-based position it refers to (1:1 unless the text is not UTF-8).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SourceError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub kind: SourceErrorKind,
}

impl SourceError {
    fn io(e: &std::io::Error) -> SourceError {
        SourceError { line: 1, column: 1, message: format!("cannot read: {e}"), kind: SourceErrorKind::Io(e.kind()) }
    }
    fn too_large(size: u64, limit: u64) -> SourceError {
        SourceError {
            line: 1,
            column: 1,
            message: format!("file too large: {} is over the limit of {} (raise it with --max-file-size)", human(size), human(limit)),
            kind: SourceErrorKind::TooLarge { size, limit },
        }
    }
}

/// Reads `path` as UTF-8 text of at most `max_bytes` bytes.
pub fn read_source(path: &Path, max_bytes: u64) -> Result<String, SourceError> {
    let file = std::fs::File::open(path).map_err(|e| SourceError::io(&e))?;
    let reported = file.metadata().map_err(|e| SourceError::io(&e))?.len();
    if reported > max_bytes {
        return Err(SourceError::too_large(reported, max_bytes));
    }
    // Sized from the reported length (plus one byte, so the end shows as a read of 0 into
    // spare room): one read of the text and one of the end, not a series of doubling reads.
    read_into(file, max_bytes, Vec::with_capacity(reported as usize + 1))
}

/// Reads a stream (stdin) as UTF-8 text of at most `max_bytes` bytes.
pub fn read_limited(reader: impl Read, max_bytes: u64) -> Result<String, SourceError> {
    read_into(reader, max_bytes, Vec::new())
}

fn read_into(reader: impl Read, max_bytes: u64, mut bytes: Vec<u8>) -> Result<String, SourceError> {
    reader.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| SourceError::io(&e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(SourceError::too_large(bytes.len() as u64, max_bytes));
    }
    decode(bytes)
}

/// UTF-8 text, or an error at the line and column of the first invalid byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, SourceError> {
    String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..off]).expect("valid up to the first bad byte");
        let (line, column) = crate::document::line_col(valid, off);
        SourceError { line, column, message: "not UTF-8 text".into(), kind: SourceErrorKind::NotUtf8 }
    })
}

/// `12.0 MiB (12582912 bytes)`: readable, and exact for whoever sets a limit from it.
fn human(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {} ({n} bytes)", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut f, bytes).unwrap();
        f
    }

    #[test]
    fn reads_text_within_the_limit() {
        let f = file(b"FROM a\n");
        assert_eq!(read_source(f.path(), 7).unwrap(), "FROM a\n");
        assert_eq!(read_source(f.path(), DEFAULT_MAX_BYTES).unwrap(), "FROM a\n");
    }

    #[test]
    fn too_large_says_size_and_limit() {
        let f = file(&vec![b'#'; 3 * 1024 * 1024 + 5]);
        let e = read_source(f.path(), 2 * 1024 * 1024).unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::TooLarge { size: 3 * 1024 * 1024 + 5, limit: 2 * 1024 * 1024 });
        assert!(e.message.contains("3.0 MiB (3145733 bytes)"), "{}", e.message);
        assert!(e.message.contains("2.0 MiB (2097152 bytes)"), "{}", e.message);
        assert_eq!((e.line, e.column), (1, 1));
        // A stream that does not report its size is cut at limit + 1 bytes.
        let e = read_limited(std::io::repeat(b'a'), 100).unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::TooLarge { size: 101, limit: 100 });
        assert!(e.message.contains("100 bytes"), "{}", e.message);
    }

    #[test]
    fn not_utf8_points_at_the_first_bad_byte() {
        let f = file(b"FROM a\nRUN \xc3\xa9\xff x\n");
        let e = read_source(f.path(), DEFAULT_MAX_BYTES).unwrap_err();
        assert_eq!((e.line, e.column, e.kind.clone()), (2, 6, SourceErrorKind::NotUtf8));
        assert_eq!(e.message, "not UTF-8 text");
        let e = decode(b"\xef\xbb\xbfA\xfe".to_vec()).unwrap_err();
        assert_eq!((e.line, e.column), (1, 2), "the BOM is not a column");
    }

    #[test]
    fn io_errors_are_errors() {
        let e = read_source(Path::new("/nonexistent/restage/Dockerfile"), DEFAULT_MAX_BYTES).unwrap_err();
        assert_eq!(e.kind, SourceErrorKind::Io(std::io::ErrorKind::NotFound));
        assert!(e.message.starts_with("cannot read: "), "{}", e.message);
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read_source(dir.path(), DEFAULT_MAX_BYTES).unwrap_err().kind, SourceErrorKind::Io(_)));
    }
}
