#!/usr/bin/env bash
# Groups a target's findings (artifacts/<target>/crash-*) by panic message and, for the
# pipeline target, by family (input length % 6) and first FROM line; prints the smallest
# input of each group. Usage: fuzz/triage.sh [target]   (default: pipeline)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-pipeline}
bin=${CARGO_TARGET_DIR:-$here/target}/x86_64-unknown-linux-gnu/release/$target
families=(upstream distroless chainguard minimus dhi ubi)
shopt -s nullglob
for f in "$here/artifacts/$target"/crash-* "$here/artifacts/$target"/timeout-* "$here/artifacts/$target"/oom-*; do
    size=$(stat -c %s "$f")
    msg=$("$bin" "$f" 2>&1 | grep -A1 -m1 'panicked at' | tail -n 1 | cut -c1-100 || true)
    [ -n "$msg" ] || msg="(no panic: $(basename "$f" | cut -d- -f1))"
    from=$(tr -d '\000' <"$f" | grep -a -m1 -io '^from [^ ]*' | cut -c1-50 || true)
    fam=""
    [ "$target" = pipeline ] && fam="--to ${families[$((size % 6))]}"
    printf '%s\t%s\t%s\t%s\t%s\n' "$msg" "$fam" "$from" "$size" "$f"
done | sort -t $'\t' -k1,1 -k2,2 -k4,4n | awk -F'\t' '{k=$1" | "$2; n[k]++; if (!(k in ex)) {ex[k]=$5" ("$4" bytes, "$3")"}} END {for (k in n) printf "%4d  %s\n      e.g. %s\n", n[k], k, ex[k]}'
