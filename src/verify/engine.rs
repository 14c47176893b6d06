//! The container engines `--verify` drives, behind one small interface.
//!
//! docker and podman share a CLI (`build`, `run`, `image inspect`, `rm`, `rmi`); buildah
//! builds with `bud` and runs a command in a working container (`from` + `run`), so the
//! image's ENTRYPOINT/CMD are read from its config and composed here the way a runtime
//! would. Every command is spawned with an argument vector, never through a shell.

/// The container engines `--verify` can drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Docker,
    Podman,
    Buildah,
}
use anyhow::{Context, bail};
use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The hostname of the containers whose output is compared.
pub const HOSTNAME: &str = "restage-verify";

pub struct Engine {
    pub kind: Kind,
    pub program: String,
    /// `--pull` policy: never, missing, always.
    pub pull: String,
    /// Network for builds (`--network`); None = the engine's default.
    pub build_network: Option<String>,
}

/// What one command did: exit code (None: killed at the time limit), captured output.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub exit: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub secs: f64,
}

/// The parts of an image's configuration a rewrite must keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageConfig {
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub ports: Vec<String>,
    pub user: String,
    pub workdir: String,
    /// `KEY=value` entries, as the engine lists them.
    pub env: Vec<String>,
    /// The HEALTHCHECK test (`["CMD-SHELL", "curl -f …"]`, `["CMD", …]`, `["NONE"]`); empty: none.
    pub healthcheck: Vec<String>,
}

impl ImageConfig {
    /// The value of an environment variable.
    pub fn env_var(&self, key: &str) -> Option<&str> {
        self.env.iter().find_map(|e| e.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
    }
}

impl Engine {
    /// The engine asked for, or the first that answers of docker, podman, buildah.
    pub fn detect(wanted: Option<Kind>) -> anyhow::Result<Engine> {
        let candidates = match wanted {
            Some(k) => vec![k],
            None => vec![Kind::Docker, Kind::Podman, Kind::Buildah],
        };
        let mut tried = Vec::new();
        for kind in candidates {
            let program = name(kind);
            let probe: &[&str] = match kind {
                Kind::Docker => &["version", "--format", "{{.Server.Version}}"],
                Kind::Podman | Kind::Buildah => &["version"],
            };
            match Command::new(program).args(probe).stdin(Stdio::null()).output() {
                Ok(o) if o.status.success() => {
                    return Ok(Engine { kind, program: program.to_string(), pull: "missing".into(), build_network: None });
                }
                Ok(o) => tried.push(format!("{program}: {}", last_line(&String::from_utf8_lossy(&o.stderr)))),
                Err(_) => tried.push(format!("{program}: not on PATH")),
            }
        }
        bail!("--verify needs a container engine, and none answers ({})", tried.join("; "))
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(&self.program);
        c.stdin(Stdio::null());
        c
    }

    /// Builds `dockerfile` with `context` into `tag`.
    pub fn build(&self, dockerfile: &Path, context: &Path, tag: &str) -> anyhow::Result<Outcome> {
        let mut c = self.cmd();
        match self.kind {
            Kind::Buildah => c.arg("bud"),
            _ => c.arg("build"),
        };
        match (self.kind, self.pull.as_str()) {
            (Kind::Docker, "always") => {
                c.arg("--pull");
            }
            (Kind::Docker, _) => {}
            (_, policy) => {
                c.arg(format!("--pull={policy}"));
            }
        }
        // No intermediate layer images: --verify must leave nothing behind. The docker image
        // format keeps HEALTHCHECK (podman's default, OCI, drops it).
        if self.kind != Kind::Docker {
            c.arg("--layers=false").arg("--format=docker");
        }
        if let Some(n) = &self.build_network {
            c.arg(format!("--network={n}"));
        }
        c.arg("-t").arg(tag).arg("-f").arg(dockerfile).arg(context);
        run_with_limit(c, None)
    }

    /// Runs `image` with `args` (none: its CMD) and no network, for at most `limit`.
    pub fn run(&self, image: &str, name: &str, args: &[String], limit: Duration) -> anyhow::Result<Outcome> {
        let c = self.run_command(image, name, args, "none")?;
        let out = run_with_limit(c, Some(limit));
        // docker/podman remove a finished container themselves (`--rm`); buildah's working
        // container, and any container stopped at the limit, are removed here.
        if self.kind == Kind::Buildah || out.as_ref().is_ok_and(|o| o.exit.is_none()) {
            self.remove_container(name);
        }
        out
    }

    /// Starts `image` in the background on the host network (for an HTTP probe); the
    /// caller removes container `name`.
    pub fn start(&self, image: &str, name: &str, args: &[String]) -> anyhow::Result<Child> {
        let mut c = self.run_command(image, name, args, "host")?;
        c.stdout(Stdio::null()).stderr(Stdio::null());
        c.spawn().with_context(|| format!("cannot start {}", self.program))
    }

    /// The command that runs `image` as container `name`: `run --rm` for docker/podman; for
    /// buildah a working container (`from`) and `run` of its ENTRYPOINT + CMD.
    fn run_command(&self, image: &str, name: &str, args: &[String], network: &str) -> anyhow::Result<Command> {
        let mut c = self.cmd();
        match self.kind {
            Kind::Buildah => {
                let argv = self.compose_argv(image, args)?;
                let ctr = self.buildah_from(image, name)?;
                c.args(["run", "--network", network, &ctr, "--"]).args(&argv);
            }
            _ => {
                c.args(["run", "--rm", "--network", network]);
                // A fixed hostname: programs print it (log lines), and it would differ run to
                // run. On the host network the hostname is the host's (docker refuses both).
                if network != "host" {
                    c.args(["--hostname", HOSTNAME]);
                }
                c.args(["--name", name, image]).args(args);
            }
        }
        Ok(c)
    }

    /// Runs `argv` in a fresh container of `image` instead of its ENTRYPOINT/CMD, without
    /// network, for at most `limit`.
    pub fn run_argv(&self, image: &str, name: &str, argv: &[String], limit: Duration) -> anyhow::Result<Outcome> {
        let Some((exe, rest)) = argv.split_first() else { bail!("nothing to run") };
        let mut c = self.cmd();
        match self.kind {
            Kind::Buildah => {
                let ctr = self.buildah_from(image, name)?;
                c.args(["run", "--network", "none", &ctr, "--"]).args(argv);
            }
            _ => {
                c.args(["run", "--rm", "--network", "none", "--name", name, "--entrypoint", exe, image]).args(rest);
            }
        }
        let out = run_with_limit(c, Some(limit));
        if self.kind == Kind::Buildah || out.as_ref().is_ok_and(|o| o.exit.is_none()) {
            self.remove_container(name);
        }
        out
    }

    /// `sh -c script` in a fresh container of `image` (its `$0` is `sh`, then `args`); None
    /// when the image has no `/bin/sh`.
    pub fn shell(&self, image: &str, name: &str, script: &str, args: &[String], limit: Duration) -> anyhow::Result<Option<Outcome>> {
        let marker = "restage-shell-ok";
        let mut argv = vec!["/bin/sh".to_string(), "-c".to_string(), format!("echo {marker}; {script}"), "sh".to_string()];
        argv.extend(args.iter().cloned());
        let mut o = self.run_argv(image, name, &argv, limit)?;
        match o.stdout.strip_prefix(&format!("{marker}\n")) {
            Some(rest) => {
                o.stdout = rest.to_string();
                Ok(Some(o))
            }
            None => Ok(None),
        }
    }

    /// Starts `image` in the background (detached, no network) as container `name`, for
    /// commands run in it with [`Engine::exec`]; None for buildah, which has no such mode.
    pub fn start_detached(&self, image: &str, name: &str) -> anyhow::Result<Option<()>> {
        if self.kind == Kind::Buildah {
            return Ok(None);
        }
        let out = self.cmd().args(["run", "-d", "--network", "none", "--name", name, image]).output().context("cannot start a container")?;
        if !out.status.success() {
            bail!("cannot start {image}: {}", last_line(&String::from_utf8_lossy(&out.stderr)));
        }
        Ok(Some(()))
    }

    /// Whether container `name` is still running.
    pub fn running(&self, name: &str) -> bool {
        let out = self.cmd().args(["inspect", "--format", "{{.State.Running}}", name]).output();
        out.is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == "true")
    }

    /// Runs `argv` inside the running container `name`.
    pub fn exec(&self, name: &str, argv: &[String], limit: Duration) -> anyhow::Result<Outcome> {
        let mut c = self.cmd();
        c.args(["exec", name]).args(argv);
        run_with_limit(c, Some(limit))
    }

    /// The filesystem of `image`, exported into `dir` (a container is created, exported as a
    /// tar stream and unpacked by `tar`); for buildah a mounted working container, returned
    /// as the root to read (the caller unmounts it with [`Engine::remove_container`]).
    pub fn export(&self, image: &str, name: &str, dir: &Path) -> anyhow::Result<std::path::PathBuf> {
        if self.kind == Kind::Buildah {
            let ctr = self.buildah_from(image, name)?;
            let out = self.cmd().args(["mount", &ctr]).output().context("buildah mount")?;
            if !out.status.success() {
                self.remove_container(name);
                bail!("buildah mount: {}", last_line(&String::from_utf8_lossy(&out.stderr)));
            }
            return Ok(std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
        }
        let out = self.cmd().args(["create", "--name", name, "--entrypoint", "/restage-not-run", image]).output().context("cannot create a container")?;
        if !out.status.success() {
            bail!("cannot create a container of {image}: {}", last_line(&String::from_utf8_lossy(&out.stderr)));
        }
        let tar = dir.join("image.tar");
        let exported = self.cmd().args(["export", "-o"]).arg(&tar).arg(name).output().context("cannot export the container");
        self.remove_container(name);
        let exported = exported?;
        if !exported.status.success() {
            bail!("cannot export {image}: {}", last_line(&String::from_utf8_lossy(&exported.stderr)));
        }
        let root = dir.join("root");
        std::fs::create_dir_all(&root)?;
        let out = Command::new("tar")
            .args(["-x", "--no-same-owner", "--no-same-permissions", "--exclude=dev/*", "-f"])
            .arg(&tar)
            .arg("-C")
            .arg(&root)
            .stdin(Stdio::null())
            .output()
            .context("cannot run tar")?;
        let _ = std::fs::remove_file(&tar);
        if !out.status.success() {
            bail!("cannot unpack the exported filesystem: {}", last_line(&String::from_utf8_lossy(&out.stderr)));
        }
        Ok(root)
    }

    pub fn config(&self, image: &str) -> anyhow::Result<ImageConfig> {
        let v = self.inspect(image)?;
        // docker/podman: the config of `image inspect`; buildah: the OCI config (same keys).
        let cfg = match self.kind {
            Kind::Buildah => v.pointer("/OCIv1/config").cloned().unwrap_or_default(),
            _ => v.get("Config").cloned().unwrap_or_default(),
        };
        let strings = |key: &str| -> Vec<String> {
            cfg.get(key).and_then(Value::as_array).map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect()).unwrap_or_default()
        };
        let mut ports: Vec<String> = cfg.get("ExposedPorts").and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default();
        ports.sort();
        let text = |key: &str| cfg.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
        // HEALTHCHECK: docker keeps it in Config, podman at the top level, buildah in the
        // docker-format config.
        let health = cfg.get("Healthcheck").or_else(|| v.get("Healthcheck")).or_else(|| v.pointer("/Docker/config/Healthcheck"));
        let healthcheck = health
            .and_then(|h| h.get("Test"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
            .unwrap_or_default();
        Ok(ImageConfig {
            entrypoint: strings("Entrypoint"),
            cmd: strings("Cmd"),
            ports,
            user: text("User"),
            workdir: text("WorkingDir"),
            env: strings("Env"),
            healthcheck,
        })
    }

    /// The engine's JSON description of an image (docker/podman print an array of one).
    fn inspect(&self, image: &str) -> anyhow::Result<Value> {
        let mut c = self.cmd();
        match self.kind {
            Kind::Buildah => c.args(["inspect", "--type", "image", image]),
            _ => c.args(["image", "inspect", image]),
        };
        let out = c.output().context("cannot inspect image")?;
        if !out.status.success() {
            bail!("cannot inspect {image}: {}", last_line(&String::from_utf8_lossy(&out.stderr)));
        }
        let v: Value = serde_json::from_slice(&out.stdout).context("the engine printed no JSON for the image")?;
        Ok(match v {
            Value::Array(mut a) if !a.is_empty() => a.swap_remove(0),
            other => other,
        })
    }

    /// Image size in bytes, as the engine reports it (buildah: the sum of its layers).
    pub fn size(&self, image: &str) -> anyhow::Result<u64> {
        let v = self.inspect(image)?;
        let size = match self.kind {
            Kind::Buildah => v
                .get("Manifest")
                .and_then(Value::as_str)
                .and_then(|m| serde_json::from_str::<Value>(m).ok())
                .and_then(|m| m.get("layers").and_then(Value::as_array).map(|ls| ls.iter().filter_map(|l| l["size"].as_u64()).sum())),
            _ => v.get("Size").and_then(Value::as_u64),
        };
        size.with_context(|| format!("cannot read the size of {image}"))
    }

    /// Untagged images (docker's classic builder keeps one per intermediate stage, which
    /// `--verify` removes afterwards: the difference of this list before and after).
    pub fn dangling_images(&self) -> Vec<String> {
        let mut c = self.cmd();
        c.args(["images", "-q", "--no-trunc", "--filter", "dangling=true"]);
        match c.output() {
            Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect(),
            _ => Vec::new(),
        }
    }

    pub fn remove_image(&self, image: &str) {
        let mut c = self.cmd();
        c.args(["rmi", "-f", image]).stdout(Stdio::null()).stderr(Stdio::null());
        let _ = c.status();
    }

    pub fn remove_container(&self, name: &str) {
        let mut c = self.cmd();
        c.args(["rm", "-f"]);
        // podman stops a running container with SIGTERM and waits 10 s; a program that runs
        // as PID 1 ignores it, so kill it at once (docker's `rm -f` does).
        if self.kind == Kind::Podman {
            c.args(["-t", "0"]);
        }
        c.arg(name).stdout(Stdio::null()).stderr(Stdio::null());
        let _ = c.status();
    }

    fn buildah_from(&self, image: &str, name: &str) -> anyhow::Result<String> {
        let out = self.cmd().args(["from", "--pull=never", "--name", name, image]).output().context("buildah from")?;
        if !out.status.success() {
            bail!("buildah from {image}: {}", last_line(&String::from_utf8_lossy(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// ENTRYPOINT + (args or CMD), as a runtime composes them.
    fn compose_argv(&self, image: &str, args: &[String]) -> anyhow::Result<Vec<String>> {
        let cfg = self.config(image)?;
        let mut argv = cfg.entrypoint;
        argv.extend(if args.is_empty() { cfg.cmd } else { args.to_vec() });
        if argv.is_empty() {
            bail!("{image} has neither ENTRYPOINT nor CMD");
        }
        Ok(argv)
    }
}

fn name(kind: Kind) -> &'static str {
    match kind {
        Kind::Docker => "docker",
        Kind::Podman => "podman",
        Kind::Buildah => "buildah",
    }
}

fn last_line(s: &str) -> String {
    s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no output").trim().to_string()
}

/// Runs `c`, capturing stdout and stderr; with a limit, kills it when the limit passes.
/// Output is collected as it arrives, so a killed command still reports what it printed,
/// even when a child it started keeps the pipes open.
fn run_with_limit(mut c: Command, limit: Option<Duration>) -> anyhow::Result<Outcome> {
    let start = Instant::now();
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().with_context(|| format!("cannot run {:?}", c.get_program()))?;
    let (out_buf, out_thread) = collect(child.stdout.take().unwrap());
    let (err_buf, err_thread) = collect(child.stderr.take().unwrap());
    let exit = loop {
        if let Some(st) = child.try_wait()? {
            break st.code().or(Some(128));
        }
        if limit.is_some_and(|l| start.elapsed() >= l) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // The pipes close when the command exits, unless something it started still holds them.
    let grace = Instant::now();
    while !(out_thread.is_finished() && err_thread.is_finished()) && grace.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let text = |b: &std::sync::Arc<std::sync::Mutex<Vec<u8>>>| String::from_utf8_lossy(&b.lock().unwrap()).into_owned();
    Ok(Outcome { exit, stdout: text(&out_buf), stderr: text(&err_buf), secs: start.elapsed().as_secs_f64() })
}

type Collected = (std::sync::Arc<std::sync::Mutex<Vec<u8>>>, std::thread::JoinHandle<()>);

fn collect(mut r: impl Read + Send + 'static) -> Collected {
    let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let b = buf.clone();
    let t = std::thread::spawn(move || {
        let mut chunk = [0u8; 8192];
        while let Ok(n) = r.read(&mut chunk) {
            if n == 0 {
                break;
            }
            b.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    (buf, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_past_its_limit_is_killed_and_reported_as_still_running() {
        let mut c = Command::new("sh");
        c.args(["-c", "echo started; sleep 5"]);
        let o = run_with_limit(c, Some(Duration::from_millis(300))).unwrap();
        assert_eq!(o.exit, None);
        assert_eq!(o.stdout, "started\n");
        assert!(o.secs < 4.0, "took {}", o.secs);
    }

    #[test]
    fn compared_runs_get_one_fixed_hostname() {
        let e = Engine { kind: Kind::Podman, program: "podman".into(), pull: "never".into(), build_network: None };
        let c = e.run_command("img", "ctr", &["serve".into()], "none").unwrap();
        let args: Vec<String> = c.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        let at = args.iter().position(|a| a == "--hostname").expect("--hostname passed");
        assert_eq!(args[at + 1], HOSTNAME);
        assert_eq!(args.last().map(String::as_str), Some("serve"));
        let c = e.run_command("img", "ctr", &[], "host").unwrap();
        assert!(!c.get_args().any(|a| a == "--hostname"), "the host network keeps the host's name");
    }

    #[test]
    fn exit_code_and_both_streams_are_captured() {
        let mut c = Command::new("sh");
        c.args(["-c", "echo out; echo err >&2; exit 3"]);
        let o = run_with_limit(c, Some(Duration::from_secs(10))).unwrap();
        assert_eq!((o.exit, o.stdout.as_str(), o.stderr.as_str()), (Some(3), "out\n", "err\n"));
    }
}
