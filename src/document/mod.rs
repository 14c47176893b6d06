//! The lossless Dockerfile document.
//!
//! Everything restage knows about a Dockerfile comes from here, and nothing here ever
//! re-serialises: instructions are byte spans on the original text plus typed details.
//! `lex` finds the spans exactly like BuildKit; `adapter` is the only place that knows
//! parse-dockerfile (used for validation and typed details), so the parser can be replaced.

mod adapter;
mod lex;
mod lines;
mod offsets;
pub mod words;

use std::collections::HashMap;
use std::ops::Range;

pub use lex::{Directive, Heredoc};
pub use words::{expand_vars, expand_vars_limited, shell_words, split_assignments};

/// Line ending style of the file (the first line ending found decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newline {
    Lf,
    CrLf,
}

impl Newline {
    pub fn as_str(self) -> &'static str {
        match self {
            Newline::Lf => "\n",
            Newline::CrLf => "\r\n",
        }
    }
}

/// The instruction keyword, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// An instruction BuildKit's parser accepts but no builder knows (templated files).
    Unknown(String),
}

impl Kind {
    pub fn from_keyword(kw: &str) -> Option<Kind> {
        // By length, then case-insensitively: this runs for every instruction of every file.
        let is = |word: &str| kw.eq_ignore_ascii_case(word);
        Some(match kw.len() {
            3 if is("add") => Kind::Add,
            3 if is("arg") => Kind::Arg,
            3 if is("cmd") => Kind::Cmd,
            3 if is("env") => Kind::Env,
            3 if is("run") => Kind::Run,
            4 if is("copy") => Kind::Copy,
            4 if is("from") => Kind::From,
            4 if is("user") => Kind::User,
            5 if is("label") => Kind::Label,
            5 if is("shell") => Kind::Shell,
            6 if is("expose") => Kind::Expose,
            6 if is("volume") => Kind::Volume,
            7 if is("onbuild") => Kind::Onbuild,
            7 if is("workdir") => Kind::Workdir,
            10 if is("entrypoint") => Kind::Entrypoint,
            10 if is("maintainer") => Kind::Maintainer,
            10 if is("stopsignal") => Kind::Stopsignal,
            11 if is("healthcheck") => Kind::Healthcheck,
            _ => return None,
        })
    }
    pub fn from_keyword_or_unknown(kw: &str) -> Kind {
        Kind::from_keyword(kw).unwrap_or_else(|| Kind::Unknown(kw.to_string()))
    }
}

/// CMD / ENTRYPOINT / RUN / HEALTHCHECK CMD arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// JSON array form.
    Exec(Vec<String>),
    /// Shell form: the logical line (continuations joined).
    Shell(String),
}

/// A `--name[=value]` flag of FROM / COPY / ADD / RUN / HEALTHCHECK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
    pub span: Range<usize>,
}

/// Typed details of an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Details {
    From {
        image: String,
        image_span: Range<usize>,
        alias: Option<(String, Range<usize>)>,
    },
    Command(Command),
    Copy {
        sources: Vec<String>,
        dest: String,
    },
    Healthcheck(Option<Command>),
    /// Everything else: the raw arguments (logical line after the keyword, trimmed).
    Args(String),
}

/// One instruction, with its whole byte span and the trivia before it.
#[derive(Debug, Clone)]
pub struct Instruction {
    pub kind: Kind,
    /// First byte of its first line .. end of its last line, line ending included
    /// (so past a JSON form's `"]` and past heredoc terminator lines).
    pub span: Range<usize>,
    /// Comments, blank lines and directives between the previous instruction and this one.
    pub leading: Range<usize>,
    pub keyword: Range<usize>,
    /// 1-based, inclusive, as BuildKit reports them.
    pub start_line: usize,
    pub end_line: usize,
    /// Logical line after the keyword (continuations joined, inner comments dropped).
    pub rest: String,
    pub flags: Vec<Flag>,
    pub heredocs: Vec<Heredoc>,
    pub details: Details,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name.eq_ignore_ascii_case(name))
    }
    /// The shell text or exec args of RUN / CMD / ENTRYPOINT.
    pub fn command(&self) -> Option<&Command> {
        match &self.details {
            Details::Command(c) => Some(c),
            Details::Healthcheck(Some(c)) => Some(c),
            _ => None,
        }
    }
    pub fn args(&self) -> &str {
        match &self.details {
            Details::Args(a) => a,
            _ => self.rest.trim(),
        }
    }
}

/// A build stage: its FROM and the instructions up to the next FROM.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Index of the FROM instruction.
    pub from: usize,
    /// Index one past the last instruction of the stage.
    pub end: usize,
    /// The image reference as written.
    pub image_raw: String,
    /// The reference with global ARG defaults substituted; `None` when a variable has no default.
    pub image: Option<String>,
    pub alias: Option<String>,
    pub platform: Option<String>,
    /// Index of the earlier stage this one builds on (`FROM build`), if any.
    pub parent_stage: Option<usize>,
}

/// A parse failure with the position it refers to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub bom: bool,
    pub newline: Newline,
    pub escape: char,
    pub final_newline: bool,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    /// Trivia after the last instruction.
    pub trailer: Range<usize>,
    pub stages: Vec<Stage>,
    /// Indices of ARG instructions before the first FROM.
    pub global_args: Vec<usize>,
}

impl Document {
    pub fn parse(text: impl Into<String>) -> Result<Document, ParseError> {
        let text = text.into();
        let mut lexed = lex::lex(&text).map_err(|e| {
            let (line, column) = line_col(&text, e.offset);
            ParseError { line, column, message: e.message }
        })?;
        let newline = match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => Newline::CrLf,
            _ => Newline::Lf,
        };
        let final_newline = text.ends_with('\n');
        let instructions = adapter::type_instructions(&text, &mut lexed)?;
        let trailer_start = instructions.last().map_or(if lexed.bom { 3 } else { 0 }, |i| i.span.end);
        let mut doc = Document {
            trailer: trailer_start..text.len(),
            bom: lexed.bom,
            escape: lexed.escape,
            directives: lexed.directives,
            newline,
            final_newline,
            instructions,
            stages: Vec::new(),
            global_args: Vec::new(),
            text,
        };
        doc.build_stages()?;
        Ok(doc)
    }

    fn build_stages(&mut self) -> Result<(), ParseError> {
        // Lookups by name (latest ARG wins, first stage with an alias wins) so that files with
        // many stages or ARGs stay linear; every expansion is charged to `budget`.
        let mut globals: HashMap<String, Option<String>> = HashMap::new();
        let mut aliases: HashMap<String, usize> = HashMap::new();
        let mut budget = expansion_budget(&self.text);
        for (idx, ins) in self.instructions.iter().enumerate() {
            match ins.kind {
                Kind::From => {
                    let Details::From { image, alias, .. } = &ins.details else { unreachable!() };
                    if let Some(last) = self.stages.last_mut() {
                        last.end = idx;
                    }
                    let resolved = expand_charged(image, &globals, &mut budget);
                    // (Most files have one stage: no lower-cased copy to look up in an empty map.)
                    let parent_stage = resolved.as_ref().filter(|_| !aliases.is_empty()).and_then(|img| aliases.get(&img.to_ascii_lowercase()).copied());
                    let platform = ins.flag("platform").and_then(|f| f.value.clone());
                    if let Some((a, _)) = alias {
                        aliases.entry(a.to_ascii_lowercase()).or_insert(self.stages.len());
                    }
                    self.stages.push(Stage {
                        from: idx,
                        end: self.instructions.len(),
                        image_raw: image.clone(),
                        image: resolved,
                        alias: alias.as_ref().map(|(a, _)| a.clone()),
                        platform,
                        parent_stage,
                    });
                }
                Kind::Arg if self.stages.is_empty() => {
                    self.global_args.push(idx);
                    for (name, value) in split_assignments(ins.args(), self.escape) {
                        let value = value.and_then(|v| expand_charged(&v, &globals, &mut budget));
                        globals.insert(name, value);
                    }
                }
                _ if self.stages.is_empty() => {
                    let (line, column) = line_col(&self.text, ins.keyword.start);
                    return Err(ParseError { line, column, message: "expected FROM before this instruction".into() });
                }
                _ => {}
            }
        }
        if self.stages.is_empty() {
            let (line, column) = line_col(&self.text, self.text.len());
            return Err(ParseError { line, column, message: "no FROM instruction".into() });
        }
        Ok(())
    }

    /// Global ARG defaults (name → value), in declaration order.
    pub fn global_arg_defaults(&self) -> Vec<(String, Option<String>)> {
        self.global_args.iter().flat_map(|&i| split_assignments(self.instructions[i].args(), self.escape)).collect()
    }

    /// Source text of a byte range.
    pub fn slice(&self, r: Range<usize>) -> &str {
        &self.text[r]
    }

    /// Reassembles the text from its parts (BOM, trivia, instructions, trailer); equals the
    /// input for every document. Used by tests to prove the spans cover every byte.
    pub fn reassemble(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        if self.bom {
            out.push('\u{feff}');
        }
        for ins in &self.instructions {
            out.push_str(&self.text[ins.leading.clone()]);
            out.push_str(&self.text[ins.span.clone()]);
        }
        out.push_str(&self.text[self.trailer.clone()]);
        out
    }

    /// Converts generated text (written with `\n`) to the file's newline style.
    pub fn newlines(&self, s: &str) -> String {
        match self.newline {
            Newline::Lf => s.to_string(),
            Newline::CrLf => s.replace("\r\n", "\n").replace('\n', "\r\n"),
        }
    }

    /// Instructions of one stage (without its FROM).
    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        &self.instructions[stage.from + 1..stage.end]
    }

    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }
}

/// How many bytes variable expansion may produce for one file (global ARGs here, ENV and
/// WORKDIR in the plan): a multiple of the file's size, so work stays linear in it. Real
/// files use a tiny fraction; past it, values are unknown (like an unset variable).
pub fn expansion_budget(text: &str) -> usize {
    4 * text.len() + (1 << 20)
}

/// Expands with global ARG values, charging the result to `budget`; `None` when unknown or
/// when the budget is spent.
fn expand_charged(s: &str, globals: &HashMap<String, Option<String>>, budget: &mut usize) -> Option<String> {
    let out = expand_vars_limited(s, &|n| globals.get(n).cloned().flatten(), *budget)?;
    *budget -= out.len();
    Some(out)
}

/// 1-based line and column (in characters) of a byte offset; an offset inside a multi-byte
/// character counts as that character (`span.end - 1` of a line ending in `\u{a0}`).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().filter(|&c| c != '\u{feff}').count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
