#!/usr/bin/env bash
# Fabricates, without any container registry, the base images the e2e fixtures and their
# rewrites name: a Debian minbase from debootstrap, then each toolchain/runtime image built
# FROM it with Debian's packages (RUN apt-get needs --network=host; the mirror is Debian's,
# not a registry). Images already in the private store are kept (a warm run takes ~1 s).
#
#   e2e/fabricate-images.sh            # uses $RESTAGE_E2E_WORK (default /var/tmp/restage-e2e)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/engine-env.sh"
LOG=$RESTAGE_E2E_WORK/logs
MIRROR=${MIRROR:-http://deb.debian.org/debian}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }
# An image is reused when it exists and, for a definition given a revision (third argument
# of fab), carries that revision's label: changing a definition rebuilds it on warm stores.
have() {
  podman image exists "$1" || return 1
  [ -z "${2:-}" ] || [ "$(podman image inspect --format '{{ index .Labels "restage-e2e-rev" }}' "$1")" = "$2" ]
}

debian_slim() {
  local root=$RESTAGE_E2E_WORK/rootfs
  rm -rf "$root"
  debootstrap --variant=minbase --cache-dir="$RESTAGE_E2E_WORK/debcache" bookworm "$root" "$MIRROR" \
    > "$LOG/debootstrap.txt" 2>&1 || { tail "$LOG/debootstrap.txt"; return 1; }
  # trim like the official -slim images
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* \
         "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/apt/*
  tar --numeric-owner -C "$root" -cf - . | podman import -q --change 'CMD ["bash"]' - docker.io/library/debian:bookworm-slim >/dev/null
  rm -rf "$root"
}

# build NAME CONTAINERFILE-TEXT: builds from text in an empty context
build() {
  local name=$1 text=$2 ctx
  ctx=$(mktemp -d "$RESTAGE_E2E_WORK/tmp/ctx.XXXXXX")
  printf '%s\n' "$text" > "$ctx/Containerfile"
  podman build -q --pull=never --network=host -t "$name" -f "$ctx/Containerfile" "$ctx" \
    > "$LOG/fabricate-${name//[\/:]/_}.txt" 2>&1 || { tail -20 "$LOG/fabricate-${name//[\/:]/_}.txt"; rm -rf "$ctx"; return 1; }
  rm -rf "$ctx"
}

APT='RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends'
CLEAN='&& rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/*'
BASE=docker.io/library/debian:bookworm-slim

fab() { # NAME FUNCTION-or-Containerfile-text [REVISION]
  local name=$1 text=$2 rev=${3:-}
  if have "$name" "$rev"; then echo "cached     $name"; return 0; fi
  local t; t=$(now)
  [ -z "$rev" ] || text="$text
LABEL restage-e2e-rev=$rev"
  if [ "$text" = debian_slim ]; then debian_slim; else build "$name" "$text"; fi
  echo "fabricated $name in $(since "$t") s"
}

fab $BASE debian_slim
# The real-dependency suite (e2e/realapps) fabricates its own stand-ins in its own store.
if [ "${RESTAGE_REALAPPS:-0}" = 1 ]; then
  . "$here/realapps/stand-ins.sh"
  podman image prune -f >/dev/null 2>&1 || true
  podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | sort
  exit 0
fi
fab docker.io/library/golang:1.19 "FROM $BASE
$APT golang-go gcc libc6-dev ca-certificates tzdata $CLEAN
ENV PATH=/go/bin:/usr/lib/go-1.19/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin GOPATH=/go GOFLAGS=-buildvcs=false
RUN mkdir -p /go/bin /go/src && chmod 777 /go
WORKDIR /go"
fab docker.io/library/rust:1.63 "FROM $BASE
$APT rustc cargo gcc libc6-dev ca-certificates $CLEAN
ENV CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
fab docker.io/library/eclipse-temurin:17-jdk "FROM $BASE
$APT openjdk-17-jdk-headless $CLEAN
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"
fab docker.io/library/eclipse-temurin:17-jre "FROM $BASE
$APT openjdk-17-jre-headless $CLEAN
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"
# Like the official image (buildpack-deps), the full python image has curl and the headers
# C extensions build against; -slim has neither (the healthcheck, native-ext and
# entrypoint-script fixtures rely on that difference).
fab docker.io/library/python:3.11 "FROM $BASE
$APT python3 python3-venv python3-pip python3-dev python-is-python3 gcc libc6-dev curl $CLEAN \
 && rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED
CMD [\"python3\"]" 2
fab docker.io/library/python:3.11-slim "FROM $BASE
$APT python3 python-is-python3 $CLEAN \
 && rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED
CMD [\"python3\"]"
fab docker.io/library/node:18 "FROM $BASE
$APT nodejs npm $CLEAN
CMD [\"node\"]"
fab docker.io/library/node:18-slim "FROM $BASE
$APT nodejs $CLEAN
CMD [\"node\"]"
# (The official python images' interpreter is not "externally managed" as Debian's is.)
# distroless-like runtimes: the files distroless static holds (CA bundle, zoneinfo,
# passwd/group with nonroot 65532, /tmp), and for cc the C runtime libraries.
DISTROLESS_FILES="FROM $BASE AS files
$APT ca-certificates tzdata
RUN mkdir -p /out/etc/ssl/certs /out/usr/share /out/tmp /out/home/nonroot /out/root \\
 && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/ \\
 && cp -a /usr/share/zoneinfo /out/usr/share/ \\
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > /out/etc/passwd \\
 && printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > /out/etc/group \\
 && chmod 1777 /out/tmp && chown 65532:65532 /out/home/nonroot \\
 && mkdir -p /cc/usr/lib/x86_64-linux-gnu /cc/usr/lib64 \\
 && cp -L /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libm.so.6 /lib/x86_64-linux-gnu/libgcc_s.so.1 /cc/usr/lib/x86_64-linux-gnu/ \\
 && cp -L /lib64/ld-linux-x86-64.so.2 /cc/usr/lib64/ && ln -s usr/lib /cc/lib && ln -s usr/lib64 /cc/lib64
FROM scratch
COPY --from=files /out /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"
fab gcr.io/distroless/static-debian12:latest "$DISTROLESS_FILES"
fab gcr.io/distroless/static-debian12:nonroot "FROM gcr.io/distroless/static-debian12:latest
USER 65532:65532
WORKDIR /home/nonroot"
fab gcr.io/distroless/cc-debian12:latest "$DISTROLESS_FILES
COPY --from=files /cc /"
podman image prune -f >/dev/null 2>&1 || true
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | sort
