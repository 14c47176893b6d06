#!/usr/bin/env bash
# restage's speed benchmark (issue 16): floor vs restage on synthetic monorepos, peak RSS,
# single-file latency. The work is in bench/run.py (python3 stdlib); see bench/README.md.
#   bench/run.sh [--quick] [--sizes 10000,100000] [--runs 5] [--parts batch,single] [--restage PATH] [--baseline OLD]
set -euo pipefail
exec python3 "$(dirname "$0")/run.py" "$@"
