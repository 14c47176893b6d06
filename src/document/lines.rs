//! Physical lines of a Dockerfile, read one after the other.
//!
//! The lexer looks at most lines once, so they are read as it asks for them rather than
//! collected first; line ends come from one vectorised scan over the text.

use std::ops::Range;

/// One physical line: `start..content_end` is the text without its line ending,
/// `start..end` includes `\n` / `\r\n` when present.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub start: usize,
    pub content_end: usize,
    pub end: usize,
}

/// The physical lines of `text` from a byte offset on, read as they are needed (no vector of
/// them: most are looked at once). Also collects the stray `\r` bytes of the lines it reads.
pub(crate) struct Lines<'a> {
    text: &'a str,
    next: usize,
    /// Line ends, found by one vectorised scan over the text (lines are short: a search
    /// started anew for each costs more than the search itself).
    newlines: memchr::Memchr<'a>,
    /// Where the scan started (its positions are relative to it).
    base: usize,
    /// How many lines were read: the 1-based number of the last one, as BuildKit counts.
    pub number: usize,
    /// See [`super::lex::Lexed::stray_cr`].
    pub stray_cr: Vec<Range<usize>>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str, from: usize) -> Self {
        Lines { text, next: from, newlines: memchr::memchr_iter(b'\n', &text.as_bytes()[from..]), base: from, number: 0, stray_cr: Vec::new() }
    }
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        let (text, start) = (self.text, self.next);
        if start >= text.len() {
            return None;
        }
        let bytes = text.as_bytes();
        let (content_end, end) = match self.newlines.next().map(|i| self.base + i) {
            Some(i) => (if i > start && bytes[i - 1] == b'\r' { i - 1 } else { i }, i + 1),
            None => (bytes.len(), bytes.len()),
        };
        if content_end > start && bytes[content_end - 1] == b'\r' {
            let kept = text[start..content_end].trim_end_matches('\r').len();
            self.stray_cr.push(start + kept..content_end);
        }
        self.next = end;
        self.number += 1;
        Some(Line { start, content_end, end })
    }
}
