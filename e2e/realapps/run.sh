#!/usr/bin/env bash
# The real-dependency suite (README.md): fabricates the stand-ins in its own store, then
# runs `restage --verify` on each covered app of apps.toml, one at a time, keeping each
# JSON report and diff under $RESTAGE_E2E_WORK/results, and prints the results table.
#
#   e2e/realapps/run.sh              # every covered app
#   e2e/realapps/run.sh py-native    # some
#   e2e/realapps/run.sh --table      # only print the table of the last results
#   RESTAGE_REALAPPS_NOFAB=1 …       # skip the stand-in fabrication (images already there)
#
# Needs podman (e2e/install-engine.sh), the network to PyPI and the npm registry, and a
# built restage ($RESTAGE, default target/debug/restage). Not part of .ci/run: tens of
# minutes of downloads and native builds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export RESTAGE_E2E_WORK=${RESTAGE_REALAPPS_WORK:-/var/tmp/restage-realapps}
RESTAGE=${RESTAGE:-$root/target/debug/restage}
results=$RESTAGE_E2E_WORK/results
table() { python3 "$here/report.py" "$here/apps.toml" "$results"; }
if [ "${1:-}" = --table ]; then table; exit 0; fi

. "$root/e2e/engine-env.sh"
mkdir -p "$results"
# The Debian base, from the offline suite's store when it has one (saves a debootstrap).
base=docker.io/library/debian:bookworm-slim
if ! podman image exists $base; then
  tar=$RESTAGE_E2E_WORK/tmp/debian-base.tar
  if (export RESTAGE_E2E_WORK=/var/tmp/restage-e2e; . "$root/e2e/engine-env.sh"; podman image exists $base && podman save -q -o "$tar" $base); then
    podman load -q -i "$tar" >/dev/null && rm -f "$tar"
  fi
fi
[ "${RESTAGE_REALAPPS_NOFAB:-0}" = 1 ] || RESTAGE_REALAPPS=1 "$root/e2e/fabricate-images.sh" >&2

if [ $# -gt 0 ]; then apps=("$@"); else
  mapfile -t apps < <(python3 -c 'import sys, tomllib; [print(a["name"]) for a in tomllib.load(open(sys.argv[1], "rb"))["app"] if a.get("covered", True)]' "$here/apps.toml")
fi
for app in "${apps[@]}"; do
  # --timeout, --probe and --smoke of the app, one argument a line
  mapfile -t opts < <(python3 - "$here/apps.toml" "$app" <<'PY'
import sys, tomllib
app = next(a for a in tomllib.load(open(sys.argv[1], "rb"))["app"] if a["name"] == sys.argv[2])
print("--timeout"); print(app.get("timeout", 30))
if "probe" in app: print("--probe"); print(app["probe"])
for s in app.get("smoke", []): print("--smoke"); print(s)
PY
)
  work=$(mktemp -d "$RESTAGE_E2E_WORK/tmp/app.XXXXXX")
  cp -a "$here/$app/." "$work/"
  "$RESTAGE" --color never "$work/Dockerfile" > "$results/$app.diff" 2>&1 || true
  echo "realapps: $app: verifying ($(date -u +%T))" >&2
  start=$(date +%s)
  "$RESTAGE" --verify --format json --engine podman --network host --pull never "${opts[@]}" "$work/Dockerfile" \
    > "$results/$app.json" 2> "$results/$app.log" || true
  echo "realapps: $app: done in $(( $(date +%s) - start )) s: $(python3 -c 'import json,sys; print(" ".join(r["verdict"] for r in json.load(open(sys.argv[1]))["verify"]) or "no report")' "$results/$app.json" 2>/dev/null || echo 'no report')" >&2
  rm -rf "$work"
done
table
