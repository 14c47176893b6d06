#!/usr/bin/env python3
"""restage's speed benchmark (issue 16), python3 stdlib only; bench/run.sh runs it.

Batch: for each size N, a synthetic monorepo from bench/mkmonorepo.py (N Dockerfiles among
10 x N other files, 200 more under an ignored node_modules/) is timed in one run, rounds
interleaved so that load from elsewhere on the machine hits every side alike:
  floor   `find TREE` walking the whole tree, then `cat` of the N Dockerfiles (listed once
          beforehand, untimed), one after the other (single-threaded), output to /dev/null
  quiet   `restage --check --quiet TREE`
  diffs   `restage --check TREE` (diffs printed, stdout to /dev/null)
With --baseline OLD_BINARY, OLD_BINARY's quiet and diffs runs join the same rounds, so a
before/after comparison sees the same load on both sides (the single-file part adds its two
commands to the same hyperfine run).
Medians with min-max, the ratio to the floor's median, CPU time (user+sys) and peak RSS
(`/usr/bin/time -f %M`, one extra run per mode after the timed rounds).

Single file: one small Dockerfile, restage against `/bin/true` and `cat FILE` (hyperfine
if installed, else an interleaved loop), plus `restage --version` for process start-up.

Trees are cached under $RESTAGE_BENCH_DIR (default $TMPDIR/restage-bench), keyed by N and
a hash of the generator and the corpus, so a second run does not regenerate them.
"""

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GEN = HERE / "mkmonorepo.py"
# Names bench/mkmonorepo.py gives Dockerfiles (restage's discovery matches more).
DF_NAMES = ["Dockerfile", "Dockerfile.prod", "api.Dockerfile", "Containerfile"]
# A small corpus file restage rewrites (Go, 6 lines): the pre-commit-hook case.
SINGLE = "go/slimtoolkit__examples__golang_standard__Dockerfile"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def restage_binary(a) -> Path:
    if a.restage:
        return Path(a.restage).resolve()
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    log("building release binary (cargo build --release) ...")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    return (target / "release" / "restage").resolve()


def tree_key(corpus: Path) -> str:
    h = hashlib.sha256(GEN.read_bytes())
    for p in sorted(corpus.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(corpus)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


def ensure_tree(n: int, a) -> Path:
    base = Path(a.tree_dir)
    tree = base / f"mono-{n}-{tree_key(Path(a.corpus))}"
    if (tree / ".bench-done").exists():
        log(f"reusing {tree}")
        return tree / "repo"
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    log(f"generating {n} Dockerfiles + {10 * n} others into {tree} ...")
    t = time.perf_counter()
    subprocess.run([sys.executable, str(GEN), a.corpus, str(tree / "repo"), "--dockerfiles", str(n)], check=True, stdout=subprocess.DEVNULL)
    (tree / ".bench-done").write_text("")
    log(f"  generated in {time.perf_counter() - t:.0f} s")
    return tree / "repo"


def timed(argv, stdout=subprocess.DEVNULL, ok=(0,)) -> tuple[float, float]:
    """Runs argv; returns (wall s, user+sys CPU s) of the child."""
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in ok:
        raise SystemExit(f"{argv[0]} exited {p.returncode}: {' '.join(map(str, argv))}")
    return wall, ru.ru_utime + ru.ru_stime


def list_dockerfiles(tree: Path, listfile: Path) -> int:
    """Writes the NUL-separated paths of the generated Dockerfiles (outside node_modules)."""
    names = []
    for n in DF_NAMES:
        names += ["-o", "-name", n]
    with open(listfile, "wb") as out:
        subprocess.run(["find", str(tree), "-name", "node_modules", "-prune", "-o", "-type", "f", "(", *names[1:], ")", "-print0"], stdout=out, check=True)
    return listfile.read_bytes().count(b"\0")


def floor(tree: Path, listfile: Path) -> tuple[float, float]:
    """The hardware floor: `find` walks the whole tree, then `cat` reads the Dockerfiles
    (the list is made once, untimed, so find's name tests do not count), one after the other."""
    w1, c1 = timed(["find", str(tree)])
    w2, c2 = timed(["xargs", "-0", "-a", str(listfile), "cat"])
    return w1 + w2, c1 + c2


def spread(xs) -> dict:
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs), "runs": list(xs)}


def batch(n: int, exe: Path, a, work: Path) -> dict:
    tree = ensure_tree(n, a)
    listfile = work / f"floor-{n}.list"
    binaries = {"": exe, "base ": Path(a.baseline).resolve()} if a.baseline else {"": exe}
    modes = {"floor": lambda: floor(tree, listfile)}
    for prefix, b in binaries.items():
        modes[prefix + "quiet"] = lambda b=b: timed([b, "--check", "--quiet", tree], ok=(0, 1))
        modes[prefix + "diffs"] = lambda b=b: timed([b, "--check", tree], ok=(0, 1))
    found = list_dockerfiles(tree, listfile)
    if found != n:
        raise SystemExit(f"floor found {found} Dockerfiles in {tree}, expected {n}")
    log(f"[{n}] warm-up (one untimed run of each) ...")
    for f in modes.values():
        f()
    walls = {m: [] for m in modes}
    cpus = {m: [] for m in modes}
    order = list(modes)
    for r in range(a.runs):
        k = r % len(order)
        for m in order[k:] + order[:k]:  # rotate who goes first
            w, c = modes[m]()
            walls[m].append(w)
            cpus[m].append(c)
        log(f"[{n}] round {r + 1}/{a.runs}: " + ", ".join(f"{m} {walls[m][-1]:.3f}s" for m in order))
    res = {"n": n, "tree": str(tree), "wall": {m: spread(v) for m, v in walls.items()}, "cpu": {m: spread(v) for m, v in cpus.items()}, "rss_kb": {}}
    if shutil.which("time") or Path("/usr/bin/time").exists():
        for prefix, b in binaries.items():
            for m, flags in (("quiet", ["--check", "--quiet"]), ("diffs", ["--check"])):
                rss = work / "rss.txt"
                err = work / "stderr.txt"
                with open(err, "wb") as e:
                    p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(rss), b, *flags, tree], stdout=subprocess.DEVNULL, stderr=e)
                if p.returncode not in (0, 1):
                    raise SystemExit(f"restage exited {p.returncode}")
                res["rss_kb"][prefix + m] = int(rss.read_text().split()[-1])
                summary = [ln for ln in err.read_text(errors="replace").splitlines() if ln.startswith("restage:")]
                res[prefix + "summary"] = summary[-1] if summary else ""
    else:
        log("no /usr/bin/time (Debian package `time`): peak RSS not measured")
    return res


def single(exe: Path, a, work: Path) -> dict:
    f = Path(a.corpus) / SINGLE
    if not f.exists():
        f = next(p for p in sorted(Path(a.corpus).rglob("*")) if p.is_file() and p.name not in ("MANIFEST.tsv", "README.md"))
    # A copy outside any repository, so no restage.toml or .gitignore is picked up on the way.
    d = work / "single"
    d.mkdir(exist_ok=True)
    df = d / "Dockerfile"
    shutil.copy(f, df)
    cmds = {
        "/bin/true": ["/bin/true"],
        "cat FILE": ["cat", str(df)],
        "restage --version": [str(exe), "--version"],
        "restage --check --quiet FILE": [str(exe), "--check", "--quiet", str(df)],
        "restage --check FILE": [str(exe), "--check", str(df)],
    }
    if a.baseline:
        base = str(Path(a.baseline).resolve())
        cmds["baseline --check --quiet FILE"] = [base, "--check", "--quiet", str(df)]
        cmds["baseline --check FILE"] = [base, "--check", str(df)]
    out = {"file": str(f.relative_to(a.corpus)) if f.is_relative_to(a.corpus) else str(f), "lines": len(df.read_text().splitlines()), "tool": None, "ms": {}}
    if shutil.which("hyperfine") and not a.no_hyperfine:
        out["tool"] = f"hyperfine -N, {a.single_runs} runs"
        js = work / "hf.json"
        argv = ["hyperfine", "-N", "-i", "--style", "none", "--warmup", "20", "--runs", str(a.single_runs), "--export-json", str(js)]
        subprocess.run(argv + [" ".join(c) for c in cmds.values()], check=True, stdout=subprocess.DEVNULL)
        for name, r in zip(cmds, json.loads(js.read_text())["results"]):
            out["ms"][name] = {"median": r["median"] * 1e3, "min": r["min"] * 1e3, "max": r["max"] * 1e3, "n": len(r["times"])}
    else:
        out["tool"] = f"interleaved loop, {a.single_runs} runs"
        ts = {k: [] for k in cmds}
        for _ in range(20):
            for c in cmds.values():
                timed(c, ok=(0, 1))
        for _ in range(a.single_runs):
            for k, c in cmds.items():
                ts[k].append(timed(c, ok=(0, 1))[0] * 1e3)
        out["ms"] = {k: spread(v) for k, v in ts.items()}
    return out


def fmt_s(s: dict) -> str:
    return f"{s['median']:.3f} s ({s['min']:.3f}–{s['max']:.3f})"


def markdown(results: list, one: dict | None, meta: dict) -> str:
    base = f"; baseline {meta['baseline']}" if meta.get("baseline") else ""
    lines = [f"{meta['version']} ({meta['exe']}{base}), {meta['date']}, {meta['cpus']} CPUs, load average before: {meta['load']}", ""]
    if results:
        lines += [
            "| Dockerfiles (+ others) | binary | floor: find + cat | `--check --quiet` | ratio | `--check` (diffs) | ratio | CPU floor / quiet / diffs | peak RSS quiet / diffs |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in results:
            w, c, m = r["wall"], r["cpu"], r["rss_kb"]
            fl = w["floor"]["median"]

            def ratio(m: str) -> float:
                # Median of the per-round ratios (rounds are interleaved, so both sides of a
                # ratio saw the same load); the ratio of medians for older --json files.
                if "runs" in w[m]:
                    return statistics.median(x / f for x, f in zip(w[m]["runs"], w["floor"]["runs"]))
                return w[m]["median"] / fl

            for prefix, label in (("base ", "baseline"), ("", "restage")):
                if prefix + "quiet" not in w:
                    continue
                q, d = prefix + "quiet", prefix + "diffs"
                rss = " / ".join(f"{m[k] / 1024:.1f} MB" for k in (q, d) if k in m) or "n/a"
                lines.append(
                    f"| {r['n']:,} (+{10 * r['n']:,}) | {label} | {fmt_s(w['floor'])} | {fmt_s(w[q])} | {ratio(q):.2f}× | {fmt_s(w[d])} | "
                    f"{ratio(d):.2f}× | {c['floor']['median']:.2f} / {c[q]['median']:.2f} / {c[d]['median']:.2f} s | {rss} |"
                )
        lines += [
            "",
            f"Wall time: median (min–max) of {results[0]['wall']['floor']['n']} interleaved runs each, after one warm-up run; "
            "ratio: median of the per-round ratios to the floor; CPU: median user+sys.",
        ]
        for r in results:
            for prefix in ("base ", ""):
                if r.get(prefix + "summary"):
                    lines.append(f"{r['n']:,}{' (baseline)' if prefix else ''}: `{r[prefix + 'summary']}`")
        lines.append("")
    if one:
        base = one["ms"]["cat FILE"]["median"]
        lines += [f"Single file ({one['file']}, {one['lines']} lines), {one['tool']}:", "", "| command | median | min–max | vs `cat FILE` |", "|---|---|---|---|"]
        for k, s in one["ms"].items():
            lines.append(f"| `{k}` | {s['median']:.2f} ms | {s['min']:.2f}–{s['max']:.2f} ms | {s['median'] / base:.2f}× |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description="restage speed benchmark (issue 16)")
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated Dockerfile counts (default 10000,100000)")
    ap.add_argument("--quick", action="store_true", help="10,000 Dockerfiles only")
    ap.add_argument("--runs", type=int, default=5, help="timed rounds per size (default 5)")
    ap.add_argument("--parts", default="batch,single", help="batch, single or both (default batch,single)")
    ap.add_argument("--single-runs", type=int, default=200)
    ap.add_argument("--no-hyperfine", action="store_true", help="time the single file with the interleaved loop")
    ap.add_argument("--restage", default=os.environ.get("RESTAGE"), help="binary to measure (default: $RESTAGE, else cargo build --release)")
    ap.add_argument("--baseline", default=os.environ.get("RESTAGE_BASELINE"), help="an older binary timed in the same rounds (default: $RESTAGE_BASELINE)")
    ap.add_argument("--corpus", default=os.environ.get("RESTAGE_CORPUS", str(REPO.parent / "shared" / "corpus")))
    ap.add_argument("--tree-dir", default=os.environ.get("RESTAGE_BENCH_DIR", os.path.join(tempfile.gettempdir(), "restage-bench")))
    ap.add_argument("--json", help="also write the raw figures here")
    ap.add_argument("--render", metavar="JSON", help="print the tables of an earlier --json file and exit")
    a = ap.parse_args()
    if a.render:
        d = json.loads(Path(a.render).read_text())
        print(markdown(d["batch"], d["single"], d["meta"]))
        print(f"load average after: {d['meta']['load_after']}")
        return
    sizes = [10_000] if a.quick else [int(s) for s in a.sizes.split(",") if s]
    parts = set(a.parts.split(","))
    exe = restage_binary(a)
    meta = {
        "exe": str(exe),
        "baseline": str(Path(a.baseline).resolve()) if a.baseline else None,
        "version": subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "load": " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?",
    }
    with tempfile.TemporaryDirectory(prefix="restage-bench-") as w:
        work = Path(w)
        results = [batch(n, exe, a, work) for n in sizes] if "batch" in parts else []
        one = single(exe, a, work) if "single" in parts else None
    meta["load_after"] = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    if a.json:
        Path(a.json).write_text(json.dumps({"meta": meta, "batch": results, "single": one}, indent=1))
    print(markdown(results, one, meta))
    print(f"load average after: {meta['load_after']}")


if __name__ == "__main__":
    main()
