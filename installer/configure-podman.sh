#!/bin/sh
# Writes /etc/containers/containers.conf with the settings podman needs on the
# development machines (../shared/MACHINE.md): crun fails on hybrid cgroups, so
# podman must use runc with the cgroupfs manager, and its default ulimits must
# stay under the nofile hard limit (CAP_SYS_RESOURCE is missing).
# Idempotent: the file is rewritten only when absent or different, and is the
# only file touched. Usage: installer/configure-podman.sh [CONF]
set -eu
conf=${1:-/etc/containers/containers.conf}

want='[containers]
default_ulimits = ["nofile=1024:1024","nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"'

if [ -f "$conf" ] && [ "$(cat "$conf")" = "$want" ]; then
  echo "configure-podman: $conf is already configured"
  exit 0
fi
if [ -e "$conf" ]; then
  echo "configure-podman: replacing $conf, which held other settings" >&2
fi
mkdir -p "$(dirname "$conf")"
# Rename over the old file so a podman starting meanwhile never reads half of it.
tmp=$(mktemp "$conf.XXXXXX")
trap 'rm -f "$tmp"' EXIT
printf '%s\n' "$want" > "$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$conf"
trap - EXIT
echo "configure-podman: wrote $conf"
