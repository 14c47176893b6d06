//! Byte positions of a logical line back on the original text.
//!
//! BuildKit joins an instruction's continuation lines into one logical line (escape
//! characters, comment and empty lines dropped). Every byte of it comes from the text, in
//! order, in a few whole pieces (about one per physical line), so the map keeps one entry
//! per piece instead of one offset per byte: building it costs nothing per byte of text.

/// Text offsets of the bytes of one logical line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Offsets {
    /// Text offset of the first piece, which starts the logical line (kept inline: most
    /// instructions are one line, one piece, and need no allocation).
    first: usize,
    /// (start in the logical line, start in the text) of each later non-empty piece; both increase.
    more: Vec<(usize, usize)>,
    len: usize,
}

impl Offsets {
    /// Appends a piece of `len` bytes read from the text at `at`.
    pub fn push(&mut self, at: usize, len: usize) {
        if len == 0 {
            return;
        }
        if self.len == 0 {
            self.first = at;
        } else {
            self.more.push((self.len, at));
        }
        self.len += len;
    }

    /// The logical line itself: its pieces of `text`, joined.
    pub fn joined(&self, text: &str) -> String {
        let mut out = String::with_capacity(self.len);
        let (mut at, mut src) = (0, self.first);
        for &(next_at, next_src) in &self.more {
            out.push_str(&text[src..src + (next_at - at)]);
            (at, src) = (next_at, next_src);
        }
        out.push_str(&text[src..src + (self.len - at)]);
        out
    }

    /// (start in the logical line, start in the text, length) of each piece.
    fn spans(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        let starts = std::iter::once((0, self.first)).chain(self.more.iter().copied()).take_while(|_| self.len > 0);
        let ends = self.more.iter().map(|p| p.0).chain(std::iter::once(self.len));
        starts.zip(ends).map(|((at, src), end)| (at, src, end - at))
    }

    /// The piece holding byte `k` (< len): (start in the logical line, start in the text).
    fn piece(&self, k: usize) -> (usize, usize) {
        match self.more.partition_point(|&(at, _)| at <= k) {
            0 => (0, self.first),
            i => self.more[i - 1],
        }
    }

    /// Text offset of byte `k` of the logical line, `None` past its end.
    pub fn get(&self, k: usize) -> Option<usize> {
        (k < self.len).then(|| {
            let (at, src) = self.piece(k);
            src + (k - at)
        })
    }

    /// Text offset of byte `k` of the logical line; panics past its end, like indexing.
    pub fn at(&self, k: usize) -> usize {
        self.get(k).unwrap_or_else(|| panic!("offset {k} past the logical line ({} bytes)", self.len))
    }

    /// Index of the first byte whose text offset is `from` or more (the length when none is).
    pub fn position_from(&self, from: usize) -> usize {
        self.spans().find(|&(_, src, len)| src + len > from).map_or(self.len, |(at, src, _)| at + from.saturating_sub(src))
    }

    /// Drops the first `n` bytes, as `String::drain(..n)` does to the logical line.
    pub fn drain_front(&mut self, n: usize) {
        if n >= self.len {
            *self = Offsets::default();
            return;
        }
        if n == 0 {
            return;
        }
        let (at, src) = self.piece(n);
        self.first = src + (n - at);
        let gone = self.more.partition_point(|&(at, _)| at <= n);
        self.more.drain(..gone);
        for p in &mut self.more {
            p.0 -= n;
        }
        self.len -= n;
    }
}

#[cfg(test)]
mod tests {
    use super::Offsets;

    /// The map agrees with the one-offset-per-byte vector it replaced, after every drain.
    #[test]
    fn same_as_per_byte_offsets() {
        let pieces = [(3, 4), (10, 0), (12, 1), (20, 5), (40, 2)];
        for n in 0..14 {
            let mut map = Offsets::default();
            let mut bytes: Vec<usize> = Vec::new();
            for (at, len) in pieces {
                map.push(at, len);
                bytes.extend(at..at + len);
            }
            map.drain_front(n);
            bytes.drain(..n.min(bytes.len()));
            for k in 0..bytes.len() + 2 {
                assert_eq!(map.get(k), bytes.get(k).copied(), "drain {n}, byte {k}");
            }
            let text: String = ('a'..='z').chain('A'..='Z').collect();
            assert_eq!(map.joined(&text), bytes.iter().map(|&o| char::from(text.as_bytes()[o])).collect::<String>(), "drain {n}");
            for from in 0..45 {
                assert_eq!(map.position_from(from), bytes.iter().position(|&o| o >= from).unwrap_or(bytes.len()), "drain {n}, from {from}");
            }
        }
    }
}
