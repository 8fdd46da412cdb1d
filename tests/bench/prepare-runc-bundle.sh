#!/bin/sh
# Makes the `run` benchmark's inputs from Porthole's own demo image, so all
# three engines start the same busybox rootfs:
#   BUNDLE/rootfs.tar   the demo image's only layer, for `podman import`
#   BUNDLE/rootfs/      that tar unpacked, the runc bundle's root
#   BUNDLE/config.json  `runc spec` defaults with `true` as the process
# Usage: prepare-runc-bundle.sh PORTHOLE STORE_ROOT BUNDLE
set -eu
porthole=$1; root=$2; bundle=$3

# The first command on a fresh store creates localhost/demo:latest.
"$porthole" --root "$root" images >/dev/null
set -- "$root"/layers/*/
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "prepare-runc-bundle: expected one unpacked layer under $root/layers, found $#" >&2; exit 1
fi
layer=$1

rm -rf "$bundle"
mkdir -p "$bundle/rootfs"
tar -C "$layer" --numeric-owner -cf "$bundle/rootfs.tar" .
# A copy, not the layer itself: runc creates mount points (dev/pts, sys/fs/cgroup)
# in its root, which must not leak into Porthole's read-only layer.
tar -C "$bundle/rootfs" --numeric-owner -xpf "$bundle/rootfs.tar"

runc spec --bundle "$bundle"
# Match a Porthole or podman container: writable root, no terminal. The default
# spec's namespaces (a fresh network namespace with only lo) are `--network none`.
python3 - "$bundle/config.json" <<'PY'
import json, sys
path = sys.argv[1]
spec = json.load(open(path))
spec["process"]["terminal"] = False
spec["process"]["args"] = ["true"]
spec["root"]["readonly"] = False
json.dump(spec, open(path, "w"), indent=1)
PY
