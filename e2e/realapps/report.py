"""Prints the results table of the real-dependency suite (markdown) from the JSON reports
and diffs run.sh keeps: app, builder → runtime, size before → after next to restage's
static estimate, build times, verdict, failed checks."""
import json
import re
import sys
import tomllib
from pathlib import Path


def mb(n):
    return f"{n / 1e6:.0f} MB" if n is not None else "?"


def stages(diff: Path) -> str:
    froms = [re.sub(r"\s+AS\s+\S+$", "", l[len("+FROM ") :].strip(), flags=re.I) for l in diff.read_text().splitlines() if l.startswith("+FROM ")]
    return " → ".join(f.replace("docker.io/library/", "") for f in froms) or "(not rewritten)"


def main(apps_toml: str, results: str) -> None:
    apps = tomllib.load(open(apps_toml, "rb"))["app"]
    out = Path(results)
    print("| app | builder → runtime | size before → after (estimate) | build s before / after | verdict | failed checks |")
    print("|---|---|---|---|---|---|")
    for app in apps:
        name = app["name"]
        if not app.get("covered", True):
            continue
        js, diff = out / f"{name}.json", out / f"{name}.diff"
        if not js.exists():
            print(f"| {name} | | | | not run | |")
            continue
        try:
            reps = json.loads(js.read_text())["verify"]
        except (ValueError, KeyError):
            print(f"| {name} | | | | no report (see {name}.log) | |")
            continue
        if not reps:
            print(f"| {name} | {stages(diff) if diff.exists() else ''} | | | not rewritten | |")
            continue
        r = reps[0]
        est = f" (est. -{r['estimate_mb']} MB)" if r.get("estimate_mb") is not None else ""
        size = f"{mb(r.get('size_before'))} → {mb(r.get('size_after'))}{est}"
        b = lambda k: f"{r[k]:.0f}" if r.get(k) is not None else "?"
        failed = [f"{c['check']}: {', '.join(c.get('missing') or []) or c['detail'][:80]}" for c in r.get("checks", []) if c["verdict"] == "fail"]
        failed += [x for x in r.get("reasons", []) if x.startswith(("run", "GET", "the rewritten file does not build"))
                   and any(w in x for w in ("≠", "→", "differs", "does not build")) and "both still running" not in x]
        print(f"| {name} | {stages(diff)} | {size} | {b('build_secs_before')} / {b('build_secs_after')} | {r['verdict']} | {'; '.join(failed).replace('|', '/')} |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
