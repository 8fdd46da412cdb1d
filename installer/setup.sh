#!/bin/sh
# The two things a new machine needs, each one command (see README.md):
#   installer/setup.sh start   install, build, and open Porthole on its demo image
#   installer/setup.sh test    install, build, and run the whole test suite
# Run as root on Debian 12. Builds into ./build with Ninja (and ccache).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-start}
build=${PORTHOLE_BUILD_DIR:-$repo/build}

case "$mode" in
  start) sh "$repo/installer/install-deps.sh" run ;;
  test) sh "$repo/installer/install-deps.sh" test
        # podman (interop tests, benchmarks) needs runc and cgroupfs on these hosts.
        sh "$repo/installer/configure-podman.sh" ;;
  *) echo "usage: $0 start|test" >&2; exit 2 ;;
esac

cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build"

if [ "$mode" = test ]; then
  cd "$build"
  # Each test has its own temporary store, so two run at once (2 cores).
  exec ctest --output-on-failure -j2 --timeout 900
fi

porthole="$build/app/porthole"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$porthole"
fi
echo "No display found (DISPLAY is not set): showing the demo image on the command line."
echo "Start the window later with: $porthole"
echo
"$porthole" images
echo
exec "$porthole" history localhost/demo
