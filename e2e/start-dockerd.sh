#!/usr/bin/env bash
# Starts a private dockerd (Debian's docker.io) for the docker half of the e2e suite, with its
# data under $RESTAGE_E2E_WORK/docker, no iptables/bridge (runs use --network none), the
# sandbox ulimits, and loads the two images the docker test needs from the podman store.
# Prints `export DOCKER_HOST=...` lines to eval; `e2e/start-dockerd.sh stop` stops it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/engine-env.sh" >/dev/null
D=$RESTAGE_E2E_WORK/docker
SOCK=unix://$D/docker.sock
stop() {
  [ -f "$D/dockerd.pid" ] && kill "$(cat "$D/dockerd.pid")" 2>/dev/null || true
  for i in $(seq 50); do [ -f "$D/dockerd.pid" ] && kill -0 "$(cat "$D/dockerd.pid")" 2>/dev/null || break; sleep 0.2; done
  # dockerd leaves its netns bind mounts behind
  { grep -o " $D/exec[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount "$m" 2>/dev/null || true; done
}
if [ "${1:-}" = stop ]; then stop; exit 0; fi
command -v dockerd >/dev/null || {
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends docker.io >/dev/null
}
mkdir -p "$D/data" "$D/exec"
if ! DOCKER_HOST=$SOCK docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  HN=$(ulimit -Hn); NOFILE=$(( HN < 16384 ? HN : 16384 ))
  dockerd --data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/dockerd.pid" -H "$SOCK" \
    --iptables=false --ip-masq=false --bridge=none --storage-driver overlay2 \
    --default-ulimit "nofile=$NOFILE:$NOFILE" --default-ulimit "nproc=8192:8192" \
    > "$RESTAGE_E2E_WORK/logs/dockerd.txt" 2>&1 &
  for i in $(seq 100); do DOCKER_HOST=$SOCK docker version --format '{{.Server.Version}}' >/dev/null 2>&1 && break; sleep 0.2; done
  DOCKER_HOST=$SOCK docker version --format '{{.Server.Version}}' >/dev/null || { tail "$RESTAGE_E2E_WORK/logs/dockerd.txt" >&2; exit 1; }
fi
for img in docker.io/library/golang:1.19 gcr.io/distroless/static-debian12:latest; do
  DOCKER_HOST=$SOCK docker image inspect "$img" >/dev/null 2>&1 || podman save "$img" | DOCKER_HOST=$SOCK docker load -q >&2
done
echo "export DOCKER_HOST=$SOCK"
