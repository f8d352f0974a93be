#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One-command set-up for CacheScope on Debian 12:
#   ./setup.sh run    install what is missing, build, launch the GUI on a live demo cache
#   ./setup.sh test   install what is missing, build, run every test (ctest)
#   ./setup.sh package  a Release build in build-release/, a .deb from cpack, checked by lintian
# Options: --asan (sanitizer build in build-asan/), --no-install (skip apt).
set -euo pipefail
cd "$(dirname "$0")"

action=${1:-}
shift || true
preset=dev
install=1
for arg in "$@"; do
  case "$arg" in
    --asan) preset=asan ;;
    --no-install) install=0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
case "$action" in
  run|test|build|package) ;;
  *) echo "usage: ./setup.sh run|test|build|package [--asan] [--no-install]" >&2; exit 2 ;;
esac

# The Debian packages CacheScope needs to build and run. libqt6sql6-sqlite (the QSQLITE driver) is
# only a Recommends of Qt's packages, so it is named. qt6-httpserver-dev serves the metrics
# endpoint (its CMake package needs qt6-websockets-dev, which it does not depend on); python3 is
# needed to configure the tests.
packages=(build-essential cmake ninja-build file qt6-base-dev libqt6sql6-sqlite libsqlite3-dev
          libqt6opengl6-dev qt6-charts-dev qt6-httpserver-dev qt6-websockets-dev xvfb xauth python3)
# What only the tests need: the python3-* packages write real diskcache/requests-cache/sqlitedict
# files; the tests start a real Prometheus (prometheus, promtool) and a real OpenSSH server
# (openssh-server; the client is openssh-client) on 127.0.0.1, and a podman container (podman;
# runc where crun cannot run one, e.g. cgroups in hybrid mode) for podman:// caches; sshfs mounts a
# folder from that OpenSSH server, a real network filesystem for the read-only open.
test_packages=(sqlite3 python3-diskcache python3-requests-cache python3-sqlitedict prometheus openssh-server
               openssh-client podman runc sshfs)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "== Installing missing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}

# Packaging also needs dpkg-shlibdeps (dpkg-dev) and lintian; test and run do not.
[ "$action" = package ] && packages+=(dpkg-dev lintian)
if [ "$action" = test ]; then
  packages+=("${test_packages[@]}")
  services_installed=$(dpkg-query -W -f='${Status}\n' openssh-server prometheus 2>/dev/null | grep -c "install ok installed" || true)
  if [ "$install" = 1 ] && [ "$services_installed" -lt 2 ]; then
    echo "== Note: the tests need Debian's openssh-server and prometheus; installing them also starts their"
    echo "   system services (sshd on port 22, Prometheus on port 9090). The tests start their own on 127.0.0.1."
  fi
fi
[ "$install" = 1 ] && install_missing

if [ "$action" = package ]; then
  echo "== Release build in build-release/ and a Debian package"
  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DCACHESCOPE_BUILD_TESTS=OFF >/dev/null
  cmake --build build-release
  rm -f build-release/cachescope_*.deb
  (cd build-release && cpack -G DEB)
  deb=$(ls build-release/cachescope_*.deb)
  echo "== lintian $deb"
  lintian --fail-on error,warning "$deb"
  echo "== Built $deb (install it with: sudo apt-get install ./$deb)"
  exit 0
fi

builddir=build
[ "$preset" = asan ] && builddir=build-asan
# `run` builds what it runs: the GUI and the cachescope-cli its demo and Activity page start
# (215 of the 557 build steps; the tests are the rest).
targets=()
[ "$action" = run ] && targets=(--target cachescope cachescope-cli)
echo "== Configuring and building ($preset preset, $builddir/${targets:+: the GUI and the CLI})"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" "${targets[@]}"

case "$action" in
  build) ;;
  test)
    echo "== Running the tests"
    export QT_QPA_PLATFORM=offscreen
    ctest --preset "$preset" --output-on-failure
    ;;
  run)
    # A temporary LLM cache with 4 simulated writer processes; removed when the window closes.
    gui=(./"$builddir"/src/cachescope --demo)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "== No display (DISPLAY and WAYLAND_DISPLAY are unset): starting CacheScope on a virtual X display"
      echo "   (xvfb-run). Run this from a desktop session to see the window."
      exec xvfb-run -a -s "-screen 0 1280x800x24" "${gui[@]}"
    fi
    exec "${gui[@]}"
    ;;
esac
