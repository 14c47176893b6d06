use super::*;

fn doc(t: &str) -> Document {
    Document::parse(t).unwrap_or_else(|e| panic!("{}:{}: {e}", e.line, e.column))
}

#[test]
fn spans_cover_every_byte() {
    for t in [
        "\u{feff}FROM a\r\nRUN b \\\r\n  # c\r\n  d\r\n",
        "# syntax=docker/dockerfile:1\n\nFROM a AS b\nCMD [\"x\"]",
        "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver\nRUN a `\n  b\n",
        "ARG V=1\nFROM a:$V\nCOPY <<EOF /x\nhi\nEOF\n\n# tail\n",
    ] {
        let d = doc(t);
        assert_eq!(d.reassemble(), t);
    }
}

#[test]
fn document_properties() {
    let d = doc("\u{feff}# escape=`\r\nFROM a\r\nCMD b");
    assert!(d.bom);
    assert_eq!(d.escape, '`');
    assert_eq!(d.newline, Newline::CrLf);
    assert!(!d.final_newline);
    assert_eq!(d.instructions[0].leading, 3..15);
    assert_eq!(d.newlines("X\nY\n"), "X\r\nY\r\n");
}

#[test]
fn stages_with_args_alias_platform_and_parents() {
    let d = doc("ARG BASE=golang\nARG TAG=1.22\nFROM --platform=$BUILDPLATFORM ${BASE}:${TAG} AS build\nRUN x\nFROM build AS test\nFROM ${NOPE}\n");
    assert_eq!(d.stages.len(), 3);
    assert_eq!(d.stages[0].image.as_deref(), Some("golang:1.22"));
    assert_eq!(d.stages[0].alias.as_deref(), Some("build"));
    assert_eq!(d.stages[0].platform.as_deref(), Some("$BUILDPLATFORM"));
    assert_eq!(d.stages[1].parent_stage, Some(0));
    assert_eq!(d.stages[2].image, None);
    assert_eq!(d.global_args, vec![0, 1]);
}

#[test]
fn heredoc_forms_parse_and_end_past_terminator() {
    let t = "FROM a\nRUN python3 <<EOF\nprint(1)\nEOF\nRUN <<A cat /dev/stdin - 3<<B\na\nA\nb\nB\nCOPY <<-EOF /x\n\thi\n\tEOF\nCMD [\"x\"]\n";
    let d = doc(t);
    let lines: Vec<_> = d.instructions.iter().map(|i| (i.start_line, i.end_line)).collect();
    assert_eq!(lines, [(1, 1), (2, 4), (5, 9), (10, 12), (13, 13)]);
    assert_eq!(d.instructions[2].heredocs.len(), 2);
    assert_eq!(d.instructions[1].command(), Some(&Command::Shell("python3 <<EOF".into())));
}

#[test]
fn json_form_and_lowercase() {
    let d = doc("from a\ncopy [\"a b\", \"/c\"]\ncmd [\"x\", \"y\"]\n");
    assert_eq!(d.instructions[1].details, Details::Copy { sources: vec!["a b".into()], dest: "/c".into() });
    assert_eq!(d.instructions[2].command(), Some(&Command::Exec(vec!["x".into(), "y".into()])));
    assert_eq!(d.instructions[2].span, 26..41);
}

#[test]
fn errors_have_positions() {
    let e = Document::parse("FROM a\nRUN <<EOF\necho\n").unwrap_err();
    assert_eq!((e.line, e.column), (2, 5));
    assert!(e.message.contains("unterminated heredoc"));
    let e = Document::parse("FROM a\nCMD [\"x\"]\nCOPY onlyone\n").unwrap_err();
    assert_eq!(e.line, 3);
    let e = Document::parse("RUN x\n").unwrap_err();
    assert_eq!(e.line, 1);
}

/// BuildKit's reading of each input (checked with the oracle, `dockerfile.parse_string`):
/// the keyword is the first word of the *logical* line.
#[test]
fn keyword_after_an_escape_only_line() {
    // The fuzzer's crash: the keyword (U+FEFF, 3 bytes) is on the line after a lone `\`.
    let d = doc("FROM a\n\\\n\u{feff}\n");
    assert_eq!(d.instructions[1].kind, Kind::Unknown("\u{feff}".into()));
    assert_eq!((d.instructions[1].start_line, d.instructions[1].end_line), (2, 3));
    let e = Document::parse("\\\n\u{feff}").unwrap_err();
    assert!(e.message.contains("FROM"), "{e}");

    let t = "FROM a\n\\\n  RUN x\n";
    let d = doc(t);
    assert_eq!(d.instructions[1].kind, Kind::Run);
    assert_eq!(d.instructions[1].command(), Some(&Command::Shell("x".into())));
    assert_eq!(d.slice(d.instructions[1].keyword.clone()), "RUN");
    assert_eq!(d.reassemble(), t);

    let d = doc("\\\n\n# c\nFROM a AS b\n");
    assert_eq!(d.stages[0].alias.as_deref(), Some("b"));
    assert_eq!(d.instructions[0].start_line, 1);
}

#[test]
fn keyword_split_by_a_continuation_is_joined() {
    let t = "FROM a\nRU\\\nN x\nCMD [\"y\"]\n";
    let d = doc(t);
    assert_eq!(d.instructions[1].kind, Kind::Run);
    assert_eq!(d.instructions[1].command(), Some(&Command::Shell("x".into())));
    assert_eq!(d.instructions[2].command(), Some(&Command::Exec(vec!["y".into()])));
    assert_eq!(d.reassemble(), t);
}

#[test]
fn empty_logical_line_is_an_unknown_instruction() {
    for t in ["FROM a\n\\\n", "FROM a\n\\", "FROM a\n \\\n  \n"] {
        let d = doc(t);
        assert_eq!(d.instructions[1].kind, Kind::Unknown(String::new()), "{t:?}");
        assert_eq!(d.reassemble(), t);
    }
}

#[test]
fn unicode_blanks_are_whitespace_like_go() {
    // Go's unicode.IsSpace: a line of `\v` is empty, NBSP before `#` makes a comment, and
    // NBSP / EM SPACE before a keyword is indentation.
    for (t, n) in [
        ("FROM a\n\x0b\nRUN x\n", 2),
        ("FROM a\n\u{a0}# c\nRUN x\n", 2),
        ("FROM a\n\u{2003}RUN x\n", 2),
        ("FROM a\nRUN y \\\n\u{a0}# c\n\u{a0}\n x\nRUN x\n", 3),
    ] {
        let d = doc(t);
        assert_eq!(d.instructions.len(), n, "{t:?}");
        assert!(d.instructions.iter().skip(1).all(|i| i.kind == Kind::Run), "{t:?}");
        assert_eq!(d.reassemble(), t);
    }
}

/// Many stages: every `FROM sN` finds its parent by alias (a map, not a scan per FROM).
#[test]
fn many_stages_find_their_parents() {
    let n = 20_000;
    let t: String = std::iter::once("FROM golang:1.22 AS s0\n".to_string()).chain((0..n).map(|i| format!("FROM S{i} AS s{}\n", i + 1))).collect();
    let d = doc(&t);
    assert_eq!(d.stages.len(), n + 1);
    assert!(d.stages.iter().enumerate().skip(1).all(|(i, s)| s.parent_stage == Some(i - 1)));
    // The first stage with an alias wins, as before.
    let d = doc("FROM a AS x\nFROM b AS x\nFROM x\n");
    assert_eq!(d.stages[2].parent_stage, Some(0));
}

/// `ARG A=$A$A` doubles the value: 64 of them would need 2^64 bytes. Expansion is charged to
/// a budget proportional to the file, past which a value is unknown.
#[test]
fn doubling_args_stay_within_the_expansion_budget() {
    let t = format!("ARG A=x\n{}FROM golang:$A\nFROM golang:${{B:-1.22}}\n", "ARG A=$A$A\n".repeat(64));
    let d = doc(&t);
    assert_eq!(d.stages[0].image, None);
    assert_eq!(d.stages[1].image.as_deref(), Some("golang:1.22"));
    let t = format!("ARG A=x\n{}FROM golang:$A\n", "ARG A=$A$A\n".repeat(4));
    assert_eq!(doc(&t).stages[0].image.as_deref(), Some(format!("golang:{}", "x".repeat(16)).as_str()));
}

#[test]
fn onbuild_with_an_unknown_trigger_is_kept_as_text() {
    // BuildKit stores the trigger unparsed; only a child build would fail on it.
    let d = doc("FROM a\nONBUILD COPCOPY . /x\nONBUILD RUN make\nONBUILD RUN\u{a0}x\n");
    assert_eq!(d.instructions[3].kind, Kind::Onbuild);
    assert_eq!(d.instructions[1].kind, Kind::Onbuild);
    assert_eq!(d.instructions[1].args(), "COPCOPY . /x");
    assert_eq!(d.instructions[2].kind, Kind::Onbuild);
}

#[test]
fn indented_directives_are_directives() {
    // BuildKit strips leading whitespace (Unicode too) before matching a directive.
    for t in [" # escape=`\nFROM a\nRUN a `\n  b\n", "\u{a0}# escape=`\nFROM a\nRUN a `\n  b\n", "\t#escape = `\r\nFROM a\r\nRUN a `\r\n  b\r\n"] {
        let d = doc(t);
        assert_eq!(d.escape, '`', "{t:?}");
        assert_eq!(d.instructions.iter().map(|i| (i.start_line, i.end_line)).collect::<Vec<_>>(), [(2, 2), (3, 4)], "{t:?}");
        assert_eq!(d.instructions[1].command(), Some(&Command::Shell("a   b".into())), "{t:?}");
        assert_eq!(d.reassemble(), t);
    }
}

#[test]
fn every_trailing_carriage_return_is_a_line_ending() {
    // BuildKit trims all of them (`trimNewline`): the escape before `\r\r\n` continues, and a
    // heredoc terminator may be followed by several.
    let t = "FROM a\r\nRUN x \\\r\r\n  y\r\nRUN <<EOF\r\nhi\r\nEOF\r\r\nCMD z\r\n";
    let d = doc(t);
    assert_eq!(d.instructions.iter().map(|i| (i.start_line, i.end_line)).collect::<Vec<_>>(), [(1, 1), (2, 3), (4, 6), (7, 7)]);
    assert_eq!(d.reassemble(), t);
}

#[test]
fn an_escaped_escape_at_the_end_is_no_continuation() {
    for (t, lines) in [
        ("FROM a\nRUN a \\\\\nRUN b\n", vec![(1, 1), (2, 2), (3, 3)]),
        ("FROM a\nRUN a\\\\\\\nRUN b\n", vec![(1, 1), (2, 2), (3, 3)]),
        ("FROM a\nRUN a \\\n  \\\\\nRUN b\n", vec![(1, 1), (2, 3), (4, 4)]),
        ("# escape=`\nFROM a\nRUN a ``\nRUN b\n", vec![(2, 2), (3, 3), (4, 4)]),
        ("FROM a\n\\\nRUN b\n", vec![(1, 1), (2, 3)]),
    ] {
        let d = doc(t);
        assert_eq!(d.instructions.iter().map(|i| (i.start_line, i.end_line)).collect::<Vec<_>>(), lines, "{t:?}");
        assert_eq!(d.reassemble(), t);
    }
}

#[test]
fn directive_blanks_are_re2_spaces() {
    // `\f` is a space in BuildKit's directive pattern, `\v` is not (then the line is a comment).
    for (t, continued) in
        [("# escape=`\x0c\nFROM a\nRUN a `\nb\n", true), ("#\x0cescape\x0c=\x0c`\nFROM a\nRUN a `\nb\n", true), ("#\x0bescape=`\nFROM a\nRUN a `\nb\n", false)]
    {
        let d = doc(t);
        assert_eq!(d.escape, if continued { '`' } else { '\\' }, "{t:?}");
        assert_eq!(d.instructions.len(), if continued { 2 } else { 3 }, "{t:?}");
    }
    assert!(Document::parse("# escape=`\x0b\nFROM a\n").unwrap_err().message.contains("invalid escape"));
}

#[test]
fn no_heredoc_where_buildkit_lexer_fails() {
    // An unterminated quote (or a bad `${…}`) on the line: BuildKit's shell lexer gives no
    // words, so no heredoc; the following lines are instructions.
    for t in ["FROM a\nRUN <<EOF echo \"\nRUN hi\nEOF\n", "FROM a\nCOPY <<EOF ${a.b} /x\nRUN hi\nEOF\n"] {
        let d = doc(t);
        assert_eq!(d.instructions.iter().map(|i| (i.start_line, i.end_line)).collect::<Vec<_>>(), [(1, 1), (2, 2), (3, 3), (4, 4)], "{t:?}");
        assert!(d.instructions[1].heredocs.is_empty());
        assert_eq!(d.reassemble(), t);
    }
}

#[test]
fn heredocs_of_onbuild_triggers_and_not_of_json_forms() {
    // Checked with the oracle: ONBUILD RUN takes its heredoc body; an exec form (even with
    // trailing text after the array) has none.
    let t = "FROM a\nONBUILD RUN <<EOF\npip install x\nEOF\nCMD [\"y\"]\n";
    let d = doc(t);
    assert_eq!(d.instructions.iter().map(|i| (i.start_line, i.end_line)).collect::<Vec<_>>(), [(1, 1), (2, 4), (5, 5)]);
    assert_eq!(d.instructions[1].kind, Kind::Onbuild);
    assert_eq!(d.reassemble(), t);
    for t in ["FROM a\nCOPY [\"/a\"] <<EOF /x\nRUN hi\nEOF\n", "FROM a\nCOPY --from=b [\"/a\", \"/b\"]x <<EOF\nRUN hi\nEOF\n"] {
        let d = doc(t);
        assert_eq!(d.instructions.iter().map(|i| (i.start_line, i.end_line)).collect::<Vec<_>>(), [(1, 1), (2, 2), (3, 3), (4, 4)], "{t:?}");
    }
}

#[test]
fn line_col_inside_a_multibyte_character_is_that_character() {
    // Fuzzer finding: `span.end - 1` of an instruction ending in U+00A0 is inside it.
    let text = "FROM a\nCMD x\u{a0}";
    let last = text.len() - 1;
    assert_eq!(line_col(text, last), (2, 6));
    assert_eq!(line_col(text, text.len()), (2, 7));
}

#[test]
fn keywords_in_any_ascii_case() {
    let names = [
        "add",
        "arg",
        "cmd",
        "copy",
        "entrypoint",
        "env",
        "expose",
        "from",
        "healthcheck",
        "label",
        "maintainer",
        "onbuild",
        "run",
        "shell",
        "stopsignal",
        "user",
        "volume",
        "workdir",
    ];
    let mut kinds = Vec::new();
    for name in names {
        let kind = Kind::from_keyword(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(Kind::from_keyword(&name.to_ascii_uppercase()), Some(kind.clone()));
        let mixed: String = name.chars().enumerate().map(|(i, c)| if i % 2 == 0 { c.to_ascii_uppercase() } else { c }).collect();
        assert_eq!(Kind::from_keyword(&mixed), Some(kind.clone()));
        assert!(!kinds.contains(&kind), "{name} read as an earlier keyword");
        kinds.push(kind);
    }
    for other in ["", "ru", "runn", "frm", "healthcheckx", "ſhell", "ＲＵＮ", "r\u{0}n"] {
        assert_eq!(Kind::from_keyword(other), None, "{other:?}");
    }
}
