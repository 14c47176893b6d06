//! The only module that knows parse-dockerfile.
//!
//! parse-dockerfile validates instruction syntax (bad JSON, missing arguments, unknown
//! instructions) and types flags, images and commands. It refuses heredocs that are not the
//! first token of RUN, so it is fed a *masked* copy of the text of the same length: heredoc
//! markers and bodies (already segmented by `lex`) are blanked out, so every span it returns
//! is a valid span of the original. Instructions are aligned with ours by keyword offset;
//! the rare one it reads differently (its `ENV a\\` continuation bug) falls back to our own
//! reading of the logical line.

use super::lex::{Lexed, RawInstruction, first_word};
use super::{Command, Details, Flag, Instruction, Kind, ParseError};
use parse_dockerfile as pd;
use std::borrow::Cow;
use std::ops::Range;

/// Types the raw instructions of `lexed`, which it takes (their strings move into the result).
pub(crate) fn type_instructions(text: &str, lexed: &mut Lexed) -> Result<Vec<Instruction>, ParseError> {
    let masked = mask_heredocs(text, lexed);
    // parse-dockerfile gives its instructions in text order, like ours: walk both together,
    // pairing them by keyword offset (ours that it did not see are typed by our own reading).
    // Its first error is the file's error, wherever it is, as when it was read to the end first.
    let mut typed = pd::parse_iter(&masked).map_err(|e| pd_error(text, &e))?.map(|ins| ins.map(|ins| (keyword_start(&ins), ins)));
    let mut next_typed = typed.next().transpose().map_err(|e| pd_error(text, &e))?;
    let mut out = Vec::with_capacity(lexed.instructions.len());
    let mut prev_end = if lexed.bom { 3 } else { 0 };
    for raw in std::mem::take(&mut lexed.instructions) {
        // (`usize::MAX`: a kind this version does not know, never paired.)
        while next_typed.as_ref().is_some_and(|(at, _)| *at < raw.keyword.start || *at == usize::MAX) {
            next_typed = typed.next().transpose().map_err(|e| pd_error(text, &e))?;
        }
        let (flags, details) = match &next_typed {
            Some((at, ins)) if *at == raw.keyword.start => from_pd(ins, &raw),
            _ => own_reading(&raw),
        };
        out.push(Instruction {
            kind: raw.kind,
            span: raw.span.clone(),
            leading: prev_end..raw.span.start,
            keyword: raw.keyword,
            start_line: raw.start_line,
            end_line: raw.end_line,
            rest: raw.rest,
            flags,
            heredocs: raw.heredocs,
            details,
        });
        prev_end = raw.span.end;
    }
    for ins in typed {
        ins.map_err(|e| pd_error(text, &e))?;
    }
    Ok(out)
}

fn pd_error(text: &str, e: &pd::Error) -> ParseError {
    // parse-dockerfile's column is not reliable; point at the first non-blank of the line.
    let line = e.line().max(1);
    let line_text = text.split('\n').nth(line - 1).unwrap_or("");
    let column = line_text.chars().take_while(|c| *c == ' ' || *c == '\t' || *c == '\u{feff}').count() + 1;
    ParseError { line, column, message: format!("{e:#}") }
}

/// The masked text, copied only once something in it changes: most files need no mask.
struct Mask<'a> {
    text: &'a str,
    copy: Option<Vec<u8>>,
}

impl<'a> Mask<'a> {
    fn current(&self) -> &[u8] {
        self.copy.as_deref().unwrap_or(self.text.as_bytes())
    }
    fn bytes(&mut self) -> &mut Vec<u8> {
        self.copy.get_or_insert_with(|| self.text.as_bytes().to_vec())
    }
    /// Spaces for every byte of `r` but line endings.
    fn blank(&mut self, r: Range<usize>) {
        if self.current()[r.clone()].iter().any(|b| !matches!(b, b' ' | b'\n' | b'\r')) {
            for b in &mut self.bytes()[r] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b' ';
                }
            }
        }
    }
    fn finish(self) -> Cow<'a, str> {
        match self.copy {
            None => Cow::Borrowed(self.text),
            Some(bytes) => Cow::Owned(String::from_utf8(bytes).expect("masking only replaces whole ASCII-safe bytes")),
        }
    }
}

/// Same-length copy of `text` with heredoc markers (`<<`, `<<-`) and bodies blanked.
fn mask_heredocs<'a>(text: &'a str, lexed: &Lexed) -> Cow<'a, str> {
    let mut mask = Mask { text, copy: None };
    if lexed.bom {
        // Keep offsets identical: the BOM's three bytes become spaces.
        mask.bytes()[..3].copy_from_slice(b"   ");
    }
    for r in &lexed.soft_space {
        mask.blank(r.clone());
    }
    for r in &lexed.stray_cr {
        mask.bytes()[r.clone()].fill(b' ');
    }
    for d in &lexed.directives {
        // ` # escape=`` is a directive for BuildKit; parse-dockerfile wants the `#` first:
        // move the indentation to the end of the line (same length, value trimmed anyway).
        let line = &text[d.span.clone()];
        let content = line.trim_end_matches(['\r', '\n']);
        let lead = content.len() - content.trim_start_matches(char::is_whitespace).len();
        if lead > 0 {
            let rotated: Vec<u8> = content.as_bytes()[lead..].iter().copied().chain(std::iter::repeat_n(b' ', lead)).collect();
            mask.bytes()[d.span.start..d.span.start + content.len()].copy_from_slice(&rotated);
        }
    }
    for raw in &lexed.instructions {
        let kind = (!matches!(raw.kind, Kind::Unknown(_))).then_some(&raw.kind);
        // BuildKit keeps an ONBUILD trigger as text until a child build runs it, so an
        // unknown trigger keyword is no error here (parse-dockerfile would refuse it).
        let unknown_trigger = kind == Some(&Kind::Onbuild) && Kind::from_keyword(first_word(&raw.rest).0).is_none();
        // `<<` where BuildKit sees no heredoc (a quote left open, `a<<b`, `<<<`):
        // parse-dockerfile might read one and swallow the next lines.
        let stray_heredoc = raw.double_lt && raw.heredocs.is_empty();
        if kind.is_none() || unknown_trigger || stray_heredoc || raw.keyword_split {
            // BuildKit's parser accepts unknown instructions (the build rejects them later);
            // hide them from parse-dockerfile and let the caller decide. A keyword split by a
            // continuation (`RU\` + `N`) cannot be shown to it at the same offsets: our own
            // reading of the logical line types it.
            mask.blank(raw.span.clone());
            continue;
        }
        // Lines before the keyword (a first line holding only the escape character, then
        // comment or empty lines) and the indentation: BuildKit joins them away.
        mask.blank(raw.span.start..raw.keyword.start);
        if matches!(kind, Some(Kind::Cmd | Kind::Entrypoint)) && is_empty_json(&raw.rest) {
            // `ENTRYPOINT []` resets the entrypoint; parse-dockerfile wants one argument.
            let open = raw.rest_offsets.at(raw.rest.find('[').unwrap());
            mask.bytes()[open] = b'"';
            let close = raw.rest_offsets.at(raw.rest.rfind(']').unwrap());
            mask.bytes()[close] = b'"';
        }
        for h in &raw.heredocs {
            // `3<<-"EOF"` → `3   "EOF"`: keep the word so the instruction keeps an argument.
            let m = &text[h.marker.clone()];
            if let Some(p) = m.find("<<") {
                let start = h.marker.start + p;
                let len = if m[p + 2..].starts_with('-') { 3 } else { 2 };
                mask.blank(start..start + len);
            }
            mask.blank(h.body.start..h.terminator.end);
        }
    }
    mask.finish()
}

/// `[]` with JSON whitespace inside (what `serde_json` reads as an empty `Vec<String>`).
fn is_empty_json(rest: &str) -> bool {
    rest.trim().strip_prefix('[').and_then(|r| r.strip_suffix(']')).is_some_and(|inner| inner.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')))
}

fn keyword_start(ins: &pd::Instruction<'_>) -> usize {
    use pd::Instruction as I;
    match ins {
        I::Add(i) => i.add.span.start,
        I::Arg(i) => i.arg.span.start,
        I::Cmd(i) => i.cmd.span.start,
        I::Copy(i) => i.copy.span.start,
        I::Entrypoint(i) => i.entrypoint.span.start,
        I::Env(i) => i.env.span.start,
        I::Expose(i) => i.expose.span.start,
        I::From(i) => i.from.span.start,
        I::Healthcheck(i) => i.healthcheck.span.start,
        I::Label(i) => i.label.span.start,
        I::Maintainer(i) => i.maintainer.span.start,
        I::Onbuild(i) => i.onbuild.span.start,
        I::Run(i) => i.run.span.start,
        I::Shell(i) => i.shell.span.start,
        I::Stopsignal(i) => i.stopsignal.span.start,
        I::User(i) => i.user.span.start,
        I::Volume(i) => i.volume.span.start,
        I::Workdir(i) => i.workdir.span.start,
        _ => usize::MAX,
    }
}

fn flags(fs: &[pd::Flag<'_>]) -> Vec<Flag> {
    fs.iter().map(|f| Flag { name: f.name.value.to_string(), value: f.value.as_ref().map(|v| v.value.to_string()), span: f.span() }).collect()
}

/// The logical text starting at original offset `from` (used for shell-form commands so
/// that continuations and inner comments are already removed).
fn rest_from(raw: &RawInstruction, from: usize) -> String {
    let k = raw.rest_offsets.position_from(from);
    raw.rest[k..].trim().to_string()
}

fn command(c: &pd::Command<'_>, raw: &RawInstruction) -> Command {
    match c {
        pd::Command::Exec(v) => Command::Exec(v.value.iter().map(|s| s.value.to_string()).collect()),
        pd::Command::Shell(s) => Command::Shell(rest_from(raw, s.span.start)),
        _ => Command::Shell(raw.rest.trim().to_string()),
    }
}

fn from_pd(ins: &pd::Instruction<'_>, raw: &RawInstruction) -> (Vec<Flag>, Details) {
    use pd::Instruction as I;
    if matches!(raw.kind, Kind::Cmd | Kind::Entrypoint) && is_empty_json(&raw.rest) {
        return (Vec::new(), Details::Command(Command::Exec(Vec::new())));
    }
    match ins {
        I::From(f) => (
            flags(&f.options),
            Details::From {
                image: f.image.value.to_string(),
                image_span: f.image.span.clone(),
                alias: f.as_.as_ref().map(|(_, n)| (n.value.to_string(), n.span.clone())),
            },
        ),
        I::Run(r) => (flags(&r.options), Details::Command(command(&r.arguments, raw))),
        I::Cmd(c) => (Vec::new(), Details::Command(command(&c.arguments, raw))),
        I::Entrypoint(c) => (Vec::new(), Details::Command(command(&c.arguments, raw))),
        I::Copy(c) => (flags(&c.options), copy_details(&c.src, &c.dest)),
        I::Add(c) => (flags(&c.options), copy_details(&c.src, &c.dest)),
        I::Healthcheck(h) => (
            flags(&h.options),
            Details::Healthcheck(match &h.arguments {
                pd::HealthcheckArguments::Cmd { arguments, .. } => Some(command(arguments, raw)),
                _ => None,
            }),
        ),
        _ => own_reading(raw),
    }
}

fn copy_details(src: &[pd::Source<'_>], dest: &pd::UnescapedString<'_>) -> Details {
    Details::Copy {
        sources: src
            .iter()
            .map(|s| match s {
                pd::Source::Path(p) => p.value.to_string(),
                pd::Source::HereDoc(h) => format!("<<{}", h.value),
                _ => String::new(),
            })
            .collect(),
        dest: dest.value.to_string(),
    }
}

/// Our own reading of the logical line, for instructions parse-dockerfile read differently.
fn own_reading(raw: &RawInstruction) -> (Vec<Flag>, Details) {
    let kind = &raw.kind;
    let rest = raw.rest.trim();
    let mut flags = Vec::new();
    let mut body = rest;
    if matches!(kind, Kind::From | Kind::Run | Kind::Copy | Kind::Add | Kind::Healthcheck) {
        while let Some(stripped) = body.strip_prefix("--") {
            let end = stripped.find([' ', '\t']).unwrap_or(stripped.len());
            let word = &stripped[..end];
            let (name, value) = match word.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (word.to_string(), None),
            };
            flags.push(Flag { name, value, span: 0..0 });
            body = stripped[end..].trim_start();
        }
    }
    let cmd = |s: &str| match serde_json::from_str::<Vec<String>>(s) {
        Ok(v) => Command::Exec(v),
        Err(_) => Command::Shell(s.to_string()),
    };
    let details = match kind {
        Kind::From => {
            let words: Vec<&str> = body.split_whitespace().collect();
            let alias = (words.len() >= 3 && words[1].eq_ignore_ascii_case("as")).then(|| (words[2].to_string(), 0..0));
            Details::From { image: words.first().unwrap_or(&"").to_string(), image_span: 0..0, alias }
        }
        Kind::Run | Kind::Cmd | Kind::Entrypoint => Details::Command(cmd(body)),
        Kind::Copy | Kind::Add => {
            let mut words = match serde_json::from_str::<Vec<String>>(body) {
                Ok(v) => v,
                Err(_) => body.split_whitespace().map(String::from).collect(),
            };
            let dest = words.pop().unwrap_or_default();
            Details::Copy { sources: words, dest }
        }
        Kind::Healthcheck => {
            let b = body.trim_start();
            if b.len() >= 3 && b[..3].eq_ignore_ascii_case("cmd") { Details::Healthcheck(Some(cmd(b[3..].trim()))) } else { Details::Healthcheck(None) }
        }
        _ => Details::Args(rest.to_string()),
    };
    (flags, details)
}

#[cfg(test)]
mod tests {
    /// The hand check reads `[]` as serde_json does (it replaced a parse per CMD/ENTRYPOINT).
    #[test]
    fn empty_json_as_serde_json_reads_it() {
        for rest in ["[]", " [ ] ", "[\t\r\n]", "[\u{a0}]", "[\"\"]", "[", "]", "", "[] x", "[[]]", "\u{a0}[]\u{a0}", "[ ,]", "[\u{b}]"] {
            let serde = serde_json::from_str::<Vec<String>>(rest.trim()).is_ok_and(|v| v.is_empty());
            assert_eq!(super::is_empty_json(rest), serde, "{rest:?}");
        }
    }
}
