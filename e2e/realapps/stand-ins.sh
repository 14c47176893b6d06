# Sourced by e2e/fabricate-images.sh when RESTAGE_REALAPPS=1 (after the Debian base exists):
# the stand-ins the real-dependency suite's corpus files name, in the suite's own store
# (run.sh sets RESTAGE_E2E_WORK=/var/tmp/restage-realapps), so tags such as node:18 can be
# the registry-capable flavour here without touching the offline suite's images.
#
# Like the official images: the full ones (buildpack-deps based) have a compiler, the -dev
# headers C extensions commonly need (libpq, libxml2/libxslt, libffi, openssl), git, curl
# and wget; the -slim ones have the interpreter with pip/venv (python) or npm/yarn (node)
# and nothing else. Versions are Debian bookworm's (Python 3.11, Node 18) whatever the tag
# says; apps.toml lists which tags map here. Every image carries the host CA bundle (the
# sandbox reaches PyPI and the npm registry only with it) at Debian's path, and the
# variables pip, requests and npm read it from.
CA_FILE=${CA_FILE:-/etc/ssl/certs/ca-certificates.crt}

# build NAME CONTAINERFILE-TEXT, like fabricate-images.sh's, with ca.crt in the context.
build() {
  local name=$1 text=$2 ctx
  ctx=$(mktemp -d "$RESTAGE_E2E_WORK/tmp/ctx.XXXXXX")
  printf '%s\n' "$text" > "$ctx/Containerfile"
  cp "$CA_FILE" "$ctx/ca.crt"
  podman build -q --pull=never --network=host -t "$name" -f "$ctx/Containerfile" "$ctx" \
    > "$LOG/fabricate-${name//[\/:]/_}.txt" 2>&1 || { tail -20 "$LOG/fabricate-${name//[\/:]/_}.txt"; rm -rf "$ctx"; return 1; }
  rm -rf "$ctx"
}

# alias TARGET NAME...: more tags for a fabricated image.
alias_tags() {
  local target=$1; shift
  for n in "$@"; do podman tag "$target" "$n"; done
}

# The bundle goes where update-ca-certificates picks it up (an app's apt-get may regenerate
# /etc/ssl/certs) and, after apt, over Debian's bundle itself.
CA_PRE='COPY ca.crt /usr/local/share/ca-certificates/host-bundle.crt'
CA_POST='COPY ca.crt /etc/ssl/certs/ca-certificates.crt
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt NPM_CONFIG_CAFILE=/etc/ssl/certs/ca-certificates.crt'
PY_NOT_MANAGED='&& rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED'
R=realapps-1
L=docker.io/library

fab $L/python:3.10 "FROM $BASE
$CA_PRE
$APT python3 python3-venv python3-pip python3-dev python-is-python3 build-essential pkg-config \
 libpq-dev libxml2-dev libxslt1-dev libffi-dev libssl-dev zlib1g-dev git curl wget ca-certificates $CLEAN $PY_NOT_MANAGED
$CA_POST
CMD [\"python3\"]" $R
alias_tags $L/python:3.10 $L/python:3.9
fab $L/python:3.12-slim "FROM $BASE
$CA_PRE
$APT python3 python3-venv python3-pip python-is-python3 ca-certificates $CLEAN $PY_NOT_MANAGED
$CA_POST
CMD [\"python3\"]" $R
alias_tags $L/python:3.12-slim $L/python:3.7-slim $L/python:3.9-slim $L/python:3.10-slim
fab $L/node:20 "FROM $BASE
$CA_PRE
$APT nodejs npm yarnpkg libnode-dev build-essential python3 git curl wget ca-certificates $CLEAN \
 && ln -s /usr/bin/yarnpkg /usr/local/bin/yarn
$CA_POST
CMD [\"node\"]" $R
alias_tags $L/node:20 $L/node:14 $L/node:18 $L/node:20-bullseye
fab $L/node:20-slim "FROM $BASE
$CA_PRE
$APT nodejs npm yarnpkg ca-certificates $CLEAN \
 && ln -s /usr/bin/yarnpkg /usr/local/bin/yarn
$CA_POST
CMD [\"node\"]" $R
alias_tags $L/node:20-slim $L/node:14-slim $L/node:18-slim $L/node:20-bullseye-slim
