# Sourced by the e2e scripts: a private podman/buildah configuration under $RESTAGE_E2E_WORK,
# tuned for sandboxes without CAP_SYS_RESOURCE and with hybrid cgroups (runc, cgroupfs,
# small ulimits). Nothing outside that folder is touched, except the blob-info cache that
# containers/image always writes to /var/lib/containers/cache when run as root.
RESTAGE_E2E_WORK=${RESTAGE_E2E_WORK:-/var/tmp/restage-e2e}
mkdir -p "$RESTAGE_E2E_WORK"/{conf,storage,run,tmp,logs,debcache}
RESTAGE_E2E_WORK=$(cd "$RESTAGE_E2E_WORK" && pwd)
_hn=$(ulimit -Hn)
_nofile=$(( _hn < 16384 ? _hn : 16384 ))
cat > "$RESTAGE_E2E_WORK/conf/storage.conf" <<CONF
[storage]
driver = "overlay"
runroot = "$RESTAGE_E2E_WORK/run"
graphroot = "$RESTAGE_E2E_WORK/storage"
CONF
cat > "$RESTAGE_E2E_WORK/conf/containers.conf" <<CONF
[containers]
netns = "none"
default_ulimits = ["nofile=$_nofile:$_nofile", "nproc=8192:8192"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$RESTAGE_E2E_WORK/run/libpod"
CONF
export RESTAGE_E2E_WORK
export CONTAINERS_STORAGE_CONF=$RESTAGE_E2E_WORK/conf/storage.conf
export CONTAINERS_CONF=$RESTAGE_E2E_WORK/conf/containers.conf
export TMPDIR=$RESTAGE_E2E_WORK/tmp
