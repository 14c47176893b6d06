//! What restage decided for one file, as types rather than strings.
//!
//! Every decision carries a [`Reason`] with a stable [`Code`]: the summary groups skips by
//! code, JSON has it in `code` fields and SARIF uses it as the rule id, so users can filter,
//! count and suppress by code while the English message stays free to improve. The list of
//! codes is documented in the README ("Reason codes"); a code never changes meaning.

use crate::plan::Planned;
use serde::Serialize;
use std::path::PathBuf;

macro_rules! codes {
    ($($variant:ident = $code:literal, $kind:ident, $title:literal;)*) => {
        /// Stable reason codes (kebab-case), grouped by what they explain.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),* }
            }
            pub fn kind(self) -> CodeKind {
                match self { $(Code::$variant => CodeKind::$kind),* }
            }
            /// One line describing the code (README table, SARIF rule descriptions).
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title),* }
            }
        }
    };
}

/// What a code explains: why a file was skipped or left unchanged, what a reviewer must
/// check, why a file failed, or a decision shown by `--explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeKind {
    Skip,
    Unchanged,
    Review,
    Error,
    Decision,
}

codes! {
    // Skips: restage leaves the file alone and says why.
    IgnoreMarker = "ignore-marker", Skip, "`# restage: ignore` in the file";
    UnknownInstruction = "unknown-instruction", Skip, "an instruction no builder knows (a template?)";
    MultiStage = "multi-stage", Skip, "already a multi-stage build";
    FromVariable = "from-variable", Skip, "the FROM image is a variable without a default";
    ImageReference = "image-reference", Skip, "the FROM image reference cannot be read";
    FromScratch = "from-scratch", Skip, "FROM scratch: nothing is built";
    Onbuild = "onbuild", Skip, "a base image for other builds (ONBUILD)";
    NoPair = "no-pair", Skip, "the family has no builder/runtime pair for the image";
    VersionNotShipped = "version-not-shipped", Skip, "the family does not ship the file's version (see --upgrade)";
    NoRecipe = "no-recipe", Skip, "no split recipe for the image's ecosystem";
    NoProgram = "no-program", Skip, "no CMD or ENTRYPOINT: the program comes from the base image";
    NoBuildStep = "no-build-step", Skip, "no build step: already a runtime image";
    NoSplitPoint = "no-split-point", Skip, "no runtime instruction after the last build step";
    NoBuildOutput = "no-build-output", Skip, "no build or dependency install step the recipe knows";
    UnknownOutput = "unknown-output", Skip, "cannot tell which build output the program is";
    AppInRoot = "app-in-root", Skip, "the app lives in / (no WORKDIR)";
    DevImage = "dev-image", Skip, "a development or test image, not an app to ship";
    StageName = "stage-name", Skip, "every stage name restage uses is taken";
    NoGain = "no-gain", Skip, "the split would not shrink the image";
    RuntimeImage = "runtime-image", Skip, "the base image already is a family's runtime image";
    // Unchanged: nothing to do.
    AlreadyOnFamily = "already-on-family", Unchanged, "multi-stage, already on the family where a pair matches";
    // Review findings: the rewrite is offered, labelled needs review.
    NoShell = "no-shell", Review, "the program or a healthcheck needs a shell the runtime lacks";
    ToolMissing = "tool-missing", Review, "a tool the image uses at run time is missing in the runtime";
    RuntimePackages = "runtime-packages", Review, "OS packages may be needed at run time and cannot be installed";
    UnknownLibrary = "unknown-library", Review, "a -dev package with no known runtime library";
    UserMissing = "user-missing", Review, "a user created in the builder does not exist in the runtime";
    EmulatedBuild = "emulated-build", Review, "the builder runs on an emulated platform";
    CommandKept = "command-kept", Review, "the program's command could not be adapted to the runtime";
    RuntimeVariant = "runtime-variant", Review, "the family has no runtime variant the binary needs";
    PairNote = "pair-note", Review, "a note of the pairing table (digest, floating tag, vendor caveat)";
    Retargeted = "retargeted", Review, "stages moved to another family's images";
    ContextMissing = "context-missing", Review, "a file the decision needs is not in the build context";
    RuntimeFiles = "runtime-files", Review, "files read at run time copied from the build context";
    Dependencies = "dependencies", Review, "dependencies installed outside what is copied";
    Interpreter = "interpreter", Review, "the runtime's interpreter differs from the builder's";
    BuildOutput = "build-output", Review, "the build output location is a guess";
    FileState = "file-state", Review, "files or folders created by RUN outside the copied paths";
    PlatformCommand = "platform-command", Review, "no CMD: the platform (Procfile, app.yaml, compose) starts the program";
    VersionChange = "version-change", Review, "builder and runtime moved to another version together";
    RuntimeUser = "runtime-user", Review, "the runtime runs the program as a non-root user where the single stage ran it as root";
    BuilderPackages = "builder-packages", Review, "the build stage installs packages with a tool the new builder does not have";
    OnbuildExpanded = "onbuild-expanded", Review, "the ONBUILD triggers of the base image written out as plain steps";
    // Errors: the file is not processed (exit code 2).
    ParseError = "parse-error", Error, "the Dockerfile does not parse";
    ReadError = "read-error", Error, "the file cannot be read";
    NotUtf8 = "not-utf8", Error, "the file is not UTF-8 text";
    TooLarge = "too-large", Error, "the file is larger than the size limit";
    WriteError = "write-error", Error, "the rewrite could not be written";
    Internal = "internal", Error, "a restage bug (please report it)";
    // Decisions, shown by --explain.
    Pair = "pair", Decision, "the pair chosen";
    Context = "context", Decision, "the build context folder";
    Variant = "variant", Decision, "the runtime variant chosen";
    StageAlias = "stage-alias", Decision, "the builder's stage name";
    Copy = "copy", Decision, "a path copied into the runtime";
    Step = "step", Decision, "a builder or runtime step added";
    Program = "program", Decision, "how the program is started in the runtime";
    Saving = "saving", Decision, "the estimated saving";
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A decision with its code, a message for humans and, where it has one, the line it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub code: Code,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl Reason {
    pub fn new(code: Code, message: impl Into<String>) -> Reason {
        Reason { code, message: message.into(), line: None }
    }
    pub fn at(mut self, line: usize) -> Reason {
        self.line = Some(line);
        self
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A rewrite restage offers: the plan (fix, images, copies, estimate, decisions) and the
/// rewritten text, re-parsed and checked idempotent. Derefs to the plan.
#[derive(Debug, Clone)]
pub struct Rewrite {
    pub plan: Planned,
    pub text: String,
}

impl std::ops::Deref for Rewrite {
    type Target = Planned;
    fn deref(&self) -> &Planned {
        &self.plan
    }
}

/// A file that could not be processed, with its location (1-based).
#[derive(Debug, Clone, Serialize)]
pub struct FileError {
    pub code: Code,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The decision for one file. A rewrite always has its fix and text; a skip its reason.
#[derive(Debug, Clone)]
pub enum Outcome {
    Rewrite(Box<Rewrite>),
    /// Nothing to change; `explain` holds the decisions that led there.
    Unchanged {
        reason: Reason,
        explain: Vec<Reason>,
    },
    Skipped {
        reason: Reason,
        explain: Vec<Reason>,
    },
    Error(FileError),
}

impl Outcome {
    pub fn skipped(reason: Reason) -> Outcome {
        Outcome::Skipped { reason, explain: Vec::new() }
    }
    pub fn unchanged(reason: Reason) -> Outcome {
        Outcome::Unchanged { reason, explain: Vec::new() }
    }
    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Rewrite(_) => "rewritten",
            Outcome::Unchanged { .. } => "unchanged",
            Outcome::Skipped { .. } => "skipped",
            Outcome::Error(_) => "error",
        }
    }
}

/// One file and its outcome. `path` is where it lives (for reading and writing, any bytes);
/// `display` is how output shows it (forward slashes, `-` for stdin).
#[derive(Debug, Clone)]
pub struct FileOutcome {
    pub path: PathBuf,
    pub display: String,
    pub stdin: bool,
    pub original: String,
    pub outcome: Outcome,
}

impl FileOutcome {
    pub fn new(path: PathBuf, stdin: bool, original: String, outcome: Outcome) -> FileOutcome {
        let display = if stdin { "-".to_string() } else { path.to_string_lossy().replace('\\', "/") };
        FileOutcome { path, display, stdin, original, outcome }
    }
    pub fn rewrite(&self) -> Option<&Rewrite> {
        match &self.outcome {
            Outcome::Rewrite(r) => Some(r),
            _ => None,
        }
    }
    /// The new text when it differs from the original.
    pub fn changed(&self) -> Option<&str> {
        self.rewrite().map(|r| r.text.as_str()).filter(|t| *t != self.original)
    }
    pub fn error(&self) -> Option<&FileError> {
        match &self.outcome {
            Outcome::Error(e) => Some(e),
            _ => None,
        }
    }
    pub fn explain(&self) -> &[Reason] {
        match &self.outcome {
            Outcome::Rewrite(r) => &r.explain,
            Outcome::Unchanged { explain, .. } | Outcome::Skipped { explain, .. } => explain,
            Outcome::Error(_) => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_titled() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate code {c}");
            assert!(c.as_str().chars().all(|ch| ch.is_ascii_lowercase() || ch == '-' || ch.is_ascii_digit()), "{c}");
            assert!(!c.title().is_empty());
        }
    }

    #[test]
    fn the_readme_lists_every_code() {
        let readme = include_str!("../README.md");
        let missing: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).filter(|c| !readme.contains(&format!("`{c}`"))).collect();
        assert!(missing.is_empty(), "codes missing from the README's table: {missing:?}");
    }
}
