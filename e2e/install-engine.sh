#!/usr/bin/env bash
# Installs podman/buildah (runc, not crun: crun refuses the sandbox's hybrid cgroups) and
# debootstrap from Debian's packages, unless they are already there.
set -euo pipefail
need=0
for c in podman buildah runc debootstrap; do command -v "$c" >/dev/null || need=1; done
[ "$need" = 0 ] && exit 0
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends podman buildah runc crun conmon fuse-overlayfs \
  slirp4netns uidmap containernetworking-plugins golang-github-containers-common debootstrap \
  ca-certificates >/dev/null
