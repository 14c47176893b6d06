#!/usr/bin/env bash
# Short fuzzing smoke run for CI (.ci/run): each target for FUZZ_RUNS runs from a fixed
# seed (deterministic), or for FUZZ_SECONDS (default 20) when FUZZ_RUNS is unset (exploring).
# Skips, with exit 0, when the nightly toolchain or cargo-fuzz is missing; a finding fails the run (cargo-fuzz exits non-zero and prints the reproducer path). No sanitizer:
# the code is safe Rust, and the build is several times faster than with AddressSanitizer.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs=${FUZZ_SECONDS:-20}
if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz smoke: skipped (no nightly toolchain: rustup toolchain install nightly)"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz smoke: skipped (cargo-fuzz not installed: cargo install cargo-fuzz)"
    exit 0
fi
cd "$here"
./seed.sh >/dev/null
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$here/target}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in document_roundtrip pipeline; do
    if [ -n "${FUZZ_RUNS:-}" ]; then
        # A fixed number of runs from a fixed seed: the same inputs on every machine, so a
        # CI failure reproduces locally and a pass does not depend on the machine's speed.
        budget=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
        echo "fuzz smoke: $target, $FUZZ_RUNS runs from seed ${FUZZ_SEED:-1}"
    else
        budget=(-max_total_time="$secs")
        echo "fuzz smoke: $target for ${secs}s"
    fi
    set +e
    nice -n 10 cargo +nightly fuzz run --sanitizer none "$target" "corpus/$target" -- \
        -dict=dockerfile.dict "${budget[@]}" -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
    rc=$?
    set -e
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
    if [ "$rc" -ne 0 ]; then
        tail -n 60 "$log"
        echo "fuzz smoke: $target found a problem (exit $rc)"
        exit "$rc"
    fi
done
