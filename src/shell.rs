//! The shell layer: RUN instructions (shell form, exec form and heredoc bodies) as a list of
//! simple commands, each an [`Invocation`] with its tool, subcommand and arguments.
//!
//! Recipes and the safety pass ask questions such as "is there a `pip install`?" or "which
//! packages does `apk add` install?" through [`Invocation`]'s matchers, never by indexing
//! words, so `FOO=1 /usr/bin/go build`, `apt-get -y install x` and a command inside a
//! `RUN <<EOF` script are all seen the same way. Quoting and word splitting is
//! [`crate::document::shell_words`]; this module only cuts a script into commands.

use crate::document::{Command, Document, Instruction, shell_words};

/// One simple command of a RUN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// Leading `VAR=value` assignments (`CGO_ENABLED=0 go build`).
    pub env: Vec<(String, String)>,
    /// The program's base name (`/usr/local/bin/pip3` → `pip3`).
    pub tool: String,
    /// The full argv, argv[0] as written.
    pub words: Vec<String>,
    /// The directory it runs in (WORKDIR, then `cd` inside the RUN).
    pub cwd: String,
    /// Index of the RUN instruction in the document.
    pub instruction: usize,
    /// 1-based line of the RUN instruction.
    pub line: usize,
}

impl Invocation {
    /// The arguments after the program.
    pub fn args(&self) -> &[String] {
        &self.words[1..]
    }
    /// The first argument that is not an option (`go build -o x` → `build`).
    pub fn sub(&self) -> Option<&str> {
        self.args().iter().map(String::as_str).find(|a| !a.starts_with('-'))
    }
    pub fn is(&self, tool: &str) -> bool {
        self.tool == tool
    }
    /// `tool` with one of `subs` as its subcommand.
    pub fn is_sub(&self, tool: &str, subs: &[&str]) -> bool {
        self.is(tool) && self.sub().is_some_and(|s| subs.contains(&s))
    }
    /// The tool's name starts with `prefix` (`pip3.12`, `python3`).
    pub fn tool_starts_with(&self, prefix: &str) -> bool {
        self.tool.starts_with(prefix)
    }
    /// An argument equal to `word`.
    pub fn has(&self, word: &str) -> bool {
        self.args().iter().any(|w| w == word)
    }
    /// An option given as `--name`, `--name=value` or as one of the short forms in `names`.
    pub fn has_flag(&self, names: &[&str]) -> bool {
        self.args().iter().any(|w| names.iter().any(|n| w == n || w.strip_prefix(n).is_some_and(|r| r.starts_with('='))))
    }
    /// Value of `-o X` / `-oX`-free forms: `NAME X` or `NAME=X` for each name.
    pub fn option(&self, names: &[&str]) -> Option<&str> {
        option_value(&self.words, names)
    }
    /// The value of a leading assignment.
    pub fn env_var(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// The arguments after the subcommand that are not options (nor values of the options
    /// in `valued`): `apt-get install -y --no-install-recommends a b` → `a`, `b`.
    pub fn operands<'a>(&'a self, valued: &'a [&'a str]) -> impl Iterator<Item = &'a str> + 'a {
        let (mut skip, mut seen_sub) = (false, false);
        self.args().iter().filter_map(move |w| {
            if skip {
                skip = false;
                return None;
            }
            if w.starts_with('-') {
                skip = valued.contains(&w.as_str());
                return None;
            }
            if !seen_sub {
                seen_sub = true;
                return None;
            }
            Some(w.as_str())
        })
    }
}

/// Every simple command of one RUN instruction, given the WORKDIR it starts in. Heredoc
/// bodies run by a shell (`RUN <<EOF`, `RUN bash <<EOF`) are scripts like any RUN line.
pub fn invocations(doc: &Document, index: usize, workdir: &str) -> Vec<Invocation> {
    let ins = &doc.instructions[index];
    let mut scripts: Vec<String> = Vec::new();
    match ins.command() {
        Some(Command::Exec(v)) => scripts.push(v.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")),
        Some(Command::Shell(s)) if ins.heredocs.is_empty() => scripts.push(s.clone()),
        Some(Command::Shell(s)) => {
            let head = strip_markers(s, ins, doc);
            let head_words = shell_words(&head, '\\');
            let body_is_script = head_words.is_empty() || (head_words.len() == 1 && is_shell(&head_words[0]));
            if !head_words.is_empty() && !body_is_script {
                scripts.push(head);
            }
            if body_is_script {
                for h in &ins.heredocs {
                    scripts.push(heredoc_body(doc, ins, h));
                }
            }
        }
        None => {}
    }
    let mut cwd = workdir.to_string();
    let mut out = Vec::new();
    let at = At { instruction: index, line: ins.start_line };
    for script in scripts {
        walk(&script, &mut cwd, at, 0, &mut out);
    }
    out
}

/// Where the commands of a script come from.
#[derive(Clone, Copy)]
struct At {
    instruction: usize,
    line: usize,
}

/// How deep `sh -c "sh -c '…'"` nesting is followed.
const MAX_NESTING: usize = 4;

/// The simple commands of one script, following `cd` in `cwd`. A `sh -c SCRIPT` /
/// `bash -c SCRIPT` command is looked into: its commands are invocations too, and a `cd`
/// inside it only moves the commands that follow it in the same string (a subshell).
fn walk(script: &str, cwd: &mut String, at: At, depth: usize, out: &mut Vec<Invocation>) {
    // Line continuations are blanks; most scripts have none and are read in place.
    let script: std::borrow::Cow<'_, str> =
        if script.contains("\\\n") || script.contains("\\\r\n") { script.replace("\\\r\n", " ").replace("\\\n", " ").into() } else { script.into() };
    for seg in command_slices(&script) {
        let mut words = strip_reserved(shell_words(seg, '\\'));
        let mut env = Vec::new();
        while words.len() > 1 && is_assignment(&words[0]) {
            let w = words.remove(0);
            let (k, v) = w.split_once('=').unwrap_or((&w, ""));
            env.push((k.to_string(), v.to_string()));
        }
        if words.first().map(String::as_str) == Some("cd") {
            if let Some(d) = words.get(1) {
                *cwd = join(cwd, d);
            }
            continue;
        }
        // `sudo x`, `exec x`, `env A=1 x`: the command is x.
        while words.len() > 1 && matches!(words[0].as_str(), "sudo" | "exec" | "env" | "command" | "time" | "nohup") {
            words.remove(0);
            while words.len() > 1 && is_assignment(&words[0]) {
                let w = words.remove(0);
                let (k, v) = w.split_once('=').unwrap_or((&w, ""));
                env.push((k.to_string(), v.to_string()));
            }
        }
        if words.is_empty() || is_assignment(&words[0]) {
            continue;
        }
        if depth < MAX_NESTING
            && let Some(inner) = shell_c_script(&words)
        {
            let mut sub_cwd = cwd.clone();
            walk(inner, &mut sub_cwd, at, depth + 1, out);
            continue;
        }
        let tool = basename(&words[0]).to_string();
        out.push(Invocation { env, tool, words, cwd: cwd.clone(), instruction: at.instruction, line: at.line });
    }
}

/// The script of `sh -c SCRIPT [NAME ARGS…]` (options such as `-e`, `-ex`, `-lc` allowed).
pub fn shell_c_script(words: &[String]) -> Option<&str> {
    if !words.first().is_some_and(|w| is_shell(w)) {
        return None;
    }
    let mut it = words[1..].iter();
    while let Some(w) = it.next() {
        match w.strip_prefix('-') {
            Some(flags) if !flags.starts_with('-') && flags.contains('c') => return it.next().map(String::as_str),
            Some(_) => {}
            None => return None,
        }
    }
    None
}

/// Shell reserved words that start or end a compound command (`if`, `then`, `do`, `done` …)
/// are not programs: `then poetry install` runs `poetry`, `while true` runs `true`.
fn strip_reserved(mut words: Vec<String>) -> Vec<String> {
    loop {
        match words.first().map(String::as_str) {
            Some("if" | "then" | "else" | "elif" | "do" | "while" | "until" | "!" | "{" | "}" | "done" | "fi" | "esac") => {
                words.remove(0);
            }
            Some(w) if w.starts_with('(') && w.len() > 1 => words[0] = w[1..].to_string(),
            Some("(") => {
                words.remove(0);
            }
            Some("for" | "case" | "select") => return Vec::new(),
            _ => break,
        }
    }
    if let Some(last) = words.last_mut()
        && last.ends_with(')')
        && !last.contains('(')
    {
        last.pop();
        if last.is_empty() {
            words.pop();
        }
    }
    words
}

/// The commands a CMD / ENTRYPOINT runs, each as an argv: the argv itself, the commands of a
/// `sh -c SCRIPT` (or of a single exec-form string such as `["/bin/bash -c 'npm run dev'"]`)
/// and of a shell-form script (`while true; do ./app; done` → `true`, `./app`).
pub fn program_commands(argv: &[String]) -> Vec<Vec<String>> {
    // One string naming a shell and its arguments is a command line; any other single
    // string is a program path (`["/out dir/app"]`).
    let line = argv.len() == 1 && argv[0].contains(char::is_whitespace) && argv[0].split_whitespace().next().is_some_and(is_shell);
    let argv: Vec<String> = if line { shell_words(&argv[0], '\\') } else { argv.to_vec() };
    match shell_c_script(&argv) {
        Some(script) => script_commands(script),
        None => vec![argv],
    }
}

/// The simple commands of a shell script as argvs (reserved words, assignments and
/// `exec` / `env` wrappers removed); `sh -c` inside is followed.
pub fn script_commands(script: &str) -> Vec<Vec<String>> {
    let mut invs = Vec::new();
    walk(script, &mut "/".to_string(), At { instruction: 0, line: 0 }, 0, &mut invs);
    invs.into_iter().map(|i| i.words).collect()
}

/// The instruction's shell text with its heredoc marker words removed.
fn strip_markers(s: &str, ins: &Instruction, doc: &Document) -> String {
    let mut head = s.to_string();
    for h in &ins.heredocs {
        let marker = doc.slice(h.marker.clone());
        let word = marker.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches("<<").trim_start_matches('-');
        for cand in [marker, word, h.name.as_str()] {
            if let Some(p) = head.find(cand) {
                head.replace_range(p..p + cand.len(), "");
                break;
            }
        }
    }
    head.trim().to_string()
}

fn heredoc_body(doc: &Document, _ins: &Instruction, h: &crate::document::Heredoc) -> String {
    let body = doc.slice(h.body.clone());
    if h.chomp { body.lines().map(|l| l.trim_start_matches('\t')).collect::<Vec<_>>().join("\n") } else { body.to_string() }
}

/// A word quoted for `sh` when it needs it (`""` for the empty word).
pub fn quote(w: &str) -> String {
    if w.is_empty() || w.contains(|c: char| c.is_whitespace() || "'\"&|;<>()$`\\".contains(c)) {
        format!("'{}'", w.replace('\'', "'\\''"))
    } else {
        w.to_string()
    }
}

pub fn is_shell(s: &str) -> bool {
    matches!(basename(s), "sh" | "bash" | "ash" | "dash" | "zsh")
}

pub fn is_assignment(w: &str) -> bool {
    w.split_once('=')
        .is_some_and(|(k, _)| !k.is_empty() && !k.starts_with(|c: char| c.is_ascii_digit()) && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// Options of `useradd`, Debian's `adduser` and BusyBox's `adduser` that take a value: the
/// word after them is not the user's name.
const USER_OPTIONS_WITH_VALUE: &[&str] = &[
    "-b",
    "--base-dir",
    "-c",
    "--comment",
    "-d",
    "--home",
    "--home-dir",
    "-e",
    "--expiredate",
    "-f",
    "--inactive",
    "-g",
    "--gid",
    "-G",
    "--groups",
    "-k",
    "--skel",
    "-K",
    "--key",
    "-p",
    "--password",
    "-R",
    "--root",
    "-P",
    "--prefix",
    "-s",
    "--shell",
    "-u",
    "--uid",
    "-Z",
    "--selinux-user",
    "-h",
    "--gecos",
    "--ingroup",
    "--firstuid",
    "--lastuid",
    "--conf",
    "--add-extra-groups",
];

/// The name and uid a `useradd`/`adduser` invocation creates: its first operand, and the
/// value of `-u`/`--uid` (also `--uid=1000`).
pub fn created_user(words: &[String]) -> Option<(String, Option<String>)> {
    let (mut name, mut uid) = (None, None);
    let mut it = words.iter().skip(1);
    while let Some(w) = it.next() {
        if let Some((k, v)) = w.split_once('=').filter(|(k, _)| k.starts_with("--")) {
            if k == "--uid" {
                uid = Some(v.to_string());
            }
        } else if USER_OPTIONS_WITH_VALUE.contains(&w.as_str()) {
            let v = it.next()?;
            if w == "-u" || w == "--uid" {
                uid = Some(v.clone());
            }
        } else if !w.starts_with('-') && name.is_none() {
            name = Some(w.clone());
        }
    }
    Some((name?, uid))
}

pub fn basename(p: &str) -> &str {
    p.trim_end_matches('/').rsplit('/').next().unwrap_or(p)
}

/// Joins a path onto a directory (absolute paths win), normalising `.` and `..`. Built in
/// one string (no `format!`, no list of parts): recipes and the state pass join paths for
/// every COPY and command they look at.
pub fn join(dir: &str, p: &str) -> String {
    let base = if p.starts_with('/') { "" } else { dir };
    let mut out = String::with_capacity(base.len() + p.len() + 1);
    for seg in base.split('/').chain(p.split('/')) {
        match seg {
            "" | "." => {}
            ".." => out.truncate(out.rfind('/').unwrap_or(0)),
            s => {
                out.push('/');
                out.push_str(s);
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Splits a shell script into simple commands at `&&`, `||`, `;`, `|`, `&` and newlines
/// (outside quotes); `#` comments at the start of a word are dropped.
pub fn split_commands(s: &str) -> Vec<String> {
    command_slices(s).into_iter().map(str::to_string).collect()
}

/// The bytes [`command_slices`] looks at outside quotes.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    let bytes = b"\\'\"#&|;\n";
    while k < bytes.len() {
        t[bytes[k] as usize] = true;
        k += 1;
    }
    t
};

/// [`split_commands`] as slices of `s` (no string built per character): a command is the
/// text between two separators, up to a comment (which runs to the newline that ends the
/// command), trimmed.
fn command_slices(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    fn cut<'s>(out: &mut Vec<&'s str>, c: &'s str) {
        let c = c.trim();
        if !c.is_empty() {
            out.push(c);
        }
    }
    // The current command is `s[start..end]`; `end` stays put while a comment is skipped.
    // Every byte compared is ASCII, so a cut never falls inside a character.
    let (mut start, mut end, mut i) = (0, 0, 0);
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        // A run of bytes that mean nothing here is taken in one step.
        let plain = match quote {
            Some(q) => b[i..].iter().position(|&c| c == q || (c == b'\\' && q == b'"')),
            None => b[i..].iter().position(|&c| SPECIAL[usize::from(c)]),
        }
        .unwrap_or(b.len() - i);
        if plain > 0 {
            i += plain;
            end = i;
            continue;
        }
        match quote {
            Some(q) => {
                if c == b'\\' && q == b'"' {
                    i = (i + 2).min(b.len());
                } else {
                    if c == q {
                        quote = None;
                    }
                    i += 1;
                }
                end = i;
            }
            None => match c {
                b'\\' => {
                    i = (i + 2).min(b.len());
                    end = i;
                }
                b'\'' | b'"' => {
                    quote = Some(c);
                    i += 1;
                    end = i;
                }
                b'#' if start == end || s[start..end].ends_with(char::is_whitespace) => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                b'&' if b.get(i + 1) == Some(&b'&') => {
                    cut(&mut out, &s[start..end]);
                    i += 2;
                    (start, end) = (i, i);
                }
                b'|' | b';' | b'\n' => {
                    i += if c == b'|' && b.get(i + 1) == Some(&b'|') { 2 } else { 1 };
                    cut(&mut out, &s[start..end]);
                    (start, end) = (i, i);
                }
                _ => {
                    i += 1;
                    end = i;
                }
            },
        }
    }
    cut(&mut out, &s[start..end]);
    out
}

/// Value of `-o X` / `--output X` / `--output=X` style options.
pub fn option_value<'w>(words: &'w [String], names: &[&str]) -> Option<&'w str> {
    for (i, w) in words.iter().enumerate() {
        for n in names {
            if w == n {
                return words.get(i + 1).map(String::as_str);
            }
            if let Some(v) = w.strip_prefix(n).and_then(|r| r.strip_prefix('=')) {
                return Some(v);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invs(text: &str) -> Vec<Invocation> {
        let d = Document::parse(text).unwrap();
        let i = d.instructions.iter().position(|i| i.kind == crate::document::Kind::Run).unwrap();
        invocations(&d, i, "/app")
    }

    #[test]
    fn commands_split_and_matched() {
        assert_eq!(split_commands("a && b 'x && y' | c; d"), ["a", "b 'x && y'", "c", "d"]);
        let v = invs("FROM a\nRUN cd sub && CGO_ENABLED=0 /usr/local/go/bin/go build -o /x . && apt-get -y install curl\n");
        assert_eq!(v.len(), 2);
        assert!(v[0].is_sub("go", &["build"]));
        assert_eq!(v[0].env_var("CGO_ENABLED"), Some("0"));
        assert_eq!(v[0].cwd, "/app/sub");
        assert_eq!(v[0].option(&["-o"]), Some("/x"));
        assert!(v[1].is_sub("apt-get", &["install"]));
        assert_eq!(v[1].operands(&[]).collect::<Vec<_>>(), ["curl"]);
    }

    /// The slicing splitter and the one-string join give what the character-by-character
    /// versions they replaced gave.
    #[test]
    fn splitting_and_joining_agree_with_the_plain_versions() {
        fn split_by_chars(s: &str) -> Vec<String> {
            let (mut out, mut cur, mut quote) = (Vec::new(), String::new(), None);
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                match quote {
                    Some(q) => {
                        cur.push(c);
                        if c == '\\' && q == '"' {
                            cur.extend(chars.next());
                        } else if c == q {
                            quote = None;
                        }
                    }
                    None => match c {
                        '\\' => {
                            cur.push(c);
                            cur.extend(chars.next());
                        }
                        '\'' | '"' => {
                            quote = Some(c);
                            cur.push(c);
                        }
                        '#' if cur.is_empty() || cur.ends_with(char::is_whitespace) => {
                            while chars.peek().is_some_and(|n| *n != '\n') {
                                chars.next();
                            }
                        }
                        '&' if chars.peek() == Some(&'&') => {
                            chars.next();
                            out.push(std::mem::take(&mut cur));
                        }
                        '|' | ';' | '\n' => {
                            if c == '|' && chars.peek() == Some(&'|') {
                                chars.next();
                            }
                            out.push(std::mem::take(&mut cur));
                        }
                        _ => cur.push(c),
                    },
                }
            }
            out.push(cur);
            out.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
        }
        fn join_by_parts(dir: &str, p: &str) -> String {
            let full = if p.starts_with('/') { p.to_string() } else { format!("{}/{}", dir.trim_end_matches('/'), p) };
            let mut parts: Vec<&str> = Vec::new();
            for seg in full.split('/') {
                match seg {
                    "" | "." => {}
                    ".." => {
                        parts.pop();
                    }
                    s => parts.push(s),
                }
            }
            format!("/{}", parts.join("/"))
        }
        let scripts = [
            "a && b 'x && y' | c; d",
            "apt-get update \\\n && apt-get install -y x # comment && not\nnpm ci",
            "echo \"a \\\" b; c\" || true & wait",
            "# only a comment",
            "x #not-a-comment-start# y; z",
            "a\u{a0}# comment after a no-break space\nb",
            "caf\u{e9} \\\u{e9}; \"\\\u{e9}\" && ' unterminated ; |",
            "trailing \\",
            "a|b||c;;d&&&e",
            "echo 'a;b|c#d\\' x\"y\\\"z;w\" # c ; d\nnext&&'q'\"r\"",
            "",
        ];
        for s in scripts {
            assert_eq!(split_commands(s), split_by_chars(s), "{s:?}");
        }
        let dirs = ["/", "/app", "/app/", "//a//b/", "", "rel/dir", "/a/b/c"];
        let paths = ["", ".", "..", "../..", "../../../x", "/abs/./p/../q", "x/", "./y/../../z", "a//b", "/"];
        for d in dirs {
            for p in paths {
                assert_eq!(join(d, p), join_by_parts(d, p), "{d:?} + {p:?}");
            }
        }
    }

    #[test]
    fn heredoc_scripts_are_commands_and_heredoc_data_is_not() {
        let v = invs("FROM a\nRUN <<EOF\npip install -r requirements.txt\n# a comment\nnpm ci\nEOF\n");
        assert_eq!(v.iter().map(|i| i.tool.as_str()).collect::<Vec<_>>(), ["pip", "npm"]);
        let v = invs("FROM a\nRUN python3 <<EOF\nimport os\nEOF\n");
        assert_eq!(v.iter().map(|i| i.tool.as_str()).collect::<Vec<_>>(), ["python3"]);
        let v = invs("FROM a\nRUN bash <<EOF\ngo build -o /x .\nEOF\n");
        assert!(v.iter().any(|i| i.is_sub("go", &["build"])), "{v:?}");
    }

    #[test]
    fn exec_form_and_wrappers() {
        let v = invs("FROM a\nRUN [\"pip\", \"install\", \"a b\"]\n");
        assert_eq!(v[0].words, ["pip", "install", "a b"]);
        let v = invs("FROM a\nRUN sudo -E true; env A=1 npm ci\n");
        assert!(v.iter().any(|i| i.is_sub("npm", &["ci"]) && i.env_var("A") == Some("1")));
    }

    #[test]
    fn commands_inside_shell_strings_are_invocations_with_their_own_cwd() {
        let v = invs(
            "FROM a\nRUN bash -c \"if [ $DEV == 'true' ] ; then poetry install --no-root ; else cd sub && poetry install --only main ; fi\" && pip list\n",
        );
        let tools: Vec<(&str, &str)> = v.iter().map(|i| (i.tool.as_str(), i.cwd.as_str())).collect();
        assert_eq!(tools, [("[", "/app"), ("poetry", "/app"), ("poetry", "/app/sub"), ("pip", "/app")]);
        assert!(v[2].has("main"));
        let v = invs("FROM a\nRUN sh -ec 'go build -o /out/x .'\n");
        assert!(v[0].is_sub("go", &["build"]) && v[0].option(&["-o"]) == Some("/out/x"), "{v:?}");
    }

    #[test]
    fn reserved_words_are_not_programs() {
        let c = script_commands("while true; do ./target/release/x \"0.0.0.0:8080\"; done");
        assert_eq!(c, [vec!["true".to_string()], vec!["./target/release/x".to_string(), "0.0.0.0:8080".to_string()]]);
        let c = script_commands("for f in a b; do exec node $f; done");
        assert_eq!(c, [vec!["node".to_string(), "$f".to_string()]]);
    }

    #[test]
    fn program_commands_look_into_shell_strings() {
        let w = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(program_commands(&w(&["/bin/bash -c 'npm run dev'"])), [w(&["npm", "run", "dev"])]);
        assert_eq!(program_commands(&w(&["sh", "-c", "npm ci && exec npm start"])), [w(&["npm", "ci"]), w(&["npm", "start"])]);
        assert_eq!(program_commands(&w(&["./app", "-c", "x"])), [w(&["./app", "-c", "x"])]);
    }

    #[test]
    fn the_created_user_is_the_first_operand_not_an_option_value() {
        let cases = [
            ("useradd rails --uid 1000 --gid 1000 --create-home --shell /bin/bash", Some(("rails", Some("1000")))),
            ("useradd -m -d /srv/u -s /bin/sh appuser", Some(("appuser", None))),
            ("adduser -D -u 10001 -G app -h /home/app -g App app", Some(("app", Some("10001")))),
            ("adduser --disabled-password --gecos x --uid=1001 django", Some(("django", Some("1001")))),
            ("useradd --shell", None),
        ];
        for (cmd, want) in cases {
            let got = created_user(&cmd.split_whitespace().map(str::to_string).collect::<Vec<_>>());
            assert_eq!(got.as_ref().map(|(n, u)| (n.as_str(), u.as_deref())), want, "{cmd}");
        }
    }
}
