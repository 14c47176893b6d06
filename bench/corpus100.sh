#!/usr/bin/env bash
# Batch throughput: `restage --check` over ../shared/corpus copied N times (default 100,
# 243 files → 24,300), measured with /usr/bin/time -v (wall time, peak RSS).
#
# Corpus files are named `owner__repo__path__Dockerfile`, which directory discovery does not
# match, so each copy is laid out as COPY/LANG/NAME/Dockerfile (contents byte-identical).
#
#   bench/corpus100.sh [N] [extra restage flags...]
set -euo pipefail
[ -x /usr/bin/time ] || { echo "bench/corpus100.sh needs /usr/bin/time (Debian package \`time\`)" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-100}; shift || true
CORPUS=${RESTAGE_CORPUS:-$here/../shared/corpus}
TREE=${TMPDIR:-/tmp}/restage-corpus-x$N
BIN=${RESTAGE_BIN:-$here/target/release/restage}
[ -x "$BIN" ] || (cd "$here" && cargo build --release --quiet)
if [ ! -f "$TREE/.done" ]; then
  rm -rf "$TREE"; mkdir -p "$TREE/0"
  (cd "$CORPUS" && find . -type f ! -name MANIFEST.tsv ! -name README.md) | while read -r f; do
    d="$TREE/0/${f%/*}/$(basename "$f")"; mkdir -p "$d"; cp "$CORPUS/$f" "$d/Dockerfile"
  done
  for i in $(seq 1 $((N - 1))); do cp -r "$TREE/0" "$TREE/$i"; done
  touch "$TREE/.done"
fi
echo "files: $(find "$TREE" -name Dockerfile | wc -l) under $TREE"
for run in 1 2 3; do
  /usr/bin/time -v "$BIN" --check "$@" "$TREE" > /dev/null 2> "$TREE.time.txt" || true
  grep -E "restage: [0-9]+ files" "$TREE.time.txt" | tail -1
  grep -E "Elapsed \(wall|Maximum resident|Percent of CPU" "$TREE.time.txt" | sed 's/^\s*/  /'
done
