#!/bin/sh
# Builds a rootfs-like tarball of about SIZE_MB megabytes (default 200) from
# real files under /usr, so compression ratios and file counts look like an
# image's. Usage: make-rootfs.sh OUT.tar [SIZE_MB]
set -eu
out=$1
size_mb=${2:-200}
list=$(mktemp)
trap 'rm -f "$list"' EXIT
# A sorted walk that stops at the budget: the same machine gives the same tar.
python3 - "$list" "$size_mb" <<'PY'
import os, sys
dst, budget = sys.argv[1], int(sys.argv[2]) * 1024 * 1024
total = 0
with open(dst, "w") as out:
    for top in ("usr/lib", "usr/share", "usr/bin"):
        for root, dirs, files in os.walk("/" + top):
            dirs.sort()
            out.write(root[1:] + "\n")
            for name in sorted(files):
                p = os.path.join(root, name)
                try:
                    st = os.lstat(p)
                except OSError:
                    continue
                if not os.path.islink(p) and not os.access(p, os.R_OK):
                    continue
                out.write(p[1:] + "\n")
                if not os.path.islink(p):
                    total += st.st_size
                if total >= budget:
                    sys.exit(0)
PY
tar --no-recursion -cf "$out" -C / -T "$list"
ls -l "$out"
