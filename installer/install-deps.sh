#!/bin/sh
# Installs every Debian 12 package Porthole needs to build, test and run.
# Idempotent: packages already present are left alone; `apt-get update` runs once
# per invocation and only when something is missing.
set -eu

BUILD="cmake ninja-build ccache g++ pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libgl-dev libarchive-dev libssl-dev libzstd-dev libisal-dev liblzma-dev libvterm-dev libseccomp-dev"
RUN="busybox-static slirp4netns qt6-qpa-plugins libqt6svg6 fonts-noto-cjk"
# Peers and servers the tests and benchmarks use side by side with Porthole.
TEST="skopeo umoci podman runc hyperfine oci-image-tool docker-registry debootstrap
  xvfb xdotool imagemagick openssl apache2-utils time python3 gzip zstd xz-utils"

want="$BUILD $RUN"
case "${1:-all}" in
  run) ;;
  all|test) want="$want $TEST" ;;
  *) echo "usage: $0 [run|test|all]" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: these packages are missing and installing them needs root:$missing" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps package scripts from starting services (docker-registry)
  # that would hold ports the tests want; tests start their own on loopback.
  rc=/usr/sbin/policy-rc.d
  created_rc=0
  if [ ! -e "$rc" ]; then printf '#!/bin/sh\nexit 101\n' > "$rc"; chmod +x "$rc"; created_rc=1; fi
  apt-get install -y -qq --no-install-recommends $missing
  if [ "$created_rc" = 1 ]; then rm -f "$rc"; fi
fi
echo "install-deps: all packages present"
