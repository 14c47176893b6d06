#!/usr/bin/env bash
# Builds the seed corpora fuzz/corpus/<target>/ from the golden inputs, the saved
# regressions and, when present, the shared Dockerfile corpus ($RESTAGE_CORPUS, default
# /work/shared/corpus). Seeds are not committed: they are copies of files kept elsewhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
corpus=${RESTAGE_CORPUS:-/work/shared/corpus}
for target in document_roundtrip pipeline; do
    out="$here/corpus/$target"
    mkdir -p "$out"
    n=0
    add() { # content-addressed, so re-running adds nothing twice
        local f=$1 size
        size=$(stat -c %s "$f")
        [ "$size" -le 65536 ] || return 0
        cp "$f" "$out/$(sha1sum "$f" | cut -c1-16)"
        n=$((n + 1))
    }
    for f in "$repo"/tests/golden/*/Dockerfile "$repo"/tests/golden/*/expected.Dockerfile "$here"/regressions/*; do
        [ -f "$f" ] && add "$f"
    done
    if [ -d "$corpus" ]; then
        while IFS= read -r -d '' f; do add "$f"; done < <(find "$corpus" -type f -name '*ockerfile*' -print0)
    fi
    echo "$target: $n seeds in $out"
done
