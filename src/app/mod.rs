//! A run, start to finish: flags + `restage.toml` → settings → discover → process in
//! parallel → (verify) → write → render → exit code. `main` only parses the flags.
//!
//! Exit codes: 0 nothing to do (or everything written), 1 `--check` found a pending
//! rewrite or `--verify` found a different behaviour, 2 an error in any file (the other
//! files still go through) or in the run itself.
//!
//! Memory stays flat however large the batch: in the human and GitHub formats (without
//! `--verify`) the outcomes are streamed. Workers take files in sorted order, a reorder
//! buffer hands them to the main thread in that order, and each file's text, document and
//! rewrite are dropped once it is written, rendered and counted; the notes for stderr wait
//! in a buffer that spills to a temporary file. The formats that print one document (JSON,
//! SARIF, Markdown) and `--verify` still collect every outcome first.

pub mod settings;

use crate::cli::{Cli, Format};
use crate::discover::Listed;
use crate::edit::Applicability;
use crate::outcome::{Code, FileError, FileOutcome, Outcome};
use crate::render::{self, Renderer, Summary};
use anstream::ColorChoice;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

pub use settings::RunSettings;

pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let run = match settings::load(cli)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    // The settings live until the process exits: not freeing the table saves its teardown.
    let run: &RunSettings = Box::leak(Box::new(run));
    if cli.list_pairs {
        settings::list_pairs(run)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (files, walk_errors) = crate::discover::discover_listed(&run.paths, &run.discover);
    // Outcomes are shown sorted by their display path (walk errors after a file of the same
    // name): the same order, made before the work instead of after it. A walked folder's
    // files stay as text below it (a monorepo's 100,000 paths: 3 MB, not 12 MB).
    let mut jobs: Vec<Job> = files
        .into_iter()
        .map(|f| match f {
            Listed::Path(p) => Job::File(p),
            Listed::Under(root, rel) => Job::Under(root, rel),
        })
        .collect();
    jobs.extend(walk_errors.into_iter().map(|e| Job::WalkError(Box::new(e))));
    jobs.sort_by(Job::order);
    if run.verify.is_none() && matches!(cli.format, Format::Human | Format::Github) {
        return stream(cli, run, jobs);
    }
    if let Some(j) = cli.jobs {
        rayon::ThreadPoolBuilder::new().num_threads(j.max(1)).build_global().ok();
    }
    let mut results: Vec<FileOutcome> = jobs.par_iter().map(|j| j.run(run)).collect();

    let verified = match &run.verify {
        Some(v) => match crate::verify::driver::run(v, &results) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("restage: error: {e:#}");
                return Ok(ExitCode::from(2));
            }
        },
        None => None,
    };
    let applies = |r: &FileOutcome| {
        r.changed().is_some()
            && verified.as_ref().is_none_or(|v| v.same.contains(&r.path))
            && !(cli.safe_only && r.rewrite().is_some_and(|w| w.fix.applicability != Applicability::Safe))
    };
    let mut out = Stdout::new();
    let write_errors = if cli.write { write_all(&mut out, &mut results, &applies)? } else { 0 };
    let stdin_written = cli.write && results.iter().any(|r| r.stdin);
    if !cli.quiet && !stdin_written && !cli.verify {
        renderer(cli.format, cli.write, out.styled()).render(&mut out, &results)?;
    }
    out.flush()?;
    report(cli, &results)?;
    let summary = Summary::of(&results);
    let pending = results.iter().any(|r| r.changed().is_some());
    Ok(if summary.errors > 0 || write_errors > 0 || verified.as_ref().is_some_and(|v| v.inconclusive > 0) {
        ExitCode::from(2)
    } else if verified.as_ref().is_some_and(|v| v.different > 0) || (cli.check && pending && !cli.write) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn renderer(format: Format, write: bool, styled: bool) -> Box<dyn Renderer> {
    match format {
        Format::Human if write => Box::new(Nothing),
        Format::Human => Box::new(render::human::Diff { styled }),
        Format::Json => Box::new(render::json::Json),
        Format::Sarif => Box::new(render::sarif::Sarif),
        Format::Github => Box::new(render::github::Github),
        Format::Markdown => Box::new(render::markdown::Markdown),
    }
}

/// `--write` in the human format prints no diffs.
struct Nothing;

impl Renderer for Nothing {
    fn render(&self, _: &mut dyn Write, _: &[FileOutcome]) -> std::io::Result<()> {
        Ok(())
    }
}

/// Notes and the summary on stderr (errors only with `--quiet`).
fn report(cli: &Cli, results: &[FileOutcome]) -> std::io::Result<()> {
    let mut err = anstream::stderr();
    if cli.quiet {
        for r in results {
            if let Some(e) = r.error() {
                writeln!(err, "{}:{}:{}: error: {} [{}]", r.display, e.line, e.column, e.message, e.code)?;
            }
        }
        return Ok(());
    }
    let styled = anstream::AutoStream::choice(&std::io::stderr()) != ColorChoice::Never;
    render::human::notes(&mut err, results, cli.explain, styled)?;
    writeln!(err, "{}", Summary::of(results).line())
}

/// Writes the rewrites that apply; stdin's text goes to stdout. A failed write becomes
/// the file's error. Returns the number of failed writes.
fn write_all(out: &mut dyn Write, results: &mut [FileOutcome], applies: &dyn Fn(&FileOutcome) -> bool) -> std::io::Result<usize> {
    let mut failed = 0;
    for r in results.iter_mut() {
        if r.stdin {
            if r.error().is_none() {
                let text = if applies(r) { r.changed().unwrap_or(&r.original) } else { &r.original };
                out.write_all(text.as_bytes())?;
            }
            continue;
        }
        if !applies(r) {
            continue;
        }
        let new = r.changed().unwrap_or_default().to_string();
        if let Err(e) = crate::write::atomic_write(&r.path, r.original.as_bytes(), &new) {
            r.outcome = error(Code::WriteError, 1, 1, format!("cannot write: {e}"));
            failed += 1;
        }
    }
    Ok(failed)
}

/// Writes one rewrite if it applies (no `--verify` here); a failed write becomes the
/// file's error. Returns whether it failed.
fn write_one(out: &mut dyn Write, r: &mut FileOutcome, applies: &dyn Fn(&FileOutcome) -> bool) -> std::io::Result<bool> {
    write_all(out, std::slice::from_mut(r), applies).map(|n| n > 0)
}

/// The streamed run (human and GitHub formats, no `--verify`): same output, same exit code
/// as the collected one, with one file's outcome alive at a time (plus the reorder buffer).
fn stream(cli: &Cli, run: &RunSettings, jobs: Vec<Job>) -> anyhow::Result<ExitCode> {
    let mut out = Stdout::new();
    let applies = |r: &FileOutcome| r.changed().is_some() && !(cli.safe_only && r.rewrite().is_some_and(|w| w.fix.applicability != Applicability::Safe));
    let stdin_written = cli.write && jobs.iter().any(Job::is_stdin);
    let render = !cli.quiet && !stdin_written;
    let diff = renderer(cli.format, cli.write, out.styled());
    let err_styled = anstream::AutoStream::choice(&std::io::stderr()) != ColorChoice::Never;
    let mut notes = Spill::default();
    let mut summary = Summary::default();
    let (mut pending, mut write_errors) = (false, 0usize);
    let threads = cli.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    for_each_ordered(
        jobs.len(),
        threads,
        |i| jobs[i].run(run),
        |mut r| {
            if cli.write && write_one(&mut out, &mut r, &applies)? {
                write_errors += 1;
            }
            if render {
                diff.render(&mut out, std::slice::from_ref(&r))?;
            }
            if cli.quiet {
                if let Some(e) = r.error() {
                    writeln!(notes, "{}:{}:{}: error: {} [{}]", r.display, e.line, e.column, e.message, e.code)?;
                }
            } else {
                render::human::notes(&mut notes, std::slice::from_ref(&r), cli.explain, err_styled)?;
            }
            pending |= r.changed().is_some();
            tally(&mut summary, &r);
            Ok(())
        },
    )?;
    out.flush()?;
    let mut err = anstream::stderr();
    notes.copy_to(&mut err)?;
    if !cli.quiet {
        writeln!(err, "{}", summary.line())?;
    }
    Ok(if summary.errors > 0 || write_errors > 0 {
        ExitCode::from(2)
    } else if cli.check && pending && !cli.write {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Adds one outcome to the counts of the summary.
fn tally(s: &mut Summary, f: &FileOutcome) {
    let one = Summary::of(std::slice::from_ref(f));
    s.files += one.files;
    s.rewritten += one.rewritten;
    s.safe += one.safe;
    s.needs_review += one.needs_review;
    s.unchanged += one.unchanged;
    s.skipped += one.skipped;
    s.errors += one.errors;
    s.estimate_mb += one.estimate_mb;
    for (k, n) in one.skip_reasons {
        *s.skip_reasons.entry(k).or_default() += n;
    }
    for (k, n) in one.families {
        *s.families.entry(k).or_default() += n;
    }
}

/// Runs `work(0..n)` on `threads` threads (this one included) and gives the results to
/// `sink`, on this thread, in index order. Every thread takes the next index; the others
/// park their results in a reorder buffer that this thread empties, in order, between its
/// own items (no message or wake-up per file). Helpers stay at most a window ahead of the
/// sink, so the buffer holds a few results whatever `n` is. One thread: no helpers at all.
fn for_each_ordered<T: Send>(
    n: usize,
    threads: usize,
    work: impl Fn(usize) -> T + Sync,
    mut sink: impl FnMut(T) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if threads <= 1 || n <= 1 {
        return (0..n).try_for_each(|i| sink(work(i)));
    }
    let window = 64 * threads;
    let (next, done, stop) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicBool::new(false));
    let parked: std::sync::Mutex<BTreeMap<usize, T>> = std::sync::Mutex::new(BTreeMap::new());
    let arrived = std::sync::Condvar::new();
    std::thread::scope(|scope| {
        for _ in 1..threads.min(n) {
            let (next, done, stop, work, parked, arrived) = (&next, &done, &stop, &work, &parked, &arrived);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    // Back-pressure: the sink (stdout) is behind; wait rather than pile up.
                    while i >= done.load(Ordering::Acquire) + window && !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(std::time::Duration::from_micros(200));
                    }
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let t = work(i);
                    parked.lock().unwrap().insert(i, t);
                    arrived.notify_one();
                }
            });
        }
        let mut want = 0;
        let result = (|| {
            while want < n {
                // Everything due that is ready, in order.
                loop {
                    let Some(t) = parked.lock().unwrap().remove(&want) else { break };
                    want += 1;
                    sink(t)?;
                    done.store(want, Ordering::Release);
                }
                if want >= n {
                    break;
                }
                // Work while there is some (within the window); else wait for the item due.
                let i = next.load(Ordering::Relaxed);
                if i < n && i < want + window {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i < n {
                        let t = work(i);
                        parked.lock().unwrap().insert(i, t);
                    }
                    continue;
                }
                let guard = parked.lock().unwrap();
                if !guard.contains_key(&want) {
                    drop(arrived.wait_timeout(guard, std::time::Duration::from_millis(1)).unwrap());
                }
            }
            Ok(())
        })();
        if result.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        result
    })
}

/// stdout, buffered. Without colour the text goes out as it is when it is plain printable
/// ASCII (all a diff usually is) and through anstream's stripping otherwise, so the bytes are
/// those `anstream::stdout()` would write, without scanning every byte for escape codes.
struct Stdout {
    raw: BufWriter<std::io::StdoutLock<'static>>,
    choice: ColorChoice,
}

impl Stdout {
    fn new() -> Stdout {
        let choice = anstream::AutoStream::choice(&std::io::stdout());
        Stdout { raw: BufWriter::with_capacity(1 << 16, std::io::stdout().lock()), choice }
    }
    fn styled(&self) -> bool {
        self.choice != ColorChoice::Never
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let plain = |b: &u8| matches!(b, b' '..=b'~' | b'\n' | b'\t' | b'\r');
        if self.choice == ColorChoice::Never && !buf.iter().all(plain) {
            anstream::StripStream::new(&mut self.raw as &mut dyn Write).write_all(buf)
        } else if self.choice == ColorChoice::Never {
            self.raw.write_all(buf)
        } else {
            anstream::AutoStream::new(&mut self.raw as &mut dyn Write, self.choice).write_all(buf)
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.raw.flush()
    }
}

/// Text for stderr kept until the end of the run: in memory up to a few MB, then in a
/// temporary file, so a run over 100,000 files does not grow with its notes.
#[derive(Default)]
struct Spill {
    buf: Vec<u8>,
    file: Option<std::fs::File>,
}

const SPILL_AT: usize = 1 << 22;

impl Write for Spill {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= SPILL_AT {
            if self.file.is_none() {
                self.file = Some(tempfile::tempfile()?);
            }
            self.file.as_mut().expect("just made").write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Spill {
    fn copy_to(mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(mut f) = self.file.take() {
            f.rewind()?;
            std::io::copy(&mut f, out)?;
        }
        out.write_all(&self.buf)
    }
}

/// One entry of the run: a discovered path, or a path the walk could not read.
enum Job {
    File(PathBuf),
    /// A file below the walked folder: `root.join(rel)`.
    Under(&'static Path, &'static str),
    WalkError(Box<(PathBuf, String)>),
}

impl Job {
    fn path(&self) -> std::borrow::Cow<'_, Path> {
        match self {
            Job::File(p) => p.into(),
            Job::Under(root, rel) => root.join(rel).into(),
            Job::WalkError(e) => (&e.0).into(),
        }
    }
    /// What [`FileOutcome::new`] will show for this path (the sort key), borrowed when it
    /// is the path itself (no copy of 100,000 paths to sort them).
    fn display(&self) -> std::borrow::Cow<'_, str> {
        if self.is_stdin() {
            return "-".into();
        }
        let path = self.path();
        match path.to_str() {
            Some(s) if !s.contains('\\') => s.to_string().into(),
            _ => path.to_string_lossy().replace('\\', "/").into(),
        }
    }
    /// The order of [`Job::display`]: two files below the same root compare by the text
    /// below it (the root and its separator are the same bytes), without joining them.
    fn order(a: &Job, b: &Job) -> std::cmp::Ordering {
        if let (Job::Under(ra, a), Job::Under(rb, b)) = (a, b)
            && std::ptr::eq(*ra, *rb)
            && !a.contains('\\')
            && !b.contains('\\')
        {
            return a.cmp(b);
        }
        match (a, b) {
            (Job::File(pa), Job::File(pb)) => match (pa.to_str(), pb.to_str()) {
                (Some(x), Some(y)) if !x.contains('\\') && !y.contains('\\') && x != "-" && y != "-" => x.cmp(y),
                _ => a.display().cmp(&b.display()),
            },
            _ => a.display().cmp(&b.display()),
        }
    }
    fn is_stdin(&self) -> bool {
        matches!(self, Job::File(p) if p.as_os_str() == "-")
    }
    fn run(&self, run: &RunSettings) -> FileOutcome {
        match self {
            Job::File(p) => process_path(p, run),
            Job::Under(root, rel) => process_path(&root.join(rel), run),
            Job::WalkError(e) => FileOutcome::new(e.0.clone(), false, String::new(), error(Code::ReadError, 1, 1, e.1.clone())),
        }
    }
}

fn error(code: Code, line: usize, column: usize, message: impl Into<String>) -> Outcome {
    Outcome::Error(FileError { code, line, column, message: message.into() })
}

/// Reads and processes one discovered path (`-` is stdin), refusing files over `max_bytes`.
pub fn process_path(p: &Path, run: &RunSettings) -> FileOutcome {
    let max_bytes = run.max_file_size;
    let stdin = p.as_os_str() == "-";
    let read = if stdin { crate::source::read_limited(std::io::stdin().lock(), max_bytes) } else { crate::source::read_source(p, max_bytes) };
    match read {
        Ok(s) => crate::pipeline::process(p.to_path_buf(), stdin, s, &run.plan),
        Err(e) => {
            let code = match e.kind {
                crate::source::SourceErrorKind::TooLarge { .. } => Code::TooLarge,
                crate::source::SourceErrorKind::NotUtf8 => Code::NotUtf8,
                crate::source::SourceErrorKind::Io(_) => Code::ReadError,
            };
            let message = if stdin && matches!(code, Code::ReadError) {
                format!("cannot read stdin: {}", e.message.trim_start_matches("cannot read: "))
            } else {
                e.message
            };
            FileOutcome::new(p.to_path_buf(), stdin, String::new(), Outcome::Error(FileError { code, line: e.line, column: e.column, message }))
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_results_come_in_index_order_whatever_the_threads() {
        for threads in [1, 2, 4] {
            let mut seen = Vec::new();
            let work = |i: usize| {
                // Uneven work so that helpers finish out of order.
                std::thread::sleep(std::time::Duration::from_micros(((i * 7919) % 13) as u64 * 50));
                i * 2
            };
            for_each_ordered(500, threads, work, |v| {
                seen.push(v);
                Ok(())
            })
            .unwrap();
            assert_eq!(seen, (0..500).map(|i| i * 2).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    #[test]
    fn a_failing_sink_stops_the_run_with_its_error() {
        let mut n = 0;
        let r = for_each_ordered(
            10_000,
            2,
            |i| i,
            |_| {
                n += 1;
                if n == 3 { Err(std::io::Error::other("closed")) } else { Ok(()) }
            },
        );
        assert_eq!(r.unwrap_err().to_string(), "closed");
        assert_eq!(n, 3);
    }

    #[test]
    fn jobs_below_one_root_sort_as_their_display_paths() {
        let root: &'static Path = Box::leak(PathBuf::from("repo/").into_boxed_path());
        let rels = ["b/Dockerfile", "a.b/Dockerfile", "a/Dockerfile", "a/x.Dockerfile", "A/Dockerfile", "a-b/Dockerfile"];
        let mut jobs: Vec<Job> = rels.iter().map(|r| Job::Under(root, r)).collect();
        jobs.push(Job::File(PathBuf::from("repo/a/Dockerfile.dev")));
        jobs.push(Job::WalkError(Box::new((PathBuf::from("repo/a/Dockerfile"), "x".into()))));
        let mut by_display: Vec<String> = jobs.iter().map(|j| j.display().into_owned()).collect();
        by_display.sort();
        jobs.sort_by(Job::order);
        assert_eq!(jobs.iter().map(|j| j.display().into_owned()).collect::<Vec<_>>(), by_display);
        assert_eq!(Job::Under(root, "a/Dockerfile").display(), "repo/a/Dockerfile");
    }

    #[test]
    fn the_sort_key_is_the_display_path() {
        for p in ["-", "a/b/Dockerfile", "./x/Dockerfile", "a\\b/Dockerfile"] {
            let j = Job::File(PathBuf::from(p));
            let shown = FileOutcome::new(PathBuf::from(p), p == "-", String::new(), error(Code::Internal, 1, 1, "")).display;
            assert_eq!(j.display(), shown, "{p}");
        }
    }

    #[test]
    fn notes_held_for_stderr_keep_their_bytes() {
        let mut spill = Spill::default();
        write!(spill, "a\u{1b}[31mb").unwrap();
        let mut out = Vec::new();
        spill.copy_to(&mut out).unwrap();
        assert_eq!(out, b"a\x1b[31mb", "the spill keeps bytes as written");
    }
}
