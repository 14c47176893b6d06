//! Line segmentation that mirrors BuildKit's `parser.Parse`.
//!
//! parse-dockerfile gives typed instructions but no whole-instruction spans and refuses some
//! heredoc forms BuildKit accepts (`RUN python3 <<EOF`, several heredocs on one RUN). This
//! module is the source of truth for *where* instructions are: it walks the text line by line
//! exactly like BuildKit (directives, comments and blank lines skipped, escape-character
//! continuations, comment and empty lines inside continuations, heredoc bodies up to their
//! terminator line) and records byte spans on the original text, so nothing is ever lost.

use super::Kind;
use super::lines::{Line, Lines};
use super::offsets::Offsets;
use std::ops::Range;

/// A parser directive (`# syntax=…`, `# escape=…`, `# check=…`) at the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    pub value: String,
    pub span: Range<usize>,
}

/// A heredoc attached to a RUN / COPY / ADD instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// Terminator word (quotes removed).
    pub name: String,
    /// `<<-`: leading tabs are stripped from body lines and the terminator.
    pub chomp: bool,
    /// False when the word was quoted (`<<'EOF'`, `<<"EOF"`): no variable expansion.
    pub expand: bool,
    /// Byte span of the marker word (`<<-"EOF"`) in the instruction's first lines.
    pub marker: Range<usize>,
    /// Body lines, without the terminator line.
    pub body: Range<usize>,
    /// The terminator line, including its line ending.
    pub terminator: Range<usize>,
}

/// The raw segmentation of one instruction.
#[derive(Debug, Clone)]
pub(crate) struct RawInstruction {
    /// Start of the first line .. end of the last line (incl. its line ending).
    pub span: Range<usize>,
    /// Bytes of the original text the keyword was read from: first..last byte. Usually the
    /// keyword as written; wider when BuildKit's joining of continuation lines splits it
    /// (`RU\<newline>N`), empty when the logical line is empty.
    pub keyword: Range<usize>,
    /// The keyword as BuildKit reads it (the first word of the logical line), typed.
    pub kind: Kind,
    /// The keyword as BuildKit reads it differs from the text at `keyword` (split by a continuation).
    pub keyword_split: bool,
    /// A RUN, COPY, ADD or ONBUILD whose `rest` holds `<<` (a heredoc, or something like one).
    pub double_lt: bool,
    /// 1-based line numbers, inclusive, as BuildKit counts them.
    pub start_line: usize,
    pub end_line: usize,
    /// The logical line after the keyword: continuations joined, comment and empty lines
    /// inside continuations dropped (what BuildKit hands to its instruction parser).
    pub rest: String,
    /// For every byte of `rest`, its offset in the original text (to map positions back).
    pub rest_offsets: Offsets,
    pub heredocs: Vec<Heredoc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub offset: usize,
    pub message: String,
}

pub(crate) struct Lexed {
    pub bom: bool,
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<RawInstruction>,
    /// Leading blanks of blank, comment and first instruction lines that hold whitespace
    /// other than space and tab (`\v`, NBSP, …): BuildKit strips them, parse-dockerfile
    /// does not, so the adapter turns them into spaces in its masked copy.
    pub soft_space: Vec<Range<usize>>,
    /// `\r` bytes before a line ending beyond the one of `\r\n`: line ending for BuildKit,
    /// content for parse-dockerfile, so the adapter turns them into spaces.
    pub stray_cr: Vec<Range<usize>>,
}

/// The leading `unicode.IsSpace` run of a line when it holds more than spaces and tabs.
/// `content` is `s` after [`trim_leading_space`].
fn soft_space(s: &str, content: &str, at: usize) -> Option<Range<usize>> {
    let lead = s.len() - content.len();
    s.as_bytes()[..lead].iter().any(|b| *b != b' ' && *b != b'\t').then_some(at..at + lead)
}

/// BuildKit's `reWhitespace` (`[\t\v\f\r ]+`), which separates the keyword from its arguments.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0b' | b'\x0c' | b'\r')
}

/// Go's `unicode.IsSpace` (the Unicode White_Space property, like `char::is_whitespace`):
/// what BuildKit strips before deciding that a line is empty, a comment or an instruction.
fn trim_leading_space(s: &str) -> &str {
    // Spaces and tabs, then an ASCII byte that is no space, is the common case: no decoding.
    let blanks = s.bytes().take_while(|b| matches!(b, b' ' | b'\t')).count();
    let t = &s[blanks..];
    match t.as_bytes().first() {
        Some(b) if b.is_ascii() && !matches!(b, b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ') => t,
        _ => t.trim_start_matches(char::is_whitespace),
    }
}

/// `# name = value` at the top of the file (BuildKit's `reDirective`, whose `\s` is RE2's
/// `[\t\n\f\r ]`).
fn parse_directive(line: &str) -> Option<(String, String)> {
    const RE2_SPACE: [char; 5] = [' ', '\t', '\n', '\x0c', '\r'];
    let s = line.strip_prefix('#')?;
    let s = s.trim_start_matches(RE2_SPACE);
    let name_len = s.char_indices().take_while(|(i, c)| if *i == 0 { c.is_ascii_alphabetic() } else { c.is_ascii_alphanumeric() }).count();
    if name_len == 0 {
        return None;
    }
    let (name, rest) = s.split_at(name_len);
    let rest = rest.trim_start_matches(RE2_SPACE).strip_prefix('=')?;
    let value = rest.trim_matches(RE2_SPACE);
    // `(.+?)`: a directive has a value; `# escape=` is a comment.
    (!value.is_empty()).then(|| (name.to_ascii_lowercase(), value.to_string()))
}

/// Strips `escape [ \t]*` at the end of a line; returns (content, ends_instruction).
/// An escaped escape character (`\\` at the end) is no continuation: BuildKit's pattern is
/// `(^|[^\\])\\[ \t]*$`.
fn trim_continuation(s: &str, escape: char) -> (&str, bool) {
    let t = s.trim_end_matches([' ', '\t']);
    match t.strip_suffix(escape) {
        Some(c) if !c.ends_with(escape) => (c, false),
        _ => (s, true),
    }
}

pub(crate) fn lex(text: &str) -> Result<Lexed, LexError> {
    let bom = text.starts_with('\u{feff}');
    let body_start = if bom { 3 } else { 0 };
    // BuildKit's `trimNewline` removes every trailing `\r` (and `\n`), not only the one
    // of a CRLF ending: `x \` + `\r\r\n` continues.
    let line_str = |l: &Line| text[l.start..l.content_end].trim_end_matches('\r');

    // Parser directives: consecutive directive lines at the very top.
    let mut directives = Vec::new();
    let mut escape = '\\';
    for l in Lines::new(text, body_start) {
        // BuildKit matches its directive pattern after stripping leading whitespace.
        match parse_directive(trim_leading_space(line_str(&l))) {
            Some((name, value)) => {
                if directives.iter().any(|d: &Directive| d.name == name) {
                    break; // BuildKit: a repeated directive ends directive parsing (treated as comment)
                }
                if name == "escape" {
                    escape = match value.as_str() {
                        "`" => '`',
                        "\\" => '\\',
                        _ => {
                            return Err(LexError { offset: l.start, message: format!("invalid escape token '{value}' does not match ` or \\") });
                        }
                    };
                }
                directives.push(Directive { name, value, span: l.start..l.end });
            }
            None => break,
        }
    }

    // At most one instruction per line (counting them is a vectorised scan): sized once, up to
    // a limit (a huge heredoc body is many lines and no instructions).
    let line_count = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    let mut instructions = Vec::with_capacity(line_count.min(1024));
    let mut soft = Vec::new();
    let mut lines = Lines::new(text, body_start);
    while let Some(first) = lines.next() {
        let s = line_str(&first);
        let content = trim_leading_space(s);
        soft.extend(soft_space(s, content, first.start));
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let start_line = lines.number;
        let mut last = first;
        let content_start = first.start + (s.len() - content.len());
        // The pieces of the logical line first, then the line in one allocation of its size.
        let mut rest_offsets = Offsets::default();
        let (first_piece, mut ends) = trim_continuation(content, escape);
        rest_offsets.push(content_start, first_piece.len());
        while !ends {
            let Some(l) = lines.next() else { break };
            last = l;
            let ls = line_str(&l);
            let trimmed = trim_leading_space(ls);
            if trimmed.starts_with('#') || trimmed.is_empty() {
                soft.extend(soft_space(ls, trimmed, l.start));
                continue;
            }
            let (c, e) = trim_continuation(ls, escape);
            ends = e;
            rest_offsets.push(l.start, c.len());
        }
        // Keyword: the first word of the logical line (BuildKit's `splitCommand`: TrimSpace,
        // then split at `[\t\v\f\r ]`). When the first line held only the escape character,
        // the logical line starts with the next line's leading blanks, and a keyword split by
        // a continuation (`RU\` + `N x`) is read joined, as BuildKit does.
        let (kw_start, kw_end) = first_word_range(first_piece);
        let (keyword, kind, keyword_split, after_kw) = if kw_end > kw_start && kw_end < first_piece.len() {
            // The usual case, the first piece holds the keyword and the blank after it: the
            // logical line is joined without the keyword.
            rest_offsets.drain_front(kw_end);
            let kind = Kind::from_keyword_or_unknown(&first_piece[kw_start..kw_end]);
            (content_start + kw_start..content_start + kw_end, kind, false, rest_offsets.joined(text))
        } else {
            let mut rest = rest_offsets.joined(text);
            let (kw_start, kw_end) = first_word_range(&rest);
            let keyword = if kw_end > kw_start { rest_offsets.at(kw_start)..rest_offsets.at(kw_end - 1) + 1 } else { content_start..content_start };
            let keyword_text = &rest[kw_start..kw_end];
            let kind = Kind::from_keyword_or_unknown(keyword_text);
            let keyword_split = text[keyword.clone()] != *keyword_text;
            rest.drain(..kw_end);
            rest_offsets.drain_front(kw_end);
            (keyword, kind, keyword_split, rest)
        };
        let after_offsets = rest_offsets;
        let double_lt = matches!(kind, Kind::Run | Kind::Copy | Kind::Add | Kind::Onbuild) && has_double_lt(&after_kw);
        let mut heredocs = Vec::new();
        if double_lt && heredoc_args(&kind, &after_kw).is_some_and(|a| !json_form(a)) && shell_syntax_ok(&after_kw) {
            for (word, wspan) in shell_words_raw(&after_kw) {
                let Some((chomp, name, expand)) = parse_heredoc_word(&word) else { continue };
                let marker = map_range(&after_offsets, wspan, text.len());
                let body_start = last.end;
                let mut terminated = None;
                for l in lines.by_ref() {
                    last = l;
                    let mut cand = line_str(&l);
                    if chomp {
                        cand = cand.trim_start_matches('\t');
                    }
                    if cand == name {
                        terminated = Some(l);
                        break;
                    }
                }
                match terminated {
                    Some(t) => heredocs.push(Heredoc { name, chomp, expand, marker, body: body_start..t.start, terminator: t.start..t.end }),
                    None => {
                        return Err(LexError {
                            offset: marker.start,
                            message: format!("unterminated heredoc <<{name} (no line `{name}` before the end of the file)"),
                        });
                    }
                }
            }
        }
        instructions.push(RawInstruction {
            span: first.start..last.end,
            keyword,
            kind,
            keyword_split,
            double_lt,
            start_line,
            end_line: lines.number,
            rest: after_kw,
            rest_offsets: after_offsets,
            heredocs,
        });
    }
    Ok(Lexed { bom, escape, directives, instructions, soft_space: soft, stray_cr: lines.stray_cr })
}

fn map_range(offsets: &Offsets, r: Range<usize>, text_len: usize) -> Range<usize> {
    let start = offsets.get(r.start).unwrap_or(text_len);
    let end = if r.end == 0 { start } else { offsets.get(r.end - 1).map_or(text_len, |o| o + 1) };
    start..end
}

/// Shell words with quotes and backslashes kept raw (BuildKit's `RawQuotes`/`RawEscapes`
/// lexer used by `heredocsFromLine`), each with its byte range in `s`.
pub(crate) fn shell_words_raw(s: &str) -> Vec<(String, Range<usize>)> {
    let b = s.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i] as char).is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        let mut quote: Option<u8> = None;
        while i < b.len() {
            let c = b[i];
            match quote {
                Some(q) => {
                    if c == b'\\' && q == b'"' && i + 1 < b.len() {
                        i += 1;
                    } else if c == q {
                        quote = None;
                    }
                }
                None => {
                    if (c as char).is_ascii_whitespace() {
                        break;
                    }
                    if c == b'\\' && i + 1 < b.len() {
                        i += 1;
                    } else if c == b'\'' || c == b'"' {
                        quote = Some(c);
                    }
                }
            }
            i += 1;
        }
        let end = i.min(b.len());
        words.push((s[start..end].to_string(), start..end));
    }
    words
}

/// `s.contains("<<")`, by a vectorised search for `<` (this runs for every RUN, COPY and ADD).
fn has_double_lt(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'<', b).any(|i| b.get(i + 1) == Some(&b'<'))
}

/// The arguments that may hold heredocs (BuildKit's `canContainHeredoc`): those of RUN,
/// COPY and ADD, also as an ONBUILD trigger.
fn heredoc_args<'a>(kind: &Kind, after_kw: &'a str) -> Option<&'a str> {
    let can = |k: &str| ["run", "copy", "add"].iter().any(|h| k.eq_ignore_ascii_case(h));
    match kind {
        Kind::Run | Kind::Copy | Kind::Add => Some(after_kw),
        Kind::Onbuild => {
            let (trigger, rest) = first_word(after_kw);
            can(trigger).then_some(rest)
        }
        _ => None,
    }
}

/// Byte range of the first word of `s` (see [`first_word`]).
fn first_word_range(s: &str) -> (usize, usize) {
    let start = s.len() - trim_leading_space(s).len();
    (start, start + s[start..].bytes().take_while(|b| !is_ws(*b)).count())
}

/// BuildKit's `splitCommand`: the first word after `TrimSpace`, split at `[\t\v\f\r ]`
/// (so `RUN\u{a0}x` is one word), and what follows it.
pub(crate) fn first_word(s: &str) -> (&str, &str) {
    let t = trim_leading_space(s);
    let end = t.bytes().position(is_ws).unwrap_or(t.len());
    t.split_at(end)
}

/// Exec (JSON) form, which has no heredocs: after the `--flags`, the first JSON value is an
/// array of strings (Go's `json.Decoder` ignores what follows it, so `["a"] <<EOF` is JSON).
fn json_form(args: &str) -> bool {
    let mut t = args.trim_start_matches(char::is_whitespace);
    while t.starts_with("--") {
        t = t[t.find(|c: char| c.is_ascii_whitespace()).unwrap_or(t.len())..].trim_start_matches(char::is_whitespace);
    }
    t.starts_with('[') && matches!(serde_json::Deserializer::from_str(t).into_iter::<Vec<String>>().next(), Some(Ok(_)))
}

/// Whether BuildKit's shell lexer (`RawQuotes`, `RawEscapes`) reads `s` without an error.
/// `heredocsFromLine` ignores the error and gets no words, so a line with an unterminated
/// quote or a bad `${…}` has no heredoc: its next lines are instructions, not a body.
pub(crate) fn shell_syntax_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    shell_until(b, &mut i, None)
}

/// Scans words from `b[*i]` up to `stop` (outside quotes) or the end; false on a lexer error.
fn shell_until(b: &[u8], i: &mut usize, stop: Option<u8>) -> bool {
    while *i < b.len() {
        let c = b[*i];
        *i += 1;
        match c {
            _ if Some(c) == stop => return true,
            b'\\' => *i += 1,
            b'\'' => match b[*i..].iter().position(|&q| q == b'\'') {
                Some(k) => *i += k + 1,
                None => return false,
            },
            b'"' => loop {
                match b.get(*i) {
                    None => return false,
                    Some(b'"') => {
                        *i += 1;
                        break;
                    }
                    Some(b'\\') => *i += 2,
                    Some(b'$') => {
                        *i += 1;
                        if !shell_dollar(b, i) {
                            return false;
                        }
                    }
                    Some(_) => *i += 1,
                }
            },
            b'$' if !shell_dollar(b, i) => return false,
            _ => {}
        }
    }
    stop.is_none()
}

/// After a `$`: `$name` always reads; `${name}`, `${name[:]op word}` with op one of
/// `- + ? =` read; anything else (`${}`, `${a.b}`, `${a%x}`, a missing `}`) is an error.
fn shell_dollar(b: &[u8], i: &mut usize) -> bool {
    if b.get(*i) != Some(&b'{') {
        return true;
    }
    *i += 1;
    match b.get(*i) {
        None | Some(b'{' | b'}' | b':') => return false,
        Some(c) if c.is_ascii_digit() => *i += b[*i..].iter().take_while(|c| c.is_ascii_digit()).count(),
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => *i += b[*i..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count(),
        Some(_) => *i += 1,
    }
    match b.get(*i) {
        Some(b'}') => {
            *i += 1;
            true
        }
        Some(b':') if matches!(b.get(*i + 1), Some(b'-' | b'+' | b'?' | b'=')) => {
            *i += 2;
            shell_until(b, i, Some(b'}'))
        }
        Some(b'-' | b'+' | b'?' | b'=') => {
            *i += 1;
            shell_until(b, i, Some(b'}'))
        }
        _ => false,
    }
}

/// BuildKit's `^(\d*)<<(-?)([^<]*)$` on one word; returns (chomp, name, expand).
fn parse_heredoc_word(word: &str) -> Option<(bool, String, bool)> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let rest = word[digits..].strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let quoted = rest.contains(['\'', '"']);
    let mut name = String::new();
    let mut chars = rest.chars();
    let mut quote = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '\\') | (Some('"'), '\\') => {
                if let Some(n) = chars.next() {
                    name.push(n);
                }
            }
            (_, c) => name.push(c),
        }
    }
    if name.is_empty() {
        return None;
    }
    Some((chomp, name, !quoted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_syntax_errors_like_buildkit() {
        // Each checked with the oracle: heredoc found (ok) or not (error).
        for ok in [
            "${a-x}",
            "${a+x}",
            "${a?x}",
            "${a:=x}",
            "${a:?x}",
            "${a:+x}",
            "'${a'",
            "\"\\\"\"",
            "\\${a",
            "${a:-${b}}",
            "$ {",
            "${_x}",
            "${a1}",
            "${a-}",
            "${-}",
            "${1}",
        ] {
            assert!(shell_syntax_ok(&format!(" <<EOF echo {ok}")), "{ok}");
        }
        for bad in ["\"", "'", "${a", "${a.b}", "${}", "${a:-", "${a/x/y}", "${a%x}", "${a#x}", "\"${a\"", "${a:-${b}", "${a}b${", "\"a\"\"b", "${1a}"] {
            assert!(!shell_syntax_ok(&format!(" <<EOF echo {bad}")), "{bad}");
        }
    }

    #[test]
    fn heredoc_words() {
        assert_eq!(parse_heredoc_word("<<EOF"), Some((false, "EOF".into(), true)));
        assert_eq!(parse_heredoc_word("3<<-'END'"), Some((true, "END".into(), false)));
        assert_eq!(parse_heredoc_word("<<"), None);
        assert_eq!(parse_heredoc_word("a<<b"), None);
    }

    #[test]
    fn directives_stop_at_first_other_line() {
        let l = lex("# syntax=docker/dockerfile:1\n# escape=`\n\n# escape=\\\nFROM a\n").unwrap();
        assert_eq!(l.escape, '`');
        assert_eq!(l.directives.len(), 2);
    }

    #[test]
    fn continuation_with_comment_and_blank() {
        let l = lex("FROM a\nRUN x \\\n# c\n\n  y\nCMD z").unwrap();
        let r = &l.instructions[1];
        assert_eq!((r.start_line, r.end_line), (2, 5));
        assert_eq!(r.rest, " x   y");
        assert_eq!(l.instructions[2].span.end, "FROM a\nRUN x \\\n# c\n\n  y\nCMD z".len());
    }

    #[test]
    fn two_heredocs_on_one_run() {
        let t = "FROM a\nRUN <<A 3<<-B cat\na\nA\n\tb\n\tB\nCMD x\n";
        let l = lex(t).unwrap();
        let r = &l.instructions[1];
        assert_eq!(r.heredocs.len(), 2);
        assert_eq!((r.start_line, r.end_line), (2, 6));
        assert_eq!(&t[r.heredocs[1].terminator.clone()], "\tB\n");
    }

    #[test]
    fn unterminated_heredoc_is_an_error() {
        let e = lex("FROM a\nRUN <<EOF\necho\n").err().unwrap();
        assert_eq!(e.offset, "FROM a\nRUN ".len());
    }
}
