#!/bin/sh
# The pull benchmark's image: Debian bookworm in two layers (debootstrap
# minbase, then git installed by apt-get), built once into CACHE as an OCI
# layout and served by a docker-registry on a free loopback port.
# Usage: make-debian-image.sh CACHE [COMMAND [ARG...]]
#   Builds CACHE/oci (tag git) unless it exists, starts the registry on
#   CACHE/registry, pushes the image with skopeo, then runs COMMAND with
#   BENCH_IMAGE=127.0.0.1:PORT/bench/debian:git in its environment. The
#   registry stops when the script ends, however it ends.
# Needs root, debootstrap, umoci, skopeo, docker-registry and Debian's mirror.
set -eu
cache=$1
shift
for tool in debootstrap umoci skopeo docker-registry python3 curl; do
  command -v $tool >/dev/null || { echo "make-debian-image: $tool is missing (installer/install-deps.sh test)" >&2; exit 1; }
done
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
oci=$cache/oci
tmp=$cache/build.tmp
registry_pid=""

cleanup() {
  if [ -n "$registry_pid" ]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  rm -rf "$oci.tmp" # a build cut short
  [ -d "$tmp" ] || return 0
  # The chroot's /proc and /dev; a busy mount is detached.
  awk -v top="$tmp" 'index($2, top "/") == 1 { print $2 }' /proc/self/mounts |
    sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
  # --one-file-system: should a mount survive, rm stays out of it.
  rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

chroot_mounts() { # ROOTFS: what apt-get and dpkg's scripts need, none of it in a layer
  mount -t proc proc "$1/proc"
  mount -t tmpfs -o mode=755 dev "$1/dev"
  mknod -m 666 "$1/dev/null" c 1 3
  mknod -m 666 "$1/dev/zero" c 1 5
  mknod -m 666 "$1/dev/full" c 1 7
  mknod -m 666 "$1/dev/random" c 1 8
  mknod -m 666 "$1/dev/urandom" c 1 9
  mknod -m 666 "$1/dev/tty" c 5 0
  mkdir "$1/dev/pts"
  cp /etc/resolv.conf "$1/etc/resolv.conf"
}

chroot_unmounts() { # ROOTFS
  umount "$1/dev" "$1/proc"
  rm -f "$1/etc/resolv.conf"
}

build() {
  rm -rf --one-file-system "$tmp" "$oci.tmp"
  mkdir -p "$tmp"
  umoci init --layout "$oci.tmp"
  umoci new --image "$oci.tmp:git"
  umoci unpack --image "$oci.tmp:git" "$tmp/bundle"
  rootfs=$tmp/bundle/rootfs
  echo "make-debian-image: debootstrap minbase bookworm (a minute or two)" >&2
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$tmp/debootstrap.log" 2>&1 || {
    tail -20 "$tmp/debootstrap.log" >&2; echo "make-debian-image: debootstrap failed" >&2; exit 1; }
  # As Docker's official images: no device nodes (the runtime makes /dev),
  # no host resolv.conf, no package lists or downloaded .debs.
  find "$rootfs/dev" -mindepth 1 -delete
  rm -rf "$rootfs/var/lib/apt/lists/"* "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/etc/resolv.conf"
  # --refresh-bundle: the next repack diffs against this layer, not against nothing.
  umoci repack --refresh-bundle --history.created_by "debootstrap --variant=minbase bookworm" \
    --image "$oci.tmp:git" "$tmp/bundle"

  chroot_mounts "$rootfs"
  echo "make-debian-image: apt-get install git in a chroot" >&2
  chroot "$rootfs" /bin/sh -c 'export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq git && apt-get clean' >"$tmp/apt.log" 2>&1 || {
    tail -20 "$tmp/apt.log" >&2; echo "make-debian-image: apt-get install git failed" >&2; exit 1; }
  chroot_unmounts "$rootfs"
  rm -rf "$rootfs/var/lib/apt/lists/"*
  umoci repack --history.created_by "apt-get install git" --image "$oci.tmp:git" "$tmp/bundle"
  umoci config --image "$oci.tmp:git" --os linux --architecture amd64 --config.cmd /bin/bash
  umoci gc --layout "$oci.tmp"
  rm -rf --one-file-system "$tmp"
  mv "$oci.tmp" "$oci"
}

# Not `[ ] || build`: set -e does not apply inside the left side of ||.
if [ ! -f "$oci/index.json" ]; then
  build
fi

start_registry() { # Sets port and registry_pid; a port taken meanwhile means another try.
  mkdir -p "$cache/registry"
  for _ in 1 2 3; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cat >"$cache/registry.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $cache/registry
http:
  addr: 127.0.0.1:$port
EOF
    docker-registry serve "$cache/registry.yml" >"$cache/registry.log" 2>&1 &
    registry_pid=$!
    for _ in $(seq 100); do
      curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/" 2>/dev/null && return 0
      kill -0 "$registry_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
    registry_pid=""
    grep -q "address already in use" "$cache/registry.log" || break
  done
  cat "$cache/registry.log" >&2
  echo "make-debian-image: docker-registry did not start" >&2
  exit 1
}

start_registry
BENCH_IMAGE=127.0.0.1:$port/bench/debian:git
# Blobs pushed by an earlier run are still in the registry's storage: a HEAD each.
skopeo copy --quiet --dest-tls-verify=false "oci:$oci:git" "docker://$BENCH_IMAGE"
export BENCH_IMAGE
[ $# -eq 0 ] || "$@"
