//! Small shell-word helpers for instruction arguments (ARG/ENV assignments, variable
//! substitution in FROM, command words). Dockerfile word rules, not a full shell.

/// Splits into words, removing quotes and escapes (the Dockerfile escape character outside
/// quotes, backslash inside double quotes).
pub fn shell_words(s: &str, escape: char) -> Vec<String> {
    let b = s.as_bytes();
    let escape_byte = escape.is_ascii().then_some(escape as u8);
    let char_len = |at: usize| s[at..].chars().next().map_or(0, char::len_utf8);
    // Commands have a handful of words: room for them at once rather than growing 1, 4, 8.
    let mut words = Vec::with_capacity(8);
    let mut cur = String::new();
    let mut in_word = false;
    // `s[run..i]` is text taken as it is and not yet copied into `cur`: copied a run at a
    // time (when a quote or an escape interrupts it, or the word ends), not a char at a time.
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\'' || c == b'"' {
            // A quoted part: up to the closing quote (or the end), read by jumping to the
            // next quote (or backslash, in double quotes).
            in_word = true;
            cur.push_str(&s[run..i]);
            run = i + 1;
            i += 1;
            loop {
                let next = if c == b'\'' { memchr::memchr(c, &b[i..]) } else { memchr::memchr2(c, b'\\', &b[i..]) };
                let Some(k) = next.map(|k| i + k) else {
                    i = b.len();
                    break;
                };
                if b[k] == c {
                    cur.push_str(&s[run..k]);
                    run = k + 1;
                    i = k + 1;
                    break;
                }
                // A backslash in double quotes escapes `"`, `\` and `$` (dropped, the char kept).
                if matches!(b.get(k + 1), Some(b'"' | b'\\' | b'$')) {
                    cur.push_str(&s[run..k]);
                    run = k + 1;
                    i = k + 2;
                } else {
                    i = k + 1;
                }
            }
            continue;
        }
        let (len, white, is_escape) = match c {
            b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => (1, true, false),
            _ if c < 0x80 => (1, false, Some(c) == escape_byte),
            _ => {
                let ch = s[i..].chars().next().unwrap_or_default();
                (ch.len_utf8(), ch.is_whitespace(), ch == escape)
            }
        };
        if white {
            if in_word {
                words.push(finish_word(&mut cur, &s[run..i]));
                in_word = false;
            }
            i += len;
            run = i;
            continue;
        }
        in_word = true;
        if is_escape {
            // Drop the escape character; the char after it (any) starts the next run.
            cur.push_str(&s[run..i]);
            run = i + len;
            i = run + char_len(run);
        } else {
            i += len;
        }
    }
    if in_word {
        words.push(finish_word(&mut cur, &s[run..]));
    }
    words
}

/// The word read so far (`cur`, left empty) followed by its last run; a word without quotes or
/// escapes, the usual one, is copied once at its size.
fn finish_word(cur: &mut String, last_run: &str) -> String {
    if cur.is_empty() {
        return last_run.to_owned();
    }
    cur.push_str(last_run);
    std::mem::take(cur)
}

/// `ARG A=1 B` / `ENV A=1 B="x y"` / legacy `ENV A some value` → (name, value).
pub fn split_assignments(args: &str, escape: char) -> Vec<(String, Option<String>)> {
    let words = shell_words(args, escape);
    if words.is_empty() {
        return Vec::new();
    }
    if !words[0].contains('=') && words.len() > 1 && !words[1..].iter().all(|w| w.contains('=')) {
        // Legacy `ENV NAME value with spaces`.
        let name = words[0].clone();
        let value = args.trim_start()[name.len()..].trim().to_string();
        return vec![(name, Some(value))];
    }
    words
        .into_iter()
        .map(|mut w| match w.find('=') {
            // The name stays in the word's own buffer; only the value is copied.
            Some(eq) => {
                let value = w[eq + 1..].to_string();
                w.truncate(eq);
                (w, Some(value))
            }
            None => (w, None),
        })
        .collect()
}

/// Substitutes `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`.
/// Returns `None` when a variable is referenced that `lookup` cannot resolve and no default applies.
pub fn expand_vars(s: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    expand_vars_limited(s, lookup, usize::MAX)
}

/// [`expand_vars`] that also gives up (`None`, like an unknown variable) as soon as the result
/// grows past `max_len` bytes. `ARG A=$A$A` repeated doubles the value each time: callers
/// charge every expansion to a budget proportional to the file size, so time and memory stay
/// linear in it, and a value too large to be real is simply not known.
pub fn expand_vars_limited(s: &str, lookup: &dyn Fn(&str) -> Option<String>, max_len: usize) -> Option<String> {
    if !s.contains('$') {
        return (s.len() <= max_len).then(|| s.to_string());
    }
    let mut out = String::with_capacity(s.len().min(max_len));
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            let ch = s[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        if i + 1 < b.len() && b[i + 1] == b'{' {
            let close = s[i..].find('}')? + i;
            let inner = &s[i + 2..close];
            let name_len = inner.bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count();
            let (name, op) = inner.split_at(name_len);
            let val = lookup(name);
            let v = if let Some(d) = op.strip_prefix(":-") {
                val.filter(|v| !v.is_empty()).or_else(|| Some(d.to_string()))
            } else if let Some(d) = op.strip_prefix('-') {
                val.or_else(|| Some(d.to_string()))
            } else if let Some(a) = op.strip_prefix(":+") {
                Some(if val.is_some_and(|v| !v.is_empty()) { a.to_string() } else { String::new() })
            } else if op.is_empty() {
                val
            } else {
                None
            };
            out.push_str(&v?);
            if out.len() > max_len {
                return None;
            }
            i = close + 1;
        } else {
            let name_len = b[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
            if name_len == 0 {
                out.push('$');
                i += 1;
                continue;
            }
            out.push_str(&lookup(&s[i + 1..i + 1 + name_len])?);
            if out.len() > max_len {
                return None;
            }
            i += 1 + name_len;
        }
    }
    (out.len() <= max_len).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_quotes() {
        assert_eq!(shell_words(r#"a "b c" 'd e' f\ g"#, '\\'), ["a", "b c", "d e", "f g"]);
        assert_eq!(shell_words("a`  b", '`'), ["a ", "b"]);
    }

    /// The char-by-char reading the run-copying one replaced, kept as the reference.
    fn shell_words_by_char(s: &str, escape: char) -> Vec<String> {
        let mut words = Vec::new();
        let mut cur = String::new();
        let mut in_word = false;
        let mut quote: Option<char> = None;
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match quote {
                Some('\'') if c == '\'' => quote = None,
                Some('\'') => cur.push(c),
                Some(_) if c == '"' => quote = None,
                Some(_) if c == '\\' && matches!(chars.peek(), Some('"' | '\\' | '$')) => cur.push(chars.next().unwrap()),
                Some(_) => cur.push(c),
                None if c.is_whitespace() => {
                    if in_word {
                        words.push(std::mem::take(&mut cur));
                        in_word = false;
                    }
                }
                None => {
                    in_word = true;
                    if c == '\'' || c == '"' {
                        quote = Some(c);
                    } else if c == escape {
                        cur.extend(chars.next());
                    } else {
                        cur.push(c);
                    }
                }
            }
        }
        if in_word {
            words.push(cur);
        }
        words
    }

    #[test]
    fn words_as_read_char_by_char() {
        let inputs = [
            r#"a "b c" 'd e' f\ g"#,
            "a`  b",
            r#"x="a\"b\\c\$d\e" 'it''s' "" '' end\"#,
            "\u{a0}a\u{a0}b\u{2003}c\tnl\n\"x\u{a0}y\" \\\u{a0}z",
            r#"unterminated "quote \" here"#,
            "open 'single",
            "trail\\",
            "`\u{e9}t\u{e9} `` \"`\"",
            "nel\u{85}x\u{85}\u{85}y 'a\u{85}b' \u{e9}\u{e9} é\u{85}z é",
            r#""a\"#,
            "\"a\\",
            "\\\u{e9}x \\",
            "",
            "   ",
        ];
        for s in inputs {
            for escape in ['\\', '`', 'é', '"'] {
                assert_eq!(shell_words(s, escape), shell_words_by_char(s, escape), "{s:?} {escape}");
            }
        }
    }

    /// Strings drawn from the characters the reading treats specially, against the reference.
    #[test]
    fn random_words_as_read_char_by_char() {
        let alphabet = ['a', ' ', '\t', '\'', '"', '\\', '`', '$', '\u{a0}', '\u{85}', 'é', '\n'];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut s = String::new();
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            for _ in 0..(state >> 60) + 1 {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                s.push(alphabet[(state >> 33) as usize % alphabet.len()]);
            }
            for escape in ['\\', '`'] {
                assert_eq!(shell_words(&s, escape), shell_words_by_char(&s, escape), "{s:?} {escape}");
            }
        }
    }

    #[test]
    fn assignments() {
        assert_eq!(split_assignments(r#"A=1 B="x y" C"#, '\\'), [("A".into(), Some("1".into())), ("B".into(), Some("x y".into())), ("C".into(), None)]);
        assert_eq!(split_assignments("PATH /a b", '\\'), [("PATH".into(), Some("/a b".into()))]);
    }

    #[test]
    fn expansion() {
        let l = |n: &str| (n == "V").then(|| "3.12".to_string());
        assert_eq!(expand_vars("python:${V}-slim", &l).as_deref(), Some("python:3.12-slim"));
        assert_eq!(expand_vars("python:$V", &l).as_deref(), Some("python:3.12"));
        assert_eq!(expand_vars("x:${W:-1}", &l).as_deref(), Some("x:1"));
        assert_eq!(expand_vars("x:${W}", &l), None);
        assert_eq!(expand_vars_limited("x:$V$V", &l, 10).as_deref(), Some("x:3.123.12"));
        assert_eq!(expand_vars_limited("x:$V$V$V", &l, 10), None);
        assert_eq!(expand_vars_limited("0123456789a", &l, 10), None);
    }
}
